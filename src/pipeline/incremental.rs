//! The pipeline run again and again, for the live preview: the same steps
//! as [`super::build`], keeping what it read and resolved between builds,
//! so a save re-parses only the files whose bytes changed, a style change
//! skips the model altogether, and the edited items' own pages are ready
//! first (see [`Incremental::preview`]).
//!
//! It never watches, serves or prints: `serve` tells it what changed and
//! shows what it returns.

use super::{prepare, BuildOptions, Fresh, Prepared};
use crate::diagnostic::Diagnostics;
use crate::layout::{self, Input};
use crate::load::{self, Loaded};
use crate::model::{Collection, Handbook, ItemRef};
use crate::render::{self, Site, THEME_STATIC_DIR};
use std::collections::HashSet;

/// What happened to one input file, relative to the handbook root with `/`
/// separators (`content/personas/ana.md`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Added,
    Modified,
    Removed,
}

/// The pipeline with what it read kept between builds.
///
/// The protocol: [`build`](Self::build) once; then, for each batch of
/// changes, optionally [`preview`](Self::preview), then
/// [`rebuild`](Self::rebuild) with the same changes. A preview resolves the
/// model for the changes and leaves it for the rebuild that follows, which
/// only renders it; a rebuild without a preview resolves itself.
pub struct Incremental {
    opts: BuildOptions,
    files: Kept,
    model: Model,
    /// The theme and `static/` the last preview rendered with, under the
    /// theme's name, until one of their files (or the config) changes.
    look: Option<(String, Prepared)>,
    /// The history last read, read again when HEAD moves.
    history: super::history::Cached,
}

/// The model the next rebuild may start from.
enum Model {
    /// None: the next rebuild resolves the files (the first build, or the
    /// last one failed).
    None,
    /// The model `preview` resolved for the changes the next `rebuild` gets.
    Previewed(Handbook, Diagnostics),
    /// The last good build's model with the resolver's diagnostics, for a
    /// rebuild that changes no content (static files, templates).
    Built(Handbook, Diagnostics),
}

impl Incremental {
    pub fn new(opts: BuildOptions) -> Self {
        Incremental { opts, files: Kept::default(), model: Model::None, look: None, history: Default::default() }
    }

    /// Builds the whole site, reading every file.
    pub fn build(&mut self) -> Result<Fresh, Diagnostics> {
        self.files = Kept::default();
        self.model = Model::None;
        self.look = None;
        let (hb, diags) = self.resolve(&[]);
        let result = self.finish(hb, diags);
        self.files.catch_up();
        result
    }

    /// `build`, handing `early` the site's pages to render one at a time as
    /// soon as the model is resolved, while the whole site renders (the
    /// preview's first pages, see `first_pages`).
    pub fn build_early(&mut self, early: impl FnOnce(std::sync::Arc<super::OnDemand>)) -> Result<Fresh, Diagnostics> {
        self.files = Kept::default();
        self.model = Model::None;
        self.look = None;
        let (hb, diags) = self.resolve(&[]);
        let from_resolve = diags.clone();
        let built = super::first_pages::render_beside(hb, diags, &self.opts, early);
        self.files.catch_up();
        let built = built?;
        self.model = Model::Built(built.handbook, from_resolve);
        Ok(Fresh { site: built.site, warnings: built.diagnostics })
    }

    /// Builds the whole site again after `changes`, re-reading only the
    /// changed files, and resolving only when content or the config changed.
    pub fn rebuild(&mut self, changes: &[Change]) -> Result<Fresh, Diagnostics> {
        let (hb, diags) = match std::mem::replace(&mut self.model, Model::None) {
            Model::Previewed(hb, diags) => (hb, diags),
            Model::Built(hb, diags) if !reaches_model(changes) => (hb, diags),
            Model::Built(..) | Model::None => self.resolve(changes),
        };
        let result = self.finish(hb, diags);
        self.files.catch_up();
        result
    }

    /// The few files that show `changes` at once: the edited items' own
    /// pages, exactly as the full build renders them, and changed static
    /// files. `None` when there is nothing to show first or the change
    /// breaks the build (the rebuild that follows reports it).
    pub fn preview(&mut self, changes: &[Change]) -> Option<Site> {
        if changes.iter().any(|c| {
            matches!(layout::classify(&c.path), Some(Input::Config | Input::Static { .. } | Input::Theme { .. }))
        }) {
            self.look = None;
        }
        let mut quick = Site::default();
        if reaches_model(changes) {
            let (hb, diags) = self.resolve(changes);
            let items: Vec<ItemRef> = changes.iter().filter_map(|c| item_of(&hb, &c.path)).collect();
            if !diags.has_errors() && !items.is_empty() {
                quick.files.extend(self.own_pages(&hb, &items)?);
            }
            self.model = Model::Previewed(hb, diags);
        }
        let theme = match &self.model {
            Model::Built(hb, _) | Model::Previewed(hb, _) => hb.config.theme.as_str(),
            Model::None => layout::DEFAULT_THEME,
        };
        quick.files.extend(static_files(&self.opts, theme, changes));
        (!quick.files.is_empty()).then_some(quick)
    }

