//! Punting and policing (`vpp_ip.py`'s punt objects, `vpp_policer.py`):
//! where VPP sends the packets it punts, and the policers that limit
//! them.

use std::fmt;
use std::net::IpAddr;

use crate::api::ip::{IpPuntRedirect as ApiRedirect, IpPuntRedirectDump, PuntRedirect};
use crate::api::policer::{
    IpPuntPolice, PolicerAdd, PolicerBindV2, PolicerConfig, PolicerDel, PolicerDumpV2,
    Sse2QosAction, Sse2QosActionType, Sse2QosPolicerType, Sse2QosRateType, Sse2QosRoundType,
};
use asf_core::api::client::ApiClient;
use asf_core::case::{TestCase, TestResult};
use asf_core::stats::StatValue;

use super::object::{AddDel, VppObject};

/// Punted packets that come in on `rx_sw_if_index` (all interfaces:
/// `u32::MAX`) go out on `tx_sw_if_index` to `nh` (`VppIpPuntRedirect`).
#[derive(Clone, Debug)]
pub struct IpPuntRedirect {
    /// The interface punted packets come in on.
    pub rx_sw_if_index: u32,
    /// The interface they go out on.
    pub tx_sw_if_index: u32,
    /// The next hop (its family is the redirect's).
    pub nh: IpAddr,
}

impl fmt::Display for IpPuntRedirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ip-punt-redirect-{}-{}-{}",
            self.rx_sw_if_index, self.tx_sw_if_index, self.nh
        )
    }
}

impl AddDel for IpPuntRedirect {
    type Request = ApiRedirect;

    fn request(&self, is_add: bool) -> Self::Request {
        ApiRedirect {
            is_add,
            punt: PuntRedirect {
                rx_sw_if_index: self.rx_sw_if_index,
                tx_sw_if_index: self.tx_sw_if_index,
                nh: self.nh.into(),
            },
        }
    }

    /// VPP dumps a redirect of the family for the input interface, as
    /// VPP's framework asks.
    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        Ok(!api
            .dump(&IpPuntRedirectDump {
                sw_if_index: self.rx_sw_if_index,
                is_ipv6: self.nh.is_ipv6(),
            })?
            .is_empty())
    }
}

/// What a policer does with a packet of one colour (`PolicerAction`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicerAction {
    /// Drop, transmit or mark and transmit.
    pub action: Sse2QosActionType,
    /// The DSCP a mark-and-transmit writes.
    pub dscp: u8,
}

impl PolicerAction {
    /// Transmit unchanged.
    pub const TRANSMIT: PolicerAction = PolicerAction {
        action: Sse2QosActionType::Transmit,
        dscp: 0,
    };
    /// Drop.
    pub const DROP: PolicerAction = PolicerAction {
        action: Sse2QosActionType::Drop,
        dscp: 0,
    };

    fn encode(self) -> Sse2QosAction {
        Sse2QosAction {
            r#type: self.action,
            dscp: self.dscp,
        }
    }
}

/// A policer (`VppPolicer`): named, with its rates, bursts and actions.
/// As in VPP's framework, conforming packets are sent and the others
/// dropped unless set otherwise.
#[derive(Clone, Debug)]
pub struct Policer {
    /// Its name.
    pub name: String,
    /// Committed rate.
    pub cir: u32,
    /// Excess rate.
    pub eir: u32,
    /// Committed burst.
    pub cb: u64,
    /// Excess burst.
    pub eb: u64,
    /// Kbps or packets per second.
    pub rate_type: Sse2QosRateType,
    /// Rounding.
    pub round_type: Sse2QosRoundType,
    /// The algorithm (1R2C, RFC 2697 …).
    pub policer_type: Sse2QosPolicerType,
    /// Colour aware rather than blind.
    pub color_aware: bool,
    /// What conforming packets get.
    pub conform: PolicerAction,
    /// What exceeding packets get.
    pub exceed: PolicerAction,
    /// What violating packets get.
    pub violate: PolicerAction,
    /// Its index, once added.
    pub policer_index: u32,
}

/// A policer's counters, as VPP's framework's `get_stats` returns them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PolicerStats {
    /// Conforming packets.
    pub conform_packets: u64,
    /// Their bytes.
    pub conform_bytes: u64,
    /// Exceeding packets.
    pub exceed_packets: u64,
    /// Their bytes.
    pub exceed_bytes: u64,
    /// Violating packets.
    pub violate_packets: u64,
    /// Their bytes.
    pub violate_bytes: u64,
}

