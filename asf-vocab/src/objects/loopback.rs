//! Loopback interfaces (`vpp_lo_interface.py`).

use std::fmt;

use asf_core::api::client::ApiClient;
use asf_core::case::{TestCase, TestResult};

use super::object::{add, VppObject};

/// A loopback interface (`VppLoInterface`), admin down as created.
#[derive(Clone, Debug)]
pub struct Loopback {
    /// Its `sw_if_index`, once created.
    pub sw_if_index: u32,
}

impl Loopback {
    /// Creates a loopback and registers its removal (`VppLoInterface(self)`).
    pub fn create(t: &mut TestCase) -> TestResult<Loopback> {
        add(
            t,
            Loopback {
                sw_if_index: u32::MAX,
            },
        )
    }
}

/// Creates `n` loopbacks, sets them admin up, and registers them for
/// removal at tear-down; returns their `sw_if_index`es (VPP's framework's
/// `create_loopback_interfaces`).
pub fn create_loopback_interfaces(t: &mut TestCase, n: usize) -> TestResult<Vec<u32>> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let lo = Loopback::create(t)?;
        t.api()
            .request(&crate::api::interface::SwInterfaceSetFlags {
                sw_if_index: lo.sw_if_index,
                flags: crate::api::interface::IfStatusFlags::ADMIN_UP,
            })?;
        out.push(lo.sw_if_index);
    }
    Ok(out)
}

impl fmt::Display for Loopback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "loopback-{}", self.sw_if_index)
    }
}

impl VppObject for Loopback {
    fn add_vpp_config(&mut self, api: &mut ApiClient) -> TestResult {
        self.sw_if_index = api
            .request(&crate::api::interface::CreateLoopback::default())?
            .sw_if_index;
        Ok(())
    }

    fn remove_vpp_config(&self, api: &mut ApiClient) -> TestResult {
        api.request(&crate::api::interface::DeleteLoopback {
            sw_if_index: self.sw_if_index,
        })?;
        Ok(())
    }

    fn query_vpp_config(&self, api: &mut ApiClient) -> TestResult<bool> {
        let d = api.dump(&crate::api::interface::SwInterfaceDump {
            sw_if_index: self.sw_if_index,
            ..Default::default()
        })?;
        Ok(d.iter().any(|i| i.sw_if_index == self.sw_if_index))
    }
}
