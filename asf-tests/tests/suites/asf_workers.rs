use asf_core::api::vpp::vlib::ShowThreads;
use asf_core::{vpp_test, TestCase, TestResult};

/// VPP with a worker thread
#[vpp_test(workers = 1, name = "TestWorkers")]
mod one_worker {
    use super::*;

    /// show threads lists the main thread and one worker
    #[vpp_test]
    fn test_show_threads(t: &mut TestCase) -> TestResult {
        assert_eq!(t.worker_count(), 1);
        let out = t.cli("show threads")?;
        let threads = out
            .lines()
            .filter(|l| l.contains("vpp_main") || l.contains("vpp_wk_"))
            .count();
        assert_eq!(threads, 2, "expected vpp_main and vpp_wk_0 in:\n{out}");
        assert!(out.contains("vpp_wk_0"), "{out}");
        Ok(())
    }

    /// the worker runs on the CPU the class was given
    #[vpp_test]
    fn test_worker_cpu(t: &mut TestCase) -> TestResult {
        let worker_cpu = t.cpus()[1];
        let out = t.cli("show threads")?;
        let line = out
            .lines()
            .find(|l| l.contains("vpp_wk_0"))
            .ok_or_else(|| format!("no worker in:\n{out}"))?;
        let fields: Vec<&str> = line.split_whitespace().collect();
        let cpu = if out.lines().next().is_some_and(|h| h.contains("lcore")) {
            // Up to 26.06: ID Name Type LWP "Sched Policy (Priority)" lcore
            // Core Socket State; the policy is two words, `other (0)`.
            fields
                .iter()
                .position(|f| f.starts_with('(') && f.ends_with(')'))
                .and_then(|i| fields.get(i + 1))
                .copied()
        } else {
            // ID Name LWP CPU ...
            fields.get(3).copied()
        };
        assert_eq!(cpu, Some(worker_cpu.to_string().as_str()), "{out}");
        Ok(())
    }

    /// the show_threads message agrees with the worker count
    #[vpp_test]
    fn test_show_threads_api(t: &mut TestCase) -> TestResult {
        let reply = t.api().request(&ShowThreads)?;
        assert_eq!(reply.thread_data.len(), 2, "{reply:?}");
        assert_eq!(reply.thread_data[0].name.0, "vpp_main");
        assert_eq!(reply.thread_data[1].name.0, "vpp_wk_0");
        assert_eq!(reply.thread_data[1].cpu_id as usize, t.cpus()[1]);
        Ok(())
    }
}
