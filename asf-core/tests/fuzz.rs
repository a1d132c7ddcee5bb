//! Fuzz targets for everything asf decodes from outside: API message
//! bodies, `.api.json` files and stats segments.
//!
//! Each target starts from the seed corpus in `asf-core/fuzz/seeds/<target>/`
//! (raw inputs, one per file) and feeds the decoder mutated copies: bit
//! flips, interesting integers, truncation, splices and inserted bytes.
//! A panic, or an input taking over two seconds, fails the target; the
//! input is saved to `target/fuzz-crashes/` and the replay seed printed.
//!
//! CI runs a short pass as part of `cargo test`. A long run:
//!
//! ```text
//! ASF_FUZZ_ITERS=1000000 cargo test -p asf-core --release --test fuzz -- --nocapture
//! ```
//!
//! `ASF_FUZZ_SEED=N` replays one run. `ASF_FUZZ_BLESS=1` rewrites the
//! generated seeds (the segment and message ones) from the builders below.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use asf_core::api::codec::{Reader, Writer};
use asf_core::api::dynamic::Dynamic;
use asf_core::api::message::Message;
use asf_core::api::schema::Schema;
use asf_core::api::vpp::memclnt::{ControlPingReply, GetApiJsonReply};
use asf_core::api::vpp::vlib::{CliInbandReply, ShowThreadsReply};
use asf_core::api::vpp::vpe::ShowVersionReply;
use asf_core::stats::StatsClient;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds")
}

/// The stand-in's `.api.json` files: asf-core's and the vocabulary's
/// (read as files; asf-core does not depend on asf-vocab).
fn fake_vpp_api() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    vec![root.join("api"), root.join("../asf-vocab/api")]
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = root().join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let out: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    assert!(!out.is_empty(), "no seeds in {}", dir.display());
    out
}

/// Mutates `input` in place with 1 to 8 random edits.
fn mutate(rng: &mut fastrand::Rng, input: &mut Vec<u8>, pool: &[Vec<u8>]) {
    const INTERESTING: [u32; 8] = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fff_ffff, 0xffff_ffff];
    for _ in 0..rng.usize(1..=8) {
        let len = input.len();
        match rng.u8(0..7) {
            0 if len > 0 => {
                let i = rng.usize(0..len);
                input[i] ^= 1 << rng.u8(0..8);
            }
            1 if len > 0 => {
                let i = rng.usize(0..len);
                input[i] = rng.u8(..);
            }
            2 if len >= 4 => {
                let i = rng.usize(0..=len - 4);
                let v = INTERESTING[rng.usize(0..INTERESTING.len())];
                let bytes = if rng.bool() {
                    v.to_be_bytes()
                } else {
                    v.to_le_bytes()
                };
                input[i..i + 4].copy_from_slice(&bytes);
            }
            3 if len > 0 => input.truncate(rng.usize(0..len)),
            4 => {
                let i = rng.usize(0..=len);
                let extra: Vec<u8> = (0..rng.usize(1..16)).map(|_| rng.u8(..)).collect();
                input.splice(i..i, extra);
            }
            5 if len > 1 => {
                // Repeat a chunk (long names, duplicated records).
                let a = rng.usize(0..len);
                let b = rng.usize(a..len.min(a + 64) + 1).min(len);
                let chunk = input[a..b].to_vec();
                let at = rng.usize(0..=input.len());
                input.splice(at..at, chunk);
            }
            6 if !pool.is_empty() => {
                // Splice with another seed.
                let other = &pool[rng.usize(0..pool.len())];
                if !other.is_empty() {
                    let cut = rng.usize(0..=len);
                    let from = rng.usize(0..other.len());
                    input.truncate(cut);
                    input.extend_from_slice(&other[from..]);
                }
            }
            _ => {}
        }
        if input.len() > 1 << 20 {
            input.truncate(1 << 20);
        }
    }
}

fn iterations() -> usize {
    std::env::var("ASF_FUZZ_ITERS")
        .ok()
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("ASF_FUZZ_ITERS={v:?}: a positive integer"))
        })
        .unwrap_or(20_000)
}

/// Runs `target` on every seed, then on `iterations()` mutants.
fn fuzz(name: &str, target: impl Fn(&[u8])) {
    let pool = seeds(name);
    let seed = std::env::var("ASF_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    let mut rng = fastrand::Rng::with_seed(seed);
    let run = |input: &[u8], what: &str| {
        let started = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| target(input)));
        let slow = started.elapsed() > Duration::from_secs(2);
        if result.is_err() || slow {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-crashes");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!("{name}-{seed}.bin"));
            let _ = std::fs::write(&file, input);
            panic!(
                "{name}: {} on {what}; input saved to {}; replay with ASF_FUZZ_SEED={seed}",
                if slow { "took over 2 s" } else { "panicked" },
                file.display()
            );
        }
    };
    for (i, s) in pool.iter().enumerate() {
        run(s, &format!("seed {i}"));
    }
    let iters = iterations();
    for i in 0..iters {
        let mut input = pool[rng.usize(0..pool.len())].clone();
        mutate(&mut rng, &mut input, &pool);
        run(&input, &format!("mutant {i}"));
    }
    eprintln!(
        "{name}: {} seeds and {iters} mutants, no crash (ASF_FUZZ_SEED={seed})",
        pool.len()
    );
}

