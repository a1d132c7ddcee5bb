//! Facts read from the VPP binary itself.

use std::io::Read;
use std::path::Path;

/// True when the binary names `libasan.so` among its needed libraries.
///
/// The dynamic string table holds the `DT_NEEDED` names, so a byte search of
/// the file finds them; the read is capped so a huge file costs little.
pub fn links_libasan(bin: &Path) -> bool {
    const CAP: u64 = 256 << 20;
    let Ok(f) = std::fs::File::open(bin) else {
        return false;
    };
    let mut bytes = Vec::new();
    if f.take(CAP).read_to_end(&mut bytes).is_err() {
        return false;
    }
    bytes.windows(10).any(|w| w == b"libasan.so")
}

/// The version the binary prints for `--version` (`vpp v26.06-rc2~7-g...
/// built by ...`), its first line; None when it prints none within 10 s
/// (a binary too old for the flag, or not VPP). Never run under a shell.
pub fn version(bin: &Path) -> Option<String> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(bin)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    let line = out.lines().next()?.trim();
    line.starts_with("vpp v").then(|| line.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_libasan_in_the_dynamic_strings() {
        let dir = tempfile::tempdir().unwrap();
        let asan = dir.path().join("vpp-asan");
        std::fs::write(
            &asan,
            b"\x7fELF....libvppinfra.so.26\0libasan.so.8\0libc.so.6\0",
        )
        .unwrap();
        let plain = dir.path().join("vpp");
        std::fs::write(&plain, b"\x7fELF....libvppinfra.so.26\0libc.so.6\0").unwrap();
        assert!(links_libasan(&asan));
        assert!(!links_libasan(&plain));
        assert!(!links_libasan(&dir.path().join("missing")));
    }
}
