use asf_core::api::client::Expect;
use asf_core::api::message::FixedString;
use asf_core::api::vpp::memclnt::{ApiVersions, GetFirstMsgId};
use asf_core::{vpp_test, TestCase, TestResult};

/// Binary API basics
#[vpp_test(name = "TestApi", plugins = [])]
mod basics {
    use super::*;

    /// control_ping returns the pid of the VPP this class booted
    #[vpp_test]
    fn test_control_ping_pid(t: &mut TestCase) -> TestResult {
        let reply = t.api().control_ping()?;
        assert_eq!(reply.retval, 0);
        assert_eq!(reply.vpe_pid, t.vpp_pid(), "control_ping_reply.vpe_pid");
        // VPP echoes the client's index from 26.10 on (26.06 answers 0).
        if t.vpp_at_least("26.10")? {
            assert_eq!(
                reply.client_index,
                t.api().client_index(),
                "control_ping_reply echoes client_index"
            );
        }
        Ok(())
    }

    /// show_version through the API and show version through the CLI agree
    #[vpp_test]
    fn test_show_version_api_cli_agree(t: &mut TestCase) -> TestResult {
        let api = t.api().show_version()?;
        assert_eq!(api.program, "vpe");
        assert!(!api.version.is_empty(), "empty version");
        let cli = t.cli("show version")?;
        assert!(
            cli.contains(&format!("v{}", api.version)),
            "CLI `show version` ({cli:?}) does not mention API version {:?}",
            api.version
        );
        Ok(())
    }

    /// the message table holds the memclnt, vlib and vpe messages
    #[vpp_test]
    fn test_message_table(t: &mut TestCase) -> TestResult {
        let api = t.api();
        for name in [
            "control_ping",
            "sockclnt_delete",
            "cli_inband",
            "show_version",
            "show_threads",
        ] {
            assert!(
                api.has_message(name),
                "{name} missing from the message table"
            );
        }
        assert!(!api.has_message("no_such_message_xyz"));
        assert!(
            api.client_index() & 0x8000_0000 != 0,
            "socket client handles have bit 31 set"
        );
        Ok(())
    }

    /// many requests in a row get their own replies
    #[vpp_test]
    fn test_many_requests(t: &mut TestCase) -> TestResult {
        let pid = t.vpp_pid();
        for _ in 0..200 {
            assert_eq!(t.ping()?, pid);
        }
        Ok(())
    }

    /// api_versions answers; every module it lists has a name and a version
    #[vpp_test]
    fn test_api_versions(t: &mut TestCase) -> TestResult {
        // VPP 26.10 answers with an empty list over the socket; older ones
        // list their modules.
        let reply = t.api().request(&ApiVersions)?;
        for m in &reply.api_versions {
            assert!(!m.name.0.is_empty(), "{reply:?}");
            assert!(m.major + m.minor + m.patch > 0, "{m:?}");
        }
        Ok(())
    }

    /// get_first_msg_id refuses an unknown module with -7 and 0xffff
    #[vpp_test]
    fn test_get_first_msg_id_unknown(t: &mut TestCase) -> TestResult {
        let req = GetFirstMsgId {
            name: FixedString("no_such_module_00000000".into()),
        };
        let reply = t
            .api()
            .expect(Expect::AnyOf(vec![-7]), |api| api.request(&req))?;
        assert_eq!(reply.first_msg_id, 0xffff);
        Ok(())
    }
}
