//! Diagnostics in the formats other programs read: JSON for editors and
//! scripts, GitHub Actions workflow commands (annotations on a pull
//! request), and SARIF 2.1.0 logs (code scanning). Each takes the sorted
//! diagnostics of a run and returns the whole text; the command line picks
//! one and prints it.
//!
//! Diagnostics name files relative to the handbook root. GitHub and SARIF
//! want them relative to the repository root, so these two take the
//! handbook folder as seen from there ([`handbook_folder`]) and put it in
//! front.

mod github;
mod sarif;

pub use github::github;
pub use sarif::sarif;

use crate::diagnostic::{Diagnostic, Diagnostics};
use std::path::{Component, Path};

/// The JSON list `check --format json` prints: one object per diagnostic
/// (`severity`, `code`, `path`, `line`, `column`, `message`, `hint`).
pub fn json(diags: &Diagnostics) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&diags.items)
}

/// The handbook folder as a prefix for paths relative to the repository
/// root (taken to be the current folder): `--root handbook` gives
/// `handbook/`, `--root .` gives nothing. An absolute root inside `cwd`
/// gives its path from there; one outside gives nothing (paths then stay
/// relative to the handbook root).
///
/// ```
/// use personabook::tool_formats::handbook_folder;
/// use std::path::Path;
/// assert_eq!(handbook_folder(Path::new("./docs/handbook/"), None), "docs/handbook/");
/// assert_eq!(handbook_folder(Path::new("/repo/handbook"), Some(Path::new("/repo"))), "handbook/");
/// assert_eq!(handbook_folder(Path::new("/elsewhere"), Some(Path::new("/repo"))), "");
/// ```
pub fn handbook_folder(root: &Path, cwd: Option<&Path>) -> String {
    let inside = if root.is_absolute() { cwd.and_then(|cwd| root.strip_prefix(cwd).ok()) } else { Some(root) };
    let mut prefix = String::new();
    for part in inside.into_iter().flat_map(Path::components) {
        match part {
            Component::Normal(name) => prefix.push_str(&name.to_string_lossy()),
            Component::ParentDir => prefix.push_str(".."),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => continue,
        }
        prefix.push('/');
    }
    prefix
}

/// The diagnostic's file from the repository root: `folder` in front,
/// unless the path is absolute already.
fn repository_path(folder: &str, d: &Diagnostic) -> String {
    if d.path.starts_with('/') {
        d.path.clone()
    } else {
        format!("{folder}{}", d.path)
    }
}

/// The message with the hint on a line of its own, for formats with one
/// text field.
fn message_and_hint(d: &Diagnostic) -> String {
    match &d.hint {
        Some(hint) => format!("{}\nhint: {hint}", d.message()),
        None => d.message(),
    }
}
