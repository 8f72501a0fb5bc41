//! The one pipeline that `check`, `build` and `serve` share:
//! load -> resolve -> prepare (theme and `static/`) -> render. Writing to
//! disk is `output`'s job; [`Incremental`] runs the same steps again and
//! again for the preview.

mod first_pages;
mod history;
mod incremental;

pub use first_pages::OnDemand;
pub use incremental::{Change, ChangeKind, Incremental};

use crate::diagnostic::Diagnostics;
use crate::model::{self, Handbook, ResolveOptions};
use crate::output::Staging;
pub use crate::render::Progress;
use crate::render::{self, Site};
use crate::theme::Theme;
use crate::Error;
use std::path::{Path, PathBuf};

/// What a build should produce.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The handbook folder.
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Overrides `base_url` from handbook.yaml.
    pub base_url: Option<String>,
    /// The date reviews are measured against.
    pub today: jiff::civil::Date,
    /// Told as `build_to_disk` renders each file (a progress line).
    pub progress: Option<Progress>,
}

impl BuildOptions {
    /// Options for the handbook at `root` with today's date and no drafts.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions { root: root.into(), drafts: false, base_url: None, today: today(), progress: None }
    }
}

/// A successful build: the site in memory, the model, and any warnings.
#[derive(Debug)]
pub struct Built {
    pub site: Site,
    pub handbook: Handbook,
    pub diagnostics: Diagnostics,
}

/// Loads, resolves and renders the handbook: the site in memory, or every
/// error found. Warnings come back with the site. Writes nothing.
pub fn build(opts: &BuildOptions) -> Result<Built, Diagnostics> {
    let (handbook, diagnostics) = resolve_with_history(opts);
    render_resolved(handbook, diagnostics, opts)
}

/// The resolve step of `build`, on files already loaded (`serve` keeps
/// them between builds and re-reads only what changed). Takes the files by
/// value: their front-matter values move into the model.
pub fn resolve_loaded(loaded: crate::load::Loaded, opts: &BuildOptions) -> (Handbook, Diagnostics) {
    let resolve_opts = ResolveOptions { include_drafts: opts.drafts, today: opts.today };
    let (mut handbook, diagnostics) = model::resolve(loaded, resolve_opts);
    if let Some(url) = &opts.base_url {
        handbook.config.base_url = url.clone();
    }
    (handbook, diagnostics)
}

/// Loads and resolves the handbook while its history is read beside, then
/// gives the model the history. The loaded files are dropped before
/// rendering: the model holds what it needs.
fn resolve_with_history(opts: &BuildOptions) -> (Handbook, Diagnostics) {
    let root = &opts.root;
    let ((mut handbook, mut diagnostics), read) =
        history::beside(|| history::read(root), || resolve_loaded(crate::load::load(root), opts));
    history::attach(&mut handbook, read, &mut diagnostics);
    diagnostics.sort();
    (handbook, diagnostics)
}

/// A good build kept in memory: the site, and the warnings found on the way.
#[derive(Debug, Default)]
pub struct Fresh {
    pub site: Site,
    pub warnings: Diagnostics,
    /// `site` holds only the files that may differ from the last good build
    /// of the same builder; every other file is as it was (none is gone).
    pub partial: bool,
    /// How many outputs were rendered from the model (pages, data files,
    /// exports; not the static files copied).
    pub rendered: usize,
}

/// The render step of `build`: theme, static files, pages, in memory.
pub fn render_resolved(
    handbook: Handbook,
    diagnostics: Diagnostics,
    opts: &BuildOptions,
) -> Result<Built, Diagnostics> {
    let (inputs, mut diagnostics) = prepare(&handbook, diagnostics, opts)?;
    let rendered = render::render(&handbook, &inputs.theme, inputs.static_files)?;
    diagnostics.extend(rendered.warnings);
    diagnostics.sort();
    Ok(Built { site: rendered.site, handbook, diagnostics })
}

/// What rendering reads besides the model.
struct Prepared {
    theme: Theme,
    static_files: Vec<(String, Vec<u8>)>,
}

