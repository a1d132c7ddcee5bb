//! Set-ups the ported `test/asf` suites share (not a suite): the session
//! layer, application namespaces, two tables with a loopback each, host
//! interfaces plumbed to VPP. Tables, routes and addresses are asf-core's
//! objects (`asf_vocab::objects`).

use crate::api::interface::SwInterfaceSetTable;
use crate::api::session::{
    AppNamespaceAddDelV4, RtBackendEngine, SessionEnableDisable, SessionEnableDisableV2,
};
use asf_core::{TestCase, TestResult};
use asf_vocab::api::interface::{IfStatusFlags, SwInterfaceDump, SwInterfaceSetFlags};
use asf_vocab::objects::{IpInterfaceAddress, IpRoute, IpTable, RoutePath, VppObject};

/// `session_enable_disable(is_enable=True)`: the set-up of the session
/// and TCP unit-test classes.
pub fn session_on(t: &mut TestCase) -> TestResult {
    t.api().request(&SessionEnableDisable { is_enable: true })?;
    Ok(())
}

/// `session_enable_disable(is_enable=False)`: their tear-down.
pub fn session_off(t: &mut TestCase) -> TestResult {
    t.api()
        .request(&SessionEnableDisable { is_enable: false })?;
    Ok(())
}

/// The address VPP's framework gives an interface: `172.16.<sw_if_index>.1`.
pub fn local_ip4(sw_if_index: u32) -> String {
    format!("172.16.{sw_if_index}.1")
}

/// `VppIpTable(table_id, is_ip6)` added or removed (asf-core's object).
fn table(t: &mut TestCase, table_id: u32, is_ip6: bool, is_add: bool) -> TestResult {
    let mut table = IpTable { table_id, is_ip6 };
    if is_add {
        table.add_vpp_config(t.api())
    } else {
        table.remove_vpp_config(t.api())
    }
}

fn set_table(t: &mut TestCase, sw_if_index: u32, is_ipv6: bool, vrf_id: u32) -> TestResult {
    t.api().request(&SwInterfaceSetTable {
        sw_if_index,
        is_ipv6,
        vrf_id,
    })?;
    Ok(())
}

/// `sw_interface_add_del_address`: `prefix` added to or removed from an
/// interface (asf-core's `IpInterfaceAddress`).
pub fn interface_address(
    t: &mut TestCase,
    sw_if_index: u32,
    prefix: &str,
    is_add: bool,
) -> TestResult {
    let mut address = IpInterfaceAddress {
        sw_if_index,
        prefix: prefix.parse()?,
    };
    if is_add {
        address.add_vpp_config(t.api())
    } else {
        address.remove_vpp_config(t.api())
    }
}

/// `VppIpTable(table_id).add_vpp_config()` / `remove_vpp_config()`.
pub fn ip_table(t: &mut TestCase, table_id: u32, is_add: bool) -> TestResult {
    table(t, table_id, false, is_add)
}

/// `set_table_ip4(table_id)`.
pub fn set_table_ip4(t: &mut TestCase, sw_if_index: u32, table_id: u32) -> TestResult {
    set_table(t, sw_if_index, false, table_id)
}

/// `config_ip4()` / `unconfig_ip4()`: the interface's local /24.
pub fn config_ip4(t: &mut TestCase, sw_if_index: u32, is_add: bool) -> TestResult {
    interface_address(
        t,
        sw_if_index,
        &format!("{}/24", local_ip4(sw_if_index)),
        is_add,
    )
}

/// `admin_up()` / `admin_down()`.
pub fn admin(t: &mut TestCase, sw_if_index: u32, up: bool) -> TestResult {
    t.api().request(&SwInterfaceSetFlags {
        sw_if_index,
        flags: if up {
            IfStatusFlags::ADMIN_UP
        } else {
            IfStatusFlags::empty()
        },
    })?;
    Ok(())
}

