//! The pipeline run again and again, for the live preview: the same steps
//! as [`super::build`], keeping the resolved model between builds, so a
//! save re-reads and re-resolves only the saved file (`model::patch`), a
//! style change skips the model altogether, the edited items' own pages are
//! ready first (see [`Incremental::preview`]), and the rebuild renders only
//! the outputs the save reaches (`render::render_changed`).
//!
//! It never watches, serves or prints: `serve` tells it what changed and
//! shows what it returns.

use super::OnDemand;
use super::{prepare, BuildOptions, Fresh};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::layout::{self, Input};
use crate::model::patch::{self, Delta, Parts};
use crate::model::{self, Collection, Handbook, ItemRef, ResolveOptions};
use crate::render::{self, Pack, Shape, Site, THEME_STATIC_DIR};
use crate::theme::Theme;
use std::collections::HashSet;
use std::sync::Arc;

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

/// The pipeline with the resolved model kept between builds.
///
/// The protocol: [`build`](Self::build) once; then, for each batch of
/// changes, optionally [`preview`](Self::preview), then
/// [`rebuild`](Self::rebuild) with the same changes. A preview brings the
/// model up to date and leaves it for the rebuild that follows, which only
/// renders it; a rebuild without a preview does both. A rebuild after a
/// good build that keeps the site's shape returns only the outputs the
/// changes reach, as a [`Fresh`] with `partial` set.
pub struct Incremental {
    opts: BuildOptions,
    /// The model as the files are now, with what each file gave it; `None`
    /// before the first build.
    model: Option<Model>,
    /// The last good render of `model`; `None` when the next build must
    /// render everything (nothing rendered yet, a failed build, a resolve
    /// of every file).
    site: Option<Made>,
    /// How `preview` changed the model for the next `rebuild`.
    pending: Pending,
    /// The theme and `static/` the last build or preview rendered with,
    /// until one of their files (or the config) changes.
    look: Option<Look>,
    /// The history last read, read again when HEAD moves.
    history: super::history::Cached,
    /// What each file of a whole render goes through (see [`Pack`]).
    pack: Option<Pack>,
}

/// Told once the model is resolved: the pages on demand of a first build.
type Early<'a> = Box<dyn FnOnce(Arc<OnDemand>) + 'a>;

struct Model {
    hb: Handbook,
    parts: Parts,
}

/// What the last good render made: the site's shape and its warnings.
struct Made {
    shape: Shape,
    warnings: Vec<Diagnostic>,
}

/// How the model changed since the site was rendered.
enum Pending {
    Nothing,
    /// Files resolved again alone: what changed.
    Patched(Delta),
    /// Everything resolved again.
    Resolved,
}

/// The theme and static files, with what reading them found.
struct Look {
    name: String,
    theme: Theme,
    /// Its templates, compiled on first use.
    compiled: Option<render::Compiled>,
    static_names: Vec<String>,
    found: Diagnostics,
}

impl Incremental {
    pub fn new(opts: BuildOptions) -> Self {
        let history = Default::default();
        Incremental { opts, model: None, site: None, pending: Pending::Nothing, look: None, history, pack: None }
    }

    /// Sends every file of a whole render through `pack` as it is made (the
    /// site comes back `packed`); partial renders stay as rendered.
    pub fn pack_with(&mut self, pack: Pack) {
        self.pack = Some(pack);
    }

    /// Builds the whole site, reading every file.
    pub fn build(&mut self) -> Result<Fresh, Diagnostics> {
        (self.site, self.pending, self.look) = (None, Pending::Nothing, None);
        self.resolve_all();
        self.render_all()
    }

    /// `build`, handing `early` the site's pages to render one at a time as
    /// soon as the model is resolved, while the whole site renders (the
    /// preview's first pages, see `first_pages`).
    pub fn build_early(&mut self, early: impl FnOnce(Arc<OnDemand>)) -> Result<Fresh, Diagnostics> {
        (self.site, self.pending, self.look) = (None, Pending::Nothing, None);
        self.resolve_all();
        self.render_whole(Some(Box::new(early)))
    }

