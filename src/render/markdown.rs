//! Markdown bodies and journey texts -> HTML, with every link made relative.
//!
//! One pass over pulldown-cmark's events: `[[id]]`, `[[id|label]]`,
//! `[[persona:id]]` and `.md` links become hrefs to the target's page
//! (read by `crate::links`, resolved with `Handbook::lookup`, the same code the
//! resolver used to report broken ones, which are shown here as plain text);
//! site-absolute paths (`/images/x.png`) become relative; every heading gets
//! an `id`; code blocks take the keyboard focus (to scroll); raw HTML is
//! escaped when `markdown.unsafe_html` is false.
//! Link and image URLs pass `safe_url` in both modes: a refused link keeps
//! only its text, a refused image only its alt text.

use super::url;
use crate::links::{self, LinkKind, Target, TextPiece};
use crate::markdown;
use crate::model::Handbook;
use crate::safe_url;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Parser, Tag, TagEnd};
use std::collections::HashSet;

/// What link rewriting needs to know about the page a body is shown on.
#[derive(Clone, Copy)]
pub struct LinkContext<'a> {
    pub hb: &'a Handbook,
    /// The way back to the site root from the page (`../../`).
    pub root: &'a str,
    /// The file the text comes from, relative to `content/` (`personas/ana.md`).
    pub content_path: &'a str,
}

impl LinkContext<'_> {
    /// The href and title of a `[[...]]` or `.md` link's target, if it exists.
    fn resolve(&self, target: &Target) -> Option<(String, &str)> {
        let r = self.hb.lookup(self.content_path, target)?;
        let mut href = url::href(self.root, &self.hb.path_of(r));
        if let Target::File { anchor: Some(a), .. } = target {
            href.push('#');
            url::push_encoded(&mut href, a);
        }
        Some((href, self.hb.title_of(r)))
    }

    /// `/images/a.png` -> `../../images/a.png`: site-absolute paths would
    /// break at a sub-path and from disk. Folder paths get `index.html`.
    fn relative(&self, dest: &str) -> Option<String> {
        let rest = dest.strip_prefix('/').filter(|r| !r.starts_with('/'))?;
        let (path, fragment) = match rest.find(['#', '?']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let mut s = format!("{}{}", self.root, path);
        if path.is_empty() || path.ends_with('/') {
            s.push_str("index.html");
        }
        s.push_str(fragment);
        Some(s)
    }
}

/// Renders a Markdown body. `taken_ids` are element ids the page already
/// uses (its own sections), so a heading never repeats one.
pub fn body_html(cx: &LinkContext<'_>, body: &str, unsafe_html: bool, taken_ids: &[&str]) -> String {
    let mut ids = HeadingIds::new(taken_ids);
    let mut events: Vec<Event<'_>> = Vec::with_capacity(body.len() / 16);
    // Open links: whether their Start was kept (broken ones become plain text)
    // and the target title to show instead of a bare `[[id]]`'s text.
    let mut links: Vec<(bool, Shown)> = Vec::new();
    let mut heading: Option<(usize, String)> = None;
    // Open images: whether their Start was kept.
    let mut images: Vec<bool> = Vec::new();
    for event in Parser::new_ext(body, markdown::options()) {
        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let (dest, shown) = link_dest(cx, link_type, dest_url);
                links.push((dest.is_some(), shown));
                match dest {
                    Some(dest_url) => Event::Start(Tag::Link { link_type: LinkType::Inline, dest_url, title, id }),
                    None => continue,
                }
            }
            Event::End(TagEnd::Link) => match links.pop() {
                Some((false, _)) => continue,
                _ => Event::End(TagEnd::Link),
            },
            Event::Text(text) => {
                // A bare `[[id]]` shows the target's title once, instead of its text.
                let shown = match links.last_mut() {
                    Some((_, shown)) => shown.text(text),
                    None => Some(text),
                };
                let Some(text) = shown else { continue };
                push_heading_text(&mut heading, &text);
                Event::Text(text)
            }
            Event::Code(code) => {
                push_heading_text(&mut heading, &code);
                Event::Code(code)
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                // A refused image shows its alt text (the events up to its end).
                let kept = safe_url::allow(&dest_url).is_some();
                images.push(kept);
                if !kept {
                    continue;
                }
                let dest_url = cx.relative(&dest_url).map_or(dest_url, CowStr::from);
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            Event::End(TagEnd::Image) => match images.pop() {
                Some(false) => continue,
                _ => Event::End(TagEnd::Image),
            },
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                if id.is_none() {
                    heading = Some((events.len(), String::new()));
                } else if let Some(id) = &id {
                    ids.take(id);
                }
                // `# Title {onclick=...}` would otherwise write any attribute; this is
                // Markdown syntax, not raw HTML, so it is filtered in both modes.
                let attrs = attrs.into_iter().filter(|(k, _)| harmless_attr(k)).collect();
                Event::Start(Tag::Heading { level, id, classes, attrs })
            }
            Event::End(TagEnd::Heading(level)) => {
                ids.name_heading(&mut events, heading.take());
                Event::End(TagEnd::Heading(level))
            }
            Event::TaskListMarker(done) => checkbox(done),
            Event::Start(Tag::CodeBlock(kind)) => Event::Html(code_block_start(&kind).into()),
            Event::End(TagEnd::CodeBlock) => Event::Html(CowStr::Borrowed("</code></pre>\n")),
            Event::Html(html) | Event::InlineHtml(html) if !unsafe_html => Event::Text(html),
            other => other,
        };
        events.push(event);
    }
    let mut out = String::with_capacity(body.len() + body.len() / 4);
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    focusable_tables(out)
}

