//! Parsing of the options written inside `#[vpp_test(...)]`.

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{LitInt, LitStr, Path};

/// Where an attribute stands: on a class module or on a test function.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Class,
    Test,
}

impl Scope {
    fn noun(self) -> &'static str {
        match self {
            Scope::Class => "a class (a `mod`)",
            Scope::Test => "a test (a `fn`)",
        }
    }
}

/// A tag and the place it was written.
#[derive(Clone)]
pub struct TagOpt {
    pub variant: &'static str,
    pub span: Span,
}

/// Everything `#[vpp_test(...)]` can carry, each option with its span.
#[derive(Default)]
pub struct Options {
    pub tags: Vec<TagOpt>,
    pub workers: Option<(u32, Span)>,
    pub helpers: Option<(u32, Span)>,
    pub vpp_config: Option<LitStr>,
    pub plugin_config: Option<LitStr>,
    pub statseg_config: Option<LitStr>,
    pub name: Option<LitStr>,
    pub set_up_class: Option<Path>,
    pub tear_down_class: Option<Path>,
    pub set_up: Option<Path>,
    pub tear_down: Option<Path>,
    pub show_at_teardown: Vec<LitStr>,
    pub plugins: Option<Vec<LitStr>>,
    pub requires_plugins: Vec<LitStr>,
    pub requires_messages: Vec<LitStr>,
    pub requires_cli: Vec<LitStr>,
    pub keep_vpp_objects: bool,
    pub timeout: Option<(u32, Span)>,
    pub api_timeout: Option<(u32, Span)>,
    pub expected_failure: Option<Span>,
    pub ignore: Option<(Option<LitStr>, Span)>,
    pub requires_root: bool,
    pub requires_programs: Vec<LitStr>,
    pub skip_if: Option<Path>,
    pub requires_vpp: Option<LitStr>,
}

/// Which scopes accept an option.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Allowed {
    Both,
    ClassOnly,
    TestOnly,
}

/// Every option that is not a tag: its spelling and where it may stand.
const NON_TAG_OPTIONS: &[(&str, Allowed)] = &[
    ("workers", Allowed::ClassOnly),
    ("helpers", Allowed::ClassOnly),
    ("vpp_config", Allowed::ClassOnly),
    ("plugin_config", Allowed::ClassOnly),
    ("statseg_config", Allowed::ClassOnly),
    ("name", Allowed::ClassOnly),
    ("set_up_class", Allowed::ClassOnly),
    ("tear_down_class", Allowed::ClassOnly),
    ("set_up", Allowed::ClassOnly),
    ("tear_down", Allowed::ClassOnly),
    ("show_at_teardown", Allowed::ClassOnly),
    ("plugins", Allowed::ClassOnly),
    ("requires_plugins", Allowed::ClassOnly),
    ("requires_messages", Allowed::ClassOnly),
    ("requires_cli", Allowed::ClassOnly),
    ("keep_vpp_objects", Allowed::ClassOnly),
    ("timeout", Allowed::Both),
    ("api_timeout", Allowed::ClassOnly),
    ("expected_failure", Allowed::TestOnly),
    ("ignore", Allowed::TestOnly),
    ("requires_root", Allowed::Both),
    ("requires_programs", Allowed::Both),
    ("skip_if", Allowed::Both),
    ("requires_vpp", Allowed::Both),
];

/// Every option: its spelling, where it may stand, and (for tags) the
/// variant of `asf_core::__private::Tag` it maps to. The tags come from
/// `asf-tags`, the one place they are spelt.
fn options() -> Vec<(&'static str, Allowed, Option<&'static str>)> {
    asf_tags::Tag::ALL
        .iter()
        .map(|t| {
            let allowed = if t.class_only() {
                Allowed::ClassOnly
            } else {
                Allowed::Both
            };
            (t.as_str(), allowed, Some(t.variant()))
        })
        .chain(NON_TAG_OPTIONS.iter().map(|&(n, a)| (n, a, None)))
        .collect()
}

fn valid_here(scope: Scope) -> Vec<&'static str> {
    options()
        .into_iter()
        .filter(|(_, allowed, _)| match scope {
            Scope::Class => *allowed != Allowed::TestOnly,
            Scope::Test => *allowed != Allowed::ClassOnly,
        })
        .map(|(name, _, _)| name)
        .collect()
}

