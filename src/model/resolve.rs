//! raw files -> resolved `Handbook`: typed fields, unique ids, every
//! reference checked (with a "did you mean"), backlinks, review status and
//! the content map. Every problem is collected; nothing stops at the first.
//! The references of each file are checked in `references`.

use super::patch::{FilePart, Parts};
use super::references::{FileRefs, References, Unreadable};
use super::{
    asset, content_map, page, persona, site_path, Asset, Backlink, Collection, Handbook, Index, ItemRef, Page, Persona,
    ReviewState,
};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{Loaded, SourceFile};
use crate::problem::ModelProblem;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// What to resolve for.
#[derive(Debug, Clone, Copy)]
pub struct ResolveOptions {
    /// Keep drafts in the model (`--drafts`, and always for `check`).
    pub include_drafts: bool,
    /// The date reviews are measured against.
    pub today: jiff::civil::Date,
}

/// Builds the handbook model. Diagnostics include the loader's.
/// Takes the loaded files by value: front-matter values move into the
/// model instead of being copied.
pub fn resolve(loaded: Loaded, opts: ResolveOptions) -> (Handbook, Diagnostics) {
    let (hb, parts) = resolve_parts(loaded, opts);
    let diags = parts.diagnostics();
    (hb, diags)
}

/// `resolve`, keeping what each file gave (`Parts`), so one file can be
/// resolved again alone (`patch::patch`); the diagnostics are the parts'.
pub fn resolve_parts(loaded: Loaded, opts: ResolveOptions) -> (Handbook, Parts) {
    let Loaded { config, files, diagnostics, unreadable, analytics, .. } = loaded;
    let mut diags = Diagnostics::default();
    diags.extend(diagnostics);

    let mut files = unique_files(files, &mut diags);
    warn_shared_ids(&files, &mut diags);
    let read = read_items(&mut files, &config.stages);
    let mut hb = Handbook {
        config,
        today: opts.today,
        personas: Vec::new(),
        assets: Vec::new(),
        pages: Vec::new(),
        content_map: content_map::ContentMap::default(),
        drafts: opts.include_drafts,
        evidence: None,
        history: None,
        index: Index::default(),
    };
    let mut excluded: HashSet<(Collection, String)> = HashSet::new();
    let mut kept_files: Vec<&SourceFile> = Vec::new();
    let mut kept_reads = Vec::new();
    for ((item, d), file) in read.into_iter().zip(&files) {
        if item.is_draft() && !opts.include_drafts {
            diags.extend(d);
            excluded.insert((file.collection, file.id.clone()));
            continue;
        }
        kept_files.push(file);
        kept_reads.push(d);
        match item {
            Item::Persona(p) => hb.personas.push(*p),
            Item::Asset(a) => hb.assets.push(*a),
            Item::Page(p) => hb.pages.push(*p),
        }
    }
    hb.index = build_index(&hb, &kept_files);
    check_page_ids(&kept_files, &mut diags);

    // Files that exist but failed to load: their own error is enough.
    let unreadable = Unreadable {
        ids: unreadable.iter().map(|u| (u.collection, u.id.clone())).collect(),
        paths: unreadable.iter().map(|u| u.content_path.to_lowercase()).collect(),
    };
    let refs = References { hb: &hb, excluded: &excluded, unreadable: &unreadable };
    let found: Vec<FileRefs> = kept_files.par_iter().map(|f| refs.check_file(f)).collect();
    let backlinks: Vec<(ItemRef, Backlink)> = found.iter().flat_map(|(b, _)| b.iter().cloned()).collect();
    let files = kept_files
        .iter()
        .zip(kept_reads.into_iter().zip(found))
        .filter_map(|(f, (read, refs))| {
            let index = *hb.index.ids(f.collection).get(&f.id)?;
            let item = ItemRef { collection: f.collection, index };
            Some(FilePart { path: f.path.clone(), item, clean: f.yaml_error.is_none(), read, refs })
        })
        .collect();
    drop_unresolved(&mut hb);
    attach_backlinks(&mut hb, backlinks);
    set_reviews(&mut hb);
    hb.content_map = content_map::build(&hb);
    if !hb.config.analytics.is_unused() {
        hb.evidence = Some(super::evidence::build(&hb, analytics));
    }
    let parts = Parts::new(diags, files, excluded, unreadable, opts.include_drafts);
    (hb, parts)
}

