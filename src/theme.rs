//! The theme: the built-in files embedded in the binary (one table, below),
//! and a handbook's `themes/<name>/` files that replace them file by file.
//!
//! `Theme::load` is the only code here that reads the disk; it runs before
//! rendering, so `render` gets the theme as plain data.

use crate::diagnostic::{display_path, Diagnostic};
use crate::layout::{self, CONFIG_FILE, DEFAULT_THEME, THEME_STATIC_DIR, THEME_TEMPLATES_DIR};
use crate::load::walk;
use crate::problem::{FileKind, InputProblem};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

/// Every built-in theme file: its name inside `themes/default/` and its bytes.
/// A handbook's `themes/<name>/<same name>` replaces the entry.
pub const BUILT_IN: &[(&str, &[u8])] = &[
    ("templates/base.html", include_bytes!("../themes/default/templates/base.html")),
    ("templates/components.html", include_bytes!("../themes/default/templates/components.html")),
    ("templates/home.html", include_bytes!("../themes/default/templates/home.html")),
    ("templates/personas.html", include_bytes!("../themes/default/templates/personas.html")),
    ("templates/persona.html", include_bytes!("../themes/default/templates/persona.html")),
    ("templates/journey.html", include_bytes!("../themes/default/templates/journey.html")),
    ("templates/library.html", include_bytes!("../themes/default/templates/library.html")),
    ("templates/asset.html", include_bytes!("../themes/default/templates/asset.html")),
    ("templates/content_map.html", include_bytes!("../themes/default/templates/content_map.html")),
    ("templates/compare.html", include_bytes!("../themes/default/templates/compare.html")),
    ("templates/reviews.html", include_bytes!("../themes/default/templates/reviews.html")),
    ("templates/taxonomy.html", include_bytes!("../themes/default/templates/taxonomy.html")),
    ("templates/term.html", include_bytes!("../themes/default/templates/term.html")),
    ("templates/stage.html", include_bytes!("../themes/default/templates/stage.html")),
    ("templates/page.html", include_bytes!("../themes/default/templates/page.html")),
    ("templates/search.html", include_bytes!("../themes/default/templates/search.html")),
    ("templates/404.html", include_bytes!("../themes/default/templates/404.html")),
    ("templates/journey_cards.html", include_bytes!("../themes/default/templates/journey_cards.html")),
    ("static/style.css", include_bytes!("../themes/default/static/style.css")),
    ("static/app.js", include_bytes!("../themes/default/static/app.js")),
    ("static/favicon.svg", include_bytes!("../themes/default/static/favicon.svg")),
    ("static/print.js", include_bytes!("../themes/default/static/print.js")),
    ("static/search.js", include_bytes!("../themes/default/static/search.js")),
    ("templates/insights.html", include_bytes!("../themes/default/templates/insights.html")),
    ("templates/asset_metrics.html", include_bytes!("../themes/default/templates/asset_metrics.html")),
    ("templates/persona_evidence.html", include_bytes!("../themes/default/templates/persona_evidence.html")),
    ("templates/heat_legend.html", include_bytes!("../themes/default/templates/heat_legend.html")),
    ("static/evidence.css", include_bytes!("../themes/default/static/evidence.css")),
    ("static/evidence.js", include_bytes!("../themes/default/static/evidence.js")),
    ("templates/history.html", include_bytes!("../themes/default/templates/history.html")),
    ("static/history.css", include_bytes!("../themes/default/static/history.css")),
];

/// The theme's static files only a handbook with `analytics:` gets (the
/// heat map's switch and the evidence styles): a site without analytics is
/// left as it was.
pub const EVIDENCE_STATIC: &[&str] = &["evidence.css", "evidence.js"];

/// The folder of the built-in theme in this repository (for messages).
pub const BUILT_IN_DIR: &str = "themes/default";

/// One theme file: where it came from (for messages) and its bytes.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// `themes/brand/templates/base.html`, relative to the handbook root
    /// (the built-in theme's files are named as in this repository).
    pub origin: String,
    pub bytes: Cow<'static, [u8]>,
}

/// The files a build uses: the built-in ones with the handbook's overrides.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Name inside the theme folder (`templates/base.html`, `static/style.css`) -> file.
    files: BTreeMap<String, ThemeFile>,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::built_in()
    }
}

