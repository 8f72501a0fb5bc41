//! Links inside Markdown bodies: `[[id]]`, `[[id|label]]`,
//! `[[persona:id]]` (also `asset:`, `page:`) and `.md` file links.
//!
//! Parsing only: what a link points at is decided by `Handbook::lookup`.
//! The same parser serves the resolver (to check and count) and the
//! renderer (to rewrite), so both always agree on what a link is.

use crate::load::Collection;
use crate::markdown;
use pulldown_cmark::{Event, LinkType, Parser, Tag};

/// What a link in a body points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `[[id]]` or `[[persona:id]]`.
    Wiki { collection: Option<Collection>, id: String },
    /// `[text](../personas/ana.md#goals)`: a path relative to the file.
    File { path: String, anchor: Option<String> },
}

/// A link found in a body, with its byte offset there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    pub target: Target,
    pub offset: usize,
    /// The link as written (`[[devon]]`, `../personas/x.md`), for messages.
    pub written: String,
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
/// external URLs, absolute paths and anything that is not a `.md` file.
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

/// Every wiki link and `.md` link in a Markdown body, in order.
pub fn extract(body: &str) -> Vec<BodyLink> {
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        if let Event::Start(Tag::Link { link_type, dest_url, .. }) = event {
            let written = body.get(range.clone()).unwrap_or_default();
            let target = match link_type {
                LinkType::WikiLink { .. } => Some(wiki_target(&dest_url)),
                LinkType::Inline | LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
                    file_target(&dest_url)
                }
                _ => None,
            };
            if let Some(target) = target {
                let written = match &target {
                    Target::Wiki { .. } => written.to_string(),
                    Target::File { .. } => dest_url.to_string(),
                };
                let offset = match &target {
                    Target::File { .. } => written_offset(body, range.clone(), &written),
                    Target::Wiki { .. } => range.start,
                };
                out.push(BodyLink { target, offset, written });
            }
        }
    }
    out
}

/// A link or image destination the URL filter (`safe_url`) refuses; the
/// page shows its text instead, as the renderer applies the same filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedUrl {
    pub url: String,
    pub scheme: String,
    /// Byte offset in the body: the URL when it is written there, else the link.
    pub offset: usize,
    pub image: bool,
}

/// Every refused link and image destination in a Markdown body, in order.
pub fn refused_urls(body: &str) -> Vec<RefusedUrl> {
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        let (dest_url, image) = match event {
            Event::Start(Tag::Link { link_type: LinkType::WikiLink { .. } | LinkType::Email, .. }) => continue,
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => continue,
        };
        // `.md` links become the target page's href; only other URLs are written as they are.
        if !image && file_target(&dest_url).is_some() {
            continue;
        }
        if let Some(scheme) = crate::safe_url::refused_scheme(&dest_url) {
            let offset = written_offset(body, range, &dest_url);
            out.push(RefusedUrl { url: dest_url.to_string(), scheme, offset, image });
        }
    }
    out
}

/// Where the destination text sits inside a link's range (for the caret).
fn written_offset(body: &str, range: std::ops::Range<usize>, dest: &str) -> usize {
    body.get(range.clone()).and_then(|s| s.find(dest)).map_or(range.start, |i| range.start + i)
}

/// Wiki links in a plain text field (journey entries): `[[id]]` or `[[id|label]]`.
pub fn extract_from_text(text: &str) -> Vec<(Target, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else { break };
        let inner = &after[..end];
        let dest = inner.split('|').next().unwrap_or_default();
        if !dest.trim().is_empty() && !dest.contains('[') {
            out.push((wiki_target(dest), format!("[[{inner}]]")));
        }
        rest = &after[end + 2..];
    }
    out
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
    fn finds_wiki_and_file_links() {
        let body = "See [[devon-park]] and [[asset:roi|the ROI paper]].\n\n[goals](../personas/ana.md#goals) [ext](https://x.md)\n\n`[[code]]`";
        let links = extract(body);
        assert_eq!(links.len(), 3);
        assert_eq!(links[0].target, Target::Wiki { collection: None, id: "devon-park".into() });
        assert_eq!(links[0].offset, 4);
        assert_eq!(links[1].target, Target::Wiki { collection: Some(Collection::Asset), id: "roi".into() });
        assert_eq!(links[2].target, Target::File { path: "../personas/ana.md".into(), anchor: Some("goals".into()) });
        assert_eq!(&body[links[2].offset..links[2].offset + 18], "../personas/ana.md");
    }

    #[test]
    fn joins_relative_paths() {
        assert_eq!(join_content_path("guides/a.md", "../personas/ana.md").as_deref(), Some("personas/ana.md"));
        assert_eq!(join_content_path("a.md", "b.md").as_deref(), Some("b.md"));
        assert_eq!(join_content_path("a.md", "../../b.md"), None);
    }

    #[test]
    fn text_fields() {
        let t = extract_from_text("Read [[roi-guide|the guide]] then [[persona:ana]]");
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].0, Target::Wiki { collection: Some(Collection::Persona), id: "ana".into() });
    }
}
