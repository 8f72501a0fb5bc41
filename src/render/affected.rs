//! Which outputs an edit touches: the dependencies between the site's
//! outputs (`Job`s) and the model's items, for the preview's rebuilds.
//!
//! An edit that keeps the site's shape (the same items under the same ids,
//! the same config, terms, stages, history and search shards, so the same
//! output paths) re-renders only:
//!
//! - the own pages (profile, journey map, asset page, guide page) of every
//!   item that changed, of every item that refers to one (its backlinks:
//!   they show its title, card or place in the content map) and of every
//!   item a changed one refers to (their backlinks show it);
//! - every guide page when the guides' titles or order changed (each shows
//!   the whole guide navigation);
//! - the term pages whose term changed or that list a changed item;
//! - the pages that list every persona or asset (stage pages, the library
//!   and its data, the content map and its CSV, the comparison and its
//!   data) when what they show of them changed;
//! - every other page that reads the handbook as a whole: the home page,
//!   indexes, reviews, the search index and the exports.
//!
//! Anything else (an id added, removed or renamed, the config, a new term,
//! a new first guide page, another number of search shards) is a change of
//! shape: the caller renders the whole site.

use super::renderer::{Job, Renderer};
use super::search::{self, Index};
use super::taxonomy::{Kind, Term};
use crate::model::content_map::FormatSupply;
use crate::model::patch::Delta;
use crate::model::{Collection, Handbook, ItemRef};
use std::collections::{BTreeSet, HashSet};

/// What one render made, for the next one to tell what changed: its jobs
/// in order, the static files it copied, and what its term pages, guide
/// navigation and format counts showed.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    pub(super) jobs: Vec<Job>,
    /// Site paths of the copied static files (the theme's and `static/`).
    pub(super) statics: HashSet<String>,
    /// Per kind, each term: slug, name, personas and assets.
    terms: Vec<(Kind, Vec<TermShown>)>,
    /// Guide pages in navigation order: id and title.
    guides: Vec<(String, String)>,
    formats: Vec<FormatSupply>,
    /// The search index it wrote, for the next render to update in place
    /// (`None` until the render is done).
    pub(super) search: Option<Index>,
    /// `handbook.json`'s items it wrote, likewise.
    pub(super) json: Option<super::json::Items>,
    /// The library data's entries it wrote, likewise.
    pub(super) library: Option<super::library_data::Entries>,
    /// The persona cards and asset entries it made, likewise.
    pub(super) list_values: Option<super::renderer::ListValues>,
}

#[derive(Debug, Clone, PartialEq)]
struct TermShown {
    slug: String,
    name: String,
    personas: Vec<usize>,
    assets: Vec<usize>,
}

impl Shape {
    /// The shape of the site `r` renders with `jobs`.
    pub(super) fn of(r: &Renderer<'_>, jobs: Vec<Job>, statics: HashSet<String>) -> Shape {
        let shown = |t: &Term<'_>| TermShown {
            slug: t.slug.clone(),
            name: t.name.to_string(),
            personas: t.personas.clone(),
            assets: t.assets.clone(),
        };
        Shape {
            jobs,
            statics,
            terms: r.taxonomies.all.iter().map(|t| (t.kind, t.terms.iter().map(shown).collect())).collect(),
            guides: guides(r),
            formats: r.hb.content_map.formats.clone(),
            search: None,
            json: None,
            library: None,
            list_values: None,
        }
    }

    /// Whether the last render copied a static file to this site path.
    pub(crate) fn has_static(&self, path: &str) -> bool {
        self.statics.contains(path)
    }

    /// How many outputs the render made from the model.
    pub(crate) fn job_count(&self) -> usize {
        self.jobs.len()
    }
}

fn guides(r: &Renderer<'_>) -> Vec<(String, String)> {
    r.guide_order.iter().map(|&i| (r.hb.pages[i].id.clone(), r.hb.pages[i].title.clone())).collect()
}

