//! Typed core messages (memclnt, vlib, vpe) with the name and CRC VPP
//! announces for them. Requests carry `client_index` and `context`, which
//! the client writes; the types hold only the payload after them. Replies
//! hold the payload after `context`.

use super::codec::{DecodeError, Reader, Writer};

/// A message with a fixed name and CRC.
pub trait Message: Sized {
    /// The message name, e.g. `control_ping`.
    const NAME: &'static str;
    /// The CRC as 8 lowercase hex digits.
    const CRC: &'static str;
    /// Writes the payload (after the header fields).
    fn encode(&self, w: &mut Writer);
    /// Reads the payload (after the header fields).
    fn decode(r: &mut Reader) -> Result<Self, DecodeError>;
    /// `name_crc`, the key of VPP's message table.
    fn name_crc() -> String {
        format!("{}_{}", Self::NAME, Self::CRC)
    }
}

/// A request and the reply it gets.
pub trait Request: Message {
    /// The reply message.
    type Reply: Reply;
}

/// A classic dump: details messages, ended by a `control_ping`.
pub trait DumpRequest: Message {
    /// The details message.
    type Details: Message;
}

/// A reply: knows its retval, if it has one.
pub trait Reply: Message {
    /// The `retval` field, if the message has one.
    fn retval(&self) -> Option<i32>;
}

macro_rules! empty_request {
    ($ty:ident, $name:literal, $reply:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct $ty;

        impl Message for $ty {
            const NAME: &'static str = $name;
            const CRC: &'static str = "51077d14";
            fn encode(&self, _: &mut Writer) {}
            fn decode(_: &mut Reader) -> Result<Self, DecodeError> {
                Ok($ty)
            }
        }

        impl Request for $ty {
            type Reply = $reply;
        }
    };
}

empty_request!(
    ControlPing,
    "control_ping",
    ControlPingReply,
    "`control_ping`: liveness probe and dump terminator."
);
empty_request!(
    ShowVersion,
    "show_version",
    ShowVersionReply,
    "`show_version`."
);
empty_request!(
    GetApiJson,
    "get_api_json",
    GetApiJsonReply,
    "`get_api_json`: the `.api.json` of every loaded module (VPP >= 24.06)."
);

/// `get_api_json_reply`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetApiJsonReply {
    /// 0 on success.
    pub retval: i32,
    /// A JSON array of per-module objects.
    pub json: String,
}

impl Message for GetApiJsonReply {
    const NAME: &'static str = "get_api_json_reply";
    const CRC: &'static str = "ea715b59";
    fn encode(&self, w: &mut Writer) {
        w.i32(self.retval).string(&self.json);
    }
    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(GetApiJsonReply {
            retval: r.i32()?,
            json: r.string()?,
        })
    }
}

impl Reply for GetApiJsonReply {
    fn retval(&self) -> Option<i32> {
        Some(self.retval)
    }
}

/// `control_ping_reply`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ControlPingReply {
    /// 0 on success.
    pub retval: i32,
    /// Echo of the client index.
    pub client_index: u32,
    /// VPP's process id.
    pub vpe_pid: u32,
}

impl Message for ControlPingReply {
    const NAME: &'static str = "control_ping_reply";
    const CRC: &'static str = "f6b0b8ca";
    fn encode(&self, w: &mut Writer) {
        w.i32(self.retval).u32(self.client_index).u32(self.vpe_pid);
    }
    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(ControlPingReply {
            retval: r.i32()?,
            client_index: r.u32()?,
            vpe_pid: r.u32()?,
        })
    }
}

impl Reply for ControlPingReply {
    fn retval(&self) -> Option<i32> {
        Some(self.retval)
    }
}

/// `show_version_reply`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShowVersionReply {
    /// 0 on success.
    pub retval: i32,
    /// Always `vpe`.
    pub program: String,
    /// e.g. `26.10-rc0~374-gb575ec2c56d`.
    pub version: String,
    /// Build date.
    pub build_date: String,
    /// Build directory.
    pub build_directory: String,
}

