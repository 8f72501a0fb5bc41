//! `personabook check`: every diagnostic kind with its exact position,
//! exit codes, JSON output, and the example handbook staying clean.

use crate::harness::{fixtures, run_in, Handbook};

/// Each `tests/fixtures/invalid/<case>` holds a handbook with one mistake
/// (or a few, in `several-errors`) and the whole output `personabook check`
/// gives for it, compared whole (just's `tests/error_messages.rs`):
///
/// - `expected.txt`: all of stderr: every diagnostic with its message,
///   snippet, caret and hint, then the summary line;
/// - `expected-exit.txt`: the exit code;
/// - `expected.json`: stdout of `check --format json`, compared without the
///   `code` fields; each `code` is checked to be a kebab-case word instead.
///
/// `PERSONABOOK_BLESS=1 cargo test --test it every_invalid_fixture` rewrites
/// the three files from the current binary (review the diff before committing).
#[test]
fn every_invalid_fixture_gives_its_whole_expected_output() {
    let bless = std::env::var_os("PERSONABOOK_BLESS").is_some_and(|v| v == "1");
    let mut cases: Vec<_> = std::fs::read_dir(fixtures().join("invalid")).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    assert!(cases.len() >= 40, "expected a fixture per diagnostic kind, found {}", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|case| expect::case(case, bless).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} invalid fixtures differ (`PERSONABOOK_BLESS=1 cargo test --test it every_invalid_fixture` \
         rewrites them; review the diff):\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

mod expect;

#[test]
fn a_clean_handbook_exits_zero() {
    let run = run_in(&fixtures().join("check/valid"), &["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.stderr(), "checked 2 personas, 1 asset, 1 page: 0 errors, 0 warnings\n");
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
    assert_eq!(d["code"], "unknown-stage");
    assert_eq!(d["path"], "content/assets/roi-guide.md");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(5), Some(21)));
    assert_eq!(d["hint"], "did you mean \"decision\"?");
}

#[test]
fn bad_usage_exits_two() {
    let run = run_in(&fixtures().join("check/valid"), &["check", "--format", "xml"]);
    assert_eq!(run.code(), 2);
    assert!(run.stdout().is_empty(), "{}", run.stdout());
    assert!(run.stderr().contains("invalid value 'xml' for '--format <FORMAT>'"), "{}", run.stderr());
    assert!(run.stderr().contains("[possible values: human, json, github, sarif]"), "{}", run.stderr());
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
    assert_eq!(run.stderr(), "checked 0 personas, 0 assets, 0 pages: 0 errors, 0 warnings\n", "no diagnostic at all");
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
    // Not read at all: no warning names them, and the counts are the fixture's own.
    assert_eq!(run.stderr(), "checked 2 personas, 1 asset, 1 page: 0 errors, 0 warnings\n");
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
    crate::harness::copy_dir(&crate::harness::repo_root().join("data"), &hb.root().join("data"));
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

/// Inputs stay inside the handbook: links out of it and special files are
/// never read (see `load::walk`).
#[cfg(unix)]
mod inside_the_handbook {
    use crate::harness::Handbook;
    use personabook::pipeline::{build, BuildOptions};
    use std::os::unix::fs::symlink;

    /// A secret file outside the handbook, and the handbook next to it.
    fn setup() -> (tempfile::TempDir, Handbook) {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET").unwrap();
        std::fs::create_dir_all(outside.path().join("tree/personas")).unwrap();
        std::fs::write(outside.path().join("tree/personas/eve.md"), "---\nname: Eve\n---\nTOP-SECRET\n").unwrap();
        std::fs::write(outside.path().join("tree/notes.txt"), "TOP-SECRET").unwrap();
        let hb = Handbook::fixture("check/valid");
        (outside, hb)
    }

    fn opts(hb: &Handbook) -> BuildOptions {
        let mut o = BuildOptions::new(hb.root());
        o.today = jiff::civil::date(2026, 6, 1);
        o
    }

    fn site_text(hb: &Handbook) -> (String, Vec<String>, String) {
        let built = build(&opts(hb)).unwrap_or_else(|d| panic!("build failed:\n{d}"));
        let all: String = built.site.files.values().map(|b| String::from_utf8_lossy(b).into_owned()).collect();
        let paths = built.site.files.keys().cloned().collect();
        (all, paths, built.diagnostics.to_string())
    }

    #[test]
    fn links_out_of_static_are_not_copied_and_are_named() {
        let (outside, hb) = setup();
        std::fs::create_dir_all(hb.root().join("static")).unwrap();
        symlink(outside.path().join("secret.txt"), hb.root().join("static/passwd.txt")).unwrap();
        symlink(outside.path().join("tree"), hb.root().join("static/tree")).unwrap();
        symlink("/proc/self/", hb.root().join("static/p")).unwrap();
        let (all, paths, warnings) = site_text(&hb);
        assert!(!all.contains("TOP-SECRET"), "nothing from outside is published");
        assert!(
            !paths.iter().any(|p| p.starts_with("passwd") || p.starts_with("tree/") || p.starts_with("p/")),
            "{paths:?}"
        );
        for name in ["static/passwd.txt", "static/tree", "static/p"] {
            assert!(warnings.contains(&format!("{name}:1:1: warning: not read: it leads to")), "{name}: {warnings}");
        }
    }

    #[test]
    fn links_that_stay_inside_are_followed() {
        let (_outside, hb) = setup();
        hb.write("notes/inside.txt", "INSIDE");
        std::fs::create_dir_all(hb.root().join("static")).unwrap();
        symlink("../notes/inside.txt", hb.root().join("static/inside.txt")).unwrap();
        symlink("../notes", hb.root().join("static/notes")).unwrap();
        symlink(".", hb.root().join("static/loop")).unwrap();
        let (_, paths, warnings) = site_text(&hb);
        assert!(
            paths.contains(&"inside.txt".to_string()) && paths.contains(&"notes/inside.txt".to_string()),
            "{paths:?}"
        );
        assert!(warnings.contains("static/loop:1:1: warning: skipped: a symbolic link loops back"), "{warnings}");
    }

    #[test]
    fn folder_links_out_of_content_are_not_personas() {
        let (outside, hb) = setup();
        symlink(outside.path().join("tree/personas"), hb.root().join("content/personas/outside")).unwrap();
        symlink(outside.path().join("tree/personas/eve.md"), hb.root().join("content/personas/eve.md")).unwrap();
        let built = build(&opts(&hb)).unwrap();
        assert!(built.handbook.personas.iter().all(|p| p.name != "Eve"));
        let w = built.diagnostics.to_string();
        assert!(w.contains("content/personas/outside:1:1: warning: not read"), "{w}");
        assert!(w.contains("content/personas/eve.md:1:1: warning: not read"), "{w}");
    }

    #[test]
    fn theme_and_config_links_out_are_not_read() {
        let (outside, hb) = setup();
        std::fs::write(outside.path().join("base.html"), "TOP-SECRET {{ page }}").unwrap();
        std::fs::create_dir_all(hb.root().join("themes/brand/templates")).unwrap();
        symlink(outside.path().join("base.html"), hb.root().join("themes/brand/templates/base.html")).unwrap();
        symlink(outside.path().join("tree"), hb.root().join("themes/brand/static")).unwrap();
        std::fs::write(outside.path().join("cfg.yaml"), "title: TOP-SECRET\ntheme: brand\n").unwrap();
        std::fs::rename(hb.root().join("handbook.yaml"), hb.root().join("real.yaml")).ok();
        symlink(outside.path().join("cfg.yaml"), hb.root().join("handbook.yaml")).unwrap();
        let mut o = opts(&hb);
        o.base_url = None;
        let built = build(&o).unwrap();
        assert_ne!(built.handbook.config.title, "TOP-SECRET");
        let w = built.diagnostics.to_string();
        assert!(w.contains("handbook.yaml:1:1: warning: not read"), "{w}");
        // The theme named in a config outside is not used either; point at it from inside.
        std::fs::remove_file(hb.root().join("handbook.yaml")).unwrap();
        hb.write("handbook.yaml", "theme: brand\n");
        let (all, _, w) = site_text(&hb);
        assert!(!all.contains("TOP-SECRET"));
        assert!(w.contains("themes/brand/templates/base.html:1:1: warning: not read"), "{w}");
        assert!(w.contains("themes/brand/static:1:1: warning: not read"), "{w}");
        // A theme name that climbs out of themes/ and the handbook.
        hb.write("handbook.yaml", "theme: ../../../../../../../../etc\n");
        let run = hb.run(&["check"]);
        assert_eq!(run.code(), 1);
        assert!(
            run.stderr().contains("handbook.yaml:1:8: error: `theme` must be a folder name inside themes/"),
            "{}",
            run.stderr()
        );
    }

    #[test]
    fn fifos_are_skipped_without_being_opened() {
        let hb = Handbook::fixture("check/valid");
        std::fs::create_dir_all(hb.root().join("static")).unwrap();
        for p in ["static/pipe", "content/personas/pipe.md"] {
            let ok = std::process::Command::new("mkfifo").arg(hb.root().join(p)).status().is_ok_and(|s| s.success());
            if !ok {
                eprintln!("mkfifo not available; skipping");
                return;
            }
        }
        // Opening a FIFO blocks until a writer comes: a hang here is the bug.
        let o = opts(&hb);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(build(&o).map(|b| b.diagnostics.to_string()).map_err(|d| d.to_string()));
        });
        let w = rx.recv_timeout(std::time::Duration::from_secs(30)).expect("the build did not block").unwrap();
        assert!(w.contains("static/pipe:1:1: warning: skipped: not a regular file"), "{w}");
        assert!(w.contains("content/personas/pipe.md:1:1: warning: skipped: not a regular file"), "{w}");
    }

    #[test]
    fn folders_nested_too_deep_are_an_error() {
        let hb = Handbook::fixture("check/valid");
        let deep: String = (0..40).map(|i| format!("d{i}/")).collect();
        hb.write(&format!("content/{deep}x.md"), "# X\n");
        let run = hb.run(&["check"]);
        assert_eq!(run.code(), 1, "{}", run.stderr());
        assert!(run.stderr().contains("error: folders nest deeper than 32 levels"), "{}", run.stderr());
    }

    #[test]
    fn a_markdown_file_over_the_limit_is_an_error_and_not_read() {
        let hb = Handbook::fixture("check/valid");
        let big = std::fs::File::create(hb.root().join("content/big.md")).unwrap();
        big.set_len(personabook::load::walk::MAX_TEXT_BYTES + 1).unwrap();
        let run = hb.run(&["check"]);
        assert_eq!(run.code(), 1, "{}", run.stderr());
        assert!(
            run.stderr()
                .contains("content/big.md:1:1: error: cannot read file: file is larger than the limit of 10 MiB"),
            "{}",
            run.stderr()
        );
    }
}

