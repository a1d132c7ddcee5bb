//! Which classes and tests run: tags, filters, listing, shards, CPUs.

use std::process::Stdio;

use crate::common::*;

#[test]
fn asan_build_skips_fixme_asan_class_before_boot() {
    let r = Run::new();
    let (out, text) = r.run(
        &["asf_"],
        &[
            ("VPP_EXTRA_CMAKE_ARGS", "-DVPP_ENABLE_SANITIZE_ADDR=ON"),
            ("ASF_KEEP_TMP", "yes"),
        ],
    );
    assert!(out.status.success(), "{text}");
    let inv = Inventory::of(&r);
    assert_eq!(
        r.launches(),
        inv.classes(all) - inv.classes(has_tag("fixme_asan")),
        "the fixme_asan class boots no VPP:\n{text}"
    );
    let line = line_of(&text, "show clock reports a clock that moves forward");
    assert!(
        line.contains("SKIP [fixme_asan: the VPP under test is an ASan build"),
        "{line}"
    );
    let asan = inv.count(has_tag("fixme_asan"));
    assert!(asan > 0);
    assert!(
        text.contains(&format!(
            "{} passed; 0 failed; {asan} ignored",
            inv.count(all) - asan
        )),
        "{text}"
    );
    assert!(!r.class_dir("suites.asf_cli.cli_inband").exists());
    r.assert_no_leftovers();
}

#[test]
fn test_level_skip_tag_skips_only_that_test() {
    let r = Run::new();
    let (out, text) = r.run(&["asf_cli::"], &[("TAG", "vpp_debug")]);
    assert!(out.status.success(), "{text}");
    let line = line_of(&text, "the VPP stays up across CLI errors");
    assert!(
        line.contains(
            "SKIP [fixme_vpp_debug: the VPP under test is a debug build (TAG=vpp_debug)]"
        ),
        "{line}"
    );
    assert!(text.contains("3 passed; 0 failed; 1 ignored"), "{text}");
    assert_eq!(r.launches(), 1);
}

#[test]
fn tag_filters_select_classes() {
    let r = Run::new();
    let inv = Inventory::of(&r);
    let (out, text) = r.run(&["asf_", "--tag", "solo"], &[]);
    assert!(out.status.success(), "{text}");
    assert_eq!(r.launches(), inv.classes(has_tag("solo")), "{text}");
    assert!(
        text.contains(&format!(
            "2 passed; 0 failed; 0 ignored; 0 measured; {} filtered out",
            Inventory::everything(&r).count(all) - 2
        )),
        "{text}"
    );

    let r = Run::new();
    let (out, text) = r.run(&["asf_", "--skip-tag", "solo"], &[]);
    assert!(out.status.success(), "{text}");
    let inv = Inventory::of(&r);
    assert_eq!(
        r.launches(),
        inv.classes(|n, t| !has_tag("solo")(n, t)),
        "{text}"
    );
    assert!(!text.contains("SOLO RUN"), "{text}");

    let r = Run::new();
    let (out, text) = r.run(&["asf_"], &[("ASF_TAG", "fixme_asan")]);
    assert!(out.status.success(), "{text}");
    assert_eq!(r.launches(), inv.classes(has_tag("fixme_asan")), "{text}");

    let (out, text) = r.run(&["--tag", "bogus"], &[]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("unknown tag `bogus`; valid tags: solo, fixme_vpp_workers, fixme_asan, fixme_ubuntu2204, fixme_debian11, fixme_vpp_debug"), "{text}");
    let (out, text) = r.run(&[], &[("ASF_SKIP_TAG", "solo,nope")]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("ASF_SKIP_TAG") && text.contains("valid tags"),
        "{text}"
    );
}

