//! Times full dumps of a real-sized stats segment (fake-vpp's, with
//! `FAKE_VPP_STATS_ERRORS`) in whatever profile it is built in, and prints
//! the median milliseconds per dump on its last line. The `stats_dump`
//! bench (release) runs it in the dev profile and prints both figures:
//! `cargo bench -p asf-fake-vpp --bench stats_dump`.

use std::time::Instant;

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let errors = std::env::var("ASF_BENCH_ERRORS").unwrap_or_else(|_| "4300".into());
    let (_vpp, mut stats) = common::stats_of_real_size(&errors);
    let entries = stats.ls(&[]).unwrap().len();
    let rounds = 30;
    let mut times = Vec::new();
    for _ in 0..rounds {
        // As the stats_dump bench: list, then dump everything.
        let t = Instant::now();
        let names = stats.ls(&[""]).unwrap();
        let all = stats.dump(&[]).unwrap();
        assert_eq!(all.len(), entries);
        assert_eq!(names.len(), entries);
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!("entries {entries}");
    println!("{:.3}", times[rounds / 2] * 1e3);
}
