//! One version of a content file as the history compares it: its text,
//! its body, and its front matter as top-level blocks, so an edit parses
//! only the blocks it changed (the rule is in [`super::fields`]).
//!
//! Parses with the loader's YAML reader, so every value is the one a build
//! would read; never reads the repository.

use super::fields::{self, BodyChange, FieldChange};
use crate::load::{front_matter, yaml};
use serde_yaml::{Mapping, Value};
use std::ops::Range;
use std::sync::Arc;

/// A file's text, split into front matter and body.
pub(crate) struct Version {
    text: String,
    body_start: usize,
    front: Front,
}

/// A front matter as the comparison sees it.
enum Front {
    /// Made of top-level blocks, each parsed alone to the value the whole
    /// front matter gives its key (in the file's order).
    Blocks(Vec<Block>),
    /// Anything else: the whole front matter parsed (empty when it does
    /// not parse, as the loader keeps it).
    Whole(Mapping),
}

/// One top-level key, its lines and its value.
struct Block {
    key: String,
    /// Its lines in the version's text, key line included.
    lines: Range<usize>,
    value: Arc<Value>,
}

/// Lines of a front matter past which the fast path is not tried: the
/// loader's value budget then matters (a value takes at least one byte
/// without aliases, and a key and a value can share two).
const MAX_BLOCKS_BYTES: usize = yaml::MAX_YAML_VALUES / 2;

impl Version {
    /// `text` read whole: the front matter parsed once.
    pub fn new(text: String) -> Version {
        Version::like(text, None)
    }

    /// `text`, reusing the values of the blocks it shares with `newer` (a
    /// version known to parse): only the other blocks are parsed.
    pub fn older(text: String, newer: &Version) -> Version {
        Version::like(text, Some(newer))
    }

    fn like(text: String, newer: Option<&Version>) -> Version {
        let Ok(split) = front_matter::split(&text) else {
            // Unclosed: the loader keeps no front matter and no body.
            let body_start = text.len();
            return Version { text, body_start, front: Front::Whole(Mapping::new()) };
        };
        let (range, first_line, body_start) = (split.yaml_range.clone(), split.yaml_line, split.body_start);
        let yaml_text = &text[range.clone()];
        let front = match blocks(yaml_text, range.start) {
            Some(found) => {
                let shared = newer.and_then(|n| match &n.front {
                    Front::Blocks(b) => Some((n, b.as_slice())),
                    Front::Whole(_) => None,
                });
                let parsed = match shared {
                    Some((n, theirs)) => each_block(&text, first_line, range.start, found, n, theirs),
                    None => whole_as_blocks(&text, first_line, range.clone(), found),
                };
                parsed.unwrap_or_else(|| Front::Whole(parse(&text, range.clone(), first_line)))
            }
            None => Front::Whole(parse(&text, range, first_line)),
        };
        Version { text, body_start, front }
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The fields that changed from `old` to `self`, as `fields::diff`
    /// says for the two whole front matters.
    pub fn fields_since(&self, old: &Version) -> Vec<FieldChange> {
        match (&old.front, &self.front) {
            (Front::Blocks(a), Front::Blocks(b)) => {
                let find = |bs: &'_ [Block], key: &str| bs.iter().position(|x| x.key == key);
                let mut order: Vec<(&str, Option<&Block>, Option<&Block>)> =
                    b.iter().map(|y| (y.key.as_str(), find(a, &y.key).map(|i| &a[i]), Some(y))).collect();
                order.extend(a.iter().filter(|x| find(b, &x.key).is_none()).map(|x| (x.key.as_str(), Some(x), None)));
                let entries = order
                    .into_iter()
                    .filter(|(_, x, y)| match (x, y) {
                        (Some(x), Some(y)) => old.text[x.lines.clone()] != self.text[y.lines.clone()],
                        _ => true,
                    })
                    .map(|(k, x, y)| (k, x.map(|x| &*x.value), y.map(|y| &*y.value)));
                fields::diff_entries(entries)
            }
            _ => fields::diff(&old.front.mapping(), &self.front.mapping()),
        }
    }

    /// How much of the body changed from `old`.
    pub fn body_since(&self, old: &Version) -> Option<BodyChange> {
        fields::body(old.body(), self.body())
    }
}

impl Front {
    /// The whole front matter as one mapping.
    fn mapping(&self) -> std::borrow::Cow<'_, Mapping> {
        match self {
            Front::Whole(m) => std::borrow::Cow::Borrowed(m),
            Front::Blocks(bs) => std::borrow::Cow::Owned(
                bs.iter().map(|b| (Value::String(b.key.clone()), Value::clone(&b.value))).collect(),
            ),
        }
    }
}

