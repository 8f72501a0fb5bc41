//! Finding keys and values in the text of a YAML block, so a diagnostic
//! about a parsed value still points at its line and column, counted from
//! the top of the file.
//!
//! serde_yaml reports positions for syntax errors only; this module
//! searches the source text instead. It never parses YAML and never
//! decides what is wrong.

use crate::diagnostic::Diagnostic;
use crate::problem::Problem;

/// A YAML block inside a file: where it is and how to point into it.
#[derive(Debug, Clone, Copy)]
pub struct Locator<'a> {
    /// Display path of the file.
    pub path: &'a str,
    /// The whole file, for snippets.
    pub text: &'a str,
    /// The YAML block.
    pub yaml: &'a str,
    /// 1-based line of the file where `yaml` starts.
    pub first_line: usize,
}

/// A position in a file and how wide the thing there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

impl<'a> Locator<'a> {
    /// The first character of the block.
    pub fn start(&self) -> Pos {
        Pos { line: self.first_line, column: 1, width: 1 }
    }

    /// An error at `pos`, with the snippet attached.
    pub fn error(&self, pos: Pos, problem: impl Into<Problem>) -> Diagnostic {
        Diagnostic::error(self.path, pos.line, pos.column, problem).with_source(self.text, pos.width)
    }

    /// A warning at `pos`, with the snippet attached.
    pub fn warning(&self, pos: Pos, problem: impl Into<Problem>) -> Diagnostic {
        Diagnostic::warning(self.path, pos.line, pos.column, problem).with_source(self.text, pos.width)
    }

    /// Where the key at `path` (e.g. `["journey", "awareness", "emotion"]`) is.
    /// Falls back to the closest found ancestor, then to the block's start.
    pub fn key(&self, path: &[&str]) -> Pos {
        self.key_span(path).map_or(self.start(), |(pos, _)| pos)
    }

    /// Where `value` first appears inside the block of the key at `path`.
    pub fn value(&self, path: &[&str], value: &str) -> Pos {
        let Some((key_pos, block_end)) = self.key_span(path) else { return self.start() };
        let lines: Vec<&str> = self.yaml.lines().collect();
        let first = key_pos.line - self.first_line;
        for (i, line) in lines.iter().enumerate().take(block_end).skip(first) {
            let from = if i == first { key_pos.column - 1 + key_pos.width } else { 0 };
            if let Some(col) = line.get(from..).and_then(|rest| find_token(rest, value)) {
                let column = line[..from + col].chars().count() + 1;
                return Pos { line: self.first_line + i, column, width: value.chars().count() };
            }
        }
        key_pos
    }

    /// The key's position and the index (into the block's lines) where its block ends.
    fn key_span(&self, path: &[&str]) -> Option<(Pos, usize)> {
        let lines: Vec<&str> = self.yaml.lines().collect();
        let (mut from, mut to, mut parent_indent) = (0usize, lines.len(), None::<usize>);
        let mut found = None;
        for key in path {
            let mut hit = None;
            for (i, line) in lines.iter().enumerate().take(to).skip(from) {
                let indent = line.len() - line.trim_start().len();
                if parent_indent.is_some_and(|p| indent <= p) && !line.trim().is_empty() && i > from {
                    break;
                }
                if let Some(col) = key_column(line, key) {
                    hit = Some((i, indent.max(col)));
                    break;
                }
            }
            let Some((i, col)) = hit else { return found };
            let indent = lines[i].len() - lines[i].trim_start().len();
            let end = (i + 1..to)
                .find(|&j| {
                    let l = lines[j];
                    !l.trim().is_empty() && !l.trim_start().starts_with('#') && l.len() - l.trim_start().len() <= indent
                })
                .unwrap_or(to);
            let column = lines[i][..col].chars().count() + 1;
            found = Some((Pos { line: self.first_line + i, column, width: key.chars().count() }, end));
            (from, to, parent_indent) = (i, end, Some(indent));
        }
        found
    }
}

/// Column (byte) of `key:` on a line: at the start (after `- ` or spaces) or
/// inside a flow mapping (`{key: ...}`).
fn key_column(line: &str, key: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let body = trimmed.strip_prefix("- ").map_or(trimmed, str::trim_start);
    let lead = lead + (trimmed.len() - body.len());
    for candidate in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
        if body.starts_with(&candidate) && body[candidate.len()..].trim_start().starts_with(':') {
            return Some(lead);
        }
    }
    let needle = format!("{key}:");
    line.match_indices(&needle)
        .find(|(i, _)| line[..*i].ends_with(['{', ' ', ',']) && line[..*i].contains('{'))
        .map(|(i, _)| i)
}

/// Finds `value` as a whole token (not inside a longer word).
fn find_token(hay: &str, value: &str) -> Option<usize> {
    if value.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_' || c == '/';
    hay.match_indices(value).map(|(i, _)| i).find(|&i| {
        let before = hay[..i].chars().next_back().is_none_or(|c| !is_word(c));
        let after = hay[i + value.len()..].chars().next().is_none_or(|c| !is_word(c));
        before && after
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(yaml: &str) -> Locator<'_> {
        Locator { path: "x.md", text: yaml, yaml, first_line: 1 }
    }

    #[test]
    fn finds_nested_keys_and_values() {
        let y = "name: A\njourney:\n  awareness:\n    goal: G\n    emotion: 3\n  decision:\n    emotion: 1\nrelated: [a, bb, c]\n";
        let l = loc(y);
        assert_eq!(l.key(&["journey", "awareness", "emotion"]), Pos { line: 5, column: 5, width: 7 });
        assert_eq!(l.key(&["journey", "decision", "emotion"]).line, 7);
        assert_eq!(l.value(&["related"], "bb"), Pos { line: 8, column: 14, width: 2 });
    }

    #[test]
    fn block_list_values() {
        let l = loc("personas:\n  - anna\n  - bob\nstages: [x]\n");
        assert_eq!(l.value(&["personas"], "bob"), Pos { line: 3, column: 5, width: 3 });
    }

    #[test]
    fn flow_mapping_keys_and_missing_keys() {
        let l = loc("stages:\n  - {id: a, name: A}\n");
        assert_eq!(l.key(&["stages", "name"]), Pos { line: 2, column: 13, width: 4 });
        assert_eq!(l.key(&["nowhere"]), l.start());
    }
}
