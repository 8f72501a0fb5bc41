//! Which page a URL is: the one normalisation applied to an asset's `url`
//! and to every URL cell of an export, so that the variants of one page
//! (full URL or path, `http` or `https`, `www.` or not, a query string, a
//! fragment, a trailing slash, `index.html`, percent-encoding) join to one
//! key. docs/analytics.md states the rule for users.
//!
//! The rule, step by step:
//! 1. Surrounding space is trimmed; an empty cell, `(not set)` and
//!    `(other)` are no page.
//! 2. The fragment (`#...`) and the query string (`?...`) are dropped.
//! 3. `scheme://host/path` and `//host/path` have a host; so has
//!    `host.tld/path` (a dot in the first segment, and a `/` after it);
//!    anything else is a path. User info and the port are dropped; the
//!    host is lower-cased, without trailing dots and without `www.`.
//! 4. In the path, percent-escapes are decoded, except those of `%`, `/`,
//!    `?`, `#`, space and control characters, which stay escaped
//!    (upper-case hex; a raw space inside the path is escaped too), so
//!    decoding twice changes nothing; repeated `/` become one; a last segment
//!    `index.html` or `index.htm` is dropped, and so is a trailing `/`.
//!    The path keeps its case (web servers tell `/A` from `/a`).
//!
//! A key with a host and one without join when their paths are equal:
//! GA4 reports paths, Search Console full URLs, and both are one site.

use serde::Serialize;
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// A page, as normalised: the host (empty when the URL was a path) and
/// the path (`/` for the root), held as one string, `host` then `path`:
/// the path starts at the first `/`, as a host has none. Hashed and
/// compared as that string, so a map of keys is looked up with the `&str`
/// a row was normalised into, without building a key per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageKey {
    text: Box<str>,
}

impl PageKey {
    /// The host, lower-case, without `www.`; empty for a path.
    pub fn host(&self) -> &str {
        &self.text[..self.host_len()]
    }

    /// The path, starting with `/`.
    pub fn path(&self) -> &str {
        &self.text[self.host_len()..]
    }

    fn host_len(&self) -> usize {
        self.text.find('/').unwrap_or(self.text.len())
    }

    /// The key as people read it: `example.com/blog/roi`, `/blog/roi`.
    pub fn label(&self) -> String {
        self.text.to_string()
    }

    /// The key of a text `normalise_into` wrote (no other text is a key).
    pub(crate) fn from_text(text: &str) -> PageKey {
        PageKey { text: text.into() }
    }
}

impl Hash for PageKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

/// Keys are looked up by the text `normalise_into` writes.
impl Borrow<str> for PageKey {
    fn borrow(&self) -> &str {
        &self.text
    }
}

/// By host, then path (the order of the pages the insights list).
impl Ord for PageKey {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.host(), self.path()).cmp(&(other.host(), other.path()))
    }
}

impl PartialOrd for PageKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The key as a URL that normalises to itself: `//example.com/blog/roi`
/// (a host always behind `//`), `/blog/roi`.
impl fmt::Display for PageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host_len() == 0 {
            f.write_str(&self.text)
        } else {
            write!(f, "//{}", self.text)
        }
    }
}

impl Serialize for PageKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The page `raw` names, or `None` for a cell that names no page.
pub fn normalise(raw: &str) -> Option<PageKey> {
    let mut text = String::new();
    normalise_into(raw, &mut text).then(|| PageKey::from_text(&text))
}

/// The page `raw` names, written into `out` as a key's text (host, then
/// path): what a row's URL is looked up by. `false` for a cell that names
/// no page. `out` is reused row after row: most URLs cost no allocation.
pub fn normalise_into(raw: &str, out: &mut String) -> bool {
    out.clear();
    let text = raw.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("(not set)") || text.eq_ignore_ascii_case("(other)") {
        return false;
    }
    let text = text.split(['#', '?']).next().unwrap_or_default();
    let (host, path) = split_host(text);
    push_host(host, out);
    match plain_path(path) {
        // What `clean_path` makes of it, without its copies: most rows are such paths.
        Some(p) => out.push_str(p),
        None => out.push_str(&clean_path(path)),
    }
    true
}

/// A path the rule leaves as it is but for one trailing `/`: `/` and
/// printable ASCII, no `%` or `//`, no last `index.html` or `index.htm`.
fn plain_path(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    let plain =
        b.len() > 1 && b[0] == b'/' && b.iter().all(|&c| c.is_ascii_graphic() && c != b'%') && !t.contains("//");
    let t = t.strip_suffix('/').unwrap_or(t);
    (plain && !t.ends_with("/index.html") && !t.ends_with("/index.htm")).then_some(t)
}

/// The host part (maybe empty) and the path part of a URL without query.
fn split_host(text: &str) -> (&str, &str) {
    let after_scheme = match text.find("://") {
        Some(i) if text[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) && i > 0 => {
            Some(&text[i + 3..])
        }
        _ => text.strip_prefix("//"),
    };
    if let Some(rest) = after_scheme {
        return rest.split_at(rest.find('/').unwrap_or(rest.len()));
    }
    match text.find('/') {
        Some(i) if i > 0 && text[..i].contains('.') && !text[..i].contains(' ') => text.split_at(i),
        _ => ("", text),
    }
}

