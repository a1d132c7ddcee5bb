//! VPP's release numbers (`26.06`, `26.10`), as `requires_vpp` names them
//! and as VPP prints its version (`vpp v26.06-rc2~7-g1a2b3c4d5 built by ...`,
//! `v26.10-rc0~374-gb575ec2c56d` on master after 26.06).

use std::fmt;

/// A VPP release: the year and month of its branch. A build of master
/// between two releases counts as the next release (its version is
/// `v26.10-rc0...` once 26.06 has branched).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    /// The year, two digits (26).
    pub year: u16,
    /// The month (6, 10, ...).
    pub month: u16,
}

impl Release {
    /// `26.10` (what `requires_vpp` takes, as `asf_tags::parse_release`
    /// reads it for the macro too); the error says what is wrong.
    pub fn parse(text: &str) -> Result<Release, String> {
        asf_tags::parse_release(text)
            .map(|(year, month)| Release { year, month })
            .ok_or_else(|| {
                format!(
                    "{text:?} is not a VPP release: write it as VPP numbers them, e.g. \"26.10\""
                )
            })
    }

    /// The release of a version as VPP prints it (`vpp --version`, `show
    /// version`, `show_version`'s `version`): the first `vYY.MM` (or a bare
    /// `YY.MM` at the start), whatever follows (`-rc0~374-g...`, `.1`).
    pub fn of_version(text: &str) -> Option<Release> {
        let text = text.trim();
        let at = |s: &str| -> Option<Release> {
            let end = s
                .char_indices()
                .skip_while(|(_, c)| c.is_ascii_digit())
                .skip(1)
                .find(|(_, c)| !c.is_ascii_digit())
                .map_or(s.len(), |(i, _)| i);
            Release::parse(s.get(..end)?).ok()
        };
        if text.starts_with(|c: char| c.is_ascii_digit()) {
            if let Some(r) = at(text) {
                return Some(r);
            }
        }
        text.match_indices('v')
            .filter_map(|(i, _)| at(&text[i + 1..]))
            .next()
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}.{:02}", self.year, self.month)
    }
}

/// Why a VPP of version `have` (as it prints it) cannot run what needs
/// `want` (a `requires_vpp`), if it cannot: older, or a version asf cannot
/// read (then it runs: the test's own checks decide).
pub fn too_old(want: &str, have: &str) -> Option<String> {
    let want_r = Release::parse(want).ok()?;
    let have_r = Release::of_version(have)?;
    (have_r < want_r).then(|| format!("needs VPP {want_r} or newer; this VPP is {}", have.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_are_read_from_what_vpp_prints() {
        let r = |y, m| Release { year: y, month: m };
        assert_eq!(Release::parse("26.10"), Ok(r(26, 10)));
        assert_eq!(Release::parse("25.06"), Ok(r(25, 6)));
        for bad in ["26", "26.13", "26.1a", "v26.06", "", "2026.06", "26.06.1"] {
            assert!(
                Release::parse(bad).unwrap_err().contains("e.g. \"26.10\""),
                "{bad}"
            );
        }
        let of = Release::of_version;
        assert_eq!(
            of("vpp v26.06-rc2~7-g1a2b3c4d5 built by root on x at 2026-06-01"),
            Some(r(26, 6))
        );
        assert_eq!(of("v26.10-rc0~374-gb575ec2c56d"), Some(r(26, 10)));
        assert_eq!(of("26.10-rc0~asf-fake"), Some(r(26, 10)));
        assert_eq!(of("vpp v25.10.1-release built by ..."), Some(r(25, 10)));
        assert_eq!(of("something else"), None);
        assert!(r(26, 6) < r(26, 10) && r(25, 10) < r(26, 2));
        assert_eq!(r(26, 6).to_string(), "26.06");
    }

    #[test]
    fn only_an_older_vpp_is_too_old() {
        let old = too_old("26.10", "vpp v26.06-release built by x").unwrap();
        assert_eq!(
            old,
            "needs VPP 26.10 or newer; this VPP is vpp v26.06-release built by x"
        );
        assert_eq!(too_old("26.10", "v26.10-rc0~374-gb575ec2c56d"), None);
        assert_eq!(too_old("26.06", "v26.10-rc0~374"), None);
        assert_eq!(too_old("26.10", "unreadable"), None);
    }
}
