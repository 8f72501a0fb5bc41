//! The one pipeline that `check`, `build` and `serve` share:
//! load -> resolve -> render. Writing to disk is `output`'s job.

use crate::diagnostic::Diagnostics;
use crate::model::{self, Handbook, ResolveOptions};
use crate::render::Site;
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

/// Loads and resolves the handbook at `root`.
pub fn check(root: &Path, opts: ResolveOptions) -> (Handbook, Diagnostics) {
    let loaded = crate::load::load(root);
    model::resolve(&loaded, opts)
}

/// Today's date in the local time zone (the date reviews are measured against).
pub fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}
