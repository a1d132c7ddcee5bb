//! VPP's startup configuration: the command-line arguments joined with
//! spaces and parsed as `section { tokens }` or `section token`, as VPP
//! does. Unknown sections are an error, as in VPP.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The sections VPP (with the plugins asf's tests use) accepts.
pub const KNOWN_SECTIONS: &[&str] = &[
    "unix",
    "api-trace",
    "api-segment",
    "cpu",
    "physmem",
    "statseg",
    "socksvr",
    "node",
    "api-fuzz",
    "plugins",
    "memory",
    "buffers",
    "logging",
    "heapsize",
    "dpdk",
    "session",
    "tcp",
    "punt",
    "ip",
    "ip6",
    "l2learn",
    "l2fib",
    "nat",
    "nat44",
    "lcp",
    "crypto-engines",
    "vlib",
    "tuntap",
    "acl-plugin",
    "tls",
    "quic",
    "srv6",
    "policer",
    "mactime",
    "vhost-user",
    "linux-cp",
    "ipsec",
    "api-queue",
];

/// The parsed configuration.
#[derive(Debug, Default)]
pub struct Startup {
    /// Section name → its tokens (a section written twice has its tokens appended).
    pub sections: BTreeMap<String, Vec<String>>,
}

impl Startup {
    /// Parses VPP's argv (without the program name).
    pub fn parse(args: &[String]) -> Result<Startup, String> {
        let text = args.join(" ");
        let tokens: Vec<String> = text.split_whitespace().map(str::to_string).collect();
        let mut sections: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut i = 0;
        while i < tokens.len() {
            let name = &tokens[i];
            if !KNOWN_SECTIONS.contains(&name.as_str()) {
                return Err(format!("unknown input `{}'", tokens[i..].join(" ")));
            }
            i += 1;
            let mut body = Vec::new();
            if tokens.get(i).map(String::as_str) == Some("{") {
                i += 1;
                let mut depth = 1;
                while i < tokens.len() {
                    match tokens[i].as_str() {
                        "{" => depth += 1,
                        "}" => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    body.push(tokens[i].clone());
                    i += 1;
                }
                if depth != 0 {
                    return Err(format!("{name}: missing closing brace"));
                }
                i += 1;
            } else if let Some(tok) = tokens.get(i) {
                body.push(tok.clone());
                i += 1;
            }
            sections.entry(name.clone()).or_default().extend(body);
        }
        let startup = Startup { sections };
        // As in VPP, a plugin's stanza is unknown when the plugin is not loaded.
        if startup.sections.contains_key("api-fuzz")
            && !startup.plugin_enabled("unittest_plugin.so")
        {
            return Err("vlib_call_all_config_functions: unknown input `api-fuzz ...' (the unittest plugin is disabled)".into());
        }
        Ok(startup)
    }

    /// Whether a plugin is loaded under the `plugins { }` stanza: enabled by
    /// name, or not disabled by name nor by `plugin default { disable }`.
    pub fn plugin_enabled(&self, name: &str) -> bool {
        let toks = self
            .sections
            .get("plugins")
            .map(Vec::as_slice)
            .unwrap_or_default();
        let state_of = |plugin: &str| {
            toks.windows(4)
                .find(|w| w[0] == "plugin" && w[1] == plugin && w[2] == "{")
                .map(|w| w[3].clone())
        };
        match state_of(name).as_deref() {
            Some("enable") => true,
            Some("disable") => false,
            _ => state_of("default").as_deref() != Some("disable"),
        }
    }

    fn value_after(&self, section: &str, key: &str) -> Option<&str> {
        let toks = self.sections.get(section)?;
        toks.iter()
            .position(|t| t == key)
            .and_then(|p| toks.get(p + 1))
            .map(String::as_str)
    }

    /// `unix { runtime-dir }`, else `/run/vpp`.
    /// `api-segment { prefix P }`: the names of the shared-memory files.
    pub fn api_prefix(&self) -> Option<String> {
        self.value_after("api-segment", "prefix")
            .map(str::to_string)
    }

    /// The runtime dir (`unix { runtime-dir }`, default `/run/vpp`).
    pub fn runtime_dir(&self) -> PathBuf {
        self.value_after("unix", "runtime-dir")
            .map_or_else(|| PathBuf::from("/run/vpp"), PathBuf::from)
    }

    fn in_runtime_dir(&self, p: &str) -> PathBuf {
        let p = PathBuf::from(p);
        if p.is_absolute() {
            p
        } else {
            self.runtime_dir().join(p)
        }
    }

    /// `socksvr { socket-name }`, else `<runtime-dir>/api.sock`.
    pub fn api_socket(&self) -> PathBuf {
        self.in_runtime_dir(
            self.value_after("socksvr", "socket-name")
                .unwrap_or("api.sock"),
        )
    }

    /// The core size limit of `unix { full-coredump coredump-size <size|unlimited> }`.
    pub fn coredump_limit(&self) -> Option<u64> {
        let unix = self.sections.get("unix")?;
        if !unix.iter().any(|t| t == "full-coredump") {
            return None;
        }
        match self.value_after("unix", "coredump-size") {
            None | Some("unlimited") => Some(nix::sys::resource::RLIM_INFINITY),
            Some(size) => parse_size(size).map(|n| n as u64),
        }
    }

    /// `<runtime-dir>/app_ns_sockets/default` when `session { enable
    /// use-app-socket-api }` asks for the app socket API.
    pub fn app_ns_socket(&self) -> Option<PathBuf> {
        let session = self.sections.get("session")?;
        let has = |w: &str| session.iter().any(|t| t == w);
        (has("enable") && has("use-app-socket-api"))
            .then(|| self.runtime_dir().join("app_ns_sockets").join("default"))
    }

    /// `statseg { socket-name }`, else `<runtime-dir>/stats.sock`.
    pub fn stats_socket(&self) -> PathBuf {
        self.in_runtime_dir(
            self.value_after("statseg", "socket-name")
                .unwrap_or("stats.sock"),
        )
    }

    /// `statseg { size }` in bytes (K/M/G suffixes), else 32M.
    pub fn statseg_size(&self) -> usize {
        self.value_after("statseg", "size")
            .and_then(parse_size)
            .unwrap_or(32 << 20)
    }

    /// `statseg { update-interval <seconds> }`, else 10 s.
    pub fn stats_update_interval(&self) -> std::time::Duration {
        self.value_after("statseg", "update-interval")
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| *s > 0.0 && s.is_finite())
            .map_or(
                std::time::Duration::from_secs(10),
                std::time::Duration::from_secs_f64,
            )
    }

