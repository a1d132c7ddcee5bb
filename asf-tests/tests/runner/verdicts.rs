//! What each test gets: pass, fail, error, skip, timeouts, retries,
//! failfast, subtests, class hooks.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::*;

#[test]
fn verdicts_of_single_tests() {
    let r = Run::new();
    let (out, text) = r.run_fixtures(&["verdicts::"], &[]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        line_of(&text, "a failed assertion is a FAIL").ends_with(" FAIL"),
        "{text}"
    );
    assert!(
        text.contains("pid is never 0") && text.contains("tests/fixtures/main.rs"),
        "panic message and place:\n{text}"
    );
    assert!(
        line_of(&text, "a returned error is an ERROR").ends_with(" ERROR"),
        "{text}"
    );
    assert!(
        text.contains("cli syntax error in `no such command`"),
        "{text}"
    );
    assert!(
        line_of(&text, "an expected failure that fails").ends_with("FAIL [EXPECTED FAIL]"),
        "{text}"
    );
    assert!(
        line_of(&text, "an expected failure that passes").ends_with("OK [UNEXPECTED PASS]"),
        "{text}"
    );
    assert!(
        line_of(&text, "an ignored test").ends_with("SKIP [ignored: needs a real VPP]"),
        "{text}"
    );
    assert!(
        line_of(&text, "later tests still run on the same VPP").ends_with(" OK"),
        "{text}"
    );
    assert!(text.contains("2 passed; 3 failed; 1 ignored"), "{text}");
    assert!(
        text.contains("replays this class's randomness"),
        "the seed is in failure reports:\n{text}"
    );
    assert_eq!(r.launches(), 1);

    let (_, text) = r.run_fixtures(&["verdicts::", "--include-ignored"], &[]);
    assert!(line_of(&text, "an ignored test").ends_with(" OK"), "{text}");
    r.assert_clean(&["fixtures.verdicts"]);
}

