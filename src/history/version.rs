//! One version of a content file as the history compares it: its text,
//! its body, and its front matter as top-level blocks, each parsed only
//! when an edit changed it (the rule is in [`super::fields`]).
//!
//! Parses with the loader's YAML reader, so every value is the one a build
//! would read; never reads the repository.

use super::fields::{self, BodyChange, FieldChange};
use crate::load::{front_matter, yaml};
use serde_yaml::{Mapping, Value};
use std::cell::OnceCell;
use std::ops::Range;

/// A file's text, split into front matter and body.
pub(crate) struct Version {
    text: String,
    body_start: usize,
    /// The front matter's bytes in `text` and the line it starts on;
    /// `None` when it is not closed (the loader then keeps none).
    yaml: Option<(Range<usize>, usize)>,
    /// The front matter's top-level blocks, when it is plainly made of them.
    blocks: Option<Vec<Block>>,
    /// The whole front matter parsed, once asked for (empty when it does
    /// not parse, as the loader keeps it).
    whole: OnceCell<Mapping>,
}

/// One top-level key and its lines.
struct Block {
    key: String,
    /// Its lines in the version's text, key line included.
    lines: Range<usize>,
    /// The file's line it starts on.
    line: usize,
    /// Its value parsed alone, once asked for (`None`: it does not parse
    /// alone as this one key).
    value: OnceCell<Option<Value>>,
}

/// Lines of a front matter past which the fast path is not tried: the
/// loader's value budget then matters (a value takes at least one byte
/// without aliases, and a key and a value can share two).
const MAX_BLOCKS_BYTES: usize = yaml::MAX_YAML_VALUES / 2;

impl Version {
    /// `text`, split into blocks; nothing is parsed yet.
    pub fn new(text: String) -> Version {
        let Ok(split) = front_matter::split(&text) else {
            let body_start = text.len();
            return Version { text, body_start, yaml: None, blocks: None, whole: OnceCell::new() };
        };
        let (range, first_line) = (split.yaml_range.clone(), split.yaml_line);
        let blocks = blocks(&text[range.clone()], range.start, first_line);
        let body_start = split.body_start;
        Version { text, body_start, yaml: Some((range, first_line)), blocks, whole: OnceCell::new() }
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The fields that changed from `old` to `self`, as `fields::diff`
    /// says for the two whole front matters.
    pub fn fields_since(&self, old: &Version) -> Vec<FieldChange> {
        if let (Some(a), Some(b)) = (&old.blocks, &self.blocks) {
            if let Some(changes) = self.blocks_since(b, old, a) {
                return changes;
            }
        }
        fields::diff(old.whole(), self.whole())
    }

    /// `fields_since` block by block: blocks with the same lines are the
    /// same field, the others are parsed alone. `None` when one of those
    /// does not parse alone as its key.
    fn blocks_since(&self, ours: &[Block], old: &Version, theirs: &[Block]) -> Option<Vec<FieldChange>> {
        fn find<'b>(bs: &'b [Block], key: &str) -> Option<&'b Block> {
            bs.iter().find(|x| x.key == key)
        }
        let mut entries: Vec<(&str, Option<&Value>, Option<&Value>)> = Vec::new();
        for y in ours {
            let x = find(theirs, &y.key);
            if x.is_some_and(|x| old.text[x.lines.clone()] == self.text[y.lines.clone()]) {
                continue;
            }
            let before = match x {
                Some(x) => Some(old.value(x)?),
                None => None,
            };
            entries.push((y.key.as_str(), before, Some(self.value(y)?)));
        }
        for x in theirs.iter().filter(|x| find(ours, &x.key).is_none()) {
            entries.push((x.key.as_str(), Some(old.value(x)?), None));
        }
        Some(fields::diff_entries(entries.into_iter()))
    }

    /// A block's value, parsed alone the first time.
    fn value<'a>(&'a self, b: &'a Block) -> Option<&'a Value> {
        b.value
            .get_or_init(|| {
                let alone = self.parse(b.lines.clone(), b.line)?;
                if alone.len() != 1 {
                    return None;
                }
                let (k, v) = alone.into_iter().next()?;
                (k.as_str() == Some(b.key.as_str())).then_some(v)
            })
            .as_ref()
    }

    /// The whole front matter, parsed the first time.
    fn whole(&self) -> &Mapping {
        self.whole.get_or_init(|| match &self.yaml {
            Some((range, first_line)) => self.parse(range.clone(), *first_line).unwrap_or_default(),
            None => Mapping::new(),
        })
    }

    /// The bytes `range` of the text (starting on line `first_line`) as
    /// the loader parses a front matter; `None` where it would refuse them.
    fn parse(&self, range: Range<usize>, first_line: usize) -> Option<Mapping> {
        yaml::Locator { path: "", text: &self.text, yaml: &self.text[range], first_line }.parse().ok()
    }

    /// How much of the body changed from `old`.
    pub fn body_since(&self, old: &Version) -> Option<BodyChange> {
        fields::body(old.body(), self.body())
    }
}

