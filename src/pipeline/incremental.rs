//! The pipeline run again and again, for the live preview: the same steps
//! as [`super::build`], keeping what it read and resolved between builds,
//! so a save re-parses only the files whose bytes changed, a style change
//! skips the model altogether, and the edited items' own pages are ready
//! first (see [`Incremental::preview`]).
//!
//! It never watches, serves or prints: `serve` tells it what changed and
//! shows what it returns.

use super::{prepare, BuildOptions, Fresh};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::layout::{self, Input};
use crate::load::{self, Loaded};
use crate::model::{Collection, Handbook, ItemRef};
use crate::render::{self, Shape, Site, THEME_STATIC_DIR};
use crate::theme::Theme;
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
/// only renders it; a rebuild without a preview resolves itself. After the
/// first good build, a rebuild that keeps the site's shape renders only the
/// outputs the changes reach (`render::render_changed`) and returns them as
/// a [`Fresh`] with `partial` set.
pub struct Incremental {
    opts: BuildOptions,
    files: Kept,
    /// The last good build; `None` makes the next rebuild render everything.
    last: Option<Last>,
    /// The model `preview` resolved for the changes the next `rebuild` gets.
    previewed: Option<(Handbook, Diagnostics)>,
    /// The theme and `static/` the last build or preview rendered with,
    /// until one of their files (or the config) changes.
    look: Option<Look>,
    /// The history last read, read again when HEAD moves.
    history: super::history::Cached,
}

/// A good build: its model, what the resolver and rendering found, and
/// the site's shape.
struct Last {
    hb: Handbook,
    resolved: Diagnostics,
    rendered: Vec<Diagnostic>,
    shape: Shape,
}

/// The theme and static files, with what reading them found.
struct Look {
    name: String,
    theme: Theme,
    static_names: Vec<String>,
    found: Diagnostics,
}

impl Incremental {
    pub fn new(opts: BuildOptions) -> Self {
        Incremental {
            opts,
            files: Kept::default(),
            last: None,
            previewed: None,
            look: None,
            history: Default::default(),
        }
    }

    /// Builds the whole site, reading every file.
    pub fn build(&mut self) -> Result<Fresh, Diagnostics> {
        self.files = Kept::default();
        (self.last, self.previewed, self.look) = (None, None, None);
        let (hb, diags) = self.resolve(&[]);
        let result = self.render_all(hb, diags);
        self.files.catch_up();
        result
    }

    /// Builds again after `changes`, re-reading only the changed files,
    /// resolving only when content or the config changed, and rendering
    /// only what the changes reach when the site keeps its shape.
    pub fn rebuild(&mut self, changes: &[Change]) -> Result<Fresh, Diagnostics> {
        if touches_look(changes) {
            self.look = None;
        }
        let last = self.last.take();
        let result = match (self.previewed.take(), last) {
            (Some((hb, diags)), last) => self.render_after(last, hb, diags),
            (None, Some(last)) if !reaches_model(changes) => self.restyle(last, changes),
            (None, last) => {
                let (hb, diags) = self.resolve(changes);
                self.render_after(last, hb, diags)
            }
        };
        self.files.catch_up();
        result
    }

