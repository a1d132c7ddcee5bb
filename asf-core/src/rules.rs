//! The tag rules, decided before any VPP boots. Pure functions of the class
//! and test descriptors and a [`Facts`] value describing the machine and the
//! VPP under test; no I/O here.

use std::collections::BTreeSet;

use crate::model::{ClassDesc, HostNeeds, Tag, TestDesc};

/// What the rules need to know about the run, gathered once up front.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Why the VPP under test counts as an ASan build, if it does.
    pub asan: Option<String>,
    /// Why the VPP under test counts as a debug build, if it does.
    pub debug_build: Option<String>,
    /// The distribution from `/etc/os-release`.
    pub os: OsRelease,
    /// CPUs a class may use (affinity, capped by `MAX_VPP_CPUS`).
    pub cpus_available: usize,
    /// Workers for classes that do not set `workers` (`VPP_WORKER_COUNT`).
    pub default_workers: u32,
    /// `--extended` / `EXTENDED_TESTS`: run the extended tests.
    pub extended: bool,
    /// `--gcov` / `GCOV_TESTS`: run the code coverage tests.
    pub gcov: bool,
    /// The run is root (effective uid 0).
    pub root: bool,
    /// The programs some test needs that were found on `PATH`.
    pub programs_found: BTreeSet<String>,
    /// `--oversubscribe`: run classes whose helpers do not fit, their helper
    /// slots sharing VPP's CPUs, as long as VPP's own threads fit.
    pub oversubscribe: bool,
    /// The plugin files in the VPP's plugin directories (`<prefix>/lib/
    /// <arch>/vpp_plugins` beside its binary, and `EXTERN_PLUGINS`); None
    /// when it has none there to look at (the stand-in), and then only the
    /// check after boot decides.
    pub plugins_found: Option<BTreeSet<String>>,
    /// The API messages the VPP's `.api.json` files define (its install
    /// tree's `share/vpp/api` or `ASF_API_DIR`, and `EXTERN_APIDIR`); None
    /// when there are none to read (the stand-in, whose definitions come
    /// from VPP itself), and then only the check after boot decides.
    pub messages_defined: Option<BTreeSet<String>>,
    /// The VPP's version as `vpp --version` prints it; None when it could
    /// not be asked (then `requires_vpp` is decided after boot).
    pub vpp_version: Option<String>,
}

/// The fields of `/etc/os-release` the rules look at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OsRelease {
    /// `ID`, e.g. `debian`.
    pub id: String,
    /// `VERSION_ID`, e.g. `12`.
    pub version_id: String,
    /// `VERSION_CODENAME`, e.g. `bookworm`.
    pub codename: String,
}

impl OsRelease {
    /// Parses the text of an os-release file (shell-style `KEY=value`).
    pub fn parse(text: &str) -> OsRelease {
        let mut os = OsRelease::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = value
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_string();
            match key.trim() {
                "ID" => os.id = value,
                "VERSION_ID" => os.version_id = value,
                "VERSION_CODENAME" => os.codename = value,
                _ => {}
            }
        }
        os
    }

    fn is(&self, id: &str, version: &str, codename: &str) -> bool {
        self.id == id && (self.version_id == version || self.codename == codename)
    }
}

/// Colour of a piece of a class header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// The title.
    Green,
    /// `SOLO RUN: ` and the CPU-shortage note.
    Yellow,
    /// `FIXME ...: ` prefixes.
    Red,
    /// Worker-count suffix.
    Plain,
}

/// The header line printed before a class's tests, as coloured pieces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header(pub Vec<(String, Color)>);

impl Header {
    /// The header without colour.
    pub fn plain(&self) -> String {
        self.0.iter().map(|(s, _)| s.as_str()).collect()
    }
}

