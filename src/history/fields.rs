//! Which front-matter fields changed between two versions of a file, and
//! how much of the body: what a persona's change log and `diff` show.
//! Works on parsed YAML, so a reformatted file with the same values has no
//! changes.
//!
//! The history compares thousands of edits, most of which touch one field:
//! `version` parses only what an edit changed. A front matter is read as
//! top-level blocks: a line at column 0 holding a plain key (`name:`,
//! `name: value`; a letter, digit or `_`, then those, `-` and `.`) starts a
//! block, and indented lines, `-` items at column 0, blank lines and
//! comments continue it. Two versions are compared block by block: equal
//! lines are an unchanged field and are not parsed, and each other block
//! is parsed alone. Anything unusual falls back to parsing both whole
//! front matters: anchors or aliases (one block's value could depend on
//! another's), merge keys, a duplicate key, a column-0 line that is none of
//! the above (a document marker, a quoted or complex key, text), a changed
//! block that does not parse alone or gives another key, and a front
//! matter of half `MAX_YAML_VALUES` bytes or more (where the loader's value
//! budget could matter). Either way the values are the loader's, and the
//! changes the same as `diff` on the two whole mappings, except where
//! neither version parses whole (the loader refuses both): then the blocks
//! the edit changed still say what changed, where the whole mappings
//! would both be empty.

use crate::load::yaml::scalar_text;
use serde::Serialize;
use serde_yaml::{Mapping, Value};
use std::collections::HashMap;

/// One field that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FieldChange {
    /// A list (goals, channels, ...): the items added and removed.
    List { field: String, added: Vec<String>, removed: Vec<String> },
    /// A single value, before and after (`None`: absent on that side).
    Value { field: String, before: Option<String>, after: Option<String> },
    /// One journey stage, and which of its fields changed.
    Journey { stage: String, fields: Vec<String> },
}

impl FieldChange {
    /// The field's name (`journey` for a journey stage).
    pub fn field(&self) -> &str {
        match self {
            FieldChange::List { field, .. } | FieldChange::Value { field, .. } => field,
            FieldChange::Journey { .. } => "journey",
        }
    }

    /// How many changes it counts as: each list item, each value, each
    /// journey field one.
    pub fn weight(&self) -> usize {
        match self {
            FieldChange::List { added, removed, .. } => added.len() + removed.len(),
            FieldChange::Value { .. } => 1,
            FieldChange::Journey { fields, .. } => fields.len().max(1),
        }
    }

    /// One line for people: `goals: +"Cut costs" -"Save time"`.
    pub fn describe(&self) -> String {
        match self {
            FieldChange::List { field, added, removed } => {
                let mut parts = vec![format!("{field}:")];
                parts.extend(added.iter().map(|a| format!("+\"{a}\"")));
                parts.extend(removed.iter().map(|r| format!("-\"{r}\"")));
                parts.join(" ")
            }
            FieldChange::Value { field, before, after } => {
                let show = |v: &Option<String>| v.as_ref().map_or("(none)".to_string(), |v| format!("\"{v}\""));
                format!("{field}: {} -> {}", show(before), show(after))
            }
            FieldChange::Journey { stage, fields } => format!("journey {stage}: {}", fields.join(", ")),
        }
    }
}

/// How much of a body changed: lines added and removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BodyChange {
    pub added: usize,
    pub removed: usize,
}

/// The fields that differ between two front matters, in the new file's key
/// order, then the keys only the old one had.
pub fn diff(old: &Mapping, new: &Mapping) -> Vec<FieldChange> {
    let keys = keys(old, new);
    diff_entries(keys.iter().map(|k| (k.as_str(), old.get(k.as_str()), new.get(k.as_str()))))
}

/// `diff` on the top-level entries of two front matters (key, old value,
/// new value), already in `diff`'s key order.
pub(crate) fn diff_entries<'a>(
    entries: impl Iterator<Item = (&'a str, Option<&'a Value>, Option<&'a Value>)>,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for (key, a, b) in entries {
        if a != b {
            compare(key, a, b, &mut out);
        }
    }
    out
}

