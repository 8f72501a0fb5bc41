//! model + theme -> the site's files, in memory. Pure: never touches the disk.
//!
//! Templates are compiled once; what many pages need (assets per persona and
//! stage, taxonomy terms, guide order, avatars) is computed once in
//! `Renderer::new`; then every page is rendered in parallel from a small
//! view that borrows from the model.

mod affected;
mod compare;
pub mod conflicts;
mod evidence;
pub mod exports;
mod history;
mod insights;
pub mod journey;
mod json;
mod library;
mod library_data;
pub mod markdown;
mod overview;
mod pages;
mod profile;
mod renderer;
mod search;
mod search_text;
mod single;
pub mod taxonomy;
pub mod templates;
mod terms;
pub mod url;
pub mod view;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{site_path, Handbook};
use crate::theme::Theme;
pub(crate) use affected::Shape;
use rayon::prelude::*;
use renderer::{guide_order, Job};
pub(crate) use renderer::{AvatarSrc, Meta, Renderer, Template};
use serde::Serialize;
pub(crate) use single::{theme_statics, Single};
use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tera::Tera;

/// A rendered site: output path (`personas/ana/index.html`, `/`-separated,
/// no leading slash) to bytes. Sorted, so writing and hashing are deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Whether each file went through the caller's [`Pack`] as it was
    /// rendered (`serve` keeps them compressed); false: bytes as rendered.
    pub packed: bool,
}

/// What a caller that keeps a site in memory does to each file as it is
/// rendered, in the render threads: `serve` compresses it, so a large site
/// never sits in memory whole, uncompressed.
pub type Pack = fn(Vec<u8>) -> Vec<u8>;

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

/// Keeps rendered files in memory, each through the pack when there is one.
#[derive(Debug, Default)]
pub(crate) struct MemorySink(std::sync::Mutex<BTreeMap<String, Vec<u8>>>, Option<Pack>);

impl MemorySink {
    pub(crate) fn into_site(self) -> Site {
        let files = self.0.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        Site { files, packed: self.1.is_some() }
    }
}

impl Sink for MemorySink {
    type Error = std::convert::Infallible;
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Self::Error> {
        // Outside the lock: the render threads pack in parallel.
        let bytes = match self.1 {
            Some(pack) => pack(bytes),
            None => bytes,
        };
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(path.to_string(), bytes);
        Ok(())
    }
}

/// Renders the whole site into memory. `static_files` are the handbook's
/// `static/` folder (path inside it, bytes), copied to the site root as they are.
pub fn render(hb: &Handbook, theme: &Theme, static_files: Vec<(String, Vec<u8>)>) -> Result<Rendered, Diagnostics> {
    render_shaped(hb, theme, static_files, None, None).map(|(rendered, _)| rendered)
}

/// `render`, with the site's shape, for [`render_changed`] to compare
/// against, telling `progress` after each file, each file through `pack`.
pub(crate) fn render_shaped(
    hb: &Handbook,
    theme: &Theme,
    static_files: Vec<(String, Vec<u8>)>,
    progress: Option<&Progress>,
    pack: Option<Pack>,
) -> Result<(Rendered, Shape), Diagnostics> {
    let sink = MemorySink(Default::default(), pack);
    let (summary, shape) = render_all(hb, theme, static_files, &sink, progress).map_err(|e| match e {
        RenderError::Diagnostics(d) => d,
        RenderError::Sink(never) => match never {},
    })?;
    Ok((Rendered { site: sink.into_site(), warnings: summary.warnings }, shape))
}

/// Told after each rendered file: how many are done, and how many there
/// are in all. Called from the render threads once per file, so it must be
/// cheap (store the numbers; draw them elsewhere). The library never draws.
#[derive(Clone)]
pub struct Progress(Arc<dyn Fn(usize, usize) + Send + Sync>);

impl Progress {
    pub fn new(tell: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        Progress(Arc::new(tell))
    }

