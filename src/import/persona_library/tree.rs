//! The JSON tree of one persona: reading texts out of it, taking mapped
//! fields out, dropping what says nothing. No mapping decisions (those are
//! `map`'s) and no I/O.

use super::super::Notes;
use super::inherit::is_set;
use super::map::EXTRA_KEY;
use serde_json::{Map, Value};

pub(super) fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if is_set(v) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A list of texts (a single text counts as a list of one).
pub(super) fn texts(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    }
}

pub(super) fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

pub(super) fn get<'a>(tree: &'a Map<String, Value>, path: &[&str]) -> Option<&'a Value> {
    let (last, parents) = path.split_last()?;
    let mut map = tree;
    for p in parents {
        map = map.get(*p)?.as_object()?;
    }
    map.get(*last)
}

/// Removes and returns the value at `path`.
pub(super) fn take(tree: &mut Map<String, Value>, path: &[&str]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut map = tree;
    for p in parents {
        map = map.get_mut(*p)?.as_object_mut()?;
    }
    map.remove(*last)
}

/// Takes a list of texts; a value of another shape stays in the tree (and
/// so under `persona_library`) with a note.
pub(super) fn take_texts(tree: &mut Map<String, Value>, path: &[&str], notes: &mut Notes) -> Vec<String> {
    let Some(v) = take(tree, path) else {
        return Vec::new();
    };
    let items = texts(&v);
    let whole = match &v {
        Value::Array(a) => a.iter().all(|x| text(x).is_some()),
        other => text(other).is_some(),
    };
    if !whole {
        notes.unmapped(format!("{} is not a list of text; kept under {EXTRA_KEY}", path.join(".")));
        if let Some((last, parents)) = path.split_last() {
            let mut map = &mut *tree;
            for p in parents {
                match map.get_mut(*p).and_then(Value::as_object_mut) {
                    Some(m) => map = m,
                    None => return items,
                }
            }
            map.insert((*last).to_string(), v);
        }
    }
    items
}

/// Drops values that say nothing; returns the paths of the wildcards dropped.
pub(super) fn prune(tree: &mut Map<String, Value>, prefix: &str) -> Vec<String> {
    let mut wildcards = Vec::new();
    let keys: Vec<String> = tree.keys().cloned().collect();
    for k in keys {
        let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        let Some(v) = tree.get_mut(&k) else { continue };
        match v {
            Value::Object(o) => wildcards.extend(prune(o, &path)),
            Value::Array(items) => {
                if items.iter().any(|i| i.as_str().is_some_and(|s| s.trim() == "*")) {
                    wildcards.push(path.clone());
                }
                items.retain(is_set);
            }
            Value::String(s) if s.trim() == "*" => wildcards.push(path.clone()),
            _ => {}
        }
        if !tree.get(&k).is_some_and(is_set) {
            tree.remove(&k);
        }
    }
    wildcards
}

/// `role.function`-style paths of the leaves, for the report.
pub(super) fn leaf_paths(tree: &Map<String, Value>, prefix: &str) -> Vec<String> {
    tree.iter()
        .flat_map(|(k, v)| {
            let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            match v {
                Value::Object(o) => leaf_paths(o, &path),
                _ => vec![path],
            }
        })
        .collect()
}