impl Message for ShowVersionReply {
    const NAME: &'static str = "show_version_reply";
    const CRC: &'static str = "c919bde1";
    fn encode(&self, w: &mut Writer) {
        w.i32(self.retval)
            .fixed_string(&self.program, 32)
            .fixed_string(&self.version, 32)
            .fixed_string(&self.build_date, 32)
            .fixed_string(&self.build_directory, 256);
    }
    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(ShowVersionReply {
            retval: r.i32()?,
            program: r.fixed_string(32)?,
            version: r.fixed_string(32)?,
            build_date: r.fixed_string(32)?,
            build_directory: r.fixed_string(256)?,
        })
    }
}

impl Reply for ShowVersionReply {
    fn retval(&self) -> Option<i32> {
        Some(self.retval)
    }
}

/// `cli_inband`: run a CLI command, get its output.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CliInband {
    /// The command text.
    pub cmd: String,
}

impl Message for CliInband {
    const NAME: &'static str = "cli_inband";
    const CRC: &'static str = "f8377302";
    fn encode(&self, w: &mut Writer) {
        w.string(&self.cmd);
    }
    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(CliInband { cmd: r.string()? })
    }
}

impl Request for CliInband {
    type Reply = CliInbandReply;
}

/// `cli_inband_reply`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CliInbandReply {
    /// 0 on success.
    pub retval: i32,
    /// What the command printed.
    pub reply: String,
}

impl Message for CliInbandReply {
    const NAME: &'static str = "cli_inband_reply";
    const CRC: &'static str = "05879051";
    fn encode(&self, w: &mut Writer) {
        w.i32(self.retval).string(&self.reply);
    }
    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(CliInbandReply {
            retval: r.i32()?,
            reply: r.string()?,
        })
    }
}

impl Reply for CliInbandReply {
    fn retval(&self) -> Option<i32> {
        Some(self.retval)
    }
}

/// `sockclnt_delete`: end the registration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SockclntDelete {
    /// The client handle.
    pub index: u32,
}

impl Message for SockclntDelete {
    const NAME: &'static str = "sockclnt_delete";
    const CRC: &'static str = "8ac76db6";
    fn encode(&self, w: &mut Writer) {
        w.u32(self.index);
    }
    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(SockclntDelete { index: r.u32()? })
    }
}

impl Request for SockclntDelete {
    type Reply = SockclntDeleteReply;
}

/// `sockclnt_delete_reply`: `response` is +1 on success.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SockclntDeleteReply {
    /// +1 on success, -1 for an unknown index.
    pub response: i32,
}

impl Message for SockclntDeleteReply {
    const NAME: &'static str = "sockclnt_delete_reply";
    const CRC: &'static str = "8f38b1ee";
    fn encode(&self, w: &mut Writer) {
        w.i32(self.response);
    }
    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(SockclntDeleteReply { response: r.i32()? })
    }
}

impl Reply for SockclntDeleteReply {
    fn retval(&self) -> Option<i32> {
        None
    }
}

/// Message id of `sockclnt_create`, fixed in every VPP since 18.01.
pub const SOCKCLNT_CREATE_ID: u16 = 15;
/// Message id of `sockclnt_create_reply`.
pub const SOCKCLNT_CREATE_REPLY_ID: u16 = 16;

/// A field type with a fixed wire encoding, for [`api_message!`].
pub trait Wire: Sized {
    /// Writes the value.
    fn put(&self, w: &mut Writer);
    /// Reads a value.
    fn get(r: &mut Reader) -> Result<Self, DecodeError>;
}

macro_rules! wire_int {
    ($($t:ty => $put:ident, $get:ident;)*) => {$(
        impl Wire for $t {
            fn put(&self, w: &mut Writer) {
                w.$put(*self);
            }
            fn get(r: &mut Reader) -> Result<Self, DecodeError> {
                r.$get()
            }
        }
    )*};
}

wire_int! {
    u8 => u8, u8;
    bool => bool, bool;
    u16 => u16, u16;
    u32 => u32, u32;
    i32 => i32, i32;
    u64 => u64, u64;
    f64 => f64, f64;
}

impl<const N: usize> Wire for [u8; N] {
    fn put(&self, w: &mut Writer) {
        w.bytes(self);
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        let mut a = [0u8; N];
        a.copy_from_slice(r.take(N)?);
        Ok(a)
    }
}

