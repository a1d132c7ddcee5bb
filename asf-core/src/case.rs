//! What a test receives: the class's VPP, its API connection and its temp dir.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::api::ApiClient;
use crate::errors::{ApiError, CliError};
use crate::model::ClassDesc;
use crate::vpp::process::VppProcess;

/// What a test returns: `Ok(())`, or any error (reported as ERROR; a panic,
/// such as a failed `assert!`, is reported as FAIL).
pub type TestResult<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

/// The test case a test function receives: the VPP of its class and the
/// connection to it. One per class; tests of a class run one after another.
pub struct TestCase {
    pub(crate) class: &'static ClassDesc,
    pub(crate) test: Option<&'static str>,
    pub(crate) api: ApiClient,
    pub(crate) vpp: Arc<VppProcess>,
    pub(crate) tempdir: PathBuf,
    pub(crate) cpus: Vec<usize>,
    pub(crate) workers: u32,
}

impl std::fmt::Debug for TestCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestCase")
            .field("class", &self.class.module_path)
            .field("test", &self.test)
            .field("vpp_pid", &self.vpp.pid())
            .finish()
    }
}

impl TestCase {
    /// The binary API client (`vapi` in VPP's framework).
    pub fn api(&mut self) -> &mut ApiClient {
        &mut self.api
    }

    /// Runs a CLI command and returns its output, ANSI escapes removed.
    pub fn cli(&mut self, cmd: &str) -> Result<String, CliError> {
        tracing::debug!("CLI: {cmd}");
        let out = self.api.cli(cmd);
        if let Ok(text) = &out {
            tracing::debug!("CLI output of `{cmd}`:\n{text}");
        }
        out
    }

    /// Like [`TestCase::cli`], and also writes the command and its output
    /// into the class log at info level (`ppcli` of VPP's framework).
    pub fn ppcli(&mut self, cmd: &str) -> Result<String, CliError> {
        let out = self.api.cli(cmd)?;
        tracing::info!("\n--- CLI: {cmd}\n{out}");
        Ok(out)
    }

    /// `control_ping`; returns VPP's pid as VPP reports it.
    pub fn ping(&mut self) -> Result<u32, ApiError> {
        Ok(self.api.control_ping()?.vpe_pid)
    }

    /// The pid of the VPP process this class booted.
    pub fn vpp_pid(&self) -> u32 {
        self.vpp.pid()
    }

    /// The class temp dir (VPP's runtime dir, logs, sockets).
    pub fn tempdir(&self) -> &Path {
        &self.tempdir
    }

    /// The class's display name.
    pub fn class_name(&self) -> &'static str {
        self.class.name
    }

    /// The running test's name (None in class set-up / tear-down).
    pub fn test_name(&self) -> Option<&'static str> {
        self.test
    }

    /// Workers VPP was started with.
    pub fn worker_count(&self) -> u32 {
        self.workers
    }

    /// CPUs assigned to this class: main core first, then workers.
    pub fn cpus(&self) -> &[usize] {
        &self.cpus
    }
}

/// Converts what a test returns into a [`TestResult`].
#[diagnostic::on_unimplemented(
    message = "a test must return `()` or `Result<(), E>` with `E` an error type, not `{Self}`",
    label = "this is the test's return type",
    note = "write `fn test_x(t: &mut asf_core::TestCase) -> asf_core::TestResult`"
)]
pub trait IntoTestResult {
    /// The conversion.
    fn into_test_result(self) -> TestResult;
}

impl IntoTestResult for () {
    fn into_test_result(self) -> TestResult {
        Ok(())
    }
}

impl<E: Into<Box<dyn Error + Send + Sync>>> IntoTestResult for Result<(), E> {
    fn into_test_result(self) -> TestResult {
        self.map_err(Into::into)
    }
}
