//! `check` on analytics settings and exports: each problem with its exact
//! message, at the file, line and column a user opens.

use crate::harness::Handbook;

const PERSONA: &str = "---\nname: Ana\n---\n";
const ASSET: &str = "---\ntitle: ROI\nurl: /blog/roi\npersonas: [ana]\nstages: [awareness]\n---\n";

/// A handbook with one persona, one asset, `config` and the given data files.
fn handbook(config: &str, data: &[(&str, &str)]) -> Handbook {
    let hb = Handbook::with_files(&[
        ("handbook.yaml", config),
        ("content/personas/ana.md", PERSONA),
        ("content/assets/roi.md", ASSET),
    ]);
    for (p, c) in data {
        hb.write(p, c);
    }
    hb
}

/// `check`'s first error line and its hint line, and the exit code.
fn first_error(hb: &Handbook) -> (String, String, i32) {
    let run = hb.run(&["check"]);
    let err = run.stderr();
    let mut lines = err.lines();
    let first = lines.find(|l| l.contains(": error: ")).unwrap_or_else(|| panic!("no error in:\n{err}")).to_string();
    let hint = lines.find(|l| l.trim_start().starts_with("= hint:")).unwrap_or_default().trim().to_string();
    (first, hint, run.code())
}

#[test]
fn a_missing_file() {
    let hb = handbook("analytics:\n  - file: data/nope.csv\n", &[]);
    let (first, hint, code) = first_error(&hb);
    assert_eq!(first, "handbook.yaml:2:11: error: analytics file `data/nope.csv` does not exist");
    assert_eq!(hint, "= hint: export the report into the handbook (a data/ folder is the convention), or fix the path");
    assert_eq!(code, 1);
}

#[test]
fn a_path_out_of_the_handbook() {
    for file in ["../outside.csv", "/etc/passwd.csv"] {
        let hb = handbook(&format!("analytics:\n  - file: {file}\n"), &[]);
        let (first, _, code) = first_error(&hb);
        assert_eq!(first, format!("handbook.yaml:2:11: error: analytics file `{file}` is outside the handbook"));
        assert_eq!(code, 1);
    }
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_handbook() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.csv"), "url,views\n/blog/roi,1\n").unwrap();
    let hb = handbook("analytics:\n  - file: data/x.csv\n", &[]);
    std::fs::create_dir_all(hb.root().join("data")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("x.csv"), hb.root().join("data/x.csv")).unwrap();
    let (first, _, _) = first_error(&hb);
    assert_eq!(first, "handbook.yaml:2:11: error: analytics file `data/x.csv` is outside the handbook");
}

#[test]
fn a_mapped_column_the_header_lacks() {
    let config = "analytics:\n  - file: data/h.csv\n    columns: {url: \"Content URL\", views: \"Page veiws\"}\n";
    let csv = "Page title,Content URL,Page views,Contacts created\nROI,/blog/roi,\"1,200\",4\n";
    let hb = handbook(config, &[("data/h.csv", csv)]);
    let (first, hint, code) = first_error(&hb);
    assert_eq!(
        first,
        "handbook.yaml:3:43: error: column `Page veiws` (mapped to `views`) is not in the header of data/h.csv"
    );
    assert_eq!(hint, "= hint: did you mean \"Page views\"?");
    assert_eq!(code, 1);
}

#[test]
fn a_cell_that_is_not_a_number() {
    // Two preamble lines, the header on line 4: the bad cell is line 6, column 12 (inside its quotes).
    let csv = "# Pages and screens\n# Start date: 20260701\n\nPage path and screen class,Views,Key events\n/blog/roi,\"1,200\",3\n/blog/x,\"12 abc\",1\n";
    let hb = handbook("analytics:\n  - file: data/ga4.csv\n", &[("data/ga4.csv", csv)]);
    let (first, hint, code) = first_error(&hb);
    assert_eq!(first, "data/ga4.csv:6:10: error: `Views` must be a number, found `12 abc`");
    assert_eq!(hint, "= hint: write plain numbers (1234, \"1,234\", 12.5%); a blank cell counts as 0");
    assert_eq!(code, 1);
    let run = hb.run(&["check"]);
    assert!(run.stderr().contains("/blog/x,\"12 abc\",1"), "the snippet shows the line:\n{}", run.stderr());
}