impl Policer {
    /// `name` with committed rate `cir`, excess rate `eir` and bursts
    /// `cb` and `eb` (`VppPolicer(self, name, cir, eir, cb, eb)`): Kbps,
    /// 1R2C, conform transmits, exceed and violate drop.
    pub fn new(name: &str, cir: u32, eir: u32, cb: u64, eb: u64) -> Policer {
        Policer {
            name: name.to_string(),
            cir,
            eir,
            cb,
            eb,
            rate_type: Sse2QosRateType::Kbps,
            round_type: Sse2QosRoundType::ToClosest,
            policer_type: Sse2QosPolicerType::Api1r2c,
            color_aware: false,
            conform: PolicerAction::TRANSMIT,
            exceed: PolicerAction::DROP,
            violate: PolicerAction::DROP,
            policer_index: u32::MAX,
        }
    }

    /// The same policer counting packets per second (`rate_type=1`).
    pub fn pps(mut self) -> Policer {
        self.rate_type = Sse2QosRateType::Pps;
        self
    }

    /// The same policer with these actions for conforming, exceeding and
    /// violating packets.
    pub fn actions(
        mut self,
        conform: PolicerAction,
        exceed: PolicerAction,
        violate: PolicerAction,
    ) -> Policer {
        (self.conform, self.exceed, self.violate) = (conform, exceed, violate);
        self
    }

    fn config(&self) -> PolicerConfig {
        PolicerConfig {
            cir: self.cir,
            eir: self.eir,
            cb: self.cb,
            eb: self.eb,
            rate_type: self.rate_type,
            round_type: self.round_type,
            r#type: self.policer_type,
            color_aware: self.color_aware,
            conform_action: self.conform.encode(),
            exceed_action: self.exceed.encode(),
            violate_action: self.violate.encode(),
        }
    }

    /// Binds the policer to worker `worker` (or unbinds it), so that every
    /// packet it polices is handed to that worker (`bind_vpp_config`).
    pub fn bind(&self, api: &mut ApiClient, worker: u32, bind: bool) -> TestResult {
        api.request(&PolicerBindV2 {
            policer_index: self.policer_index,
            worker_index: worker,
            bind_enable: bind,
        })?;
        Ok(())
    }

    /// Its counters summed over threads, or of one worker (thread
    /// `worker + 1`) (`get_stats`).
    pub fn stats(&self, t: &mut TestCase, worker: Option<usize>) -> TestResult<PolicerStats> {
        let mut cells = [(0, 0); 3];
        for (cell, name) in cells.iter_mut().zip(["conform", "exceed", "violate"]) {
            let path = format!("/net/policer/{name}");
            let StatValue::Combined(threads) = t.get_counter(&path)? else {
                return Err(format!("{path} is not a combined counter").into());
            };
            for (thread, row) in threads.iter().enumerate() {
                if worker.is_some_and(|w| thread != w + 1) {
                    continue;
                }
                if let Some(c) = row.get(self.policer_index as usize) {
                    *cell = (cell.0 + c.packets, cell.1 + c.bytes);
                }
            }
        }
        let [(cp, cb), (ep, eb), (vp, vb)] = cells;
        Ok(PolicerStats {
            conform_packets: cp,
            conform_bytes: cb,
            exceed_packets: ep,
            exceed_bytes: eb,
            violate_packets: vp,
            violate_bytes: vb,
        })
    }
}

impl fmt::Display for Policer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "policer-{}", self.name)
    }
}

impl VppObject for Policer {
    fn add_vpp_config(&mut self, api: &mut ApiClient) -> TestResult {
        let r = api.request(&PolicerAdd {
            name: self.name.as_str().into(),
            infos: self.config(),
        })?;
        self.policer_index = r.policer_index;
        Ok(())
    }

    fn remove_vpp_config(&self, api: &mut ApiClient) -> TestResult {
        api.request(&PolicerDel {
            policer_index: self.policer_index,
        })?;
        Ok(())
    }

    fn query_vpp_config(&self, api: &mut ApiClient) -> TestResult<bool> {
        Ok(api
            .dump(&PolicerDumpV2 {
                policer_index: self.policer_index,
            })?
            .iter()
            .any(|p| p.name.as_str() == self.name))
    }
}

/// The policer VPP applies to the IPv4 or IPv6 packets it punts
/// (`VppIpPuntPolicer`).
#[derive(Clone, Debug)]
pub struct IpPuntPolicer {
    /// The policer.
    pub policer_index: u32,
    /// IPv6 rather than IPv4.
    pub is_ip6: bool,
}

impl fmt::Display for IpPuntPolicer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let af = if self.is_ip6 { "ip6" } else { "ip4" };
        write!(f, "{af}-punt-policer-{}", self.policer_index)
    }
}

impl AddDel for IpPuntPolicer {
    type Request = IpPuntPolice;

    fn request(&self, is_add: bool) -> Self::Request {
        IpPuntPolice {
            policer_index: self.policer_index,
            is_add,
            is_ip6: self.is_ip6,
        }
    }

    /// VPP has no dump of it: the tear-down removes it (a removal of what
    /// is not there does no harm).
    fn query(&self, _api: &mut ApiClient) -> TestResult<bool> {
        Err("VPP cannot be asked for its punt policer".into())
    }
}
