//! Starting the class's VPP (or attaching to a running one) and waiting
//! until it answers; the class lock and temp dir.

use super::state::*;
use super::teardown::*;
use crate::api::ApiClient;
use crate::case::TestCase;
use crate::errors::VppError;
use crate::exit::chain;
use crate::runner::debug::{self, Mode};
use crate::runner::plan::{class_lock, OVERSUBSCRIBED_POLL_SLEEP_USEC};
use crate::vpp::process::VppProcess;
use crate::vpp::startup::{self, Startup};
use std::fs::{self, File};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Polls until `api.sock` accepts a connection and `sockclnt_create`
/// succeeds, failing early when VPP dies.
pub(super) fn wait_ready(
    vpp: &Arc<VppProcess>,
    runtime_dir: &Path,
    limit: Duration,
    api_dirs: &[PathBuf],
    extern_api_dirs: &[PathBuf],
) -> Result<ApiClient, VppError> {
    let sock = startup::api_sock(runtime_dir);
    let deadline = Instant::now() + limit;
    let mut last = String::from("api.sock never appeared");
    loop {
        if let Some(status) = vpp.exit_info() {
            // Let the output pumps catch the last lines before reporting.
            std::thread::sleep(Duration::from_millis(50));
            return Err(VppError::DiedAtStart {
                status,
                stderr_tail: vpp.stderr_tail(),
            });
        }
        if Instant::now() >= deadline {
            return Err(VppError::NotReady {
                secs: limit.as_secs_f64(),
                last,
            });
        }
        if sock.exists() {
            let remaining = deadline
                .saturating_duration_since(Instant::now())
                .min(Duration::from_secs(5));
            match ApiClient::connect(
                &sock,
                "asf",
                Some(remaining.max(Duration::from_millis(100))),
            ) {
                Ok(mut api) => {
                    let v = vpp.clone();
                    api.set_liveness(Arc::new(move || v.exit_info()));
                    api.set_timeout(Some(Duration::from_secs(5)));
                    api.set_schema_source(api_dirs.to_vec(), extern_api_dirs.to_vec());
                    tracing::info!("connected to VPP's api ({} messages)", api.message_count());
                    return Ok(api);
                }
                Err(e) => last = format!("connecting to {}: {}", sock.display(), chain(&e)),
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Takes an exclusive lock on `<tempdir>.lock`, held until the returned
/// value is dropped or the process exits.
pub(super) fn lock_class(tempdir: &Path) -> Result<nix::fcntl::Flock<File>, VppError> {
    lock_class_with(tempdir, nix::fcntl::FlockArg::LockExclusive)
}

/// The class lock if no other run holds it now (another run of the same
/// class that has begun meanwhile owns the class's leftovers).
pub fn try_lock_class(tempdir: &Path) -> Option<nix::fcntl::Flock<File>> {
    lock_class_with(tempdir, nix::fcntl::FlockArg::LockExclusiveNonblock).ok()
}

fn lock_class_with(
    tempdir: &Path,
    how: nix::fcntl::FlockArg,
) -> Result<nix::fcntl::Flock<File>, VppError> {
    let path = class_lock(tempdir);
    let err = |source| VppError::TempDir {
        path: path.clone(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(err)?;
    }
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .mode(0o600)
        .open(&path)
        .map_err(err)?;
    nix::fcntl::Flock::lock(file, how).map_err(|(_, errno)| err(std::io::Error::from(errno)))
}

/// Removes and re-creates the temp dir, owner-only. `remove_dir_all` does
/// not follow symlinks, and a symlink planted in place of the directory is
/// removed, not followed.
pub(super) fn prepare_tempdir(dir: &Path) -> Result<(), VppError> {
    let err = |source| VppError::TempDir {
        path: dir.to_path_buf(),
        source,
    };
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(dir).map_err(err)?,
        Ok(_) => fs::remove_file(dir).map_err(err)?,
        Err(_) => {}
    }
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent).map_err(err)?;
    }
    fs::DirBuilder::new().mode(0o700).create(dir).map_err(err)?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(err)
}

impl ClassRun<'_> {
    /// Starts VPP and connects to it.
    pub(super) fn boot(&self, tempdir: &Path) -> Result<TestCase, String> {
        let desc = self.class.desc;
        // VPP's sockets are made through a short link to the temp dir, so
        // they fit a socket path whatever the length of ASF_TMP_DIR.
        let runtime_dir = startup::link_runtime_dir(tempdir).map_err(|e| {
            format!(
                "cannot link VPP's runtime dir to {}: {e}",
                tempdir.display()
            )
        })?;
        let startup = Startup {
            tempdir: tempdir.to_path_buf(),
            runtime_dir: runtime_dir.clone(),
            cpus: self.plan.cpus.clone(),
            coredump_size: self.config.coredump_size.clone(),
            variant: self.config.variant.clone(),
            api_fuzz: self.config.api_fuzz,
            extern_plugins: self.config.extern_plugins.clone(),
            debug_cli: matches!(self.debug, Some(Mode::Gdb | Mode::GdbServer | Mode::Step)),
            heap_size: None,
            statseg_config: desc
                .statseg_config
                .iter()
                .map(ToString::to_string)
                .collect(),
            plugin_config: desc.plugin_config.iter().map(ToString::to_string).collect(),
            vpp_config: desc.vpp_config.iter().map(ToString::to_string).collect(),
            plugins: desc
                .plugins
                .map(|p| p.iter().map(ToString::to_string).collect()),
            poll_sleep_usec: self
                .plan
                .oversubscribed
                .then_some(OVERSUBSCRIBED_POLL_SLEEP_USEC),
        };
        let argv = startup.argv();
        tracing::info!("vpp_cmdline args: {:?}", argv);
        if self.debug == Some(Mode::Attach) {
            return self.attach(tempdir);
        }
        // Debug modes wait for the person at the terminal: no time limits.
        let start_limit = if self.debug.is_some() {
            Duration::from_secs(365 * 24 * 3600)
        } else {
            self.config.start_timeout
        };
        let vpp = Arc::new(
            if self.debug == Some(Mode::GdbServer) {
                let mut gdb_argv = vec![
                    "localhost:7777".to_string(),
                    self.config.vpp_bin.display().to_string(),
                ];
                gdb_argv.extend(argv.iter().cloned());
                VppProcess::spawn(Path::new("gdbserver"), &gdb_argv, tempdir)
            } else {
                VppProcess::spawn(&self.config.vpp_bin, &argv, tempdir)
            }
            .map_err(|e| chain(&e))?,
        );
        *CLEANUP.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((vpp.pid(), tempdir.to_path_buf()));
        debug::announce(self.debug, vpp.pid(), &self.config.vpp_bin);
        let mut api = wait_ready(
            &vpp,
            &runtime_dir,
            start_limit,
            &self.config.api_dirs,
            &self.config.extern_api_dirs,
        )
        .map_err(|e| {
            let _ = vpp.stop(STOP_GRACE);
            wait_for_core(
                &vpp,
                tempdir,
                &self.config.vpp_bin,
                self.config.compress_core,
                self.debug,
            );
            chain(&e)
        })?;
        if self.debug.is_some() {
            api.set_timeout(None);
        } else if let Some(secs) = desc.api_timeout {
            api.set_timeout(Some(Duration::from_secs(u64::from(secs))));
        }
        Ok(self.test_case(api, vpp, tempdir, runtime_dir))
    }

    /// `DEBUG=attach`: use the VPP whose sockets are in `VPP_SOCKET_DIR`
    /// (default /run/vpp); it is never started nor stopped.
    pub(super) fn attach(&self, tempdir: &Path) -> Result<TestCase, String> {
        let dir = self.config.settings.vpp_socket_dir.clone();
        let sock = startup::api_sock(&dir);
        let mut api =
            ApiClient::connect(&sock, "asf", Some(Duration::from_secs(5))).map_err(|e| {
                format!(
                    "cannot attach to the VPP at {}: {}; set VPP_SOCKET_DIR to its runtime dir",
                    sock.display(),
                    chain(&e)
                )
            })?;
        let pid = api.control_ping().map_err(|e| chain(&e))?.vpe_pid;
        println!("Attached to VPP with PID {pid} at {}", dir.display());
        let vpp = Arc::new(VppProcess::attached(pid));
        let v = vpp.clone();
        api.set_liveness(Arc::new(move || v.exit_info()));
        api.set_timeout(None);
        api.set_schema_source(
            self.config.api_dirs.clone(),
            self.config.extern_api_dirs.clone(),
        );
        Ok(self.test_case(api, vpp, tempdir, dir))
    }

    /// The test case of the class, on this connection to this VPP.
    fn test_case(
        &self,
        api: ApiClient,
        vpp: Arc<VppProcess>,
        tempdir: &Path,
        socket_dir: PathBuf,
    ) -> TestCase {
        TestCase {
            class: self.class.desc.info(),
            test: None,
            earlier: Vec::new(),
            api,
            vpp,
            tempdir: tempdir.to_path_buf(),
            socket_dir,
            cpus: self.plan.cpus.clone(),
            helper_cpus: self.plan.helper_cpus.clone(),
            oversubscribed: self.plan.oversubscribed,
            workers: self.plan.workers,
            registry: Vec::new(),
            stats: None,
            stats_hangup: None,
            ext: Default::default(),
            rng: fastrand::Rng::with_seed(self.seed),
            seed: self.seed,
            vpp_bin: self.config.vpp_bin.clone(),
            settings: self.config.settings.clone(),
            subtest_failures: Vec::new(),
        }
    }
}
