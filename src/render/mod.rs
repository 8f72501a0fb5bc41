//! model + theme -> the site's files, in memory. Pure: never touches the disk.
//!
//! Templates are compiled once; what many pages need (assets per persona and
//! stage, taxonomy terms, guide order, avatars) is computed once in
//! `Renderer::new`; then every page is rendered in parallel from a small
//! view that borrows from the model.

pub mod exports;
pub mod journey;
pub mod markdown;
mod overview;
mod pages;
pub mod taxonomy;
pub mod templates;
mod terms;
pub mod url;
pub mod view;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Handbook;
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use tera::Tera;

/// A rendered site: output path (`personas/ana/index.html`, `/`-separated,
/// no leading slash) to bytes. Sorted, so writing and hashing are deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    /// Number of HTML pages.
    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }
}

/// One output file: its path in the site and its bytes.
pub(crate) type OutFile = (String, Vec<u8>);

/// A rendered site and the warnings rendering found (missing avatars).
#[derive(Debug)]
pub struct Rendered {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
}

/// How long a plain-text summary (library, search, meta description) may be.
const SUMMARY_LEN: usize = 220;

/// Where the theme's static files go in the output (`static/style.css`).
pub const THEME_STATIC_DIR: &str = "static/";

/// Where rendered files go as they are made. `render` keeps them in memory
/// (`Site`, for `serve`); `build` hands each one to the output writer, so a
/// large site is never held whole in memory. Called from several threads.
pub trait Sink: Sync {
    type Error: Send;
    /// Takes one output file. A later file with the same path replaces it.
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Self::Error>;
}

/// Why rendering into a sink stopped.
#[derive(Debug)]
pub enum RenderError<E> {
    /// Problems in templates (all of them).
    Diagnostics(Diagnostics),
    /// The sink refused a file (a write error).
    Sink(E),
}

/// What was rendered into a sink.
#[derive(Debug, Default)]
pub struct Summary {
    /// Warnings found while rendering (missing avatars).
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
}

/// Keeps rendered files in memory.
#[derive(Debug, Default)]
struct MemorySink(std::sync::Mutex<BTreeMap<String, Vec<u8>>>);

impl Sink for MemorySink {
    type Error = std::convert::Infallible;
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Self::Error> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(path.to_string(), bytes);
        Ok(())
    }
}

/// Renders the whole site into memory. `static_files` are the handbook's
/// `static/` folder (path inside it, bytes), copied to the site root as they are.
pub fn render(hb: &Handbook, theme: &Theme, static_files: Vec<(String, Vec<u8>)>) -> Result<Rendered, Diagnostics> {
    let sink = MemorySink::default();
    let summary = render_into(hb, theme, static_files, &sink).map_err(|e| match e {
        RenderError::Diagnostics(d) => d,
        RenderError::Sink(never) => match never {},
    })?;
    let files = sink.0.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(Rendered { site: Site { files }, warnings: summary.warnings })
}

/// Renders the whole site into `sink`, file by file, pages in parallel.
/// Static files go first, so a page of the same path replaces one.
pub fn render_into<S: Sink>(
    hb: &Handbook,
    theme: &Theme,
    static_files: Vec<(String, Vec<u8>)>,
    sink: &S,
) -> Result<Summary, RenderError<S::Error>> {
    let (tera, guide_order) = compile(hb, theme).map_err(|d| RenderError::Diagnostics(one(d)))?;
    let names: HashSet<&str> = static_files.iter().map(|(p, _)| p.as_str()).collect();
    let r = Renderer::new(hb, &tera, theme, &names, guide_order);
    drop(names);
    // Every summary is needed (library, search index): make them up front, in parallel.
    r.asset_summaries.make_all();
    r.page_summaries.make_all();
    let mut summary = Summary { warnings: r.warnings.clone(), ..Summary::default() };
    let mut paths: Vec<String> = Vec::new();
    let statics = theme
        .static_files()
        .map(|(name, f)| (format!("{THEME_STATIC_DIR}{name}"), f.bytes.to_vec()))
        .chain(static_files);
    for (path, bytes) in statics {
        summary.bytes += bytes.len();
        sink.put(&path, bytes).map_err(RenderError::Sink)?;
        paths.push(path);
    }
    let jobs = r.jobs();
    // Per page: its path and size, or a template problem, or the sink's error.
    type PageResult<E> = Result<(String, usize), Result<Diagnostic, E>>;
    let results: Vec<PageResult<S::Error>> = jobs
        .par_iter()
        .map(|j| {
            let (path, bytes) = r.run(j).map_err(Ok)?;
            let len = bytes.len();
            sink.put(&path, bytes).map_err(Err)?;
            Ok((path, len))
        })
        .collect();
    let mut errors = Diagnostics::default();
    for res in results {
        match res {
            Ok((path, len)) => {
                summary.bytes += len;
                paths.push(path);
            }
            Err(Ok(d)) => errors.push(d),
            Err(Err(e)) => return Err(RenderError::Sink(e)),
        }
    }
    if errors.has_errors() {
        errors.sort();
        return Err(RenderError::Diagnostics(errors));
    }
    paths.sort();
    paths.dedup();
    let sitemap = exports::sitemap(hb, &paths);
    summary.bytes += sitemap.len();
    sink.put("sitemap.xml", sitemap).map_err(RenderError::Sink)?;
    paths.push("sitemap.xml".into());
    summary.pages = paths.iter().filter(|p| p.ends_with(".html")).count();
    summary.files = paths.len();
    Ok(summary)
}