/// Every message the stand-in's `.api.json` files define.
fn message_names() -> Vec<String> {
    fn walk(dir: &Path, names: &mut Vec<String>) {
        for f in std::fs::read_dir(dir).unwrap().flatten() {
            let path = f.path();
            if path.is_dir() {
                walk(&path, names);
            } else if path.to_string_lossy().ends_with(".api.json") {
                let v: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                for m in v["messages"].as_array().into_iter().flatten() {
                    names.push(m[0].as_str().unwrap().to_string());
                }
            }
        }
    }
    let mut names = Vec::new();
    for dir in fake_vpp_api() {
        walk(&dir, &mut names);
    }
    assert!(names.len() > 20, "messages of the stand-in: {names:?}");
    names.sort();
    names
}

#[test]
fn api_messages() {
    bless();
    let schema = Schema::load_dirs(&fake_vpp_api()).unwrap();
    let names = message_names();
    fuzz("api_messages", |bytes| {
        for n in &names {
            if let Ok(v) = schema.decode(n, bytes) {
                // What decodes must encode again.
                let _ = schema.encode(n, &v);
            }
        }
        let _ = ShowThreadsReply::decode(&mut Reader::new(bytes));
        let _ = ShowVersionReply::decode(&mut Reader::new(bytes));
        let _ = CliInbandReply::decode(&mut Reader::new(bytes));
        let _ = ControlPingReply::decode(&mut Reader::new(bytes));
        let _ = GetApiJsonReply::decode(&mut Reader::new(bytes));
    });
}

#[test]
fn api_json() {
    fuzz("api_json", |bytes| {
        let text = String::from_utf8_lossy(bytes);
        let mut s = Schema::new();
        if s.add_json(&text, Path::new("fuzz.api.json")).is_ok() {
            // Whatever loads can be used to decode without a panic.
            let v: Result<serde_json::Value, _> = serde_json::from_str(&text);
            if let Ok(v) = v {
                for m in v["messages"].as_array().into_iter().flatten() {
                    if let Some(n) = m[0].as_str() {
                        let _ = s.decode(n, &[0u8; 64]);
                        let _ = s.decode(n, bytes);
                    }
                }
            }
        }
    });
}

#[test]
fn stats_segment() {
    bless();
    fuzz("stats_segment", |bytes| {
        let mut bytes = bytes.to_vec();
        if bytes.len() >= 32 {
            // in_progress: a stuck writer has its own (timed) test.
            bytes[24..32].copy_from_slice(&[0; 8]);
        }
        let mut c = StatsClient::over(Box::new(bytes), Path::new("fuzz"));
        let _ = c.dump(&[]);
        let _ = c.ls(&[".*"]);
        let _ = c.get("/if/names");
    });
}

/// `ASF_FUZZ_BLESS=1`: writes the generated seeds.
fn bless() {
    if std::env::var("ASF_FUZZ_BLESS").as_deref() != Ok("1") {
        return;
    }
    let write = |target: &str, name: &str, bytes: &[u8]| {
        let dir = root().join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    };
    let seg = common::segment::segment(
        &[vec![1, 2, 3], vec![4, 5, 6]],
        &[vec![(10, 1000), (20, 2000)], vec![(30, 3000), (40, 4000)]],
        &[Some("local0".into()), None, Some("loop0".into())],
        &[vec![3, 1, 2, 3], vec![3, 4, 5, 6]],
    );
    write("stats_segment", "two-threads.bin", &seg);
    let seg = common::segment::segment(&[vec![]], &[vec![]], &[], &[vec![0]]);
    write("stats_segment", "empty-vectors.bin", &seg);

    let schema = Schema::load_dirs(&fake_vpp_api()).unwrap();
    let samples = [
        (
            "sw_interface_details",
            serde_json::json!({"_vl_msg_id": 20, "context": 7, "sw_if_index": 1,
                "interface_name": "loop0", "l2_address": [222, 173, 0, 0, 0, 1], "flags": 3,
                "interface_dev_type": "Loopback", "tag": "fuzz"}),
        ),
        (
            "cli_inband_reply",
            serde_json::json!({"_vl_msg_id": 21, "context": 8, "retval": 0,
                "reply": "vpp v26.10 built by fuzz\n"}),
        ),
        (
            "show_threads_reply",
            serde_json::json!({"_vl_msg_id": 22, "context": 9, "retval": 0, "count": 2,
                "thread_data": [
                    {"id": 0, "name": "vpp_main", "type": "", "pid": 10, "cpu_id": 1, "core": 1, "cpu_socket": 0},
                    {"id": 1, "name": "vpp_wk_0", "type": "workers", "pid": 11, "cpu_id": 2, "core": 2, "cpu_socket": 0}]}),
        ),
        (
            "sockclnt_create_reply",
            serde_json::json!({"_vl_msg_id": 16, "client_index": 1, "context": 1, "response": 0,
                "index": 1, "count": 2, "message_table": [
                    {"index": 1, "name": "control_ping_51077d14"},
                    {"index": 2, "name": "control_ping_reply_f6b0b8ca"}]}),
        ),
    ];
    for (name, value) in samples {
        match schema.encode(name, &value) {
            Ok(bytes) => write("api_messages", &format!("{name}.bin"), &bytes),
            Err(e) => panic!("{name}: {e}"),
        }
    }
    let mut w = Writer::new();
    w.u16(23).u32(1).i32(0).u32(3).bytes(b"abc");
    write("api_messages", "short-string.bin", &w.into_bytes());
}
