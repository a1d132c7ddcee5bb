//! The CPUs classes run on: the allowed CPUs (process affinity, capped by
//! `MAX_VPP_CPUS`) grouped into physical cores from sysfs (or one logical
//! CPU per "core" with `USE_SMT`), handed out a core per VPP thread as VPP's
//! framework does.

use std::path::Path;

/// Free and busy cores.
#[derive(Clone, Debug)]
pub struct CpuPool {
    /// Each core: its logical CPUs, lowest first.
    cores: Vec<Vec<usize>>,
    busy: Vec<bool>,
}

impl CpuPool {
    /// The pool of this process: affinity, topology from `sysfs`, `max`
    /// cores at most, and SMT siblings as separate cores when `use_smt`.
    pub fn detect(max: Option<usize>, use_smt: bool) -> CpuPool {
        let allowed: Vec<usize> = match nix::sched::sched_getaffinity(nix::unistd::Pid::from_raw(0))
        {
            Ok(set) => (0..nix::sched::CpuSet::count())
                .filter(|&c| set.is_set(c).unwrap_or(false))
                .collect(),
            Err(_) => (0..std::thread::available_parallelism().map_or(1, |n| n.get())).collect(),
        };
        let cores = if use_smt {
            allowed.iter().map(|c| vec![*c]).collect()
        } else {
            group_by_core(&allowed, Path::new("/sys/devices/system/cpu"))
        };
        CpuPool::new(cores, max)
    }

    /// A pool of the given cores, `max` at most.
    pub fn new(mut cores: Vec<Vec<usize>>, max: Option<usize>) -> CpuPool {
        if let Some(max) = max {
            cores.truncate(max);
        }
        let busy = vec![false; cores.len()];
        CpuPool { cores, busy }
    }

    /// Number of cores.
    pub fn len(&self) -> usize {
        self.cores.len()
    }

    /// True if there are no cores at all.
    pub fn is_empty(&self) -> bool {
        self.cores.is_empty()
    }

    /// Free cores.
    pub fn free(&self) -> usize {
        self.busy.iter().filter(|b| !**b).count()
    }

    /// Takes `n` free cores; returns their first CPUs (main core first).
    pub fn take(&mut self, n: usize) -> Option<Vec<usize>> {
        if n == 0 || self.free() < n {
            return None;
        }
        let mut out = Vec::with_capacity(n);
        for (i, busy) in self.busy.iter_mut().enumerate() {
            if out.len() == n {
                break;
            }
            if !*busy {
                *busy = true;
                out.push(self.cores[i][0]);
            }
        }
        Some(out)
    }

    /// Gives back the cores whose first CPUs are `cpus`.
    pub fn give(&mut self, cpus: &[usize]) {
        for (i, core) in self.cores.iter().enumerate() {
            if cpus.contains(&core[0]) {
                self.busy[i] = false;
            }
        }
    }
}

/// Groups logical CPUs by (package, core id) from sysfs, first-seen order;
/// one CPU per core when the topology cannot be read.
pub fn group_by_core(cpus: &[usize], sysfs: &Path) -> Vec<Vec<usize>> {
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut cores: Vec<Vec<usize>> = Vec::new();
    for &cpu in cpus {
        let topo = sysfs.join(format!("cpu{cpu}/topology"));
        let read = |f: &str| std::fs::read_to_string(topo.join(f)).map(|s| s.trim().to_string());
        let (Ok(pkg), Ok(core)) = (read("physical_package_id"), read("core_id")) else {
            return cpus.iter().map(|c| vec![*c]).collect();
        };
        match keys.iter().position(|k| *k == (pkg.clone(), core.clone())) {
            Some(i) => cores[i].push(cpu),
            None => {
                keys.push((pkg, core));
                cores.push(vec![cpu]);
            }
        }
    }
    for c in &mut cores {
        c.sort_unstable();
    }
    cores
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_share_a_core() {
        let dir = tempfile::tempdir().unwrap();
        for (cpu, core) in [(0, 0), (1, 1), (2, 0), (3, 1)] {
            let t = dir.path().join(format!("cpu{cpu}/topology"));
            std::fs::create_dir_all(&t).unwrap();
            std::fs::write(t.join("physical_package_id"), "0\n").unwrap();
            std::fs::write(t.join("core_id"), format!("{core}\n")).unwrap();
        }
        assert_eq!(
            group_by_core(&[0, 1, 2, 3], dir.path()),
            vec![vec![0, 2], vec![1, 3]]
        );
        assert_eq!(
            group_by_core(&[0, 5], dir.path()),
            vec![vec![0], vec![5]],
            "unreadable: one per core"
        );
    }

    #[test]
    fn take_and_give_cores() {
        let mut p = CpuPool::new(vec![vec![0, 2], vec![1, 3], vec![4]], Some(3));
        assert_eq!(p.take(2), Some(vec![0, 1]));
        assert_eq!(p.take(2), None);
        assert_eq!(p.take(1), Some(vec![4]));
        p.give(&[0, 1]);
        assert_eq!(p.free(), 2);
        assert_eq!(p.take(0), None);
        assert_eq!(CpuPool::new(vec![vec![0], vec![1]], Some(1)).len(), 1);
    }
}
