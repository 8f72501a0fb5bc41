//! Where every page lives and how pages link to each other.
//!
//! Links are always relative and always name the file: a page at
//! `personas/ana/index.html` links to the library as `../../library/index.html`.
//! Folder links (`library/`) would be prettier on a web server, but opened
//! from disk (file://) a browser shows a folder listing instead of the page.
//! Naming `index.html` works both ways, at any sub-path, so every internal
//! href this module makes ends in a file name. `base_url` is used only for
//! the sitemap and canonical links, which point at the published site.
//!
//! Where each page lives (`personas/ana/`) is `model::site_path`'s
//! decision, re-exported here; this module turns those paths into hrefs.

pub use crate::model::site_path::{
    item_dir as dir_of, journey_dir, page_file, section_dir, slug, stage_dir, term_dir, term_slug_dir,
};

/// How many folders deep an output file is (`personas/ana/index.html` -> 2).
pub fn depth_of(file: &str) -> usize {
    file.matches('/').count()
}

/// `../` repeated: the way back to the site root from a page `depth` deep.
/// Built once per depth so pages can borrow it.
#[derive(Debug, Clone)]
pub struct Prefixes(Vec<String>);

impl Prefixes {
    pub fn new(max_depth: usize) -> Self {
        Prefixes((0..=max_depth).map(|d| "../".repeat(d)).collect())
    }

    /// The prefix for a page at `depth` (grows on demand for deeper pages).
    pub fn get(&self, depth: usize) -> std::borrow::Cow<'_, str> {
        match self.0.get(depth) {
            Some(p) => std::borrow::Cow::Borrowed(p.as_str()),
            None => std::borrow::Cow::Owned("../".repeat(depth)),
        }
    }
}

/// A relative href from a page whose root prefix is `root` to the folder
/// page `dir` (`personas/ana/`, or `""` for the home page).
pub fn href(root: &str, dir: &str) -> String {
    let mut s = String::with_capacity(root.len() + dir.len() + 12);
    s.push_str(root);
    push_encoded(&mut s, dir);
    s.push_str("index.html");
    s
}

/// A relative href to a file at the site root (`static/style.css`, `handbook.json`).
pub fn file_href(root: &str, file: &str) -> String {
    let mut s = String::with_capacity(root.len() + file.len());
    s.push_str(root);
    push_encoded(&mut s, file);
    s
}

/// The anchor of a stage's content on a persona's profile (`content-awareness`).
pub fn stage_content_anchor(stage_id: &str) -> String {
    format!("content-{}", slug(stage_id))
}

/// Percent-encodes a site path for an href, keeping `/` and unreserved
/// characters, so ids with spaces, `#` or `?` still link to their file.
pub fn push_encoded(out: &mut String, path: &str) {
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(HEX[(b >> 4) as usize]));
            out.push(char::from(HEX[(b & 15) as usize]));
        }
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Decodes `%XX` escapes (the inverse of `push_encoded`), for tests and crawlers.
pub fn decode(path: &str) -> String {
    crate::safe_url::percent_decode(path)
}

/// The absolute URL of a folder page on the published site, or None when
/// `base_url` is not an absolute http(s) URL (then there is nothing to point at).
pub fn absolute(base_url: &str, dir: &str) -> Option<String> {
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        return None;
    }
    let mut s = String::with_capacity(base_url.len() + dir.len() + 1);
    s.push_str(base_url);
    if !s.ends_with('/') {
        s.push('/');
    }
    push_encoded(&mut s, dir);
    Some(s)
}

/// The path part of `base_url`, with slashes at both ends:
/// `https://x.org/team` -> `/team/`, `/` -> `/`.
pub fn base_path(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r.find('/').map_or("", |i| &r[i..]));
    let trimmed = rest.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_are_relative_and_name_the_file() {
        assert_eq!(href("../../", "personas/ana/"), "../../personas/ana/index.html");
        assert_eq!(href("", ""), "index.html");
        assert_eq!(href("../", "library/a b#c/"), "../library/a%20b%23c/index.html");
        assert_eq!(decode("a%20b%23c/"), "a b#c/");
        assert_eq!(depth_of("personas/emea/ana/index.html"), 3);
    }

    #[test]
    fn base_paths_and_absolute_urls() {
        let paths = [("https://x.org/team", "/team/"), ("https://x.org", "/"), ("/", "/"), ("/docs/hb/", "/docs/hb/")];
        for (base, want) in paths {
            assert_eq!(base_path(base), want, "{base}");
        }
        let absolute_urls = [("https://x.org/hb", Some("https://x.org/hb/personas/ana/")), ("/", None)];
        for (base, want) in absolute_urls {
            assert_eq!(absolute(base, "personas/ana/").as_deref(), want, "{base}");
        }
    }
}
