//! The CPUs classes run on: the allowed CPUs (process affinity, capped by
//! `MAX_VPP_CPUS`) grouped into physical cores from sysfs (or one logical
//! CPU per "core" with `USE_SMT`), handed out a core per VPP thread as VPP's
//! framework does.
//!
//! Runs on one machine share its cores through claims: a core given to a
//! class is also locked (flock(2) on `<claims dir>/core<N>.lock`) until
//! the class ends, and a core another run holds is not given. The kernel
//! drops a claim when its process dies, so a killed run leaves none.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Free and busy cores.
#[derive(Debug)]
pub struct CpuPool {
    /// Each core: its logical CPUs, lowest first.
    cores: Vec<Vec<usize>>,
    busy: Vec<bool>,
    /// The directory of the machine's core claims; None: not shared.
    claims_dir: Option<PathBuf>,
    /// The claims this run holds, by core index.
    held: HashMap<usize, nix::fcntl::Flock<File>>,
    /// The last `take` found fewer free cores than asked because other runs
    /// hold some.
    held_elsewhere: bool,
    /// The wait for other runs' cores was reported.
    wait_told: bool,
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
        CpuPool {
            cores,
            busy,
            claims_dir: None,
            held: HashMap::new(),
            held_elsewhere: false,
            wait_told: false,
        }
    }

    /// Shares the cores with the other runs on this machine through the
    /// claims in `dir` (made if missing, writable by all, as `/run/lock`
    /// is); without a usable `dir` the pool is this run's alone.
    pub fn with_claims(mut self, dir: Option<&Path>) -> CpuPool {
        self.claims_dir = dir.and_then(|d| match make_claims_dir(d) {
            Ok(()) => Some(d.to_path_buf()),
            Err(e) => {
                tracing::warn!(
                    "cores are not shared with other runs: cannot use {}: {e}",
                    d.display()
                );
                None
            }
        });
        self
    }

    /// True when the last [`CpuPool::take`] failed because other runs on
    /// this machine hold cores this run would have taken.
    pub fn held_elsewhere(&self) -> bool {
        self.held_elsewhere
    }

    /// What to tell the user, once, when nothing of this run can start
    /// because other runs hold the cores.
    pub fn wait_note(&mut self) -> Option<String> {
        if !self.held_elsewhere || self.wait_told {
            return None;
        }
        self.wait_told = true;
        Some(format!(
            "waiting for cores that another run on this machine holds (claims in {}; ASF_CPU_CLAIMS=off runs without them)",
            self.claims_dir.as_deref().unwrap_or(Path::new("?")).display()
        ))
    }

    /// Claims core `i` for this run; false if another run holds it.
    fn claim(&mut self, i: usize) -> bool {
        let Some(dir) = &self.claims_dir else {
            return true;
        };
        let path = dir.join(format!("core{}.lock", self.cores[i][0]));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            // Made by another user: a lock needs no write access.
            .or_else(|_| File::open(&path));
        let file = match file {
            Ok(f) => f,
            Err(e) => {
                tracing::warn!(
                    "cannot claim core {}: {}: {e}",
                    self.cores[i][0],
                    path.display()
                );
                return true;
            }
        };
        match nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock) {
            Ok(lock) => {
                self.held.insert(i, lock);
                true
            }
            Err(_) => false,
        }
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
    /// With claims, only cores no other run holds are taken.
    pub fn take(&mut self, n: usize) -> Option<Vec<usize>> {
        self.held_elsewhere = false;
        if n == 0 || self.free() < n {
            return None;
        }
        let mut got = Vec::with_capacity(n);
        let mut skipped = false;
        for i in 0..self.cores.len() {
            if got.len() == n {
                break;
            }
            if !self.busy[i] {
                if self.claim(i) {
                    got.push(i);
                } else {
                    skipped = true;
                }
            }
        }
        if got.len() < n {
            self.held_elsewhere = skipped;
            for i in got {
                self.held.remove(&i);
            }
            return None;
        }
        for &i in &got {
            self.busy[i] = true;
        }
        Some(got.iter().map(|&i| self.cores[i][0]).collect())
    }

    /// Gives back the cores whose first CPUs are `cpus`.
    pub fn give(&mut self, cpus: &[usize]) {
        for (i, core) in self.cores.iter().enumerate() {
            if cpus.contains(&core[0]) {
                self.busy[i] = false;
                self.held.remove(&i);
            }
        }
    }
}

/// Makes the claims directory, writable by every user and sticky (as
/// `/run/lock` and `/tmp` are), unless it exists.
fn make_claims_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if dir.is_dir() {
        return Ok(());
    }
    match std::fs::DirBuilder::new().mode(0o1777).create(dir) {
        Ok(()) => std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o1777)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(e),
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

    #[test]
    fn two_runs_never_take_the_same_core() {
        let dir = tempfile::tempdir().unwrap();
        let claims = dir.path().join("claims");
        let cores = vec![vec![0], vec![1], vec![2]];
        let mut a = CpuPool::new(cores.clone(), None).with_claims(Some(&claims));
        let mut b = CpuPool::new(cores, None).with_claims(Some(&claims));
        assert_eq!(a.take(2), Some(vec![0, 1]));
        // b sees every core free of its own, but a holds two.
        assert_eq!(b.take(2), None);
        assert!(b.held_elsewhere());
        assert_eq!(b.take(1), Some(vec![2]), "the one a does not hold");
        assert!(!b.held_elsewhere());
        a.give(&[0]);
        assert_eq!(b.take(1), Some(vec![0]));
        // A run that ends (drops its pool) frees what it held, as its death would.
        drop(a);
        assert_eq!(b.take(1), Some(vec![1]));
        assert_eq!(b.free(), 0);
        // Without claims, two pools know nothing of each other.
        let mut c = CpuPool::new(vec![vec![0]], None);
        let mut d = CpuPool::new(vec![vec![0]], None);
        assert!(c.take(1).is_some() && d.take(1).is_some());
    }
}