/// Reads every file's fields, in parallel; the front matter moves out of the files.
fn read_items(files: &mut [SourceFile], stages: &[crate::config::Stage]) -> Vec<(Item, Vec<Diagnostic>)> {
    files.par_iter_mut().map(|f| read_item(f, stages)).collect()
}

/// Reads one file's fields; its front matter moves out of it.
pub(super) fn read_item(f: &mut SourceFile, stages: &[crate::config::Stage]) -> (Item, Vec<Diagnostic>) {
    let mut d = Vec::new();
    let fm = std::mem::take(&mut f.front_matter);
    let item = match f.collection {
        Collection::Persona => Item::Persona(Box::new(persona::read(f, fm, stages, &mut d))),
        Collection::Asset => Item::Asset(Box::new(asset::read(f, fm, &mut d))),
        Collection::Page => Item::Page(Box::new(page::read(f, fm, &mut d))),
    };
    (item, d)
}

/// Drops references that did not resolve, so later stages only see good ids.
pub(super) fn drop_unresolved(hb: &mut Handbook) {
    let stage_ids: Vec<&str> = hb.config.stages.iter().map(|s| s.id.as_str()).collect();
    for p in &mut hb.personas {
        clean_persona(p, &hb.index);
    }
    for a in &mut hb.assets {
        clean_asset(a, &hb.index, &stage_ids);
    }
}

/// `drop_unresolved` for one item (the others being clean).
pub(super) fn drop_unresolved_at(hb: &mut Handbook, r: ItemRef) {
    match r.collection {
        Collection::Persona => clean_persona(&mut hb.personas[r.index], &hb.index),
        Collection::Asset => {
            let stage_ids: Vec<&str> = hb.config.stages.iter().map(|s| s.id.as_str()).collect();
            clean_asset(&mut hb.assets[r.index], &hb.index, &stage_ids);
        }
        Collection::Page => {}
    }
}

fn clean_persona(p: &mut Persona, index: &super::Index) {
    p.related.retain(|id| index.personas.contains_key(id));
}

fn clean_asset(a: &mut Asset, index: &super::Index, stage_ids: &[&str]) {
    a.personas.retain(|id| index.personas.contains_key(id));
    a.stages.retain(|id| stage_ids.contains(&id.as_str()));
    a.stages.sort_by_key(|s| stage_ids.iter().position(|x| x == s));
    a.stages.dedup();
    a.personas.dedup();
}

pub(super) enum Item {
    Persona(Box<Persona>),
    Asset(Box<Asset>),
    Page(Box<Page>),
}

impl Item {
    pub(super) fn is_draft(&self) -> bool {
        match self {
            Item::Persona(p) => p.is_draft(),
            Item::Asset(a) => a.draft,
            Item::Page(p) => p.draft,
        }
    }
}

/// Drops files whose id repeats an earlier file's, with an error naming both.
fn unique_files(files: Vec<SourceFile>, diags: &mut Diagnostics) -> Vec<SourceFile> {
    let mut seen: HashMap<(Collection, String), String> = HashMap::new();
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        if let Some(first) = seen.get(&(f.collection, f.id.clone())) {
            diags.push(
                Diagnostic::error(
                    &f.path,
                    1,
                    1,
                    ModelProblem::DuplicateId { collection: f.collection, id: f.id.clone(), first: first.clone() },
                )
                .with_source(&f.text, 3)
                .with_hint("ids are file paths without `.md`, compared lower-case; rename one of the files"),
            );
            continue;
        }
        seen.insert((f.collection, f.id.clone()), f.path.clone());
        out.push(f);
    }
    out
}