impl Theme {
    /// The built-in theme alone.
    pub fn built_in() -> Theme {
        let files = BUILT_IN
            .iter()
            .map(|(name, bytes)| {
                let file = ThemeFile { origin: format!("{BUILT_IN_DIR}/{name}"), bytes: Cow::Borrowed(*bytes) };
                (name.to_string(), file)
            })
            .collect();
        Theme { files }
    }

    /// The built-in theme with the files of `root/themes/<name>/templates/`
    /// and `.../static/` laid over it. A missing folder for a theme other
    /// than `default` is a warning; unreadable files are errors.
    pub fn load(root: &Path, name: &str, diags: &mut Vec<Diagnostic>) -> Theme {
        let mut theme = Theme::built_in();
        let dir = root.join(layout::theme_dir(name));
        if !dir.is_dir() {
            if name != DEFAULT_THEME {
                diags.push(
                    Diagnostic::warning(CONFIG_FILE, 1, 1, InputProblem::ThemeNotFound { name: name.to_string() })
                        .with_hint("create the folder, or remove `theme:` to use the built-in theme"),
                );
            }
            return theme;
        }
        for sub in [THEME_TEMPLATES_DIR, THEME_STATIC_DIR] {
            // Listed by `load::walk`: links out of the handbook and special files are skipped.
            for found in walk::files(root, &dir.join(sub), diags) {
                let origin = display_path(root, &found.path);
                let inside = display_path(&dir, &found.path);
                let limit = if sub == THEME_TEMPLATES_DIR { walk::MAX_TEXT_BYTES } else { walk::MAX_STATIC_BYTES };
                match walk::read(&found, limit) {
                    Ok(bytes) => {
                        if sub == THEME_TEMPLATES_DIR && std::str::from_utf8(&bytes).is_err() {
                            diags.push(
                                Diagnostic::error(&origin, 1, 1, InputProblem::TemplateNotUtf8)
                                    .with_hint("save the file with UTF-8 encoding in your editor"),
                            );
                            continue;
                        }
                        theme.files.insert(inside, ThemeFile { origin, bytes: Cow::Owned(bytes) });
                    }
                    Err(error) => {
                        let problem = InputProblem::CannotRead { file: FileKind::Theme, error };
                        diags.push(Diagnostic::error(origin, 1, 1, problem));
                    }
                }
            }
        }
        theme
    }

    /// Templates as (name for Tera, e.g. `persona.html`; the file).
    pub fn templates(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files.iter().filter_map(|(k, f)| k.strip_prefix(THEME_TEMPLATES_DIR)?.strip_prefix('/').map(|n| (n, f)))
    }

    /// Static files as (path inside `static/`, the file).
    pub fn static_files(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files.iter().filter_map(|(k, f)| k.strip_prefix(THEME_STATIC_DIR)?.strip_prefix('/').map(|n| (n, f)))
    }

    /// Where a template came from, for messages (`themes/brand/templates/x.html`).
    pub fn template_origin(&self, template: &str) -> Option<&str> {
        self.files.get(&format!("{THEME_TEMPLATES_DIR}/{template}")).map(|f| f.origin.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_table_lists_every_file_once() {
        let mut names: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), BUILT_IN.len());
        let t = Theme::built_in();
        assert!(t.templates().any(|(n, _)| n == "persona.html"));
        assert!(t.static_files().any(|(n, _)| n == "style.css"));
    }

    #[test]
    fn a_handbook_file_replaces_the_built_in_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let tpl = dir.path().join("themes/brand/templates");
        std::fs::create_dir_all(&tpl).expect("mkdir");
        std::fs::write(tpl.join("404.html"), "gone").expect("write");
        let mut d = Vec::new();
        let t = Theme::load(dir.path(), "brand", &mut d);
        assert!(d.is_empty());
        let (_, f) = t.templates().find(|(n, _)| *n == "404.html").expect("404");
        assert_eq!(&*f.bytes, b"gone");
        assert_eq!(f.origin, "themes/brand/templates/404.html");
        assert_eq!(t.template_origin("base.html"), Some("themes/default/templates/base.html"));
    }
}
