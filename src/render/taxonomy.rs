//! Taxonomies: segments, tags, formats and topics, each term with the
//! personas and assets that carry it. Terms are grouped by URL slug, so
//! `High Value` and `high-value` share one page. Stages are configured,
//! not collected, and have their own pages (`pages::stage`).

use super::url;
use crate::model::Handbook;
use std::collections::HashMap;

pub use crate::model::site_path::Kind;

/// One term and what carries it (indices into personas and assets, in model
/// order). For formats, `personas` are those whose journey asks for it.
#[derive(Debug, Clone)]
pub struct Term<'a> {
    pub slug: String,
    /// The term as first written.
    pub name: &'a str,
    pub personas: Vec<usize>,
    pub assets: Vec<usize>,
}

/// All terms of one kind, sorted by name.
#[derive(Debug, Clone)]
pub struct Taxonomy<'a> {
    pub kind: Kind,
    pub terms: Vec<Term<'a>>,
}

/// Every taxonomy of the site.
#[derive(Debug, Clone)]
pub struct Taxonomies<'a> {
    pub all: Vec<Taxonomy<'a>>,
}

impl<'a> Taxonomies<'a> {
    pub fn get(&self, kind: Kind) -> Option<&Taxonomy<'a>> {
        self.all.iter().find(|t| t.kind == kind)
    }
}

/// Collects the terms in one pass over personas and assets. A name is
/// slugged once, the first time it is seen: the same few hundred names
/// come back on thousands of items.
pub fn build<'a>(hb: &'a Handbook) -> Taxonomies<'a> {
    type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
    let mut terms: [Vec<Term<'a>>; 4] = Default::default();
    let mut by_name: [Map<&'a str, usize>; 4] = Default::default();
    let mut by_slug: [Map<String, usize>; 4] = Default::default();
    let mut add = |kind: Kind, name: &'a str, persona: Option<usize>, asset: Option<usize>| {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let k = kind as usize;
        let at = match by_name[k].get(name) {
            Some(&at) => at,
            None => {
                let slug = url::slug(name);
                let list = &mut terms[k];
                let at = *by_slug[k].entry(slug).or_insert_with_key(|slug| {
                    list.push(Term { slug: slug.clone(), name, personas: Vec::new(), assets: Vec::new() });
                    list.len() - 1
                });
                by_name[k].insert(name, at);
                at
            }
        };
        let term = &mut terms[k][at];
        if let Some(p) = persona.filter(|p| term.personas.last() != Some(p)) {
            term.personas.push(p);
        }
        if let Some(a) = asset.filter(|a| term.assets.last() != Some(a)) {
            term.assets.push(a);
        }
    };
    for (i, p) in hb.personas.iter().enumerate() {
        if let Some(s) = &p.segment {
            add(Kind::Segment, s, Some(i), None);
        }
        for t in &p.tags {
            add(Kind::Tag, t, Some(i), None);
        }
        // Formats a journey asks for get a page even before any asset has them.
        for f in p.journey.iter().flatten().flat_map(|s| &s.formats) {
            add(Kind::Format, f, Some(i), None);
        }
    }
    for (i, a) in hb.assets.iter().enumerate() {
        if let Some(f) = &a.format {
            add(Kind::Format, f, None, Some(i));
        }
        for t in &a.tags {
            add(Kind::Tag, t, None, Some(i));
        }
        for t in &a.topics {
            add(Kind::Topic, t, None, Some(i));
        }
    }
    let all = Kind::ALL
        .into_iter()
        .zip(terms)
        .map(|(kind, mut terms)| {
            terms.sort_by_cached_key(|t| (t.name.to_lowercase(), t.slug.clone()));
            Taxonomy { kind, terms }
        })
        .collect();
    Taxonomies { all }
}
