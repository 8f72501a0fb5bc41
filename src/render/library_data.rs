//! `search/library.js`: every list the library script needs once, and each
//! asset as `[title, href, format, published, summary, stages, personas,
//! topics]`, the last four as positions in those lists (format -1 for
//! none). Each asset's entry is serialised on its own (in parallel), and
//! the preview keeps the last render's entries (`Entries`), serialising
//! again only the assets an edit changed; an entry holds positions, not
//! names, so other edits leave it as it was.

use super::library::data_script;
use super::search::DATA_ADD;
use super::taxonomy::Kind;
use super::{url, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::{site_path, Collection, ItemRef};
use crate::problem::RenderProblem;
use rayon::prelude::*;
use serde::Serialize;

/// Each asset's entry as JSON, in model order.
pub(crate) type Entries = Vec<Vec<u8>>;

/// Everything but the entries, serialised first.
#[derive(Serialize)]
struct Lists<'a> {
    size: usize,
    personas: Vec<(&'a str, &'a str, String)>,
    stages: Vec<(&'a str, &'a str, String)>,
    formats: Vec<(&'a str, String)>,
    topics: Vec<&'a str>,
}

type Entry<'a> = (&'a str, String, i64, String, &'a str, Vec<usize>, Vec<usize>, Vec<usize>);

impl<'a> Renderer<'a> {
    /// `search/library.js`, with hrefs relative to the library page.
    pub(super) fn library_data(&self) -> Result<super::OutFile, Diagnostic> {
        let hb = self.hb;
        let root = self.root_for(&url::section_dir(site_path::LIBRARY));
        let root: &str = &root;
        let terms = |kind| self.taxonomies.get(kind).map(|t| t.terms.as_slice()).unwrap_or_default();
        let lists = Lists {
            size: super::library::PAGE,
            personas: (0..hb.personas.len())
                .map(|p| (hb.personas[p].id.as_str(), hb.personas[p].name.as_str(), self.persona_link(root, p).href))
                .collect(),
            stages: self.per_stage(|_, s| (s.id.as_str(), s.name.as_str(), self.stage_link(root, s).href)),
            formats: terms(Kind::Format)
                .iter()
                .map(|t| (t.name, self.term_link(root, Kind::Format, t.name).href))
                .collect(),
            topics: terms(Kind::Topic).iter().map(|t| t.name).collect(),
        };
        let (_, mut out) = data_script(site_path::LIBRARY_DATA_FILE, "library", &lists)?;
        // `{...});\n` -> `{...,"items":[` entries `]});\n`: what serialising
        // the lists and the entries as one object writes.
        let head = out.len().saturating_sub(b"});\n".len());
        out.truncate(head);
        out.extend_from_slice(b",\"items\":[");
        let entries = self.library_entries()?;
        for (n, i) in self.library_order().into_iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&entries[i]);
        }
        out.extend_from_slice(b"]});\n");
        debug_assert!(out.starts_with(format!("{DATA_ADD}(\"library\",").as_bytes()));
        Ok((site_path::LIBRARY_DATA_FILE.to_string(), out))
    }

    /// The entries, kept from the last render where it set them.
    fn library_entries(&self) -> Result<&Entries, Diagnostic> {
        if let Some(entries) = self.library.get() {
            return Ok(entries);
        }
        let entries = self.renewed_entries(Vec::new(), |_| true)?;
        Ok(self.library.get_or_init(|| entries))
    }

    /// `kept` (entries of a site with the same assets and terms) with those
    /// of the assets `again` names serialised anew.
    pub(super) fn renewed_entries(
        &self,
        kept: Entries,
        again: impl Fn(ItemRef) -> bool + Sync,
    ) -> Result<Entries, Diagnostic> {
        let root = self.root_for(&url::section_dir(site_path::LIBRARY));
        let root: &str = &root;
        let mut kept: Vec<Option<Vec<u8>>> = kept.into_iter().map(Some).collect();
        kept.resize_with(self.hb.assets.len(), || None);
        kept.into_par_iter()
            .enumerate()
            .map(|(i, old)| match old {
                Some(bytes) if !again(ItemRef { collection: Collection::Asset, index: i }) => Ok(bytes),
                _ => serde_json::to_vec(&self.library_entry(root, i)).map_err(|e| error(&e)),
            })
            .collect()
    }

    /// Asset `i`'s entry, hrefs relative to `root`.
    fn library_entry(&self, root: &str, i: usize) -> Entry<'_> {
        let hb = self.hb;
        let a = &hb.assets[i];
        let stage_ix = |id: &String| hb.config.stages.iter().position(|s| &s.id == id);
        let format = a.format.as_deref().and_then(|f| self.term_position(Kind::Format, f));
        (
            a.title.as_str(),
            url::href(root, &url::dir_of(Collection::Asset, &a.id)),
            format.and_then(|f| i64::try_from(f).ok()).unwrap_or(-1),
            a.published.map(|d| d.to_string()).unwrap_or_default(),
            self.asset_summaries[i].as_str(),
            a.stages.iter().filter_map(stage_ix).collect(),
            a.personas.iter().filter_map(|id| hb.persona_index(id)).collect(),
            a.topics.iter().filter_map(|t| self.term_position(Kind::Topic, t)).collect(),
        )
    }
}

fn error(e: &serde_json::Error) -> Diagnostic {
    Diagnostic::error(site_path::LIBRARY_DATA_FILE, 1, 1, RenderProblem::Export { error: e.to_string() })
}
