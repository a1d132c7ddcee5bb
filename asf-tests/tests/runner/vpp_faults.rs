//! A VPP that misbehaves (the stand-in's fault switches): crashes, hangs,
//! bad frames, slow or failed starts, cores; each costs only what it must.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::common::*;

#[test]
fn vpp_crash_on_an_api_call_costs_only_that_class() {
    let r = Run::new();
    let (out, text) = r.run(
        &["asf_"],
        &[
            ("FAKE_VPP_CRASH_ON_CLI", "frobnicate"),
            ("FAKE_VPP_FAULT_SCOPE", "cli_inband"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        line_of(&text, "show clock reports a clock").ends_with("OK"),
        "{text}"
    );
    for later in [
        "an unknown command is",
        "clear trace succeeds",
        "the VPP stays up across CLI errors",
    ] {
        assert!(line_of(&text, later).ends_with("ERROR"), "{later}: {text}");
    }
    for test in [
        "test_unknown_command",
        "test_clear_trace",
        "test_alive_after_errors",
    ] {
        let msg = format!("VPP subprocess died unexpectedly while running TestCli.{test} with return code: -11 [SIGSEGV]");
        assert!(text.contains(&msg), "{msg}:\n{text}");
    }
    let inv = Inventory::of(&r);
    assert!(
        text.contains(&format!("{} passed; 3 failed", inv.count(all) - 3)),
        "{text}"
    );
    assert_eq!(r.launches(), inv.classes(all));
    r.assert_clean(&["suites.asf_cli.cli_inband"]);
}

#[test]
fn vpp_dying_at_start_is_reported_with_its_status_and_stderr() {
    let r = Run::new();
    let (out, text) = r.run(
        &["asf_"],
        &[
            ("FAKE_VPP_EXIT_AT_START", "3"),
            ("FAKE_VPP_FAULT_SCOPE", "basics"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("VPP died shortly after startup with return code: 3"),
        "{text}"
    );
    assert!(
        text.contains("exiting at start with status 3"),
        "stderr tail:\n{text}"
    );
    let inv = Inventory::of(&r);
    let api = inv.count(|n, _| n.starts_with("asf_api::"));
    assert!(
        text.contains(&format!("{} passed; {api} failed", inv.count(all) - api)),
        "{text}"
    );

    let r = Run::new();
    let (out, text) = r.run(&["asf_api::"], &[("FAKE_VPP_CRASH_AT_START", "SIGABRT")]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("VPP died shortly after startup with return code: -6 [SIGABRT]"),
        "{text}"
    );
    r.assert_clean(&["suites.asf_api.basics"]);
}

#[test]
fn slow_start_within_the_limit_passes_and_beyond_it_fails() {
    let r = Run::new();
    let (out, text) = r.run(&["asf_api::"], &[("FAKE_VPP_SOCKET_DELAY_MS", "300")]);
    assert!(out.status.success(), "{text}");

    let (out, text) = r.run(
        &["asf_api::"],
        &[
            ("FAKE_VPP_SOCKET_DELAY_MS", "5000"),
            ("ASF_START_TIMEOUT", "0.5"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("VPP did not become ready within 0.5 s"),
        "{text}"
    );
    r.assert_clean(&["suites.asf_api.basics"]);
}

#[test]
fn a_corrupt_stats_segment_is_an_error_not_a_crash() {
    let r = Run::new();
    let (out, text) = r.run_fixtures(&["corrupt_stats::"], &[]);
    assert!(out.status.success(), "{text}");
    assert!(
        line_of(&text, "the reader reports corruption").ends_with(" OK"),
        "{text}"
    );
    r.assert_clean(&[]);
}

#[test]
fn a_core_file_is_waited_for_and_backtraced() {
    let r = Run::new();
    let (out, text) = r.run(
        &["asf_cli::"],
        &[
            ("FAKE_VPP_CRASH_ON_CLI", "frobnicate"),
            ("FAKE_VPP_CRASH_SIGNAL", "SIGABRT"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("-6 [SIGABRT]"), "{text}");
    let dir = r.class_dir("suites.asf_cli.cli_inband");
    let log = r.class_log("suites.asf_cli.cli_inband");
    let cores: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("core"))
        .collect();
    let pattern = std::fs::read_to_string("/proc/sys/kernel/core_pattern").unwrap_or_default();
    if pattern.starts_with('|') {
        assert!(
            log.contains("dumped core to the handler of core_pattern"),
            "{log}"
        );
        return;
    }
    assert_eq!(cores.len(), 1, "one core file in the class dir");
    assert!(log.contains("coredump complete"), "{log}");
    if Command::new("gdb").arg("--version").output().is_ok() {
        assert!(log.contains("gdb backtrace of"), "{log}");
    }
    // The failed class is linked from the failed dir.
    assert!(r
        .base()
        .join("vpp-unittest-suites.asf_cli.cli_inband-FAILED")
        .exists());
    assert!(std::fs::read_to_string(r.base().join("failed_tests.txt"))
        .unwrap()
        .contains("asf_cli::cli_inband::test_unknown_command"));
    r.assert_clean(&["suites.asf_cli.cli_inband"]);
}

/// Runs `asf_cli::` (four tests: show clock, an unknown command `frobnicate`,
/// clear trace, alive after errors) with fake-vpp fault switches.
fn cli_class_with(r: &Run, env: &[(&str, &str)]) -> (Output, String) {
    let mut all_env = vec![("FAKE_VPP_FAULT_SCOPE", "cli_inband")];
    all_env.extend_from_slice(env);
    r.run(&["asf_cli::"], &all_env)
}

#[test]
fn a_vpp_that_stops_answering_costs_one_reply_timeout() {
    let r = Run::new();
    let (out, text) = r.run(
        &["asf_"],
        &[
            ("FAKE_VPP_HANG_ON_CLI", "frobnicate"),
            ("FAKE_VPP_FAULT_SCOPE", "cli_inband"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        line_of(&text, "show clock reports a clock").ends_with("OK"),
        "{text}"
    );
    assert!(
        line_of(&text, "an unknown command is").ends_with("ERROR"),
        "{text}"
    );
    assert!(text.contains("no reply to cli_inband within 5 s"), "{text}");
    // One control_ping (three reply limits) tells a hung VPP from a slow
    // one; the class's later tests then fail at once instead of each
    // waiting out the reply limit, and the hung VPP is stopped.
    for later in ["clear trace succeeds", "the VPP stays up across CLI errors"] {
        assert!(line_of(&text, later).ends_with("ERROR"), "{later}: {text}");
    }
    assert_eq!(
        text.matches("not run: the API connection to VPP broke earlier in this class (no reply to cli_inband within 5 s, and no reply to a control_ping within 15 s after it)").count(),
        2,
        "{text}"
    );
    let inv = Inventory::of(&r);
    assert!(
        text.contains(&format!("{} passed; 3 failed", inv.count(all) - 3)),
        "other classes unaffected:\n{text}"
    );
    r.assert_clean(&["suites.asf_cli.cli_inband"]);
}

#[test]
fn a_truncated_reply_fails_only_its_test() {
    let r = Run::new();
    let (out, text) = cli_class_with(&r, &[("FAKE_VPP_TRUNCATE_ON_CLI", "frobnicate")]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        line_of(&text, "an unknown command is").ends_with("ERROR"),
        "{text}"
    );
    assert!(
        text.contains(r#"Malformed { msg: "cli_inband_reply", problem: "needs 4 bytes at offset 4, only 2 left" }"#),
        "{text}"
    );
    // The framing is intact, so the connection goes on.
    for other in [
        "show clock reports a clock",
        "clear trace succeeds",
        "the VPP stays up across CLI errors",
    ] {
        assert!(line_of(&text, other).ends_with("OK"), "{other}: {text}");
    }
    assert!(text.contains("3 passed; 1 failed"), "{text}");
    r.assert_clean(&["suites.asf_cli.cli_inband"]);
}

#[test]
fn a_broken_frame_fails_its_test_and_stops_the_class() {
    let r = Run::new();
    let (out, text) = cli_class_with(&r, &[("FAKE_VPP_BAD_FRAME_ON_CLI", "frobnicate")]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        line_of(&text, "show clock reports a clock").ends_with("OK"),
        "{text}"
    );
    assert!(
        text.contains("malformed cli_inband: frame announces a body of 4294967295 bytes"),
        "{text}"
    );
    assert_eq!(
        text.matches("not run: the API connection to VPP broke earlier in this class")
            .count(),
        2,
        "{text}"
    );
    assert!(text.contains("1 passed; 3 failed"), "{text}");
    r.assert_clean(&["suites.asf_cli.cli_inband"]);
}

#[test]
fn an_unknown_message_id_is_set_aside_and_logged() {
    let r = Run::new();
    let (out, text) = cli_class_with(
        &r,
        &[
            ("FAKE_VPP_UNKNOWN_MSG_ON_CLI", "show clock"),
            ("ASF_KEEP_TMP", "yes"),
        ],
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains("4 passed; 0 failed"), "{text}");
    let log = r.class_log("suites.asf_cli.cli_inband");
    assert!(
        log.contains("message id 65520 is not in VPP's message table"),
        "{log}"
    );
    r.assert_no_leftovers();
}

#[test]
fn a_vpp_crash_on_the_nth_message_is_blamed_on_the_test_sending_it() {
    let r = Run::new();
    // As a real VPP dies: its handler's line, a core written for half a
    // second with the sockets open, then SIGABRT.
    let (out, text) = cli_class_with(
        &r,
        &[
            ("FAKE_VPP_CRASH_ON_MSG", CRASH_MSG),
            ("FAKE_VPP_CRASH_CORE_MS", "500"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        line_of(&text, "show clock reports a clock").ends_with("OK"),
        "{text}"
    );
    assert!(
        text.contains("VPP subprocess died unexpectedly while running TestCli.test_unknown_command with return code: -6 [SIGABRT]"),
        "{text}"
    );
    assert!(!text.contains("during tear-down"), "{text}");
    assert!(text.contains("1 passed; 3 failed"), "{text}");
    r.assert_clean(&["suites.asf_cli.cli_inband"]);
}

/// The API message the asf_cli class sends in `test_unknown_command`'s
/// body (the handshake, the capability checks, set-up and tear-down of
/// `test_show_clock`, then `clear trace` of the next set-up come first).
const CRASH_MSG: &str = "12";

#[test]
fn a_vpp_crash_during_tear_down_fails_the_class() {
    let r = Run::new();
    let (out, text) = cli_class_with(&r, &[("FAKE_VPP_CRASH_AT_EXIT", "1")]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for t in [
        "show clock reports a clock",
        "an unknown command is",
        "clear trace succeeds",
        "the VPP stays up across CLI errors",
    ] {
        assert!(line_of(&text, t).ends_with("OK"), "{t}: {text}");
    }
    assert!(
        text.contains("VPP crashed during tear-down with return code: -11 [SIGSEGV]"),
        "{text}"
    );
    r.assert_clean(&["suites.asf_cli.cli_inband"]);
}

#[test]
fn a_vpp_ignoring_sigterm_is_killed() {
    let r = Run::new();
    let (out, text) = cli_class_with(
        &r,
        &[("FAKE_VPP_IGNORE_SIGTERM", "1"), ("ASF_KEEP_TMP", "yes")],
    );
    assert!(out.status.success(), "{text}");
    let log = r.class_log("suites.asf_cli.cli_inband");
    assert!(
        log.contains("VPP ignored SIGTERM for 5s; sending SIGKILL"),
        "{log}"
    );
    assert!(
        log.contains("VPP exited with return code: -9 [SIGKILL]"),
        "{log}"
    );
    r.assert_no_leftovers();
}

#[test]
fn a_vpp_that_never_creates_its_socket_fails_at_the_start_limit() {
    let r = Run::new();
    let (out, text) = cli_class_with(
        &r,
        &[("FAKE_VPP_NO_SOCKET", "1"), ("ASF_START_TIMEOUT", "1")],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("VPP did not become ready within 1 s"),
        "{text}"
    );
    assert!(text.contains("0 passed; 4 failed"), "{text}");
    r.assert_clean(&["suites.asf_cli.cli_inband"]);
}

#[test]
fn a_vpp_dying_as_vpp_does_is_blamed_on_the_running_test_not_the_tear_down() {
    // VPP's handler prints, writes a core with its sockets still open, and
    // the sockets close a moment before the process can be reaped: the
    // death is the running test's, with VPP's wording and SIGABRT.
    let r = Run::new();
    let started = Instant::now();
    let (out, text) = cli_class_with(
        &r,
        &[
            ("FAKE_VPP_CRASH_ON_CLI", "frobnicate"),
            ("FAKE_VPP_CRASH_CORE_MS", "1500"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        line_of(&text, "show clock reports a clock").ends_with("OK"),
        "{text}"
    );
    assert!(
        text.contains("VPP subprocess died unexpectedly while running TestCli.test_unknown_command with return code: -6 [SIGABRT]"),
        "{text}"
    );
    assert!(!text.contains("during tear-down"), "{text}");
    assert!(!text.contains("ERROR: class"), "{text}");
    assert!(text.contains("1 passed; 3 failed"), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    r.assert_clean(&["suites.asf_cli.cli_inband"]);
}

#[test]
fn compress_core_packs_the_core_after_its_backtrace() {
    let pattern = std::fs::read_to_string("/proc/sys/kernel/core_pattern").unwrap_or_default();
    if pattern.starts_with('|') {
        eprintln!("skipped: cores go to a core_pattern handler here");
        return;
    }
    let r = Run::new();
    let (out, text) = r.run(
        &["asf_cli::", "--compress-core"],
        &[
            ("FAKE_VPP_CRASH_ON_CLI", "frobnicate"),
            ("FAKE_VPP_CRASH_SIGNAL", "SIGABRT"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    let dir = r.class_dir("suites.asf_cli.cli_inband");
    let log = r.class_log("suites.asf_cli.cli_inband");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("core"))
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(
        names[0].ends_with(".gz") || names[0].ends_with(".zst"),
        "{names:?}"
    );
    // The backtrace came first, from the plain core.
    let bt = log.find("gdb backtrace of").or(log.find("no gdb to print"));
    let packed = log.find("core compressed with").expect("compressed");
    assert!(bt.is_some_and(|b| b < packed), "{log}");
    r.assert_clean(&["suites.asf_cli.cli_inband"]);
}

/// The two ways a dying VPP's sockets close: a clean close (the client reads
/// end of file) and a reset (the process dies with request bytes unread in
/// its socket, so the client's read gets ECONNRESET or its write EPIPE).
const CLOSES: [&str; 2] = ["fin", "reset"];

#[test]
fn a_vpp_dying_in_a_plain_request_is_blamed_on_it_whether_it_closes_or_resets() {
    for close in CLOSES {
        let r = Run::new();
        let (out, text) = cli_class_with(
            &r,
            &[
                ("FAKE_VPP_CRASH_ON_MSG", CRASH_MSG),
                ("FAKE_VPP_CRASH_CORE_MS", "300"),
                ("FAKE_VPP_CRASH_CLOSE", close),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{close}: {text}");
        assert!(
            line_of(&text, "show clock reports a clock").ends_with("OK"),
            "{close}: {text}"
        );
        for test in [
            "test_unknown_command",
            "test_clear_trace",
            "test_alive_after_errors",
        ] {
            let msg = format!("VPP subprocess died unexpectedly while running TestCli.{test} with return code: -6 [SIGABRT]");
            assert!(text.contains(&msg), "{close}: {msg}\n{text}");
        }
        assert!(!text.contains("api socket i/o failed"), "{close}: {text}");
        assert!(!text.contains("during tear-down"), "{close}: {text}");
        assert!(!text.contains("ERROR: class"), "{close}: {text}");
        assert!(text.contains("1 passed; 3 failed"), "{close}: {text}");
        r.assert_clean(&["suites.asf_cli.cli_inband"]);
    }
}

#[test]
fn a_vpp_dying_in_a_dump_is_blamed_on_the_dumping_test_whether_it_closes_or_resets() {
    for close in CLOSES {
        let r = Run::new();
        let (out, text) = r.run(
            &["asf_interface::interfaces::test_loopback_typed", "--exact"],
            &[
                ("FAKE_VPP_FAULT_SCOPE", "asf_interface"),
                ("FAKE_VPP_CRASH_ON_API", "sw_interface_dump"),
                ("FAKE_VPP_CRASH_CORE_MS", "300"),
                ("FAKE_VPP_CRASH_CLOSE", close),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{close}: {text}");
        assert!(
            text.contains("VPP subprocess died unexpectedly while running TestInterface.test_loopback_typed with return code: -6 [SIGABRT]"),
            "{close}: {text}"
        );
        assert!(!text.contains("api socket i/o failed"), "{close}: {text}");
        assert!(!text.contains("during tear-down"), "{close}: {text}");
        assert!(!text.contains("ERROR: class"), "{close}: {text}");
        r.assert_clean(&["suites.asf_interface.interfaces"]);
    }
}

#[test]
fn a_vpp_dying_past_a_cli_reply_limit_is_blamed_on_the_waiting_test() {
    // `kill -SEGV` four seconds into test_long_cli_delay's `wait 10`, and a
    // core that takes three: the 5 s reply limit runs out while VPP writes
    // its core, the test's control_ping waits unread in VPP's socket, and
    // VPP's death resets the connection (or, with fin, closes it).
    for close in CLOSES {
        let r = Run::new();
        let started = Instant::now();
        let (out, text) = r.run(
            &["test_cli::cli::"],
            &[
                ("FAKE_VPP_FAULT_SCOPE", "test_cli.cli"),
                ("FAKE_VPP_CRASH_ON_CLI", "wait 10"),
                ("FAKE_VPP_CRASH_DELAY_MS", "4000"),
                ("FAKE_VPP_CRASH_CORE_MS", "3000"),
                ("FAKE_VPP_CRASH_CLOSE", close),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{close}: {text}");
        assert!(
            line_of(&text, "CLI inband retval").ends_with("OK"),
            "{close}: {text}"
        );
        for test in ["test_long_cli_delay", "test_long_cli_delay_override"] {
            let msg = format!("VPP subprocess died unexpectedly while running TestCLI.{test} with return code: -6 [SIGABRT]");
            assert!(text.contains(&msg), "{close}: {msg}\n{text}");
        }
        assert!(!text.contains("api socket i/o failed"), "{close}: {text}");
        assert!(!text.contains("during tear-down"), "{close}: {text}");
        assert!(!text.contains("ERROR: class"), "{close}: {text}");
        assert!(text.contains("1 passed; 2 failed"), "{close}: {text}");
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "{:?}",
            started.elapsed()
        );
        r.assert_clean(&["suites.test_cli.cli"]);
    }
}

#[test]
fn a_stats_socket_that_refuses_while_vpp_dies_blames_the_test() {
    // The stand-in shuts its sockets down 100 ms into dying and lives on
    // for 6 s more: the test's stats connect is refused, and the runner
    // waits for the process instead of giving up after its retries.
    let r = Run::new();
    let (out, text) = r.run_fixtures(
        &["stats_hangup::"],
        &[
            ("FAKE_VPP_FAULT_SCOPE", "stats_hangup"),
            ("FAKE_VPP_CRASH_ON_CLI", "show clock"),
            ("FAKE_VPP_CRASH_DELAY_MS", "0"),
            ("FAKE_VPP_CRASH_CORE_MS", "100"),
            ("FAKE_VPP_CRASH_EXIT_MS", "6000"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    for test in ["test_stats_while_dying", "test_z_later"] {
        let msg = format!("VPP subprocess died unexpectedly while running TestStatsHangup.{test} with return code: -6 [SIGABRT]");
        assert!(text.contains(&msg), "{msg}\n{text}");
    }
    assert!(!text.contains("ERROR: class"), "{text}");
    // The refusal itself, not a later API call, started the wait.
    let log = r.class_log("fixtures.stats_hangup");
    assert!(
        log.contains("VPP closed its socket (connection refused): waiting for its process to end"),
        "{log}"
    );
    r.assert_clean(&["fixtures.stats_hangup"]);
}
