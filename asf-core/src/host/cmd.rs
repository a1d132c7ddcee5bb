//! Host programs run with an argument vector, never a shell: `ip`, and
//! finding programs on `PATH`.

use std::path::PathBuf;
use std::process::Command;

use crate::errors::HostError;

/// The full path of `program` on `PATH`, if it is there and executable.
pub fn find_program(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    if program.contains('/') {
        let p = PathBuf::from(program);
        return p.is_file().then_some(p);
    }
    crate::config::search_path()
        .into_iter()
        .map(|d| d.join(program))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Runs `program args...` to completion and returns its stdout; a non-zero
/// exit is an error carrying its stderr.
pub fn run(program: &str, args: &[&str]) -> Result<String, HostError> {
    let command = std::iter::once(program)
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    tracing::debug!("host: {command}");
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|source| HostError::Spawn {
            command: command.clone(),
            source,
        })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(HostError::Failed {
            command,
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}

/// `ip args...` in the root namespace (iproute2).
pub fn ip(args: &[&str]) -> Result<String, HostError> {
    run("ip", args)
}

/// True if a network interface of that name exists in the root namespace.
pub fn link_exists(name: &str) -> bool {
    ip(&["link", "show", "dev", name]).is_ok()
}
