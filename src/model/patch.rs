//! One file resolved again into a resolved handbook: what the preview does
//! on a save, so an edit does not resolve the whole handbook again.
//!
//! `resolve_parts` keeps what each file gave the model (`Parts`: its read
//! and reference problems, the backlinks it creates). A file saved with the
//! same id, still readable and not turned into a left-out draft, is read
//! again alone: its item is replaced, its references checked against the
//! unchanged ids, every backlink attached again from the kept ones, and the
//! review states and content map made again. The result equals a fresh
//! resolve; anything else (a file added, removed or renamed, a new draft, a
//! front matter that no longer parses, analytics) returns `None`, and the
//! caller resolves everything.

use super::references::{FileRefs, References, Unreadable};
use super::resolve::{self, Item};
use super::{content_map, Backlink, Collection, Handbook, ItemRef};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::SourceFile;
use std::collections::{HashMap, HashSet};

/// What one kept file gave the model.
pub(super) struct FilePart {
    pub path: String,
    pub item: ItemRef,
    /// Whether its front matter parsed (a loader problem otherwise).
    pub clean: bool,
    pub read: Vec<Diagnostic>,
    pub refs: FileRefs,
}

/// What a resolve kept per file, and the problems that belong to no one file.
pub struct Parts {
    /// The loader's, duplicate and shared ids, reserved page ids, left-out drafts'.
    global: Diagnostics,
    files: Vec<FilePart>,
    by_path: HashMap<String, usize>,
    excluded: HashSet<(Collection, String)>,
    unreadable: Unreadable,
    include_drafts: bool,
}

/// What a patch changed: the items whose resolved value differs, and the
/// items a changed one referred to before (their backlinks showed it).
#[derive(Debug, Default)]
pub struct Delta {
    pub changed: HashSet<ItemRef>,
    pub before: HashSet<ItemRef>,
    /// The saved items that show differently where every persona and
    /// asset is listed (the stage pages, the library's data, the content
    /// map and its CSV): a persona whose id, name, segment, status or
    /// journey changed, an asset that changed at all, a guide page whose
    /// title changed (the text of links to it in journeys).
    pub listed: HashSet<ItemRef>,
    /// Whether the content map (cells, coverage, placement) changed.
    pub map_moved: bool,
}

impl Delta {
    pub fn merge(&mut self, other: Delta) {
        self.changed.extend(other.changed);
        self.before.extend(other.before);
        self.listed.extend(other.listed);
        self.map_moved |= other.map_moved;
    }
}

impl Parts {
    pub(super) fn new(
        global: Diagnostics,
        files: Vec<FilePart>,
        excluded: HashSet<(Collection, String)>,
        unreadable: Unreadable,
        include_drafts: bool,
    ) -> Self {
        let by_path = files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect();
        Parts { global, files, by_path, excluded, unreadable, include_drafts }
    }

    /// Every problem of the resolve, sorted.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut all = self.global.clone();
        all.extend(self.files.iter().flat_map(|f| f.read.iter().cloned()));
        all.extend(self.files.iter().flat_map(|f| f.refs.1.iter().cloned()));
        all.sort();
        all
    }

    /// Problems found after the resolve that stay until the next one (the history's).
    pub fn add(&mut self, diags: Diagnostics) {
        self.global.extend(diags);
    }

    /// Whether `path` is a file of the model that `patch` can read again.
    pub fn has(&self, path: &str) -> bool {
        self.by_path.get(path).is_some_and(|&i| self.files[i].clean)
    }
}