/// `string name[N]`: fixed N bytes on the wire.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FixedString<const N: usize>(pub String);

impl<const N: usize> Wire for FixedString<N> {
    fn put(&self, w: &mut Writer) {
        w.fixed_string(&self.0, N);
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(FixedString(r.fixed_string(N)?))
    }
}

impl<const N: usize> std::fmt::Display for FixedString<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `string name[]`: u32 length then bytes.
impl Wire for String {
    fn put(&self, w: &mut Writer) {
        w.string(self);
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        r.string()
    }
}

/// `vl_api_mac_address_t`.
pub type MacAddress = [u8; 6];
/// `vl_api_interface_index_t`.
pub type InterfaceIndex = u32;
/// `if_status_flags`: administratively up.
pub const IF_STATUS_API_FLAG_ADMIN_UP: u32 = 1;
/// `if_status_flags`: link up.
pub const IF_STATUS_API_FLAG_LINK_UP: u32 = 2;

/// Declares a message struct whose fields are all [`Wire`] types.
macro_rules! api_message {
    ($(#[$m:meta])* $ty:ident = $name:literal, $crc:literal { $($(#[$fm:meta])* $field:ident : $fty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $ty {
            $($(#[$fm])* pub $field: $fty,)*
        }

        impl Message for $ty {
            const NAME: &'static str = $name;
            const CRC: &'static str = $crc;
            fn encode(&self, _w: &mut Writer) {
                $(Wire::put(&self.$field, _w);)*
            }
            fn decode(_r: &mut Reader) -> Result<Self, DecodeError> {
                Ok($ty { $($field: Wire::get(_r)?,)* })
            }
        }
    };
}

macro_rules! retval_reply {
    ($($ty:ty),*) => {$(
        impl Reply for $ty {
            fn retval(&self) -> Option<i32> {
                Some(self.retval)
            }
        }
    )*};
}

api_message! {
    /// `create_loopback`: all-zero MAC lets VPP pick one.
    CreateLoopback = "create_loopback", "42bb5d22" { mac_address: MacAddress }
}
api_message! {
    /// `create_loopback_reply`.
    CreateLoopbackReply = "create_loopback_reply", "5383d31f" { retval: i32, sw_if_index: InterfaceIndex }
}
api_message! {
    /// `create_loopback_instance`: `loop<user_instance>` when `is_specified`.
    CreateLoopbackInstance = "create_loopback_instance", "d36a3ee2" {
        mac_address: MacAddress, is_specified: bool, user_instance: u32,
    }
}
api_message! {
    /// `create_loopback_instance_reply`.
    CreateLoopbackInstanceReply = "create_loopback_instance_reply", "5383d31f" { retval: i32, sw_if_index: InterfaceIndex }
}
api_message! {
    /// `delete_loopback`.
    DeleteLoopback = "delete_loopback", "f9e6675e" { sw_if_index: InterfaceIndex }
}
api_message! {
    /// `delete_loopback_reply`.
    DeleteLoopbackReply = "delete_loopback_reply", "e8d4e804" { retval: i32 }
}
api_message! {
    /// `sw_interface_set_flags`: only `IF_STATUS_API_FLAG_ADMIN_UP` matters.
    SwInterfaceSetFlags = "sw_interface_set_flags", "f5aec1b8" { sw_if_index: InterfaceIndex, flags: u32 }
}
api_message! {
    /// `sw_interface_set_flags_reply`.
    SwInterfaceSetFlagsReply = "sw_interface_set_flags_reply", "e8d4e804" { retval: i32 }
}
api_message! {
    /// `want_interface_events`: subscribe (1) or not (0) to `sw_interface_event`.
    WantInterfaceEvents = "want_interface_events", "476f5a08" { enable_disable: u32, pid: u32 }
}
api_message! {
    /// `want_interface_events_reply`.
    WantInterfaceEventsReply = "want_interface_events_reply", "e8d4e804" { retval: i32 }
}
api_message! {
    /// `sw_interface_event` (an event: no context; fields after `client_index`).
    SwInterfaceEvent = "sw_interface_event", "2d3d95a7" {
        client_index: u32, pid: u32, sw_if_index: InterfaceIndex, flags: u32, deleted: bool,
    }
}
api_message! {
    /// `sw_interface_details`.
    SwInterfaceDetails = "sw_interface_details", "6c221fc7" {
        sw_if_index: InterfaceIndex,
        sup_sw_if_index: u32,
        l2_address: MacAddress,
        flags: u32,
        r#type: u32,
        link_duplex: u32,
        link_speed: u32,
        link_mtu: u16,
        mtu: [u8; 16],
        sub_id: u32,
        sub_number_of_tags: u8,
        sub_outer_vlan_id: u16,
        sub_inner_vlan_id: u16,
        sub_if_flags: u32,
        vtr_op: u32,
        vtr_push_dot1q: u32,
        vtr_tag1: u32,
        vtr_tag2: u32,
        outer_tag: u16,
        b_dmac: MacAddress,
        b_smac: MacAddress,
        b_vlanid: u16,
        i_sid: u32,
        interface_name: FixedString<64>,
        interface_dev_type: FixedString<64>,
        tag: FixedString<64>,
    }
}

/// `sw_interface_dump`: all interfaces, one by index, or those whose name
/// contains `name_filter` (when `name_filter_valid`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwInterfaceDump {
    /// `u32::MAX` (the default) for all.
    pub sw_if_index: InterfaceIndex,
    /// Filter by name.
    pub name_filter_valid: bool,
    /// Case-insensitive substring of the name.
    pub name_filter: String,
}

impl Default for SwInterfaceDump {
    fn default() -> Self {
        SwInterfaceDump {
            sw_if_index: u32::MAX,
            name_filter_valid: false,
            name_filter: String::new(),
        }
    }
}

impl Message for SwInterfaceDump {
    const NAME: &'static str = "sw_interface_dump";
    const CRC: &'static str = "aa610c27";
    fn encode(&self, w: &mut Writer) {
        w.u32(self.sw_if_index)
            .bool(self.name_filter_valid)
            .string(&self.name_filter);
    }
    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(SwInterfaceDump {
            sw_if_index: r.u32()?,
            name_filter_valid: r.bool()?,
            name_filter: r.string()?,
        })
    }
}

