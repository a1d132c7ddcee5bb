//! The test model: tags, class and test descriptors, and the registry that
//! collects them from `inventory` in a deterministic order.

use crate::case::{TestCase, TestResult};

pub use asf_tags::Tag;

/// A hook run by the framework: class or per-test set-up / tear-down.
pub type Hook = fn(&mut TestCase) -> TestResult;

/// A check of the host run before any VPP boots: `Some(reason)` skips.
pub type HostCheck = fn() -> Option<String>;

/// What a class or a test needs of the machine it runs on, checked before
/// any VPP boots (`requires_root`, `requires_programs`, `skip_if`).
#[derive(Clone, Copy, Debug)]
pub struct HostNeeds {
    /// Must run as root (network namespaces, tap devices).
    pub root: bool,
    /// Programs that must be on `PATH`, e.g. `curl`.
    pub programs: &'static [&'static str],
    /// A check of the host of the test's own; `Some(reason)` skips.
    pub skip_if: Option<HostCheck>,
    /// `requires_vpp = "26.10"`: the oldest VPP release with what it tests
    /// (a behaviour, CLI output or API that changed); an older VPP skips it.
    pub vpp_release: Option<&'static str>,
}

impl HostNeeds {
    /// Nothing needed.
    pub const NONE: HostNeeds = HostNeeds {
        root: false,
        programs: &[],
        skip_if: None,
        vpp_release: None,
    };
}

/// A test class as declared by `#[vpp_test]` on a module.
#[derive(Debug)]
pub struct ClassDesc {
    /// `module_path!()` inside the class module: unique per class.
    pub module_path: &'static str,
    /// Display name (the module name unless `name = "..."` was given).
    pub name: &'static str,
    /// The class doc comment; its first line is the header.
    pub doc: &'static str,
    /// Source file of the class.
    pub file: &'static str,
    /// Source line of the class.
    pub line: u32,
    /// Tags written on the class.
    pub tags: &'static [Tag],
    /// `workers = N`, if written.
    pub workers: Option<u32>,
    /// `helpers = N`: CPUs the class's helper programs need besides VPP's
    /// (VPP's framework's `helper_count`).
    pub helpers: u32,
    /// Extra startup-config tokens appended after the standard ones.
    pub vpp_config: &'static [&'static str],
    /// Extra tokens inside `plugins { ... }`.
    pub plugin_config: &'static [&'static str],
    /// Extra tokens inside `statseg { ... }`.
    pub statseg_config: &'static [&'static str],
    /// Run once after VPP is up, before the first test.
    pub set_up_class: Option<Hook>,
    /// Run once after the last test, before VPP is stopped.
    pub tear_down_class: Option<Hook>,
    /// Run before each test.
    pub set_up: Option<Hook>,
    /// Run after each test.
    pub tear_down: Option<Hook>,
    /// Extra show commands logged at each test's tear-down.
    pub show_at_teardown: &'static [&'static str],
    /// Keep what tests configured through helpers (VPP's
    /// `remove_configured_vpp_objects_on_tear_down = False`).
    pub keep_vpp_objects: bool,
    /// `timeout = N`: seconds each test of the class may take.
    pub timeout: Option<u32>,
    /// `plugins = [...]`: boot with only these plugins (None: all, as VPP's framework).
    pub plugins: Option<&'static [&'static str]>,
    /// `requires_plugins = [...]`: skip the class when VPP has not loaded these
    /// (asked with `show plugins` once VPP is up).
    pub requires_plugins: &'static [&'static str],
    /// `requires_messages = [...]`: skip the class when VPP's message table lacks these.
    pub requires_messages: &'static [&'static str],
    /// `api_timeout = N`: seconds to wait for a reply (VPP's
    /// `vapi_response_timeout`, default 5).
    pub api_timeout: Option<u32>,
    /// `requires_cli = [...]`: skip the class when VPP does not know these
    /// CLI commands (each is run once; `unknown input` means missing).
    pub requires_cli: &'static [&'static str],
    /// What the class needs of the host (root, programs, its own check).
    pub host: HostNeeds,
}

impl ClassDesc {
    /// What a test case of the class knows of it.
    pub(crate) fn info(&self) -> crate::case::ClassInfo {
        crate::case::ClassInfo {
            module_path: self.module_path,
            name: self.name,
            requires_plugins: self.requires_plugins,
            requires_cli: self.requires_cli,
            requires_messages: self.requires_messages,
            keep_vpp_objects: self.keep_vpp_objects,
            show_at_teardown: self.show_at_teardown,
            requires_vpp: self.host.vpp_release,
        }
    }

    /// The class path without the crate name, e.g. `basic::test_cli`.
    pub fn path(&self) -> &'static str {
        self.module_path
            .split_once("::")
            .map_or(self.module_path, |(_, rest)| rest)
    }

    /// The first line of the doc comment.
    pub fn title(&self) -> &'static str {
        self.doc.lines().next().unwrap_or("").trim_end()
    }

    /// True if the class carries `tag`.
    pub fn has_tag(&self, tag: Tag) -> bool {
        self.tags.contains(&tag)
    }
}

/// A test as declared by `#[vpp_test]` on a function inside a class.
#[derive(Debug)]
pub struct TestDesc {
    /// The class the test belongs to.
    pub class: &'static ClassDesc,
    /// The function name.
    pub name: &'static str,
    /// The test's doc comment; its first line is the description.
    pub doc: &'static str,
    /// Source line of the test.
    pub line: u32,
    /// Tags written on the test itself.
    pub tags: &'static [Tag],
    /// The test is expected to fail.
    pub expected_failure: bool,
    /// `ignore` (empty reason) or `ignore = "reason"`.
    pub ignore: Option<&'static str>,
    /// `timeout = N`: seconds this test may take (overrides the class's).
    pub timeout: Option<u32>,
    /// What the test needs of the host on top of its class's needs.
    pub host: HostNeeds,
    /// The wrapped test function.
    pub run: Hook,
}