/// Tables scroll sideways when wider than the page (the theme makes them
/// scroll regions), and a keyboard can only scroll what it can focus.
/// pulldown-cmark writes every table it opens as a bare `<table>`; in text
/// and code the same characters are escaped, so only real tables match (a
/// raw-HTML `<table>` becomes focusable too, which is as harmless).
fn focusable_tables(html: String) -> String {
    if html.contains("<table>") {
        html.replace("<table>", "<table tabindex=\"0\">")
    } else {
        html
    }
}

/// Where a link goes (None: shown as its text) and what it shows.
fn link_dest<'a>(cx: &LinkContext<'_>, link_type: LinkType, dest_url: CowStr<'a>) -> (Option<CowStr<'a>>, Shown) {
    let bare = matches!(link_type, LinkType::WikiLink { has_pothole: false });
    match links::classify(link_type, &dest_url) {
        LinkKind::Content(t) => match cx.resolve(&t) {
            Some((href, name)) if bare => (Some(CowStr::from(href)), Shown::Pending(name.to_string())),
            Some((href, _)) => (Some(CowStr::from(href)), Shown::Own),
            None => (None, Shown::Own),
        },
        // Email autolinks carry the bare address; the link is written as
        // `Inline` below, so the `mailto:` the HTML writer would add goes here.
        LinkKind::Email => (Some(CowStr::from(format!("mailto:{dest_url}"))), Shown::Own),
        // A refused URL (`javascript:`, `data:`, ...) leaves its text
        // behind; the resolver has warned about it.
        LinkKind::Url if safe_url::allow(&dest_url).is_none() => (None, Shown::Own),
        LinkKind::Url => (Some(cx.relative(&dest_url).map_or(dest_url, CowStr::from)), Shown::Own),
    }
}

/// pulldown-cmark's `<pre><code>`, focusable: a code block wider than the
/// page scrolls, and a keyboard can only scroll what it can focus.
fn code_block_start(kind: &CodeBlockKind<'_>) -> String {
    let mut out = String::from("<pre tabindex=\"0\"><code");
    let lang = match kind {
        CodeBlockKind::Fenced(info) => info.split(' ').next().unwrap_or(""),
        CodeBlockKind::Indented => "",
    };
    if !lang.is_empty() {
        out.push_str(" class=\"language-");
        escape_into(&mut out, lang);
        out.push('"');
    }
    out.push('>');
    out
}

