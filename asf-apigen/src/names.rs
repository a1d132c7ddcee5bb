//! Rust names for API names.

/// Words Rust reserves; a field with one of these names becomes `r#name`.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// `sw_interface_details` → `SwInterfaceDetails`; `IF_API_TYPE_SUB` → `IfApiTypeSub`.
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.push(c.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    out
}

/// A field or module name as a Rust identifier (characters an identifier
/// cannot hold become `_`).
pub fn field(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = name.as_str();
    match name {
        "self" | "Self" | "super" | "crate" | "_" => format!("{name}_"),
        n if KEYWORDS.contains(&n) => format!("r#{n}"),
        n if n.starts_with(|c: char| c.is_ascii_digit()) => format!("f{n}"),
        n => n.to_string(),
    }
}

/// The member names of an enum without the prefix they all share, cut at
/// `_`, so that none is empty or starts with a digit.
pub fn strip_common_prefix(members: &[&str]) -> Vec<String> {
    let split: Vec<Vec<&str>> = members.iter().map(|m| m.split('_').collect()).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let mut n = 0;
    while n + 1 < shortest && split.iter().all(|s| s[n] == split[0][n]) {
        n += 1;
    }
    while n > 0
        && split.iter().any(|s| {
            s[n..]
                .first()
                .is_none_or(|w| w.is_empty() || w.starts_with(|c: char| c.is_ascii_digit()))
        })
    {
        n -= 1;
    }
    split.iter().map(|s| s[n..].join("_")).collect()
}

/// Text as a `#[doc = "..."]` attribute, one per line, trimmed so that no
/// line is read as code (rustdoc would compile indented lines as doctests).
pub fn doc(text: &str, indent: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim().replace("```", "'''");
        out.push_str(&format!("{indent}#[doc = {line:?}]\n"));
    }
    out
}

/// The parts of a vppapigen comment: the brief, and `@param` texts by name.
pub struct Comment {
    /// Text before the first `@param`, `\brief` removed.
    pub brief: String,
    /// `(name, text)` of every `@param`.
    pub params: Vec<(String, String)>,
}

/// Reads `/** \brief ... @param name - text ... */`.
pub fn parse_comment(raw: &str) -> Comment {
    let body = raw
        .trim()
        .trim_start_matches("/**")
        .trim_start_matches("/*")
        .trim_end_matches("*/");
    let mut brief = Vec::new();
    let mut params: Vec<(String, String)> = Vec::new();
    for line in body.lines() {
        let line = line.trim().trim_start_matches('*').trim();
        let line = line
            .strip_prefix("\\brief")
            .or_else(|| line.strip_prefix("@brief"))
            .map_or(line, str::trim);
        if let Some(p) = line
            .strip_prefix("@param")
            .or_else(|| line.strip_prefix("\\param"))
        {
            let p = p.trim();
            let (name, text) = p.split_once(char::is_whitespace).unwrap_or((p, ""));
            let text = text.trim().trim_start_matches(['-', ':']).trim();
            params.push((
                name.trim_end_matches([':', '-']).to_string(),
                text.to_string(),
            ));
        } else if let Some(last) = params.last_mut() {
            if !line.is_empty() {
                last.1.push(' ');
                last.1.push_str(line);
            }
        } else if !line.is_empty() {
            brief.push(line.to_string());
        }
    }
    Comment {
        brief: brief.join("\n"),
        params,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(camel("sw_interface_details"), "SwInterfaceDetails");
        assert_eq!(camel("ip4_address"), "Ip4Address");
        assert_eq!(camel("6rd"), "T6rd");
        assert_eq!(field("type"), "r#type");
        assert_eq!(field("self"), "self_");
        assert_eq!(field("every-kind"), "every_kind");
        assert_eq!(
            strip_common_prefix(&["IF_STATUS_API_FLAG_ADMIN_UP", "IF_STATUS_API_FLAG_LINK_UP"]),
            ["ADMIN_UP", "LINK_UP"]
        );
        assert_eq!(
            strip_common_prefix(&["LINK_SPEED_10G", "LINK_SPEED_1G"]),
            ["SPEED_10G", "SPEED_1G"]
        );
        assert_eq!(strip_common_prefix(&["ONLY_ONE"]), ["ONE"]);
        assert_eq!(strip_common_prefix(&["A_B", "A"]), ["A_B", "A"]);
    }

    #[test]
    fn comments() {
        let c = parse_comment(
            "/** \\brief Set flags on the interface\n    @param client_index - opaque cookie\n    @param flags - interface_status flags\n        (only ADMIN_UP used)\n*/",
        );
        assert_eq!(c.brief, "Set flags on the interface");
        assert_eq!(c.params[1].0, "flags");
        assert_eq!(c.params[1].1, "interface_status flags (only ADMIN_UP used)");
        assert_eq!(
            doc("    indented\n```", ""),
            "#[doc = \"indented\"]\n#[doc = \"'''\"]\n"
        );
    }
}
