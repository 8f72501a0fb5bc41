//! The input layout: where each kind of input lives in a handbook folder,
//! and what any path under the root is. The one place that names the
//! folders; the loader, the theme, the output checks and the preview's
//! watcher ask here instead of matching string prefixes.
//!
//! A new kind of input (analytics exports, translations) adds a variant to
//! [`Input`] and a line to [`classify`]; nothing else here changes. This
//! module only names and classifies paths: it never reads the disk, except
//! [`find_root`], which asks whether a handbook's marks exist.

use serde::Serialize;
use std::path::{Path, PathBuf};

/// The config file at the handbook root.
pub const CONFIG_FILE: &str = "handbook.yaml";
/// Markdown files: personas, assets and guide pages.
pub const CONTENT_DIR: &str = "content";
/// Files copied to the site root as they are.
pub const STATIC_DIR: &str = "static";
/// `themes/<name>/templates/` and `themes/<name>/static/`.
pub const THEMES_DIR: &str = "themes";
/// Analytics exports, by convention (`analytics:` in handbook.yaml names them).
pub const DATA_DIR: &str = "data";
/// The folders under the root whose files are inputs.
pub const INPUT_DIRS: [&str; 4] = [CONTENT_DIR, STATIC_DIR, THEMES_DIR, DATA_DIR];
/// Inside a theme's folder: the templates.
pub const THEME_TEMPLATES_DIR: &str = "templates";
/// Inside a theme's folder: its static files (the site's `static/`).
pub const THEME_STATIC_DIR: &str = "static";
/// The theme used when `theme:` is not set; also the built-in theme's name.
pub const DEFAULT_THEME: &str = "default";

/// Which collection a content file belongs to, by its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Collection {
    Persona,
    Asset,
    Page,
}

impl Collection {
    /// The word used in `[[persona:id]]` and in messages.
    pub fn word(self) -> &'static str {
        match self {
            Collection::Persona => "persona",
            Collection::Asset => "asset",
            Collection::Page => "page",
        }
    }

    /// The folder inside `content/` that holds this collection; guide
    /// pages have none (they are anywhere else in `content/`).
    pub fn folder(self) -> Option<&'static str> {
        match self {
            Collection::Persona => Some("personas"),
            Collection::Asset => Some("assets"),
            Collection::Page => None,
        }
    }

    /// The collection of a Markdown file at `path` inside `content/`
    /// (`personas/ana.md`): a file directly in `content/personas/` or
    /// below is a persona, in `content/assets/` an asset, anything else a
    /// guide page (`content/personas.md` too).
    pub fn of_content_path(path: &str) -> Collection {
        let Some((top, rest)) = path.split_once('/') else { return Collection::Page };
        [Collection::Persona, Collection::Asset]
            .into_iter()
            .find(|c| c.folder() == Some(top) && !rest.is_empty())
            .unwrap_or(Collection::Page)
    }

    /// The path of a content file inside its collection's folder
    /// (`personas/emea/ana.md` -> `emea/ana.md`); a guide page's path is
    /// its path inside `content/`.
    pub fn path_inside(self, content_path: &str) -> &str {
        self.folder().and_then(|dir| content_path.strip_prefix(dir)?.strip_prefix('/')).unwrap_or(content_path)
    }
}

/// What a file under the handbook root is, by its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input<'a> {
    /// `handbook.yaml`.
    Config,
    /// A Markdown file under `content/`; `path` is inside `content/`.
    Content { collection: Collection, path: &'a str },
    /// Any other file under `content/` (an image beside a persona): not an input today.
    ContentOther { path: &'a str },
    /// A file under `static/`; `path` is inside `static/`, and is the site path.
    Static { path: &'a str },
    /// A file of theme `name`; `path` is inside `themes/<name>/`.
    Theme { name: &'a str, path: &'a str },
    /// A file under `data/` (an analytics export); `path` is inside `data/`.
    Data { path: &'a str },
}

impl Input<'_> {
    /// Whether a change to this input can change the model (ids,
    /// references, the content map), not only how the site looks.
    pub fn reaches_model(&self) -> bool {
        matches!(self, Input::Config | Input::Content { .. } | Input::Data { .. })
    }
}

/// What the file at `rel` (relative to the root, `/`-separated) is, or
/// `None` when it is no input (the output folder, `.git`, a README).
/// Hidden and editor temp files are not inputs either (see [`is_ignored`]).
pub fn classify(rel: &str) -> Option<Input<'_>> {
    if rel.split('/').any(is_ignored) {
        return None;
    }
    if rel == CONFIG_FILE {
        return Some(Input::Config);
    }
    let (top, rest) = rel.split_once('/')?;
    if rest.is_empty() {
        return None;
    }
    match top {
        CONTENT_DIR if rest.ends_with(".md") => {
            Some(Input::Content { collection: Collection::of_content_path(rest), path: rest })
        }
        CONTENT_DIR => Some(Input::ContentOther { path: rest }),
        STATIC_DIR => Some(Input::Static { path: rest }),
        THEMES_DIR => {
            let (name, path) = rest.split_once('/')?;
            (!path.is_empty()).then_some(Input::Theme { name, path })
        }
        DATA_DIR => Some(Input::Data { path: rest }),
        _ => None,
    }
}

/// Whether `rel` (relative to the root, `/`-separated) is an input, or a
/// folder that holds inputs (`content`, `themes/brand`): what the preview
/// watches and fingerprints. Hidden and editor temp files are neither.
pub fn holds_inputs(rel: &str) -> bool {
    if classify(rel).is_some() {
        return true;
    }
    if rel.split('/').any(is_ignored) {
        return false;
    }
    match rel.split_once('/') {
        None => INPUT_DIRS.contains(&rel),
        Some((THEMES_DIR, name)) => !name.is_empty() && !name.contains('/'),
        Some(_) => false,
    }
}

/// `themes/<name>`: a theme's folder, relative to the root.
pub fn theme_dir(name: &str) -> String {
    format!("{THEMES_DIR}/{name}")
}

/// `content/<path>`: the display path of a file inside `content/`.
pub fn content_file(path: &str) -> String {
    format!("{CONTENT_DIR}/{path}")
}

/// The path inside `content/` of a display path (`content/personas/ana.md`
/// -> `personas/ana.md`); `None` for a path outside `content/`.
pub fn in_content(path: &str) -> Option<&str> {
    path.strip_prefix(CONTENT_DIR)?.strip_prefix('/')
}

/// The nearest folder, `start` or one above it, that holds a handbook: a
/// `handbook.yaml`, or (without one) a `content/personas/` folder. This is
/// how a command run anywhere inside a handbook finds it, as cargo and git
/// do. `start` should be absolute: a relative path's parents end at its
/// first component.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|dir| is_handbook(dir)).map(Path::to_path_buf)
}

