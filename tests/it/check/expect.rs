//! The whole expected output of one `tests/fixtures/invalid/<case>`:
//! runs `check` in both formats, compares with (or, blessing, writes)
//! `expected.txt`, `expected-exit.txt` and `expected.json`, and says what
//! differs as a line diff. Only reads the fixtures, except when blessing.

use crate::harness::{repo_root, run_in};
use serde_json::Value;
use std::path::Path;

/// Runs `check` and `check --format json` on `case`; compares (or, with
/// `bless`, writes) the expected files. What is wrong, as a readable diff.
pub fn case(case: &Path, bless: bool) -> Result<(), String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let human = run_in(case, &["check"]);
    let json = run_in(case, &["check", "--format", "json"]);
    let (text, code, stdout) = (human.stderr(), human.code(), json.stdout());
    let fail = |what: String| Err(format!("== {name}: {what}\n"));
    // Checked before blessing too: no bless may write these down.
    if let Err(e) = invariants(&text, code, &human.stdout(), &json.stderr(), json.code(), &stdout) {
        return fail(e);
    }
    let files =
        [("expected.txt", text.clone()), ("expected-exit.txt", format!("{code}\n")), ("expected.json", stdout.clone())];
    if bless {
        for (file, got) in &files {
            std::fs::write(case.join(file), got).unwrap();
        }
        return Ok(());
    }
    let want = |file: &str| std::fs::read_to_string(case.join(file)).map_err(|e| format!("{file}: {e}"));
    let (want_text, want_code, want_json) =
        match (want("expected.txt"), want("expected-exit.txt"), want("expected.json")) {
            (Ok(t), Ok(c), Ok(j)) => (t, c, j),
            (t, c, j) => {
                let missing: Vec<String> = [t, c, j].into_iter().filter_map(Result::err).collect();
                return fail(format!("missing {}", missing.join(", ")));
            }
        };
    let mut wrong = Vec::new();
    if want_code.trim() != code.to_string() {
        wrong.push(format!("exit code: want {}, got {code}", want_code.trim()));
    }
    if want_text != text {
        wrong.push(format!("expected.txt (stderr of `check`):\n{}", diff(&want_text, &text)));
    }
    match (pretty(&want_json), pretty(&stdout)) {
        (Ok(w), Ok(g)) if w == g => {}
        (Ok(w), Ok(g)) => wrong.push(format!("expected.json:\n{}", diff(&w, &g))),
        (Err(e), _) => wrong.push(format!("expected.json is not a JSON list: {e}")),
        (Ok(_), Err(e)) => wrong.push(format!("`check --format json` printed no JSON list: {e}")),
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        fail(wrong.join("\n"))
    }
}

/// What must hold whatever the fixture: stdout and stderr in their
/// places, one exit code for both formats, no panic, no machine path,
/// a kebab-case `code` on each diagnostic, and the same diagnostics in
/// both formats, in the same order.
fn invariants(
    text: &str,
    code: i32,
    human_out: &str,
    json_err: &str,
    json_code: i32,
    json: &str,
) -> Result<(), String> {
    if !human_out.is_empty() || !json_err.is_empty() {
        return Err(format!("`check` printed to stdout:\n{human_out}\nor `--format json` to stderr:\n{json_err}"));
    }
    if code != json_code {
        return Err(format!("exit codes differ: {code} for `check`, {json_code} with `--format json`"));
    }
    let root = repo_root().to_string_lossy().into_owned();
    if text.contains("panicked") || text.contains(&root) || json.contains(&root) {
        return Err(format!("a panic or a path of this machine in the output:\n{text}{json}"));
    }
    let list: Vec<Value> = serde_json::from_str(json).map_err(|e| format!("stdout of --format json: {e}\n{json}"))?;
    let mut rest = text;
    for d in &list {
        let code = d["code"].as_str().unwrap_or_default();
        if !is_kebab_case(code) || !personabook::problem::codes().any(|c| c == code) {
            return Err(format!("`code` must be one of the documented codes, got {}: {d}", d["code"]));
        }
        let s = |k: &str| d[k].as_str().map_or_else(|| d[k].to_string(), String::from);
        let head = format!("{}:{}:{}: {}: {}\n", s("path"), s("line"), s("column"), s("severity"), s("message"));
        let Some(at) = rest.find(&head) else {
            return Err(format!("the JSON diagnostic {head:?} is not, or not in this order, in stderr:\n{text}"));
        };
        rest = &rest[at + head.len()..];
    }
    Ok(())
}

/// `unknown-id`, `yaml-syntax`: lower-case words joined by single `-`.
pub fn is_kebab_case(code: &str) -> bool {
    !code.is_empty()
        && code.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The JSON list with every diagnostic's `code` removed, pretty-printed.
/// The JSON list as one canonical text, for a readable diff.
fn pretty(json: &str) -> Result<String, serde_json::Error> {
    let list: Vec<Value> = serde_json::from_str(json)?;
    serde_json::to_string_pretty(&list).map(|s| s + "\n")
}

/// A line diff of `want` and `got` (longest common subsequence):
/// ` ` both, `-` only wanted, `+` only got.
pub fn diff(want: &str, got: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::from("--- want\n+++ got\n"));
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out += &format!("  {}\n", a[i]);
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out += &format!("- {}\n", a[i]);
            i += 1;
        } else {
            out += &format!("+ {}\n", b[j]);
            j += 1;
        }
    }
    if want.ends_with('\n') != got.ends_with('\n') {
        out += "(the two differ in the newline at the end)\n";
    }
    out
}

#[test]
fn kebab_case_codes() {
    for good in ["unknown-id", "yaml-syntax", "utf8", "x"] {
        assert!(is_kebab_case(good), "{good}");
    }
    for bad in ["", "Unknown-id", "unknown_id", "unknown--id", "-id", "id-", "unknown id"] {
        assert!(!is_kebab_case(bad), "{bad:?}");
    }
}

#[test]
fn the_diff_shows_what_changed() {
    let d = diff("a\nb\nc\n", "a\nB\nc\nd\n");
    assert_eq!(d, "--- want\n+++ got\n  a\n- b\n+ B\n  c\n+ d\n");
    assert!(diff("a\n", "a").ends_with("(the two differ in the newline at the end)\n"));
}
