//! What page rendering shares, computed once per build: the compiled
//! templates, the theme, root prefixes, taxonomy terms, guide order,
//! avatars and summaries; the list of the site's outputs (`Job`) and the
//! one helper that renders a page from a template and a view. Reads the
//! model and the theme only; never touches the disk.

use super::{exports, markdown, search, taxonomy, templates, url, view, OutFile, SUMMARY_LEN};
use crate::diagnostic::Diagnostic;
use crate::model::content_map::Placement;
use crate::model::site_path;
use crate::model::Handbook;
use crate::problem::RenderProblem;
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;
use tera::Tera;

/// Where a persona's avatar comes from.
#[derive(Debug, Clone)]
pub(crate) enum AvatarSrc<'a> {
    /// A file of the handbook's `static/` folder (path inside it).
    Site(&'a str),
    /// An http(s) URL the writer chose.
    External(&'a str),
}

/// One output of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Job {
    Home,
    Personas,
    Persona(usize),
    Journey(usize),
    Library,
    Asset(usize),
    ContentMap,
    Compare,
    Reviews,
    TaxonomyIndex(taxonomy::Kind),
    Term(taxonomy::Kind, usize),
    StagesIndex,
    Stage(usize),
    Page(usize),
    Search,
    NotFound,
    SearchIndex,
    Json,
    Csv,
    SearchShard(usize),
    SearchChunk(usize),
    LibraryData,
    CompareData,
    Insights,
    Personalization,
    Feed,
}

/// Everything page rendering shares, computed once per build.
pub(crate) struct Renderer<'a> {
    pub hb: &'a Handbook,
    pub tera: &'a Tera,
    pub theme: &'a Theme,
    pub prefixes: url::Prefixes,
    /// Which assets serve each persona and stage (the model's).
    pub placement: &'a Placement,
    pub taxonomies: LazyTaxonomies<'a>,
    /// Guide pages in navigation order (weight, then title).
    pub guide_order: Vec<usize>,
    pub avatars: Vec<Option<AvatarSrc<'a>>>,
    /// A plain-text summary of each asset's and each guide page's body,
    /// made when a page first asks for it.
    pub asset_summaries: Summaries<'a>,
    pub page_summaries: Summaries<'a>,
    pub warnings: Vec<Diagnostic>,
    pub search: std::sync::OnceLock<search::Index>,
    /// The library data's entries, likewise (see `library_data`).
    pub library: std::sync::OnceLock<super::library_data::Entries>,
    /// Each asset's page and format page from the site root, made when a
    /// list first shows the asset (an asset is listed on many pages).
    pub asset_paths: Vec<std::sync::OnceLock<AssetPaths>>,
    /// Each persona's page and segment page from the site root, likewise
    /// (a persona's card is on its terms' pages and the indexes).
    pub persona_paths: Vec<std::sync::OnceLock<PersonaPaths>>,
    /// Persona cards and asset entries as template values, for the pages
    /// that list hundreds (kept from the last render, see `affected`).
    pub list_values: ListValues,
    /// `handbook.json`'s items, serialised by the first job that needs them
    /// (or kept from the last render, see `affected`).
    pub json: std::sync::OnceLock<super::json::Items>,
}

impl<'a> Renderer<'a> {
    pub(super) fn new(
        hb: &'a Handbook,
        tera: &'a Tera,
        theme: &'a Theme,
        static_names: &HashSet<&str>,
        guide_order: Vec<usize>,
    ) -> Self {
        let mut warnings = Vec::new();
        let avatars = hb.personas.iter().map(|p| avatar_src(p, static_names, &mut warnings)).collect();
        let asset_summaries = Summaries::new(hb.assets.iter().map(|a| a.body.as_str()).collect());
        let page_summaries = Summaries::new(hb.pages.iter().map(|p| p.body.as_str()).collect());
        let max_depth = hb.personas.iter().map(|p| p.id.matches('/').count()).max().unwrap_or(0) + 3;
        Renderer {
            hb,
            tera,
            theme,
            prefixes: url::Prefixes::new(max_depth),
            placement: &hb.content_map.placement,
            taxonomies: LazyTaxonomies { hb, cell: std::sync::OnceLock::new() },
            guide_order,
            avatars,
            asset_summaries,
            page_summaries,
            warnings,
            search: std::sync::OnceLock::new(),
            json: std::sync::OnceLock::new(),
            library: std::sync::OnceLock::new(),
            asset_paths: hb.assets.iter().map(|_| std::sync::OnceLock::new()).collect(),
            persona_paths: hb.personas.iter().map(|_| std::sync::OnceLock::new()).collect(),
            list_values: ListValues::new(hb.personas.len(), hb.assets.len()),
        }
    }

