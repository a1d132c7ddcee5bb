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

    /// Run only tests whose class or test carries TAG (repeatable; also ASF_TAG).
    #[arg(long = "tag", value_name = "TAG", value_parser = parse_tag)]
    pub tags: Vec<Tag>,

    /// Skip tests whose class or test carries TAG (repeatable; also ASF_SKIP_TAG).
    #[arg(long = "skip-tag", value_name = "TAG", value_parser = parse_tag)]
    pub skip_tags: Vec<Tag>,
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
    fn unknown_tags_list_the_valid_ones() {
        let err = Cli::try_parse_from(["suites", "--tag", "bogus"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown tag `bogus`"), "{err}");
        assert!(err.contains("solo, fixme_vpp_workers, fixme_asan, fixme_ubuntu2204, fixme_debian11, fixme_vpp_debug"), "{err}");
    }
}