#[test]
fn stage_ids_ignore_case_everywhere() {
    let hb = Handbook::with_files(&[
        ("handbook.yaml", "stages:\n  - id: Awareness\n  - id: Decision\n"),
        (
            "content/personas/ana.md",
            "---\nname: Ana\njourney:\n  AWARENESS: {emotion: 1}\n  decision: {emotion: -1}\n---\n",
        ),
        ("content/assets/roi.md", "---\ntitle: ROI\npersonas: [ana]\nstages: [Awareness, DECISION]\n---\n"),
    ]);
    let opts = personabook::model::ResolveOptions { include_drafts: true, today: jiff::civil::date(2026, 1, 1) };
    let (model, diags) = personabook::pipeline::check(hb.root(), opts);
    assert!(diags.items.is_empty(), "{diags}");
    assert_eq!(model.config.stages[0].id, "awareness");
    assert_eq!(model.config.stages[0].name, "Awareness", "the name keeps the case as written");
    assert_eq!(model.asset("roi").unwrap().stages, ["awareness", "decision"]);
    let ana = model.persona("ana").unwrap();
    assert_eq!(ana.journey[0].as_ref().and_then(|s| s.emotion), Some(1));

    hb.write("handbook.yaml", "stages:\n  - id: Awareness\n  - id: awareness\n");
    hb.write("content/personas/ana.md", "---\nname: Ana\njourney:\n  Awareness: {}\n  awareness: {}\n---\n");
    hb.write("content/assets/roi.md", "---\ntitle: ROI\n---\n");
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(err.contains("handbook.yaml:3:9: error: stage `awareness` is listed twice"), "{err}");
    assert!(err.contains("they ignore case"), "{err}");
    assert!(err.contains("content/personas/ana.md:5:3: error: journey stage `awareness` is given twice"), "{err}");
    assert_eq!(err.lines().filter(|l| l.contains(": error: ")).count(), 2, "{err}");
}