/// `VppIpRoute(dst/len, [VppRoutePath("0.0.0.0", 0xffffffff, nh_table_id)], table_id)`:
/// a route resolved through another table (IPv4, or IPv6 with `::` as the
/// path's address when `dst` is an IPv6 address); asf-core's `IpRoute`.
pub fn route_via_table(
    t: &mut TestCase,
    dst: &str,
    len: u8,
    table_id: u32,
    nh_table_id: u32,
    is_add: bool,
) -> TestResult {
    let any: std::net::IpAddr = if dst.contains(':') {
        std::net::Ipv6Addr::UNSPECIFIED.into()
    } else {
        std::net::Ipv4Addr::UNSPECIFIED.into()
    };
    let mut route = IpRoute::new(
        &format!("{dst}/{len}"),
        [RoutePath {
            nh_table_id,
            ..RoutePath::via(any, u32::MAX)
        }],
    )?
    .in_table(table_id);
    if is_add {
        route.add_vpp_config(t.api())
    } else {
        route.remove_vpp_config(t.api())
    }
}

/// `app_namespace_add_del_v4(namespace_id, sw_if_index, is_add)`.
pub fn app_namespace(t: &mut TestCase, id: &str, sw_if_index: u32, is_add: bool) -> TestResult {
    t.api()
        .request(&namespace_on(id, sw_if_index, None, is_add))?;
    Ok(())
}

/// `app_namespace_add_del_v4` of namespace `id` on an interface, with
/// `secret` when one is given (else the message's default, as the
/// original's `secret=None`).
pub fn namespace_on(
    id: &str,
    sw_if_index: u32,
    secret: Option<u64>,
    is_add: bool,
) -> AppNamespaceAddDelV4 {
    let mut ns = AppNamespaceAddDelV4 {
        namespace_id: id.into(),
        sw_if_index,
        is_add,
        ..AppNamespaceAddDelV4::default()
    };
    if let Some(secret) = secret {
        ns.secret = secret;
    }
    ns
}

/// The set-up of VPP's TCP and session transfer tests: session layer on,
/// two loopbacks, up, in tables 0 and 1 with their /24s, a namespace on
/// each. Returns the loopbacks.
pub fn two_tables(t: &mut TestCase) -> TestResult<[u32; 2]> {
    session_on(t)?;
    let lo = asf_vocab::objects::create_loopback_interfaces(t, 2)?;
    for (table_id, &sw) in lo.iter().enumerate() {
        let table_id = table_id as u32;
        admin(t, sw, true)?;
        if table_id != 0 {
            ip_table(t, table_id, true)?;
        }
        set_table_ip4(t, sw, table_id)?;
        config_ip4(t, sw, true)?;
    }
    app_namespace(t, "0", lo[0], true)?;
    app_namespace(t, "1", lo[1], true)?;
    Ok([lo[0], lo[1]])
}

/// Undoes [`two_tables`] (the loopbacks themselves go with the registry).
pub fn two_tables_down(t: &mut TestCase, lo: [u32; 2]) -> TestResult {
    app_namespace(t, "0", lo[0], false)?;
    app_namespace(t, "1", lo[1], false)?;
    for (table_id, &sw) in lo.iter().enumerate() {
        config_ip4(t, sw, false)?;
        set_table_ip4(t, sw, 0)?;
        admin(t, sw, false)?;
        if table_id != 0 {
            ip_table(t, table_id as u32, false)?;
        }
    }
    session_off(t)
}

/// Routes each loopback's address from the other table, runs `f`, removes
/// the routes.
pub fn with_inter_table_routes(
    t: &mut TestCase,
    lo: [u32; 2],
    f: impl FnOnce(&mut TestCase) -> TestResult,
) -> TestResult {
    route_via_table(t, &local_ip4(lo[1]), 32, 0, 1, true)?;
    route_via_table(t, &local_ip4(lo[0]), 32, 1, 0, true)?;
    let out = f(t);
    route_via_table(t, &local_ip4(lo[1]), 32, 0, 1, false)?;
    route_via_table(t, &local_ip4(lo[0]), 32, 1, 0, false)?;
    out
}

/// The IPv6 address VPP's framework gives an interface: `fd01:<sw_if_index hex>::1` (a /64).
pub fn local_ip6(sw_if_index: u32) -> String {
    format!("fd01:{sw_if_index:x}::1")
}

/// `VppIpTable(table_id, is_ip6=1)`.
pub fn ip6_table(t: &mut TestCase, table_id: u32, is_add: bool) -> TestResult {
    table(t, table_id, true, is_add)
}

