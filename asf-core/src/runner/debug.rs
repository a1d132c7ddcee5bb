//! Debug modes of VPP's framework, from `DEBUG` and `STEP`: they force one
//! class at a time in the foreground and lift every time limit.

/// A debug mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `DEBUG=gdb`: print VPP's pid and wait, to attach gdb.
    Gdb,
    /// `DEBUG=gdbserver`: VPP under gdbserver.
    GdbServer,
    /// `DEBUG=attach`: use a VPP that is already running.
    Attach,
    /// `DEBUG=core`: load a core file in gdb after a crash.
    Core,
    /// `STEP=1`: pause before each test.
    Step,
}

impl Mode {
    /// Reads `DEBUG` and `STEP`; a bad value names the valid ones.
    pub fn from_env() -> Result<Option<Mode>, crate::errors::ConfigError> {
        let debug = std::env::var("DEBUG").ok().filter(|v| !v.is_empty());
        let mode = match debug.as_deref() {
            None => None,
            Some("gdb") | Some("gdb-all") => Some(Mode::Gdb),
            Some("gdbserver") | Some("gdbserver-all") => Some(Mode::GdbServer),
            Some("attach") => Some(Mode::Attach),
            Some("core") => Some(Mode::Core),
            Some(v) => {
                return Err(crate::errors::ConfigError::BadEnv {
                    var: "DEBUG",
                    value: v.to_string(),
                    expected: "one of gdb, gdbserver, attach, core".into(),
                })
            }
        };
        let step = matches!(
            std::env::var("STEP").ok().as_deref(),
            Some("1" | "yes" | "true" | "on")
        );
        Ok(mode.or(step.then_some(Mode::Step)))
    }
}
