//! Markdown pages from other site generators (Hugo, Jekyll, Zola,
//! Middleman, ...), one persona per file. Front matter may be YAML (`---`),
//! TOML (`+++`) or JSON (a leading `{ ... }` object, as Hugo allows).
//!
//! `title` becomes `name`, persona keys are kept, unknown keys are kept (they
//! become `extra`), the body is kept as written. Custom fields that other
//! generators nest (Hugo `params`, Zola `extra`, Zola `taxonomies.tags`) are
//! lifted to the top, where personabook looks for them.

use super::{line_column, read_text, relative, shown, Draft, Entry, ImportError, Notes, Skip, SkipReason, Sources};
use crate::diagnostic::Diagnostic;
use crate::load::front_matter;
use crate::load::yaml::{scalar_text, Locator};
use crate::model::persona::KEYS;
use crate::problem::ImportProblem;
use serde_yaml::{Mapping, Value};
use std::path::Path;

/// Reads every page under `src` (or the one page `src`).
pub fn read(src: &Path) -> Result<Vec<Entry>, ImportError> {
    let is_markdown = |name: &str| {
        let n = name.to_ascii_lowercase();
        n.ends_with(".md") || n.ends_with(".markdown")
    };
    let Sources { files, single, base } = Sources::find(src, is_markdown, "Markdown pages (*.md)")?;
    let mut entries = Vec::new();
    let mut diags = Vec::new();
    for path in &files {
        let rel = relative(base, path);
        if let Some(reason) = skip_reason(&rel, single) {
            entries.push(Entry::Skip(Skip { source: shown(path), reason }));
            continue;
        }
        match read_page(path, &rel) {
            Ok(draft) => entries.push(Entry::Draft(Box::new(draft))),
            Err(d) => diags.push(d),
        }
    }
    if diags.is_empty() {
        Ok(entries)
    } else {
        Err(ImportError::Invalid(diags))
    }
}

/// Pages that are not personas: section and home pages, repository docs.
fn skip_reason(rel: &str, single: bool) -> Option<SkipReason> {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    let first = name.split('.').next().unwrap_or_default();
    if first == "_index" {
        return Some(SkipReason::SectionPage);
    }
    if !single && !rel.contains('/') && first == "index" {
        return Some(SkipReason::FolderIndex);
    }
    if ["readme", "changelog", "contributing", "license", "licence"].contains(&first) {
        return Some(SkipReason::RepositoryDocs);
    }
    None
}

fn read_page(path: &Path, rel: &str) -> Result<Draft, Diagnostic> {
    let display = shown(path);
    let text = read_text(path)?;
    let (fm, body) = split(&display, &text)?;
    Ok(map_page(fm, body, &display, rel))
}

/// Front matter (any of the three syntaxes) and body.
pub fn split<'a>(display: &str, text: &'a str) -> Result<(Mapping, &'a str), Diagnostic> {
    let start = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = start.lines().next().unwrap_or_default().trim_end();
    if first_line == "+++" {
        return split_toml(display, text);
    }
    if start.starts_with('{') {
        return split_json(display, text);
    }
    let s = front_matter::split(text).map_err(|_| {
        Diagnostic::error(display, 1, 1, ImportProblem::UnclosedFrontMatter { fence: "---" })
            .with_source(text, 3)
            .with_hint("add a line with only `---` after the last front-matter key")
    })?;
    let loc = Locator { path: display, text, yaml: s.yaml, first_line: s.yaml_line };
    Ok((loc.parse()?, s.body))
}

