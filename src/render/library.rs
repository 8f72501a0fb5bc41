//! The content library: a page that holds the first `PAGE` assets (newest
//! first), so it stays small and readable without JavaScript, and
//! `search/library.js`, every asset as compact data, from which the
//! library script filters, counts, sorts and pages the whole library.

use super::search::DATA_ADD;
use super::taxonomy::Kind;
use super::url;
use super::view::{AssetItem, Link, StageLink};
use super::{Meta, Renderer, Template};
use crate::diagnostic::Diagnostic;
use crate::model::site_path;
use crate::problem::RenderProblem;
use serde::Serialize;

type Output = Result<super::OutFile, Diagnostic>;

/// Assets on the page as written, and per page of the script's pager.
pub const PAGE: usize = 24;

const LIBRARY_TEXT: &str = "Every content asset, filterable by persona, stage, format and topic.";

/// One choice of a library filter.
#[derive(Serialize)]
struct Choice<'a> {
    value: &'a str,
    text: &'a str,
    count: usize,
}

/// An asset on the page.
#[derive(Serialize)]
struct LibraryItem<'a> {
    item: AssetItem<'a>,
    summary: &'a str,
    personas: Vec<Link<'a>>,
    stages: Vec<StageLink<'a>>,
}

#[derive(Serialize)]
struct LibraryPage<'a> {
    items: Vec<LibraryItem<'a>>,
    personas: Vec<Choice<'a>>,
    stages: Vec<Choice<'a>>,
    formats: Vec<Choice<'a>>,
    topics: Vec<Choice<'a>>,
    total: usize,
    /// The data script, relative to the page.
    data_src: String,
    page_size: usize,
}

impl<'a> Renderer<'a> {
    /// The assets in library order: newest first, then by title.
    pub(super) fn library_order(&self) -> Vec<usize> {
        let hb = self.hb;
        let mut order: Vec<usize> = (0..hb.assets.len()).collect();
        order.sort_by_cached_key(|&i| {
            let a = &hb.assets[i];
            (std::cmp::Reverse(a.published), a.title.to_lowercase(), i)
        });
        order
    }

    /// Position of a format or topic word among its taxonomy's terms.
    pub(super) fn term_position(&self, kind: Kind, word: &str) -> Option<usize> {
        let slug = site_path::slug(word);
        self.taxonomies.get(kind)?.terms.iter().position(|t| t.slug == slug)
    }

    pub(super) fn library(&self) -> Output {
        let hb = self.hb;
        let dir = &url::section_dir(site_path::LIBRARY);
        let root = self.root_for(dir);
        let root: &str = &root;
        let mut persona_counts = vec![0usize; hb.personas.len()];
        for a in &hb.assets {
            for p in a.personas.iter().filter_map(|id| hb.persona_index(id)) {
                persona_counts[p] += 1;
            }
        }
        let items = self
            .library_order()
            .into_iter()
            .take(PAGE)
            .map(|i| {
                let a = &hb.assets[i];
                LibraryItem {
                    item: self.asset_item(root, i),
                    summary: &self.asset_summaries[i],
                    personas: a
                        .personas
                        .iter()
                        .filter_map(|id| hb.persona_index(id))
                        .map(|p| self.persona_link(root, p))
                        .collect(),
                    stages: self.stage_links_for(root, &a.stages),
                }
            })
            .collect();
        let personas = hb
            .personas
            .iter()
            .zip(&persona_counts)
            .filter(|(_, &n)| n > 0)
            .map(|(p, &count)| Choice { value: &p.id, text: &p.name, count })
            .collect();
        let stages =
            self.per_stage(|si, s| Choice { value: &s.id, text: &s.name, count: self.placement.by_stage[si].len() });
        let choices = |kind| {
            self.taxonomies
                .get(kind)
                .map(|t| {
                    t.terms.iter().map(|t| Choice { value: t.name, text: t.name, count: t.assets.len() }).collect()
                })
                .unwrap_or_default()
        };
        let view = LibraryPage {
            items,
            personas,
            stages,
            formats: choices(Kind::Format),
            topics: choices(Kind::Topic),
            total: hb.assets.len(),
            data_src: url::file_href(root, site_path::LIBRARY_DATA_FILE),
            page_size: PAGE,
        };
        let meta = Meta { dir, title: "Content library", section: "library", description: LIBRARY_TEXT };
        self.render_page(root, &meta, Template("library.html", "library"), &view)
    }
}

/// A data script: `PERSONABOOK_ADD("<kind>", <data>);`.
pub(super) fn data_script<T: Serialize>(file: &str, kind: &str, data: &T) -> Output {
    let mut out = format!("{DATA_ADD}(\"{kind}\",").into_bytes();
    serde_json::to_writer(&mut out, data)
        .map_err(|e| Diagnostic::error(file, 1, 1, RenderProblem::Export { error: e.to_string() }))?;
    out.extend_from_slice(b");\n");
    Ok((file.to_string(), out))
}
