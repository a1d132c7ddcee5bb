//! What every runner test uses: the `suites` binary, a run of it in a
//! temp base of its own, and the inventory of classes.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The newest `<name>-*` test binary beside this one.
pub fn test_bin(prefix: &str) -> PathBuf {
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
pub fn fresh_bin(name: &str) -> PathBuf {
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

pub fn fake_vpp() -> PathBuf {
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

pub struct Run {
    pub tmp: tempfile::TempDir,
    pub launches: PathBuf,
    pub wrapper: PathBuf,
}

impl Run {
    /// A fresh temp base and a VPP_BIN wrapper that counts launches (VPPs
    /// booted: not `--version`, which asf asks once per run when a class
    /// has `requires_vpp`).
    pub fn new() -> Run {
        let tmp = tempfile::tempdir().unwrap();
        let launches = tmp.path().join("launches");
        let wrapper = tmp.path().join("vpp-wrapper");
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\n[ \"$1\" = --version ] || echo launch >> '{}'\nexec '{}' \"$@\"\n",
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

    pub fn base(&self) -> PathBuf {
        self.tmp.path().join("base")
    }

    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        self.command_of("suites", args, env)
    }

    pub fn command_of(&self, bin: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(fresh_bin(bin));
        cmd.args(args)
            .env_remove("VPP_EXTRA_CMAKE_ARGS")
            .env_remove("ASF_TAG")
            .env_remove("ASF_SKIP_TAG")
            .env_remove("TAG")
            .env_remove("WS_ROOT")
            .env_remove("NEXTEST_RUN_ID")
            // Runs of runner tests do not wait for each other's cores (and a
            // runner test about sharing them names its own directory).
            .env("ASF_CPU_CLAIMS", self.base().join("cpu-claims"))
            .env("VPP_BIN", &self.wrapper)
            .env("ASF_TMP_DIR", self.base())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> (Output, String) {
        self.run_of("suites", args, env)
    }

    /// Runs the fixtures binary (classes that fail on purpose), which runs
    /// nothing without `ASF_RUN_FIXTURES=1`.
    pub fn run_fixtures(&self, args: &[&str], env: &[(&str, &str)]) -> (Output, String) {
        let mut all_env = vec![("ASF_RUN_FIXTURES", "1")];
        all_env.extend_from_slice(env);
        self.run_of("fixtures", args, &all_env)
    }

    pub fn run_of(&self, bin: &str, args: &[&str], env: &[(&str, &str)]) -> (Output, String) {
        let out = self.command_of(bin, args, env).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out, text)
    }

    pub fn launches(&self) -> usize {
        std::fs::read_to_string(&self.launches)
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }

    /// Processes whose command line mentions this run's temp dir.
    pub fn leftovers(&self) -> Vec<String> {
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
                // A VPP names its class dir by a short link on its command
                // line (its runtime dir), and runs in the class dir.
                let cwd = std::fs::read_link(e.path().join("cwd")).unwrap_or_default();
                (text.contains(&needle) || cwd.to_string_lossy().contains(&needle))
                    .then(|| format!("{}: {text}", e.file_name().to_string_lossy()))
            })
            .collect()
    }

    /// The temp dir of a class: `suites.asf_cli.cli_inband` ...
    pub fn class_dir(&self, class: &str) -> PathBuf {
        self.base().join(format!("vpp-unittest-{class}"))
    }

    /// The `log.txt` of a class.
    pub fn class_log(&self, class: &str) -> String {
        let path = self.class_dir(class).join("log.txt");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// No process of this run is left, and the temp base holds only the
    /// artifacts of the classes in `failed` (`asf_cli.cli_inband` ...): the
    /// class dir (VPP's sockets included), its lock and its -FAILED link.
    pub fn assert_clean(&self, failed: &[&str]) {
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
    pub fn shm_files(&self) -> Vec<String> {
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

    pub fn assert_no_leftovers(&self) {
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
pub struct Inventory {
    pub tests: Vec<(String, String)>,
}

impl Inventory {
    /// asf's own suites (`asf_*`): they run fully on the stand-in.
    pub fn of(r: &Run) -> Inventory {
        Inventory::listing(r, &["--list", "asf_"])
    }

    /// Every suite, the ports of VPP's included (most skip on the stand-in).
    pub fn everything(r: &Run) -> Inventory {
        Inventory::listing(r, &["--list"])
    }

    pub fn listing(r: &Run, args: &[&str]) -> Inventory {
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

    pub fn count(&self, pred: impl Fn(&str, &str) -> bool) -> usize {
        self.tests.iter().filter(|(n, t)| pred(n, t)).count()
    }

    /// Distinct classes (`file::class`) among the tests matching `pred`.
    pub fn classes(&self, pred: impl Fn(&str, &str) -> bool) -> usize {
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

pub fn all(_: &str, _: &str) -> bool {
    true
}

pub fn has_tag(tag: &'static str) -> impl Fn(&str, &str) -> bool {
    move |_, tags| tags.split(',').any(|t| t == tag)
}

pub fn line_of<'a>(text: &'a str, description: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(description))
        .unwrap_or_else(|| panic!("no line for {description:?} in:\n{text}"))
}
