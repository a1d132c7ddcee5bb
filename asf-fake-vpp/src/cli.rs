//! The CLI commands the stand-in understands, run through `cli_inband`.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Version strings, shared by `show_version` and `show version`.
pub const VERSION: &str = "26.10-rc0~asf-fake";
/// Build date reported.
pub const BUILD_DATE: &str = "2026-11-25T00:00:00";
/// Build directory reported.
pub const BUILD_DIR: &str = "/asf/fake-vpp";

/// A thread as `show threads` lists it.
#[derive(Clone, Debug)]
pub struct ThreadInfo {
    /// Name, `vpp_main` or `vpp_wk_N`.
    pub name: String,
    /// Kernel thread id.
    pub lwp: i32,
    /// CPU it is pinned to.
    pub cpu: usize,
}

/// CLI state.
pub struct Cli {
    /// Process start.
    pub started: Instant,
    /// Threads.
    pub threads: Vec<ThreadInfo>,
}

/// Result of one command line: output text and retval.
pub struct Output {
    /// 0 or -1.
    pub retval: i32,
    /// What the command printed.
    pub text: String,
}

impl Cli {
    /// Runs newline-separated commands until one fails.
    pub fn run(&self, input: &str) -> Output {
        let mut text = String::new();
        for line in input.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
            match self.one(line) {
                Ok(out) => text.push_str(&out),
                Err(e) => {
                    text.push_str(&e);
                    text.push('\n');
                    return Output { retval: -1, text };
                }
            }
        }
        Output { retval: 0, text }
    }

    fn one(&self, cmd: &str) -> Result<String, String> {
        let words: Vec<&str> = cmd.split_whitespace().collect();
        match words.as_slice() {
            ["show", "version"] | ["sh", "ver"] => Ok(format!(
                "vpp v{VERSION} built by asf on fake-vpp at {BUILD_DATE}\n"
            )),
            ["show", "clock"] => {
                let now = self.started.elapsed().as_secs_f64();
                let wall = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_secs();
                let mut out = format!("Time now {now:.6}, {} GMT\n", utc(wall));
                for (i, _) in self.threads.iter().enumerate() {
                    out.push_str(&format!(
                        "{i}: Time now {now:.6}\nThread {i} offset 0.000000000 error 0.000000000\n"
                    ));
                }
                Ok(out)
            }
            ["clear", "trace"] => Ok(String::new()),
            ["show", "threads"] => {
                let mut out = format!(
                    "{:<7}{:<20}{:<8}{:<8}{:<12}\n",
                    "ID", "Name", "LWP", "CPU", "Sched"
                );
                for (i, t) in self.threads.iter().enumerate() {
                    out.push_str(&format!(
                        "{:<7}{:<20}{:<8}{:<8}{:<12}\n",
                        i, t.name, t.lwp, t.cpu, "other (0)"
                    ));
                }
                Ok(out)
            }
            _ => Err(format!("unknown input `{cmd}'")),
        }
    }
}

fn utc(secs: u64) -> String {
    let days = secs / 86_400;
    let s = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y}/{m:02}/{d:02} {:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli() -> Cli {
        Cli {
            started: Instant::now(),
            threads: vec![ThreadInfo {
                name: "vpp_main".into(),
                lwp: 10,
                cpu: 0,
            }],
        }
    }

    #[test]
    fn known_and_unknown_commands() {
        let c = cli();
        assert!(c
            .run("show version\n")
            .text
            .starts_with("vpp v26.10-rc0~asf-fake built by"));
        assert!(c.run("show clock").text.starts_with("Time now "));
        let bad = c.run("show version\nfrobnicate\nshow clock");
        assert_eq!(bad.retval, -1);
        assert!(bad.text.ends_with("unknown input `frobnicate'\n"));
        assert!(
            !bad.text.contains("Time now"),
            "stops at the failing command"
        );
        assert_eq!(utc(0), "1970/01/01 00:00:00");
        assert_eq!(utc(1_795_000_000), "2026/11/18 11:06:40");
    }
}
