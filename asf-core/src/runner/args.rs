//! The command line: every libtest flag libtest-mimic accepts, plus asf's own.

use clap::Parser;

use crate::model::Tag;

/// Command line of an asf test binary.
#[derive(Parser, Debug, Clone, Default)]
#[command(
    about = "Runs VPP test suites written with asf: one VPP per class, tag rules applied before boot.",
    after_help = "Environment variables (VPP_BIN, WS_ROOT, TAG, ASF_TAG, ...) are listed in the README."
)]
pub struct Cli {
    /// libtest's flags: filter, --exact, --skip, --list, --ignored, --format, --color ...
    #[command(flatten)]
    pub libtest: libtest_mimic::Arguments,

    /// More name filters, as libtest takes them (`-- test_vcl:: test_quic::`):
    /// a test runs if any filter selects it.
    #[arg(value_name = "FILTER")]
    pub more_filters: Vec<String>,

    /// Run only tests whose class or test carries TAG (repeatable; also ASF_TAG).
    #[arg(long = "tag", value_name = "TAG", value_parser = parse_tag)]
    pub tags: Vec<Tag>,

    /// Skip tests whose class or test carries TAG (repeatable; also ASF_SKIP_TAG).
    #[arg(long = "skip-tag", value_name = "TAG", value_parser = parse_tag)]
    pub skip_tags: Vec<Tag>,

    /// Classes running at once: a number or `auto` (the physical cores asf may use).
    #[arg(long, env = "TEST_JOBS", value_name = "N|auto", default_value = "auto", value_parser = parse_jobs)]
    pub jobs: Jobs,

    /// Seconds a test may take before its class is killed (a test's `timeout = N` overrides it).
    #[arg(long, env = "TIMEOUT", value_name = "SECONDS", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..))]
    pub timeout: u32,

    /// Rerun failed tests up to N times on a fresh VPP; a test that then passes is FLAKY.
    #[arg(long, env = "RETRIES", value_name = "N", default_value_t = 0)]
    pub retries: u32,

    /// Stop scheduling at the first failure; running classes stop after their current test.
    #[arg(long, env = "FAILFAST", value_parser = clap::builder::FalseyValueParser::new(), default_value = "false", num_args = 0, default_missing_value = "true")]
    pub failfast: bool,

    /// Run the extended tests too (`extended`); also EXTENDED_TESTS=1.
    #[arg(long, env = "EXTENDED_TESTS", value_parser = parse_switch, default_value = "false", num_args = 0, default_missing_value = "true")]
    pub extended: bool,

    /// Run the code coverage tests too (`gcov`); also GCOV_TESTS=1.
    #[arg(long, env = "GCOV_TESTS", value_parser = parse_switch, default_value = "false", num_args = 0, default_missing_value = "true")]
    pub gcov: bool,

    /// Run classes whose helper programs do not fit the CPUs anyway, the
    /// helpers sharing VPP's CPUs, when VPP's own threads fit; their time
    /// limits double. Also ASF_OVERSUBSCRIBE=1.
    #[arg(long, env = "ASF_OVERSUBSCRIBE", value_parser = parse_switch, default_value = "false", num_args = 0, default_missing_value = "true")]
    pub oversubscribe: bool,

    /// Compress VPP's core files after their backtrace (zstd, else gzip);
    /// also COMPRESS_CORE=1.
    #[arg(long)]
    pub compress_core: bool,

    /// Write a JUnit XML report to PATH.
    #[arg(long, value_name = "PATH")]
    pub junit: Option<std::path::PathBuf>,

    /// Write a self-contained HTML report (counts, a CPU timeline, the tests) to PATH; also HTML_REPORT.
    #[arg(long, env = "HTML_REPORT", value_name = "PATH")]
    pub html: Option<std::path::PathBuf>,

    /// Write every verdict as a JSON line to PATH.
    #[arg(long, value_name = "PATH")]
    pub events: Option<std::path::PathBuf>,

    /// Run one shard of the classes: `hash:K/N` or `slice:K/N` (1 <= K <= N).
    #[arg(long, value_name = "hash:K/N|slice:K/N", value_parser = parse_partition)]
    pub partition: Option<Partition>,

    /// Where `vpp-unittest-<class>-FAILED` links and failed_tests.txt go (default: the temp base).
    #[arg(long, env = "FAILED_DIR", value_name = "DIR")]
    pub failed_dir: Option<std::path::PathBuf>,
}

/// `--jobs`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Jobs {
    /// As many as physical cores.
    #[default]
    Auto,
    /// At most this many.
    N(usize),
}

fn parse_jobs(s: &str) -> Result<Jobs, String> {
    match s {
        "auto" => Ok(Jobs::Auto),
        _ => match s.parse::<usize>() {
            Ok(n) if n > 0 => Ok(Jobs::N(n)),
            _ => Err(format!(
                "`{s}` is not a job count: use a positive integer or auto"
            )),
        },
    }
}

/// `--partition`: which shard of the classes to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition {
    /// By a hash of the class path (stable across runs and machines) or by
    /// position in the sorted class list.
    pub by_hash: bool,
    /// This shard, 1-based.
    pub k: u64,
    /// Number of shards.
    pub n: u64,
}