    /// The few files that show `changes` at once: the edited items' own
    /// pages, exactly as the full build renders them, and changed static
    /// files. `None` when there is nothing to show first or the change
    /// breaks the build (the rebuild that follows reports it).
    pub fn preview(&mut self, changes: &[Change]) -> Option<Site> {
        if touches_look(changes) {
            self.look = None;
        }
        let mut quick = Site::default();
        if reaches_model(changes) {
            let (hb, diags) = self.resolve(changes);
            let items: Vec<ItemRef> = changes.iter().filter_map(|c| item_of(&hb, &c.path)).collect();
            if !diags.has_errors() && !items.is_empty() {
                let own = self.look_for(&hb).and_then(|look| {
                    let names: HashSet<&str> = look.static_names.iter().map(String::as_str).collect();
                    render::render_items(&hb, &look.theme, &names, &items).ok()
                });
                quick.files.extend(own?);
            }
            self.previewed = Some((hb, diags));
        }
        let theme = match (&self.previewed, &self.last) {
            (Some((hb, _)), _) | (None, Some(Last { hb, .. })) => hb.config.theme.as_str(),
            (None, None) => layout::DEFAULT_THEME,
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

    /// Renders what changed since `last` when the site kept its shape, else everything.
    fn render_after(&mut self, last: Option<Last>, hb: Handbook, resolved: Diagnostics) -> Result<Fresh, Diagnostics> {
        let Some(last) = last else { return self.render_all(hb, resolved) };
        if resolved.has_errors() {
            return self.render_all(hb, resolved);
        }
        let Some(look) = self.look_for(&hb) else { return self.render_all(hb, resolved) };
        let names: HashSet<&str> = look.static_names.iter().map(String::as_str).collect();
        let patch = match render::render_changed(&last.hb, &hb, &last.shape, &look.theme, &names) {
            Ok(Some(patch)) => patch,
            Ok(None) => return self.render_all(hb, resolved),
            Err(d) => return Err(d),
        };
        let warnings = merged(&resolved, &look.found, &patch.warnings);
        let rendered = patch.files.len();
        let site = Site { files: patch.files.into_iter().collect() };
        self.last = Some(Last { hb, resolved, rendered: patch.warnings, shape: last.shape });
        Ok(Fresh { site, warnings, partial: true, rendered })
    }

    /// Static files changed in place, and nothing else: copies them over
    /// the last build. Anything else renders the whole site again.
    fn restyle(&mut self, last: Last, changes: &[Change]) -> Result<Fresh, Diagnostics> {
        let theme = last.hb.config.theme.clone();
        let files = static_files(&self.opts, &theme, changes);
        let in_place = changes.iter().all(|c| c.kind == ChangeKind::Modified)
            && files.len() == changes.len()
            && files.iter().all(|(path, _)| last.shape.has_static(path));
        let Some(look) = self.look_for(&last.hb).filter(|_| in_place) else {
            return self.render_all(last.hb, last.resolved);
        };
        let warnings = merged(&last.resolved, &look.found, &last.rendered);
        self.last = Some(last);
        Ok(Fresh { site: Site { files: files.into_iter().collect() }, warnings, partial: true, rendered: 0 })
    }

    /// Renders a resolved model whole; keeps it for the rebuilds that follow.
    fn render_all(&mut self, hb: Handbook, resolved: Diagnostics) -> Result<Fresh, Diagnostics> {
        self.look = None;
        let (prepared, found) = match prepare(&hb, Diagnostics::default(), &self.opts) {
            Ok(ok) => ok,
            Err(found) => return Err(merged(&resolved, &found, &[])),
        };
        if resolved.has_errors() {
            return Err(merged(&resolved, &found, &[]));
        }
        let static_names = prepared.static_files.iter().map(|(p, _)| p.clone()).collect();
        let (out, shape) = render::render_shaped(&hb, &prepared.theme, prepared.static_files)?;
        let warnings = merged(&resolved, &found, &out.warnings);
        let rendered = shape.job_count() + 1;
        self.look = Some(Look { name: hb.config.theme.clone(), theme: prepared.theme, static_names, found });
        self.last = Some(Last { hb, resolved, rendered: out.warnings, shape });
        Ok(Fresh { site: out.site, warnings, partial: false, rendered })
    }

    /// The theme and static files for `hb`, read again when they changed;
    /// `None` if anything is off (the full build reports it).
    fn look_for(&mut self, hb: &Handbook) -> Option<&Look> {
        let name = &hb.config.theme;
        if self.look.as_ref().is_none_or(|look| &look.name != name) {
            let (prepared, found) = prepare(hb, Diagnostics::default(), &self.opts).ok()?;
            let static_names = prepared.static_files.iter().map(|(p, _)| p.clone()).collect();
            self.look = Some(Look { name: name.clone(), theme: prepared.theme, static_names, found });
        }
        self.look.as_ref()
    }
}

/// What a build found, in order: the resolver's, the theme's and static
/// files', and rendering's.
fn merged(resolved: &Diagnostics, found: &Diagnostics, rendered: &[Diagnostic]) -> Diagnostics {
    let mut all = resolved.clone();
    all.extend(found.iter().cloned());
    all.extend(rendered.iter().cloned());
    all.sort();
    all
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

/// Whether the changes reach the theme or `static/` (or the config, which names the theme).
fn touches_look(changes: &[Change]) -> bool {
    changes
        .iter()
        .any(|c| matches!(layout::classify(&c.path), Some(Input::Config | Input::Static { .. } | Input::Theme { .. })))
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