    /// Builds again after `changes`: re-reads and re-resolves only the
    /// saved files when it can, and renders only what they reach when the
    /// site keeps its shape.
    pub fn rebuild(&mut self, changes: &[Change]) -> Result<Fresh, Diagnostics> {
        if touches_look(changes) {
            self.look = None;
        }
        let pending = match std::mem::replace(&mut self.pending, Pending::Nothing) {
            Pending::Nothing if reaches_model(changes) || self.model.is_none() => self.update_model(changes),
            pending => pending,
        };
        match pending {
            Pending::Patched(delta) if !touches_look(changes) => self.render_patch(&delta),
            Pending::Patched(_) | Pending::Resolved => self.render_all(),
            Pending::Nothing => self.restyle(changes),
        }
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
            let before = std::mem::replace(&mut self.pending, Pending::Nothing);
            let now = self.update_model(changes);
            self.pending = match (before, now) {
                (Pending::Patched(mut a), Pending::Patched(b)) => {
                    a.merge(b);
                    Pending::Patched(a)
                }
                (_, now) => now,
            };
            let model = self.model.as_ref()?;
            let items: Vec<ItemRef> = changes.iter().filter_map(|c| item_of(&model.hb, &c.path)).collect();
            if !items.is_empty() && !model.parts.diagnostics().has_errors() {
                let look = look_for(&mut self.look, &self.opts, &model.hb)?;
                let names: HashSet<&str> = look.static_names.iter().map(String::as_str).collect();
                let compiled = look.compiled.as_mut()?;
                quick.files.extend(render::render_items_with(compiled, &model.hb, &look.theme, &names, &items).ok()?);
            }
        }
        let theme = self.model.as_ref().map_or(layout::DEFAULT_THEME, |m| m.hb.config.theme.as_str());
        quick.files.extend(static_files(&self.opts, theme, changes));
        (!quick.files.is_empty()).then_some(quick)
    }

    /// Brings the model up to date with `changes`: the saved files alone
    /// when it can, else every file.
    fn update_model(&mut self, changes: &[Change]) -> Pending {
        if let Some(delta) = self.patch(changes) {
            return Pending::Patched(delta);
        }
        self.resolve_all();
        Pending::Resolved
    }

    /// Resolves the saved files again alone, when every change is a save of
    /// a file the model has and the day is the same.
    fn patch(&mut self, changes: &[Change]) -> Option<Delta> {
        let model = self.model.as_mut()?;
        let alone = model.hb.today == super::today()
            && changes.iter().all(|c| {
                c.kind == ChangeKind::Modified
                    && matches!(layout::classify(&c.path), Some(Input::Content { .. }))
                    && model.parts.has(&c.path)
            });
        if !alone {
            return None;
        }
        let mut delta = Delta::default();
        for c in changes {
            let file = crate::load::read_one(&self.opts.root, &c.path)?;
            delta.merge(patch::patch(&mut model.hb, &mut model.parts, file)?);
        }
        Some(delta)
    }

    /// Loads and resolves every file; the site must be rendered whole next.
    fn resolve_all(&mut self) {
        // A preview left open overnight measures reviews against the new day.
        self.opts.today = super::today();
        self.site = None;
        let Incremental { opts, history, .. } = self;
        let resolve_opts = ResolveOptions { include_drafts: opts.drafts, today: opts.today };
        let root = &opts.root;
        let ((mut hb, mut parts), read) = super::history::beside(
            || history.current(root),
            || model::resolve_parts(crate::load::load(root), resolve_opts),
        );
        if let Some(url) = &self.opts.base_url {
            hb.config.base_url = url.clone();
        }
        let mut found = Diagnostics::default();
        super::history::attach(&mut hb, read, &mut found);
        parts.add(found);
        self.model = Some(Model { hb, parts });
    }

    /// Renders what `delta` reaches over the last good render, when the
    /// site kept its shape; else everything.
    fn render_patch(&mut self, delta: &Delta) -> Result<Fresh, Diagnostics> {
        let (Some(model), Some(made)) = (&self.model, self.site.take()) else { return self.render_all() };
        let resolved = model.parts.diagnostics();
        if resolved.has_errors() {
            return self.render_all();
        }
        let Some(look) = look_for(&mut self.look, &self.opts, &model.hb) else { return self.render_all() };
        let names: HashSet<&str> = look.static_names.iter().map(String::as_str).collect();
        let Some(compiled) = look.compiled.as_mut() else { return self.render_all() };
        let patch = match render::render_changed(compiled, &model.hb, delta, made.shape, &look.theme, &names) {
            Ok(Some(patch)) => patch,
            Ok(None) => return self.render_all(),
            Err(d) => return Err(d),
        };
        let warnings = merged(&resolved, &look.found, &patch.warnings);
        let rendered = patch.files.len();
        let site = Site { files: patch.files.into_iter().collect(), packed: false };
        self.site = Some(Made { shape: patch.shape, warnings: patch.warnings });
        Ok(Fresh { site, warnings, partial: true, rendered })
    }

    /// Static files changed in place, and nothing else: copies them over
    /// the last build. Anything else renders the whole site again.
    fn restyle(&mut self, changes: &[Change]) -> Result<Fresh, Diagnostics> {
        let (Some(model), Some(made)) = (&self.model, &self.site) else { return self.render_all() };
        let files = static_files(&self.opts, &model.hb.config.theme, changes);
        let in_place = changes.iter().all(|c| c.kind == ChangeKind::Modified)
            && files.len() == changes.len()
            && files.iter().all(|(path, _)| made.shape.has_static(path));
        let look = look_for(&mut self.look, &self.opts, &model.hb).filter(|_| in_place);
        let Some(look) = look else { return self.render_all() };
        let warnings = merged(&model.parts.diagnostics(), &look.found, &made.warnings);
        let site = Site { files: files.into_iter().collect(), packed: false };
        Ok(Fresh { site, warnings, partial: true, rendered: 0 })
    }

    /// Renders the model whole (resolving it first if there is none).
    fn render_all(&mut self) -> Result<Fresh, Diagnostics> {
        self.render_whole(None)
    }

    /// `render_all`, handing `early` the pages on demand while it renders.
    fn render_whole(&mut self, early: Option<Early<'_>>) -> Result<Fresh, Diagnostics> {
        (self.look, self.site) = (None, None);
        if self.model.is_none() {
            self.resolve_all();
        }
        let Some(model) = &self.model else { return Err(Diagnostics::default()) };
        let resolved = model.parts.diagnostics();
        let (prepared, found) = match prepare(&model.hb, Diagnostics::default(), &self.opts) {
            Ok(ok) => ok,
            Err(found) => return Err(merged(&resolved, &found, &[])),
        };
        if resolved.has_errors() {
            return Err(merged(&resolved, &found, &[]));
        }
        let static_names = prepared.static_files.iter().map(|(p, _)| p.clone()).collect();
        let (hb, theme, files, pack) = (&model.hb, &prepared.theme, prepared.static_files, self.pack);
        let (out, shape) = match early {
            Some(early) => super::first_pages::beside(hb, theme, files.clone(), early, |progress| {
                render::render_shaped(hb, theme, files, Some(progress), pack)
            })?,
            None => render::render_shaped(hb, theme, files, None, pack)?,
        };
        let warnings = merged(&resolved, &found, &out.warnings);
        let rendered = shape.job_count() + 1;
        let name = model.hb.config.theme.clone();
        self.look = Some(Look { name, theme: prepared.theme, compiled: None, static_names, found });
        self.site = Some(Made { shape, warnings: out.warnings });
        Ok(Fresh { site: out.site, warnings, partial: false, rendered })
    }
}

/// The theme and static files for `hb`, read again when they changed;
/// `None` if anything is off (the full build reports it).
fn look_for<'a>(look: &'a mut Option<Look>, opts: &BuildOptions, hb: &Handbook) -> Option<&'a mut Look> {
    let name = &hb.config.theme;
    if look.as_ref().is_none_or(|l| &l.name != name) {
        let (prepared, found) = prepare(hb, Diagnostics::default(), opts).ok()?;
        let static_names = prepared.static_files.iter().map(|(p, _)| p.clone()).collect();
        *look = Some(Look { name: name.clone(), theme: prepared.theme, compiled: None, static_names, found });
    }
    let look = look.as_mut()?;
    if look.compiled.is_none() {
        look.compiled = Some(render::Compiled::new(hb, &look.theme).ok()?);
    }
    Some(look)
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
