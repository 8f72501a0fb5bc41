//! Links in Markdown bodies, found by pulldown-cmark with the one set of
//! options (`crate::markdown::options`), and what each kind of link is.

use super::{file_target, wiki_target, Target};
use crate::markdown;
use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
use std::ops::Range;

/// What a Markdown link is, from its type and destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    /// A wiki link or a `.md` link: points at content of the handbook.
    Content(Target),
    /// An email autolink (`<ana@example.org>`): the destination is the bare address.
    Email,
    /// Any other URL: it becomes an `href` only if `safe_url` allows it.
    Url,
}

/// Classifies a link: wiki links by their destination, written links
/// (inline, reference, collapsed, shortcut) to a `.md` file as content,
/// autolinks and other destinations as URLs.
pub fn classify(link_type: LinkType, dest: &str) -> LinkKind {
    match link_type {
        LinkType::WikiLink { .. } => LinkKind::Content(wiki_target(dest)),
        LinkType::Email => LinkKind::Email,
        LinkType::Inline | LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
            file_target(dest).map_or(LinkKind::Url, LinkKind::Content)
        }
        _ => LinkKind::Url,
    }
}

/// A link to content in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    pub target: Target,
    /// Where messages point: a wiki link's start, a `.md` link's path.
    pub offset: usize,
    /// The link as written (`[[devon]]`, `../personas/x.md`), for messages.
    pub written: String,
    /// The whole link, in bytes of the body.
    pub range: Range<usize>,
    /// The link's text (None when it has none).
    pub text: Option<Range<usize>>,
    /// The destination as pulldown-cmark reads it.
    pub dest: String,
}

/// Every wiki link and `.md` link in a body, in order of their start.
pub fn body_links(body: &str) -> Vec<BodyLink> {
    let mut out: Vec<BodyLink> = Vec::new();
    // The links open at this point: their index in `out`, None when not to content.
    let mut open: Vec<Option<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                let LinkKind::Content(target) = classify(link_type, &dest_url) else {
                    open.push(None);
                    continue;
                };
                let (offset, written) = match target {
                    Target::Wiki { .. } => (range.start, body.get(range.clone()).unwrap_or_default().to_string()),
                    Target::File { .. } => (written_offset(body, range.clone(), &dest_url), dest_url.to_string()),
                };
                open.push(Some(out.len()));
                out.push(BodyLink { target, offset, written, range, text: None, dest: dest_url.to_string() });
            }
            Event::End(TagEnd::Link) => {
                open.pop();
            }
            _ => {
                // A link's text spans the events directly inside it.
                if let Some(Some(i)) = open.last() {
                    let text = &mut out[*i].text;
                    *text = Some(match text.take() {
                        Some(r) => r.start.min(range.start)..r.end.max(range.end),
                        None => range,
                    });
                }
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

/// Every refused link and image destination in a body, in order.
pub fn refused_urls(body: &str) -> Vec<RefusedUrl> {
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        let (dest_url, image) = match event {
            // `.md` and wiki links become the target page's href; only URLs are written as they are.
            Event::Start(Tag::Link { link_type, dest_url, .. }) if classify(link_type, &dest_url) == LinkKind::Url => {
                (dest_url, false)
            }
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => continue,
        };
        if let Some(scheme) = crate::safe_url::refused_scheme(&dest_url) {
            let offset = written_offset(body, range, &dest_url);
            out.push(RefusedUrl { url: dest_url.to_string(), scheme, offset, image });
        }
    }
    out
}

/// Where the destination text sits inside a link's range (for the caret).
fn written_offset(body: &str, range: Range<usize>, dest: &str) -> usize {
    body.get(range.clone()).and_then(|s| s.find(dest)).map_or(range.start, |i| range.start + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Collection;

    #[test]
    fn finds_wiki_and_file_links() {
        let body = "See [[devon-park]] and [[asset:roi|the ROI paper]].\n\n[goals](../personas/ana.md#goals) [ext](https://x.md)\n\n`[[code]]` <a@b.md>";
        let links = body_links(body);
        assert_eq!(links.len(), 3);
        assert_eq!(links[0].target, Target::Wiki { collection: None, id: "devon-park".into() });
        assert_eq!(links[0].offset, 4);
        assert_eq!(links[0].written, "[[devon-park]]");
        assert_eq!(links[1].target, Target::Wiki { collection: Some(Collection::Asset), id: "roi".into() });
        assert_eq!(&body[links[1].text.clone().unwrap()], "the ROI paper");
        assert_eq!(links[2].target, Target::File { path: "../personas/ana.md".into(), anchor: Some("goals".into()) });
        assert_eq!(&body[links[2].offset..links[2].offset + 18], "../personas/ana.md");
        assert_eq!(&body[links[2].range.clone()], "[goals](../personas/ana.md#goals)");
    }

    #[test]
    fn kinds_of_link() {
        assert_eq!(classify(LinkType::Email, "a@b.md"), LinkKind::Email);
        assert_eq!(classify(LinkType::Autolink, "x:a.md"), LinkKind::Url);
        assert_eq!(classify(LinkType::Inline, "https://x.md"), LinkKind::Url);
        assert!(matches!(classify(LinkType::Shortcut, "a.md"), LinkKind::Content(Target::File { .. })));
    }

    #[test]
    fn refused_urls_skip_content_links() {
        let body = "[a](javascript:x.md) [b](javascript:x) ![c](data:x) [[javascript:y]]";
        let refused = refused_urls(body);
        assert_eq!(
            refused.iter().map(|r| (r.url.as_str(), r.image)).collect::<Vec<_>>(),
            [("javascript:x", false), ("data:x", true)]
        );
    }
}