    /// Every output of the site, in a fixed order.
    pub(super) fn jobs(&self) -> Vec<Job> {
        let hb = self.hb;
        let mut jobs = vec![
            Job::Home,
            Job::Personas,
            Job::Library,
            Job::ContentMap,
            Job::Compare,
            Job::Reviews,
            Job::StagesIndex,
            Job::Search,
            Job::NotFound,
            Job::SearchIndex,
            Job::Json,
            Job::Csv,
        ];
        if hb.evidence.is_some() {
            jobs.extend([Job::Insights, Job::Personalization]);
        }
        jobs.extend((0..hb.personas.len()).flat_map(|i| [Job::Persona(i), Job::Journey(i)]));
        jobs.extend((0..hb.assets.len()).map(Job::Asset));
        jobs.extend((0..hb.pages.len()).map(Job::Page));
        jobs.extend((0..hb.config.stages.len()).map(Job::Stage));
        for t in &self.taxonomies.all {
            jobs.push(Job::TaxonomyIndex(t.kind));
            jobs.extend((0..t.terms.len()).map(|i| Job::Term(t.kind, i)));
        }
        if hb.history.is_some() {
            jobs.push(Job::Feed);
        }
        jobs.extend((0..self.search_index().shard_count()).map(Job::SearchShard));
        jobs.extend((0..self.search_index().chunk_count()).map(Job::SearchChunk));
        jobs.extend([Job::LibraryData, Job::CompareData]);
        jobs
    }

    pub(super) fn run(&self, job: &Job) -> Result<OutFile, Diagnostic> {
        Ok(match *job {
            Job::Home => self.home()?,
            Job::Personas => self.personas()?,
            Job::Persona(i) => self.persona(i)?,
            Job::Journey(i) => self.journey(i)?,
            Job::Library => self.library()?,
            Job::Asset(i) => self.asset(i)?,
            Job::ContentMap => self.content_map()?,
            Job::Compare => self.compare()?,
            Job::Reviews => self.reviews()?,
            Job::TaxonomyIndex(k) => self.taxonomy_index(k)?,
            Job::Term(k, i) => self.term(k, i)?,
            Job::StagesIndex => self.stages_index()?,
            Job::Stage(i) => self.stage(i)?,
            Job::Page(i) => self.guide(i)?,
            Job::Search => self.search()?,
            Job::NotFound => self.not_found()?,
            Job::SearchIndex => (site_path::SEARCH_INDEX_FILE.to_string(), self.search_index().manifest()?),
            Job::Json => (site_path::JSON_FILE.to_string(), super::json::handbook_json(self.hb, self.json_items()?)?),
            Job::Csv => (site_path::CSV_FILE.to_string(), exports::content_map_csv(self.hb)),
            Job::SearchShard(n) => self.search_index().shard(n)?,
            Job::SearchChunk(n) => self.search_index().chunk(n)?,
            Job::LibraryData => self.library_data()?,
            Job::CompareData => self.compare_data()?,
            Job::Insights => self.insights()?,
            Job::Personalization => self.personalization()?,
            Job::Feed => (site_path::FEED_FILE.to_string(), super::history::feed(self).unwrap_or_default()),
        })
    }

    /// `handbook.json`'s items, serialised by the first job that needs them.
    fn json_items(&self) -> Result<&super::json::Items, Diagnostic> {
        if let Some(items) = self.json.get() {
            return Ok(items);
        }
        let items = super::json::Items::of(self.hb)?;
        Ok(self.json.get_or_init(|| items))
    }

    /// The search index, built by the first job that needs it.
    pub(crate) fn search_index(&self) -> &search::Index {
        self.search.get_or_init(|| search::Index::build(self))
    }

    /// Renders the page in folder `meta.dir` from `template`, with its
    /// layout (as `page`, and its root prefix as `root`) and `view`.
    pub(crate) fn render_page<V: Serialize>(
        &self,
        root: &str,
        meta: &Meta<'_>,
        template: Template,
        view: &V,
    ) -> Result<OutFile, Diagnostic> {
        let layout = self.layout(root, meta);
        self.page(url::page_file(meta.dir), template, &layout, view)
    }