fn split_toml<'a>(display: &str, text: &'a str) -> Result<(Mapping, &'a str), Diagnostic> {
    let open_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut pos = open_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "+++" {
            let toml_text = &text[open_end..pos];
            let table = toml_text.parse::<toml::Table>().map_err(|e| {
                let offset = open_end + e.span().map_or(0, |s| s.start);
                let (line, column) = line_column(text, offset);
                Diagnostic::error(
                    display,
                    line,
                    column,
                    ImportProblem::InvalidToml { message: e.message().trim().to_string() },
                )
                .with_source(text, 1)
                .with_hint("check the TOML syntax near this position")
            })?;
            let fm = match toml_to_yaml(toml::Value::Table(table)) {
                Value::Mapping(m) => m,
                _ => Mapping::new(),
            };
            return Ok((fm, &text[end..]));
        }
        pos = end;
    }
    Err(Diagnostic::error(display, 1, 1, ImportProblem::UnclosedFrontMatter { fence: "+++" })
        .with_source(text, 3)
        .with_hint("add a line with only `+++` after the last front-matter key"))
}

fn split_json<'a>(display: &str, text: &'a str) -> Result<(Mapping, &'a str), Diagnostic> {
    let bom = text.len() - text.trim_start_matches('\u{feff}').len();
    let mut stream = serde_json::Deserializer::from_str(&text[bom..]).into_iter::<serde_json::Value>();
    let value = match stream.next() {
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            return Err(Diagnostic::error(
                display,
                e.line(),
                e.column(),
                ImportProblem::InvalidJson { message: strip_at(&e.to_string()).to_string(), front_matter: true },
            )
            .with_source(text, 1));
        }
        None => serde_json::Value::Null,
    };
    let end = bom + stream.byte_offset();
    let fm = match serde_yaml::to_value(&value) {
        Ok(Value::Mapping(m)) => m,
        _ => Mapping::new(),
    };
    Ok((fm, text[end..].strip_prefix('\r').unwrap_or(&text[end..])))
}

fn strip_at(msg: &str) -> &str {
    msg.find(" at line ").map_or(msg, |i| &msg[..i])
}

/// TOML values as YAML values; dates and times become their TOML text (`2024-05-01`).
fn toml_to_yaml(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(i.into()),
        toml::Value::Float(f) => Value::Number(f.into()),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Sequence(a.into_iter().map(toml_to_yaml).collect()),
        toml::Value::Table(t) => {
            Value::Mapping(t.into_iter().map(|(k, v)| (Value::String(k), toml_to_yaml(v))).collect())
        }
    }
}

/// Maps one page's front matter; the body is kept as written. Pure.
pub fn map_page(fm: Mapping, body: &str, display: &str, rel: &str) -> Draft {
    let mut notes = Notes::default();
    let mut fm = string_keys(fm, &mut notes);
    lift(&mut fm, "params", &mut notes);
    lift(&mut fm, "extra", &mut notes);
    lift_taxonomy_tags(&mut fm, &mut notes);
    normalise_key_names(&mut fm, &mut notes);
    let stem = file_stem(rel);

    let name = match fm.get("name").and_then(scalar_text).filter(|s| !s.trim().is_empty()) {
        Some(n) => n,
        None => {
            let from_title = fm.get("title").and_then(scalar_text).filter(|s| !s.trim().is_empty());
            match from_title {
                Some(t) => {
                    fm.shift_remove("title");
                    notes.mapped("title -> name");
                    t
                }
                None => match first_heading(body) {
                    Some(h) => {
                        notes.mapped("first heading -> name");
                        h
                    }
                    None => {
                        notes.mapped("file name -> name");
                        crate::config::title_case(&stem)
                    }
                },
            }
        }
    };
    if fm.get("name").is_some_and(|v| scalar_text(v).is_none()) {
        if let Some(v) = fm.shift_remove("name") {
            fm.insert("original_name".into(), v);
            notes.unmapped("`name` is not text; kept as `original_name`");
        }
    }
    if !fm.contains_key("summary") {
        if let Some(d) = fm.shift_remove("description") {
            fm.insert("summary".into(), d);
            notes.mapped("description -> summary");
        }
    }
    let known: Vec<String> =
        fm.keys().filter_map(Value::as_str).filter(|k| *k != "name" && KEYS.contains(k)).map(str::to_string).collect();
    if !known.is_empty() {
        notes.mapped(format!("{} (as written)", known.join(", ")));
    }
    for k in fm.keys().filter_map(Value::as_str).filter(|k| !KEYS.contains(k)) {
        // `check` warns about keys that look like typos (Hugo's `date` looks like `age`): say so now.
        match crate::diagnostic::closest(k, KEYS.iter().copied()) {
            Some(like) => notes.kept(format!("{k} (`check` will ask if you meant `{like}`)")),
            None => notes.kept(k.to_string()),
        }
    }
    notes.mapped("body (as written)");

    let mut out = Mapping::new();
    out.insert("name".into(), Value::String(name.trim().to_string()));
    for (k, v) in fm {
        if k.as_str() != Some("name") {
            out.insert(k, v);
        }
    }
    Draft {
        source: display.to_string(),
        rel: rel.to_string(),
        name: name.trim().to_string(),
        file_stem: stem,
        front_matter: out,
        body: body.to_string(),
        related_sources: Vec::new(),
        notes,
    }
}