impl Partition {
    /// True if class number `index` (sorted), at `path`, is in this shard.
    pub fn contains(&self, index: usize, path: &str) -> bool {
        let bucket = if self.by_hash {
            // FNV-1a: stable across runs, platforms and Rust versions.
            path.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            }) % self.n
        } else {
            index as u64 % self.n
        };
        bucket == self.k - 1
    }
}

fn parse_partition(s: &str) -> Result<Partition, String> {
    let bad = || format!("`{s}` is not a partition: use hash:K/N or slice:K/N with 1 <= K <= N");
    let (kind, rest) = s.split_once(':').ok_or_else(bad)?;
    let (k, n) = rest.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (k.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    match kind {
        "hash" => Ok(Partition {
            by_hash: true,
            k,
            n,
        }),
        "slice" => Ok(Partition {
            by_hash: false,
            k,
            n,
        }),
        _ => Err(bad()),
    }
}

/// An on/off switch from a flag or the environment (`EXTENDED_TESTS=1`).
fn parse_switch(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "1" | "y" | "yes" | "true" | "on" => Ok(true),
        "0" | "n" | "no" | "false" | "off" | "" => Ok(false),
        _ => Err(format!(
            "`{s}` is not a switch: use 1, yes, true or on; 0, no, false or off"
        )),
    }
}

fn parse_tag(s: &str) -> Result<Tag, String> {
    Tag::parse(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_libtest_and_asf_flags() {
        let cli = Cli::try_parse_from([
            "suites",
            "--tag",
            "solo",
            "--skip-tag",
            "fixme_asan",
            "--exact",
            "a::b",
            "--list",
            "--format",
            "terse",
        ])
        .unwrap();
        assert_eq!(cli.tags, vec![Tag::Solo]);
        assert_eq!(cli.skip_tags, vec![Tag::FixmeAsan]);
        assert!(cli.libtest.exact && cli.libtest.list);
        assert_eq!(cli.libtest.filter.as_deref(), Some("a::b"));
    }

    #[test]
    fn several_name_filters_as_libtest_takes_them() {
        let cli = Cli::try_parse_from(["suites", "test_vcl::", "--exact", "test_quic::"]).unwrap();
        assert_eq!(cli.libtest.filter.as_deref(), Some("test_vcl::"));
        assert_eq!(cli.more_filters, vec!["test_quic::".to_string()]);
        assert!(cli.libtest.exact);
    }

    #[test]
    fn run_flags_and_their_errors() {
        let cli = Cli::try_parse_from([
            "s",
            "--jobs",
            "3",
            "--timeout",
            "5",
            "--retries",
            "2",
            "--failfast",
            "--partition",
            "hash:2/3",
        ])
        .unwrap();
        assert_eq!(cli.jobs, Jobs::N(3));
        assert_eq!((cli.timeout, cli.retries, cli.failfast), (5, 2, true));
        assert_eq!(
            cli.partition,
            Some(Partition {
                by_hash: true,
                k: 2,
                n: 3
            })
        );
        let d = Cli::try_parse_from(["s"]).unwrap();
        assert_eq!(
            (d.jobs, d.timeout, d.retries, d.failfast),
            (Jobs::Auto, 600, 0, false)
        );
        for (flag, value, expect) in [
            ("--jobs", "0", "positive integer or auto"),
            ("--partition", "hash:4/3", "hash:K/N or slice:K/N"),
            ("--partition", "mod:1/2", "hash:K/N or slice:K/N"),
            ("--timeout", "0", "0"),
        ] {
            let err = Cli::try_parse_from(["s", flag, value])
                .unwrap_err()
                .to_string();
            assert!(err.contains(expect), "{flag} {value}: {err}");
        }
    }

    #[test]
    fn partitions_cover_every_class_once() {
        let classes: Vec<String> = (0..50).map(|i| format!("suite_{i}::class")).collect();
        for by_hash in [true, false] {
            let mut seen = vec![0; classes.len()];
            for k in 1..=3 {
                let p = Partition { by_hash, k, n: 3 };
                for (i, c) in classes.iter().enumerate() {
                    if p.contains(i, c) {
                        seen[i] += 1;
                    }
                }
            }
            assert!(seen.iter().all(|&s| s == 1), "{seen:?}");
        }
    }

    #[test]
    fn unknown_tags_list_the_valid_ones() {
        let err = Cli::try_parse_from(["suites", "--tag", "bogus"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown tag `bogus`"), "{err}");
        assert!(err.contains("solo, fixme_vpp_workers, fixme_asan, fixme_ubuntu2204, fixme_debian11, fixme_vpp_debug"), "{err}");
    }

    #[test]
    fn extended_and_gcov_switches_name_the_valid_values() {
        let cli = Cli::try_parse_from(["t", "--extended"]).unwrap();
        assert!(cli.extended && !cli.gcov);
        let cli = Cli::try_parse_from(["t", "--gcov"]).unwrap();
        assert!(cli.gcov && !cli.extended);
        // The values EXTENDED_TESTS and GCOV_TESTS take.
        assert_eq!(parse_switch("1"), Ok(true));
        assert_eq!(parse_switch("Yes"), Ok(true));
        assert_eq!(parse_switch("0"), Ok(false));
        assert_eq!(parse_switch("off"), Ok(false));
        let err = parse_switch("maybe").unwrap_err();
        assert!(
            err.contains("use 1, yes, true or on; 0, no, false or off"),
            "{err}"
        );
    }
}