/// The keys of `new`, then those only `old` has, as text.
fn keys(old: &Mapping, new: &Mapping) -> Vec<String> {
    let mut out: Vec<String> = new.keys().filter_map(scalar_text).collect();
    for k in old.keys().filter_map(scalar_text) {
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

fn compare(field: &str, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<FieldChange>) {
    let none = Value::Null;
    let (va, vb) = (a.unwrap_or(&none), b.unwrap_or(&none));
    match (va, vb) {
        _ if field == "journey" => journey(va, vb, out),
        (Value::Sequence(_), _) | (_, Value::Sequence(_)) => {
            let (added, removed) = list_changes(&items(va), &items(vb));
            if !added.is_empty() || !removed.is_empty() {
                out.push(FieldChange::List { field: field.to_string(), added, removed });
            }
        }
        (Value::Mapping(ma), Value::Mapping(mb)) => {
            for key in keys(ma, mb) {
                let (x, y) = (ma.get(key.as_str()), mb.get(key.as_str()));
                if x != y {
                    compare(&format!("{field}.{key}"), x, y, out);
                }
            }
        }
        _ => out.push(FieldChange::Value { field: field.to_string(), before: text(a), after: text(b) }),
    }
}

/// A journey's stages that differ, each with the fields that differ.
fn journey(a: &Value, b: &Value, out: &mut Vec<FieldChange>) {
    let empty = Mapping::new();
    let (ma, mb) = (a.as_mapping().unwrap_or(&empty), b.as_mapping().unwrap_or(&empty));
    for stage in keys(ma, mb) {
        let (x, y) = (ma.get(stage.as_str()), mb.get(stage.as_str()));
        if x == y {
            continue;
        }
        let (sa, sb) =
            (x.and_then(Value::as_mapping).unwrap_or(&empty), y.and_then(Value::as_mapping).unwrap_or(&empty));
        let mut fields: Vec<String> =
            keys(sa, sb).into_iter().filter(|k| sa.get(k.as_str()) != sb.get(k.as_str())).collect();
        if fields.is_empty() {
            // The stage changed shape (a list or a value where a mapping belongs).
            fields.push("stage".to_string());
        }
        out.push(FieldChange::Journey { stage, fields });
    }
}

/// A value as one line of text; mappings as `key: value, ...`.
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::Sequence(s) => Some(s.iter().filter_map(|i| text(Some(i))).collect::<Vec<_>>().join(", ")),
        Value::Mapping(m) => Some(
            m.iter()
                .filter_map(|(k, v)| Some(format!("{}: {}", scalar_text(k)?, text(Some(v)).unwrap_or_default())))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Value::Tagged(t) => text(Some(&t.value)),
        other => scalar_text(other),
    }
}

/// A list's items as text (a single value counts as a list of one).
fn items(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(s) => s.iter().filter_map(|i| text(Some(i))).collect(),
        Value::Null => Vec::new(),
        other => text(Some(other)).into_iter().collect(),
    }
}

/// Items of `b` not in `a` and items of `a` not in `b`, counted as
/// multisets, in their lists' order.
fn list_changes(a: &[String], b: &[String]) -> (Vec<String>, Vec<String>) {
    let mut left: HashMap<&str, usize> = HashMap::new();
    for x in a {
        *left.entry(x).or_default() += 1;
    }
    let mut added = Vec::new();
    for y in b {
        match left.get_mut(y.as_str()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => added.push(y.clone()),
        }
    }
    let mut removed = Vec::new();
    for x in a {
        if let Some(n) = left.get_mut(x.as_str()).filter(|n| **n > 0) {
            *n -= 1;
            removed.push(x.clone());
        }
    }
    (added, removed)
}

/// Lines added and removed from `a` to `b`, as multisets.
pub(crate) fn line_changes(a: &[String], b: &[String]) -> (usize, usize) {
    let (added, removed) = list_changes(a, b);
    (added.len(), removed.len())
}

/// How much of the body changed; `None` when it did not.
pub fn body(old: &str, new: &str) -> Option<BodyChange> {
    if old == new {
        return None;
    }
    let lines = |s: &str| s.lines().map(|l| l.trim_end().to_string()).filter(|l| !l.is_empty()).collect::<Vec<_>>();
    let (added, removed) = line_changes(&lines(old), &lines(new));
    // Whitespace-only edits still changed the text: count at least one line.
    Some(BodyChange { added: added.max(usize::from(added == 0 && removed == 0)), removed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(yaml: &str) -> Mapping {
        serde_yaml::from_str(yaml).expect("test YAML parses")
    }

    #[test]
    fn lists_values_and_journeys() {
        let old = map("name: Ana\nrole: PM\ngoals: [a, b]\njourney:\n  awareness: {goal: x}\n  decision: {goal: y}\n");
        let new = map(
            "name: Ana\nrole: Lead\ngoals: [b, c]\njourney:\n  awareness: {goal: x, needs: z}\n  decision: {goal: y}\n",
        );
        let changes = diff(&old, &new);
        assert_eq!(
            changes,
            vec![
                FieldChange::Value { field: "role".into(), before: Some("PM".into()), after: Some("Lead".into()) },
                FieldChange::List { field: "goals".into(), added: vec!["c".into()], removed: vec!["a".into()] },
                FieldChange::Journey { stage: "awareness".into(), fields: vec!["needs".into()] },
            ]
        );
        assert_eq!(changes[1].describe(), "goals: +\"c\" -\"a\"");
        assert_eq!(changes[0].describe(), "role: \"PM\" -> \"Lead\"");
    }

    #[test]
    fn same_values_in_another_layout_are_no_change() {
        assert!(diff(&map("goals:\n  - a\n  - b\n"), &map("goals: [a, b]\n")).is_empty());
        assert_eq!(body("same\n", "same\n"), None);
    }

    #[test]
    fn body_lines_counted() {
        assert_eq!(body("a\nb\nc\n", "a\nc\nd\ne\n"), Some(BodyChange { added: 2, removed: 1 }));
        assert_eq!(body("a\n", "a \n"), Some(BodyChange { added: 1, removed: 0 }));
    }

    #[test]
    fn nested_mappings_name_their_path() {
        let changes = diff(&map("metrics: {views: 1}\n"), &map("metrics: {views: 2}\n"));
        assert_eq!(changes[0].describe(), "metrics.views: \"1\" -> \"2\"");
    }
}