/// Renders only the own pages of `items` (a persona's profile and journey
/// map, an asset's page, a guide page), exactly as `render` renders them:
/// what `serve` shows first after an edit, before the whole site is done.
pub fn render_items(
    hb: &Handbook,
    theme: &Theme,
    static_names: &HashSet<&str>,
    items: &[crate::model::ItemRef],
) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    use crate::model::Collection;
    let (tera, guide_order) = compile(hb, theme).map_err(one)?;
    let r = Renderer::new(hb, &tera, theme, static_names, guide_order);
    let jobs: Vec<Job> = items
        .iter()
        .flat_map(|it| match it.collection {
            Collection::Persona => vec![Job::Persona(it.index), Job::Journey(it.index)],
            Collection::Asset => vec![Job::Asset(it.index)],
            Collection::Page => vec![Job::Page(it.index)],
        })
        .collect();
    jobs.par_iter().map(|j| r.run(j)).collect::<Result<Vec<_>, _>>().map_err(one)
}

/// The templates compiled with the site's globals, and the guide pages in
/// navigation order (the navigation links to the first one).
fn compile(hb: &Handbook, theme: &Theme) -> Result<(Tera, Vec<usize>), Diagnostic> {
    let guide_order = guide_order(hb);
    let first_guide =
        guide_order.first().map(|&i| url::page_file(&url::dir_of(crate::model::Collection::Page, &hb.pages[i].id)));
    let tera = templates::compile(theme, &SiteView::new(hb, first_guide))?;
    Ok((tera, guide_order))
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics { items: vec![d] }
}

/// The global `site` value every template sees.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    extra: &'a BTreeMap<String, serde_json::Value>,
    stages: &'a [crate::config::Stage],
    /// `YYYY-MM-DD` reviews are measured against.
    today: jiff::civil::Date,
    review_interval_days: i64,
    generator: &'static str,
    /// The first guide page (`guides/start/index.html`), for the navigation.
    first_guide: Option<String>,
    /// The path part of `base_url` (`/team/`), for the 404 page's `<base>`.
    base_path: String,
}

impl<'a> SiteView<'a> {
    fn new(hb: &'a Handbook, first_guide: Option<String>) -> Self {
        let c = &hb.config;
        SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_url: &c.base_url,
            extra: &c.extra,
            stages: &c.stages,
            today: hb.today,
            review_interval_days: c.review_interval_days,
            generator: concat!("personabook ", env!("CARGO_PKG_VERSION")),
            first_guide,
            base_path: url::base_path(&c.base_url),
        }
    }
}

/// Where a persona's avatar comes from.
#[derive(Debug, Clone)]
pub(crate) enum AvatarSrc<'a> {
    /// A file of the handbook's `static/` folder (path inside it).
    Site(&'a str),
    /// An http(s) URL the writer chose.
    External(&'a str),
}

/// One output of the site.
#[derive(Debug, Clone, Copy)]
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
}

/// Everything page rendering shares, computed once per build.
pub(crate) struct Renderer<'a> {
    pub hb: &'a Handbook,
    pub tera: &'a Tera,
    pub theme: &'a Theme,
    pub prefixes: url::Prefixes,
    /// `by_stage[persona][stage]`: assets mapped to that persona and stage.
    pub by_stage: Vec<Vec<Vec<usize>>>,
    /// Assets that name a persona but no stage, per persona.
    pub unstaged: Vec<Vec<usize>>,
    /// Assets per stage.
    pub stage_assets: Vec<Vec<usize>>,
    pub taxonomies: LazyTaxonomies<'a>,
    /// Guide pages in navigation order (weight, then title).
    pub guide_order: Vec<usize>,
    pub avatars: Vec<Option<AvatarSrc<'a>>>,
    /// A plain-text summary of each asset's and each guide page's body,
    /// made when a page first asks for it.
    pub asset_summaries: Summaries<'a>,
    pub page_summaries: Summaries<'a>,
    pub warnings: Vec<Diagnostic>,
}