impl TestDesc {
    /// The libtest name: `<class path>::<test>`.
    pub fn full_name(&self) -> String {
        format!("{}::{}", self.class.path(), self.name)
    }

    /// Class tags and test tags together, sorted, without duplicates.
    pub fn effective_tags(&self) -> Vec<Tag> {
        let mut tags: Vec<Tag> = self.class.tags.iter().chain(self.tags).copied().collect();
        tags.sort();
        tags.dedup();
        tags
    }

    /// The one-line description printed for the test.
    pub fn description(&self) -> String {
        match self.doc.lines().next().map(str::trim) {
            Some(line) if !line.is_empty() => line.to_string(),
            _ => format!("{} ({}.{})", self.name, self.class.name, self.name),
        }
    }
}

inventory::collect!(TestDesc);

/// A class and its tests, in source order.
#[derive(Debug)]
pub struct Class {
    /// The class descriptor.
    pub desc: &'static ClassDesc,
    /// Its tests, sorted by source line then name.
    pub tests: Vec<&'static TestDesc>,
}

/// All registered classes, sorted by module path; tests in source order.
/// The order never depends on link order.
pub fn registry() -> Vec<Class> {
    group(inventory::iter::<TestDesc>.into_iter().collect())
}

/// Groups tests by class (deterministically sorted).
pub fn group(mut tests: Vec<&'static TestDesc>) -> Vec<Class> {
    tests.sort_by(|a, b| {
        (a.class.module_path, a.line, a.name).cmp(&(b.class.module_path, b.line, b.name))
    });
    let mut classes: Vec<Class> = Vec::new();
    for t in tests {
        match classes.last_mut() {
            Some(c) if std::ptr::eq(c.desc, t.class) => c.tests.push(t),
            _ => classes.push(Class {
                desc: t.class,
                tests: vec![t],
            }),
        }
    }
    classes
}

#[cfg(test)]
impl ClassDesc {
    /// A class with the given identity, tags and workers and every other
    /// option at its default: the unit tests' fixture.
    pub(crate) const fn for_tests(
        module_path: &'static str,
        name: &'static str,
        doc: &'static str,
        tags: &'static [Tag],
        workers: Option<u32>,
    ) -> ClassDesc {
        ClassDesc {
            module_path,
            name,
            doc,
            file: "tests.rs",
            line: 1,
            tags,
            workers,
            helpers: 0,
            vpp_config: &[],
            plugin_config: &[],
            statseg_config: &[],
            set_up_class: None,
            tear_down_class: None,
            set_up: None,
            tear_down: None,
            show_at_teardown: &[],
            keep_vpp_objects: false,
            timeout: None,
            plugins: None,
            requires_plugins: &[],
            requires_messages: &[],
            api_timeout: None,
            requires_cli: &[],
            host: HostNeeds::NONE,
        }
    }
}

#[cfg(test)]
impl TestDesc {
    /// A test of `class` with the given name, line and tags, doing nothing:
    /// the unit tests' fixture.
    pub(crate) const fn for_tests(
        class: &'static ClassDesc,
        name: &'static str,
        line: u32,
        tags: &'static [Tag],
    ) -> TestDesc {
        fn noop(_: &mut TestCase) -> TestResult {
            Ok(())
        }
        TestDesc {
            class,
            name,
            doc: "",
            line,
            tags,
            expected_failure: false,
            ignore: None,
            timeout: None,
            host: HostNeeds::NONE,
            run: noop,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn class(module_path: &'static str) -> ClassDesc {
        ClassDesc::for_tests(module_path, "c", "Doc", &[Tag::Solo], None)
    }

    const fn test(class: &'static ClassDesc, name: &'static str, line: u32) -> TestDesc {
        TestDesc::for_tests(class, name, line, &[Tag::FixmeAsan, Tag::Solo])
    }

    #[test]
    fn grouping_is_sorted_not_link_ordered() {
        static A: ClassDesc = class("suites::a::alpha");
        static B: ClassDesc = class("suites::b::beta");
        static B2: TestDesc = test(&B, "test_z", 5);
        static B1: TestDesc = test(&B, "test_y", 9);
        static A1: TestDesc = test(&A, "test_x", 3);
        let classes = group(vec![&B1, &A1, &B2]);
        let names: Vec<Vec<String>> = classes
            .iter()
            .map(|c| c.tests.iter().map(|t| t.full_name()).collect())
            .collect();
        assert_eq!(
            names,
            [
                vec!["a::alpha::test_x"],
                vec!["b::beta::test_z", "b::beta::test_y"]
            ]
        );
        assert_eq!(A1.effective_tags(), [Tag::Solo, Tag::FixmeAsan]);
        assert_eq!(A1.description(), "test_x (c.test_x)");
        assert_eq!(A.title(), "Doc");
    }

    #[test]
    fn tag_names_round_trip() {
        for t in Tag::ALL {
            assert_eq!(Tag::parse(t.as_str()), Ok(t));
        }
        let err = Tag::parse("fixme_asna").unwrap_err();
        assert!(err.contains("unknown tag `fixme_asna`"), "{err}");
        assert!(err.contains("solo, fixme_vpp_workers, fixme_asan"), "{err}");
    }
}