/// The jobs of the site `r` renders that may differ from the last render's
/// (`shape`) after the model changed by `delta`, with the new shape; `None`
/// when the site's shape changed. The model's frame (ids, config, date,
/// history) is the caller's to keep: a `Delta` only comes from a patch.
/// Gives `r` the last render's search index with the changed pages made
/// again, so only the term shards they reach are rendered.
pub(super) fn jobs(delta: &Delta, r: &Renderer<'_>, mut shape: Shape) -> Option<(Vec<Job>, Shape)> {
    let new_guides = guides(r);
    if shape.guides.first().map(|g| &g.0) != new_guides.first().map(|g| &g.0) {
        // Every page's navigation links to the first guide page.
        return None;
    }
    let own = own_pages(r.hb, delta);
    let docs = search_docs(r.hb, &own);
    // Without a last index, `r` builds a whole one: every shard is new.
    // The taxonomies (for the job list) are collected meanwhile.
    let (shards, _) = rayon::join(
        || {
            shape.search.take().map(|index| {
                let (index, dirty) = index.updated(r, &docs);
                let _ = r.search.set(index);
                dirty
            })
        },
        || r.taxonomies.all.len(),
    );
    // An item's JSON shows only the item (its backlinks included).
    if let Some(Ok(items)) = shape.json.take().map(|items| items.update(r.hb, |it| own.contains(&it))) {
        let _ = r.json.set(items);
    }
    // An entry shows the asset alone (and positions among stable lists).
    if let Some(Ok(entries)) = shape.library.take().map(|kept| r.renewed_entries(kept, |it| delta.listed.contains(&it)))
    {
        let _ = r.library.set(entries);
    }
    let jobs = r.jobs();
    if !same_but_more_shards(&shape.jobs, &jobs) {
        return None;
    }
    let new = Shape::of(r, jobs, std::mem::take(&mut shape.statics));
    let slugs = |s: &Shape| -> Vec<(Kind, Vec<String>)> {
        s.terms.iter().map(|(k, t)| (*k, t.iter().map(|t| t.slug.clone()).collect())).collect()
    };
    if slugs(&shape) != slugs(&new) {
        return None;
    }
    let guides = shape.guides != new.guides;
    let terms = term_changes(&shape, &new, &delta.carded);
    let formats = shape.formats != new.formats;
    let chunks: HashSet<usize> = docs.iter().map(|doc| doc / search::CHUNK).collect();
    let listings = listings_changed(delta);
    let personas_changed = delta.changed.iter().any(|r| r.collection == Collection::Persona);
    let dirty = |job: &Job| match *job {
        Job::Persona(i) | Job::Journey(i) => own.contains(&item(Collection::Persona, i)),
        Job::Asset(i) => own.contains(&item(Collection::Asset, i)),
        Job::Page(i) => guides || own.contains(&item(Collection::Page, i)),
        Job::Term(kind, i) => (kind == Kind::Format && formats) || terms.contains(&(kind, i)),
        Job::SearchChunk(n) => chunks.contains(&n),
        Job::SearchShard(n) => shards.as_ref().is_none_or(|dirty| dirty.contains(&n)),
        Job::Stage(si) => stage_changed(r.hb, delta, si),
        Job::LibraryData | Job::Library => listings,
        // A persona's fields, side by side.
        Job::Compare | Job::CompareData => personas_changed,
        Job::ContentMap => content_map_changed(r.hb, delta),
        // Ids of personas, stages and assets, as the map places them.
        Job::Csv => delta.map_moved,
        _ => true,
    };
    let jobs = new.jobs.iter().copied().filter(dirty).collect();
    Some((jobs, new))
}

/// Whether `now` renders the outputs `before` did, give or take search
/// shards added at the end of their run: a save that brings new words may
/// split a shard, and the shards from the split on are dirty anyway (see
/// `Index::updated`). Fewer shards would leave a file behind: the shape
/// changed.
fn same_but_more_shards(before: &[Job], now: &[Job]) -> bool {
    let not_shard = |j: &&Job| !matches!(j, Job::SearchShard(_));
    let shards = |jobs: &[Job]| jobs.iter().filter(|j| matches!(j, Job::SearchShard(_))).count();
    before.iter().filter(not_shard).eq(now.iter().filter(not_shard)) && shards(now) >= shards(before)
}

/// Whether the library's page and data, which list every persona by name
/// and every asset, may differ: a persona's or an asset's listing changed
/// (`Delta::listed`) or the content map did. A persona's summary, lists or
/// body, backlinks and guide pages they do not show.
fn listings_changed(delta: &Delta) -> bool {
    delta.map_moved || delta.listed.iter().any(|r| r.collection != Collection::Page)
}