/// Keys as strings (`1: x` is kept as `"1"`); keys that are lists or maps cannot be.
fn string_keys(fm: Mapping, notes: &mut Notes) -> Mapping {
    let mut out = Mapping::new();
    for (k, v) in fm {
        match scalar_text(&k) {
            Some(key) => {
                out.insert(Value::String(key), v);
            }
            None => notes.unmapped(format!("a key that is {} (keys must be text)", crate::load::yaml::kind(&k))),
        }
    }
    out
}

/// Moves the keys of the nested mapping `key` to the top where they are free.
fn lift(fm: &mut Mapping, key: &str, notes: &mut Notes) {
    let Some(Value::Mapping(inner)) = fm.shift_remove(key) else {
        return;
    };
    let mut rest = Mapping::new();
    let mut lifted = Vec::new();
    for (k, v) in inner {
        if fm.contains_key(&k) {
            rest.insert(k, v);
        } else {
            lifted.push(format!("{key}.{}", k.as_str().unwrap_or_default()));
            fm.insert(k, v);
        }
    }
    if !lifted.is_empty() {
        notes.mapped(format!("{} -> top level", lifted.join(", ")));
    }
    if !rest.is_empty() {
        fm.insert(Value::String(key.to_string()), Value::Mapping(rest));
    }
}

/// Zola keeps tags under `taxonomies.tags`.
fn lift_taxonomy_tags(fm: &mut Mapping, notes: &mut Notes) {
    let Some(Value::Mapping(tax)) = fm.get_mut("taxonomies") else {
        return;
    };
    let Some(Value::Sequence(tags)) = tax.shift_remove("tags") else {
        return;
    };
    let empty = tax.is_empty();
    match fm.get_mut("tags") {
        Some(Value::Sequence(existing)) => {
            existing.extend(tags.into_iter().filter(|t| !existing.contains(t)).collect::<Vec<_>>())
        }
        Some(_) => return,
        None => {
            fm.insert("tags".into(), Value::Sequence(tags));
        }
    }
    if empty {
        fm.shift_remove("taxonomies");
    }
    notes.mapped("taxonomies.tags -> tags");
}

/// `Title`, `Preferred-Tech` -> `title`, `preferred_tech` (Hugo compares keys
/// case-insensitively, and hyphens are a common spelling).
fn normalise_key_names(fm: &mut Mapping, notes: &mut Notes) {
    let renames: Vec<(String, String)> = fm
        .keys()
        .filter_map(Value::as_str)
        .filter_map(|k| {
            let norm = k.to_lowercase().replace('-', "_");
            let known = KEYS.contains(&norm.as_str()) || norm == "title" || norm == "description";
            (known && norm != k && !fm.contains_key(norm.as_str())).then(|| (k.to_string(), norm))
        })
        .collect();
    for (from, to) in renames {
        if let Some(v) = fm.shift_remove(from.as_str()) {
            notes.mapped(format!("{from} -> {to}"));
            fm.insert(Value::String(to), v);
        }
    }
}

