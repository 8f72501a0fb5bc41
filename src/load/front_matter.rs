//! Splitting a Markdown file into its YAML front matter and its body.
//!
//! Pure text work: no YAML parsing, no I/O. Line numbers are kept so that
//! every later diagnostic can be counted from the top of the file.

/// A file split at its `---` fences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (empty when the file has none).
    pub yaml: &'a str,
    /// 1-based line of the file on which `yaml` starts.
    pub yaml_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based line of the file on which `body` starts.
    pub body_line: usize,
    /// Whether the file had front matter at all.
    pub has_front_matter: bool,
    /// Where `yaml` is in the text, in bytes.
    pub yaml_range: std::ops::Range<usize>,
    /// Where `body` starts in the text, in bytes.
    pub body_start: usize,
}

/// The opening fence was found but no closing one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclosed;

/// Splits `text` into front matter and body. A file that does not start
/// with a `---` line has no front matter; its whole text is the body.
pub fn split(text: &str) -> Result<Split<'_>, Unclosed> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let first_end = text_no_bom.find('\n').map_or(text_no_bom.len(), |i| i + 1);
    if !is_fence(&text_no_bom[..first_end]) {
        return Ok(Split {
            yaml: &text[..0],
            yaml_line: 1,
            body: text,
            body_line: 1,
            has_front_matter: false,
            yaml_range: 0..0,
            body_start: 0,
        });
    }
    let yaml_start = bom + first_end;
    let mut pos = yaml_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if is_fence(&text[pos..end]) {
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
                has_front_matter: true,
                yaml_range: yaml_start..pos,
                body_start: end,
            });
        }
        pos = end;
        line += 1;
    }
    Err(Unclosed)
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\n', '\r']).trim_end() == "---"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\nname: A\nrole: B\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "name: A\nrole: B\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!((s.yaml_line, s.body_line), (2, 5));
        assert_eq!((s.yaml_range, s.body_start), (4..20, 24));
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# Title\n---\n").unwrap();
        assert!(!s.has_front_matter);
        assert_eq!(s.body, "# Title\n---\n");
    }

    #[test]
    fn crlf_and_bom() {
        let s = split("\u{feff}---\r\nname: A\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, "name: A\r\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn unclosed_is_an_error() {
        assert_eq!(split("---\nname: A\n"), Err(Unclosed));
    }
}
