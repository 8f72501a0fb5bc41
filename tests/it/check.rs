//! `personabook check`: every diagnostic kind with its exact position,
//! exit codes, JSON output, and the example handbook staying clean.

use crate::harness::{fixtures, run_in, Handbook};

/// Each `tests/fixtures/invalid/<case>` holds a handbook with one mistake and
/// `expected.txt`, the first line of the message it must produce.
#[test]
fn every_invalid_fixture_reports_its_exact_message() {
    let mut cases: Vec<_> = std::fs::read_dir(fixtures().join("invalid")).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    assert!(cases.len() >= 15, "expected a fixture per diagnostic kind");
    for case in cases {
        let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap();
        let expected = expected.trim();
        let run = run_in(&case, &["check"]);
        let stderr = run.stderr();
        assert_eq!(run.code(), 1, "{}: exit code\n{stderr}", case.display());
        let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
        assert_eq!(errors.len(), 1, "{}: exactly one error, got:\n{stderr}", case.display());
        assert!(errors[0].starts_with(expected), "{}:\nwant: {expected}\ngot:  {}", case.display(), errors[0]);
        assert!(stderr.contains(" | "), "{}: a snippet is shown:\n{stderr}", case.display());
        assert!(!stderr.contains("panicked"), "{}", case.display());
    }
}

#[test]
fn a_clean_handbook_exits_zero() {
    let run = run_in(&fixtures().join("check/valid"), &["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().contains("0 errors"), "{}", run.stderr());
}

#[test]
fn snippet_has_a_caret_under_the_mistake_and_a_hint() {
    let run = run_in(&fixtures().join("invalid/unknown-persona"), &["check"]);
    let stderr = run.stderr();
    let lines: Vec<&str> = stderr.lines().collect();
    let src = lines.iter().position(|l| l.starts_with("4 | ")).expect("source line shown");
    assert_eq!(lines[src], "4 | personas: [ana-costta]");
    assert_eq!(lines[src + 1], "  |            ^^^^^^^^^^");
    assert!(lines[src + 2].contains("hint:"), "{stderr}");
}

#[test]
fn all_errors_are_reported_in_one_run() {
    let hb = Handbook::fixture("check/valid");
    hb.write(
        "content/assets/bad.md",
        "---\ntitle: Bad\npersonas: [nobody, ana-costa]\nstages: [nowhen]\n---\n[[missing]]\n",
    );
    hb.write("content/personas/carl.md", "---\nrole: no name\njourney:\n  awareness: {emotion: 9}\n---\n");
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 1);
    let errors = run.stderr().lines().filter(|l| l.contains(": error: ")).count();
    assert_eq!(errors, 5, "{}", run.stderr());
}

#[test]
fn json_format_lists_diagnostics_for_editors() {
    let run = run_in(&fixtures().join("invalid/unknown-stage"), &["check", "--format", "json"]);
    assert_eq!(run.code(), 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout()).expect("stdout is JSON");
    let d = &v.as_array().unwrap()[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], "content/assets/roi-guide.md");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(5), Some(21)));
    assert_eq!(d["hint"], "did you mean \"decision\"?");
}

#[test]
fn bad_usage_exits_two() {
    let run = run_in(&fixtures().join("check/valid"), &["check", "--format", "xml"]);
    assert_eq!(run.code(), 2);
    let run = run_in(&fixtures().join("check/no-such-folder"), &["check"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("--root"), "{}", run.stderr());
}

#[test]
fn unknown_keys_warn_with_a_suggestion_but_pass() {
    let hb = Handbook::fixture("check/valid");
    hb.write("handbook.yaml", "titel: Typo\n");
    hb.write("content/personas/dee.md", "---\nname: Dee\nsegmnet: smb\nfavourite_colour: blue\n---\n");
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let stderr = run.stderr();
    assert!(stderr.contains("handbook.yaml:1:1: warning: unknown setting `titel`"), "{stderr}");
    assert!(stderr.contains("did you mean \"title\"?"), "{stderr}");
    assert!(stderr.contains("content/personas/dee.md:3:1: warning: unknown key `segmnet`"), "{stderr}");
    assert!(!stderr.contains("favourite_colour"), "free keys are silently kept as extra: {stderr}");
}

#[test]
fn a_handbook_without_config_or_content_is_fine() {
    let hb = Handbook::with_files(&[]);
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
}

#[test]
fn hidden_and_editor_temp_files_are_skipped() {
    let hb = Handbook::fixture("check/valid");
    hb.write("content/personas/.ana-costa.md.swp", "garbage");
    hb.write("content/personas/ana-costa.md~", "garbage");
    hb.write("content/personas/.hidden.md", "---\nnot: [valid\n---\n");
    hb.write("content/.git/notes.md", "---\nbroken: [\n---\n");
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_not_followed() {
    let hb = Handbook::fixture("check/valid");
    std::os::unix::fs::symlink(hb.root().join("content"), hb.root().join("content/guides/loop")).unwrap();
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().contains("loops back"), "{}", run.stderr());
}

#[test]
fn the_example_handbook_is_clean() {
    let run = run_in(&crate::harness::repo_root(), &["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().contains(" 0 errors, 0 warnings"), "{}", run.stderr());
}

#[test]
fn breaking_a_reference_in_the_example_gives_one_error_on_the_right_line() {
    let hb = Handbook { dir: tempfile::tempdir().unwrap() };
    crate::harness::copy_dir(&crate::harness::repo_root().join("content"), &hb.root().join("content"));
    std::fs::copy(crate::harness::repo_root().join("handbook.yaml"), hb.root().join("handbook.yaml")).unwrap();
    let asset = walkdir::WalkDir::new(hb.root().join("content/assets"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| t.lines().any(|l| l.starts_with("personas: [") && l.len() > 13))
        })
        .expect("an asset mapped to personas");
    let text = std::fs::read_to_string(&asset).unwrap();
    let line_no = text.lines().position(|l| l.starts_with("personas: [")).unwrap() + 1;
    std::fs::write(&asset, text.replacen("personas: [", "personas: [nobody-at-all, ", 1)).unwrap();
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 1);
    let errors: Vec<String> = run.stderr().lines().filter(|l| l.contains(": error: ")).map(String::from).collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr());
    let rel = crate::harness::rel(hb.root(), &asset);
    assert!(
        errors[0].starts_with(&format!("{rel}:{line_no}:12: error: unknown persona id \"nobody-at-all\"")),
        "{}",
        errors[0]
    );
}

#[test]
fn a_guide_page_may_not_take_a_name_the_site_uses() {
    let hb = Handbook::fixture("check/valid");
    hb.write("content/search.md", "# My search tips\n");
    hb.write("content/sitemap.xml.md", "# Not a sitemap\n");
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(
        err.contains("content/search.md:1:1: error: guide page \"search\" would replace the site's own /search/ page"),
        "{err}"
    );
    assert!(err.contains("content/sitemap.xml.md:1:1: error: guide page \"sitemap.xml\""), "{err}");
}