#[test]
fn numbers_out_of_range_are_errors_not_panics() {
    let hb = Handbook::with_files(&[
        ("handbook.yaml", "review_interval_days: 18446744073709551615\n"),
        (
            "content/personas/ana.md",
            "---\nname: Ana\nreviewed: 9999-12-31\njourney:\n  awareness: {emotion: 300}\n  decision: {emotion: -9223372036854775808}\n---\n",
        ),
    ]);
    let run = hb.run(&["check"]);
    let err = run.stderr();
    assert_eq!(run.code(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("handbook.yaml:1:1: error: `review_interval_days` is too large a number"), "{err}");
    assert!(err.contains("error: emotion 300 is outside -2..2"), "{err}");
    assert!(err.contains("error: emotion -9223372036854775808 is outside -2..2"), "{err}");
    // The largest interval on the latest date: no overflow either.
    hb.write("handbook.yaml", "review_interval_days: 36500\n");
    hb.write("content/personas/ana.md", "---\nname: Ana\nreviewed: 9999-12-31\n---\n");
    let run = hb.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
}

#[test]
fn yaml_merge_keys_are_applied() {
    let hb = Handbook::with_files(&[(
        "content/personas/ana.md",
        "---\ndefaults: &d\n  emotion: 1\n  goal: Learn\nname: Ana\njourney:\n  awareness:\n    <<: *d\n    goal: Own goal\n  decision: {<<: *d}\n---\n",
    )]);
    let opts = personabook::model::ResolveOptions { include_drafts: true, today: jiff::civil::date(2026, 1, 1) };
    let (model, diags) = personabook::pipeline::check(hb.root(), opts);
    assert!(!diags.has_errors(), "{diags}");
    let ana = model.persona("ana").unwrap();
    let aw = ana.journey[0].as_ref().unwrap();
    assert_eq!((aw.emotion, aw.goal.as_deref()), (Some(1), Some("Own goal")), "own keys win over merged ones");
    let de = ana.journey[2].as_ref().unwrap();
    assert_eq!((de.emotion, de.goal.as_deref()), (Some(1), Some("Learn")));

    hb.write("content/personas/ana.md", "---\nname: Ana\n<<: 3\n---\n");
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("content/personas/ana.md:3:1: error: invalid `<<` merge"), "{}", run.stderr());
}

