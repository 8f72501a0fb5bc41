//! The builder `serve` runs for real: the same pipeline as `build`, keeping
//! the loaded files between builds so a save re-reads and re-parses only
//! the files whose bytes changed, and handing over the edited items' own
//! pages first (see [`Builder::preview`]).

use super::{BuildResult, Builder, Change, Fresh};
use crate::diagnostic::Diagnostics;
use crate::load::{self, Loaded};
use crate::model::{Collection, Handbook, ItemRef};
use crate::pipeline::{self, BuildOptions};
use crate::render::{self, Site};
use crate::theme::Theme;
use std::collections::HashSet;

/// The real pipeline, with what it read kept between builds.
pub struct PipelineBuilder {
    opts: BuildOptions,
    loaded: Option<Loaded>,
    /// The model `preview` resolved, for the `rebuild` that follows it.
    resolved: Option<(Handbook, Diagnostics)>,
}

impl PipelineBuilder {
    pub fn new(opts: BuildOptions) -> Self {
        PipelineBuilder { opts, loaded: None, resolved: None }
    }

    /// Loads again, re-reading only the changed files when it can.
    fn load(&mut self, changes: &[Change]) -> Loaded {
        // A preview left open overnight measures reviews against the new day.
        self.opts.today = pipeline::today();
        match self.loaded.take() {
            Some(previous) => load::reload(previous, &changes.iter().map(|c| c.path.clone()).collect::<Vec<_>>()),
            None => load::load(&self.opts.root),
        }
    }

    fn resolve(&mut self, changes: &[Change]) -> (Handbook, Diagnostics) {
        let loaded = self.load(changes);
        let resolved = pipeline::resolve_loaded(&loaded, &self.opts);
        self.loaded = Some(loaded);
        resolved
    }
}

impl Builder for PipelineBuilder {
    fn build(&mut self) -> BuildResult {
        self.loaded = None;
        self.resolved = None;
        let (hb, diags) = self.resolve(&[]);
        finish(hb, diags, &self.opts)
    }

    fn rebuild(&mut self, changes: &[Change]) -> BuildResult {
        let (hb, diags) = match self.resolved.take() {
            Some(resolved) => resolved,
            None => self.resolve(changes),
        };
        finish(hb, diags, &self.opts)
    }

    fn preview(&mut self, changes: &[Change]) -> Option<Site> {
        let (hb, diags) = self.resolve(changes);
        let items: Vec<ItemRef> = changes.iter().filter_map(|c| item_of(&hb, &c.path)).collect();
        let quick = if diags.has_errors() || items.is_empty() { None } else { own_pages(&hb, &self.opts, &items) };
        self.resolved = Some((hb, diags));
        quick
    }
}

fn finish(hb: Handbook, diags: Diagnostics, opts: &BuildOptions) -> BuildResult {
    pipeline::render_resolved(hb, diags, opts).map(|built| Fresh { site: built.site, warnings: built.diagnostics })
}

/// The persona, asset or guide page read from `path` (`content/...md`).
fn item_of(hb: &Handbook, path: &str) -> Option<ItemRef> {
    let at = |collection, index: Option<usize>| index.map(|index| ItemRef { collection, index });
    at(Collection::Persona, hb.personas.iter().position(|p| p.source == path))
        .or_else(|| at(Collection::Asset, hb.assets.iter().position(|a| a.source == path)))
        .or_else(|| at(Collection::Page, hb.pages.iter().position(|p| p.source == path)))
}

/// The items' own pages; `None` if anything is off (the full build reports it).
fn own_pages(hb: &Handbook, opts: &BuildOptions, items: &[ItemRef]) -> Option<Site> {
    let mut found = Vec::new();
    let theme = Theme::load(&opts.root, &hb.config.theme, &mut found);
    let static_files = pipeline::read_static(&opts.root, &mut found);
    let names: HashSet<&str> = static_files.iter().map(|(p, _)| p.as_str()).collect();
    let files = render::render_items(hb, &theme, &names, items).ok()?;
    Some(Site { files: files.into_iter().collect() })
}