/// What the rules decided for a class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassPlan {
    /// Workers VPP is started with.
    pub workers: u32,
    /// CPUs the class is given: main core, one per worker, one per helper
    /// slot; fewer when oversubscribed (then the helpers share VPP's).
    pub cpus_required: usize,
    /// Helper slots (`helpers = N`).
    pub helpers: u32,
    /// The class runs with fewer CPUs than its VPP threads and helper slots
    /// need (`--oversubscribe`): its helpers share CPUs with VPP.
    pub oversubscribed: bool,
    /// Runs after all non-solo classes, alone.
    pub solo: bool,
    /// Why the whole class is skipped, if it is.
    pub skip: Option<SkipReason>,
    /// The header line.
    pub header: Header,
}

/// Why a class is skipped before any VPP boots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// A tag rule (`extended`, `gcov`, a `fixme_*` tag on its build or OS).
    Tag(String),
    /// The host lacks what the class needs (root, a program).
    Host(String),
    /// The class's own `skip_if` check said so.
    Check(String),
    /// Fewer CPUs than the class needs: counted apart in TEST RESULTS.
    CpuShortage {
        /// CPUs for VPP's threads and the helper slots.
        required: usize,
        /// CPUs the run may use.
        available: usize,
        /// With `--oversubscribe`, the CPUs VPP's own threads need, when
        /// even those are too many.
        vpp_threads: Option<usize>,
    },
}

