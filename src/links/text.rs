//! Wiki links in plain front-matter texts (journey entries), which are not
//! Markdown: `[[dest]]` or `[[dest|label]]`, the first `]]` closing it.
//!
//! Every `[[...]]` is reported, so a rewriter can replace it; only those with
//! a non-empty destination free of `[` carry a [`Target`]. The others are
//! not links: the resolver does not check them and the renderer shows their
//! text.

use super::{wiki_target, Target};
use std::ops::Range;

/// One `[[...]]` in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLink<'a> {
    /// The whole `[[...]]`, in bytes of the text.
    pub span: Range<usize>,
    /// What is between the brackets.
    pub inner: &'a str,
    /// The destination as written: `inner` up to the first `|`.
    pub dest: &'a str,
    /// What follows the first `|`, as written.
    pub label: Option<&'a str>,
    /// Where it points; None when it is not a link (empty, or holding `[`).
    pub target: Option<Target>,
}

impl TextLink<'_> {
    /// The link as written, `[[...]]`, for messages.
    pub fn written(&self) -> String {
        format!("[[{}]]", self.inner)
    }
}

/// A text cut at its `[[...]]`s: the pieces between them and the links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextPiece<'a> {
    Text(&'a str),
    Link(TextLink<'a>),
}

/// The pieces of `text` in order; joined as written they give `text` back.
pub fn text_pieces(text: &str) -> Vec<TextPiece<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("[[") {
        let open = at + found;
        let Some(close) = text[open + 2..].find("]]") else { break };
        let inner = &text[open + 2..open + 2 + close];
        let (dest, label) = match inner.split_once('|') {
            Some((d, l)) => (d, Some(l)),
            None => (inner, None),
        };
        let target = (!dest.trim().is_empty() && !dest.contains('[')).then(|| wiki_target(dest));
        if open > at {
            out.push(TextPiece::Text(&text[at..open]));
        }
        let end = open + 2 + close + 2;
        out.push(TextPiece::Link(TextLink { span: open..end, inner, dest, label, target }));
        at = end;
    }
    if at < text.len() {
        out.push(TextPiece::Text(&text[at..]));
    }
    out
}

/// Every `[[...]]` of `text`, links or not, in order.
pub fn text_links(text: &str) -> impl Iterator<Item = TextLink<'_>> {
    text_pieces(text).into_iter().filter_map(|p| match p {
        TextPiece::Link(l) => Some(l),
        TextPiece::Text(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_written(piece: &TextPiece<'_>) -> String {
        match piece {
            TextPiece::Text(t) => t.to_string(),
            TextPiece::Link(l) => l.written(),
        }
    }

    /// Joined as written, the pieces give the text back; only real links have a target.
    #[test]
    fn finds_links_and_keeps_the_rest() {
        let text = "Read [[roi-guide|the guide]] then [[persona:ana]] [[|x]] [[a[b]] [[open";
        assert_eq!(text_pieces(text).iter().map(as_written).collect::<String>(), text);
        let links: Vec<_> = text_links(text).collect();
        assert_eq!(links.len(), 4);
        assert_eq!(&text[links[0].span.clone()], "[[roi-guide|the guide]]");
        assert_eq!(links[0].label, Some("the guide"));
        assert_eq!(
            links[1].target,
            Some(Target::Wiki { collection: Some(crate::load::Collection::Persona), id: "ana".into() })
        );
        assert_eq!(links[2].target, None);
        assert_eq!(links[3].target, None);
    }
}
