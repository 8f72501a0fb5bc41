//! Problems found while rendering: see [`super`].

use crate::model::site_path::SitePart;
use std::fmt;

/// A problem found while rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderProblem {
    /// A persona's `avatar` that is no file of `static/`.
    MissingAvatar { avatar: String },
    /// Tera could not parse (`syntax`) or render a template.
    Template { syntax: bool, message: String },
    /// `{% extends %}` names a template that does not exist.
    MissingParent { parent: String },
    /// A template that does not exist.
    TemplateNotFound { name: String },
    /// Templates that extend (or, with `include`, include) each other in a circle.
    CircularTemplates { include: bool, chain: Vec<String> },
    /// A taxonomy term page asked for a term that is not there (a bug).
    UnknownTerm,
    /// An export could not be serialised; `error` is serde's message.
    Export { error: String },
    /// A file of `static/` (`path` inside it) where the site needs a folder.
    StaticFileWhereFolder { path: String, part: SitePart },
    /// A file of `static/` below a name the site writes as a file.
    StaticFolderWhereFile { path: String, file: String, part: SitePart },
    /// A file of `static/` the site writes itself: the site's file replaces it.
    StaticReplaced { path: String, part: SitePart },
}

/// Every code of this file's kinds.
pub(super) const CODES: &[&str] = &[
    "missing-avatar",
    "template-syntax",
    "template-error",
    "missing-template",
    "circular-template",
    "unknown-term",
    "export-failed",
    "static-conflict",
    "static-replaced",
];

impl RenderProblem {
    pub fn code(&self) -> &'static str {
        match self {
            RenderProblem::MissingAvatar { .. } => "missing-avatar",
            RenderProblem::Template { syntax: true, .. } => "template-syntax",
            RenderProblem::Template { syntax: false, .. } => "template-error",
            RenderProblem::MissingParent { .. } | RenderProblem::TemplateNotFound { .. } => "missing-template",
            RenderProblem::CircularTemplates { .. } => "circular-template",
            RenderProblem::UnknownTerm => "unknown-term",
            RenderProblem::Export { .. } => "export-failed",
            RenderProblem::StaticFileWhereFolder { .. } | RenderProblem::StaticFolderWhereFile { .. } => {
                "static-conflict"
            }
            RenderProblem::StaticReplaced { .. } => "static-replaced",
        }
    }
}

impl fmt::Display for RenderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderProblem::MissingAvatar { avatar } => {
                write!(f, "avatar \"{avatar}\" not found in static/; initials are drawn instead")
            }
            RenderProblem::Template { syntax, message } => {
                let what = if *syntax { "template syntax" } else { "template" };
                write!(f, "{what} error: {message}")
            }
            RenderProblem::MissingParent { parent } => {
                write!(f, "template extends \"{parent}\", which does not exist")
            }
            RenderProblem::TemplateNotFound { name } => write!(f, "template \"{name}\" not found"),
            RenderProblem::CircularTemplates { include, chain } => {
                let how = if *include { "include" } else { "extend" };
                write!(f, "templates {how} each other in a circle: {}", chain.join(" -> "))
            }
            RenderProblem::UnknownTerm => f.write_str("internal error: unknown taxonomy term"),
            RenderProblem::Export { error } => f.write_str(error),
            RenderProblem::StaticFileWhereFolder { path, part } => {
                write!(f, "static/{path} is a file where the site needs the folder /{path}/ for {part}")
            }
            RenderProblem::StaticFolderWhereFile { path, file, part } => {
                write!(f, "static/{path} needs a folder /{file}/ where the site writes {part}")
            }
            RenderProblem::StaticReplaced { path, part } => {
                write!(f, "static/{path} is not published: {part} replaces it")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Collection;

    #[test]
    fn static_conflicts_name_the_part_of_the_site() {
        let part = SitePart::Item { collection: Collection::Persona, id: "ana".into() };
        let p = RenderProblem::StaticFileWhereFolder { path: "personas/ana".into(), part };
        assert_eq!(p.to_string(), "static/personas/ana is a file where the site needs the folder /personas/ana/ for the page of persona \"ana\"");
        let p = RenderProblem::StaticReplaced { path: "sitemap.xml".into(), part: SitePart::RootFile("sitemap.xml") };
        assert_eq!(p.to_string(), "static/sitemap.xml is not published: the site's own sitemap.xml replaces it");
        assert_eq!(p.code(), "static-replaced");
    }
}