/// pulldown-cmark's checkbox has no label; screen readers need one.
fn checkbox(done: bool) -> Event<'static> {
    Event::InlineHtml(CowStr::Borrowed(if done {
        "<input type=\"checkbox\" disabled checked aria-label=\"done\"> "
    } else {
        "<input type=\"checkbox\" disabled aria-label=\"to do\"> "
    }))
}

/// Heading attributes (`{data-x=y}`) kept: data, language and ARIA ones,
/// never event handlers, `style` or URLs.
fn harmless_attr(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["title", "lang", "dir", "role"].contains(&name.as_str())
        || ((name.starts_with("data-") || name.starts_with("aria-"))
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// What a link shows: its own text, or (for a bare `[[id]]`) the target's
/// title, pending until the link's first text and then `Done` (the id text dropped).
enum Shown {
    Own,
    Pending(String),
    Done,
}

impl Shown {
    /// What a text event inside the link shows: its own text, the title
    /// (the first time), or nothing.
    fn text<'a>(&mut self, own: CowStr<'a>) -> Option<CowStr<'a>> {
        match std::mem::replace(self, Shown::Done) {
            Shown::Own => {
                *self = Shown::Own;
                Some(own)
            }
            Shown::Pending(name) => Some(CowStr::from(name)),
            Shown::Done => None,
        }
    }
}

fn push_heading_text(heading: &mut Option<(usize, String)>, text: &str) {
    if let Some((_, h)) = heading {
        h.push_str(text);
    }
}

/// Heading ids unique within one page.
struct HeadingIds {
    used: HashSet<String>,
}

impl HeadingIds {
    fn new(taken: &[&str]) -> Self {
        HeadingIds { used: taken.iter().map(|s| s.to_string()).collect() }
    }

    fn take(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// Gives the heading that started at `events[at]` the id its `text` makes.
    fn name_heading(&mut self, events: &mut [Event<'_>], heading: Option<(usize, String)>) {
        if let Some((at, text)) = heading {
            if let Some(Event::Start(Tag::Heading { id, .. })) = events.get_mut(at) {
                *id = Some(CowStr::from(self.unique(&url::slug(&text))));
            }
        }
    }

    /// `goals`, then `goals-1`, `goals-2`, ... when the slug is taken.
    fn unique(&mut self, slug: &str) -> String {
        let mut id = slug.to_string();
        let mut n = 0;
        while self.used.contains(&id) {
            n += 1;
            id = format!("{slug}-{n}");
        }
        self.used.insert(id.clone());
        id
    }
}

/// A plain front-matter text (a journey entry) as HTML: escaped, with its
/// `[[id]]` / `[[id|label]]` links turned into anchors (broken ones into text).
pub fn inline_html(cx: &LinkContext<'_>, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for piece in links::text_pieces(text) {
        let link = match piece {
            TextPiece::Text(t) => {
                escape_into(&mut out, t);
                continue;
            }
            TextPiece::Link(link) => link,
        };
        let label = link.label.map(str::trim);
        match link.target.as_ref().and_then(|t| cx.resolve(t)) {
            Some((href, title)) => {
                out.push_str("<a href=\"");
                escape_into(&mut out, &href);
                out.push_str("\">");
                escape_into(&mut out, label.unwrap_or(title));
                out.push_str("</a>");
            }
            None => escape_into(&mut out, label.unwrap_or(link.dest.trim())),
        }
    }
    out
}

/// HTML-escapes `text` onto `out` (text and double-quoted attribute values).
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The plain text of a Markdown body (for search and descriptions), at
/// most about `limit` bytes, cut at a word boundary.
pub fn plain_text(body: &str, limit: usize) -> String {
    let mut out = String::with_capacity(limit.min(body.len()) + 8);
    for event in Parser::new_ext(body, markdown::options()) {
        let text = match &event {
            Event::Text(t) | Event::Code(t) => t.as_ref(),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => " ",
            _ => continue,
        };
        if text == " " && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push_str(text);
        if out.len() >= limit {
            break;
        }
    }
    if out.len() > limit {
        let mut cut = limit;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = out[..cut].rfind(' ').unwrap_or(cut);
        out.truncate(cut);
        out.push('…');
    }
    out.trim_end().to_string()
}