#[test]
fn listing_is_cargo_nextest_compatible() {
    let r = Run::new();
    let (out, text) = r.run(&["--list", "--format", "terse"], &[]);
    assert!(out.status.success(), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), Inventory::everything(&r).count(all), "{text}");
    assert!(
        lines
            .iter()
            .all(|l| l.ends_with(": test") && !l.starts_with('[')),
        "{text}"
    );
    assert!(
        lines.contains(&"asf_solo::timing::test_round_trip: test"),
        "{text}"
    );

    let (_, text) = r.run(&["--list"], &[]);
    assert!(
        text.contains("[solo] asf_solo::timing::test_round_trip: test"),
        "{text}"
    );
    assert!(
        text.contains(
            "[fixme_asan,fixme_vpp_debug] asf_cli::cli_inband::test_alive_after_errors: test"
        ),
        "{text}"
    );

    let (out, text) = r.run(
        &[
            "--exact",
            "asf_solo::timing::test_round_trip",
            "--nocapture",
        ],
        &[],
    );
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&format!(
            "1 passed; 0 failed; 0 ignored; 0 measured; {} filtered out",
            Inventory::everything(&r).count(all) - 1
        )),
        "{text}"
    );
    assert_eq!(r.launches(), 1);
    assert_eq!(r.launches(), 1, "listing boots nothing");
}

#[test]
fn shards_run_each_class_exactly_once() {
    let everything = {
        let r = Run::new();
        Inventory::everything(&r)
    };
    let mut seen: Vec<String> = Vec::new();
    let mut launches = 0;
    let mut booted = 0;
    let mut passed = 0;
    for k in 1..=3 {
        let r = Run::new();
        let events_file = r.tmp.path().join("events.jsonl");
        let (out, text) = r.run(
            &[
                "--partition",
                &format!("hash:{k}/3"),
                "--events",
                events_file.to_str().unwrap(),
            ],
            &[],
        );
        assert!(out.status.success(), "{text}");
        launches += r.launches();
        // "test result: ok. P passed; 0 failed; I ignored; ..."
        let summary = text
            .lines()
            .find_map(|l| l.strip_prefix("test result: ok. "))
            .unwrap();
        let words: Vec<&str> = summary.split(' ').collect();
        let p: usize = words[0].parse().unwrap();
        let i: usize = words[4].parse().unwrap();
        passed += p + i;
        // Which classes ran, from the shard's JSON events.
        let events = std::fs::read_to_string(&events_file).unwrap();
        let mut classes: Vec<String> = events
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|e| e["class"].as_str().map(str::to_string))
            .collect();
        classes.dedup();
        seen.extend(classes);
        // Classes whose tests are all skipped before boot (extended, host
        // checks) start no VPP: attempts 0 on every test.
        let mut ran: Vec<String> = events
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|e| e["attempts"].as_u64().unwrap_or(0) > 0)
            .filter_map(|e| e["class"].as_str().map(str::to_string))
            .collect();
        ran.dedup();
        booted += ran.len();
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "a class ran twice: {seen:?}");
    assert_eq!(
        unique.len(),
        everything.classes(all),
        "every class in some shard"
    );
    assert_eq!(
        launches, booted,
        "every class that runs boots once across the shards"
    );

    assert_eq!(
        passed,
        everything.count(all),
        "every test passed or skipped once"
    );
    let r = Run::new();
    let (out, text) = r.run(&["--partition", "slice:4/3"], &[]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("hash:K/N or slice:K/N"), "{text}");
}

#[test]
fn listing_a_shard_lists_exactly_what_the_shard_runs() {
    let r = Run::new();
    let everything = Inventory::everything(&r);
    let mut listed: Vec<String> = Vec::new();
    for k in 1..=3 {
        let part = format!("hash:{k}/3");
        let (out, text) = r.run(&["--list", "--format", "terse", "--partition", &part], &[]);
        assert!(out.status.success(), "{text}");
        let mine: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_suffix(": test"))
            .map(str::to_string)
            .collect();
        // The shard's run reports exactly these tests.
        let events = r.tmp.path().join(format!("events-{k}.jsonl"));
        let (out, text) = r.run(
            &["--partition", &part, "--events", events.to_str().unwrap()],
            &[],
        );
        assert!(out.status.success(), "{text}");
        let mut ran: Vec<String> = std::fs::read_to_string(&events)
            .unwrap()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|e| e["event"] == "test")
            .map(|e| {
                format!(
                    "{}::{}",
                    e["class"].as_str().unwrap(),
                    e["test"].as_str().unwrap()
                )
            })
            .collect();
        ran.sort();
        let mut sorted = mine.clone();
        sorted.sort();
        assert_eq!(sorted, ran, "shard {k}: listed vs run");
        listed.extend(mine);
    }
    listed.sort();
    let mut unique = listed.clone();
    unique.dedup();
    assert_eq!(unique.len(), listed.len(), "a test listed by two shards");
    assert_eq!(
        listed.len(),
        everything.count(all),
        "every test in some shard"
    );
}