#[test]
fn a_billion_laughs_is_a_clear_error_without_the_memory() {
    let mut yaml = String::from("---\nname: Lol\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        yaml.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    yaml.push_str("---\n");
    let hb = Handbook::with_files(&[("content/personas/lol.md", &yaml)]);
    let started = std::time::Instant::now();
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("error: YAML expands to more than 100000 values"), "{}", run.stderr());
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    let errors = run.stderr().lines().filter(|l| l.contains(": error: ")).count();
    assert_eq!(errors, 1, "{}", run.stderr());
}

#[test]
fn yaml_nested_too_deep_is_a_clear_error() {
    let deep = format!("---\nname: Deep\nx: {}{}\n---\n", "[".repeat(200), "]".repeat(200));
    let hb = Handbook::with_files(&[("content/personas/deep.md", &deep)]);
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("recursion limit exceeded"), "{}", run.stderr());
    assert!(run.stderr().contains("nest at most 128 levels"), "{}", run.stderr());
}

#[test]
fn a_static_file_where_the_site_needs_a_folder_is_an_error_in_check_and_build() {
    let hb = Handbook::fixture("check/valid");
    hb.write("static/personas", "not a folder");
    for cmd in ["check", "build"] {
        let run = hb.run(&[cmd]);
        assert_eq!(run.code(), 1, "{cmd}: {}", run.stderr());
        assert!(
            run.stderr().contains(
                "static/personas:1:1: error: static/personas is a file where the site needs the folder /personas/ for the site's /personas/ section"
            ),
            "{cmd}: {}",
            run.stderr()
        );
    }
    std::fs::remove_file(hb.root().join("static/personas")).unwrap();
    hb.write("static/personas/ana-costa", "not a folder");
    let run = hb.run(&["check"]);
    assert!(run.stderr().contains("for the page of persona \"ana-costa\""), "{}", run.stderr());
}

#[test]
fn a_static_file_the_site_replaces_is_a_warning() {
    let hb = Handbook::fixture("check/valid");
    hb.write("static/index.html", "mine");
    hb.write("static/personas/index.html", "mine");
    hb.write("static/images/logo.svg", "<svg/>");
    let run = hb.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let err = run.stderr();
    assert!(
        err.contains(
            "static/index.html:1:1: warning: static/index.html is not published: the site's own index.html replaces it"
        ),
        "{err}"
    );
    assert!(
        err.contains("static/personas/index.html:1:1: warning: static/personas/index.html is not published"),
        "{err}"
    );
    assert!(!err.contains("logo.svg"), "{err}");
    let run = hb.run(&["check"]);
    assert!(run.stderr().contains("static/index.html:1:1: warning"), "{}", run.stderr());
}