/// The whole front matter at `range` of `text` as the loader parses it
/// (empty when it does not parse).
fn parse(text: &str, range: Range<usize>, first_line: usize) -> Mapping {
    let locator = yaml::Locator { path: "", text, yaml: &text[range], first_line };
    locator.parse().unwrap_or_default()
}

/// The whole front matter parsed once and handed out by block: the parsed
/// keys must be the blocks' keys, in order.
fn whole_as_blocks(
    text: &str,
    first_line: usize,
    range: Range<usize>,
    found: Vec<(String, Range<usize>)>,
) -> Option<Front> {
    let locator = yaml::Locator { path: "", text, yaml: &text[range], first_line };
    let mapping = locator.parse().ok()?;
    if mapping.len() != found.len() {
        return None;
    }
    let mut out = Vec::with_capacity(found.len());
    for ((key, lines), (k, value)) in found.into_iter().zip(mapping) {
        if k.as_str() != Some(key.as_str()) {
            return None;
        }
        out.push(Block { key, lines, value: Arc::new(value) });
    }
    Some(Front::Blocks(out))
}

/// Each block's value: the newer version's where the block's lines are
/// the same, else the block parsed alone (it must give its key only).
fn each_block(
    text: &str,
    first_line: usize,
    yaml_start: usize,
    found: Vec<(String, Range<usize>)>,
    newer: &Version,
    theirs: &[Block],
) -> Option<Front> {
    let mut out = Vec::with_capacity(found.len());
    for (key, lines) in found {
        let same = theirs.iter().find(|b| b.key == key && newer.text[b.lines.clone()] == text[lines.clone()]);
        let value = match same {
            Some(b) => Arc::clone(&b.value),
            None => {
                let line = first_line + text[yaml_start..lines.start].matches('\n').count();
                let locator = yaml::Locator { path: "", text, yaml: &text[lines.clone()], first_line: line };
                let alone = locator.parse().ok()?;
                if alone.len() != 1 {
                    return None;
                }
                let (k, v) = alone.into_iter().next()?;
                if k.as_str() != Some(key.as_str()) {
                    return None;
                }
                Arc::new(v)
            }
        };
        out.push(Block { key, lines, value });
    }
    Some(Front::Blocks(out))
}

/// The top-level blocks of a front matter (`yaml`, starting at byte
/// `start` of its file): each key with its lines, or `None` when the text
/// is not plainly made of such blocks (see `fields`).
fn blocks(yaml: &str, start: usize) -> Option<Vec<(String, Range<usize>)>> {
    if yaml.len() >= MAX_BLOCKS_BYTES || yaml.contains("<<") || yaml.contains("!!merge") || has_anchor(yaml) {
        return None;
    }
    let mut out: Vec<(String, Range<usize>)> = Vec::new();
    let mut at = 0;
    for line in yaml.split_inclusive('\n') {
        let (from, to) = (start + at, start + at + line.len());
        at += line.len();
        let bare = line.trim_end_matches(['\n', '\r']);
        if let Some(key) = plain_key(bare) {
            if out.iter().any(|(k, _)| k == key) {
                return None;
            }
            out.push((key.to_string(), from..to));
            continue;
        }
        let continues = bare.starts_with(' ')
            || bare.trim().is_empty() && !bare.contains('\t')
            || bare.starts_with('#')
            || bare == "-"
            || bare.starts_with("- ");
        if !continues {
            return None;
        }
        match out.last_mut() {
            Some((_, lines)) => lines.end = to,
            // Before the first key only blank lines and comments.
            None if bare.trim().is_empty() || bare.starts_with('#') => {}
            None => return None,
        }
    }
    Some(out)
}