#[test]
fn overlapping_periods_of_one_kind() {
    let ga4 = |start: &str, end: &str| {
        format!("# Start date: {start}\n# End date: {end}\nPage path and screen class,Views\n/blog/roi,10\n")
    };
    let config = "analytics:\n  - file: data/q3.csv\n  - file: data/sep.csv\n";
    let hb = handbook(
        config,
        &[("data/q3.csv", &ga4("20260701", "20260930")), ("data/sep.csv", &ga4("20260901", "20261031"))],
    );
    let (first, hint, code) = first_error(&hb);
    assert_eq!(
        first,
        "handbook.yaml:3:11: error: data/sep.csv (2026-09-01..2026-10-31) overlaps data/q3.csv (2026-07-01..2026-09-30), \
         another GA4 Pages and screens export: their rows would be counted twice"
    );
    assert!(hint.contains("export each period once"), "{hint}");
    assert_eq!(code, 1);
    // Other kinds may cover the same days: a landing-page export is another report.
    let landing = "Landing page,Sessions\n/blog/roi,4\n";
    let config = "analytics:\n  - file: data/q3.csv\n  - file: data/lp.csv\n    period: 2026-07-01..2026-09-30\n";
    let hb = handbook(config, &[("data/q3.csv", &ga4("20260701", "20260930")), ("data/lp.csv", landing)]);
    assert_eq!(hb.run(&["check"]).code(), 0, "{}", hb.run(&["check"]).stderr());
}

#[test]
fn settings_that_are_wrong() {
    let hb = handbook("analytics:\n  - file: data/a.csv\n    period: 2026-09-30..2026-07-01\n", &[]);
    let err = hb.run(&["check"]).stderr();
    assert!(
        err.contains("handbook.yaml:3:13: error: `period` must be two dates, `YYYY-MM-DD..YYYY-MM-DD`, the first not after the second; found `2026-09-30..2026-07-01`"),
        "{err}"
    );
    let hb =
        handbook("analytics:\n  - file: data/a.csv\n    columns: {veiws: Views}\n", &[("data/a.csv", "url,views\n")]);
    let (first, hint, _) = first_error(&hb);
    assert_eq!(first, "handbook.yaml:3:15: error: `columns` names no field `veiws`");
    assert_eq!(hint, "= hint: did you mean \"views\"?");
    let hb = handbook("analytics:\n  - file: data/a.csv\n", &[("data/a.csv", "Page,Hits\n/blog/roi,3\n")]);
    let (first, hint, _) = first_error(&hb);
    assert_eq!(first, "data/a.csv:1:1: error: data/a.csv has no page URL column personabook knows");
    assert!(hint.contains("`columns: {url: \"Page\"}`"), "{hint}");
}

#[test]
fn check_accepts_the_example_handbook_exports() {
    let run = crate::harness::run_in(&crate::harness::repo_root(), &["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
}

#[test]
fn a_second_table_ends_the_first() {
    // GA4 can append the chart's series as a second table: it is not read as pages.
    let csv = "Page path and screen class,Views,Key events\n/blog/roi,100,2\n\n# Nth day\nNth day,Views\n0001,40\n";
    let hb = handbook("analytics:\n  - file: data/ga4.csv\n", &[("data/ga4.csv", csv)]);
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr().contains(
            "data/ga4.csv:5:1: warning: the table of data/ga4.csv ends here: this row has 2 cells, its header 3"
        ),
        "{}",
        run.stderr()
    );
    let out = hb.root().join("site");
    assert_eq!(hb.run(&["build", "--output", out.to_str().unwrap()]).code(), 0);
    let json = std::fs::read_to_string(out.join("handbook.json")).unwrap();
    assert!(json.contains("\"unmatched_pages\":0"), "the series became pages");
}