/// Whether `dir` itself holds a handbook (see [`find_root`]).
pub fn is_handbook(dir: &Path) -> bool {
    let personas = Collection::Persona.folder().map(|f| dir.join(CONTENT_DIR).join(f));
    dir.join(CONFIG_FILE).is_file() || personas.is_some_and(|p| p.is_dir())
}

/// Hidden files and the temp and backup files editors leave behind.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.ends_with(".orig")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_every_kind_of_input() {
        assert_eq!(classify("handbook.yaml"), Some(Input::Config));
        assert_eq!(
            classify("content/personas/emea/ana.md"),
            Some(Input::Content { collection: Collection::Persona, path: "personas/emea/ana.md" })
        );
        assert_eq!(
            classify("content/assets/roi.md"),
            Some(Input::Content { collection: Collection::Asset, path: "assets/roi.md" })
        );
        assert_eq!(
            classify("content/personas.md"),
            Some(Input::Content { collection: Collection::Page, path: "personas.md" })
        );
        assert_eq!(classify("content/img/a.png"), Some(Input::ContentOther { path: "img/a.png" }));
        assert_eq!(classify("static/logo.svg"), Some(Input::Static { path: "logo.svg" }));
        assert_eq!(
            classify("themes/brand/templates/base.html"),
            Some(Input::Theme { name: "brand", path: "templates/base.html" })
        );
    }

    #[test]
    fn analytics_exports_reach_the_model() {
        let export = classify("data/ga4-pages-2026-q3.csv");
        assert_eq!(export, Some(Input::Data { path: "ga4-pages-2026-q3.csv" }));
        assert!(export.is_some_and(|i| i.reaches_model()));
        assert!(holds_inputs("data"));
        assert_eq!(classify("data/.~lock.ga4.csv#"), None);
    }

    #[test]
    fn other_paths_are_no_input() {
        for rel in ["public/index.html", "README.md", "content", "themes/brand", "content/.a.md.swp", ".git/HEAD"] {
            assert_eq!(classify(rel), None, "{rel}");
        }
        assert_eq!(classify("content/personas/ana.md~"), None);
        assert_eq!(classify("sub/handbook.yaml"), None);
    }

    #[test]
    fn input_folders_hold_inputs() {
        for rel in ["content", "static", "themes", "themes/brand", "content/personas", "handbook.yaml"] {
            assert!(holds_inputs(rel), "{rel}");
        }
        for rel in ["public", "themes/.hidden", "README.md", ".git", "content/a.md~"] {
            assert!(!holds_inputs(rel), "{rel}");
        }
    }

    #[test]
    fn paths_inside_a_collection() {
        assert_eq!(Collection::Persona.path_inside("personas/emea/ana.md"), "emea/ana.md");
        assert_eq!(Collection::Asset.path_inside("assets/roi.md"), "roi.md");
        assert_eq!(Collection::Page.path_inside("guide/intro.md"), "guide/intro.md");
        assert_eq!(Collection::of_content_path("personas/"), Collection::Page);
    }

    #[test]
    fn the_nearest_handbook_above_is_found() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let top = tmp.path().join("top");
        let deep = top.join("content/personas/emea");
        std::fs::create_dir_all(&deep).expect("mkdir");
        // content/personas/ alone marks a handbook.
        assert_eq!(find_root(&deep).as_deref(), Some(top.as_path()));
        // A handbook.yaml nearer than that wins; a folder named like the config does not count.
        std::fs::write(top.join("content/handbook.yaml"), "title: inner\n").expect("write");
        assert_eq!(find_root(&deep).as_deref(), Some(top.join("content").as_path()));
        std::fs::create_dir_all(deep.join(CONFIG_FILE)).expect("mkdir");
        assert_eq!(find_root(&deep).as_deref(), Some(top.join("content").as_path()));
        assert_eq!(find_root(&top).as_deref(), Some(top.as_path()));
    }

    #[test]
    fn no_handbook_anywhere_is_none() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("a/content/assets");
        std::fs::create_dir_all(&dir).expect("mkdir");
        // A content/ folder without personas/ is not a handbook.
        let found = find_root(&dir);
        assert!(found.as_ref().is_none_or(|f| !f.starts_with(tmp.path())), "{found:?}");
    }

    #[test]
    fn content_paths_round_trip() {
        assert_eq!(in_content(&content_file("personas/ana.md")), Some("personas/ana.md"));
        assert_eq!(in_content("contents/x.md"), None);
    }
}