    /// Loads (again, re-reading only the changed files when it can) and resolves.
    fn resolve(&mut self, changes: &[Change]) -> (Handbook, Diagnostics) {
        // A preview left open overnight measures reviews against the new day.
        self.opts.today = super::today();
        let Incremental { opts, files, history, .. } = self;
        let (loaded, read) = std::thread::scope(|s| {
            let read = s.spawn(|| history.current(&opts.root));
            let loaded = files.take(opts, changes);
            (loaded, read.join())
        });
        let read = read.unwrap_or_else(|_| Err(crate::history::HistoryError::Git("the history reader crashed".into())));
        super::resolve_with_history(loaded, read, &self.opts)
    }

    /// Renders a resolved model; keeps it for a rebuild that changes no content.
    fn finish(&mut self, hb: Handbook, diags: Diagnostics) -> Result<Fresh, Diagnostics> {
        let from_resolve = diags.clone();
        let built = super::render_resolved(hb, diags, &self.opts)?;
        self.model = Model::Built(built.handbook, from_resolve);
        Ok(Fresh { site: built.site, warnings: built.diagnostics })
    }

    /// The items' own pages; `None` if anything is off (the full build reports it).
    fn own_pages(&mut self, hb: &Handbook, items: &[ItemRef]) -> Option<Vec<(String, Vec<u8>)>> {
        let name = &hb.config.theme;
        if self.look.as_ref().is_none_or(|(cached, _)| cached != name) {
            let (prepared, _) = prepare(hb, Diagnostics::default(), &self.opts).ok()?;
            self.look = Some((name.clone(), prepared));
        }
        let (_, look) = self.look.as_ref()?;
        let names: HashSet<&str> = look.static_files.iter().map(|(p, _)| p.as_str()).collect();
        render::render_items(hb, &look.theme, &names, items).ok()
    }
}

/// The raw files, kept in two copies: a resolve consumes one (it moves
/// front-matter values into the model, so a save pays no copy first); the
/// other is brought up to date after each build, off the path to the
/// screen, and copied for the next save.
#[derive(Default)]
struct Kept {
    /// Ready for the next resolve to consume.
    ready: Option<Loaded>,
    /// The copy kept.
    spare: Option<Loaded>,
    /// Paths changed since `spare` (and `ready`) were read.
    behind: Vec<String>,
}

impl Kept {
    /// The files as they are now, for a resolve to consume.
    fn take(&mut self, opts: &BuildOptions, changes: &[Change]) -> Loaded {
        self.behind.extend(changes.iter().map(|c| c.path.clone()));
        if let Some(ready) = self.ready.take() {
            return load::reload(ready, &self.behind);
        }
        // No copy ready (the first build, or two saves in a row): read
        // what is needed and keep a copy now.
        let loaded = match self.spare.take() {
            Some(spare) => load::reload(spare, &self.behind),
            None => load::load(&opts.root),
        };
        self.spare = Some(loaded.clone());
        self.behind.clear();
        loaded
    }

    /// Brings the kept copy up to date and makes the one the next save's
    /// resolve will consume; run after a build, when nobody waits.
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
}

/// Whether the changes reach the model: content, the config or the history.
fn reaches_model(changes: &[Change]) -> bool {
    changes
        .iter()
        .any(|c| c.path == layout::HISTORY_INPUT || layout::classify(&c.path).is_some_and(|i| i.reaches_model()))
}

/// Changed static files, copied as they are: the handbook's `static/x` is
/// the site's `x`, the theme's `themes/<name>/static/x` its `static/x`.
/// Removed files are left to the full rebuild (a theme file may fall back
/// to the built-in one).
fn static_files(opts: &BuildOptions, theme: &str, changes: &[Change]) -> Vec<(String, Vec<u8>)> {
    changes
        .iter()
        .filter(|c| c.kind != ChangeKind::Removed)
        .filter_map(|c| {
            let out = match layout::classify(&c.path)? {
                Input::Static { path } => path.to_string(),
                Input::Theme { name, path } if name == theme => {
                    let inside = path.strip_prefix(layout::THEME_STATIC_DIR)?.strip_prefix('/')?;
                    format!("{THEME_STATIC_DIR}{inside}")
                }
                _ => return None,
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