#[test]
fn a_closed_stdout_ends_listing_and_runs_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let r = Run::new();
    for args in [&["--list"][..], &["asf_"][..]] {
        // Stdout is a pipe whose reader is already gone, as with `| head -1`
        // once head has exited: the first write meets a closed pipe
        // whatever the timing (reading a line first raced a list short
        // enough to fit in the pipe's buffer).
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = r
            .command(args, &[])
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            out.status.signal() == Some(13) || out.status.code() == Some(141),
            "{args:?}: {:?} {stderr}",
            out.status
        );
    }
    r.assert_no_leftovers();
    assert_eq!(r.shm_files(), Vec::<String>::new());
}

#[test]
fn every_port_runs_or_skips_with_a_reason_on_the_stand_in() {
    let r = Run::new();
    let (out, text) = r.run(&["--skip", "asf_"], &[]);
    assert!(
        out.status.success(),
        "nothing fails on the stand-in:\n{text}"
    );
    let skips: Vec<&str> = text.lines().filter(|l| l.contains(" SKIP")).collect();
    assert!(!skips.is_empty(), "{text}");
    assert!(
        skips.iter().all(|l| l.contains(" SKIP [")),
        "every skip has a reason:\n{text}"
    );
    assert!(
        text.contains("needs unittest_plugin.so which this VPP has not loaded (show plugins)"),
        "{text}"
    );
}

