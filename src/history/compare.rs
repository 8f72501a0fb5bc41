//! Two resolved sides compared: items added, removed, renamed (the same
//! name or the same text under another id) and changed field by field;
//! content-map cells that became gaps or were filled; coverage.

use super::diff::{Cell, Changed, Coverage, Item, ItemsDiff, SemanticDiff, Side, Snapshot};
use super::fields;
use crate::layout::Collection;
use crate::model::Handbook;
use std::collections::{BTreeMap, HashMap, HashSet};

pub(super) fn compare(base: Side, head: Side, before: &Snapshot, after: &Snapshot) -> SemanticDiff {
    let coverage = |hb: &Handbook| (hb.content_map.coverage * 100.0).round() as u32;
    let personas = items(Collection::Persona, before, after);
    // A renamed persona's cells are compared under its new id.
    let renamed: HashMap<&str, &str> =
        personas.renamed.iter().filter_map(|c| Some((c.from.as_deref()?, c.id.as_str()))).collect();
    let (new_gaps, filled) = cells(&before.hb, &after.hb, &renamed);
    SemanticDiff {
        base,
        head,
        personas,
        assets: items(Collection::Asset, before, after),
        new_gaps,
        filled,
        coverage: Coverage { before: coverage(&before.hb), after: coverage(&after.hb) },
    }
}

/// Id -> display name of one collection.
fn names(c: Collection, hb: &Handbook) -> BTreeMap<String, String> {
    match c {
        Collection::Persona => hb.personas.iter().map(|p| (p.id.clone(), p.name.clone())).collect(),
        Collection::Asset => hb.assets.iter().map(|a| (a.id.clone(), a.title.clone())).collect(),
        Collection::Page => hb.pages.iter().map(|p| (p.id.clone(), p.title.clone())).collect(),
    }
}

fn items(c: Collection, before: &Snapshot, after: &Snapshot) -> ItemsDiff {
    let (old, new) = (names(c, &before.hb), names(c, &after.hb));
    let mut out = ItemsDiff::default();
    let mut removed: Vec<&String> = old.keys().filter(|id| !new.contains_key(*id)).collect();
    let mut added: Vec<&String> = new.keys().filter(|id| !old.contains_key(*id)).collect();
    fn file<'s>(s: &'s Snapshot, c: Collection, id: &str) -> Option<&'s super::diff::Raw> {
        s.raw.get(&(c, id.to_string()))
    }
    let raw = |s: &Snapshot, id: &str| file(s, c, id).map(|f| f.value()).unwrap_or_default();
    // The same text (or no file on either side) is the same front matter and body.
    let same = |a: &str, b: &str| file(before, c, a).map(|f| f.text()) == file(after, c, b).map(|f| f.text());
    let changed = |id: &str, name: &str, from: Option<&str>| {
        let was = from.unwrap_or(id);
        let (fields, body) = if same(was, id) {
            (Vec::new(), None)
        } else {
            let ((ma, ba), (mb, bb)) = (raw(before, was), raw(after, id));
            (fields::diff(&ma, &mb), fields::body(&ba, &bb))
        };
        Changed { id: id.to_string(), name: name.to_string(), from: from.map(str::to_string), fields, body }
    };
    // Renames: the same name, else the same front matter and body.
    let mut taken = HashSet::new();
    for r in &removed {
        let same_name = |a: &&&String| new[**a].trim().eq_ignore_ascii_case(old[*r].trim());
        let same_text = |a: &&&String| same(r, a) || raw(before, r) == raw(after, a);
        let found = added
            .iter()
            .filter(|a| !taken.contains(**a))
            .find(same_name)
            .or_else(|| added.iter().filter(|a| !taken.contains(**a)).find(same_text));
        if let Some(a) = found {
            taken.insert(*a);
            taken.insert(*r);
            out.renamed.push(changed(a, &new[*a], Some(r)));
        }
    }
    removed.retain(|r| !taken.contains(*r));
    added.retain(|a| !taken.contains(*a));
    let item = |m: &BTreeMap<String, String>, id: &String| Item { id: id.clone(), name: m[id].clone() };
    out.added = added.into_iter().map(|a| item(&new, a)).collect();
    out.removed = removed.into_iter().map(|r| item(&old, r)).collect();
    for (id, name) in new.iter().filter(|(id, _)| old.contains_key(*id)) {
        let c = changed(id, name, None);
        if !c.fields.is_empty() || c.body.is_some() {
            out.changed.push(c);
        }
    }
    out
}

/// Filled cells by persona id (through `renamed`) and stage id.
fn filled_cells(hb: &Handbook, renamed: &HashMap<&str, &str>) -> HashSet<(String, String)> {
    let mut out = HashSet::new();
    for (&pi, row) in hb.content_map.rows.iter().zip(&hb.content_map.cells) {
        let id = hb.personas[pi].id.as_str();
        let id = renamed.get(id).copied().unwrap_or(id);
        for (stage, assets) in hb.config.stages.iter().zip(row) {
            if !assets.is_empty() {
                out.insert((id.to_string(), stage.id.clone()));
            }
        }
    }
    out
}

/// Cells of the new content map that are gaps and had content, and those
/// that have content and were gaps (or did not exist), in map order.
fn cells(before: &Handbook, after: &Handbook, renamed: &HashMap<&str, &str>) -> (Vec<Cell>, Vec<Cell>) {
    let (was, is) = (filled_cells(before, renamed), filled_cells(after, &HashMap::new()));
    let (mut gaps, mut filled) = (Vec::new(), Vec::new());
    for &pi in &after.content_map.rows {
        for stage in &after.config.stages {
            let key = (after.personas[pi].id.clone(), stage.id.clone());
            let cell = || Cell { persona: key.0.clone(), stage: key.1.clone() };
            match (was.contains(&key), is.contains(&key)) {
                (true, false) => gaps.push(cell()),
                (false, true) => filled.push(cell()),
                _ => {}
            }
        }
    }
    (gaps, filled)
}
