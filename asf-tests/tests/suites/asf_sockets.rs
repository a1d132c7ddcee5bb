//! Where a class's VPP makes its sockets: through a short link to the class
//! temp dir, so that a socket's path fits the 107 bytes of `sockaddr_un`
//! whatever the length of `ASF_TMP_DIR` (the runner's tests run this class
//! under a temp base of 100 characters).

use std::os::unix::fs::FileTypeExt;

use asf_core::{vpp_test, TestCase, TestResult};
use nix::sys::socket::{connect, socket, AddressFamily, SockFlag, SockType, UnixAddr};

/// VPP's sockets under a temp dir of any length
#[vpp_test(vpp_config = "session { enable use-app-socket-api }")]
mod sockets {
    use super::*;

    /// the app namespace socket of the session layer accepts a connection
    #[vpp_test]
    fn test_app_ns_socket(t: &mut TestCase) -> TestResult {
        let path = t.runtime_dir().join("app_ns_sockets").join("default");
        assert!(
            path.as_os_str().len() <= 107,
            "{} does not fit in a socket address",
            path.display()
        );
        let fd = socket(
            AddressFamily::Unix,
            SockType::SeqPacket,
            SockFlag::SOCK_CLOEXEC,
            None,
        )?;
        connect(std::os::fd::AsRawFd::as_raw_fd(&fd), &UnixAddr::new(&path)?)
            .map_err(|e| format!("connecting to {}: {e}", path.display()))?;
        Ok(())
    }

    /// the sockets are in the class temp dir, where a user finds them
    #[vpp_test]
    fn test_sockets_in_the_temp_dir(t: &mut TestCase) -> TestResult {
        for name in ["api.sock", "stats.sock", "app_ns_sockets/default"] {
            let m = std::fs::symlink_metadata(t.tempdir().join(name))
                .map_err(|e| format!("{name} in {}: {e}", t.tempdir().display()))?;
            assert!(m.file_type().is_socket(), "{name} is not a socket: {m:?}");
        }
        assert_eq!(
            std::fs::canonicalize(t.runtime_dir())?,
            std::fs::canonicalize(t.tempdir())?
        );
        Ok(())
    }
}