impl<'a> Renderer<'a> {
    fn new(
        hb: &'a Handbook,
        tera: &'a Tera,
        theme: &'a Theme,
        static_names: &HashSet<&str>,
        guide_order: Vec<usize>,
    ) -> Self {
        let n_stages = hb.config.stages.len();
        let mut by_stage = vec![vec![Vec::new(); n_stages]; hb.personas.len()];
        let mut unstaged = vec![Vec::new(); hb.personas.len()];
        let mut stage_assets = vec![Vec::new(); n_stages];
        let stage_ix: Vec<Vec<usize>> =
            hb.assets.iter().map(|a| a.stages.iter().filter_map(|s| hb.stage_index(s)).collect()).collect();
        for (ai, a) in hb.assets.iter().enumerate() {
            for &si in &stage_ix[ai] {
                stage_assets[si].push(ai);
            }
            for pid in &a.personas {
                let Some(&pi) = hb.index.personas.get(pid) else { continue };
                if stage_ix[ai].is_empty() {
                    unstaged[pi].push(ai);
                }
                for &si in &stage_ix[ai] {
                    by_stage[pi][si].push(ai);
                }
            }
        }
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
            by_stage,
            unstaged,
            stage_assets,
            taxonomies: LazyTaxonomies { hb, cell: std::sync::OnceLock::new() },
            guide_order,
            avatars,
            asset_summaries,
            page_summaries,
            warnings,
        }
    }

    /// Every output of the site, in a fixed order.
    fn jobs(&self) -> Vec<Job> {
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
        jobs.extend((0..hb.personas.len()).flat_map(|i| [Job::Persona(i), Job::Journey(i)]));
        jobs.extend((0..hb.assets.len()).map(Job::Asset));
        jobs.extend((0..hb.pages.len()).map(Job::Page));
        jobs.extend((0..hb.config.stages.len()).map(Job::Stage));
        for t in &self.taxonomies.all {
            jobs.push(Job::TaxonomyIndex(t.kind));
            jobs.extend((0..t.terms.len()).map(|i| Job::Term(t.kind, i)));
        }
        jobs
    }

    fn run(&self, job: &Job) -> Result<OutFile, Diagnostic> {
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
            Job::SearchIndex => ("search/index.js".to_string(), exports::search_index(self)?),
            Job::Json => ("handbook.json".to_string(), exports::handbook_json(self.hb)?),
            Job::Csv => ("content-map.csv".to_string(), exports::content_map_csv(self.hb)),
        })
    }

    /// Renders `template` into the output `file` with `layout` (as `page`,
    /// and its root prefix as `root`) and `view` (given under `key`).
    pub(crate) fn page<V: Serialize>(
        &self,
        file: String,
        template: &str,
        layout: &view::Layout<'_>,
        key: &'static str,
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

    /// A layout for the page in folder `dir`.
    pub(crate) fn layout<'b>(
        &self,
        root: &'b str,
        dir: &'b str,
        title: &'b str,
        section: &'static str,
        description: &'b str,
    ) -> view::Layout<'b> {
        view::Layout {
            root,
            path: dir,
            title,
            section,
            description,
            canonical: url::absolute(&self.hb.config.base_url, dir),
        }
    }
}

/// Plain-text summaries of Markdown bodies, each made on first use, so
/// rendering one item's pages (`render_items`) summarises only what they
/// show; a full render makes each one once, on whichever thread needs it first.
pub(crate) struct Summaries<'a> {
    bodies: Vec<&'a str>,
    made: Vec<std::sync::OnceLock<String>>,
}

impl<'a> Summaries<'a> {
    fn new(bodies: Vec<&'a str>) -> Self {
        let made = bodies.iter().map(|_| std::sync::OnceLock::new()).collect();
        Summaries { bodies, made }
    }

    /// Makes every summary now, in parallel.
    fn make_all(&self) {
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

/// The taxonomy terms, collected on first use (one item's pages may not need them).
pub(crate) struct LazyTaxonomies<'a> {
    hb: &'a Handbook,
    cell: std::sync::OnceLock<taxonomy::Taxonomies<'a>>,
}

impl<'a> std::ops::Deref for LazyTaxonomies<'a> {
    type Target = taxonomy::Taxonomies<'a>;
    fn deref(&self) -> &Self::Target {
        self.cell.get_or_init(|| taxonomy::build(self.hb))
    }
}

/// Guide pages in navigation order: weight, then title, then id.
fn guide_order(hb: &Handbook) -> Vec<usize> {
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
    let inside = inside.strip_prefix("static/").filter(|s| static_names.contains(s)).unwrap_or(inside);
    if static_names.contains(inside) {
        return Some(AvatarSrc::Site(inside));
    }
    warnings.push(
        Diagnostic::warning(&p.source, 1, 1, format!("avatar \"{avatar}\" not found in static/; initials are drawn instead"))
            .with_hint("avatar paths are relative to the static/ folder, e.g. `avatar: /images/maria.png` for static/images/maria.png"),
    );
    None
}
