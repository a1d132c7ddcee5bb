//! ACL plugin objects (`vpp_acl.py`): ACLs of rules, their binding to an
//! interface's input and output, an interface's ethertype whitelist, and
//! MACIP ACLs with their binding.

use std::fmt;
use std::ops::RangeInclusive;

use super::object::VppObject;
use crate::api::acl::{
    AclAction, AclAddReplace, AclDel, AclDump, AclInterfaceEtypeWhitelistDump,
    AclInterfaceListDump, AclInterfaceSetAclList, AclInterfaceSetEtypeWhitelist,
    AclRule as ApiRule, IpProto, MacipAclAddReplace, MacipAclDel, MacipAclDetails, MacipAclDump,
    MacipAclInterfaceAddDel, MacipAclInterfaceGet, MacipAclRule,
};
use crate::api::ip_types::Prefix;
use asf_core::api::client::ApiClient;
use asf_core::case::TestResult;

/// One rule of an ACL (`AclRule`): what it does with packets from
/// `src` to `dst` of protocol `proto` (0: any) whose source port (ICMP
/// type) and destination port (ICMP code) are in the ranges.
#[derive(Clone, Debug, PartialEq)]
pub struct AclRule {
    /// Deny, permit, or permit and reflect.
    pub action: AclAction,
    /// The source prefix.
    pub src: Prefix,
    /// The destination prefix.
    pub dst: Prefix,
    /// The IP protocol (0: any).
    pub proto: u8,
    /// Source ports, or ICMP types.
    pub sport: RangeInclusive<u16>,
    /// Destination ports, or ICMP codes.
    pub dport: RangeInclusive<u16>,
}

impl AclRule {
    /// A rule for protocol `proto` (0: any) between any IPv4 addresses,
    /// any port (any ICMP type and code: 0..=255 for ICMP and ICMPv6), as
    /// `AclRule(is_permit, proto=proto)` makes it.
    pub fn new(permit: bool, proto: u8) -> AclRule {
        let top = if matches!(proto, 1 | 58) { 255 } else { 65535 };
        AclRule {
            action: if permit {
                AclAction::Permit
            } else {
                AclAction::Deny
            },
            src: "0.0.0.0/0".parse().expect("a prefix"),
            dst: "0.0.0.0/0".parse().expect("a prefix"),
            proto,
            sport: 0..=top,
            dport: 0..=top,
        }
    }

    fn encode(&self) -> ApiRule {
        ApiRule {
            is_permit: self.action,
            src_prefix: self.src.clone(),
            dst_prefix: self.dst.clone(),
            proto: IpProto::from_value(self.proto),
            srcport_or_icmptype_first: *self.sport.start(),
            srcport_or_icmptype_last: *self.sport.end(),
            dstport_or_icmpcode_first: *self.dport.start(),
            dstport_or_icmpcode_last: *self.dport.end(),
            ..ApiRule::default()
        }
    }
}

/// An ACL (`VppAcl`): its rules in order, and the index VPP gave it.
#[derive(Clone, Debug)]
pub struct Acl {
    /// The rules.
    pub rules: Vec<AclRule>,
    /// A tag VPP keeps with it.
    pub tag: String,
    /// Its index (`u32::MAX` before it is added: a new ACL; an index
    /// replaces that ACL's rules).
    pub acl_index: u32,
}

impl Acl {
    /// A new ACL of `rules` with `tag`.
    pub fn new(rules: impl IntoIterator<Item = AclRule>, tag: &str) -> Acl {
        Acl {
            rules: rules.into_iter().collect(),
            tag: tag.to_string(),
            acl_index: u32::MAX,
        }
    }

    /// What VPP has of it (`dump`): its details, rules included.
    pub fn dump(&self, api: &mut ApiClient) -> TestResult<Vec<crate::api::acl::AclDetails>> {
        Ok(api.dump(&AclDump {
            acl_index: self.acl_index,
        })?)
    }
}

impl fmt::Display for Acl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "acl-{}-{}", self.tag, self.acl_index)
    }
}

impl VppObject for Acl {
    /// `acl_add_replace`; learns the index.
    fn add_vpp_config(&mut self, api: &mut ApiClient) -> TestResult {
        self.acl_index = api
            .request(&AclAddReplace {
                acl_index: self.acl_index,
                tag: self.tag.as_str().into(),
                r: self.rules.iter().map(AclRule::encode).collect(),
            })?
            .acl_index;
        Ok(())
    }