/// `set_table_ip6(table_id)`.
pub fn set_table_ip6(t: &mut TestCase, sw_if_index: u32, table_id: u32) -> TestResult {
    set_table(t, sw_if_index, true, table_id)
}

/// `config_ip6()` / `unconfig_ip6()`: the interface's local /64.
pub fn config_ip6(t: &mut TestCase, sw_if_index: u32, is_add: bool) -> TestResult {
    interface_address(
        t,
        sw_if_index,
        &format!("{}/64", local_ip6(sw_if_index)),
        is_add,
    )
}

/// [`route_via_table`] for an IPv6 host route (a /128).
pub fn route6_via_table(
    t: &mut TestCase,
    dst: &str,
    table_id: u32,
    nh_table_id: u32,
    is_add: bool,
) -> TestResult {
    route_via_table(t, dst, 128, table_id, nh_table_id, is_add)
}

/// `session_enable_disable_v2(rt_engine_type=...)`.
pub fn session_engine(t: &mut TestCase, rt_engine_type: RtBackendEngine) -> TestResult {
    t.api()
        .request(&SessionEnableDisableV2 { rt_engine_type })?;
    Ok(())
}

/// The set-up of VPP's HTTP static server and Prometheus suites: a network
/// namespace, a veth pair with 10.10.1.1/24 on the namespace's end, and
/// VPP's af_packet `host-<name>` interface on the other, up, 10.10.1.2/24.
pub fn host_interface_to_vpp(t: &mut TestCase) -> TestResult<asf_core::host::Netns> {
    let ns = t.create_namespace()?;
    let hi = t.create_host_interface(&ns, &["10.10.1.1/24"])?;
    t.cli(&format!("create host-interface name {}", hi.vpp_if_name))?;
    t.cli(&format!("set int state host-{} up", hi.vpp_if_name))?;
    t.cli(&format!(
        "set int ip address host-{} 10.10.1.2/24",
        hi.vpp_if_name
    ))?;
    Ok(ns)
}

/// `ip netns exec <ns> curl <args>` as VPP's suites run it: a helper in the
/// namespace, its exit, stdout and stderr.
pub fn curl_in(
    t: &mut TestCase,
    ns: &asf_core::host::Netns,
    args: &[&str],
) -> TestResult<asf_core::helper::HelperExit> {
    t.run_helper(
        asf_core::helper::Helper::new("curl")
            .args(args.iter().copied())
            .netns(ns)
            .timeout(std::time::Duration::from_secs(60)),
    )
}

/// The host side of a suite that reaches VPP from a network namespace,
/// with no kernel feature beyond veth: a namespace, a veth pair with
/// `host_prefixes` on the namespace's end (IPv6 ones without duplicate
/// address detection, usable at once), and VPP's af_packet interface
/// `host-<name>` on the other, up. Returns the namespace, the veth pair and
/// VPP's `sw_if_index` of it.
pub fn af_packet_to_vpp(
    t: &mut TestCase,
    host_prefixes: &[&str],
) -> TestResult<(asf_core::host::Netns, asf_core::host::HostInterface, u32)> {
    let ns = t.create_namespace()?;
    let v4: Vec<&str> = host_prefixes
        .iter()
        .copied()
        .filter(|p| !p.contains(':'))
        .collect();
    let hi = t.create_host_interface(&ns, &v4)?;
    for p in host_prefixes.iter().filter(|p| p.contains(':')) {
        ns.ip(&["addr", "add", p, "dev", &hi.host_if_name, "nodad"])?;
    }
    t.cli(&format!("create host-interface name {}", hi.vpp_if_name))?;
    let name = format!("host-{}", hi.vpp_if_name);
    let found = t.api().dump(&SwInterfaceDump {
        name_filter_valid: true,
        name_filter: name.clone(),
        ..SwInterfaceDump::default()
    })?;
    let sw = found
        .iter()
        .find(|i| i.interface_name == name.as_str())
        .map(|i| i.sw_if_index)
        .ok_or_else(|| format!("no VPP interface {name}"))?;
    admin(t, sw, true)?;
    Ok((ns, hi, sw))
}
