//! Small pieces of English the messages share.

/// `""` for one, `"s"` for any other count: `1 file`, `3 files`, `0 files`.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `1 persona`, `3 personas`.
pub fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", plural(n))
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        assert_eq!(super::count(1, "page"), "1 page");
        assert_eq!(super::count(0, "page"), "0 pages");
        assert_eq!(super::count(2, "error"), "2 errors");
    }
}