/// Whether stage page `si` may differ: the map moved, a persona's listing
/// changed (its steps show names and journeys), or a listed asset changed
/// that is at this stage, or a listed asset or guide page that a persona
/// links (a journey may show its title).
fn stage_changed(hb: &Handbook, delta: &Delta, si: usize) -> bool {
    let stage = &hb.config.stages[si].id;
    let linked_by_a_persona = |r: ItemRef| hb.backlinks_of(r).iter().any(|b| b.from.collection == Collection::Persona);
    delta.map_moved
        || delta.listed.iter().any(|&r| match r.collection {
            Collection::Persona => true,
            Collection::Asset => hb.assets[r.index].stages.contains(stage) || linked_by_a_persona(r),
            Collection::Page => linked_by_a_persona(r),
        })
}

/// Whether the content map page may differ: the map moved, a persona's
/// listing changed (its row shows the name and segment), or an asset it
/// lists as unmapped changed (mapped ones it only counts).
fn content_map_changed(hb: &Handbook, delta: &Delta) -> bool {
    delta.map_moved
        || delta.listed.iter().any(|r| match r.collection {
            Collection::Persona => true,
            Collection::Asset => hb.assets[r.index].is_unmapped(),
            Collection::Page => false,
        })
}

fn item(collection: Collection, index: usize) -> ItemRef {
    ItemRef { collection, index }
}

/// The items whose own pages show a changed item: the changed ones, the
/// ones referring to them, and the ones they refer to, before and after.
fn own_pages(hb: &Handbook, delta: &Delta) -> HashSet<ItemRef> {
    let changed = &delta.changed;
    let mut out: HashSet<ItemRef> = changed.iter().chain(&delta.before).copied().collect();
    for &c in changed {
        out.extend(hb.backlinks_of(c).iter().map(|b| b.from));
    }
    let counts = [hb.personas.len(), hb.assets.len(), hb.pages.len()];
    for (collection, n) in [Collection::Persona, Collection::Asset, Collection::Page].into_iter().zip(counts) {
        for i in 0..n {
            let target = item(collection, i);
            if hb.backlinks_of(target).iter().any(|b| changed.contains(&b.from)) {
                out.insert(target);
            }
        }
    }
    out
}

/// The search index's pages of the items whose own pages changed: the
/// index lists personas, stages, guide pages, then assets, in model order,
/// and an item's entry shows only what its own pages show.
fn search_docs(hb: &Handbook, own: &HashSet<ItemRef>) -> BTreeSet<usize> {
    let (personas, stages, pages) = (hb.personas.len(), hb.config.stages.len(), hb.pages.len());
    own.iter()
        .map(|r| match r.collection {
            Collection::Persona => r.index,
            Collection::Page => personas + stages + r.index,
            Collection::Asset => personas + stages + pages + r.index,
        })
        .collect()
}

/// The term pages that differ: the term's name or items changed, an item
/// it lists shows differently there (`carded`: a persona's card, an
/// asset's entry), or the same word of the other kind (its "see also") changed.
fn term_changes(old: &Shape, new: &Shape, changed: &HashSet<ItemRef>) -> HashSet<(Kind, usize)> {
    let shows_changed = |t: &TermShown| {
        t.personas.iter().any(|&i| changed.contains(&item(Collection::Persona, i)))
            || t.assets.iter().any(|&i| changed.contains(&item(Collection::Asset, i)))
    };
    let mut out = HashSet::new();
    let mut words = HashSet::new();
    for ((kind, before), (_, after)) in old.terms.iter().zip(&new.terms) {
        for (i, (s, t)) in before.iter().zip(after).enumerate() {
            if s != t {
                words.insert(t.slug.as_str());
            }
            if s != t || shows_changed(s) || shows_changed(t) {
                out.insert((*kind, i));
            }
        }
    }
    for (kind, terms) in &new.terms {
        if matches!(kind, Kind::Tag | Kind::Topic) {
            out.extend(
                terms.iter().enumerate().filter(|(_, t)| words.contains(t.slug.as_str())).map(|(i, _)| (*kind, i)),
            );
        }
    }
    out
}
