//! Drives the `suites` test binary as a user would, against the stand-in
//! VPP, and checks what the run does: VPPs booted, skips, filters, faults,
//! exit codes, and that no process outlives the run.
#![forbid(unsafe_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The newest `<name>-*` test binary beside this one.
fn test_bin(prefix: &str) -> PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    std::fs::read_dir(&deps)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with(prefix)
                && p.extension().is_none()
                && p.metadata()
                    .is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
        })
        .max_by_key(|p| p.metadata().unwrap().modified().unwrap())
        .unwrap_or_else(|| panic!("the {prefix}* test binary is built with this test"))
}

/// The test binary `name`, failing with a clear message when it predates
/// this one (`cargo test --test runner` builds only this target).
fn fresh_bin(name: &str) -> PathBuf {
    let bin = test_bin(&format!("{name}-"));
    let me = std::env::current_exe().unwrap();
    let age = |p: &PathBuf| p.metadata().unwrap().modified().unwrap();
    assert!(
        age(&bin) + Duration::from_secs(600) >= age(&me),
        "{} is older than this test binary: run `cargo test -p asf-tests` so both are rebuilt",
        bin.display()
    );
    bin
}

fn fake_vpp() -> PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let bin = deps.parent().unwrap().join("fake-vpp");
    assert!(
        bin.exists(),
        "{} missing: run `cargo build -p asf-fake-vpp` (cargo test --workspace does)",
        bin.display()
    );
    bin
}

struct Run {
    tmp: tempfile::TempDir,
    launches: PathBuf,
    wrapper: PathBuf,
}

impl Run {
    /// A fresh temp base and a VPP_BIN wrapper that counts launches.
    fn new() -> Run {
        let tmp = tempfile::tempdir().unwrap();
        let launches = tmp.path().join("launches");
        let wrapper = tmp.path().join("vpp-wrapper");
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\necho launch >> '{}'\nexec '{}' \"$@\"\n",
                launches.display(),
                fake_vpp().display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
        Run {
            tmp,
            launches,
            wrapper,
        }
    }

    fn base(&self) -> PathBuf {
        self.tmp.path().join("base")
    }

    fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        self.command_of("suites", args, env)
    }

    fn command_of(&self, bin: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(fresh_bin(bin));
        cmd.args(args)
            .env_remove("VPP_EXTRA_CMAKE_ARGS")
            .env_remove("ASF_TAG")
            .env_remove("ASF_SKIP_TAG")
            .env_remove("TAG")
            .env_remove("WS_ROOT")
            .env("VPP_BIN", &self.wrapper)
            .env("ASF_TMP_DIR", self.base())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> (Output, String) {
        self.run_of("suites", args, env)
    }

    /// Runs the fixtures binary (classes that fail on purpose), which runs
    /// nothing without `ASF_RUN_FIXTURES=1`.
    fn run_fixtures(&self, args: &[&str], env: &[(&str, &str)]) -> (Output, String) {
        let mut all_env = vec![("ASF_RUN_FIXTURES", "1")];
        all_env.extend_from_slice(env);
        self.run_of("fixtures", args, &all_env)
    }

    fn run_of(&self, bin: &str, args: &[&str], env: &[(&str, &str)]) -> (Output, String) {
        let out = self.command_of(bin, args, env).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out, text)
    }

    fn launches(&self) -> usize {
        std::fs::read_to_string(&self.launches)
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }

    /// Processes whose command line mentions this run's temp dir.
    fn leftovers(&self) -> Vec<String> {
        let needle = self.tmp.path().to_string_lossy().into_owned();
        let me = std::process::id().to_string();
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .chars()
                    .all(|c| c.is_ascii_digit())
            })
            .filter(|e| e.file_name().to_string_lossy() != me)
            .filter_map(|e| {
                let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
                let text = String::from_utf8_lossy(&cmdline).replace('\0', " ");
                text.contains(&needle)
                    .then(|| format!("{}: {text}", e.file_name().to_string_lossy()))
            })
            .collect()
    }

    /// The temp dir of a class: `suites.asf_cli.cli_inband` ...
    fn class_dir(&self, class: &str) -> PathBuf {
        self.base().join(format!("vpp-unittest-{class}"))
    }

    /// The `log.txt` of a class.
    fn class_log(&self, class: &str) -> String {
        let path = self.class_dir(class).join("log.txt");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// No process of this run is left, and the temp base holds only the
    /// artifacts of the classes in `failed` (`asf_cli.cli_inband` ...): the
    /// class dir (VPP's sockets included), its lock and its -FAILED link.
    fn assert_clean(&self, failed: &[&str]) {
        self.assert_no_leftovers();
        assert_eq!(
            self.shm_files(),
            Vec::<String>::new(),
            "API segment files left in /dev/shm"
        );
        let mut left: Vec<String> = std::fs::read_dir(self.base())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("vpp-unittest-"))
            .collect();
        left.sort();
        let mut kept: Vec<String> = failed
            .iter()
            .flat_map(|c| {
                let dir = format!("vpp-unittest-{c}");
                [format!("{dir}-FAILED"), format!("{dir}.lock"), dir]
            })
            .collect();
        kept.sort();
        assert_eq!(left, kept, "what the temp base holds");
    }

    /// The `/dev/shm` files of this run's VPPs (their API segment prefix
    /// carries a hash of this run's temp base).
    fn shm_files(&self) -> Vec<String> {
        let probe = asf_core::vpp::startup::api_prefix(&self.base().join("x"));
        let hash = probe.rsplit('-').next().unwrap_or_default().to_string();
        let mut names: Vec<String> = std::fs::read_dir("/dev/shm")
            .into_iter()
            .flatten()
            .flatten()
            .map(|f| f.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("vpp-unittest-") && n.contains(&format!("-{hash}-")))
            .collect();
        names.sort();
        names
    }

    fn assert_no_leftovers(&self) {
        // Reaping is asynchronous for processes killed by PDEATHSIG.
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.leftovers().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(
            self.leftovers(),
            Vec::<String>::new(),
            "processes left behind"
        );
    }
}

/// What the suites binary holds, from its pretty `--list`: every test with
/// its tags.
struct Inventory {
    tests: Vec<(String, String)>,
}

impl Inventory {
    /// asf's own suites (`asf_*`): they run fully on the stand-in.
    fn of(r: &Run) -> Inventory {
        Inventory::listing(r, &["--list", "asf_"])
    }

    /// Every suite, the ports of VPP's included (most skip on the stand-in).
    fn everything(r: &Run) -> Inventory {
        Inventory::listing(r, &["--list"])
    }

    fn listing(r: &Run, args: &[&str]) -> Inventory {
        let (out, text) = r.run(args, &[]);
        assert!(out.status.success(), "{text}");
        let tests = text
            .lines()
            .filter_map(|l| l.strip_suffix(": test"))
            .map(|l| match l.strip_prefix('[') {
                Some(rest) => {
                    let (tags, name) = rest.split_once("] ").unwrap();
                    (name.to_string(), tags.to_string())
                }
                None => (l.to_string(), String::new()),
            })
            .collect();
        Inventory { tests }
    }

    fn count(&self, pred: impl Fn(&str, &str) -> bool) -> usize {
        self.tests.iter().filter(|(n, t)| pred(n, t)).count()
    }

    /// Distinct classes (`file::class`) among the tests matching `pred`.
    fn classes(&self, pred: impl Fn(&str, &str) -> bool) -> usize {
        let mut c: Vec<String> = self
            .tests
            .iter()
            .filter(|(n, t)| pred(n, t))
            .map(|(n, _)| n.rsplit_once("::").unwrap().0.to_string())
            .collect();
        c.dedup();
        c.len()
    }
}

fn all(_: &str, _: &str) -> bool {
    true
}

fn has_tag(tag: &'static str) -> impl Fn(&str, &str) -> bool {
    move |_, tags| tags.split(',').any(|t| t == tag)
}