    /// Renders `template` into the output `file` with `layout` and `view`.
    pub(crate) fn page<V: Serialize>(
        &self,
        file: String,
        Template(template, key): Template,
        layout: &view::Layout<'_>,
        view: &V,
    ) -> Result<OutFile, Diagnostic> {
        let mut ctx = tera::Context::new();
        let err = |e: tera::Error| templates::error(&e, self.theme);
        ctx.insert_value("page", tera::Value::try_from_serializable(layout).map_err(err)?);
        ctx.insert_value("root", tera::Value::from(layout.root));
        ctx.insert_value(key, tera::Value::try_from_serializable(view).map_err(err)?);
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera.render_to(template, &ctx, &mut out).map_err(err)?;
        // The site stays in memory (serve keeps it): no doubling slack per page.
        out.shrink_to_fit();
        Ok((file, out))
    }

    /// The root prefix for a page in folder `dir`.
    pub(crate) fn root_for(&self, dir: &str) -> std::borrow::Cow<'_, str> {
        self.prefixes.get(dir.matches('/').count())
    }

    /// The layout of the page `meta` describes.
    pub(crate) fn layout<'b>(&self, root: &'b str, meta: &Meta<'b>) -> view::Layout<'b> {
        view::Layout {
            root,
            path: meta.dir,
            title: meta.title,
            section: meta.section,
            description: meta.description,
            canonical: url::absolute(&self.hb.config.base_url, meta.dir),
        }
    }
}

/// What the layout says about a page besides its root prefix.
pub(crate) struct Meta<'b> {
    /// The page's folder (`personas/ana/`), `""` for the home page.
    pub dir: &'b str,
    pub title: &'b str,
    /// Which main-navigation entry is current (`personas`, `library`, ...), `""` for none.
    pub section: &'static str,
    /// A short text for the description meta tag.
    pub description: &'b str,
}

/// A page template and the name its view has in it (`persona.html`, `persona`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Template(pub &'static str, pub &'static str);

/// Plain-text summaries of Markdown bodies, each made on first use, so
/// rendering one item's pages (`render_items`) summarises only what they
/// show; a full render makes each one once, on whichever thread needs it first.
pub(crate) struct Summaries<'a> {
    bodies: Vec<&'a str>,
    made: Vec<std::sync::OnceLock<String>>,
}

impl<'a> Summaries<'a> {
    pub(super) fn new(bodies: Vec<&'a str>) -> Self {
        let made = bodies.iter().map(|_| std::sync::OnceLock::new()).collect();
        Summaries { bodies, made }
    }

    /// Makes every summary now, in parallel.
    pub(super) fn make_all(&self) {
        (0..self.made.len()).into_par_iter().for_each(|i| {
            let _ = &self[i];
        });
    }
}

impl std::ops::Index<usize> for Summaries<'_> {
    type Output = String;
    fn index(&self, i: usize) -> &String {
        self.made[i].get_or_init(|| markdown::plain_text(self.bodies[i], SUMMARY_LEN))
    }
}

/// Where an asset's list entry links, from the site root (`library/roi/index.html`),
/// and whether its own URL may be linked (see `safe_url::allow`).
pub(crate) struct AssetPaths {
    pub page: String,
    pub format: Option<String>,
    pub url_allowed: bool,
}

/// Where a persona's card links, from the site root (`personas/ana/index.html`).
pub(crate) struct PersonaPaths {
    pub page: String,
    pub segment: Option<String>,
}

/// Persona cards and asset list entries as template values, each made once
/// per page depth: an entry is the same on every page at one depth (its
/// links are relative), and a large handbook's term, stage and persona
/// index pages list the same hundreds again and again. A value is shared,
/// not copied, into each page's context. The preview keeps them from one
/// render to the next, forgetting the items an edit changed.
#[derive(Debug, Default)]
pub(crate) struct ListValues {
    cards: Vec<[std::sync::OnceLock<tera::Value>; LIST_DEPTHS]>,
    entries: Vec<[std::sync::OnceLock<tera::Value>; LIST_DEPTHS]>,
}

/// Pages this many folders deep or deeper make their entries afresh.
const LIST_DEPTHS: usize = 3;

impl ListValues {
    fn new(personas: usize, assets: usize) -> Self {
        let none = || Default::default();
        ListValues { cards: (0..personas).map(|_| none()).collect(), entries: (0..assets).map(|_| none()).collect() }
    }

    /// These values, for a handbook with the same personas and assets but
    /// for `changed` (whose values are made again).
    pub(super) fn renewed(mut self, changed: impl IntoIterator<Item = crate::model::ItemRef>) -> Self {
        for r in changed {
            let slot = match r.collection {
                crate::model::Collection::Persona => self.cards.get_mut(r.index),
                crate::model::Collection::Asset => self.entries.get_mut(r.index),
                crate::model::Collection::Page => None,
            };
            if let Some(slot) = slot {
                *slot = Default::default();
            }
        }
        self
    }

