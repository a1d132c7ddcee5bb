use asf_core::case::{DiffGroup, StatsDiff};
use asf_core::errors::CliError;
use asf_core::stats::StatValue;
use asf_core::{vpp_test, Skip, TestCase, TestResult};
use asf_vocab::api::interface::{CreateLoopback, DeleteLoopback, SwInterfaceDump};

/// Counters from the stats segment
#[vpp_test(workers = 1, name = "TestCounters")]
mod counters {
    use super::*;

    /// How counters are moved: the stand-in's `fake counters` CLI, or real
    /// traffic from VPP's packet generator. The packet generator runs its
    /// streams on worker 0 (thread 1) when VPP has workers, so the thread
    /// the packets are counted on is part of what each mover gives.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Mover {
        Fake,
        Pg,
    }

    fn mover(t: &mut TestCase) -> TestResult<Mover> {
        match t.cli("fake counters") {
            Err(CliError::Syntax { .. }) => {
                if t.cli("show packet-generator").is_err() {
                    return Err(Skip::new(
                        "needs the packet generator (or fake-vpp's `fake counters`) to move counters",
                    )
                    .into());
                }
                Ok(Mover::Pg)
            }
            _ => Ok(Mover::Fake),
        }
    }

    /// The name VPP gave an interface (`loopN` need not match its index).
    fn if_name(t: &mut TestCase, sw_if_index: u32) -> TestResult<String> {
        let found = t.api().dump(&SwInterfaceDump {
            sw_if_index,
            ..Default::default()
        })?;
        Ok(found
            .first()
            .ok_or_else(|| format!("no interface {sw_if_index}"))?
            .interface_name
            .0
            .clone())
    }

    impl Mover {
        /// How the error counter of IPv4 packets with a bad header checksum
        /// is named: in the stats segment and in `show errors` (a real VPP
        /// prints the counter's description there).
        fn bad_checksum(self) -> (&'static str, &'static str) {
            match self {
                Mover::Fake => ("/err/ip4-input/bad_checksum", "bad_checksum"),
                Mover::Pg => ("/err/ip4-input/bad_checksum", "bad ip4 checksum"),
            }
        }
    }

    /// The thread the packet generator's streams run on.
    const PG_THREAD: usize = 1;

    /// One packet-generator stream, run to completion and removed.
    fn pg_run(t: &mut TestCase, name: &str, spec: &str) -> TestResult {
        t.cli(&format!(
            "packet-generator new {{\n name {name}\n {spec}\n}}"
        ))?;
        t.cli("trace add pg-input 10")?;
        t.cli(&format!("packet-generator enable-stream {name}"))?;
        // A stream with a limit stops by itself; wait until this one has.
        for _ in 0..500 {
            let out = t.cli("show packet-generator")?;
            if !out.lines().any(|l| l.contains(name) && l.contains("Yes")) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        // The worker may still be carrying the last frame through the graph:
        // `show trace` syncs with it (a CLI command that takes the barrier).
        t.ppcli("show trace")?;
        t.cli("clear trace")?;
        t.cli(&format!("packet-generator delete {name}"))?;
        Ok(())
    }

    /// Packets of `size` bytes received on `ifname`, into `node`: IPv4/UDP
    /// into `ip4-input` (`bad_checksum` gives them a wrong header
    /// checksum), a plain payload into nodes that only count or drop.
    fn pg_rx(
        t: &mut TestCase,
        name: &str,
        ifname: &str,
        packets: u64,
        size: u64,
        node: &str,
        bad_checksum: bool,
    ) -> TestResult {
        // The packet data is parsed by `node`'s own format: ip4-input takes
        // an IPv4 header; error-drop takes none.
        let data = if node == "ip4-input" {
            let csum = if bad_checksum { " checksum 13" } else { "" };
            format!(
                "UDP: 192.0.2.1 -> 192.0.2.2{csum}\n UDP: 1234 -> 2345\n incrementing {}",
                size - 28
            )
        } else {
            format!("incrementing {size}")
        };
        pg_run(
            t,
            name,
            &format!(
                "limit {packets}\n size {size}-{size}\n interface {ifname}\n node {node}\n \
                 data {{\n {data}\n }}"
            ),
        )
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
        let name = t.api().dump(&SwInterfaceDump {
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
        let mover = mover(t)?;
        let idx = asf_vocab::objects::create_loopback_interfaces(t, 1)?[0];
        let name = if_name(t, idx)?;
        // 10 and 5 packets of 64 bytes received.
        let per_thread = match mover {
            Mover::Fake => {
                t.cli(&format!("fake counters interface {name} rx 10 640"))?;
                t.cli(&format!("fake counters interface {name} rx 5 320 thread 1"))?;
                vec![10, 5]
            }
            Mover::Pg => {
                // Into error-drop: counted as received, then as dropped.
                // (Not null-node: after a stream into null-node, a VPP 26.10
                // whose loopback was re-created loses later ip4-input
                // packets without counting them.)
                pg_rx(t, "rx10", &name, 10, 64, "error-drop", false)?;
                pg_rx(t, "rx5", &name, 5, 64, "error-drop", false)?;
                let mut v = vec![0, 0];
                v[PG_THREAD] = 15;
                v
            }
        };
        let rx = t.stats()?.get("/if/rx")?;
        assert_eq!(rx.combined_index(idx as usize).packets, 15);
        assert_eq!(rx.combined_index(idx as usize).bytes, 960);
        t.assert_counter_equal("/if/rx", per_thread[0], Some(0), idx as usize);
        t.assert_counter_equal("/if/rx", per_thread[1], Some(1), idx as usize);
        t.assert_counter_equal("/if/rx", 15, None, idx as usize);
        let link = t.stats()?.get(&format!("/interfaces/{name}/rx"))?;
        assert_eq!(link.per_thread(), per_thread);
        // 2 (more) dropped.
        let drops = match mover {
            Mover::Fake => {
                t.cli(&format!("fake counters interface {name} drops 2"))?;
                2
            }
            Mover::Pg => {
                pg_rx(t, "drop2", &name, 2, 64, "error-drop", false)?;
                15 + 2
            }
        };
        t.assert_counter_equal("/if/drops", drops, None, idx as usize);
        t.cli("clear interfaces")?;
        t.assert_counter_equal("/if/rx", 0, None, idx as usize);
        t.assert_counter_equal("/if/drops", 0, None, idx as usize);
        Ok(())
    }

    /// error counters through the segment and through show errors
    #[vpp_test]
    fn test_error_counters(t: &mut TestCase) -> TestResult {
        let mover = mover(t)?;
        let (path, reason) = mover.bad_checksum();
        // 3 + 4 IPv4 packets with a bad header checksum.
        match mover {
            Mover::Fake => {
                t.cli("fake counters error ip4-input bad_checksum 3")?;
                t.cli("fake counters error ip4-input bad_checksum 4 thread 1")?;
            }
            Mover::Pg => {
                let lo = asf_vocab::objects::create_loopback_interfaces(t, 1)?[0];
                let name = if_name(t, lo)?;
                pg_rx(t, "bad3", &name, 3, 64, "ip4-input", true)?;
                pg_rx(t, "bad4", &name, 4, 64, "ip4-input", true)?;
            }
        }
        assert!(
            t.stats()?.ls(&[&format!("^{path}$")])?.len() == 1,
            "{path} in the segment"
        );
        t.assert_error_counter_equal(path, 7);
        assert_eq!(t.get_counter(reason)?.sum(), 7, "show errors");
        let errors = t.errors_str()?;
        assert!(errors.contains(path), "{errors}");
        assert!(!errors.contains("/err/ip4-input/time_expired"), "{errors}");
        // `clear errors` restarts what `show errors` counts; the segment
        // keeps the raw count (VPP's counters_last_clear).
        t.cli("clear errors")?;
        assert_eq!(
            t.get_counter(reason)?.sum(),
            0,
            "show errors after clear errors"
        );
        t.assert_error_counter_equal(path, 7);
        Ok(())
    }

    /// snapshots and expected differences, per interface and for errors
    #[vpp_test]
    fn test_snapshot_diff(t: &mut TestCase) -> TestResult {
        let mover = mover(t)?;
        let lo = asf_vocab::objects::create_loopback_interfaces(t, 2)?;
        let (idx, quiet) = (lo[0], lo[1]);
        let name = if_name(t, idx)?;
        let (bad, _) = mover.bad_checksum();
        let diff = StatsDiff(vec![
            (DiffGroup::Interface(idx), vec![("/if/rx".into(), 5)]),
            (
                DiffGroup::Interface(quiet),
                vec![("/if/rx".into(), 0), ("/if/drops".into(), 0)],
            ),
            (DiffGroup::Err, vec![(bad.into(), 2)]),
        ]);
        let snap = t.snapshot_stats(&diff)?;
        // Earlier tests' errors stay in the segment (`clear errors` leaves
        // its raw counts, as VPP does).
        let before = t.stats()?.get(bad)?.sum();
        // 3 + 2 packets received on one loopback, the 2 with a bad IPv4
        // checksum; the other loopback sees nothing.
        match mover {
            Mover::Fake => {
                t.cli(&format!("fake counters interface {name} rx 5 308"))?;
                t.cli("fake counters error ip4-input bad_checksum 2")?;
            }
            Mover::Pg => {
                pg_rx(t, "rx3", &name, 3, 60, "error-drop", false)?;
                pg_rx(t, "bad2", &name, 2, 64, "ip4-input", true)?;
            }
        }
        t.compare_stats_with_snapshot(&diff, &snap);
        // A diff that did not happen is a failure naming the counter.
        let wrong = StatsDiff(vec![(DiffGroup::Err, vec![(bad.into(), 5)])]);
        let msg = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            t.compare_stats_with_snapshot(&wrong, &snap)
        }))
        .expect_err("a wrong diff must fail");
        let msg = msg.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(
            msg.contains(&format!(
                "'{bad}' counter value (previous value: {before}, expected diff: 5): {} != {}",
                before + 2,
                before + 5
            )),
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