fn line_of<'a>(text: &'a str, description: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(description))
        .unwrap_or_else(|| panic!("no line for {description:?} in:\n{text}"))
}

#[test]
fn boots_one_vpp_per_class_and_leaves_nothing() {
    let r = Run::new();
    let (out, text) = r.run(&["asf_"], &[("ASF_KEEP_TMP", "yes")]);
    assert!(out.status.success(), "{text}");
    let inv = Inventory::of(&r);
    assert_eq!(r.launches(), inv.classes(all), "one VPP per class:\n{text}");
    assert!(
        text.contains(&format!(
            "test result: ok. {} passed; 0 failed; 0 ignored",
            inv.count(all)
        )),
        "{text}"
    );
    assert!(text.contains("SOLO RUN: Timing-sensitive checks"), "{text}");
    assert!(
        text.contains("VPP with a worker thread [1 worker thread]"),
        "{text}"
    );
    // The solo class runs after every other class.
    let solo = text.find("SOLO RUN").unwrap();
    for other in [
        "Binary API basics",
        "CLI through the binary API",
        "VPP with a worker thread",
    ] {
        assert!(
            text.find(other).unwrap() < solo,
            "{other} after the solo class:\n{text}"
        );
    }
    let log = r.class_log("suites.asf_api.basics");
    assert!(
        log.contains("--- test setUp() for TestApi.test_control_ping_pid starts here ---"),
        "{log}"
    );
    assert!(log.contains("vpp_cmdline args"), "{log}");
    r.assert_no_leftovers();
}

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
fn classes_that_passed_leave_no_temp_dirs() {
    let r = Run::new();
    let (out, text) = r.run(&["asf_"], &[]);
    assert!(out.status.success(), "{text}");
    assert!(r.launches() >= 2, "{text}");
    r.assert_clean(&[]);
    // A failed class keeps its dir (and its -FAILED link) next to the
    // passing ones that went.
    let (out, text) = r.run(&["asf_"], &[("FAKE_VPP_CRASH_ON_CLI", "frobnicate")]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(r
        .class_dir("suites.asf_cli.cli_inband")
        .join("log.txt")
        .exists());
    r.assert_clean(&["suites.asf_cli.cli_inband"]);
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
fn missing_or_bad_configuration_is_a_clear_error() {
    let r = Run::new();
    let (out, text) = r.run(&[], &[("VPP_BIN", "/nonexistent/vpp")]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("VPP_BIN \"/nonexistent/vpp\" does not exist; set VPP_BIN"),
        "{text}"
    );
    let (out, text) = r.run(&[], &[("VPP_WORKER_COUNT", "many")]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("VPP_WORKER_COUNT=\"many\" is not valid: a non-negative integer"),
        "{text}"
    );
    assert_eq!(r.launches(), 0);
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
fn sigint_stops_the_run_and_its_vpps() {
    let r = Run::new();
    let child = r
        .command(&[], &[("FAKE_VPP_SOCKET_DELAY_MS", "30000")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while r.launches() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    let before = r.launches();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(130), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert!(text.contains("interrupted"), "{text}");
    assert_eq!(r.launches(), before, "no class starts after the interrupt");
    r.assert_no_leftovers();
}

#[test]
fn sigkill_of_the_harness_takes_its_vpps_along() {
    let r = Run::new();
    let mut child = r
        .command(&[], &[("FAKE_VPP_SOCKET_DELAY_MS", "30000")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while r.launches() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    assert!(!r.leftovers().is_empty(), "a VPP should be running now");
    assert!(
        !r.shm_files().is_empty(),
        "its API segment files should be there"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    r.assert_no_leftovers();
    // The class processes, told by the kernel (SIGTERM), killed their VPPs
    // and removed their API segment files.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !r.shm_files().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        r.shm_files(),
        Vec::<String>::new(),
        "API segment files left"
    );
}

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
fn two_runs_at_once_with_one_temp_base_both_pass() {
    let r = Run::new();
    let spawn = || {
        r.command(&["asf_api::"], &[("FAKE_VPP_SOCKET_DELAY_MS", "200")])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let n = Inventory::of(&r).count(|n, _| n.starts_with("asf_api::"));
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}");
        assert!(text.contains(&format!("{n} passed; 0 failed")), "{text}");
    }
    assert_eq!(r.launches(), 2);
    r.assert_clean(&[]);
}

#[test]
fn api_definitions_from_files_and_a_bad_file_named_in_the_error() {
    let r = Run::new();
    let api = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../asf-core/api");
    let (out, text) = r.run(
        &["asf_interface::"],
        &[("ASF_API_DIR", api.to_str().unwrap())],
    );
    assert!(out.status.success(), "{text}");

    let bad = r.tmp.path().join("extern-api");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("myplugin.api.json"),
        r#"{"messages": [["my_msg", ["u16", "_vl_msg_id"]]]}"#,
    )
    .unwrap();
    let (out, text) = r.run(
        &["asf_interface::interfaces::test_loopback_dynamic"],
        &[("EXTERN_APIDIR", bad.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("myplugin.api.json\": messages.my_msg: no \"crc\""),
        "{text}"
    );

    let (out, text) = r.run(&[], &[("EXTERN_APIDIR", "/nonexistent/api")]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("EXTERN_APIDIR=\"/nonexistent/api\" is not valid"),
        "{text}"
    );
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
fn junit_and_events_list_skip_reasons() {
    let r = Run::new();
    let junit = r.tmp.path().join("junit.xml");
    let events = r.tmp.path().join("events.jsonl");
    let (out, text) = r.run(
        &[
            "asf_",
            "--junit",
            junit.to_str().unwrap(),
            "--events",
            events.to_str().unwrap(),
        ],
        &[("VPP_EXTRA_CMAKE_ARGS", "-DVPP_ENABLE_SANITIZE_ADDR=ON")],
    );
    assert!(out.status.success(), "{text}");
    let parsed = Command::new("python3")
        .args(["-c", "import sys, xml.etree.ElementTree as ET; r = ET.parse(sys.argv[1]).getroot(); s = [e.get('message') for e in r.iter('skipped')]; print(len(list(r.iter('testsuite'))), len(s), all('fixme_asan' in m for m in s))", junit.to_str().unwrap()])
        .output()
        .unwrap();
    let inv = Inventory::of(&r);
    let expect = format!(
        "{} {} True",
        inv.classes(all),
        inv.count(has_tag("fixme_asan"))
    );
    assert_eq!(
        String::from_utf8_lossy(&parsed.stdout).trim(),
        expect,
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&events)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), inv.count(all));
    assert!(lines
        .iter()
        .any(|e| e["status"] == "skip" && e["message"].as_str().unwrap().contains("ASan")));
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

#[test]
fn debug_attach_uses_a_running_vpp_and_leaves_it_running() {
    let r = Run::new();
    let dir = r.tmp.path().join("running-vpp");
    std::fs::create_dir_all(&dir).unwrap();
    let d = dir.to_str().unwrap();
    let mut vpp = Command::new(fake_vpp())
        .args(["unix", "{", "nodaemon", "runtime-dir", d, "}"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while std::os::unix::net::UnixStream::connect(dir.join("api.sock")).is_err() {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(20));
    }
    let (out, text) = r.run(
        &["asf_api::"],
        &[("DEBUG", "attach"), ("VPP_SOCKET_DIR", d)],
    );
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&format!("Attached to VPP with PID {}", vpp.id())),
        "{text}"
    );
    assert_eq!(r.launches(), 0, "attach starts no VPP");
    assert!(
        vpp.try_wait().unwrap().is_none(),
        "the attached VPP keeps running"
    );
    let _ = vpp.kill();
    let _ = vpp.wait();

    let (out, text) = r.run(&[], &[("DEBUG", "gdbb")]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("DEBUG=\"gdbb\" is not valid: one of gdb, gdbserver, attach, core"),
        "{text}"
    );
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
fn temp_dirs_are_private_and_planted_symlinks_are_not_followed() {
    use std::os::unix::fs::MetadataExt;
    let r = Run::new();
    let victim = r.tmp.path().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("precious"), "keep me").unwrap();
    std::fs::create_dir_all(r.base()).unwrap();
    // Planted where the class dir goes: replaced, never followed.
    let dir = r.class_dir("suites.asf_cli.cli_inband");
    let lock_path = r.base().join("vpp-unittest-suites.asf_cli.cli_inband.lock");
    std::os::unix::fs::symlink(&victim, &dir).unwrap();
    let (out, text) = r.run(&["asf_cli::"], &[("ASF_KEEP_TMP", "yes")]);
    assert!(out.status.success(), "{text}");
    assert_eq!(
        std::fs::read_to_string(victim.join("precious")).unwrap(),
        "keep me"
    );
    assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 1);
    let meta = std::fs::symlink_metadata(&dir).unwrap();
    assert!(meta.is_dir(), "a real directory replaced the link");
    assert_eq!(meta.mode() & 0o777, 0o700);
    let lock = std::fs::symlink_metadata(&lock_path).unwrap();
    assert_eq!(lock.mode() & 0o777, 0o600);

    // Planted in place of the lock file: O_NOFOLLOW refuses it, the class
    // fails with the path named, and the target is untouched.
    std::fs::remove_file(&lock_path).unwrap();
    std::os::unix::fs::symlink(victim.join("precious"), &lock_path).unwrap();
    let (out, text) = r.run(&["asf_cli::"], &[]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("vpp-unittest-suites.asf_cli.cli_inband.lock"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(victim.join("precious")).unwrap(),
        "keep me"
    );
    r.assert_no_leftovers();
}

/// Network namespaces and interfaces named in `record` that still exist.
fn host_objects_left(names: &[String]) -> Vec<String> {
    let netns = Command::new("ip").args(["netns", "list"]).output().unwrap();
    let netns = String::from_utf8_lossy(&netns.stdout).into_owned();
    let links = Command::new("ip")
        .args(["-o", "link", "show"])
        .output()
        .unwrap();
    let links = String::from_utf8_lossy(&links.stdout).into_owned();
    names
        .iter()
        .filter(|n| {
            netns
                .lines()
                .any(|l| l.split_whitespace().next() == Some(n.as_str()))
                || links.lines().any(|l| {
                    l.split(':')
                        .nth(1)
                        .is_some_and(|f| f.trim().split('@').next() == Some(n.as_str()))
                })
        })
        .cloned()
        .collect()
}

#[test]
fn host_objects_of_a_killed_class_and_of_an_earlier_run_are_removed() {
    if !nix::unistd::geteuid().is_root()
        || Command::new("ip").arg("-V").output().is_err()
        || Command::new("ip")
            .args(["netns", "add", "asfprobe"])
            .status()
            .map_or(true, |s| !s.success())
    {
        eprintln!("skipped: needs root, iproute2 and network namespaces");
        return;
    }
    let _ = Command::new("ip")
        .args(["netns", "del", "asfprobe"])
        .status();
    let r = Run::new();
    let record = r.tmp.path().join("host-objects-made");
    // What an earlier run killed with SIGKILL left: a namespace in the
    // class's record.
    let stale = format!("asf{}stale", std::process::id());
    assert!(Command::new("ip")
        .args(["netns", "add", &stale])
        .status()
        .unwrap()
        .success());
    let class_dir = r.base().join("vpp-unittest-fixtures.host_objects");
    std::fs::create_dir_all(&class_dir).unwrap();
    std::fs::write(
        class_dir.join("host-objects.txt"),
        format!("class netns {stale}\n"),
    )
    .unwrap();

    let (out, text) = r.run_fixtures(
        &["host_objects::"],
        &[("FIXTURE_HOST_RECORD", record.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("timed out after 3 s"), "{text}");
    let made: Vec<String> = std::fs::read_to_string(&record)
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect();
    // The class namespace, the test's namespace and the veth pair.
    assert_eq!(made.len(), 3, "{made:?}\n{text}");
    let mut all = made.clone();
    all.push(stale);
    assert_eq!(host_objects_left(&all), Vec::<String>::new(), "{text}");
    r.assert_clean(&["fixtures.host_objects"]);
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
        text.contains("[oversubscribed: 1 helper slot(s) share 1 CPU(s) with VPP]"),
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
fn a_class_that_passes_again_drops_its_stale_failed_link() {
    let r = Run::new();
    let marker = r.tmp.path().join("flaky-marker");
    let env = [("FIXTURE_FLAKY_MARKER", marker.to_str().unwrap())];
    let link = r.base().join("vpp-unittest-fixtures.flaky-FAILED");
    let failed_list = r.base().join("failed_tests.txt");
    let (out, text) = r.run_fixtures(&["flaky::"], &env);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(std::fs::symlink_metadata(&link).is_ok(), "{text}");
    assert!(std::fs::read_to_string(&failed_list)
        .unwrap()
        .contains("test_flaky"));
    // As VPP's framework counts: both tests started.
    assert!(text.contains("Executed tests: 2"), "{text}");
    let (out, text) = r.run_fixtures(&["flaky::"], &env);
    assert!(out.status.success(), "{text}");
    assert!(
        std::fs::symlink_metadata(&link).is_err(),
        "stale link left:\n{text}"
    );
    assert!(
        !failed_list.exists(),
        "failed_tests.txt names an old failure"
    );
    r.assert_clean(&[]);
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

/// Debian's Chromium, installed when missing if the run asks for it
/// (`ASF_REQUIRE_CHROMIUM=1`, set by `.ci/run`, as root); None otherwise.
fn chromium() -> Option<String> {
    let find = || {
        ["chromium", "chromium-browser", "google-chrome"]
            .into_iter()
            .find(|b| {
                Command::new(b)
                    .arg("--version")
                    .output()
                    .is_ok_and(|o| o.status.success())
            })
            .map(String::from)
    };
    if let Some(b) = find() {
        return Some(b);
    }
    if std::env::var("ASF_REQUIRE_CHROMIUM").as_deref() == Ok("1") {
        assert!(
            nix::unistd::geteuid().is_root(),
            "ASF_REQUIRE_CHROMIUM=1: install Debian's chromium package"
        );
        let ok = Command::new("sh")
            .args([
                "-c",
                "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null",
            ])
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "ASF_REQUIRE_CHROMIUM=1: apt-get install chromium failed"
        );
        return find();
    }
    None
}

#[test]
fn the_html_report_renders_a_bar_per_class_and_lists_the_failures() {
    let r = Run::new();
    let report = r.tmp.path().join("report").join("asf.html");
    let (out, text) = r.run_fixtures(&["verdicts::", "--html", report.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let page = std::fs::read_to_string(&report).unwrap();
    assert!(page.contains("<svg id=timeline"), "no timeline");
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "external assets"
    );
    let Some(browser) = chromium() else {
        eprintln!("skipped the rendering: no Chromium (Debian package chromium)");
        return;
    };
    let profile = r.tmp.path().join("chromium-profile");
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let url = format!("file://{}", report.display());
    let dom = Command::new(&browser)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--dump-dom", &url])
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    // One class ran: its bar is there (once per CPU it held).
    let bars: std::collections::BTreeSet<&str> = dom
        .split("data-class=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(
        bars.into_iter().collect::<Vec<_>>(),
        vec!["verdicts"],
        "{dom}"
    );
    // The failures section lists the failed tests.
    let failures = dom.split("id=\"failures\"").nth(1).unwrap_or_default();
    for t in ["test_panics", "test_returns_error", "test_unexpected_pass"] {
        assert!(failures.contains(t), "{t} not in the failures:\n{dom}");
    }
    // A screenshot for people to look at.
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("asf-report.png");
    let status = Command::new(&browser)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .args(["--window-size=1400,1100", &url])
        .output()
        .unwrap();
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}