    /// `done` of `total` files are rendered.
    pub fn tell(&self, done: usize, total: usize) {
        (self.0)(done, total);
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Renders the whole site into `sink`, file by file, pages in parallel,
/// telling `progress` after each. Static files go first, so a page of the
/// same path replaces one.
pub fn render_into<S: Sink>(
    hb: &Handbook,
    theme: &Theme,
    static_files: Vec<(String, Vec<u8>)>,
    sink: &S,
    progress: Option<&Progress>,
) -> Result<Summary, RenderError<S::Error>> {
    render_all(hb, theme, static_files, sink, progress).map(|(summary, _)| summary)
}

/// `render_into`, returning the site's shape too.
fn render_all<S: Sink>(
    hb: &Handbook,
    theme: &Theme,
    static_files: Vec<(String, Vec<u8>)>,
    sink: &S,
    progress: Option<&Progress>,
) -> Result<(Summary, Shape), RenderError<S::Error>> {
    let (tera, guide_order) = compile(hb, theme).map_err(|d| RenderError::Diagnostics(one(d)))?;
    let names: HashSet<&str> = static_files.iter().map(|(p, _)| p.as_str()).collect();
    let mut r = Renderer::new(hb, &tera, theme, &names, guide_order);
    drop(names);
    // Every summary is needed (library, search index): make them up front, in parallel.
    r.asset_summaries.make_all();
    r.page_summaries.make_all();
    let mut summary = Summary { warnings: r.warnings.clone(), ..Summary::default() };
    let mut paths: Vec<String> = Vec::new();
    let statics = single::theme_statics(hb, theme).map(|(path, bytes)| (path, bytes.to_vec())).chain(static_files);
    for (path, bytes) in statics {
        summary.bytes += bytes.len();
        sink.put(&path, bytes).map_err(RenderError::Sink)?;
        paths.push(path);
    }
    let jobs = r.jobs();
    let done = AtomicUsize::new(0);
    // Per page: its path and size, or a template problem, or the sink's error.
    type PageResult<E> = Result<(String, usize), Result<Diagnostic, E>>;
    let results: Vec<PageResult<S::Error>> = jobs
        .par_iter()
        .map(|j| {
            let (path, bytes) = r.run(j).map_err(Ok)?;
            let len = bytes.len();
            sink.put(&path, bytes).map_err(Err)?;
            if let Some(progress) = progress {
                progress.tell(done.fetch_add(1, Ordering::Relaxed) + 1, jobs.len());
            }
            Ok((path, len))
        })
        .collect();
    let mut errors = Diagnostics::default();
    let static_paths = paths.iter().cloned().collect();
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
    sink.put(site_path::SITEMAP_FILE, sitemap).map_err(RenderError::Sink)?;
    paths.push(site_path::SITEMAP_FILE.into());
    summary.pages = paths.iter().filter(|p| p.ends_with(".html")).count();
    summary.files = paths.len();
    let mut shape = Shape::of(&r, jobs, static_paths);
    (shape.search, shape.json, shape.library) = (r.search.take(), r.json.take(), r.library.take());
    shape.list_values = Some(std::mem::take(&mut r.list_values));
    Ok((summary, shape))
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
    render_items_with(&mut Compiled::new(hb, theme)?, hb, theme, static_names, items)
}

/// `render_items` with templates compiled before.
pub(crate) fn render_items_with(
    compiled: &mut Compiled,
    hb: &Handbook,
    theme: &Theme,
    static_names: &HashSet<&str>,
    items: &[crate::model::ItemRef],
) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    use crate::model::Collection;
    let guide_order = compiled.ready(hb, theme).map_err(one)?;
    let r = Renderer::new(hb, &compiled.0, theme, static_names, guide_order);
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

/// A theme's templates compiled once, for the preview's many renders with
/// the same theme; the site's globals are set again before each.
pub(crate) struct Compiled(Tera);

impl Compiled {
    pub(crate) fn new(hb: &Handbook, theme: &Theme) -> Result<Self, Diagnostics> {
        compile(hb, theme).map(|(tera, _)| Compiled(tera)).map_err(one)
    }

    /// The templates with `hb`'s globals; returns its guide order.
    fn ready(&mut self, hb: &Handbook, theme: &Theme) -> Result<Vec<usize>, Diagnostic> {
        let (guide_order, site) = site_view(hb);
        let site = tera::Value::try_from_serializable(&site).map_err(|e| templates::error(&e, theme))?;
        self.0.global_context().insert_value("site", site);
        Ok(guide_order)
    }
}

/// What an edit changed in a site, rendered.
#[derive(Debug)]
pub(crate) struct Patch {
    /// Every output that may differ from the last render (some may not).
    pub files: Vec<OutFile>,
    /// The whole site's render warnings (missing avatars).
    pub warnings: Vec<Diagnostic>,
    /// The site's shape now, for the next patch.
    pub shape: Shape,
}

/// Renders only the outputs of `hb` that may differ from the last render,
/// whose shape was `shape`, now that the model changed by `delta` (see
/// `affected`). `None` when the site's shape changed: render it all.
pub(crate) fn render_changed(
    compiled: &mut Compiled,
    hb: &Handbook,
    delta: &crate::model::patch::Delta,
    mut shape: Shape,
    theme: &Theme,
    static_names: &HashSet<&str>,
) -> Result<Option<Patch>, Diagnostics> {
    let guide_order = compiled.ready(hb, theme).map_err(one)?;
    let mut r = Renderer::new(hb, &compiled.0, theme, static_names, guide_order);
    // Cards and entries show their item alone.
    if let Some(kept) = shape.list_values.take().filter(|v| v.fits(hb.personas.len(), hb.assets.len())) {
        r.list_values = kept.renewed(delta.changed.iter().copied());
    }
    let Some((jobs, mut shape)) = affected::jobs(delta, &r, shape) else { return Ok(None) };
    let results: Vec<Result<OutFile, Diagnostic>> = jobs.par_iter().map(|j| r.run(j)).collect();
    let mut errors = Diagnostics::default();
    let mut files = Vec::with_capacity(results.len());
    for res in results {
        match res {
            Ok(file) => files.push(file),
            Err(d) => errors.push(d),
        }
    }
    if errors.has_errors() {
        errors.sort();
        return Err(errors);
    }
    (shape.search, shape.json, shape.library) = (r.search.take(), r.json.take(), r.library.take());
    shape.list_values = Some(std::mem::take(&mut r.list_values));
    Ok(Some(Patch { files, warnings: r.warnings, shape }))
}

/// The templates compiled with the site's globals, and the guide pages in
/// navigation order (the navigation links to the first one).
fn compile(hb: &Handbook, theme: &Theme) -> Result<(Tera, Vec<usize>), Diagnostic> {
    let (guide_order, site) = site_view(hb);
    let tera = templates::compile(theme, &site)?;
    Ok((tera, guide_order))
}

/// The guide pages in navigation order, and the `site` global.
fn site_view(hb: &Handbook) -> (Vec<usize>, SiteView<'_>) {
    let guide_order = guide_order(hb);
    let first_guide =
        guide_order.first().map(|&i| url::page_file(&url::dir_of(crate::model::Collection::Page, &hb.pages[i].id)));
    (guide_order, SiteView::new(hb, first_guide))
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
    /// Whether the handbook has analytics (the insights page, the heat map's files).
    evidence: bool,
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
            evidence: hb.evidence.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_static_files_go_to_their_section() {
        assert_eq!(THEME_STATIC_DIR, site_path::section_dir(site_path::THEME_STATIC));
    }
}