impl SkipReason {
    /// True for [`SkipReason::CpuShortage`].
    pub fn is_cpu_shortage(&self) -> bool {
        matches!(self, SkipReason::CpuShortage { .. })
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Tag(s) | SkipReason::Host(s) | SkipReason::Check(s) => f.write_str(s),
            SkipReason::CpuShortage {
                required,
                available,
                vpp_threads,
            } => {
                write!(
                    f,
                    "not enough cpus, required={required}, available={available}"
                )?;
                if let Some(v) = vpp_threads {
                    write!(
                        f,
                        " (VPP's own threads need {v}, even with --oversubscribe)"
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// The worker count of a class: its own `workers`, else 0 for
/// `fixme_vpp_workers`, else the run's default (VPP's `get_vpp_worker_count`).
pub fn worker_count(class: &ClassDesc, facts: &Facts) -> u32 {
    match class.workers {
        Some(n) => n,
        None if class.has_tag(Tag::FixmeVppWorkers) => 0,
        None => facts.default_workers,
    }
}

/// Why a set of tags makes something skip on this run, if it does.
/// Only the skip tags are looked at; `solo` and `fixme_vpp_workers` never skip.
pub fn skip_reason(tags: &[Tag], facts: &Facts) -> Option<String> {
    for tag in tags {
        let reason = match tag {
            Tag::FixmeAsan => facts
                .asan
                .as_ref()
                .map(|why| format!("fixme_asan: the VPP under test is an ASan build ({why})")),
            Tag::FixmeVppDebug => facts
                .debug_build
                .as_ref()
                .map(|why| format!("fixme_vpp_debug: the VPP under test is a debug build ({why})")),
            Tag::FixmeUbuntu2204 => facts
                .os
                .is("ubuntu", "22.04", "jammy")
                .then(|| "fixme_ubuntu2204: running on Ubuntu 22.04 (jammy)".to_string()),
            Tag::FixmeDebian11 => facts
                .os
                .is("debian", "11", "bullseye")
                .then(|| "fixme_debian11: running on Debian 11 (bullseye)".to_string()),
            Tag::Extended => (!facts.extended).then(|| "part of extended tests".to_string()),
            Tag::Gcov => (!facts.gcov).then(|| "part of code coverage tests".to_string()),
            Tag::Solo | Tag::FixmeVppWorkers => None,
        };
        if reason.is_some() {
            return reason;
        }
    }
    None
}

/// The Debian package that provides a program tests commonly need.
pub fn debian_package(program: &str) -> Option<&'static str> {
    Some(match program {
        "curl" => "curl",
        "ip" | "tc" | "bridge" => "iproute2",
        "ethtool" => "ethtool",
        "openssl" => "openssl",
        "iperf3" => "iperf3",
        "tshark" => "tshark",
        "gdb" => "gdb",
        "gdbserver" => "gdbserver",
        "ping" => "iputils-ping",
        "nc" => "netcat-openbsd",
        "wget" => "wget",
        _ => return None,
    })
}

/// Why the host lacks what `needs` asks for (root, programs on `PATH`), if
/// it does. The `skip_if` check is the caller's to run.
pub fn host_reason(needs: &HostNeeds, facts: &Facts) -> Option<String> {
    if needs.root && !facts.root {
        return Some("Requires root: asf is not running as root".to_string());
    }
    let missing: Vec<String> = needs
        .programs
        .iter()
        .filter(|p| !facts.programs_found.contains(**p))
        .map(|p| match debian_package(p) {
            Some(pkg) => format!("`{p}` (Debian package {pkg})"),
            None => format!("`{p}`"),
        })
        .collect();
    if !missing.is_empty() {
        return Some(format!(
            "needs {} on PATH, not found",
            missing.join(" and ")
        ));
    }
    vpp_release_reason(needs, facts)
}

/// Why the VPP under test is older than `requires_vpp` asks, if its version
/// is known before boot and it is.
pub fn vpp_release_reason(needs: &HostNeeds, facts: &Facts) -> Option<String> {
    crate::vpp::release::too_old(needs.vpp_release?, facts.vpp_version.as_deref()?)
}

/// The plugins of `requires_plugins` that no plugin directory of the VPP
/// under test has, if the directories are known: such a class cannot load
/// them, whatever its plugin config, and skips before boot. (A plugin that
/// is there but fails to load is still caught after boot.)
pub fn plugin_reason(class: &ClassDesc, facts: &Facts) -> Option<String> {
    let missing = not_in(class.requires_plugins, facts.plugins_found.as_ref()?)?;
    Some(format!(
        "needs {missing} which this VPP's plugin directories do not have"
    ))
}

/// Why a class cannot run on this VPP, known before boot: a message of its
/// `requires_messages` that none of the VPP's `.api.json` files defines. A
/// message they define may still be missing from the running VPP's table
/// (its plugin not loaded): the check after boot stays the last word.
pub fn message_reason(class: &ClassDesc, facts: &Facts) -> Option<String> {
    let missing = not_in(class.requires_messages, facts.messages_defined.as_ref()?)?;
    Some(format!(
        "needs the API message(s) {missing} which this VPP's .api.json files do not define"
    ))
}

/// The names of `wanted` that `found` lacks, joined with commas; None when
/// it has them all.
fn not_in(wanted: &[&str], found: &BTreeSet<String>) -> Option<String> {
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|w| !found.contains(*w))
        .collect();
    (!missing.is_empty()).then(|| missing.join(", "))
}

/// Decides how a class runs, or why it is skipped.
pub fn plan_class(class: &ClassDesc, facts: &Facts) -> ClassPlan {
    let workers = worker_count(class, facts);
    // One CPU per VPP thread and per helper slot, as VPP's framework counts.
    let vpp_cpus = 1 + workers as usize;
    let needed = vpp_cpus + class.helpers as usize;
    let solo = class.has_tag(Tag::Solo);

    let mut skip = skip_reason(class.tags, facts)
        .map(SkipReason::Tag)
        .or_else(|| host_reason(&class.host, facts).map(SkipReason::Host))
        .or_else(|| plugin_reason(class, facts).map(SkipReason::Host))
        .or_else(|| message_reason(class, facts).map(SkipReason::Host));
    let oversubscribed = facts.oversubscribe && needed > facts.cpus_available;
    let cpu_short = if facts.oversubscribe {
        vpp_cpus > facts.cpus_available
    } else {
        needed > facts.cpus_available
    };
    let cpus_required = if oversubscribed {
        facts.cpus_available
    } else {
        needed
    };
    if skip.is_none() && cpu_short {
        skip = Some(SkipReason::CpuShortage {
            required: needed,
            available: facts.cpus_available,
            vpp_threads: (facts.oversubscribe && class.helpers > 0).then_some(vpp_cpus),
        });
    }

    let mut pieces = vec![(class.title().to_string(), Color::Green)];
    let mut prefix = |text: &str, color| pieces.insert(0, (text.to_string(), color));
    if solo {
        prefix("SOLO RUN: ", Color::Yellow);
    }
    if class.has_tag(Tag::FixmeVppWorkers) {
        prefix("FIXME with VPP workers: ", Color::Red);
    }
    if class.has_tag(Tag::FixmeAsan) {
        prefix("FIXME with ASAN: ", Color::Red);
    }
    if class.workers.is_some() || workers > 0 {
        let suffix = match workers {
            0 => " [main thread only]".to_string(),
            1 => " [1 worker thread]".to_string(),
            n => format!(" [{n} worker threads]"),
        };
        pieces.push((suffix, Color::Plain));
    }
    if cpu_short {
        pieces.push((
            format!(
                " [skipped - not enough cpus, required={needed} cores, available={} cores]",
                facts.cpus_available
            ),
            Color::Yellow,
        ));
    }

    if oversubscribed && !cpu_short {
        // As the scheduler places them: the CPUs VPP's threads leave, or
        // VPP's main core when they leave none.
        let spare = facts.cpus_available.saturating_sub(vpp_cpus);
        let place = if spare == 0 {
            "share VPP's main core".to_string()
        } else {
            format!("share {spare} CPU(s)")
        };
        pieces.push((
            format!(
                " [oversubscribed: {} helper slot(s) {place}]",
                class.helpers
            ),
            Color::Yellow,
        ));
    }

    ClassPlan {
        workers,
        cpus_required,
        helpers: class.helpers,
        oversubscribed: oversubscribed && !cpu_short,
        solo,
        skip,
        header: Header(pieces),
    }
}

/// Why a single test is skipped on top of its class, if it is: the skip
/// tags written on the test itself, or `ignore`.
pub fn test_skip(test: &TestDesc, facts: &Facts) -> Option<String> {
    skip_reason(test.tags, facts).or_else(|| host_reason(&test.host, facts))
}

/// Orders classes for running: non-solo classes first, then solo ones;
/// within each group the registry order is kept.
pub fn run_order(plans: &[(usize, &ClassPlan)]) -> Vec<usize> {
    let mut order: Vec<usize> = plans
        .iter()
        .filter(|(_, p)| !p.solo)
        .map(|(i, _)| *i)
        .collect();
    order.extend(plans.iter().filter(|(_, p)| p.solo).map(|(i, _)| *i));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    const fn class(tags: &'static [Tag], workers: Option<u32>) -> ClassDesc {
        ClassDesc::for_tests(
            "suites::demo::test_demo",
            "test_demo",
            "Demo class\nmore text",
            tags,
            workers,
        )
    }

    fn facts() -> Facts {
        Facts {
            cpus_available: 4,
            ..Facts::default()
        }
    }

    #[test]
    fn a_vpp_older_than_requires_vpp_skips_before_boot() {
        static NEEDS: ClassDesc = ClassDesc {
            host: HostNeeds {
                vpp_release: Some("26.10"),
                ..HostNeeds::NONE
            },
            ..class(&[], None)
        };
        // Version unknown before boot: decided after boot.
        assert!(plan_class(&NEEDS, &facts()).skip.is_none());
        let on = |v: &str| {
            let mut f = facts();
            f.vpp_version = Some(v.into());
            plan_class(&NEEDS, &f).skip.map(|s| s.to_string())
        };
        assert_eq!(
            on("vpp v26.06-release built by root on b at 2026-06-20T10:00:00").as_deref(),
            Some("needs VPP 26.10 or newer; this VPP is vpp v26.06-release built by root on b at 2026-06-20T10:00:00")
        );
        assert_eq!(on("vpp v26.10-rc0~374-gb575ec2c56d built by root"), None);
        assert_eq!(on("vpp v27.02-rc1 built by root"), None);
    }

    #[test]
    fn a_plugin_no_plugin_directory_has_skips_before_boot() {
        static NEEDS: ClassDesc = ClassDesc {
            requires_plugins: &["quic_quicly_plugin.so"],
            ..class(&[], None)
        };
        // Unknown directories (the stand-in): the check after boot decides.
        assert!(plan_class(&NEEDS, &facts()).skip.is_none());
        let mut f = facts();
        f.plugins_found = Some(["quic_plugin.so".to_string()].into());
        assert_eq!(
            plan_class(&NEEDS, &f)
                .skip
                .map(|s| s.to_string())
                .as_deref(),
            Some("needs quic_quicly_plugin.so which this VPP's plugin directories do not have")
        );
        f.plugins_found = Some(["quic_quicly_plugin.so".to_string()].into());
        assert!(plan_class(&NEEDS, &f).skip.is_none());
    }

    #[test]
    fn a_message_no_api_json_file_defines_skips_before_boot() {
        static NEEDS: ClassDesc = ClassDesc {
            requires_messages: &["ip_route_add_del_v2", "sr_policy_add_v2"],
            ..class(&[], None)
        };
        // No .api.json files to read (the stand-in): the check after boot decides.
        assert!(plan_class(&NEEDS, &facts()).skip.is_none());
        let mut f = facts();
        f.messages_defined = Some(["ip_route_add_del_v2".to_string()].into());
        assert_eq!(
            plan_class(&NEEDS, &f).skip.map(|s| s.to_string()).as_deref(),
            Some(
                "needs the API message(s) sr_policy_add_v2 which this VPP's .api.json files do not define"
            )
        );
        f.messages_defined = Some(
            ["ip_route_add_del_v2", "sr_policy_add_v2"]
                .map(String::from)
                .into(),
        );
        assert!(plan_class(&NEEDS, &f).skip.is_none());
    }

    #[test]
    fn solo_runs_last_and_gets_prefix() {
        static SOLO: ClassDesc = class(&[Tag::Solo], None);
        static PLAIN: ClassDesc = class(&[], None);
        let solo = plan_class(&SOLO, &facts());
        let plain = plan_class(&PLAIN, &facts());
        assert!(solo.solo && !plain.solo);
        assert_eq!(solo.header.plain(), "SOLO RUN: Demo class");
        assert_eq!(solo.header.0[0].1, Color::Yellow);
        assert_eq!(plain.header.plain(), "Demo class");
        assert_eq!(
            run_order(&[(0, &solo), (1, &plain), (2, &plain)]),
            vec![1, 2, 0]
        );
    }

    #[test]
    fn fixme_vpp_workers_forces_zero_workers_unless_class_sets_them() {
        static TAGGED: ClassDesc = class(&[Tag::FixmeVppWorkers], None);
        static TAGGED_WITH_WORKERS: ClassDesc = class(&[Tag::FixmeVppWorkers], Some(2));
        static UNTAGGED: ClassDesc = class(&[], None);
        let f = Facts {
            default_workers: 2,
            ..facts()
        };
        assert_eq!(worker_count(&TAGGED, &f), 0);
        assert_eq!(worker_count(&TAGGED_WITH_WORKERS, &f), 2);
        assert_eq!(worker_count(&UNTAGGED, &f), 2);
        let plan = plan_class(&TAGGED, &f);
        assert_eq!(plan.header.plain(), "FIXME with VPP workers: Demo class");
        assert_eq!(plan.header.0[0].1, Color::Red);
    }

    #[test]
    fn fixme_asan_skips_only_on_asan_builds() {
        static ASAN: ClassDesc = class(&[Tag::FixmeAsan], None);
        let plan = plan_class(&ASAN, &facts());
        assert_eq!(plan.skip, None);
        assert_eq!(plan.header.plain(), "FIXME with ASAN: Demo class");
        let f = Facts {
            asan: Some("VPP_EXTRA_CMAKE_ARGS has -DVPP_ENABLE_SANITIZE_ADDR=ON".into()),
            ..facts()
        };
        let plan = plan_class(&ASAN, &f);
        assert_eq!(
            plan.skip.as_ref().map(ToString::to_string).as_deref(),
            Some("fixme_asan: the VPP under test is an ASan build (VPP_EXTRA_CMAKE_ARGS has -DVPP_ENABLE_SANITIZE_ADDR=ON)")
        );
        static PLAIN: ClassDesc = class(&[], None);
        assert_eq!(plan_class(&PLAIN, &f).skip, None);
    }

    #[test]
    fn distro_tags_follow_os_release() {
        let jammy = OsRelease::parse(
            "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\n",
        );
        let bullseye =
            OsRelease::parse("ID=debian\nVERSION_ID=\"11\"\nVERSION_CODENAME=bullseye\n");
        let bookworm =
            OsRelease::parse("ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n");
        let on = |os: &OsRelease| Facts {
            os: os.clone(),
            ..facts()
        };
        assert!(skip_reason(&[Tag::FixmeUbuntu2204], &on(&jammy))
            .unwrap()
            .contains("Ubuntu 22.04"));
        assert_eq!(skip_reason(&[Tag::FixmeUbuntu2204], &on(&bookworm)), None);
        assert_eq!(skip_reason(&[Tag::FixmeUbuntu2204], &on(&bullseye)), None);
        assert!(skip_reason(&[Tag::FixmeDebian11], &on(&bullseye))
            .unwrap()
            .contains("Debian 11"));
        assert_eq!(skip_reason(&[Tag::FixmeDebian11], &on(&bookworm)), None);
        assert_eq!(skip_reason(&[Tag::FixmeDebian11], &on(&jammy)), None);
    }

    #[test]
    fn fixme_vpp_debug_skips_on_debug_builds() {
        let f = Facts {
            debug_build: Some("TAG=vpp_debug".into()),
            ..facts()
        };
        assert_eq!(
            skip_reason(&[Tag::FixmeVppDebug], &f).as_deref(),
            Some("fixme_vpp_debug: the VPP under test is a debug build (TAG=vpp_debug)")
        );
        assert_eq!(skip_reason(&[Tag::FixmeVppDebug], &facts()), None);
    }

    #[test]
    fn cpu_shortage_skips_with_counts() {
        static WIDE: ClassDesc = class(&[], Some(4));
        let plan = plan_class(&WIDE, &facts());
        assert_eq!(plan.cpus_required, 5);
        assert_eq!(
            plan.skip.as_ref().map(ToString::to_string).as_deref(),
            Some("not enough cpus, required=5, available=4")
        );
        static FITS: ClassDesc = class(&[], Some(3));
        assert_eq!(plan_class(&FITS, &facts()).skip, None);
    }

    #[test]
    fn worker_suffixes_match_vpp() {
        static W0: ClassDesc = class(&[], Some(0));
        static W1: ClassDesc = class(&[], Some(1));
        static W2: ClassDesc = class(&[], Some(2));
        static NONE: ClassDesc = class(&[], None);
        assert_eq!(
            plan_class(&W0, &facts()).header.plain(),
            "Demo class [main thread only]"
        );
        assert_eq!(
            plan_class(&W1, &facts()).header.plain(),
            "Demo class [1 worker thread]"
        );
        assert_eq!(
            plan_class(&W2, &facts()).header.plain(),
            "Demo class [2 worker threads]"
        );
        assert_eq!(plan_class(&NONE, &facts()).header.plain(), "Demo class");
    }

    #[test]
    fn test_level_skip_tags_skip_only_that_test() {
        static CLASS: ClassDesc = class(&[], None);
        static T: TestDesc = TestDesc::for_tests(&CLASS, "test_x", 2, &[Tag::FixmeAsan]);
        let f = Facts {
            asan: Some("libasan linked".into()),
            ..facts()
        };
        assert_eq!(plan_class(&CLASS, &f).skip, None);
        assert!(test_skip(&T, &f).is_some());
        assert_eq!(test_skip(&T, &facts()), None);
    }

    #[test]
    fn extended_and_gcov_run_only_when_asked_with_pythons_reasons() {
        static EXT: ClassDesc = class(&[Tag::Extended], None);
        static GCOV: ClassDesc = class(&[Tag::Gcov], None);
        assert_eq!(
            plan_class(&EXT, &facts())
                .skip
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("part of extended tests")
        );
        assert_eq!(
            plan_class(&GCOV, &facts())
                .skip
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("part of code coverage tests")
        );
        let on = Facts {
            extended: true,
            gcov: true,
            ..facts()
        };
        assert_eq!(plan_class(&EXT, &on).skip, None);
        assert_eq!(plan_class(&GCOV, &on).skip, None);
    }

    #[test]
    fn host_needs_name_what_is_missing_and_its_package() {
        static CLASS: ClassDesc = class(&[], None);
        static T: TestDesc = TestDesc {
            host: HostNeeds {
                root: true,
                programs: &["curl", "frobnicate"],
                skip_if: None,
                vpp_release: None,
            },
            ..TestDesc::for_tests(&CLASS, "test_x", 2, &[])
        };
        let user = facts();
        assert_eq!(
            test_skip(&T, &user).as_deref(),
            Some("Requires root: asf is not running as root")
        );
        let root = Facts {
            root: true,
            ..facts()
        };
        assert_eq!(
            test_skip(&T, &root).as_deref(),
            Some("needs `curl` (Debian package curl) and `frobnicate` on PATH, not found")
        );
        let all = Facts {
            programs_found: ["curl", "frobnicate"].map(String::from).into(),
            ..root
        };
        assert_eq!(test_skip(&T, &all), None);
        assert_eq!(plan_class(&CLASS, &user).skip, None);
    }

    #[test]
    fn helper_slots_count_as_cpus_and_oversubscribe_shares_them() {
        static VCL: ClassDesc = ClassDesc {
            helpers: 2,
            ..class(&[], Some(0))
        };
        static BIG: ClassDesc = ClassDesc {
            helpers: 2,
            ..class(&[], Some(2))
        };
        let two = Facts {
            cpus_available: 2,
            ..Facts::default()
        };
        // As VPP's framework counts: one CPU per VPP thread and helper slot.
        let p = plan_class(&VCL, &two);
        assert_eq!(
            p.skip.as_ref().map(ToString::to_string).as_deref(),
            Some("not enough cpus, required=3, available=2")
        );
        assert!(p
            .header
            .plain()
            .ends_with("[skipped - not enough cpus, required=3 cores, available=2 cores]"));
        assert!(!p.oversubscribed);
        // Oversubscribed: VPP's thread fits, the helpers share what is left.
        let over = Facts {
            oversubscribe: true,
            ..two.clone()
        };
        let p = plan_class(&VCL, &over);
        assert_eq!(p.skip, None);
        assert!(p.oversubscribed);
        assert_eq!(p.cpus_required, 2);
        assert!(p
            .header
            .plain()
            .contains("[oversubscribed: 2 helper slot(s) share 1 CPU(s)]"));
        // VPP's threads take every CPU: the helpers share its main core.
        static QUIC: ClassDesc = ClassDesc {
            helpers: 2,
            ..class(&[], Some(1))
        };
        let p = plan_class(&QUIC, &over);
        assert!(p.oversubscribed && p.skip.is_none());
        assert!(p
            .header
            .plain()
            .contains("[oversubscribed: 2 helper slot(s) share VPP's main core]"));
        // VPP's own threads must still fit.
        let p = plan_class(&BIG, &over);
        assert_eq!(
            p.skip.as_ref().map(ToString::to_string).as_deref(),
            Some("not enough cpus, required=5, available=2 (VPP's own threads need 3, even with --oversubscribe)")
        );
        assert!(!p.oversubscribed);
        // A class that fits is never marked.
        let four = Facts {
            cpus_available: 4,
            oversubscribe: true,
            ..Facts::default()
        };
        let p = plan_class(&VCL, &four);
        assert!(!p.oversubscribed && p.skip.is_none());
        assert_eq!(p.cpus_required, 3);
    }
}