impl DumpRequest for SwInterfaceDump {
    type Details = SwInterfaceDetails;
}

impl SwInterfaceDetails {
    /// The four MTUs (L3, IP4, IP6, MPLS).
    pub fn mtus(&self) -> [u32; 4] {
        let m = &self.mtu;
        [0, 4, 8, 12].map(|i| u32::from_be_bytes([m[i], m[i + 1], m[i + 2], m[i + 3]]))
    }
}

retval_reply!(
    CreateLoopbackReply,
    CreateLoopbackInstanceReply,
    DeleteLoopbackReply,
    SwInterfaceSetFlagsReply,
    WantInterfaceEventsReply
);

impl Request for CreateLoopback {
    type Reply = CreateLoopbackReply;
}
impl Request for CreateLoopbackInstance {
    type Reply = CreateLoopbackInstanceReply;
}
impl Request for DeleteLoopback {
    type Reply = DeleteLoopbackReply;
}
impl Request for SwInterfaceSetFlags {
    type Reply = SwInterfaceSetFlagsReply;
}
impl Request for WantInterfaceEvents {
    type Reply = WantInterfaceEventsReply;
}

empty_request!(
    MemclntKeepalive,
    "memclnt_keepalive",
    MemclntKeepaliveReply,
    "`memclnt_keepalive` (VPP never sends it to socket clients; answering is harmless)."
);
empty_request!(
    ApiVersions,
    "api_versions",
    ApiVersionsReply,
    "`api_versions`: the version of every loaded module."
);
empty_request!(
    ShowThreads,
    "show_threads",
    ShowThreadsReply,
    "`show_threads`: VPP's main and worker threads."
);

