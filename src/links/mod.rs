//! The link grammar: what a link in a handbook's text is, for every stage
//! that reads one. The resolver checks and counts links, the renderer turns
//! them into hrefs and `import` rewrites them; all three ask this module, so
//! they agree on every input.
//!
//! - A wiki link is `[[id]]`, `[[id|label]]` or `[[persona:id]]` (also
//!   `asset:` and `page:`), with a byte span. In Markdown bodies
//!   pulldown-cmark finds them ([`body`]); in plain front-matter texts
//!   (journey entries) [`text`] does, by the same destination rules.
//! - A Markdown link destination is a `.md` path relative to the file (with
//!   an optional `#anchor`), an email address, or any other URL, which
//!   must pass the URL filter in `safe_url` to become an `href`.
//!
//! Syntax only: what a link points at is `model::Handbook::lookup`'s
//! decision, and nothing here reads the disk or a handbook.

mod body;
mod text;

pub use body::{body_links, classify, refused_urls, BodyLink, LinkKind, RefusedUrl};
pub use text::{text_links, text_pieces, TextLink, TextPiece};

use crate::load::Collection;

/// What a link to content points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `[[id]]` or `[[persona:id]]`.
    Wiki { collection: Option<Collection>, id: String },
    /// `[text](../personas/ana.md#goals)`: a path relative to the file.
    File { path: String, anchor: Option<String> },
}

/// Parses a wiki link's destination (`persona:ana`, `emea/jonas`).
pub fn wiki_target(dest: &str) -> Target {
    let dest = dest.trim();
    let (collection, id) = match dest.split_once(':') {
        Some(("persona", id)) => (Some(Collection::Persona), id),
        Some(("asset", id)) => (Some(Collection::Asset), id),
        Some(("page", id)) => (Some(Collection::Page), id),
        _ => (None, dest),
    };
    let id = id.trim().trim_end_matches(".md");
    Target::Wiki { collection, id: id.to_lowercase() }
}

/// A Markdown link destination that points at a content file, or None for
/// external URLs, absolute paths, anchors and anything that is not a `.md` file.
pub fn file_target(dest: &str) -> Option<Target> {
    if dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with('/') || dest.starts_with('#') {
        return None;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (dest, None),
    };
    if !path.to_ascii_lowercase().ends_with(".md") {
        return None;
    }
    Some(Target::File { path: path.to_string(), anchor })
}

/// Whether a wiki link as written (`[[id|]]`) has a `|` but no label after it.
pub fn has_empty_label(written: &str) -> bool {
    let inner = written.trim().trim_start_matches("[[").trim_end_matches("]]");
    inner.split_once('|').is_some_and(|(_, label)| label.trim().is_empty())
}

/// Joins a `.md` link path onto the folder of the file it is in, both
/// relative to `content/`. None when it climbs out of `content/`.
pub fn join_content_path(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let decoded = parts.join("/");
    Some(decoded.replace("%20", " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wiki_destinations() {
        assert_eq!(wiki_target(" Persona:Ana.md "), Target::Wiki { collection: None, id: "persona:ana".into() });
        assert_eq!(
            wiki_target("persona: Ana.md"),
            Target::Wiki { collection: Some(Collection::Persona), id: "ana".into() }
        );
        assert_eq!(wiki_target("emea/Jonas"), Target::Wiki { collection: None, id: "emea/jonas".into() });
    }

    #[test]
    fn file_destinations() {
        assert_eq!(
            file_target("../a.MD#goals"),
            Some(Target::File { path: "../a.MD".into(), anchor: Some("goals".into()) })
        );
        for not_a_file in ["https://x.md", "mailto:a@b.md", "/a.md", "#a.md", "a.pdf", "a.md/"] {
            assert_eq!(file_target(not_a_file), None, "{not_a_file}");
        }
    }

    #[test]
    fn empty_labels() {
        assert!(has_empty_label("[[a| ]]"));
        assert!(!has_empty_label("[[a|b]]"));
        assert!(!has_empty_label("[[a]]"));
    }

    #[test]
    fn joins_relative_paths() {
        assert_eq!(join_content_path("guides/a.md", "../personas/ana.md").as_deref(), Some("personas/ana.md"));
        assert_eq!(join_content_path("a.md", "b%20c.md").as_deref(), Some("b c.md"));
        assert_eq!(join_content_path("a.md", "../../b.md"), None);
    }
}