#[test]
fn oversubscribe_runs_a_class_whose_helpers_do_not_fit_and_says_so() {
    // One CPU: VPP's main thread fits, the helper slot does not.
    let r = Run::new();
    let (out, text) = r.run(&["asf_helpers::helper_slots::"], &[("MAX_VPP_CPUS", "1")]);
    assert!(out.status.success(), "{text}");
    assert!(
        line_of(&text, "helpers run on the helper slots")
            .contains("SKIP [not enough cpus, required=2, available=1]"),
        "{text}"
    );
    assert!(
        text.contains("[skipped - not enough cpus, required=2 cores, available=1 cores]"),
        "{text}"
    );
    assert_eq!(r.launches(), 0, "a CPU-short class boots no VPP:\n{text}");

    let r = Run::new();
    let junit = r.tmp.path().join("junit.xml");
    let events = r.tmp.path().join("events.jsonl");
    let (out, text) = r.run(
        &[
            "asf_helpers::helper_slots::",
            "--junit",
            junit.to_str().unwrap(),
            "--events",
            events.to_str().unwrap(),
        ],
        &[("MAX_VPP_CPUS", "1"), ("ASF_OVERSUBSCRIBE", "1")],
    );
    assert!(out.status.success(), "{text}");
    assert!(
        line_of(&text, "helpers run on the helper slots").ends_with(" OK"),
        "{text}"
    );
    assert!(
        text.contains("[oversubscribed: 1 helper slot(s) share VPP's main core]"),
        "{text}"
    );
    let junit = std::fs::read_to_string(&junit).unwrap();
    assert!(
        junit.contains(r#"name="oversubscribed" value="true""#),
        "{junit}"
    );
    let events = std::fs::read_to_string(&events).unwrap();
    assert!(events.contains(r#""oversubscribed":true"#), "{events}");
    r.assert_clean(&[]);
}

/// Several name filters, as libtest takes them: a test runs if any
/// selects it; `--exact` and `--skip` apply to each as libtest's do; the
/// listing honours them too.
#[test]
fn several_name_filters_select_what_any_selects() {
    let r = Run::new();
    let (out, text) = r.run(
        &[
            "--list",
            "--format",
            "terse",
            "asf_cli::",
            "asf_interface::",
        ],
        &[],
    );
    assert!(out.status.success(), "{text}");
    let listed: Vec<&str> = text.lines().filter(|l| l.ends_with(": test")).collect();
    assert!(listed.iter().any(|l| l.starts_with("asf_cli::")), "{text}");
    assert!(
        listed.iter().any(|l| l.starts_with("asf_interface::")),
        "{text}"
    );
    assert!(
        listed
            .iter()
            .all(|l| l.starts_with("asf_cli::") || l.starts_with("asf_interface::")),
        "{text}"
    );
    // --exact: each filter is a whole name.
    let one = listed[0].trim_end_matches(": test");
    let (out, text) = r.run(
        &[
            "--list",
            "--format",
            "terse",
            "--exact",
            one,
            "no::such::test",
        ],
        &[],
    );
    assert!(out.status.success(), "{text}");
    let exact: Vec<&str> = text.lines().filter(|l| l.ends_with(": test")).collect();
    assert_eq!(exact, [listed[0]], "{text}");
    // --skip takes out what it matches, whichever filter selected it.
    let (_, text) = r.run(
        &[
            "--list",
            "--format",
            "terse",
            "asf_cli::",
            "asf_interface::",
            "--skip",
            "asf_cli::",
        ],
        &[],
    );
    assert!(
        text.lines()
            .filter(|l| l.ends_with(": test"))
            .all(|l| l.starts_with("asf_interface::")),
        "{text}"
    );
    assert_eq!(r.launches(), 0);
}

/// What a run would skip before booting VPP (here: too few CPUs) is listed
/// as ignored, so that cargo-nextest, which learns skips from
/// `--list --ignored`, counts it as skipped; the plain listing still has
/// it, and its run under `--exact` skips it the same way, booting nothing.
#[test]
fn pre_boot_skips_are_listed_as_ignored() {
    let r = Run::new();
    let list = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["--list", "--format", "terse"];
        args.extend_from_slice(extra);
        let (out, text) = r.run(&args, &[("MAX_VPP_CPUS", "1")]);
        assert!(out.status.success(), "{text}");
        text.lines()
            .filter(|l| l.ends_with(": test"))
            .map(|l| l.trim_end_matches(": test").to_string())
            .collect()
    };
    let ignored = list(&["--ignored", "asf_workers::"]);
    let all = list(&["asf_workers::"]);
    assert!(!ignored.is_empty(), "a class with a worker needs 2 CPUs");
    assert!(
        ignored.iter().all(|t| all.contains(t)),
        "{ignored:?} {all:?}"
    );
    let (out, text) = r.run(&["--exact", &ignored[0]], &[("MAX_VPP_CPUS", "1")]);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("SKIP [not enough cpus"), "{text}");
    assert_eq!(r.launches(), 0, "{text}");
}

#[test]
fn under_nextest_a_test_that_skips_while_running_says_so_on_stdout() {
    let r = Run::new();
    let record = r.tmp.path().join("tear-downs");
    let record = record.to_str().unwrap();
    let skip_lines = |nextest: bool| -> Vec<String> {
        let mut env = vec![("FIXTURE_TEAR_DOWN_RECORD", record)];
        if nextest {
            env.push(("NEXTEST_RUN_ID", "6d4d0b5e-0000-0000-0000-000000000000"));
        }
        let (out, text) = r.run_fixtures(&["tear_down_hook::test_skips"], &env);
        assert!(out.status.success(), "{text}");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("SKIP: "))
            .map(String::from)
            .collect()
    };
    let lines = skip_lines(true);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("tear_down_hook::test_skips: skipping on purpose (cargo-nextest counts this test as passed"),
        "{lines:?}"
    );
    assert_eq!(skip_lines(false), Vec::<String>::new());
}

#[test]
fn a_run_waits_for_the_cores_another_run_holds() {
    let r = Run::new();
    let claims = r.tmp.path().join("shared-claims");
    std::fs::create_dir_all(&claims).unwrap();
    // The first core's claim, held here as another run would hold it.
    let first = nix::sched::sched_getaffinity(nix::unistd::Pid::from_raw(0))
        .ok()
        .and_then(|set| (0..nix::sched::CpuSet::count()).find(|&c| set.is_set(c).unwrap_or(false)))
        .unwrap_or(0);
    let file = std::fs::File::create(claims.join(format!("core{first}.lock"))).unwrap();
    let held = nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock)
        .map_err(|(_, e)| e)
        .unwrap();
    let claims_env = claims.to_str().unwrap();
    let child = r
        .command_of(
            "suites",
            &["--exact", "asf_cli::cli_inband::test_show_clock"],
            &[("MAX_VPP_CPUS", "1"), ("ASF_CPU_CLAIMS", claims_env)],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // However long it is given, it starts no VPP on a core another run holds.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(r.launches(), 0);
    drop(held);
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("waiting for cores that another run on this machine holds"),
        "{text}"
    );
    assert!(text.contains(" OK"), "{text}");
    assert_eq!(r.launches(), 1, "{text}");
}
