//! The one pipeline that `check`, `build` and `serve` share:
//! load -> resolve -> prepare (theme and `static/`) -> render. Writing to
//! disk is `output`'s job; [`Incremental`] runs the same steps again and
//! again for the preview.

mod incremental;

pub use incremental::{Change, ChangeKind, Incremental};

use crate::diagnostic::{display_path, Diagnostic, Diagnostics};
use crate::load::walk;
use crate::model::{self, Handbook, ResolveOptions};
use crate::output::{OutputError, Staging};
use crate::render::{self, Site};
use crate::theme::Theme;
use std::collections::BTreeMap;
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
}

impl BuildOptions {
    /// Options for the handbook at `root` with today's date and no drafts.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions { root: root.into(), drafts: false, base_url: None, today: today() }
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
    let (handbook, diagnostics) = {
        // The loaded files are dropped before rendering: the model holds what it needs.
        let loaded = crate::load::load(&opts.root);
        resolve_loaded(loaded, opts)
    };
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

/// A good build kept in memory: the site, and the warnings found on the way.
#[derive(Debug, Default)]
pub struct Fresh {
    pub site: Site,
    pub warnings: Diagnostics,
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
    let static_files = read_static(&opts.root, &mut found);
    static_conflicts(handbook, static_files.iter().map(|(p, _)| p.as_str()), &mut found);
    diagnostics.extend(found);
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    Ok((Prepared { theme, static_files }, diagnostics))
}

/// Why `build_to_disk` wrote nothing.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the handbook or its templates (all of them).
    Handbook(Diagnostics),
    /// The output folder could not be written (it is left as it was).
    Output(OutputError),
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
pub fn build_to_disk(opts: &BuildOptions, output: Option<&Path>) -> Result<Written, BuildError> {
    let (handbook, diagnostics) = resolve_loaded(crate::load::load(&opts.root), opts);
    let (inputs, mut diagnostics) = prepare(&handbook, diagnostics, opts).map_err(BuildError::Handbook)?;
    let out = output.map_or_else(|| opts.root.join(&handbook.config.output_dir), Path::to_path_buf);
    let staging = Staging::begin(&out, &opts.root).map_err(BuildError::Output)?;
    let summary =
        render::render_into(&handbook, &inputs.theme, inputs.static_files, &staging).map_err(|e| match e {
            render::RenderError::Diagnostics(d) => BuildError::Handbook(d),
            render::RenderError::Sink(e) => BuildError::Output(e),
        })?;
    staging.commit().map_err(BuildError::Output)?;
    diagnostics.extend(summary.warnings.iter().cloned());
    diagnostics.sort();
    Ok(Written { handbook, diagnostics, summary, out })
}

/// The handbook's `static/` folder: (path inside it, bytes), copied to the
/// site root as they are. Listed by `load::walk`: hidden and editor temp
/// files, links out of the handbook and special files are skipped, and a
/// file over `walk::MAX_STATIC_BYTES` is an error.
pub fn read_static(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(String, Vec<u8>)> {
    crate::load::statics::read_static(root, diags)
}

/// Loads and resolves the handbook at `root`, and checks that `static/`
/// (listed, not read) does not collide with the site's pages.
pub fn check(root: &Path, opts: ResolveOptions) -> (Handbook, Diagnostics) {
    let loaded = crate::load::load(root);
    let (hb, mut diags) = model::resolve(loaded, opts);
    let mut found = Vec::new();
    let dir = root.join("static");
    let listed: Vec<String> = walk::files(root, &dir, &mut found).iter().map(|f| display_path(&dir, &f.path)).collect();
    static_conflicts(&hb, listed.iter().map(String::as_str), &mut found);
    if !found.is_empty() {
        diags.extend(found);
        diags.sort();
    }
    (hb, diags)
}

/// The folders the site's pages need (`personas/ana`, no slash) and the
/// files it writes itself, each with what it is, for `static_conflicts`.
/// Mirrors the page paths of `render`; a test keeps the two in step.
fn site_paths(hb: &Handbook) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    use crate::model::{Collection, ItemRef};
    use crate::render::url::slug;
    let mut dirs: BTreeMap<String, String> = BTreeMap::new();
    for section in model::resolve::RESERVED_PAGE_IDS.iter().filter(|s| !s.contains('.') && **s != "404") {
        dirs.insert(section.to_string(), format!("the site's /{section}/ section"));
    }
    let items = [
        (Collection::Persona, hb.personas.len()),
        (Collection::Asset, hb.assets.len()),
        (Collection::Page, hb.pages.len()),
    ];
    for (collection, n) in items {
        for index in 0..n {
            let r = ItemRef { collection, index };
            let what = format!("the page of {} \"{}\"", collection.word(), hb.id_of(r));
            dirs.insert(hb.path_of(r).trim_end_matches('/').to_string(), what);
        }
    }
    for p in &hb.personas {
        dirs.insert(format!("journeys/{}", p.id), format!("the journey map of persona \"{}\"", p.id));
    }
    for s in &hb.config.stages {
        dirs.insert(format!("stages/{}", slug(&s.id)), format!("the page of stage \"{}\"", s.id));
    }
    let mut terms = |kind: &str, words: &mut dyn Iterator<Item = &String>| {
        for w in words {
            dirs.insert(format!("{kind}/{}", slug(w)), format!("the {kind} page of \"{w}\""));
        }
    };
    terms("segments", &mut hb.personas.iter().filter_map(|p| p.segment.as_ref()));
    terms("tags", &mut hb.personas.iter().flat_map(|p| &p.tags).chain(hb.assets.iter().flat_map(|a| &a.tags)));
    let journey_formats = hb.personas.iter().flat_map(|p| p.journey.iter().flatten().flat_map(|s| &s.formats));
    terms("formats", &mut hb.assets.iter().filter_map(|a| a.format.as_ref()).chain(journey_formats));
    terms("topics", &mut hb.assets.iter().flat_map(|a| &a.topics));
    // Every folder on the way to a page is a folder too (`personas/emea` for `personas/emea/bo`).
    let parents: Vec<(String, String)> = dirs
        .iter()
        .flat_map(|(d, what)| d.match_indices('/').map(|(i, _)| (d[..i].to_string(), what.clone())).collect::<Vec<_>>())
        .collect();
    for (d, what) in parents {
        dirs.entry(d).or_insert(what);
    }
    let mut files: BTreeMap<String, String> =
        ["index.html", "404.html", "sitemap.xml", "handbook.json", "content-map.csv"]
            .iter()
            .map(|f| (f.to_string(), format!("the site's own {f}")))
            .collect();
    files.insert("search/index.js".into(), "the search index".into());
    for (d, what) in &dirs {
        files.insert(format!("{d}/index.html"), what.clone());
    }
    (dirs, files)
}

/// A file of `static/` where the site needs a folder (`static/personas`)
/// is an error: the site cannot be written. A file the site writes itself
/// (`static/index.html`, `static/personas/index.html`) is a warning: the
/// site's page replaces it, so it is not published. Reported by `check`
/// and `build` alike.
fn static_conflicts<'a>(hb: &Handbook, statics: impl Iterator<Item = &'a str>, diags: &mut Vec<Diagnostic>) {
    let (dirs, files) = site_paths(hb);
    for path in statics {
        let shown = format!("static/{path}");
        if let Some(what) = dirs.get(path) {
            diags.push(
                Diagnostic::error(
                    &shown,
                    1,
                    1,
                    format!("{shown} is a file where the site needs the folder /{path}/ for {what}"),
                )
                .with_hint("rename or move the static file; the folder name belongs to the site"),
            );
        } else if let Some((file, what)) = path.match_indices('/').find_map(|(i, _)| files.get_key_value(&path[..i])) {
            diags.push(
                Diagnostic::error(
                    &shown,
                    1,
                    1,
                    format!("{shown} needs a folder /{file}/ where the site writes {what}"),
                )
                .with_hint("rename or move the static folder"),
            );
        } else if let Some(what) = files.get(path) {
            diags.push(
                Diagnostic::warning(&shown, 1, 1, format!("{shown} is not published: {what} replaces it"))
                    .with_hint("rename the static file, or remove it"),
            );
        }
    }
}

/// Today's date in the local time zone (the date reviews are measured against).
pub fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `site_paths` knows every folder and page `render` writes.
    #[test]
    fn site_paths_match_the_rendered_site() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut opts = BuildOptions::new(root);
        opts.today = jiff::civil::date(2026, 6, 1);
        let built = build(&opts).expect("the example handbook builds");
        let (dirs, files) = site_paths(&built.handbook);
        let statics: Vec<String> = read_static(root, &mut Vec::new()).into_iter().map(|(p, _)| p).collect();
        for path in built.site.files.keys().filter(|p| !statics.contains(p)) {
            for (i, _) in path.match_indices('/') {
                assert!(dirs.contains_key(&path[..i]), "folder {} of {path} is not known", &path[..i]);
            }
            if path.ends_with(".html") {
                assert!(files.contains_key(path), "page {path} is not known");
            }
        }
    }
}
