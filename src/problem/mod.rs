//! What can be wrong in a handbook: every kind of problem as a type, with
//! one `Display` (the message a user reads) and one stable `code` (for
//! `check --format json`, editors and scripts; listed in
//! docs/diagnostics.md).
//!
//! This module names problems; it never finds them (that is the loader's,
//! the resolver's and the renderer's job) and never prints them (that is
//! `diagnostic`'s). The kinds are grouped by the stage that finds them, one
//! file each, so a new input or page adds its kinds in one place.

mod analytics;
mod import;
mod input;
mod model;
mod render;

pub use analytics::AnalyticsProblem;
pub use import::ImportProblem;
pub use input::{Expected, FileKind, InputProblem, ReadError, ValueKind};
pub use model::ModelProblem;
pub use render::RenderProblem;

use std::fmt;

/// One kind of problem, with what the message needs to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Reading files: the config, front matter, YAML, the theme, `static/`.
    Input(InputProblem),
    /// Resolving: ids, references, links, journeys.
    Model(ModelProblem),
    /// Rendering: templates, pages, exports.
    Render(RenderProblem),
    /// Importing a persona collection.
    Import(ImportProblem),
    /// A build crashed: a bug in personabook, never the user's fault.
    Internal { what: String },
    /// Analytics exports and their settings.
    Analytics(AnalyticsProblem),
}

impl Problem {
    /// The kind's stable name, e.g. `unknown-id`; never changes once released.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Input(p) => p.code(),
            Problem::Model(p) => p.code(),
            Problem::Render(p) => p.code(),
            Problem::Import(p) => p.code(),
            Problem::Internal { .. } => "internal",
            Problem::Analytics(p) => p.code(),
        }
    }
}

/// Every code, for the docs and their test.
pub fn codes() -> impl Iterator<Item = &'static str> {
    input::CODES
        .iter()
        .chain(model::CODES)
        .chain(render::CODES)
        .chain(import::CODES)
        .chain(["internal"].iter())
        .chain(analytics::CODES)
        .copied()
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Input(p) => p.fmt(f),
            Problem::Model(p) => p.fmt(f),
            Problem::Render(p) => p.fmt(f),
            Problem::Import(p) => p.fmt(f),
            Problem::Internal { what } => {
                write!(f, "internal error: the build crashed ({what}); please report this bug")
            }
            Problem::Analytics(p) => p.fmt(f),
        }
    }
}

from_parts!(Problem: InputProblem => Input, ModelProblem => Model, RenderProblem => Render, ImportProblem => Import, AnalyticsProblem => Analytics);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in codes() {
            assert!(seen.insert(code), "code {code} is used twice");
            assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "code {code} is not kebab-case");
        }
    }

    /// docs/diagnostics.md lists every code, so a user can look one up.
    #[test]
    fn every_code_is_documented() {
        let docs = include_str!("../../docs/diagnostics.md");
        for code in codes() {
            assert!(docs.contains(&format!("`{code}`")), "docs/diagnostics.md does not list `{code}`");
        }
    }
}
