//! Position accuracy: for each mistake in tests/fixtures/invalid, where the
//! caret belongs, where personabook puts it today (text search over the
//! block after serde_yaml parsed it), and where saphyr's MarkedYaml and
//! serde-saphyr's Spanned put the offending node or the syntax error.
//! Lines and columns are the file's, from 1.

use crate::tree::{saphyr_find, serde_saphyr_find, serde_yaml_error, Found, Pos, Seg};
use std::path::Path;

#[derive(Clone, Copy)]
enum Part {
    Key,
    Value,
}

/// A value or key some diagnostic points at.
struct Target {
    case: &'static str,
    file: &'static str,
    path: &'static [Seg],
    part: Part,
    /// Columns from the node's start to the mistake (a link inside a text).
    plus: usize,
    /// Where the caret belongs (line, column in the file).
    truth: (usize, usize),
    /// Where personabook puts it today; `None`: no diagnostic of its own.
    today: Option<(usize, usize)>,
    what: &'static str,
}

use Part::{Key, Value};
use Seg::{Idx, Key as K};

const ROI: &str = "content/assets/roi-guide.md";
const ANA: &str = "content/personas/ana-costa.md";
const BOB: &str = "content/personas/emea/bob-berg.md";
const HB: &str = "handbook.yaml";

#[rustfmt::skip]
const TARGETS: &[Target] = &[
    Target { case: "unknown-persona", file: ROI, path: &[K("personas"), Idx(0)], part: Value, plus: 0, truth: (4, 12), today: Some((4, 12)), what: "unknown id in a flow list" },
    Target { case: "unknown-related", file: ANA, path: &[K("related"), Idx(0)], part: Value, plus: 0, truth: (5, 11), today: Some((5, 11)), what: "unknown id in `related`" },
    Target { case: "unknown-stage", file: ROI, path: &[K("stages"), Idx(1)], part: Value, plus: 0, truth: (5, 21), today: Some((5, 21)), what: "second item of a flow list" },
    Target { case: "invalid-date", file: ANA, path: &[K("reviewed")], part: Value, plus: 0, truth: (6, 11), today: Some((6, 11)), what: "bad date" },
    Target { case: "emotion-out-of-range", file: ANA, path: &[K("journey"), K("decision"), K("emotion")], part: Value, plus: 0, truth: (13, 14), today: Some((13, 14)), what: "nested number" },
    Target { case: "review-interval-too-large", file: HB, path: &[K("review_interval_days")], part: Value, plus: 0, truth: (2, 23), today: Some((2, 23)), what: "config number out of range" },
    Target { case: "weight-out-of-range", file: "content/guide.md", path: &[K("weight")], part: Value, plus: 0, truth: (2, 9), today: Some((2, 9)), what: "page weight" },
    Target { case: "stage-slug-collision", file: HB, path: &[K("stages"), Idx(1), K("id")], part: Value, plus: 0, truth: (4, 9), today: Some((4, 9)), what: "second stage id" },
    Target { case: "unknown-status", file: BOB, path: &[K("status")], part: Value, plus: 0, truth: (4, 9), today: Some((4, 9)), what: "enum value" },
    Target { case: "unknown-confidence", file: BOB, path: &[K("confidence")], part: Value, plus: 0, truth: (4, 13), today: Some((4, 13)), what: "enum value" },
    Target { case: "theme-outside-themes", file: HB, path: &[K("theme")], part: Value, plus: 0, truth: (2, 8), today: Some((2, 8)), what: "path as theme" },
    Target { case: "wrong-type", file: ANA, path: &[K("goals")], part: Value, plus: 0, truth: (5, 8), today: Some((5, 1)), what: "wrong type (a mapping for a list)" },
    Target { case: "wrong-type-emotion", file: ANA, path: &[K("journey"), K("awareness"), K("emotion")], part: Value, plus: 0, truth: (10, 14), today: Some((10, 5)), what: "wrong type (text for a number)" },
    Target { case: "number-too-large", file: HB, path: &[K("review_interval_days")], part: Value, plus: 0, truth: (1, 23), today: Some((1, 1)), what: "number beyond i64" },
    Target { case: "empty-stages", file: HB, path: &[K("stages")], part: Value, plus: 0, truth: (2, 9), today: Some((2, 1)), what: "empty list" },
    Target { case: "stage-without-id", file: HB, path: &[K("stages"), Idx(1)], part: Value, plus: 0, truth: (3, 5), today: Some((1, 1)), what: "list item missing a key" },
    Target { case: "duplicate-stage", file: HB, path: &[K("stages"), Idx(2), K("id")], part: Value, plus: 0, truth: (4, 9), today: Some((2, 9)), what: "repeated value: the second one" },
    Target { case: "repeated-unknown-id", file: ROI, path: &[K("personas"), Idx(2)], part: Value, plus: 0, truth: (7, 5), today: None, what: "same unknown id twice (quoted)" },
    Target { case: "repeated-unknown-id", file: ANA, path: &[K("journey"), K("awareness"), K("goal")], part: Value, plus: 5, truth: (9, 16), today: Some((9, 16)), what: "wiki link in a journey text" },
    Target { case: "repeated-unknown-id", file: ANA, path: &[K("journey"), K("decision"), K("goal")], part: Value, plus: 4, truth: (12, 15), today: None, what: "same link in a second text" },
    Target { case: "unknown-journey-stage", file: ANA, path: &[K("journey"), K("descision")], part: Key, plus: 0, truth: (11, 3), today: Some((11, 3)), what: "unknown key" },
    Target { case: "journey-stage-twice", file: ANA, path: &[K("journey"), K("Awareness")], part: Key, plus: 0, truth: (11, 3), today: Some((11, 3)), what: "key repeated in another case" },
    Target { case: "unknown-front-matter-key", file: BOB, path: &[K("segmnet")], part: Key, plus: 0, truth: (4, 1), today: Some((4, 1)), what: "misspelt key" },
    Target { case: "unknown-config-setting", file: HB, path: &[K("titel")], part: Key, plus: 0, truth: (1, 1), today: Some((1, 1)), what: "misspelt setting" },
    Target { case: "invalid-merge", file: "content/personas/ana.md", path: &[K("<<")], part: Key, plus: 0, truth: (3, 1), today: Some((3, 1)), what: "merge key" },
    Target { case: "front-matter-not-mapping", file: "content/personas/ana.md", path: &[], part: Value, plus: 0, truth: (2, 1), today: Some((2, 1)), what: "a list as front matter" },
    Target { case: "several-errors", file: ROI, path: &[K("stages"), Idx(0)], part: Value, plus: 0, truth: (5, 10), today: Some((5, 10)), what: "only item of a flow list" },
];

