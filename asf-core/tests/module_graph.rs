//! The module graph of every crate of the workspace has no circles: a
//! module never depends, directly or through others, on a module that
//! depends on it. Dependencies are the `crate::`, `super::` and `self::`
//! paths of a file's code (its `#[cfg(test)]` part and comments aside); a
//! module that only declares and re-exports (`mod x; pub use x::Y;`) is a
//! facade, not a node: a path through it counts as a path to the module
//! the item comes from. `cargo test -p asf-core --test module_graph`
//! prints the graph with `-- --nocapture`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path: `runner::child` (the crate root is "").
type Module = String;

struct Crate {
    /// Module → its file's code lines (tests and comments removed).
    code: BTreeMap<Module, Vec<(usize, String)>>,
    files: BTreeMap<Module, PathBuf>,
}

fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts.join("::")
}

/// The text with comments, string and char literals blanked (line breaks
/// kept), so that only code is searched for paths.
fn blank_literals(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let keep = |ch: char| if ch == '\n' { '\n' } else { ' ' };
    while i < c.len() {
        let rest2 = (c[i], c.get(i + 1).copied().unwrap_or(' '));
        match rest2 {
            ('/', '/') => {
                while i < c.len() && c[i] != '\n' {
                    out.push(' ');
                    i += 1;
                }
            }
            ('/', '*') => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                        depth += 1;
                        out.push_str("  ");
                        i += 2;
                    } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        out.push_str("  ");
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        out.push(keep(c[i]));
                        i += 1;
                    }
                }
            }
            ('r', '"') | ('r', '#')
                if i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_') =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while c.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if c.get(j) != Some(&'"') {
                    out.push(c[i]);
                    i += 1;
                    continue;
                }
                for _ in i..=j {
                    out.push(' ');
                }
                i = j + 1;
                while i < c.len() {
                    if c[i] == '"' && (0..hashes).all(|k| c.get(i + 1 + k) == Some(&'#')) {
                        for _ in 0..=hashes {
                            out.push(' ');
                        }
                        i += 1 + hashes;
                        break;
                    }
                    out.push(keep(c[i]));
                    i += 1;
                }
            }
            ('"', _) => {
                out.push(' ');
                i += 1;
                while i < c.len() {
                    if c[i] == '\\' {
                        out.push(' ');
                        out.push(keep(*c.get(i + 1).unwrap_or(&' ')));
                        i += 2;
                        continue;
                    }
                    if c[i] == '"' {
                        out.push(' ');
                        i += 1;
                        break;
                    }
                    out.push(keep(c[i]));
                    i += 1;
                }
            }
            ('\'', _) => {
                // A char literal ('x', '\n', '\'') or a lifetime ('a).
                let lit = if c.get(i + 1) == Some(&'\\') {
                    (i + 2..(i + 12).min(c.len()))
                        .find(|&k| c[k] == '\'')
                        .map(|k| k + 1)
                } else if c.get(i + 2) == Some(&'\'') {
                    Some(i + 3)
                } else {
                    None
                };
                match lit {
                    Some(end) => {
                        for _ in i..end {
                            out.push(' ');
                        }
                        i = end;
                    }
                    None => {
                        out.push('\'');
                        i += 1;
                    }
                }
            }
            _ => {
                out.push(c[i]);
                i += 1;
            }
        }
    }
    out
}

/// The code of a file: no comments or literals, nothing from `#[cfg(test)]` on.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in blank_literals(text).lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        out.push((i + 1, line.to_string()));
    }
    out
}

fn load(src: &Path) -> Crate {
    let mut files = Vec::new();
    walk(src, &mut files);
    let mut c = Crate {
        code: BTreeMap::new(),
        files: BTreeMap::new(),
    };
    for f in files {
        let m = module_of(src, &f);
        if f.components().any(|p| p.as_os_str() == "bin") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        c.code.insert(m.clone(), code_lines(&text));
        c.files.insert(m, f);
    }
    c
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Paths written in the code: `crate::a::b`, `super::c`, `self::d`, with
/// `use` groups (`crate::a::{b, c::d}`) expanded, and `use` lines joined.
fn paths(lines: &[(usize, String)]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut joined: Vec<(usize, String)> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (n, l) in lines {
        let t = l.trim();
        if let Some((_, acc)) = pending.as_mut() {
            acc.push(' ');
            acc.push_str(t);
            if t.ends_with(';') {
                joined.push(pending.take().unwrap());
            }
            continue;
        }
        if (t.starts_with("use ") || t.starts_with("pub use ") || t.starts_with("pub(crate) use "))
            && !t.ends_with(';')
        {
            pending = Some((*n, t.to_string()));
            continue;
        }
        joined.push((*n, l.clone()));
    }
    for (n, l) in joined {
        let bytes: Vec<char> = l.chars().collect();
        let mut i = 0;
        while i < bytes.len() {
            let rest: String = bytes[i..].iter().collect();
            let prev_ok = i == 0
                || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':');
            let root = ["crate::", "super::", "self::"]
                .into_iter()
                .find(|r| rest.starts_with(r));
            match root {
                Some(_) if prev_ok => {
                    let (text, used) = take_path(&rest);
                    for p in expand(&text) {
                        out.push((n, p));
                    }
                    i += used.max(1);
                }
                _ => i += 1,
            }
        }
    }
    out
}