    /// Worker threads: `corelist-workers a,b-c` or `workers N`.
    pub fn workers(&self) -> Result<usize, String> {
        if let Some(list) = self.value_after("cpu", "corelist-workers") {
            let mut n = 0;
            for part in list.split(',') {
                match part.split_once('-') {
                    Some((a, b)) => {
                        let (a, b): (usize, usize) = (
                            a.parse()
                                .map_err(|_| format!("cpu: bad corelist `{list}'"))?,
                            b.parse()
                                .map_err(|_| format!("cpu: bad corelist `{list}'"))?,
                        );
                        n += b
                            .checked_sub(a)
                            .ok_or_else(|| format!("cpu: bad corelist `{list}'"))?
                            + 1;
                    }
                    None => {
                        part.parse::<usize>()
                            .map_err(|_| format!("cpu: bad corelist `{list}'"))?;
                        n += 1;
                    }
                }
            }
            return Ok(n);
        }
        match self.value_after("cpu", "workers") {
            Some(w) => w.parse().map_err(|_| format!("cpu: bad workers `{w}'")),
            None => Ok(0),
        }
    }

    /// `cpu { main-core }`, else 0.
    pub fn main_core(&self) -> usize {
        self.value_after("cpu", "main-core")
            .and_then(|c| c.parse().ok())
            .unwrap_or(0)
    }
}

fn parse_size(s: &str) -> Option<usize> {
    let (digits, mult) = match s.chars().last()? {
        'k' | 'K' => (&s[..s.len() - 1], 1 << 10),
        'm' | 'M' => (&s[..s.len() - 1], 1 << 20),
        'g' | 'G' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    digits.parse::<usize>().ok()?.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Startup, String> {
        Startup::parse(&s.split(' ').map(str::to_string).collect::<Vec<_>>())
    }

    #[test]
    fn parses_the_framework_command_line() {
        let s = parse("unix { nodaemon runtime-dir /t/x cli-listen /t/x/cli.sock } cpu { main-core 1 corelist-workers 2,4-5 } socksvr { socket-name /t/x/api.sock } plugins { plugin dpdk_plugin.so { disable } }").unwrap();
        assert_eq!(s.runtime_dir(), PathBuf::from("/t/x"));
        assert_eq!(s.api_socket(), PathBuf::from("/t/x/api.sock"));
        assert_eq!(s.workers().unwrap(), 3);
        assert_eq!(s.main_core(), 1);
        assert_eq!(
            parse("unix { runtime-dir /r } socksvr { socket-name a.sock }")
                .unwrap()
                .api_socket(),
            PathBuf::from("/r/a.sock")
        );
    }

    #[test]
    fn a_plugins_stanza_only_with_its_plugin() {
        assert!(parse("plugins { plugin default { disable } } api-fuzz { off }").is_err());
        assert!(parse("plugins { plugin default { disable } plugin unittest_plugin.so { enable } } api-fuzz { off }").is_ok());
        assert!(parse("plugins { plugin dpdk_plugin.so { disable } } api-fuzz { off }").is_ok());
    }

    #[test]
    fn rejects_unknown_sections_like_vpp() {
        let err = parse("unix { nodaemon } bogus { x }").unwrap_err();
        assert_eq!(err, "unknown input `bogus { x }'");
        assert!(parse("unix { nodaemon").is_err());
    }
}