    /// Whether these values are for a handbook of this many personas and assets.
    pub(super) fn fits(&self, personas: usize, assets: usize) -> bool {
        self.cards.len() == personas && self.entries.len() == assets
    }
}

/// Which of a [`ListValues`] slot's depths `root` (`../../`) is, if any.
fn list_depth(root: &str) -> Option<usize> {
    let depth = root.len() / 3;
    (depth < LIST_DEPTHS && root.len().is_multiple_of(3) && root.as_bytes().chunks(3).all(|c| c == b"../"))
        .then_some(depth)
}

impl<'a> Renderer<'a> {
    /// Persona `i`'s card from a page at `root`, as a template value.
    pub(super) fn card_value(&self, root: &str, i: usize) -> Result<tera::Value, Diagnostic> {
        let make = || tera::Value::try_from_serializable(&self.persona_card(root, i));
        self.list_value(make, list_depth(root).and_then(|d| self.list_values.cards.get(i).map(|slot| &slot[d])))
    }

    /// Asset `i`'s list entry from a page at `root`, as a template value.
    pub(super) fn entry_value(&self, root: &str, i: usize) -> Result<tera::Value, Diagnostic> {
        let make = || tera::Value::try_from_serializable(&self.asset_item(root, i));
        self.list_value(make, list_depth(root).and_then(|d| self.list_values.entries.get(i).map(|slot| &slot[d])))
    }

    /// The list entries of these assets from a page at `root`.
    pub(super) fn entry_values(&self, root: &str, list: &[usize]) -> Result<Vec<tera::Value>, Diagnostic> {
        list.iter().map(|&i| self.entry_value(root, i)).collect()
    }

    fn list_value(
        &self,
        make: impl FnOnce() -> tera::TeraResult<tera::Value>,
        slot: Option<&std::sync::OnceLock<tera::Value>>,
    ) -> Result<tera::Value, Diagnostic> {
        let err = |e: tera::Error| templates::error(&e, self.theme);
        let Some(slot) = slot else { return make().map_err(err) };
        if let Some(value) = slot.get() {
            return Ok(value.clone());
        }
        let value = make().map_err(err)?;
        Ok(slot.get_or_init(|| value).clone())
    }
}

/// The taxonomy terms, collected on first use (one item's pages may not need them).
pub(crate) struct LazyTaxonomies<'a> {
    pub(super) hb: &'a Handbook,
    pub(super) cell: std::sync::OnceLock<taxonomy::Taxonomies<'a>>,
}

impl<'a> std::ops::Deref for LazyTaxonomies<'a> {
    type Target = taxonomy::Taxonomies<'a>;
    fn deref(&self) -> &Self::Target {
        self.cell.get_or_init(|| taxonomy::build(self.hb))
    }
}

/// Guide pages in navigation order: weight, then title, then id.
pub(super) fn guide_order(hb: &Handbook) -> Vec<usize> {
    let mut order: Vec<usize> = (0..hb.pages.len()).collect();
    order.sort_by_cached_key(|&i| {
        let p = &hb.pages[i];
        (p.weight, p.title.to_lowercase(), p.id.clone())
    });
    order
}

/// Where a persona's avatar comes from, warning when the file is missing.
fn avatar_src<'a>(
    p: &'a crate::model::Persona,
    static_names: &HashSet<&str>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<AvatarSrc<'a>> {
    let avatar = p.avatar.as_deref()?.trim();
    if avatar.is_empty() {
        return None;
    }
    if avatar.starts_with("http://") || avatar.starts_with("https://") {
        // The writer's choice; the theme itself never loads from the network.
        return Some(AvatarSrc::External(avatar));
    }
    let inside = avatar.trim_start_matches('/');
    let in_static = inside.strip_prefix(crate::layout::STATIC_DIR).and_then(|s| s.strip_prefix('/'));
    let inside = in_static.filter(|s| static_names.contains(s)).unwrap_or(inside);
    if static_names.contains(inside) {
        return Some(AvatarSrc::Site(inside));
    }
    let problem = RenderProblem::MissingAvatar { avatar: avatar.to_string() };
    warnings.push(Diagnostic::warning(&p.source, 1, 1, problem).with_hint(
        "avatar paths are relative to the static/ folder, e.g. `avatar: /images/maria.png` for static/images/maria.png",
    ));
    None
}