/// The key of a line `key:` or `key: value` at column 0, when the key is
/// plain (a letter, digit or `_`, then those, `-` and `.`).
fn plain_key(line: &str) -> Option<&str> {
    let colon = line.find(':')?;
    let (key, rest) = (&line[..colon], &line[colon + 1..]);
    let first = key.chars().next()?;
    let plain = (first.is_ascii_alphanumeric() || first == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    (plain && (rest.is_empty() || rest.starts_with(' '))).then_some(key)
}

/// Whether the text may hold an anchor or an alias (`&name`, `*name`
/// where a node can start): then one block's value can depend on another's.
fn has_anchor(yaml: &str) -> bool {
    let b = yaml.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        (c == b'&' || c == b'*')
            && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b','))
            && b.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(yaml: &str) -> String {
        format!("---\n{yaml}---\nBody\n")
    }

    #[test]
    fn splits_blocks_and_refuses_the_unusual() {
        let b = blocks("# c\nname: A\ngoals:\n- a\n  # x\n\nrole: B\n", 0).expect("blocks");
        let keys: Vec<&str> = b.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["name", "goals", "role"]);
        for bad in ["a: &x 1\nb: *x\n", "a: 1\na: 2\n", "\"a\": 1\n", "a: 1\nfoo\n", "<<: {a: 1}\n", "...\n", "- a\n"] {
            assert!(blocks(bad, 0).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn fast_path_equals_the_whole_parse() {
        let new = fm("name: Ana\nrole: Lead\ngoals: [b, c]\nx: 1\n");
        let old = fm("name: Ana\nrole: PM\ngoals:\n  - a\n  - b\ny: 2\n");
        let (n, o) = (Version::new(new.clone()), Version::older(old.clone(), &Version::new(new.clone())));
        assert!(matches!(n.front, Front::Blocks(_)) && matches!(o.front, Front::Blocks(_)));
        let whole = |t: &str| {
            let s = front_matter::split(t).expect("closed");
            parse(t, s.yaml_range, s.yaml_line)
        };
        assert_eq!(n.fields_since(&o), fields::diff(&whole(&old), &whole(&new)));
    }

    /// A real front matter's lines, and lines an edit may put in.
    const REAL: &str = "name: Noah Mensah\nrole: Chief Financial Officer\nage: \"30-40\"\nquote: \"Don't sell to me.\"\n\
        goals: [Earn a seat, Prove marketing's contribution]\ntags: [regulated, end-user]\nreviewed: 2025-06-19\n\
        metrics:\n  - {label: Churn rate, value: \"15%\"}\n  - {label: NPS, value: \"59\"}\njourney:\n  awareness:\n\
        \x20   goal: Put a name to the problem\n    emotion: 1\n  decision:\n    goal: Agree a plan\n    formats: [webinar]\n\
        notes: |\n  Line one\n  Line two\n";
    const LINES: &[&str] = &[
        "role: Lead",
        "goals: [Earn a seat]",
        "goals:",
        "- a",
        "  - b",
        "  - {label: X, value: \"1\"}",
        "# note",
        "",
        "    emotion: 2",
        "  retention:",
        "name: Noah Mensah",
        "a: &x 1",
        "b: *x",
        "<<: {c: 1}",
        "foo",
        "k: [a, b",
        "\"q\": 1",
        "k: {a: 1}",
        "...",
        "12: twelve",
        "true: yes",
        "tags: [regulated, end-user]",
        "  Line three",
        "notes: >",
        "x:\ty",
        "\tz: 1",
        "y: 'it''s'",
        "n: ~",
        "\u{feff}w: 1",
        "reviewed: 2025-06-20",
        "  : bad",
    ];

    fn edit(base: &str, ops: &[(usize, usize, u8)]) -> String {
        let mut lines: Vec<&str> = base.lines().collect();
        for &(at, with, op) in ops {
            let at = at % (lines.len() + 1);
            match op % 3 {
                0 if at < lines.len() => lines[at] = LINES[with % LINES.len()],
                1 if at < lines.len() => {
                    lines.remove(at);
                }
                _ => lines.insert(at, LINES[with % LINES.len()]),
            }
        }
        lines.iter().map(|l| format!("{l}\n")).collect()
    }

    proptest::proptest! {
        #[test]
        fn random_edits_of_a_real_front_matter_agree(
            a in proptest::collection::vec((0usize..40, 0usize..64, 0u8..3), 0..4),
            b in proptest::collection::vec((0usize..40, 0usize..64, 0u8..3), 0..3),
        ) {
            let (new_yaml, old_yaml) = (edit(REAL, &a), edit(&edit(REAL, &a), &b));
            let (new, old, oldest) = (fm(&new_yaml), fm(&old_yaml), fm(&edit(&old_yaml, &a)));
            let whole = |t: &str| {
                let s = front_matter::split(t).expect("closed");
                parse(t, s.yaml_range, s.yaml_line)
            };
            let expected = fields::diff(&whole(&old), &whole(&new));
            let newer = Version::new(new.clone());
            proptest::prop_assert_eq!(&newer.fields_since(&Version::older(old.clone(), &newer)), &expected);
            proptest::prop_assert_eq!(&newer.fields_since(&Version::new(old.clone())), &expected);
            // And one more step back, from a version built from blocks.
            let older = Version::older(old.clone(), &newer);
            let expected = fields::diff(&whole(&oldest), &whole(&old));
            proptest::prop_assert_eq!(&older.fields_since(&Version::older(oldest, &older)), &expected);
        }
    }
}
