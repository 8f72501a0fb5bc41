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
use std::fmt;

/// A page, as normalised: the host (empty when the URL was a path) and
/// the path (`/` for the root).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageKey {
    pub host: String,
    pub path: String,
}

impl PageKey {
    /// The key as people read it: `example.com/blog/roi`, `/blog/roi`.
    pub fn label(&self) -> String {
        format!("{}{}", self.host, self.path)
    }
}

/// The key as a URL that normalises to itself: `//example.com/blog/roi`
/// (a host always behind `//`), `/blog/roi`.
impl fmt::Display for PageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.is_empty() {
            f.write_str(&self.path)
        } else {
            write!(f, "//{}{}", self.host, self.path)
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
    let text = raw.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("(not set)") || text.eq_ignore_ascii_case("(other)") {
        return None;
    }
    if is_plain_path(text) {
        // What the steps below make of it, without their copies: most rows are such paths.
        return Some(PageKey { host: String::new(), path: text.to_string() });
    }
    let text = text.split(['#', '?']).next().unwrap_or_default();
    let (host, path) = split_host(text);
    Some(PageKey { host: clean_host(host), path: clean_path(path) })
}

/// A path the rule leaves as it is: `/` and printable ASCII, no `%`, `?`,
/// `#` or `//`, no trailing `/` and no last `index.html` or `index.htm`.
fn is_plain_path(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() > 1
        && b[0] == b'/'
        && b[b.len() - 1] != b'/'
        && b.iter().all(|&c| c.is_ascii_graphic() && !matches!(c, b'%' | b'?' | b'#'))
        && !t.contains("//")
        && !t.ends_with("/index.html")
        && !t.ends_with("/index.htm")
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

fn clean_host(host: &str) -> String {
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = match host.rfind(':') {
        Some(i) if i + 1 < host.len() && host[i + 1..].chars().all(|c| c.is_ascii_digit()) => &host[..i],
        _ => host,
    };
    let mut host = host.trim_end_matches('.').to_lowercase();
    while let Some(rest) = host.strip_prefix("www.") {
        host = rest.to_string();
    }
    host
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
        for raw in ["/a", "/blog/roi", "/x.y/z-1_2~", "/index.html/a", "/a/index"] {
            let slow = PageKey { host: clean_host(split_host(raw).0), path: clean_path(split_host(raw).1) };
            assert!(is_plain_path(raw), "{raw}");
            assert_eq!(normalise(raw), Some(slow), "{raw}");
        }
        for raw in ["/", "/a/", "//a", "/a%20", "/a b", "/a/index.html", "/caf\u{e9}"] {
            assert!(!is_plain_path(raw), "{raw}");
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