/// Resolves `file` again in `hb`, whose parts are `parts`; `None` when it
/// cannot be done alone (then `hb` and `parts` may be half changed: resolve all).
pub fn patch(hb: &mut Handbook, parts: &mut Parts, mut file: SourceFile) -> Option<Delta> {
    let slot = *parts.by_path.get(&file.path)?;
    let r = parts.files[slot].item;
    if !parts.files[slot].clean || file.yaml_error.is_some() || file.collection != r.collection || hb.evidence.is_some()
    {
        return None;
    }
    let (item, read) = resolve::read_item(&mut file, &hb.config.stages);
    if item.is_draft() && !parts.include_drafts {
        return None;
    }
    let old = put(hb, r, item);
    let refs = References { hb, excluded: &parts.excluded, unreadable: &parts.unreadable }.check_file(&file);
    let part = &mut parts.files[slot];
    let before: HashSet<ItemRef> = part.refs.0.iter().map(|(t, _)| *t).collect();
    let targets: HashSet<ItemRef> = before.iter().copied().chain(refs.0.iter().map(|(t, _)| *t)).collect();
    (part.read, part.refs) = (read, refs);
    resolve::drop_unresolved_at(hb, r);
    let old_lists: Vec<(ItemRef, Vec<Backlink>)> = targets.iter().map(|&t| (t, backlinks(hb, t).clone())).collect();
    // A backlink list depends only on the links to its item: only those of
    // the items this file links to (before or now) and of the new item move.
    let redo: HashSet<ItemRef> = targets.iter().copied().chain([r]).collect();
    for &t in &redo {
        backlinks(hb, t).clear();
    }
    let links = parts.files.iter().flat_map(|f| f.refs.0.iter()).filter(|(t, _)| redo.contains(t)).cloned().collect();
    resolve::attach_backlinks(hb, links);
    resolve::set_reviews(hb);
    // The map reads only what `same_map_inputs` compares.
    let mut map_moved = false;
    if !same_map_inputs(hb, r, &old) {
        let map = content_map::build(hb);
        map_moved = map != hb.content_map;
        hb.content_map = map;
    }
    let mut changed: HashSet<ItemRef> =
        old_lists.into_iter().filter(|(t, list)| backlinks(hb, *t) != list).map(|(t, _)| t).collect();
    let edited = !same(hb, r, &old);
    if edited {
        changed.insert(r);
    }
    let listed = match &old {
        Item::Persona(p) if !same_listing(&hb.personas[r.index], p) => HashSet::from([r]),
        Item::Asset(_) if edited => HashSet::from([r]),
        // Journeys link guide pages by their title.
        Item::Page(p) if hb.pages[r.index].title != p.title => HashSet::from([r]),
        _ => HashSet::new(),
    };
    Some(Delta { changed, before, listed, map_moved })
}

/// Whether the item at `r` gives the content map what `old` gave it: a
/// persona's status and the formats its journey asks for, an asset's
/// personas, stages and format (guide pages give it nothing).
fn same_map_inputs(hb: &Handbook, r: ItemRef, old: &Item) -> bool {
    let wants = |p: &crate::model::Persona| -> Vec<Vec<String>> {
        p.journey.iter().flatten().map(|step| step.formats.clone()).collect()
    };
    match old {
        Item::Persona(p) => {
            let now = &hb.personas[r.index];
            now.status == p.status && wants(now) == wants(p)
        }
        Item::Asset(a) => {
            let now = &hb.assets[r.index];
            (&now.personas, &now.stages, &now.format) == (&a.personas, &a.stages, &a.format)
        }
        Item::Page(_) => true,
    }
}

/// Whether two versions of a persona show the same in lists of every
/// persona: the fields `Delta::listed` names.
fn same_listing(a: &crate::model::Persona, b: &crate::model::Persona) -> bool {
    (&a.id, &a.name, &a.segment, &a.status, &a.journey) == (&b.id, &b.name, &b.segment, &b.status, &b.journey)
}

/// Puts `item` at `r`, returning what was there.
fn put(hb: &mut Handbook, r: ItemRef, item: Item) -> Item {
    match item {
        Item::Persona(p) => Item::Persona(Box::new(std::mem::replace(&mut hb.personas[r.index], *p))),
        Item::Asset(a) => Item::Asset(Box::new(std::mem::replace(&mut hb.assets[r.index], *a))),
        Item::Page(p) => Item::Page(Box::new(std::mem::replace(&mut hb.pages[r.index], *p))),
    }
}

/// Whether the item at `r` equals `old`.
fn same(hb: &Handbook, r: ItemRef, old: &Item) -> bool {
    match old {
        Item::Persona(p) => hb.personas[r.index] == **p,
        Item::Asset(a) => hb.assets[r.index] == **a,
        Item::Page(p) => hb.pages[r.index] == **p,
    }
}

fn backlinks(hb: &mut Handbook, r: ItemRef) -> &mut Vec<Backlink> {
    match r.collection {
        Collection::Persona => &mut hb.personas[r.index].backlinks,
        Collection::Asset => &mut hb.assets[r.index].backlinks,
        Collection::Page => &mut hb.pages[r.index].backlinks,
    }
}