api_message! {
    /// `memclnt_keepalive_reply`.
    MemclntKeepaliveReply = "memclnt_keepalive_reply", "e8d4e804" { retval: i32 }
}
api_message! {
    /// `get_first_msg_id`: `name` is `<module>_<file crc as 8 hex digits>`.
    GetFirstMsgId = "get_first_msg_id", "ebf79a66" { name: FixedString<64> }
}
api_message! {
    /// `get_first_msg_id_reply`: -7 and 0xffff for an unknown module.
    GetFirstMsgIdReply = "get_first_msg_id_reply", "7d337472" { retval: i32, first_msg_id: u16 }
}
api_message! {
    /// One module of `api_versions_reply`.
    ModuleVersion = "module_version", "00000000" { major: u32, minor: u32, patch: u32, name: FixedString<64> }
}
api_message! {
    /// One thread of `show_threads_reply`.
    ThreadData = "thread_data", "00000000" {
        id: u32, name: FixedString<64>, r#type: FixedString<64>, pid: u32, cpu_id: u32, core: u32, cpu_socket: u32,
    }
}

impl Wire for ModuleVersion {
    fn put(&self, w: &mut Writer) {
        self.encode(w);
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        Self::decode(r)
    }
}

impl Wire for ThreadData {
    fn put(&self, w: &mut Writer) {
        self.encode(w);
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        Self::decode(r)
    }
}

/// `T name[count]` preceded by its `u32 count` field.
fn get_counted<T: Wire>(r: &mut Reader, elem_size: usize) -> Result<Vec<T>, DecodeError> {
    let n = r.u32()? as usize;
    if n.saturating_mul(elem_size) > r.remaining() {
        return Err(DecodeError(format!(
            "count {n} needs more than the {} bytes left",
            r.remaining()
        )));
    }
    (0..n).map(|_| T::get(r)).collect()
}

fn put_counted<T: Wire>(w: &mut Writer, items: &[T]) {
    w.u32(u32::try_from(items.len()).unwrap_or(u32::MAX));
    for i in items {
        i.put(w);
    }
}

/// `api_versions_reply`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApiVersionsReply {
    /// 0 on success.
    pub retval: i32,
    /// Every loaded module.
    pub api_versions: Vec<ModuleVersion>,
}

impl Message for ApiVersionsReply {
    const NAME: &'static str = "api_versions_reply";
    const CRC: &'static str = "5f0d99d6";
    fn encode(&self, w: &mut Writer) {
        w.i32(self.retval);
        put_counted(w, &self.api_versions);
    }
    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(ApiVersionsReply {
            retval: r.i32()?,
            api_versions: get_counted(r, 76)?,
        })
    }
}

/// `show_threads_reply`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShowThreadsReply {
    /// 0 on success.
    pub retval: i32,
    /// The threads, main first.
    pub thread_data: Vec<ThreadData>,
}

impl Message for ShowThreadsReply {
    const NAME: &'static str = "show_threads_reply";
    const CRC: &'static str = "efd78e83";
    fn encode(&self, w: &mut Writer) {
        w.i32(self.retval);
        put_counted(w, &self.thread_data);
    }
    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(ShowThreadsReply {
            retval: r.i32()?,
            thread_data: get_counted(r, 148)?,
        })
    }
}

retval_reply!(
    MemclntKeepaliveReply,
    GetFirstMsgIdReply,
    ApiVersionsReply,
    ShowThreadsReply
);

impl Request for GetFirstMsgId {
    type Reply = GetFirstMsgIdReply;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_decode_from_295_bytes() {
        let mut w = Writer::new();
        let d = SwInterfaceDetails {
            sw_if_index: 1,
            interface_name: FixedString("loop0".into()),
            interface_dev_type: FixedString("Loopback".into()),
            ..SwInterfaceDetails::default()
        };
        d.encode(&mut w);
        let bytes = w.into_bytes();
        assert_eq!(bytes.len() + 6, 295, "payload after _vl_msg_id and context");
        assert_eq!(
            SwInterfaceDetails::decode(&mut Reader::new(&bytes)).unwrap(),
            d
        );
    }

    #[test]
    fn sw_interface_dump_encodes_as_the_wire_doc_shows() {
        let mut w = Writer::new();
        SwInterfaceDump {
            name_filter_valid: true,
            name_filter: "loop".into(),
            ..SwInterfaceDump::default()
        }
        .encode(&mut w);
        assert_eq!(
            w.into_bytes(),
            [0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0, 4, b'l', b'o', b'o', b'p']
        );
    }
}
