//! The CLI over the API (`cli_inband`), with VPP's colour codes removed.

use super::*;

impl ApiClient {
    /// Runs a CLI command through `cli_inband` and returns what it printed,
    /// ANSI escapes removed.
    pub fn cli(&mut self, cmd: &str) -> Result<String, CliError> {
        let reply = self.request_raw(&CliInband {
            cmd: format!("{cmd}\n"),
        })?;
        let text = strip_ansi(&reply.reply);
        match reply.retval {
            0 => Ok(text),
            -156 => Err(CliError::Syntax {
                cmd: cmd.into(),
                reply: text.trim_end().into(),
            }),
            _ if text.contains("unknown input") || text.contains("parse error") => {
                Err(CliError::Syntax {
                    cmd: cmd.into(),
                    reply: text.trim_end().into(),
                })
            }
            retval => Err(CliError::Failed {
                cmd: cmd.into(),
                retval,
                reply: text.trim_end().into(),
            }),
        }
    }
}

/// Removes ANSI escape sequences (CSI and two-byte escapes).
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        if chars.next() == Some('[') {
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colour_codes() {
        assert_eq!(strip_ansi("\u{1b}[1;32mID\u{1b}[0m  Name"), "ID  Name");
        assert_eq!(strip_ansi("plain"), "plain");
    }
}
