//! ACL plugin objects (`vpp_acl.py`): ACLs of rules, their binding to an
//! interface's input and output, and an interface's ethertype whitelist.

use std::fmt;
use std::ops::RangeInclusive;

use super::object::VppObject;
use crate::api::client::ApiClient;
use crate::api::vpp::acl::{
    AclAction, AclAddReplace, AclDel, AclDump, AclInterfaceEtypeWhitelistDump,
    AclInterfaceListDump, AclInterfaceSetAclList, AclInterfaceSetEtypeWhitelist,
    AclRule as ApiRule, IpProto,
};
use crate::api::vpp::ip_types::Prefix;
use crate::case::TestResult;

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
    pub fn dump(&self, api: &mut ApiClient) -> TestResult<Vec<crate::api::vpp::acl::AclDetails>> {
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