/// The step between resolve and render, shared by every build: reads the
/// theme and `static/` and checks them against the model; fails with every
/// error found so far.
fn prepare(
    handbook: &Handbook,
    mut diagnostics: Diagnostics,
    opts: &BuildOptions,
) -> Result<(Prepared, Diagnostics), Diagnostics> {
    let mut found = Vec::new();
    let theme = Theme::load(&opts.root, &handbook.config.theme, &mut found);
    let static_files = crate::load::statics::read_static(&opts.root, &mut found);
    render::conflicts::static_conflicts(handbook, static_files.iter().map(|(p, _)| p.as_str()), &mut found);
    diagnostics.extend(found);
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    Ok((Prepared { theme, static_files }, diagnostics))
}

/// A site written to disk.
#[derive(Debug)]
pub struct Written {
    pub handbook: Handbook,
    /// Warnings.
    pub diagnostics: Diagnostics,
    pub summary: render::Summary,
    /// The output folder.
    pub out: PathBuf,
}

/// The whole pipeline for `build`: load, resolve, render, and write each
/// file as it is rendered into a staging folder that replaces `output`
/// (default: the config's `output_dir`) only when everything succeeded.
/// Fails with `Error::Build` (every problem found) or `Error::Output`
/// (the output folder is left as it was).
pub fn build_to_disk(opts: &BuildOptions, output: Option<&Path>) -> Result<Written, Error> {
    let (handbook, diagnostics) = resolve_with_history(opts);
    let (inputs, mut diagnostics) = prepare(&handbook, diagnostics, opts).map_err(Error::Build)?;
    let out = output.map_or_else(|| opts.root.join(&handbook.config.output_dir), Path::to_path_buf);
    let staging = Staging::begin(&out, &opts.root).map_err(Error::Output)?;
    let summary = render::render_into(&handbook, &inputs.theme, inputs.static_files, &staging, opts.progress.as_ref())
        .map_err(|e| match e {
            render::RenderError::Diagnostics(d) => Error::Build(d),
            render::RenderError::Sink(e) => Error::Output(e),
        })?;
    staging.commit().map_err(Error::Output)?;
    diagnostics.extend(summary.warnings.iter().cloned());
    diagnostics.sort();
    Ok(Written { handbook, diagnostics, summary, out })
}

/// Loads and resolves the handbook at `root`, and checks that `static/`
/// (listed, not read) does not collide with the site's pages.
pub fn check(root: &Path, opts: ResolveOptions) -> (Handbook, Diagnostics) {
    let loaded = crate::load::load(root);
    let (hb, mut diags) = model::resolve(loaded, opts);
    let mut found = Vec::new();
    let listed = crate::load::statics::list_static(root, &mut found);
    render::conflicts::static_conflicts(&hb, listed.iter().map(|(path, _)| path.as_str()), &mut found);
    if !found.is_empty() {
        diags.extend(found);
        diags.sort();
    }
    (hb, diags)
}

/// `checked 2 personas, 1 asset, 0 pages: 1 error, 0 warnings`: the last
/// line of `check`.
pub fn check_summary(hb: &Handbook, diags: &Diagnostics) -> String {
    use crate::text::count;
    format!(
        "checked {}, {}, {}: {}, {}",
        count(hb.personas.len(), "persona"),
        count(hb.assets.len(), "asset"),
        count(hb.pages.len(), "page"),
        count(diags.error_count(), "error"),
        count(diags.warning_count(), "warning"),
    )
}

/// `rendered 2 personas, 1 asset, 0 guide pages into 18 pages and 25
/// files`: what `build --verbose` adds about a written site.
pub fn build_counts(written: &Written) -> String {
    use crate::text::count;
    let hb = &written.handbook;
    format!(
        "rendered {}, {}, {} into {} and {}",
        count(hb.personas.len(), "persona"),
        count(hb.assets.len(), "asset"),
        count(hb.pages.len(), "guide page"),
        count(written.summary.pages, "page"),
        count(written.summary.files, "file"),
    )
}

/// Today's date in the local time zone (the date reviews are measured against).
pub fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}