/// `chris/index.html.md` -> `chris`, `pages/ana.md` -> `ana`.
fn file_stem(rel: &str) -> String {
    let mut parts = rel.rsplit('/');
    let name = parts.next().unwrap_or(rel);
    let stem = name.split('.').next().unwrap_or(name);
    if stem == "index" || stem == "_index" {
        if let Some(folder) = parts.next() {
            return folder.to_string();
        }
    }
    stem.to_string()
}

/// The text of the first `#` heading, if the body starts with one.
fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .and_then(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Draft {
        let (fm, body) = split("p.md", text).unwrap();
        map_page(fm, body, "p.md", "chris/index.html.md")
    }

    #[test]
    fn yaml_title_becomes_name_and_unknown_keys_stay() {
        let d = page("---\ntitle: Chris, user with arthritis\nparent: /index.html\nrole: Accountant\n---\n\n# Chris\n");
        assert_eq!(d.name, "Chris, user with arthritis");
        assert_eq!(d.file_stem, "chris");
        let fm = serde_yaml::to_string(&d.front_matter).unwrap();
        assert_eq!(fm, "name: Chris, user with arthritis\nparent: /index.html\nrole: Accountant\n");
        assert_eq!(d.body, "\n# Chris\n");
        assert_eq!(d.notes.kept, ["parent"]);
    }

    #[test]
    fn toml_front_matter_with_zola_extra_and_taxonomies() {
        let d = page("+++\ntitle = \"Ana\"\ndate = 2024-05-01\ndescription = \"Buys things\"\n[taxonomies]\ntags = [\"b2b\"]\n[extra]\nrole = \"Buyer\"\n+++\nBody\n");
        let fm = serde_yaml::to_string(&d.front_matter).unwrap();
        assert_eq!(fm, "name: Ana\ndate: 2024-05-01\nrole: Buyer\ntags:\n- b2b\nsummary: Buys things\n");
        assert_eq!(d.body, "Body\n");
    }

    #[test]
    fn toml_errors_point_into_the_file() {
        let e = split("p.md", "+++\ntitle = \"A\"\nrole = \n+++\n").unwrap_err();
        assert_eq!((e.line, e.path.as_str()), (3, "p.md"));
        assert!(e.message().starts_with("invalid TOML"), "{}", e.problem);
    }

    #[test]
    fn yaml_errors_count_from_the_top_of_the_file() {
        let e = split("p.md", "---\ntitle: A\nrole: b: c\n---\n").unwrap_err();
        assert_eq!(e.line, 3);
    }

    #[test]
    fn json_front_matter_and_no_front_matter() {
        let d = page("{\n  \"title\": \"Jo\",\n  \"Tags\": [\"x\"]\n}\n\nText\n");
        assert_eq!(serde_yaml::to_string(&d.front_matter).unwrap(), "name: Jo\ntags:\n- x\n");
        assert_eq!(d.body.trim(), "Text");
        let d = page("# Heading Name\n\nText\n");
        assert_eq!(d.name, "Heading Name");
        let d = page("Just text\n");
        assert_eq!(d.name, "Chris");
    }

    proptest::proptest! {
        /// Any text either splits or is a located error; it never panics, and the body is a tail of the text.
        #[test]
        fn split_never_panics(tokens in proptest::collection::vec(proptest::sample::select(vec![
            "---", "+++", "{", "}", "\n", "\r\n", "\u{feff}", "title: a", "title = 'a'", "\"t\": 1", ":", "[x]", "é", " ",
        ]), 0..30)) {
            let text: String = tokens.concat();
            match split("p.md", &text) {
                Ok((_, body)) => proptest::prop_assert!(text.ends_with(body)),
                Err(d) => proptest::prop_assert!(d.line >= 1 && d.column >= 1 && d.path == "p.md"),
            }
        }
    }

    #[test]
    fn skips_section_pages() {
        assert!(skip_reason("_index.md", false).is_some());
        assert!(skip_reason("index.html.md", false).is_some());
        assert!(skip_reason("index.html.md", true).is_none());
        assert!(skip_reason("chris/index.html.md", false).is_none());
        assert!(skip_reason("README.md", false).is_some());
    }
}
