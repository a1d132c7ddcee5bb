//! The stats reader on built, random and mutated segments: every entry type
//! reads back, and no byte pattern makes it panic, hang or allocate wildly.

use std::path::Path;
use std::time::{Duration, Instant};

use asf_core::errors::StatsError;
use asf_core::stats::value::Combined;
use asf_core::stats::{StatValue, StatsClient};
use proptest::prelude::*;

mod common;
use common::segment::{segment, BASE};

fn client(bytes: Vec<u8>) -> StatsClient {
    StatsClient::over(Box::new(bytes), Path::new("memory"))
}

prop_compose! {
    fn shapes()(threads in 1usize..4, width in 0usize..20)(
        simple in prop::collection::vec(prop::collection::vec(any::<u64>(), width), threads),
        combined in prop::collection::vec(prop::collection::vec((any::<u64>(), any::<u64>()), width), threads),
        names in prop::collection::vec(prop::option::of("[a-z0-9/]{1,20}"), 0..10),
        hist in prop::collection::vec(prop::collection::vec(0u64..1000, 1..8), threads),
    ) -> (Vec<Vec<u64>>, Vec<Vec<(u64, u64)>>, Vec<Option<String>>, Vec<Vec<u64>>) {
        (simple, combined, names, hist)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_entry_type_reads_back((simple, combined, names, hist) in shapes()) {
        let mut c = client(segment(&simple, &combined, &names, &hist));
        let all = c.dump(&[]).unwrap();
        prop_assert_eq!(&all["/sys/heartbeat"], &StatValue::Scalar(42));
        prop_assert_eq!(&all["/sys/gauge"], &StatValue::Gauge(7));
        prop_assert_eq!(&all["/node/errors"], &StatValue::Simple(simple.clone()));
        let comb: Vec<Vec<Combined>> = combined.iter().map(|r| r.iter().map(|(p, b)| Combined { packets: *p, bytes: *b }).collect()).collect();
        prop_assert_eq!(&all["/if/rx"], &StatValue::Combined(comb));
        prop_assert_eq!(&all["/if/names"], &StatValue::Names(names.clone()));
        let col: Vec<u64> = simple.iter().map(|r| r.get(1).copied().unwrap_or(0)).collect();
        prop_assert_eq!(&all["/err/node/second"], &StatValue::SimpleColumn(col));
        let StatValue::Histogram(h) = &all["/latency"] else { panic!("not a histogram") };
        prop_assert_eq!(h.min_exp, hist[0][0]);
        prop_assert_eq!(&h.bins[0], &hist[0][1..].to_vec());
        prop_assert!(!all.contains_key(""), "EMPTY entries have no value");
        prop_assert_eq!(c.ls(&["^/if/"]).unwrap(), vec!["/if/rx".to_string(), "/if/names".to_string()]);
    }

    #[test]
    fn mutated_segments_never_panic_or_hang(
        (simple, combined, names, hist) in shapes(),
        flips in prop::collection::vec((32usize..8192, any::<u8>()), 1..40),
    ) {
        let mut bytes = segment(&simple, &combined, &names, &hist);
        for (at, v) in flips {
            let i = at % bytes.len();
            // epoch and in_progress (16..32) are left alone: a stuck
            // in_progress has its own test below.
            if i >= 32 {
                bytes[i] = v;
            }
        }
        let start = Instant::now();
        let mut c = client(bytes);
        let _ = c.dump(&[]);
        let _ = c.ls(&[".*"]);
        let _ = c.get("/if/names");
        prop_assert!(start.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn random_bytes_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let mut bytes = bytes;
        if bytes.len() >= 32 {
            bytes[24..32].copy_from_slice(&[0; 8]);
        }
        let _ = client(bytes).dump(&[]);
    }
}

#[test]
fn a_huge_vector_length_is_an_error_not_an_allocation() {
    let mut bytes = segment(&[vec![1, 2]], &[vec![(1, 2)]], &[], &[vec![0]]);
    // Directory pointer → its vector header: claim 2^32-1 entries.
    let dir = u64::from_ne_bytes(bytes[32..40].try_into().unwrap()) - BASE;
    let at = dir as usize - 8;
    bytes[at..at + 4].copy_from_slice(&u32::MAX.to_ne_bytes());
    let err = client(bytes).dump(&[]).unwrap_err();
    assert!(err.to_string().contains("run past the segment"), "{err}");
}

#[test]
fn a_segment_stuck_in_progress_is_a_clear_error() {
    let mut bytes = segment(&[vec![1]], &[], &[], &[vec![0]]);
    bytes[24..32].copy_from_slice(&1u64.to_ne_bytes());
    let start = Instant::now();
    let err = client(bytes).dump(&[]).unwrap_err();
    assert!(matches!(err, StatsError::Busy(_)), "{err}");
    assert!(
        err.to_string().contains("kept the stats segment busy"),
        "{err}"
    );
    assert!(start.elapsed() < Duration::from_secs(3));
}

#[test]
fn an_unknown_version_is_named() {
    let mut bytes = segment(&[], &[], &[], &[]);
    bytes[0..8].copy_from_slice(&1u64.to_ne_bytes());
    let err = client(bytes).dump(&[]).unwrap_err();
    assert!(
        err.to_string()
            .contains("stats segment version 1 is not supported"),
        "{err}"
    );
}
