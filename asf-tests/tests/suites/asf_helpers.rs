use asf_core::helper::Helper;
use asf_core::{vpp_test, TestCase, TestResult};
use std::time::Duration;

/// Helper programs started by tests
#[vpp_test(name = "TestHelpers")]
mod helpers {
    use super::*;

    /// a helper's exit code and output come back; its environment is its own
    #[vpp_test]
    fn test_helper_output(t: &mut TestCase) -> TestResult {
        let out = t.run_helper(Helper::new("/usr/bin/env").env("ASF_HELPER_PROBE", "42"))?;
        assert_eq!(out.code, Some(0));
        assert!(
            out.stdout.lines().any(|l| l == "ASF_HELPER_PROBE=42"),
            "{}",
            out.stdout
        );
        let out = t.run_helper(Helper::new("/bin/sh").args(["-c", "exit 3"]))?;
        assert_eq!(out.code, Some(3));
        Ok(())
    }

    /// a helper past its time limit is killed and the test errors
    #[vpp_test]
    fn test_helper_timeout(t: &mut TestCase) -> TestResult {
        let start = std::time::Instant::now();
        let err = t
            .run_helper(
                Helper::new("/bin/sleep")
                    .args(["30"])
                    .timeout(Duration::from_millis(300)),
            )
            .expect_err("the helper must be stopped");
        assert!(err.to_string().contains("did not finish in 0 s"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(5));
        Ok(())
    }

    /// a missing VPP test program is a skip that says where it was looked for
    #[vpp_test]
    fn test_missing_program(t: &mut TestCase) -> TestResult {
        let err = t
            .vpp_program("no_such_vpp_test_program")
            .expect_err("not there");
        let skip = err.downcast_ref::<asf_core::Skip>().expect("a Skip");
        assert!(
            skip.0.contains("no_such_vpp_test_program") && skip.0.contains("VPP_BUILD_DIR"),
            "{skip}"
        );
        Ok(())
    }

    /// a background helper runs beside the test; waiting, terminating and killing reach it
    #[vpp_test]
    fn test_background_helper(t: &mut TestCase) -> TestResult {
        // One that ends by itself.
        let mut quick = t.start_helper(Helper::new("/bin/sh").args(["-c", "echo up; exit 4"]))?;
        let exit = quick
            .wait_timeout(Duration::from_secs(10))?
            .expect("it ends");
        assert_eq!((exit.code, exit.stdout.as_str()), (Some(4), "up\n"));
        // One that runs until told: still running after a short wait,
        // then SIGTERM reaches it.
        let mut server = t.start_helper(Helper::new("/bin/sleep").args(["30"]))?;
        assert!(server.wait_timeout(Duration::from_millis(200))?.is_none());
        assert!(server.is_running());
        let exit = server.terminate()?;
        assert_eq!(exit.signal, Some(15), "{exit:?}");
        // SIGKILL reaches the whole process group (a shell's child too).
        let group = t.start_helper(Helper::new("/bin/sh").args(["-c", "sleep 30 & wait"]))?;
        let exit = group.kill()?;
        assert_eq!(exit.signal, Some(9), "{exit:?}");
        // Past its own limit it is killed at the next wait, an error.
        let mut slow = t.start_helper(
            Helper::new("/bin/sleep")
                .args(["30"])
                .timeout(Duration::from_millis(300)),
        )?;
        let err = slow
            .wait_timeout(Duration::from_secs(10))
            .expect_err("past its limit");
        assert!(err.to_string().contains("did not finish"), "{err}");
        Ok(())
    }

    /// a background helper left running is killed when its handle goes, also by a panic
    #[vpp_test]
    fn test_background_helper_dropped(t: &mut TestCase) -> TestResult {
        let h = t.start_helper(Helper::new("/bin/sleep").args(["30"]))?;
        let pid = nix::unistd::Pid::from_raw(h.pid() as i32);
        let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            let _h = h;
            panic!("the test fails while its helper runs");
        }));
        assert!(unwound.is_err());
        // Killed and reaped: the pid is gone.
        assert_eq!(
            nix::sys::signal::kill(pid, None),
            Err(nix::errno::Errno::ESRCH)
        );
        Ok(())
    }
}

/// Helper slots: the CPUs helpers run on
#[vpp_test(name = "TestHelperSlots", helpers = 1)]
mod helper_slots {
    use super::*;

    /// helpers run on the helper slots, apart from VPP's CPUs unless the class is oversubscribed
    #[vpp_test]
    fn test_helper_cpus(t: &mut TestCase) -> TestResult {
        let vpp = t.cpus().to_vec();
        let slots = t.helper_cpus().to_vec();
        assert!(!slots.is_empty());
        if t.oversubscribed() {
            // The CPUs VPP's threads leave, or else VPP's main core alone
            // (never a worker's core, which its thread busy-polls).
            assert!(
                slots.iter().all(|c| !vpp.contains(c)) || slots == vpp[..1],
                "{vpp:?} {slots:?}"
            );
        } else {
            assert!(slots.iter().all(|c| !vpp.contains(c)), "{vpp:?} {slots:?}");
        }
        // The helper's own view of its affinity.
        let out = t.run_helper(
            Helper::new("/bin/sh").args(["-c", "grep Cpus_allowed_list /proc/self/status"]),
        )?;
        let list = out
            .stdout
            .split(':')
            .nth(1)
            .unwrap_or("")
            .trim()
            .to_string();
        let allowed: Vec<usize> = list
            .split(',')
            .flat_map(|r| match r.split_once('-') {
                Some((a, b)) => {
                    (a.parse().unwrap_or(0)..=b.parse().unwrap_or(0)).collect::<Vec<_>>()
                }
                None => r.parse().into_iter().collect(),
            })
            .collect();
        let mut want = slots.clone();
        want.sort();
        assert_eq!(allowed, want, "{}", out.stdout);
        Ok(())
    }
}