/// Parses the tokens inside `#[vpp_test(...)]` for the given scope.
pub fn parse(tokens: TokenStream, scope: Scope) -> syn::Result<Options> {
    let mut opts = Options::default();
    let mut seen: Vec<String> = Vec::new();
    let parser = syn::meta::parser(|meta| {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_else(|| path_text(&meta.path));
        let Some((name, allowed, tag)) = options().into_iter().find(|(n, _, _)| *n == key) else {
            return Err(unknown(&meta, &key, scope));
        };
        match (allowed, scope) {
            (Allowed::ClassOnly, Scope::Test) => {
                return Err(meta.error(format_args!(
                    "`{name}` is a class option: it changes the VPP the whole class boots, \
                     so write it in the class module's #[vpp_test(...)]"
                )));
            }
            (Allowed::TestOnly, Scope::Class) => {
                return Err(meta.error(format_args!(
                    "`{name}` applies to a single test: write it in that test's #[vpp_test(...)]"
                )));
            }
            _ => {}
        }
        if seen.iter().any(|s| s == name) {
            return Err(meta.error(format_args!(
                "duplicate `{name}` in #[vpp_test(...)]; write each option once"
            )));
        }
        seen.push(name.to_string());
        if let Some(variant) = tag {
            no_value(&meta, name)?;
            opts.tags.push(TagOpt {
                variant,
                span: meta.path.segments[0].ident.span(),
            });
            return Ok(());
        }
        match name {
            "workers" => opts.workers = Some(parse_int(&meta, "workers", false)?),
            "helpers" => opts.helpers = Some(parse_int(&meta, "helpers", false)?),
            "timeout" => opts.timeout = Some(parse_int(&meta, "timeout", true)?),
            "api_timeout" => opts.api_timeout = Some(parse_int(&meta, "api_timeout", true)?),
            "vpp_config" => opts.vpp_config = Some(parse_str(&meta, name)?),
            "plugin_config" => opts.plugin_config = Some(parse_str(&meta, name)?),
            "statseg_config" => opts.statseg_config = Some(parse_str(&meta, name)?),
            "name" => opts.name = Some(parse_str(&meta, name)?),
            "set_up_class" => opts.set_up_class = Some(parse_path(&meta, name)?),
            "tear_down_class" => opts.tear_down_class = Some(parse_path(&meta, name)?),
            "set_up" => opts.set_up = Some(parse_path(&meta, name)?),
            "tear_down" => opts.tear_down = Some(parse_path(&meta, name)?),
            "show_at_teardown" => opts.show_at_teardown = parse_str_list(&meta, name)?,
            "requires_plugins" => opts.requires_plugins = parse_str_list(&meta, name)?,
            "requires_messages" => opts.requires_messages = parse_str_list(&meta, name)?,
            "requires_cli" => opts.requires_cli = parse_str_list(&meta, name)?,
            "plugins" => {
                let list = parse_str_list(&meta, name)?;
                if let Some(bad) = list.iter().find(|p| !p.value().ends_with(".so")) {
                    return Err(syn::Error::new(
                        bad.span(),
                        "`plugins` lists plugin files, e.g. `plugins = [\"acl_plugin.so\"]`",
                    ));
                }
                opts.plugins = Some(list);
            }
            "keep_vpp_objects" => {
                no_value(&meta, name)?;
                opts.keep_vpp_objects = true;
            }
            "requires_root" => {
                no_value(&meta, name)?;
                opts.requires_root = true;
            }
            "requires_programs" => {
                let list = parse_str_list(&meta, name)?;
                if let Some(bad) = list
                    .iter()
                    .find(|p| p.value().is_empty() || p.value().contains(char::is_whitespace))
                {
                    return Err(syn::Error::new(
                        bad.span(),
                        "`requires_programs` lists program names looked up on PATH, e.g. `requires_programs = [\"curl\"]`",
                    ));
                }
                opts.requires_programs = list;
            }
            "skip_if" => opts.skip_if = Some(parse_path(&meta, name)?),
            "requires_vpp" => {
                let lit = parse_str(&meta, name)?;
                if asf_tags::parse_release(&lit.value()).is_none() {
                    return Err(syn::Error::new(
                        lit.span(),
                        "`requires_vpp` takes the oldest VPP release with what is tested, as VPP numbers its releases: e.g. `requires_vpp = \"26.10\"`",
                    ));
                }
                opts.requires_vpp = Some(lit);
            }
            "expected_failure" => {
                no_value(&meta, name)?;
                opts.expected_failure = Some(meta.path.segments[0].ident.span());
            }
            "ignore" => {
                let span = meta.path.segments[0].ident.span();
                let reason = if meta.input.peek(syn::Token![=]) {
                    Some(parse_str(&meta, name)?)
                } else {
                    None
                };
                opts.ignore = Some((reason, span));
            }
            _ => unreachable!("every option of options() is handled"),
        }
        Ok(())
    });
    parser.parse2(tokens)?;
    Ok(opts)
}