#[test]
fn an_aborting_test_costs_only_its_class() {
    let r = Run::new();
    let (out, text) = r.run_fixtures(
        &[
            "--skip",
            "broken_set_up::",
            "--skip",
            "hangs::",
            "--skip",
            "flaky::",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(line_of(&text, "aborts").ends_with(" ERROR"), "{text}");
    assert!(text.contains("the class process died while running TestAbort.test_abort with return code: -6 [SIGABRT]"), "{text}");
    assert!(line_of(&text, "never runs").ends_with(" ERROR"), "{text}");
    assert!(
        text.contains("not run: the class process exited early"),
        "{text}"
    );
    assert!(
        line_of(&text, "later tests still run on the same VPP").ends_with(" OK"),
        "{text}"
    );
    // verdicts:: (run here too) has tests that fail on purpose.
    r.assert_clean(&["fixtures.aborts", "fixtures.verdicts"]);
}

#[test]
fn a_failing_class_set_up_fails_every_test_of_the_class() {
    let r = Run::new();
    let (out, text) = r.run_fixtures(&["broken_set_up::"], &[]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(
        text.matches("set_up_class failed: cli syntax error")
            .count(),
        2,
        "{text}"
    );
    assert!(text.contains("0 passed; 2 failed"), "{text}");
    r.assert_clean(&["fixtures.broken_set_up"]);
}

#[test]
fn a_hanging_test_is_killed_at_its_timeout_and_the_run_goes_on() {
    let r = Run::new();
    let started = Instant::now();
    let (out, text) = r.run_fixtures(
        &[
            "--skip",
            "aborts::",
            "--skip",
            "broken_set_up::",
            "--skip",
            "verdicts::",
            "--skip",
            "flaky::",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    assert!(line_of(&text, "hangs forever").contains(" ERROR"), "{text}");
    assert!(text.contains("timed out after 2 s"), "{text}");
    assert!(
        line_of(&text, "comes after the hang").contains("NOT RUN [not run: test_hang timed out]"),
        "{text}"
    );
    assert!(
        line_of(&text, "the reader reports corruption").ends_with(" OK"),
        "other classes go on:\n{text}"
    );
    assert!(text.contains("Not Executed tests: 1"), "{text}");
    r.assert_clean(&["fixtures.hangs"]);
}

#[test]
fn a_test_passing_on_a_retry_is_flaky_in_console_and_junit() {
    let r = Run::new();
    let marker = r.tmp.path().join("flaky-marker");
    let junit = r.tmp.path().join("report/junit.xml");
    let (out, text) = r.run_fixtures(
        &[
            "flaky::",
            "--retries",
            "1",
            "--junit",
            junit.to_str().unwrap(),
        ],
        &[("FIXTURE_FLAKY_MARKER", marker.to_str().unwrap())],
    );
    assert!(
        out.status.success(),
        "a flaky test does not fail the run:\n{text}"
    );
    assert!(
        line_of(&text, "fails once, then passes").contains(" ERROR"),
        "first attempt:\n{text}"
    );
    assert!(text.contains("[retry 1]"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("fails once, then passes") && l.contains("FLAKY")),
        "{text}"
    );
    assert!(text.contains("Flaky tests: 1"), "{text}");
    assert_eq!(r.launches(), 2, "the retry runs on a fresh VPP");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains("flakyFailure") && xml.contains("first run fails"),
        "{xml}"
    );
    let parsed = Command::new("python3")
        .args(["-c", "import sys, xml.etree.ElementTree as ET; r = ET.parse(sys.argv[1]).getroot(); c = [t for t in r.iter('testcase') if t.get('name') == 'test_flaky'][0]; print(len(list(r.iter('testsuite'))), c.find('flakyFailure') is not None, c.find('failure') is None)", junit.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&parsed.stdout).trim(),
        "1 True True",
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    r.assert_no_leftovers();
}

#[test]
fn failfast_stops_at_the_first_failure() {
    let r = Run::new();
    let (out, text) = r.run_fixtures(
        &[
            "--skip",
            "hangs::",
            "--skip",
            "flaky::",
            "--failfast",
            "--jobs",
            "1",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    // Classes run in order (aborts first): the first failure stops the run.
    assert!(text.contains("not run: cut short by --failfast"), "{text}");
    assert!(text.contains("TESTCASES CUT SHORT BY FAILFAST:"), "{text}");
    assert!(
        r.launches() < 4,
        "not every class started: {}",
        r.launches()
    );
    r.assert_no_leftovers();
}

#[test]
fn the_class_tear_down_runs_after_tests_that_fail_error_or_skip() {
    let r = Run::new();
    let record = r.tmp.path().join("tear-downs");
    let (out, text) = r.run_fixtures(
        &["tear_down_hook::"],
        &[("FIXTURE_TEAR_DOWN_RECORD", record.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(line_of(&text, "fails").ends_with(" FAIL"), "{text}");
    assert!(line_of(&text, "errors").ends_with(" ERROR"), "{text}");
    assert!(line_of(&text, "skips itself").contains(" SKIP"), "{text}");
    assert_eq!(
        std::fs::read_to_string(&record).unwrap_or_default(),
        "test_fails\ntest_errors\ntest_skips\n",
        "{text}"
    );
    r.assert_clean(&["fixtures.tear_down_hook"]);
}

#[test]
fn subtests_run_every_case_and_name_each_failing_one() {
    let r = Run::new();
    let junit = r.tmp.path().join("junit.xml");
    let events = r.tmp.path().join("events.jsonl");
    let (out, text) = r.run_fixtures(
        &[
            "subtests::",
            "--junit",
            junit.to_str().unwrap(),
            "--events",
            events.to_str().unwrap(),
        ],
        &[("FIXTURE_SUBTESTS", "1")],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        line_of(&text, "five cases, two failing").ends_with(" FAIL"),
        "{text}"
    );
    for needle in [
        "2 of the test's subtests failed",
        "subtest [case=2] failed: case 2 is wrong",
        "subtest [case=4] failed: case 4 errs",
    ] {
        assert!(text.contains(needle), "{needle}:\n{text}");
        let junit = std::fs::read_to_string(&junit)
            .unwrap()
            .replace("&apos;", "'");
        assert!(junit.contains(needle), "{needle} in JUnit:\n{junit}");
        let events = std::fs::read_to_string(&events).unwrap();
        assert!(events.contains(needle), "{needle} in events:\n{events}");
    }
    // The cases after the failing ones ran (the log names each).
    let log = r.class_log("fixtures.subtests");
    assert!(log.contains("--- subtest case=5"), "{log}");
    r.assert_clean(&["fixtures.subtests"]);
}

#[test]
fn a_capture_that_is_not_what_the_test_expects_names_the_interface_and_keeps_the_files() {
    let r = Run::new();
    let (out, text) = r.run_fixtures(&["pg_faults::"], &[("FIXTURE_PG_FAULTS", "1")]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let dir = r.class_dir("fixtures.pg_faults");
    let kept = dir.join("test_count_mismatch.pg1.count-mismatch-1.pcap");
    assert!(
        text.contains(&format!(
            "Captured packets mismatch, captured 2 packets, expected 3 packets on pg1; the capture is kept as {} (decoded: {}.txt)",
            kept.display(),
            kept.display()
        )),
        "{text}"
    );
    assert!(text.contains("#0: Ether 02:01:00:00:ff:02 > 02:00:00:00:00:99 / IP 172.16.1.2 > 10.9.9.9 / UDP 1000 > 7 / Raw (7 bytes)"), "{text}");
    let decoded =
        std::fs::read_to_string(dir.join("test_count_mismatch.pg1.count-mismatch-1.pcap.txt"))
            .unwrap();
    assert!(decoded.starts_with("2 packets captured on pg1:\nPacket #0:\n0000  02 00 00 00 00 99 02 01 00 00 FF 02 08 00"), "{decoded}");
    assert!(
        decoded.contains("###[ UDP ]### \n  sport     = 1001"),
        "{decoded}"
    );
    let sent = std::fs::read_to_string(dir.join("test_count_mismatch.pg0.in-1.pcap.txt")).unwrap();
    assert!(sent.starts_with("2 packets sent into pg0:"), "{sent}");
    assert!(
        text.contains("No packets captured on pg1 (timeout is None); expected 1"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Packet didn't arrive within timeout (0.2 s) on pg1 ({})",
            dir.join("pg1_out.pcap").display()
        )),
        "{text}"
    );
    assert!(text.contains("Unexpected packet on pg1 (2 packets captured in total) (cross-connected); the capture is kept as"), "{text}");
    let log = r.class_log("fixtures.pg_faults");
    assert!(
        log.contains("show trace:"),
        "the packet trace is in the class log:\n{log}"
    );
    assert!(
        text.contains(&format!(
            "the stream of pg0 ({}) cannot be sent: no packets to send (VPP would run an empty stream without end)",
            dir.join("pg0_in.pcap").display()
        )),
        "{text}"
    );
    assert!(text.contains("0 passed; 5 failed"), "{text}");
    r.assert_clean(&["fixtures.pg_faults"]);
}

#[test]
fn a_test_that_builds_on_an_earlier_one_skips_alone_and_its_failure_outlives_a_lone_retry() {
    let r = Run::new();
    let on = [("FIXTURE_ORDERED", "1")];
    // In order, both run.
    let (out, text) = r.run_fixtures(&["ordered::"], &on);
    assert!(out.status.success(), "{text}");
    assert!(
        line_of(&text, "builds on the first").ends_with(" OK"),
        "{text}"
    );
    // Alone (as cargo-nextest runs it): a skip that names what it needs.
    let (out, text) = r.run_fixtures(&["--exact", "ordered::test_b_second"], &on);
    assert!(out.status.success(), "{text}");
    assert!(
        line_of(&text, "builds on the first").contains(
            "SKIP [builds on test_a_first of its class, which did not run before it on this VPP]"
        ),
        "{text}"
    );
    // A failure whose retry (alone, on a fresh VPP) skips stays a failure.
    let (out, text) = r.run_fixtures(
        &["ordered::", "--retries", "1"],
        &[("FIXTURE_ORDERED", "1"), ("FIXTURE_ORDERED_FAIL", "1")],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("(its retry skipped: builds on test_a_first"),
        "{text}"
    );
    assert!(
        text.contains("test result: FAILED. 1 passed; 1 failed"),
        "{text}"
    );
    r.assert_clean(&["fixtures.ordered"]);
}