    /// `acl_del`.
    fn remove_vpp_config(&self, api: &mut ApiClient) -> TestResult {
        api.request(&AclDel {
            acl_index: self.acl_index,
        })?;
        Ok(())
    }

    fn query_vpp_config(&self, api: &mut ApiClient) -> TestResult<bool> {
        Ok(self
            .dump(api)?
            .iter()
            .any(|d| d.acl_index == self.acl_index))
    }
}

/// The ACLs an interface applies (`VppAclInterface`): the first `n_input`
/// to what it receives, the rest to what it sends.
#[derive(Clone, Debug)]
pub struct AclInterface {
    /// The interface.
    pub sw_if_index: u32,
    /// How many of `acls` are input ACLs.
    pub n_input: u8,
    /// ACL indexes, input ones first.
    pub acls: Vec<u32>,
}

impl fmt::Display for AclInterface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "acl-if-list-{}", self.sw_if_index)
    }
}

impl AclInterface {
    fn set(&self, api: &mut ApiClient, n_input: u8, acls: Vec<u32>) -> TestResult {
        api.request(&AclInterfaceSetAclList {
            sw_if_index: self.sw_if_index,
            n_input,
            acls,
        })?;
        Ok(())
    }
}

impl VppObject for AclInterface {
    fn add_vpp_config(&mut self, api: &mut ApiClient) -> TestResult {
        self.set(api, self.n_input, self.acls.clone())
    }

    /// An empty list.
    fn remove_vpp_config(&self, api: &mut ApiClient) -> TestResult {
        self.set(api, 0, Vec::new())
    }

    /// The interface applies ACLs.
    fn query_vpp_config(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&AclInterfaceListDump {
            sw_if_index: self.sw_if_index,
        })?;
        Ok(found
            .iter()
            .any(|d| d.sw_if_index == self.sw_if_index && !d.acls.is_empty()))
    }
}

/// The ethertypes an interface lets through besides IPv4 and IPv6
/// (`VppEtypeWhitelist`): the first `n_input` of `whitelist` on input, the
/// rest on output.
#[derive(Clone, Debug)]
pub struct EtypeWhitelist {
    /// The interface.
    pub sw_if_index: u32,
    /// The ethertypes.
    pub whitelist: Vec<u16>,
    /// How many are for input.
    pub n_input: u8,
}

impl fmt::Display for EtypeWhitelist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "acl-etype_wl-{}", self.sw_if_index)
    }
}

impl VppObject for EtypeWhitelist {
    fn add_vpp_config(&mut self, api: &mut ApiClient) -> TestResult {
        api.request(&AclInterfaceSetEtypeWhitelist {
            sw_if_index: self.sw_if_index,
            n_input: self.n_input,
            whitelist: self.whitelist.clone(),
        })?;
        Ok(())
    }

    /// An empty whitelist.
    fn remove_vpp_config(&self, api: &mut ApiClient) -> TestResult {
        api.request(&AclInterfaceSetEtypeWhitelist {
            sw_if_index: self.sw_if_index,
            n_input: 0,
            whitelist: Vec::new(),
        })?;
        Ok(())
    }

    /// The interface has a whitelist. (VPP's framework answers "no"
    /// always, so its tear-down never removes one; here it does.)
    fn query_vpp_config(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&AclInterfaceEtypeWhitelistDump {
            sw_if_index: self.sw_if_index,
        })?;
        Ok(found
            .iter()
            .any(|d| d.sw_if_index == self.sw_if_index && !d.whitelist.is_empty()))
    }
}

/// One rule of a MACIP ACL (`MacipRule`): what it does with packets from
/// `src_prefix` whose source MAC, masked by `src_mac_mask`, is `src_mac`.
#[derive(Clone, Debug, PartialEq)]
pub struct MacipRule {
    /// Deny or permit.
    pub action: AclAction,
    /// The source MAC.
    pub src_mac: [u8; 6],
    /// The bits of the source MAC that count.
    pub src_mac_mask: [u8; 6],
    /// The source prefix.
    pub src_prefix: Prefix,
}

