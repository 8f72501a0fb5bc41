//! Positions in text: the line and column of a byte offset, and of the
//! first byte that is not UTF-8. The one place that counts them, for the
//! loader and for `import`.
//!
//! Pure text work: no I/O, and no decision about what is wrong.

use crate::diagnostic::Diagnostic;
use crate::problem::InputProblem;

/// 1-based line and column (in characters) of a byte offset in `text`; an
/// offset past the end or inside a character counts as the one before it.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// `bytes` as text, or the error at the line and column of the first byte
/// that is not UTF-8 (with the bytes back, for a snippet).
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<String, (Diagnostic, Vec<u8>)> {
    String::from_utf8(bytes).map_err(|e| {
        let valid_up_to = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let before = &bytes[..valid_up_to];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        (Diagnostic::error(path, line, column, InputProblem::NotUtf8), bytes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("é\nx", 1), (1, 1));
        assert_eq!(line_column("ab", 99), (1, 3));
    }

    #[test]
    fn bad_bytes_are_found_by_line_and_column() {
        let (d, bytes) = decode("a.md", b"ok\nh\xc3\xa9\xff".to_vec()).unwrap_err();
        assert_eq!((d.line, d.column), (2, 3));
        assert_eq!(d.message(), "file is not valid UTF-8 text");
        assert_eq!(bytes.len(), 7);
        assert_eq!(decode("a.md", b"fine".to_vec()).unwrap(), "fine");
    }
}
