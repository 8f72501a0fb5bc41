//! Slugs from free text, both rules in one place: `slug`, the ASCII rule
//! for file names (and so ids) that `new` and `import` make, so the same
//! name always gives the same id; and `url_slug`, the rule for the site's
//! URL segments (headings, stages, taxonomy terms), which keeps Unicode
//! letters. A leaf: every stage may use it.

/// Longest slug, so file names stay readable and well under file-system limits.
pub const MAX_SLUG: usize = 64;

/// `José Núñez, PhD` -> `jose-nunez-phd`: lower-case ASCII letters and digits
/// separated by single hyphens. Accented Latin letters lose their accents,
/// apostrophes vanish (`O'Brien` -> `obrien`, as `personabook new` does);
/// other characters separate words. Empty when nothing is left.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut pending_hyphen = false;
    for c in text.chars().filter(|c| !matches!(c, '\'' | '\u{2019}')) {
        let folded = fold(c);
        if folded.is_empty() {
            pending_hyphen = !out.is_empty();
            continue;
        }
        if pending_hyphen {
            out.push('-');
            pending_hyphen = false;
        }
        out.push_str(folded);
    }
    if out.len() > MAX_SLUG {
        let cut = out[..MAX_SLUG].rfind('-').filter(|&i| i > MAX_SLUG / 2).unwrap_or(MAX_SLUG);
        out.truncate(cut);
    }
    out
}

/// The id `new` makes from a name: the ASCII [`slug`], or, when that is
/// empty (a name in a script that does not fold to ASCII: `名前`, `Ольга`),
/// the name's letters and digits lower-cased, words joined by one `-`
/// (`名前` -> `名前`, `Ольга Петрова` -> `ольга-петрова`), at most
/// [`MAX_SLUG`] bytes. Empty when the name has no letters or digits.
pub fn id_slug(text: &str) -> String {
    let ascii = slug(text);
    if !ascii.is_empty() {
        return ascii;
    }
    let mut kept = url_slug(text);
    if kept == "_" {
        return String::new();
    }
    if kept.len() > MAX_SLUG {
        let mut cut = MAX_SLUG;
        while !kept.is_char_boundary(cut) {
            cut -= 1;
        }
        kept.truncate(cut);
        kept.truncate(kept.trim_end_matches('-').len());
    }
    kept
}

/// A URL slug for a free word (a tag, topic, heading): lower-case letters
/// and digits, anything else becomes one `-`. Never empty.
pub fn url_slug(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !s.is_empty() {
                s.push('-');
            }
            dash = false;
            s.extend(c.to_lowercase());
        } else if c != '\'' && c != '\u{2019}' {
            dash = true;
        }
    }
    if s.is_empty() {
        s.push('_');
    }
    s
}

/// A character as lower-case ASCII, or "" when it separates words.
fn fold(c: char) -> &'static str {
    const ASCII: &str = "0123456789abcdefghijklmnopqrstuvwxyz";
    if c.is_ascii_alphanumeric() {
        let lower = c.to_ascii_lowercase();
        let i = ASCII.find(lower).unwrap_or(0);
        return &ASCII[i..i + 1];
    }
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ą' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'đ' | 'Ď' | 'Đ' | 'ð' | 'Ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "e",
        'ğ' | 'Ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => "i",
        'ł' | 'ľ' | 'Ł' | 'Ľ' => "l",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => {
            "o"
        }
        'œ' | 'Œ' => "oe",
        'ř' | 'Ř' => "r",
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'Ť' | 'Ţ' => "t",
        'þ' | 'Þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// File slugs fold to ASCII; URL slugs (`model::site_path::slug`) keep letters.
    #[test]
    fn slugs() {
        let url = crate::model::site_path::slug;
        for (text, file, in_url) in [
            ("Maria Lopez", "maria-lopez", "maria-lopez"),
            ("  José Núñez, PhD  ", "jose-nunez-phd", "josé-núñez-phd"),
            ("Straße", "strasse", "straße"),
            ("O'Brien’s team", "obriens-team", "obriens-team"),
            ("The ROI of Marketing Ops!", "the-roi-of-marketing-ops", "the-roi-of-marketing-ops"),
            ("李雷", "", "李雷"),
            ("a--b__c", "a-b-c", "a-b-c"),
            ("!!!", "", "_"),
        ] {
            assert_eq!((slug(text), url(text)), (file.to_string(), in_url.to_string()), "{text}");
        }
        for (name, id) in
            [("名前", "名前"), ("Ольга Петрова", "ольга-петрова"), ("Maria Lopez", "maria-lopez"), ("!!", "")]
        {
            assert_eq!(id_slug(name), id, "{name}");
        }
        let long = id_slug(&"名前 ".repeat(40));
        assert!(long.len() <= MAX_SLUG && !long.ends_with('-'), "{long}");
        assert_eq!(slug("Chris, user with rheumatoid arthritis"), "chris-user-with-rheumatoid-arthritis");
        let long = slug(&"word ".repeat(40));
        assert!(long.len() <= MAX_SLUG && !long.ends_with('-'), "{long}");
    }

    proptest::proptest! {
        #[test]
        fn slugs_are_lower_ascii_words(name in "\\PC{0,80}") {
            let s = slug(&name);
            proptest::prop_assert!(s.len() <= MAX_SLUG);
            proptest::prop_assert!(s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{s}");
            proptest::prop_assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"), "{s}");
        }
    }
}
