//! The builder `serve` runs for real: the same pipeline as `build`, keeping
//! what it read and resolved between builds, so a save re-parses only the
//! files whose bytes changed, a style change skips the model altogether,
//! and the edited items' own pages are handed over first (see
//! [`Builder::preview`]).

use super::{BuildResult, Builder, Change, ChangeKind, Fresh};
use crate::config::CONFIG_FILE;
use crate::diagnostic::Diagnostics;
use crate::load::{self, Loaded};
use crate::model::{Collection, Handbook, ItemRef};
use crate::pipeline::{self, BuildOptions};
use crate::render::{self, Site, THEME_STATIC_DIR};
use crate::theme::Theme;
use std::collections::HashSet;

/// The real pipeline, with what it read kept between builds.
pub struct PipelineBuilder {
    opts: BuildOptions,
    /// The raw files, ready for the next resolve to consume (resolve moves
    /// front-matter values into the model), so a save pays no copy first.
    ready: Option<Loaded>,
    /// A second copy of the same files, kept: after each full rebuild it is
    /// brought up to date and copied into `ready`, off the path to the screen.
    spare: Option<Loaded>,
    /// Paths changed since `spare` (and `ready`) were read.
    behind: Vec<String>,
    /// The theme and the names in `static/` the last preview used, until
    /// one of their files (or the config) changes.
    theme: Option<(String, Theme, Vec<String>)>,
    /// The model `preview` resolved, for the `rebuild` that follows it.
    resolved: Option<(Handbook, Diagnostics)>,
    /// The model of the last good build, with the resolver's diagnostics,
    /// for a rebuild that changes no content (static files, templates).
    last: Option<(Handbook, Diagnostics)>,
}

impl PipelineBuilder {
    pub fn new(opts: BuildOptions) -> Self {
        PipelineBuilder { opts, ready: None, spare: None, behind: Vec::new(), theme: None, resolved: None, last: None }
    }

    /// Loads (again, re-reading only the changed files when it can) and resolves.
    fn resolve(&mut self, changes: &[Change]) -> (Handbook, Diagnostics) {
        // A preview left open overnight measures reviews against the new day.
        self.opts.today = pipeline::today();
        self.behind.extend(changes.iter().map(|c| c.path.clone()));
        let loaded = match self.ready.take() {
            Some(ready) => load::reload(ready, &self.behind),
            None => {
                // No copy ready (the first build, or two saves in a row):
                // read what is needed and keep a copy now.
                let loaded = match self.spare.take() {
                    Some(spare) => load::reload(spare, &self.behind),
                    None => load::load(&self.opts.root),
                };
                self.spare = Some(loaded.clone());
                self.behind.clear();
                loaded
            }
        };
        pipeline::resolve_loaded(loaded, &self.opts)
    }

    /// Brings the kept files up to date and makes the copy the next save's
    /// resolve will consume; run after a full rebuild, when nobody waits.
    fn catch_up(&mut self) {
        if self.ready.is_some() {
            return;
        }
        let Some(spare) = self.spare.take() else { return };
        let spare = if self.behind.is_empty() { spare } else { load::reload(spare, &self.behind) };
        self.behind.clear();
        self.ready = Some(spare.clone());
        self.spare = Some(spare);
    }

    fn finish(&mut self, hb: Handbook, diags: Diagnostics) -> BuildResult {
        let from_resolve = diags.clone();
        let built = pipeline::render_resolved(hb, diags, &self.opts)?;
        self.last = Some((built.handbook, from_resolve));
        Ok(Fresh { site: built.site, warnings: built.diagnostics })
    }

    /// The items' own pages; `None` if anything is off (the full build reports it).
    fn own_pages(&mut self, hb: &Handbook, items: &[ItemRef]) -> Option<Vec<(String, Vec<u8>)>> {
        let name = &hb.config.theme;
        if self.theme.as_ref().is_none_or(|(cached, _, _)| cached != name) {
            let mut found = Vec::new();
            let theme = Theme::load(&self.opts.root, name, &mut found);
            let static_files = pipeline::read_static(&self.opts.root, &mut found);
            let names = static_files.into_iter().map(|(p, _)| p).collect();
            self.theme = Some((name.clone(), theme, names));
        }
        let (_, theme, names) = self.theme.as_ref()?;
        let names: HashSet<&str> = names.iter().map(String::as_str).collect();
        render::render_items(hb, theme, &names, items).ok()
    }
}

impl Builder for PipelineBuilder {
    fn build(&mut self) -> BuildResult {
        self.ready = None;
        self.spare = None;
        self.behind.clear();
        self.theme = None;
        self.resolved = None;
        self.last = None;
        let (hb, diags) = self.resolve(&[]);
        let result = self.finish(hb, diags);
        self.catch_up();
        result
    }

    fn rebuild(&mut self, changes: &[Change]) -> BuildResult {
        let reuse = if touches_model(changes) { None } else { self.last.take() };
        let (hb, diags) = match self.resolved.take().or(reuse) {
            Some(resolved) => resolved,
            None => self.resolve(changes),
        };
        self.last = None;
        let result = self.finish(hb, diags);
        self.catch_up();
        result
    }

    fn preview(&mut self, changes: &[Change]) -> Option<Site> {
        if changes
            .iter()
            .any(|c| c.path == CONFIG_FILE || c.path.starts_with("themes/") || c.path.starts_with("static/"))
        {
            self.theme = None;
        }
        let mut quick = Site::default();
        if touches_model(changes) {
            let (hb, diags) = self.resolve(changes);
            let items: Vec<ItemRef> = changes.iter().filter_map(|c| item_of(&hb, &c.path)).collect();
            if !diags.has_errors() && !items.is_empty() {
                quick.files.extend(self.own_pages(&hb, &items)?);
            }
            self.resolved = Some((hb, diags));
        }
        let theme = self.last.as_ref().map_or("default", |(hb, _)| hb.config.theme.as_str()).to_string();
        quick.files.extend(static_files(&self.opts, &theme, changes));
        (!quick.files.is_empty()).then_some(quick)
    }
}

/// Whether the changes reach the model: content or the config.
fn touches_model(changes: &[Change]) -> bool {
    changes.iter().any(|c| c.path == CONFIG_FILE || c.path.starts_with("content/"))
}

/// Changed static files, copied as they are: the handbook's `static/x` is
/// the site's `x`, the theme's `themes/<name>/static/x` its `static/x`.
/// Removed files are left to the full rebuild (a theme file may fall back
/// to the built-in one).
fn static_files(opts: &BuildOptions, theme: &str, changes: &[Change]) -> Vec<(String, Vec<u8>)> {
    let theme_static = format!("themes/{theme}/static/");
    changes
        .iter()
        .filter(|c| c.kind != ChangeKind::Removed)
        .filter_map(|c| {
            let out = match c.path.strip_prefix("static/") {
                Some(rest) => rest.to_string(),
                None => format!("{THEME_STATIC_DIR}{}", c.path.strip_prefix(&theme_static)?),
            };
            Some((out, std::fs::read(opts.root.join(&c.path)).ok()?))
        })
        .collect()
}

/// The persona, asset or guide page read from `path` (`content/...md`).
fn item_of(hb: &Handbook, path: &str) -> Option<ItemRef> {
    let at = |collection, index: Option<usize>| index.map(|index| ItemRef { collection, index });
    at(Collection::Persona, hb.personas.iter().position(|p| p.source == path))
        .or_else(|| at(Collection::Asset, hb.assets.iter().position(|a| a.source == path)))
        .or_else(|| at(Collection::Page, hb.pages.iter().position(|p| p.source == path)))
}
