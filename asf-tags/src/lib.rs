//! The tags a VPP test class or test may carry (`#[vpp_test(solo,
//! fixme_asan)]`), spelt in one place: the attribute macro checks and
//! expands them from here, and the runner parses `TAG`/`ASF_SKIP_TAG` and
//! prints them from here. Likewise the VPP release a `requires_vpp` names
//! ([`parse_release`]), checked by the macro and compared by the runner.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt;

/// A tag of a class or test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tag {
    /// `solo`: runs after all other classes, alone.
    Solo,
    /// `fixme_vpp_workers`: known broken with VPP workers; runs with none.
    FixmeVppWorkers,
    /// `fixme_asan`: known broken on an ASan build of VPP; skipped there.
    FixmeAsan,
    /// `fixme_ubuntu2204`: known broken on Ubuntu 22.04; skipped there.
    FixmeUbuntu2204,
    /// `fixme_debian11`: known broken on Debian 11; skipped there.
    FixmeDebian11,
    /// `fixme_vpp_debug`: known broken on a debug build of VPP; skipped there.
    FixmeVppDebug,
    /// `extended`: runs only with `--extended` / `EXTENDED_TESTS`.
    Extended,
    /// `gcov`: runs only with `--gcov` / `GCOV_TESTS`.
    Gcov,
}

impl Tag {
    /// Every tag, in the order the documentation lists them.
    pub const ALL: [Tag; 8] = [
        Tag::Solo,
        Tag::FixmeVppWorkers,
        Tag::FixmeAsan,
        Tag::FixmeUbuntu2204,
        Tag::FixmeDebian11,
        Tag::FixmeVppDebug,
        Tag::Extended,
        Tag::Gcov,
    ];

    /// The spelling in `#[vpp_test(...)]`, `TAG` and reports.
    pub const fn as_str(self) -> &'static str {
        match self {
            Tag::Solo => "solo",
            Tag::FixmeVppWorkers => "fixme_vpp_workers",
            Tag::FixmeAsan => "fixme_asan",
            Tag::FixmeUbuntu2204 => "fixme_ubuntu2204",
            Tag::FixmeDebian11 => "fixme_debian11",
            Tag::FixmeVppDebug => "fixme_vpp_debug",
            Tag::Extended => "extended",
            Tag::Gcov => "gcov",
        }
    }

    /// The variant's name, for code that names it (`FixmeAsan`).
    pub const fn variant(self) -> &'static str {
        match self {
            Tag::Solo => "Solo",
            Tag::FixmeVppWorkers => "FixmeVppWorkers",
            Tag::FixmeAsan => "FixmeAsan",
            Tag::FixmeUbuntu2204 => "FixmeUbuntu2204",
            Tag::FixmeDebian11 => "FixmeDebian11",
            Tag::FixmeVppDebug => "FixmeVppDebug",
            Tag::Extended => "Extended",
            Tag::Gcov => "Gcov",
        }
    }

    /// Tags that change the VPP or the schedule of a whole class, so a
    /// single test cannot carry them.
    pub const fn class_only(self) -> bool {
        matches!(self, Tag::Solo | Tag::FixmeVppWorkers)
    }

    /// The tag spelt `s`.
    pub fn from_name(s: &str) -> Option<Tag> {
        Tag::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The tag spelt `s`, or an error naming the valid ones.
    pub fn parse(s: &str) -> Result<Tag, String> {
        Tag::from_name(s)
            .ok_or_else(|| format!("unknown tag `{s}`; valid tags: {}", Tag::valid_list()))
    }

    /// `solo, fixme_vpp_workers, ...`.
    pub fn valid_list() -> String {
        Tag::ALL.map(Tag::as_str).join(", ")
    }
}

/// The year and month of a VPP release written as VPP numbers them,
/// `YY.MM` (`"26.06"`, `"26.10"`): one or two digits each, the month 1 to
/// 12. None for anything else (`"v26.10"`, `"26"`, `"26.13"`).
pub fn parse_release(text: &str) -> Option<(u16, u16)> {
    let (y, m) = text.split_once('.')?;
    let num = |s: &str| -> Option<u16> {
        ((1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (year, month) = (num(y)?, num(m)?);
    (1..=12).contains(&month).then_some((year, month))
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_round_trips_and_bad_ones_name_the_valid() {
        for t in Tag::ALL {
            assert_eq!(Tag::parse(t.as_str()), Ok(t));
            assert_eq!(format!("{t:?}"), t.variant());
        }
        let e = Tag::parse("fixme_asn").unwrap_err();
        assert!(e.contains("fixme_asan") && e.contains("`fixme_asn`"), "{e}");
    }
}
