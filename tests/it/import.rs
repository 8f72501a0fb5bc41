//! `personabook import`: real persona collections in, persona files out that
//! pass `check`; broken sources stop with file:line:column; nothing is ever
//! overwritten. Fixtures and their licences: tests/fixtures/import/NOTICE.md.

use crate::harness::{fixtures, Handbook, Run};
use std::path::PathBuf;

fn source(case: &str) -> PathBuf {
    fixtures().join("import").join(case)
}

/// Imports `case` into a fresh, empty handbook.
fn import(format: &str, case: &str, extra_args: &[&str]) -> (Handbook, Run) {
    let hb = Handbook::with_files(&[]);
    let src = source(case);
    let mut args = vec!["import", format, src.to_str().expect("utf-8 path")];
    args.extend_from_slice(extra_args);
    let run = hb.run(&args);
    (hb, run)
}

fn read(hb: &Handbook, rel: &str) -> String {
    std::fs::read_to_string(hb.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Runs `check` and asserts it finds no errors.
fn assert_check_passes(hb: &Handbook) {
    let check = hb.run(&["check"]);
    assert_eq!(check.code(), 0, "check failed:\n{}", check.stderr());
    assert!(check.stderr().contains(" 0 errors"), "{}", check.stderr());
}

#[test]
fn persona_library_resolves_inheritance_and_passes_check() {
    let (hb, run) = import("persona-library", "persona-library", &[]);
    assert_eq!(run.code(), 0, "{}{}", run.stdout(), run.stderr());
    let out = run.stdout();
    assert!(out.contains("dev-python.json -> "), "{out}");
    assert!(out.contains("  mapped: label -> name;"), "{out}");
    assert!(out.contains("  could not map: `*` (any) says nothing to map:"), "{out}");
    assert!(out.contains("\nimported 6 personas into "), "{out}");

    // A child keeps its own values and inherits the rest: dev-python.json
    // adds a title and a like (`x-` keys) to those of dev.json.
    let py = read(&hb, "content/personas/dev-python.md");
    assert!(py.contains("role: Python Developer\n"), "{py}");
    assert!(py.contains("- Will trust peer recommendations over vendor claims."), "inherited like missing:\n{py}");
    assert!(py.contains("- Machine Laarning and Data Science professionals"), "own x-like missing:\n{py}");
    assert!(py.contains("education: B.S. Data Science\n"), "the child's own list replaces the parent's:\n{py}");
    assert!(py.contains("related:\n- dev\n"), "the parent becomes a related persona:\n{py}");
    assert!(py.contains("\n## Typical job titles\n"), "{py}");

    // A chain: dev-exec -> dev-lead -> dev.
    let exec = read(&hb, "content/personas/ed-exec.md");
    assert!(exec.contains("- Avoid repetitive tasks that lack mental stimulation."), "grand-parent's dislike:\n{exec}");
    assert!(exec.contains("purchasing_role: decision-maker\n"), "{exec}");

    // Two parents (dev, biz), found by file name although its own id differs.
    let carl = read(&hb, "content/personas/carl-community.md");
    assert!(carl.contains("- Wants a clear understanding of why something is valuable"), "{carl}");
    assert!(carl.contains("- Will trust peer recommendations over vendor claims."), "{carl}");
    assert!(carl.contains("related:\n- dev\n- product-marketing-pete\n"), "{carl}");
    assert!(carl.contains("persona_library:\n"), "unmapped traits are kept:\n{carl}");

    assert_check_passes(&hb);
}

#[test]
fn one_file_finds_its_parents_beside_it() {
    let (hb, run) = import("persona-library", "persona-library/dev-exec.json", &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stdout().contains("note: inherits from "), "{}", run.stdout());
    let exec = read(&hb, "content/personas/ed-exec.md");
    assert!(exec.contains("- Avoid repetitive tasks that lack mental stimulation."), "{exec}");
    assert!(!exec.contains("related:"), "parents that were not imported are not linked:\n{exec}");
    assert_check_passes(&hb);
}

#[test]
fn a_missing_parent_stops_the_import_and_names_the_line() {
    let (hb, run) = import("persona-library", "missing-parent", &[]);
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(
        err.contains("drf-biz-sales.json:4:16: error: parent \"biz-marketing\" not found"),
        "unexpected message:\n{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(!hb.root().join("content").exists(), "nothing may be written");
}

#[test]
fn an_inheritance_cycle_is_an_error() {
    let (hb, run) = import("persona-library", "cycle", &[]);
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(err.contains("error: inheritance cycle:"), "{err}");
    assert!(err.contains("lead.json (id \"lead\") -> "), "{err}");
    assert!(err.contains("manager.json (id \"manager\") -> "), "{err}");
    assert_eq!(err.matches("inheritance cycle").count(), 1, "one message per cycle:\n{err}");
    assert!(!hb.root().join("content").exists(), "not even the good file is written");
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let (hb, run) = import("persona-library", "malformed", &[]);
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(err.contains("broken.json:5:5: error: invalid JSON: expected `,` or `}`"), "{err}");
    assert!(err.contains("5 |     \"segment\": \"security\""), "the line is shown:\n{err}");
    assert!(!hb.root().join("content").exists());
}

#[test]
fn never_overwrites_and_a_repeated_import_changes_nothing() {
    let hb = Handbook::with_files(&[("content/personas/dev.md", "---\nname: My own dev persona\n---\n")]);
    let src = source("persona-library");
    let src = src.to_str().expect("utf-8 path");
    let first = hb.run(&["import", "persona-library", src]);
    assert_eq!(first.code(), 0, "{}", first.stderr());
    assert!(first.stdout().contains("dev.json: skipped: "), "{}", first.stdout());
    assert!(
        first.stdout().contains("content/personas/dev.md already exists (never overwritten)"),
        "{}",
        first.stdout()
    );
    assert_eq!(read(&hb, "content/personas/dev.md"), "---\nname: My own dev persona\n---\n");
    assert!(first.stdout().contains("imported 5 personas into "), "{}", first.stdout());

    let written = read(&hb, "content/personas/dev-python.md");
    let again = hb.run(&["import", "persona-library", src]);
    assert_eq!(again.code(), 0, "everything skipped for a stated reason is a success");
    assert!(again.stdout().ends_with(", skipped 6\n"), "{}", again.stdout());
    assert_eq!(read(&hb, "content/personas/dev-python.md"), written);
    assert_check_passes(&hb);
}

#[test]
fn unknown_format_is_a_usage_error_listing_the_formats() {
    let (hb, run) = import("hugo", "pages/source", &[]);
    assert_eq!(run.code(), 2);
    assert_eq!(
        run.stderr().trim(),
        "error: unknown import format \"hugo\" (did you mean \"pages\"?); known formats: persona-library, pages"
    );
    assert!(!hb.root().join("content").exists());
}

#[test]
fn a_missing_source_is_an_error() {
    let (_, run) = import("pages", "no-such-folder", &[]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("no-such-folder: cannot read:"), "{}", run.stderr());
}

#[test]
fn pages_keep_unknown_keys_and_the_body() {
    let (hb, run) = import("pages", "pages/source", &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let out = run.stdout();
    assert!(out.contains("index.html.md: skipped: the source folder's own index page"), "{out}");
    assert!(out.contains("imported 4 personas into "), "{out}");
    assert!(out.contains("  kept under extra: layout, permalink"), "{out}");
    assert!(
        out.contains("could not map: related nobody: no such persona here; status: unknown status \"published\""),
        "{out}"
    );

    // Middleman page: `title` becomes `name`, its `parent` key stays, the body is untouched.
    let chris = read(&hb, "content/personas/chris-user-with-rheumatoid-arthritis.md");
    assert!(
        chris.starts_with("---\nname: Chris, user with rheumatoid arthritis\nparent: /index.html\n---\n\n# Chris\n"),
        "{chris}"
    );
    let original = std::fs::read_to_string(source("pages/source/chris/index.html.md")).expect("fixture");
    let original_body = original.splitn(3, "---\n").nth(2).expect("body");
    assert!(chris.ends_with(original_body), "the body is kept as written");

    // TOML front matter: custom fields under `params` are lifted, unknown keys stay,
    // a link to another imported page follows it to its new name.
    let ana = read(&hb, "content/personas/ana-analyst.md");
    assert!(ana.contains("role: Data Analyst\n"), "{ana}");
    assert!(ana.contains("summary: Turns raw numbers into the weekly board report.\n"), "{ana}");
    assert!(ana.contains("weight: 3\n") && ana.contains("aliases:\n- /people/ana/\n"), "{ana}");
    assert!(ana.contains("[Chris](chris-user-with-rheumatoid-arthritis.md)"), "{ana}");
    assert!(ana.contains("reads the old roadmap."), "a link to nowhere becomes text:\n{ana}");

    // YAML front matter: a value personabook would reject is kept aside, not lost.
    let bob = read(&hb, "content/personas/bob-buyer.md");
    assert!(bob.contains("preferred_tech:\n- Excel\n- Salesforce\n"), "{bob}");
    assert!(bob.contains("related:\n- ana-analyst\n"), "{bob}");
    assert!(bob.contains("layout: persona\npermalink: /personas/bob/\n"), "{bob}");
    assert!(bob.contains("unmapped:\n  related:\n  - nobody\n  status: published\n"), "{bob}");
    assert!(bob.contains("See [[persona:ana-analyst|Ana]] for the numbers."), "{bob}");

    assert_check_passes(&hb);
}

#[test]
fn into_a_sub_folder_uses_its_ids() {
    let hb = Handbook::with_files(&[]);
    let into = hb.root().join("content/personas/devrel");
    let src = source("persona-library");
    let run =
        hb.run(&["import", "persona-library", src.to_str().expect("utf-8"), "--into", into.to_str().expect("utf-8")]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let py = read(&hb, "content/personas/devrel/dev-python.md");
    assert!(py.contains("related:\n- devrel/dev\n"), "{py}");
    assert_check_passes(&hb);
}
