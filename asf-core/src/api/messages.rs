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
