use asf_core::api::messages::{CreateLoopback, DeleteLoopback};
use asf_core::case::{DiffGroup, StatsDiff};
use asf_core::errors::CliError;
use asf_core::stats::StatValue;
use asf_core::{vpp_test, Skip, TestCase, TestResult};

/// Counters from the stats segment
#[vpp_test(workers = 1, name = "TestCounters")]
mod counters {
    use super::*;

    /// Moving counters without traffic needs the stand-in's `fake counters`
    /// CLI; on a real VPP these tests skip themselves.
    fn needs_fake_counters(t: &mut TestCase) -> TestResult {
        match t.cli("fake counters") {
            Err(CliError::Syntax { .. }) => Err(Skip::new(
                "needs fake-vpp's `fake counters` CLI to move counters without traffic",
            )
            .into()),
            _ => Ok(()),
        }
    }

    /// /if/names follows interfaces as they come and go
    #[vpp_test]
    fn test_if_names(t: &mut TestCase) -> TestResult {
        let names = t.stats()?.get("/if/names")?;
        assert_eq!(
            names
                .names()
                .and_then(|n| n.first().cloned())
                .flatten()
                .as_deref(),
            Some("local0")
        );
        let epoch = t.stats()?.epoch()?;
        let idx = t.api().request(&CreateLoopback::default())?.sw_if_index;
        let name = t.api().dump(&asf_core::api::messages::SwInterfaceDump {
            sw_if_index: idx,
            ..Default::default()
        })?[0]
            .interface_name
            .0
            .clone();
        let names = t.stats()?.get("/if/names")?;
        assert_eq!(
            names
                .names()
                .and_then(|n| n.get(idx as usize).cloned())
                .flatten(),
            Some(name)
        );
        assert!(
            t.stats()?.epoch()? > epoch,
            "a new interface changes the segment's structure"
        );
        t.api().request(&DeleteLoopback { sw_if_index: idx })?;
        Ok(())
    }

    /// the system scalars are there
    #[vpp_test]
    fn test_system_scalars(t: &mut TestCase) -> TestResult {
        let boottime = t.stats()?.get("/sys/boottime")?;
        assert!(boottime.sum() > 1_600_000_000, "{boottime:?}");
        // A scalar up to VPP 25.10, a gauge since 26.02.
        let workers = t.stats()?.get("/sys/num_worker_threads")?;
        assert!(
            matches!(workers, StatValue::Scalar(1) | StatValue::Gauge(1)),
            "{workers:?}"
        );
        assert!(matches!(
            t.stats()?.get("/sys/heartbeat")?,
            StatValue::Scalar(_)
        ));
        let rx = t.stats()?.get("/if/rx")?;
        let StatValue::Combined(threads) = rx else {
            return Err(format!("/if/rx is not a combined counter: {rx:?}").into());
        };
        assert_eq!(threads.len(), 2, "main thread and one worker");
        assert!(!t.stats()?.ls(&["^/err/"])?.is_empty(), "no error counters");
        Ok(())
    }

    /// interface counters per thread, through the vector and the symlink
    #[vpp_test]
    fn test_interface_counters(t: &mut TestCase) -> TestResult {
        needs_fake_counters(t)?;
        let idx = t.create_loopback_interfaces(1)?[0];
        let name = format!("loop{}", idx - 1);
        let name = t
            .stats()?
            .get("/if/names")?
            .names()
            .and_then(|n| n.get(idx as usize).cloned())
            .flatten()
            .unwrap_or(name);
        t.cli(&format!("fake counters interface {name} rx 10 640"))?;
        t.cli(&format!("fake counters interface {name} rx 5 320 thread 1"))?;
        t.cli(&format!("fake counters interface {name} drops 2"))?;
        let rx = t.stats()?.get("/if/rx")?;
        assert_eq!(rx.combined_index(idx as usize).packets, 15);
        assert_eq!(rx.combined_index(idx as usize).bytes, 960);
        t.assert_counter_equal("/if/rx", 10, Some(0), idx as usize);
        t.assert_counter_equal("/if/rx", 5, Some(1), idx as usize);
        t.assert_counter_equal("/if/rx", 15, None, idx as usize);
        t.assert_counter_equal("/if/drops", 2, None, idx as usize);
        let link = t.stats()?.get(&format!("/interfaces/{name}/rx"))?;
        assert_eq!(link.per_thread(), vec![10, 5]);
        t.cli("clear interfaces")?;
        t.assert_counter_equal("/if/rx", 0, None, idx as usize);
        Ok(())
    }

    /// error counters through the segment and through show errors
    #[vpp_test]
    fn test_error_counters(t: &mut TestCase) -> TestResult {
        needs_fake_counters(t)?;
        t.cli("fake counters error ip4-input ttl_expired 3")?;
        t.cli("fake counters error ip4-input ttl_expired 4 thread 1")?;
        t.assert_error_counter_equal("/err/ip4-input/ttl_expired", 7);
        assert_eq!(t.get_counter("ttl_expired")?.sum(), 7, "show errors");
        let errors = t.errors_str()?;
        assert!(errors.contains("/err/ip4-input/ttl_expired"), "{errors}");
        assert!(!errors.contains("bad_checksum"), "{errors}");
        t.cli("clear errors")?;
        t.assert_error_counter_equal("/err/ip4-input/ttl_expired", 0);
        Ok(())
    }

    /// snapshots and expected differences, per interface and for errors
    #[vpp_test]
    fn test_snapshot_diff(t: &mut TestCase) -> TestResult {
        needs_fake_counters(t)?;
        let idx = t.create_loopback_interfaces(1)?[0];
        let name = t
            .stats()?
            .get("/if/names")?
            .names()
            .and_then(|n| n.get(idx as usize).cloned())
            .flatten()
            .ok_or("no name")?;
        let diff = StatsDiff(vec![
            (
                DiffGroup::Interface(idx),
                vec![("/if/tx".into(), 3), ("/if/drops".into(), 0)],
            ),
            (
                DiffGroup::Err,
                vec![("/err/ip4-input/bad_checksum".into(), 2)],
            ),
        ]);
        let snap = t.snapshot_stats(&diff)?;
        t.cli(&format!("fake counters interface {name} tx 3 180"))?;
        t.cli("fake counters error ip4-input bad_checksum 2")?;
        t.compare_stats_with_snapshot(&diff, &snap);
        // A diff that did not happen is a failure naming the counter.
        let wrong = StatsDiff(vec![(
            DiffGroup::Err,
            vec![("/err/ip4-input/bad_checksum".into(), 5)],
        )]);
        let msg = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            t.compare_stats_with_snapshot(&wrong, &snap)
        }))
        .expect_err("a wrong diff must fail");
        let msg = msg.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(
            msg.contains(
                "'/err/ip4-input/bad_checksum' counter value (previous value: 0, expected diff: 5)"
            ),
            "{msg}"
        );
        Ok(())
    }

    /// prepared reads follow structural changes
    #[vpp_test]
    fn test_prepared_reads(t: &mut TestCase) -> TestResult {
        let mut p = t.stats()?.prepare(&["^/if/names$", "^/if/rx$"])?;
        let before = t.stats()?.read(&mut p)?;
        assert_eq!(before.len(), 2);
        let idx = t.api().request(&CreateLoopback::default())?.sw_if_index;
        let after = t.stats()?.read(&mut p)?;
        let names = after["/if/names"].names().map(<[_]>::len).unwrap_or(0);
        assert!(names > idx as usize, "{after:?}");
        t.api().request(&DeleteLoopback { sw_if_index: idx })?;
        Ok(())
    }
}