impl MacipRule {
    /// A rule for `src_mac` under `src_mac_mask` from `src_prefix`
    /// (`MacipRule(is_permit, src_mac, src_mac_mask, src_prefix)`).
    pub fn new(
        permit: bool,
        src_mac: [u8; 6],
        src_mac_mask: [u8; 6],
        src_prefix: &str,
    ) -> TestResult<MacipRule> {
        Ok(MacipRule {
            action: if permit {
                AclAction::Permit
            } else {
                AclAction::Deny
            },
            src_mac,
            src_mac_mask,
            src_prefix: src_prefix
                .parse()
                .map_err(|e: String| format!("{src_prefix:?}: {e}"))?,
        })
    }

    fn encode(&self) -> MacipAclRule {
        MacipAclRule {
            is_permit: self.action,
            src_mac: self.src_mac,
            src_mac_mask: self.src_mac_mask,
            src_prefix: self.src_prefix.clone(),
        }
    }
}

/// A MACIP ACL (`VppMacipAcl`): its rules in order, and the index VPP
/// gave it.
#[derive(Clone, Debug)]
pub struct MacipAcl {
    /// The rules.
    pub rules: Vec<MacipRule>,
    /// A tag VPP keeps with it.
    pub tag: String,
    /// Its index (`u32::MAX` before it is added: a new ACL; an index
    /// replaces that ACL's rules).
    pub acl_index: u32,
}

impl MacipAcl {
    /// A new MACIP ACL of `rules` with `tag`.
    pub fn new(rules: impl IntoIterator<Item = MacipRule>, tag: &str) -> MacipAcl {
        MacipAcl {
            rules: rules.into_iter().collect(),
            tag: tag.to_string(),
            acl_index: u32::MAX,
        }
    }

    /// What VPP has of it (`dump`).
    pub fn dump(&self, api: &mut ApiClient) -> TestResult<Vec<MacipAclDetails>> {
        Ok(api.dump(&MacipAclDump {
            acl_index: self.acl_index,
        })?)
    }
}

impl fmt::Display for MacipAcl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "macip-acl-{}-{}", self.tag, self.acl_index)
    }
}

impl VppObject for MacipAcl {
    /// `macip_acl_add_replace`; learns the index.
    fn add_vpp_config(&mut self, api: &mut ApiClient) -> TestResult {
        self.acl_index = api
            .request(&MacipAclAddReplace {
                acl_index: self.acl_index,
                tag: self.tag.as_str().into(),
                r: self.rules.iter().map(MacipRule::encode).collect(),
            })?
            .acl_index;
        Ok(())
    }

    /// `macip_acl_del`.
    fn remove_vpp_config(&self, api: &mut ApiClient) -> TestResult {
        api.request(&MacipAclDel {
            acl_index: self.acl_index,
        })?;
        Ok(())
    }

    fn query_vpp_config(&self, api: &mut ApiClient) -> TestResult<bool> {
        Ok(self
            .dump(api)?
            .iter()
            .any(|d| d.acl_index == self.acl_index))
    }
}

/// The MACIP ACL an interface applies to what it receives
/// (`VppMacipAclInterface`; an interface has at most one, the last one
/// bound).
#[derive(Clone, Debug)]
pub struct MacipAclInterface {
    /// The interface.
    pub sw_if_index: u32,
    /// The ACLs bound, in order.
    pub acls: Vec<u32>,
}

impl fmt::Display for MacipAclInterface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "macip-acl-if-list-{}", self.sw_if_index)
    }
}

impl MacipAclInterface {
    fn bind(&self, api: &mut ApiClient, is_add: bool) -> TestResult {
        for &acl_index in &self.acls {
            api.request(&MacipAclInterfaceAddDel {
                is_add,
                sw_if_index: self.sw_if_index,
                acl_index,
            })?;
        }
        Ok(())
    }
}

impl VppObject for MacipAclInterface {
    fn add_vpp_config(&mut self, api: &mut ApiClient) -> TestResult {
        self.bind(api, true)
    }

    fn remove_vpp_config(&self, api: &mut ApiClient) -> TestResult {
        self.bind(api, false)
    }

    /// The interface has a MACIP ACL (`macip_acl_interface_get`).
    fn query_vpp_config(&self, api: &mut ApiClient) -> TestResult<bool> {
        let r = api.request(&MacipAclInterfaceGet)?;
        Ok(r.acls
            .get(self.sw_if_index as usize)
            .is_some_and(|&a| a != u32::MAX))
    }
}