/// The top-level blocks of a front matter (`yaml`, starting at byte
/// `start` and line `first_line` of its file), or `None` when the text is
/// not plainly made of such blocks (see `fields`).
fn blocks(yaml: &str, start: usize, first_line: usize) -> Option<Vec<Block>> {
    if yaml.len() >= MAX_BLOCKS_BYTES || yaml.contains("<<") || yaml.contains("!!merge") || has_anchor(yaml) {
        return None;
    }
    let mut out: Vec<Block> = Vec::new();
    let mut at = 0;
    for (n, line) in yaml.split_inclusive('\n').enumerate() {
        let (from, to) = (start + at, start + at + line.len());
        at += line.len();
        let bare = line.trim_end_matches(['\n', '\r']);
        if let Some(key) = plain_key(bare) {
            if out.iter().any(|b| b.key == key) {
                return None;
            }
            out.push(Block { key: key.to_string(), lines: from..to, line: first_line + n, value: OnceCell::new() });
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
            Some(b) => b.lines.end = to,
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
        let b = blocks("# c\nname: A\ngoals:\n- a\n  # x\n\nrole: B\n", 0, 2).expect("blocks");
        let keys: Vec<(&str, usize)> = b.iter().map(|b| (b.key.as_str(), b.line)).collect();
        assert_eq!(keys, [("name", 3), ("goals", 4), ("role", 8)]);
        for bad in ["a: &x 1\nb: *x\n", "a: 1\na: 2\n", "\"a\": 1\n", "a: 1\nfoo\n", "<<: {a: 1}\n", "...\n", "- a\n"] {
            assert!(blocks(bad, 0, 2).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn fast_path_equals_the_whole_parse() {
        let new = fm("name: Ana\nrole: Lead\ngoals: [b, c]\nx: 1\n");
        let old = fm("name: Ana\nrole: PM\ngoals:\n  - a\n  - b\ny: 2\n");
        let (n, o) = (Version::new(new.clone()), Version::new(old.clone()));
        assert!(n.blocks.is_some() && o.blocks.is_some());
        let whole = |t: &str| Version::new(t.to_string()).whole().clone();
        assert_eq!(n.fields_since(&o), fields::diff(&whole(&old), &whole(&new)));
        // Only the blocks that differ were parsed.
        let parsed = |v: &Version| v.blocks.iter().flatten().filter(|b| b.value.get().is_some()).count();
        assert_eq!((parsed(&n), parsed(&o)), (3, 3), "name is the same on both sides");
        let same_name = Version::new(fm("name: Ana\nrole: Lead\n"));
        assert!(same_name.fields_since(&Version::new(fm("name: Ana\nrole: PM\n"))).len() == 1);
        assert_eq!(parsed(&same_name), 1);
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
            let (newer, older, oldest) = (Version::new(new), Version::new(old), Version::new(oldest));
            for (new, old) in [(&newer, &older), (&older, &oldest)] {
                let found = new.fields_since(old);
                if loader_reads(new) || loader_reads(old) {
                    proptest::prop_assert_eq!(&found, &fields::diff(old.whole(), new.whole()));
                } else {
                    // Neither parses whole (the loader refuses both): what
                    // is said is about blocks the edit changed.
                    let changed = changed_keys(new, old);
                    proptest::prop_assert!(found.iter().all(|c| changed.contains(&c.field())), "{found:?} {changed:?}");
                }
            }
        }
    }

    /// Whether the loader reads the version's front matter.
    fn loader_reads(v: &Version) -> bool {
        let Some((range, first_line)) = &v.yaml else { return true };
        v.parse(range.clone(), *first_line).is_some()
    }

    /// The keys whose blocks differ between two versions (all keys when
    /// either is not made of blocks).
    fn changed_keys<'a>(new: &'a Version, old: &'a Version) -> Vec<&'a str> {
        let (Some(a), Some(b)) = (&old.blocks, &new.blocks) else {
            return new.whole().keys().chain(old.whole().keys()).filter_map(Value::as_str).collect();
        };
        let lines = |v: &'a Version, bs: &'a [Block], key: &str| {
            bs.iter().find(|x| x.key == key).map(|x| &v.text[x.lines.clone()])
        };
        b.iter().chain(a).map(|x| x.key.as_str()).filter(|k| lines(new, b, k) != lines(old, a, k)).collect()
    }
}
