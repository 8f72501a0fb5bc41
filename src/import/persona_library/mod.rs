//! The DevRel Foundation persona library format: one JSON object per
//! persona (`id`, `label`, `narrative`, `role`, `motivations`, ...), with
//! `parent` inheritance. SRC is a folder (searched recursively) or one file;
//! for one file, the other JSON files beside it can serve as its parents.
//!
//! This module reads and parses files and turns problems into messages;
//! `inherit` resolves parents and `map` maps fields, both without I/O.

pub mod inherit;
pub mod map;
mod tree;

use super::{read_text, relative, shown, Entry, ImportError, Skip, SkipReason, Sources};
use crate::diagnostic::Diagnostic;
use crate::problem::ImportProblem;
use inherit::{Node, Problem};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One persona file, parsed.
struct Record {
    /// As shown in messages.
    display: String,
    /// Relative to SRC.
    rel: String,
    /// The file's text, to point at positions in it.
    text: String,
    node: Node,
    /// Part of the import (false for a sibling read only as a possible parent).
    imported: bool,
}

/// What a JSON file turned out to be.
enum Parsed {
    Persona(Record),
    NotPersona(SkipReason),
}

/// Reads every persona under `src` and maps it to a draft.
pub fn read(src: &Path) -> Result<Vec<Entry>, ImportError> {
    let is_json = |name: &str| name.to_ascii_lowercase().ends_with(".json");
    let Sources { files, single, base } = Sources::find(src, is_json, "persona JSON files (*.json)")?;
    let mut entries = Vec::new();
    let mut records = Vec::new();
    let mut diags = Vec::new();
    for path in &files {
        match parse(base, path, true) {
            Ok(Parsed::Persona(r)) => records.push(r),
            Ok(Parsed::NotPersona(reason)) => entries.push(Entry::Skip(Skip { source: shown(path), reason })),
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(ImportError::Invalid(diags));
    }
    if single {
        records.extend(siblings(base, src).iter().filter_map(|p| match parse(base, p, false) {
            Ok(Parsed::Persona(r)) => Some(r),
            _ => None,
        }));
    }
    let nodes: Vec<Node> = records.iter().map(|r| r.node.clone()).collect();
    let wanted: Vec<usize> = (0..records.len()).filter(|&i| records[i].imported).collect();
    let (resolved, problems) = inherit::resolve(&nodes, &wanted);
    if !problems.is_empty() {
        let hint_siblings = single.then_some("parents are looked up among the JSON files in the same folder");
        return Err(ImportError::Invalid(problems.iter().map(|p| describe(&records, p, hint_siblings)).collect()));
    }
    for (i, r) in resolved.into_iter().enumerate() {
        let Some(r) = r else { continue };
        let rec = &records[i];
        let parents: Vec<map::Parent> = r
            .parents
            .iter()
            .map(|&j| map::Parent {
                rel: records[j].rel.clone(),
                display: records[j].display.clone(),
                imported: records[j].imported,
            })
            .collect();
        let src =
            map::Source { display: rec.display.clone(), rel: rec.rel.clone(), stem: rec.node.stem.clone(), parents };
        entries.push(Entry::Draft(Box::new(map::to_draft(&src, &rec.node.fields, r.fields))));
    }
    Ok(entries)
}

/// The other JSON files in the folder of a single SRC file, not recursive.
fn siblings(folder: &Path, src: &Path) -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(if folder.as_os_str().is_empty() { Path::new(".") } else { folder }) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = dir
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("json")))
        .filter(|p| p.file_name() != src.file_name())
        .map(|p| if folder.as_os_str().is_empty() { PathBuf::from(p.file_name().unwrap_or_default()) } else { p })
        .collect();
    out.sort();
    out
}

fn parse(base: &Path, path: &Path, imported: bool) -> Result<Parsed, Diagnostic> {
    let display = shown(path);
    let text = read_text(path)?;
    let value: Value = serde_json::from_str(&text).map_err(|e| json_error(&display, &text, &e))?;
    let Value::Object(fields) = value else {
        return Ok(Parsed::NotPersona(SkipReason::NotAnObject { holds: json_kind(&value) }));
    };
    let text_of = |key: &str| fields.get(key).and_then(scalar).filter(|s| !s.trim().is_empty());
    let id = text_of("id");
    if id.is_none() && text_of("label").is_none() {
        return Ok(Parsed::NotPersona(SkipReason::NoIdOrLabel));
    }
    let parents = match fields.get("parent") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            items.iter().filter_map(Value::as_str).filter(|s| !s.trim().is_empty()).map(str::to_string).collect()
        }
        Some(_) => {
            let (line, column) = key_position(&text, "parent");
            return Err(Diagnostic::error(display, line, column, ImportProblem::ParentNotList)
                .with_source(&text, 8)
                .with_hint("e.g. \"parent\": [\"dev\"]"));
        }
    };
    let stem = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let stem = stem.strip_suffix(".json").or_else(|| stem.strip_suffix(".JSON")).unwrap_or(&stem).to_string();
    let node = Node { id, stem, parents, fields };
    Ok(Parsed::Persona(Record { display, rel: relative(base, path), text, node, imported }))
}