fn path_text(path: &Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

fn unknown(meta: &ParseNestedMeta, key: &str, scope: Scope) -> syn::Error {
    let valid = valid_here(scope);
    let hint = options()
        .into_iter()
        .map(|(n, _, _)| n)
        .filter(|n| edit_distance(n, key) <= 2)
        .min_by_key(|n| edit_distance(n, key))
        .map(|n| format!("did you mean `{n}`? "))
        .unwrap_or_default();
    meta.error(format_args!(
        "unknown option `{key}` for {}; {hint}valid here: {}",
        scope.noun(),
        valid.join(", ")
    ))
}

fn no_value(meta: &ParseNestedMeta, name: &str) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format_args!("`{name}` takes no value: write just `{name}`")));
    }
    Ok(())
}

fn parse_int(meta: &ParseNestedMeta, name: &str, positive: bool) -> syn::Result<(u32, Span)> {
    let msg = if positive {
        format!("`{name}` takes a positive number of seconds, e.g. `{name} = 30`")
    } else {
        format!("`{name}` takes a non-negative integer, e.g. `{name} = 2`")
    };
    let value = meta.value().map_err(|e| syn::Error::new(e.span(), &msg))?;
    let lit: LitInt = value
        .parse()
        .map_err(|e: syn::Error| syn::Error::new(e.span(), &msg))?;
    if !lit.suffix().is_empty() {
        return Err(syn::Error::new(lit.span(), msg));
    }
    let n: u32 = lit
        .base10_parse()
        .map_err(|_| syn::Error::new(lit.span(), &msg))?;
    if positive && n == 0 {
        return Err(syn::Error::new(lit.span(), msg));
    }
    Ok((n, lit.span()))
}

fn parse_str(meta: &ParseNestedMeta, name: &str) -> syn::Result<LitStr> {
    let msg = format!("`{name}` takes a string, e.g. `{name} = \"...\"`");
    let value = meta.value().map_err(|e| syn::Error::new(e.span(), &msg))?;
    value
        .parse::<LitStr>()
        .map_err(|e| syn::Error::new(e.span(), &msg))
}

fn parse_str_list(meta: &ParseNestedMeta, name: &str) -> syn::Result<Vec<LitStr>> {
    let example = match name {
        "plugins" | "requires_plugins" => r#"["acl_plugin.so", "nat_plugin.so"]"#,
        "requires_messages" => r#"["acl_add_replace", "acl_dump"]"#,
        "requires_programs" => r#"["curl", "ip"]"#,
        _ => r#"["show ip fib", "show nat44"]"#,
    };
    let msg = format!("`{name}` takes a list of strings, e.g. `{name} = {example}`");
    let value = meta.value().map_err(|e| syn::Error::new(e.span(), &msg))?;
    let list = |input: syn::parse::ParseStream| -> syn::Result<Vec<LitStr>> {
        let content;
        syn::bracketed!(content in input);
        let items =
            syn::punctuated::Punctuated::<LitStr, syn::Token![,]>::parse_terminated(&content)?;
        Ok(items.into_iter().collect())
    };
    list(value).map_err(|e| syn::Error::new(e.span(), &msg))
}

fn parse_path(meta: &ParseNestedMeta, name: &str) -> syn::Result<Path> {
    let msg = if name == "skip_if" {
        format!(
            "`{name}` takes the path of a function `fn() -> Option<String>` that returns why \
             to skip, e.g. `{name} = no_qat_device`"
        )
    } else {
        format!(
            "`{name}` takes the path of a function `fn(&mut asf_core::TestCase) -> TestResult`, \
             e.g. `{name} = my_hook`"
        )
    };
    let value = meta.value().map_err(|e| syn::Error::new(e.span(), &msg))?;
    value
        .parse::<Path>()
        .map_err(|e| syn::Error::new(e.span(), &msg))
}

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's table of `#[vpp_test]` options names every one the
    /// macro takes, so a reader finds each.
    #[test]
    fn every_option_is_in_the_readme() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
            .expect("README.md");
        let table: Vec<&str> = readme.lines().filter(|l| l.starts_with("| `")).collect();
        let missing: Vec<&str> = options()
            .into_iter()
            .map(|(name, _, _)| name)
            .filter(|name| {
                !table.iter().any(|row| {
                    row.contains(&format!("`{name}`")) || row.contains(&format!("`{name} "))
                })
            })
            .collect();
        assert!(
            missing.is_empty(),
            "README's option table lacks {missing:?}"
        );
    }
}