/// The path at the start of `s`, braces included; and how many chars it took.
fn take_path(s: &str) -> (String, usize) {
    let mut depth = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            '}' => break,
            c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':' || c == '*') => break,
            _ => {}
        }
        end = i + c.len_utf8();
    }
    (s[..end].to_string(), end)
}

/// Paths that start with a child module's name (`ledger::Kind`, `use
/// child::X`), written as `self::` paths.
fn child_paths(lines: &[(usize, String)], children: &[String]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, l) in lines {
        for child in children {
            let needle = format!("{child}::");
            let mut from = 0;
            while let Some(pos) = l[from..].find(&needle) {
                let at = from + pos;
                let before = l[..at].chars().last();
                let fresh = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'));
                if fresh {
                    let (text, _) = take_path(&l[at..]);
                    for p in expand(&text) {
                        out.push((*n, format!("self::{p}")));
                    }
                }
                from = at + needle.len();
            }
        }
    }
    out
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(p: &str) -> Vec<String> {
    let Some(open) = p.find('{') else {
        return vec![p.trim_end_matches("::").to_string()];
    };
    let prefix = &p[..open];
    let inner = &p[open + 1..p.rfind('}').unwrap_or(p.len())];
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in inner.chars() {
        match c {
            '{' => {
                depth += 1;
                cur.push(c);
            }
            '}' => {
                depth -= 1;
                cur.push(c);
            }
            ',' if depth == 0 => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    parts
        .iter()
        .map(|x| x.trim())
        .filter(|x| !x.is_empty())
        .flat_map(|x| {
            if x == "self" {
                vec![prefix.trim_end_matches("::").to_string()]
            } else {
                expand(&format!("{prefix}{x}"))
            }
        })
        .collect()
}

/// The module a path written in `from` names, as a module of the crate.
fn absolute(from: &str, path: &str) -> Vec<String> {
    let mut segs: Vec<String> = Vec::new();
    let mut parts = path.split("::").filter(|s| !s.is_empty()).peekable();
    match parts.peek().copied() {
        Some("crate") => {
            parts.next();
        }
        Some("self") | Some("super") => {
            segs = from
                .split("::")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            while let Some(p) = parts.peek().copied() {
                match p {
                    "self" => {}
                    "super" => {
                        segs.pop();
                    }
                    _ => break,
                }
                parts.next();
            }
        }
        _ => {}
    }
    segs.extend(parts.map(|s| s.trim().to_string()));
    segs
}

/// A module that only declares modules and re-exports items.
fn facade(lines: &[(usize, String)]) -> bool {
    let mut in_use = false;
    for (_, l) in lines {
        let t = l.trim();
        if t.is_empty() || t.starts_with("#!") || t.starts_with("#[") {
            continue;
        }
        if in_use {
            in_use = !t.ends_with(';');
            continue;
        }
        let is_use = ["use ", "pub use ", "pub(crate) use "]
            .iter()
            .any(|p| t.starts_with(p));
        let is_mod = ["mod ", "pub mod ", "pub(crate) mod "]
            .iter()
            .any(|p| t.starts_with(p))
            && t.ends_with(';');
        if is_use {
            in_use = !t.ends_with(';');
        } else if !is_mod && !t.starts_with("include!") {
            return false;
        }
    }
    true
}

/// Edges between modules, with the line that makes each.
fn graph(c: &Crate) -> BTreeMap<Module, BTreeMap<Module, (PathBuf, usize)>> {
    let modules: BTreeSet<&str> = c.code.keys().map(String::as_str).collect();
    let facades: BTreeSet<&str> = c
        .code
        .iter()
        .filter(|(_, l)| facade(l))
        .map(|(m, _)| m.as_str())
        .collect();
    // Items a facade re-exports: facade::Item → the module of the item.
    let mut reexports: BTreeMap<(String, String), Module> = BTreeMap::new();
    for f in &facades {
        for (_, p) in paths(&c.code[*f]) {
            let segs = absolute(f, &p);
            if let Some(item) = segs.last() {
                let target = longest_module(&modules, &segs);
                if let Some(t) = target {
                    reexports.insert((f.to_string(), item.clone()), t);
                }
            }
        }
    }
    let mut g: BTreeMap<Module, BTreeMap<Module, (PathBuf, usize)>> = BTreeMap::new();
    for (m, lines) in &c.code {
        if facades.contains(m.as_str()) {
            continue;
        }
        let entry = g.entry(m.clone()).or_default();
        let children: Vec<String> = modules
            .iter()
            .filter_map(|c| {
                let rest = if m.is_empty() {
                    Some(*c)
                } else {
                    c.strip_prefix(&format!("{m}::"))
                };
                rest.filter(|r| !r.is_empty() && !r.contains("::"))
                    .map(str::to_string)
            })
            .collect();
        for (n, p) in paths(lines)
            .into_iter()
            .chain(child_paths(lines, &children))
        {
            let segs = absolute(m, &p);
            let Some(mut target) = longest_module(&modules, &segs) else {
                continue;
            };
            if facades.contains(target.as_str()) {
                let depth = if target.is_empty() {
                    0
                } else {
                    target.split("::").count()
                };
                match segs.get(depth) {
                    Some(item) => match reexports.get(&(target.clone(), item.clone())) {
                        Some(t) => target = t.clone(),
                        None => continue,
                    },
                    None => continue,
                }
            }
            if &target == m || facades.contains(target.as_str()) {
                continue;
            }
            entry
                .entry(target)
                .or_insert_with(|| (c.files[m].clone(), n));
        }
    }
    g
}

fn longest_module(modules: &BTreeSet<&str>, segs: &[String]) -> Option<Module> {
    (0..=segs.len())
        .rev()
        .map(|k| segs[..k].join("::"))
        .find(|cand| modules.contains(cand.as_str()))
}

/// Strongly connected components with more than one module (Tarjan).
fn circles(g: &BTreeMap<Module, BTreeMap<Module, (PathBuf, usize)>>) -> Vec<Vec<Module>> {
    struct T<'a> {
        g: &'a BTreeMap<Module, BTreeMap<Module, (PathBuf, usize)>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<Module>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        if let Some(edges) = t.g.get(v) {
            for w in edges.keys() {
                let w = w.as_str();
                if !t.index.contains_key(w) {
                    visit(t, w);
                    let lw = t.low[w];
                    let lv = t.low[v];
                    t.low.insert(v, lv.min(lw));
                } else if t.on.contains(w) {
                    let iw = t.index[w];
                    let lv = t.low[v];
                    t.low.insert(v, lv.min(iw));
                }
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = t.stack.pop().unwrap();
                t.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

#[test]
fn no_module_depends_on_itself_through_others() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut report = Vec::new();
    for krate in [
        "asf-core",
        "asf-vocab",
        "asf-apigen",
        "asf-fake-vpp",
        "asf-macros",
        "asf-packet",
    ] {
        let c = load(&root.join(krate).join("src"));
        let g = graph(&c);
        if std::env::var_os("ASF_PRINT_MODULES").is_some() {
            for (m, edges) in &g {
                let to: Vec<&str> = edges.keys().map(String::as_str).collect();
                println!("{krate}: {m} -> {}", to.join(", "));
            }
        }
        for comp in circles(&g) {
            let mut why = Vec::new();
            for a in &comp {
                for (b, (file, line)) in &g[a] {
                    if comp.contains(b) {
                        why.push(format!(
                            "    {a} -> {b} ({}:{line})",
                            file.strip_prefix(&root).unwrap_or(file).display()
                        ));
                    }
                }
            }
            report.push(format!(
                "{krate}: {}\n{}",
                comp.join(" <-> "),
                why.join("\n")
            ));
        }
    }
    assert!(report.is_empty(), "module circles:\n{}", report.join("\n"));
}

#[test]
fn the_checker_sees_a_circle_and_reads_paths() {
    let code = blank_literals(
        "let a = \"crate::x\"; // crate::y\nlet b = r#\"super::z\"#; let c = '\\''; crate::w::V",
    );
    assert_eq!(paths(&code_lines(&code)), [(2, "crate::w::V".to_string())]);
    assert_eq!(
        expand("crate::api::{client::ApiClient, codec::{Reader, Writer}, self}"),
        [
            "crate::api::client::ApiClient",
            "crate::api::codec::Reader",
            "crate::api::codec::Writer",
            "crate::api"
        ]
    );
    assert_eq!(
        absolute("runner::child", "super::event::Event"),
        ["runner", "event", "Event"]
    );
    assert_eq!(
        absolute("runner::child", "crate::api::ApiClient"),
        ["api", "ApiClient"]
    );
    let mut g: BTreeMap<Module, BTreeMap<Module, (PathBuf, usize)>> = BTreeMap::new();
    for (a, b) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        g.entry(a.into())
            .or_default()
            .insert(b.into(), (PathBuf::new(), 1));
    }
    assert_eq!(
        circles(&g),
        vec![vec!["a".to_string(), "b".into(), "c".into()]]
    );
}
