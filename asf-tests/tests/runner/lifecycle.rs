//! Processes and files: one VPP per class, signals, temp dirs, host
//! objects, and nothing left behind.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

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