/// A JSON syntax error at its line and column, with the line shown.
fn json_error(display: &str, text: &str, e: &serde_json::Error) -> Diagnostic {
    let msg = e.to_string();
    let msg = msg.find(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
    let hint = if msg.contains("trailing comma") {
        "remove the comma after the last item"
    } else if msg.contains("EOF") {
        "a closing `}` or `]` is missing"
    } else {
        "check the JSON syntax near this position"
    };
    Diagnostic::error(
        display,
        e.line(),
        e.column(),
        ImportProblem::InvalidJson { message: msg.to_string(), front_matter: false },
    )
    .with_source(text, 1)
    .with_hint(hint)
}

/// The message for one inheritance problem, pointing at the `parent` entry.
fn describe(records: &[Record], p: &Problem, hint_siblings: Option<&str>) -> Diagnostic {
    let name_of = |i: usize| {
        let r = &records[i];
        match &r.node.id {
            Some(id) => format!("{} (id \"{id}\")", r.display),
            None => r.display.clone(),
        }
    };
    let at = |child: usize, parent: &str, kind: ImportProblem| {
        let r = &records[child];
        let (line, column) = parent_position(&r.text, parent);
        Diagnostic::error(&r.display, line, column, kind).with_source(&r.text, parent.chars().count() + 2)
    };
    let (d, hint) = match p {
        Problem::Missing { child, parent, suggestion } => (
            at(*child, parent, ImportProblem::UnknownParent { parent: parent.clone() }),
            suggestion
                .as_ref()
                .map(|s| format!("did you mean \"{s}\"?"))
                .or(hint_siblings.map(str::to_string))
                .unwrap_or_else(|| "import the folder that holds the parent persona too".into()),
        ),
        Problem::Itself { child, parent } => (
            at(*child, parent, ImportProblem::ParentIsItself { parent: parent.clone() }),
            "remove it from `parent`, or name another persona".into(),
        ),
        Problem::Ambiguous { child, parent, candidates } => {
            let candidates = candidates.iter().map(|&i| records[i].display.clone()).collect();
            (
                at(*child, parent, ImportProblem::AmbiguousParent { parent: parent.clone(), candidates }),
                "give each persona its own id, or name the parent by its file name".into(),
            )
        }
        Problem::Cycle { child, parent, cycle } => (
            at(*child, parent, ImportProblem::InheritanceCycle { chain: cycle.iter().map(|&i| name_of(i)).collect() }),
            "a persona cannot inherit from itself, directly or through its parents; remove one `parent` entry".into(),
        ),
        Problem::TooDeep { child } => (
            at(*child, "", ImportProblem::ParentChainTooDeep { limit: inherit::MAX_DEPTH }),
            "check for a chain of parents that never ends".into(),
        ),
    };
    d.with_hint(hint)
}

/// Where `"name"` is written inside the `"parent"` entry of a JSON text.
fn parent_position(text: &str, name: &str) -> (usize, usize) {
    let Some(key) = find_key(text, "parent") else {
        return (1, 1);
    };
    let quoted = serde_json::to_string(name).unwrap_or_default();
    let at = if name.is_empty() { None } else { text[key..].find(&quoted).map(|i| key + i) };
    super::line_column(text, at.unwrap_or(key))
}

fn key_position(text: &str, key: &str) -> (usize, usize) {
    find_key(text, key).map_or((1, 1), |i| super::line_column(text, i))
}

/// Byte offset of `"key"` followed by a colon.
fn find_key(text: &str, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    text.match_indices(&quoted).map(|(i, _)| i).find(|&i| text[i + quoted.len()..].trim_start().starts_with(':'))
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "true/false",
        Value::Null => "null",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_parent_entries() {
        let text = "{\n  \"id\": \"x\",\n  \"parent\": [\"dev\", \"biz\"]\n}";
        assert_eq!(parent_position(text, "biz"), (3, 21));
        assert_eq!(key_position(text, "parent"), (3, 3));
    }

    #[test]
    fn json_errors_name_line_and_column() {
        let text = "{\n  \"id\": \"x\",\n  \"label\": \"X\",\n}";
        let e = serde_json::from_str::<Value>(text).unwrap_err();
        let d = json_error("x.json", text, &e);
        assert_eq!((d.line, d.column), (4, 1));
        assert!(d.to_string().starts_with("x.json:4:1: error: invalid JSON: trailing comma"), "{d}");
    }
}
