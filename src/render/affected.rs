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
//! - every page that reads the handbook as a whole: the home page, indexes,
//!   content map, comparison, reviews, stage pages, library, search index,
//!   exports and the data scripts.
//!
//! Anything else (an id added, removed or renamed, the config, a new term
//! or search shard) is a change of shape: the caller renders the whole site.

use super::renderer::{guide_order, Job, Renderer};
use super::taxonomy::{self, Kind, Taxonomies};
use crate::model::{Collection, Handbook, ItemRef};
use std::collections::HashSet;

/// What one render made: its jobs in order and the static files it copied,
/// for the next render to tell whether the site kept its shape.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shape {
    pub(super) jobs: Vec<Job>,
    /// Site paths of the copied static files (the theme's and `static/`).
    pub(super) statics: HashSet<String>,
}

impl Shape {
    /// Whether the last render copied a static file to this site path.
    pub(crate) fn has_static(&self, path: &str) -> bool {
        self.statics.contains(path)
    }

    /// How many outputs the render made from the model.
    pub(crate) fn job_count(&self) -> usize {
        self.jobs.len()
    }
}

/// The jobs of the new site (`r`) that differ from the old model's, or
/// `None` when the site's shape changed.
pub(super) fn jobs(old: &Handbook, r: &Renderer<'_>, shape: &Shape) -> Option<Vec<Job>> {
    let new = r.hb;
    if !same_frame(old, new) {
        return None;
    }
    let old_order = guide_order(old);
    if old_order.first() != r.guide_order.first() {
        // Every page's navigation links to the first guide page.
        return None;
    }
    let old_terms = taxonomy::build(old);
    if !same_slugs(&old_terms, &r.taxonomies) {
        return None;
    }
    let jobs = r.jobs();
    if jobs != shape.jobs {
        return None;
    }
    let changed = changed_items(old, new);
    let own = own_pages(old, new, &changed);
    let guides = changed.iter().any(|c| c.collection == Collection::Page) && {
        let titles = |hb: &Handbook, order: &[usize]| -> Vec<(String, String)> {
            order.iter().map(|&i| (hb.pages[i].id.clone(), hb.pages[i].title.clone())).collect()
        };
        titles(old, &old_order) != titles(new, &r.guide_order)
    };
    let terms = TermChanges::new(old, &old_terms, r, &changed);
    let dirty = |job: &Job| match *job {
        Job::Persona(i) | Job::Journey(i) => own.contains(&item(Collection::Persona, i)),
        Job::Asset(i) => own.contains(&item(Collection::Asset, i)),
        Job::Page(i) => guides || own.contains(&item(Collection::Page, i)),
        Job::Term(kind, i) => terms.dirty(kind, i),
        _ => true,
    };
    Some(jobs.into_iter().filter(dirty).collect())
}

fn item(collection: Collection, index: usize) -> ItemRef {
    ItemRef { collection, index }
}

/// The same items under the same ids, and the same settings, date,
/// history and drafts: everything every page may read besides the items.
fn same_frame(old: &Handbook, new: &Handbook) -> bool {
    fn ids(hb: &Handbook) -> [Vec<&str>; 3] {
        [
            hb.personas.iter().map(|p| p.id.as_str()).collect(),
            hb.assets.iter().map(|a| a.id.as_str()).collect(),
            hb.pages.iter().map(|p| p.id.as_str()).collect(),
        ]
    }
    let config = |hb: &Handbook| serde_json::to_vec(&hb.config).ok();
    old.today == new.today
        && old.drafts == new.drafts
        && old.evidence.is_none()
        && new.evidence.is_none()
        && old.history == new.history
        && ids(old) == ids(new)
        && config(old).is_some_and(|c| Some(c) == config(new))
}

/// The items whose resolved value differs (fields, body, backlinks, review).
fn changed_items(old: &Handbook, new: &Handbook) -> HashSet<ItemRef> {
    fn diff<T: PartialEq>(c: Collection, a: &[T], b: &[T], out: &mut HashSet<ItemRef>) {
        out.extend(a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y).map(|(i, _)| item(c, i)));
    }
    let mut out = HashSet::new();
    diff(Collection::Persona, &old.personas, &new.personas, &mut out);
    diff(Collection::Asset, &old.assets, &new.assets, &mut out);
    diff(Collection::Page, &old.pages, &new.pages, &mut out);
    out
}

/// The items whose own pages show a changed item: the changed ones, the
/// ones referring to them, and the ones they refer to, before and after.
fn own_pages(old: &Handbook, new: &Handbook, changed: &HashSet<ItemRef>) -> HashSet<ItemRef> {
    let mut out = changed.clone();
    for hb in [old, new] {
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
    }
    out
}

/// Both sites have the same terms (by slug) in the same order: the same term pages.
fn same_slugs(a: &Taxonomies<'_>, b: &Taxonomies<'_>) -> bool {
    a.all.len() == b.all.len()
        && a.all.iter().zip(&b.all).all(|(x, y)| {
            x.kind == y.kind
                && x.terms.len() == y.terms.len()
                && x.terms.iter().zip(&y.terms).all(|(s, t)| s.slug == t.slug)
        })
}

/// Which term pages differ: a term's name or items changed, an item it
/// lists changed, the same word of the other kind (its "see also") changed,
/// or, for formats, how often journeys ask for them.
struct TermChanges {
    /// Per kind, the positions of the terms that differ.
    differ: Vec<(Kind, HashSet<usize>)>,
    formats: bool,
}

impl TermChanges {
    fn new(old: &Handbook, old_terms: &Taxonomies<'_>, r: &Renderer<'_>, changed: &HashSet<ItemRef>) -> Self {
        let shows_changed = |t: &taxonomy::Term<'_>| {
            t.personas.iter().any(|&i| changed.contains(&item(Collection::Persona, i)))
                || t.assets.iter().any(|&i| changed.contains(&item(Collection::Asset, i)))
        };
        // Slugs of changed tags and topics: the other kind's page of the same word links to them.
        let mut words = HashSet::new();
        let mut differ = Vec::new();
        for (before, after) in old_terms.all.iter().zip(&r.taxonomies.all) {
            let mut set = HashSet::new();
            for (i, (s, t)) in before.terms.iter().zip(&after.terms).enumerate() {
                let moved = s.name != t.name || s.personas != t.personas || s.assets != t.assets;
                if moved {
                    words.insert(t.slug.as_str());
                }
                if moved || shows_changed(s) || shows_changed(t) {
                    set.insert(i);
                }
            }
            differ.push((after.kind, set));
        }
        for (t, (kind, set)) in r.taxonomies.all.iter().zip(&mut differ) {
            if matches!(kind, Kind::Tag | Kind::Topic) {
                set.extend(t.terms.iter().enumerate().filter(|(_, t)| words.contains(t.slug.as_str())).map(|(i, _)| i));
            }
        }
        let formats = old.content_map.formats != r.hb.content_map.formats;
        TermChanges { differ, formats }
    }

    fn dirty(&self, kind: Kind, i: usize) -> bool {
        (kind == Kind::Format && self.formats) || self.differ.iter().any(|(k, set)| *k == kind && set.contains(&i))
    }
}