/// Warns about an asset or page whose id an item of a collection a bare
/// `[[id]]` looks in first also has (a persona, then an asset): the bare
/// link silently picks that one. Drafts count, so `check` and `build` agree.
fn warn_shared_ids(files: &[SourceFile], diags: &mut Diagnostics) {
    let mut first: HashMap<&str, &SourceFile> = HashMap::new();
    for collection in super::references::ALL {
        for f in files.iter().filter(|f| f.collection == collection) {
            let Some(earlier) = first.get(f.id.as_str()) else { continue };
            let (mine, theirs) = (collection.word(), earlier.collection.word());
            let problem = ModelProblem::SharedId {
                collection,
                id: f.id.clone(),
                shadowed_by: earlier.collection,
                first: earlier.path.clone(),
            };
            let hint = format!(
                "write `[[{theirs}:{id}]]` or `[[{mine}:{id}]]` to say which one a link means, or rename one of the files",
                id = f.id
            );
            diags.push(Diagnostic::warning(&f.path, 1, 1, problem).with_source(&f.text, 3).with_hint(hint));
        }
        for f in files.iter().filter(|f| f.collection == collection) {
            first.entry(f.id.as_str()).or_insert(f);
        }
    }
}

fn build_index(hb: &Handbook, files: &[&SourceFile]) -> Index {
    let mut index = Index::default();
    for (i, p) in hb.personas.iter().enumerate() {
        index.personas.insert(p.id.clone(), i);
    }
    for (i, a) in hb.assets.iter().enumerate() {
        index.assets.insert(a.id.clone(), i);
    }
    for (i, p) in hb.pages.iter().enumerate() {
        index.pages.insert(p.id.clone(), i);
    }
    for f in files {
        if let Some(&i) = index.ids(f.collection).get(&f.id) {
            index.files.insert(f.content_path.to_lowercase(), ItemRef { collection: f.collection, index: i });
        }
    }
    index
}

fn check_page_ids(files: &[&SourceFile], diags: &mut Diagnostics) {
    let reserved = site_path::reserved_page_ids();
    for f in files.iter().filter(|f| f.collection == Collection::Page) {
        let first = f.id.split('/').next().unwrap_or_default();
        if reserved.contains(&first) {
            let problem = ModelProblem::ReservedPageId { id: f.id.clone(), first: first.to_string() };
            diags.push(Diagnostic::error(&f.path, 1, 1, problem).with_hint(format!(
                "move or rename the file; these folder names are reserved: {}",
                reserved.join(", ")
            )));
        }
    }
}

pub(super) fn attach_backlinks(hb: &mut Handbook, mut backlinks: Vec<(ItemRef, Backlink)>) {
    backlinks.sort_by_key(|b| (b.0, b.1.from, b.1.via));
    backlinks.dedup_by(|a, b| a.0 == b.0 && a.1.from == b.1.from);
    for (target, b) in backlinks {
        let list = match target.collection {
            Collection::Persona => &mut hb.personas[target.index].backlinks,
            Collection::Asset => &mut hb.assets[target.index].backlinks,
            Collection::Page => &mut hb.pages[target.index].backlinks,
        };
        list.push(b);
    }
}

pub(super) fn set_reviews(hb: &mut Handbook) {
    let days = hb.config.review_interval_days;
    for p in &mut hb.personas {
        let Some(reviewed) = p.reviewed else {
            p.review = ReviewState::NeverReviewed;
            continue;
        };
        // `days` is range-checked by `Config`; checked anyway, as a date near
        // 9999-12-31 plus any interval is out of range.
        let due = jiff::Span::new().try_days(days).ok().and_then(|span| reviewed.checked_add(span).ok());
        p.review_due = due;
        p.review = match due {
            Some(d) if d < hb.today => ReviewState::Overdue,
            _ => ReviewState::Current,
        };
    }
}