/// The host as the key holds it: no user info, port or trailing dots,
/// lower-case, without `www.`.
fn push_host(host: &str, out: &mut String) {
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = match host.rfind(':') {
        Some(i) if i + 1 < host.len() && host[i + 1..].chars().all(|c| c.is_ascii_digit()) => &host[..i],
        _ => host,
    };
    let host = host.trim_end_matches('.');
    if host.is_ascii() {
        let mut h = host;
        while h.get(..4).is_some_and(|w| w.eq_ignore_ascii_case("www.")) {
            h = &h[4..];
        }
        out.extend(h.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        let mut lower = host.to_lowercase();
        while let Some(rest) = lower.strip_prefix("www.") {
            lower = rest.to_string();
        }
        out.push_str(&lower);
    }
}

fn clean_path(path: &str) -> String {
    let decoded = escape_blanks(&decode(path));
    let mut out = String::with_capacity(decoded.len() + 1);
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(segment);
    }
    while let Some(index) = ["/index.html", "/index.htm"].into_iter().find(|i| out.ends_with(i)) {
        out.truncate(out.len() - index.len());
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Percent-decodes `path`, keeping `%`, `/`, `?` and `#` escaped (with
/// upper-case hex) and leaving sequences that are no UTF-8 as written.
fn decode(path: &str) -> String {
    if !path.contains('%') && !path.bytes().any(is_blank) {
        return path.to_string();
    }
    let bytes = path.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%').then(|| bytes.get(i + 1..i + 3)).flatten().and_then(hex_byte);
        match hex {
            Some(b) if matches!(b, b'%' | b'/' | b'?' | b'#') || is_blank(b) => {
                out.extend_from_slice(format!("%{b:02X}").as_bytes());
                i += 3;
            }
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None if is_blank(bytes[i]) => {
                out.extend_from_slice(format!("%{:02X}", bytes[i]).as_bytes());
                i += 1;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

/// Whitespace and control characters escaped (`%20`), so a path never
/// ends in space that trimming would take away.
fn escape_blanks(path: &str) -> String {
    if !path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return path.to_string();
    }
    let mut out = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        if c.is_whitespace() || c.is_control() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Space and control characters: kept escaped, and escaped when raw.
fn is_blank(b: u8) -> bool {
    b <= b' ' || b == 0x7f
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    let text = std::str::from_utf8(pair).ok()?;
    u8::from_str_radix(text, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str) -> String {
        normalise(raw).map(|k| k.label()).unwrap_or_default()
    }

    #[test]
    fn variants_of_one_page_are_one_key() {
        for raw in [
            "https://www.Example.com/blog/roi/",
            "http://example.com/blog/roi?utm_source=x#top",
            "//EXAMPLE.com:443/blog/roi/index.html",
            "example.com/blog//roi",
            "https://user@example.com./blog/r%6Fi",
        ] {
            assert_eq!(key(raw), "example.com/blog/roi", "{raw}");
        }
        assert_eq!(key("/blog/roi/"), "/blog/roi");
        assert_eq!(key("blog/roi"), "/blog/roi");
        assert_eq!(key("https://example.com"), "example.com/");
        assert_eq!(key("/index.html"), "/");
    }

    #[test]
    fn plain_paths_take_the_short_way_to_the_same_key() {
        for raw in ["/a", "/a/", "/blog/roi", "/x.y/z-1_2~", "/index.html/a", "/a/index"] {
            let fast = plain_path(raw);
            assert!(fast.is_some(), "{raw}");
            assert_eq!(fast.map(str::to_string), Some(clean_path(raw)), "{raw}");
        }
        for raw in [
            "/",
            "",
            "a",
            "//a",
            "/a//",
            "/a%20",
            "/a b",
            "/a/index.html",
            "/a/index.htm/",
            "/a/index.html/",
            "/caf\u{e9}",
        ] {
            assert_eq!(plain_path(raw), None, "{raw}");
        }
    }

    proptest::proptest! {
        /// The short way is the rule's way, for any path it takes.
        #[test]
        fn plain_paths_are_cleaned_paths(path in "[/a-z.%~ ]{0,12}(index.html?)?/?") {
            if let Some(fast) = plain_path(&path) {
                proptest::prop_assert_eq!(fast.to_string(), clean_path(&path));
            }
        }

        /// The host, cleaned in place, is what the rule's steps make of it
        /// one copy after another.
        #[test]
        fn hosts_are_cleaned_as_the_rule_says(host in "[a-zA-Z.@:0-9W\u{e9}\u{130}]{0,12}") {
            let host = host.replace('W', "www.");
            let mut fast = String::new();
            push_host(&host, &mut fast);
            let h = host.rsplit('@').next().unwrap_or(&host);
            let h = match h.rfind(':') {
                Some(i) if i + 1 < h.len() && h[i + 1..].chars().all(|c| c.is_ascii_digit()) => &h[..i],
                _ => h,
            };
            let mut slow = h.trim_end_matches('.').to_lowercase();
            while let Some(rest) = slow.strip_prefix("www.") {
                slow = rest.to_string();
            }
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn cells_that_name_no_page() {
        for raw in ["", "  ", "(not set)", "(Other)"] {
            assert_eq!(normalise(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn escapes_of_separators_stay_escaped() {
        assert_eq!(key("/a%2fb"), "/a%2Fb");
        assert_eq!(key("/a%252F"), "/a%252F");
        assert_eq!(key("/caf%C3%A9"), "/café");
        assert_eq!(key("/bad%ZZ"), "/bad%ZZ");
        assert_eq!(key("/a%20"), "/a%20");
        assert_eq!(normalise("$./").map(|k| k.to_string()).as_deref(), Some("//$/"));
    }
}