/// A syntax error or a budget: (case, file, where personabook reports it).
const ERRORS: &[(&str, &str, (usize, usize), &str)] = &[
    ("yaml-syntax", ANA, (3, 11), "`: ` inside a plain value"),
    ("broken-config", HB, (4, 4), "key indented by 3 under a list item"),
    ("yaml-too-deep", "content/personas/deep.md", (3, 131), "200 nested `[`"),
    ("yaml-alias-bomb", "content/personas/lol.md", (2, 1), "billion laughs"),
];

fn block(case_dir: &Path, file: &str) -> (usize, String) {
    let text = std::fs::read_to_string(case_dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    if file.ends_with(".yaml") {
        (1, text)
    } else {
        crate::front_matter(&text).unwrap_or_else(|| panic!("{file}: no front matter"))
    }
}

fn shown(p: Option<(usize, usize)>, truth: (usize, usize)) -> String {
    match p {
        None => "— (none)".into(),
        Some(p) if p == truth => format!("{}:{} ✓", p.0, p.1),
        Some(p) => format!("{}:{} ✗", p.0, p.1),
    }
}

type Finder = fn(&str, &[Seg]) -> Result<Option<Found>, (Pos, String)>;

fn at(find: Finder, yaml: &str, t: &Target, first: usize) -> Option<(usize, usize)> {
    // A parser that rejects the block itself (serde-saphyr on `<<: 3`) reports its own position.
    let found = match find(yaml, t.path) {
        Ok(found) => found?,
        Err((p, _)) => return Some((p.line + first - 1, p.col)),
    };
    let p = match t.part {
        Key => found.key?,
        Value => found.value,
    };
    Some((p.line + first - 1, p.col + t.plus))
}

pub fn report(fixtures: &Path) {
    println!("| case | mistake | caret belongs | personabook today | saphyr MarkedYaml | serde-saphyr Spanned |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let mut score = [0usize; 3];
    for t in TARGETS {
        let (first, yaml) = block(&fixtures.join(t.case), t.file);
        let got = [t.today, at(saphyr_find, &yaml, t, first), at(serde_saphyr_find, &yaml, t, first)];
        for (s, g) in score.iter_mut().zip(got) {
            *s += usize::from(g == Some(t.truth));
        }
        let [a, b, c] = got.map(|g| shown(g, t.truth));
        println!("| {} | {} | {}:{} | {a} | {b} | {c} |", t.case, t.what, t.truth.0, t.truth.1);
    }
    println!("\nright: personabook {}/{n}, saphyr {}/{n}, serde-saphyr {}/{n}\n", score[0], score[1], score[2], n = TARGETS.len());
    println!("| case | error | personabook (serde_yaml) | saphyr | serde-saphyr |");
    println!("| --- | --- | --- | --- | --- |");
    for (case, file, today, what) in ERRORS {
        let (first, yaml) = block(&fixtures.join(case), file);
        let sy = serde_yaml_error(&yaml).map(|(p, m)| format!("{}:{} {}", p.line + first - 1, p.col, short(&m)));
        let sa = saphyr_find(&yaml, &[]).err().map(|(p, m)| format!("{}:{} {}", p.line + first - 1, p.col, short(&m)));
        let ss = serde_saphyr_find(&yaml, &[]).err().map(|(p, m)| format!("{}:{} {}", p.line + first - 1, p.col, short(&m)));
        let none = || "parsed without error".to_string();
        println!(
            "| {case} | {what} | {}:{} ({}) | {} | {} |",
            today.0,
            today.1,
            sy.unwrap_or_else(|| "budget, not serde_yaml".into()),
            sa.unwrap_or_else(none),
            ss.unwrap_or_else(none)
        );
    }
}

fn short(m: &str) -> String {
    let m = m.find(" at line ").map_or(m, |i| &m[..i]);
    let m: String = m.chars().take(70).collect();
    format!("`{}`", m.replace('|', "\\|").replace('`', "'"))
}
