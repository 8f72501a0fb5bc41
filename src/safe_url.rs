//! The one URL filter: which link, image and front-matter URLs may become
//! an `href` or `src` on a page. Only relative URLs (paths, `?query`,
//! `#fragment`, `//host/...`) and the schemes `http`, `https`, `mailto` and
//! `tel` pass; `javascript:`, `data:`, `vbscript:`, `file:` and every other
//! scheme are refused.
//!
//! The decision is made on what a browser could end up reading, not on the
//! text as written: HTML character references and percent-escapes are
//! decoded, control characters and whitespace removed (browsers drop tabs
//! and newlines inside a URL and trim the rest) and case ignored. Decoding
//! can only make a URL look more like a scheme, never less, so a URL that
//! passes here is safe whichever way a browser reads it.

/// The schemes a page may link to.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// A short text for hints: what the filter lets through.
pub const ALLOWED_TEXT: &str = "relative paths, #fragments, http:, https:, mailto: and tel:";

/// `url` trimmed, when it may be used as a link or image destination.
pub fn allow(url: &str) -> Option<&str> {
    let u = url.trim();
    (!u.is_empty() && refused_scheme(u).is_none()).then_some(u)
}

/// The scheme (lower case, as a browser would read it) that makes `url`
/// unsafe, or None when the URL is allowed.
pub fn refused_scheme(url: &str) -> Option<String> {
    let seen = normalise(url);
    let end = seen.find([':', '/', '?', '#', '\\'])?;
    if !seen[end..].starts_with(':') || end == 0 {
        return None;
    }
    let scheme = &seen[..end];
    (!ALLOWED_SCHEMES.contains(&scheme)).then(|| scheme.to_string())
}

/// What a browser could read `url` as: references and escapes decoded
/// (a few rounds, for double encoding), controls and whitespace removed,
/// lower case.
fn normalise(url: &str) -> String {
    let mut s = url.to_string();
    for _ in 0..4 {
        let next = percent_decode(&decode_references(&s));
        if next == s {
            break;
        }
        s = next;
    }
    s.chars().filter(|c| !c.is_control() && !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Decodes `&#106;`, `&#x6A;` (with or without `;`) and the named
/// references that matter in a scheme (`&colon;`, `&Tab;`, `&NewLine;`, ...).
fn decode_references(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference at the start of `s` (`&...`) stands for, and its length.
fn reference(s: &str) -> Option<(char, usize)> {
    let body = &s[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, "&#x".len()),
            None => (num, 10, "&#".len()),
        };
        let n = digits.chars().take_while(|c| c.is_digit(radix)).count();
        if n == 0 {
            return None;
        }
        // Too many digits is what browsers read as U+FFFD too.
        let value = u32::from_str_radix(&digits[..n], radix).unwrap_or(0xfffd);
        let c = char::from_u32(value).unwrap_or('\u{fffd}');
        let semi = usize::from(digits[n..].starts_with(';'));
        return Some((c, skip + n + semi));
    }
    const NAMED: &[(&str, char)] = &[
        ("colon;", ':'),
        ("tab;", '\t'),
        ("newline;", '\n'),
        ("nbsp;", '\u{a0}'),
        ("nbsp", '\u{a0}'),
        ("amp;", '&'),
        ("amp", '&'),
        ("sol;", '/'),
        ("quest;", '?'),
        ("num;", '#'),
        ("percnt;", '%'),
    ];
    let lower = body.get(..8.min(body.len()))?.to_ascii_lowercase();
    NAMED.iter().find(|(name, _)| lower.starts_with(name)).map(|(name, c)| (*c, 1 + name.len()))
}

/// Decodes `%XX` escapes (bytes that are not UTF-8 become U+FFFD).
/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_relative_and_web_urls() {
        for ok in [
            "https://x.org/a",
            "HTTP://x.org",
            "docs/a.pdf",
            "../a.md#goals",
            "#goals",
            "?q=1",
            "//cdn.example/x.png",
            "/images/a.png",
            "mailto:a@b.c",
            "tel:+491234",
            "a@b.c",
            "notes/10:30.pdf",
            "%zz",
            "&",
        ] {
            assert_eq!(allow(ok), Some(ok), "{ok}");
        }
        assert_eq!(allow("  https://x.org "), Some("https://x.org"));
        assert_eq!(allow("   "), None);
    }

    #[test]
    fn refuses_script_and_other_schemes_however_written() {
        let refused = [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \t javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "java&#x09;script:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "&#106avascript:alert(1)",
            "javascript&colon;alert(1)",
            "jav%61script:alert(1)",
            "javascript%3Aalert(1)",
            "jav%2561script:alert(1)",
            "\u{0}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "ftp://x.org",
        ];
        let allowed: Vec<&str> = refused.into_iter().filter(|bad| allow(bad).is_some()).collect();
        assert_eq!(allowed, Vec::<&str>::new());
        assert_eq!(refused_scheme("JaVa&#x09;Script:x").as_deref(), Some("javascript"));
    }

    #[test]
    fn odd_references_do_not_panic() {
        for s in ["&", "&#", "&#x", "&#xffffffffff;", "&#99999999999", "&#xD800;", "%", "%4", "é%e9&#233"] {
            let _ = allow(s);
        }
    }
}
