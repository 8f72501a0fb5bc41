//! `init` and `new`: starter files that check clean, and never an overwrite.

use crate::harness::{run_in, Handbook, Run};
use std::path::PathBuf;

/// Runs `init hb` in a new temporary folder; the folder lives as long as the guard.
fn init_new_folder() -> (tempfile::TempDir, PathBuf, Run) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("hb");
    let run = run_in(tmp.path(), &["init", dir.to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    (tmp, dir, run)
}

#[test]
fn init_writes_a_handbook_that_checks_clean() {
    let (_tmp, dir, _) = init_new_folder();
    assert!(dir.join("handbook.yaml").is_file());
    let check = run_in(&dir, &["check"]);
    assert_eq!(check.code(), 0, "{}", check.stderr());
    assert!(
        check.stderr().contains("checked 2 personas, 2 assets, 1 page: 0 errors, 0 warnings"),
        "{}",
        check.stderr()
    );
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let hb = Handbook::with_files(&[("notes.txt", "mine")]);
    let run = hb.run(&["init"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("is not empty"), "{}", run.stderr());
    assert_eq!(std::fs::read_dir(hb.root()).unwrap().count(), 1, "nothing written");
}

#[test]
fn new_persona_and_asset_get_the_right_id_and_check_clean() {
    let hb = Handbook::with_files(&[]);
    let run = hb.run(&["new", "persona", "María O'Brien: CFO"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let path = hb.root().join("content/personas/maria-obrien-cfo.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("name: 'María O''Brien: CFO'"), "{text}");
    let run = hb.run(&["new", "asset", "The ROI of Marketing Ops"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(hb.root().join("content/assets/the-roi-of-marketing-ops.md").is_file());
    let check = hb.run(&["check"]);
    assert_eq!(check.code(), 0, "{}", check.stderr());
    assert_eq!(check.stderr(), "checked 1 persona, 1 asset, 0 pages: 0 errors, 0 warnings\n");
}

#[test]
fn new_never_overwrites() {
    let hb = Handbook::with_files(&[("content/personas/ana.md", "---\nname: Ana\n---\nmine\n")]);
    let run = hb.run(&["new", "persona", "Ana"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("already exists"), "{}", run.stderr());
    assert!(std::fs::read_to_string(hb.root().join("content/personas/ana.md")).unwrap().contains("mine"));
}

/// `init` dates its examples back from the day it runs: on that day, and
/// for months after, no persona is due for review; half a year on, one is.
#[test]
fn init_dates_are_relative_to_today_so_nobody_is_overdue() {
    use personabook::model::{ResolveOptions, ReviewState};
    let tmp = tempfile::tempdir().unwrap();
    let day = jiff::civil::date(2031, 7, 15);
    personabook::scaffold::init(tmp.path(), day).unwrap();
    let persona = std::fs::read_to_string(tmp.path().join("content/personas/nadia-okafor.md")).unwrap();
    assert!(persona.contains("reviewed: 2031-07-08\n"), "{persona}");
    let asset = std::fs::read_to_string(tmp.path().join("content/assets/roi-of-marketing-ops.md")).unwrap();
    assert!(asset.contains("published: 2031-06-05\n"), "{asset}");
    let states = |today| {
        let (hb, diags) = personabook::pipeline::check(tmp.path(), ResolveOptions { include_drafts: false, today });
        assert_eq!(diags.error_count() + diags.warning_count(), 0, "{diags:?}");
        hb.personas.iter().map(|p| p.review).collect::<Vec<_>>()
    };
    assert_eq!(states(day), [ReviewState::Current, ReviewState::Current]);
    assert!(states(jiff::civil::date(2032, 1, 20)).contains(&ReviewState::Overdue));
}

/// Through the binary, on the real today: the built reviews page counts
/// nobody overdue, and `init` prints the next commands.
#[test]
fn init_prints_the_next_commands_and_its_reviews_page_is_clear() {
    let (_tmp, dir, run) = init_new_folder();
    let out = run.stdout();
    let next = out.split("Next:\n").nth(1).unwrap_or_default();
    let commands: Vec<&str> = next.lines().map(|l| l.trim().split("  ").next().unwrap_or_default()).collect();
    let cd = format!("cd {}", dir.display());
    assert_eq!(
        commands,
        [
            cd.as_str(),
            "personabook serve",
            "personabook new persona \"Maria Lopez\"",
            "personabook check",
            "personabook build"
        ],
        "{out}"
    );
    let build = run_in(&dir, &["build"]);
    assert_eq!(build.code(), 0, "{}", build.stderr());
    let page = scraper::Html::parse_document(&std::fs::read_to_string(dir.join("public/reviews/index.html")).unwrap());
    let sel = scraper::Selector::parse(".stats div").unwrap();
    let stats: Vec<String> = page.select(&sel).map(|d| d.text().collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(stats, ["Overdue 0", "Never reviewed 0", "Up to date 2"]);
}

/// The README's own example name works right after `init`: the starter
/// persona has another name.
#[test]
fn the_readme_example_persona_does_not_collide_with_init() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_in(tmp.path(), &["init"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let new = run_in(tmp.path(), &["new", "persona", "Maria Lopez"]);
    assert_eq!(new.code(), 0, "{}", new.stderr());
    let check = run_in(tmp.path(), &["check"]);
    assert_eq!(check.stderr(), "checked 3 personas, 2 assets, 1 page: 0 errors, 0 warnings\n");
}

const DRAFT_HINT: &str = "It is a draft (`status: draft`), left out of the site: `personabook serve --drafts` \
                          shows it, and `status: active` in its front matter publishes it.\n";

/// `new persona` and `new asset` both write drafts, say where and how to
/// see them; the site leaves them out until `--drafts`.
#[test]
fn new_says_where_the_draft_went_and_how_to_see_it() {
    let hb = Handbook::with_files(&[]);
    let root = hb.root().display().to_string();
    let run = hb.run(&["new", "persona", "Ana Costa"]);
    assert_eq!(
        run.stdout(),
        format!("created {root}/content/personas/ana-costa.md (persona id \"ana-costa\")\n{DRAFT_HINT}")
    );
    let run = hb.run(&["new", "asset", "ROI Guide"]);
    assert_eq!(
        run.stdout(),
        format!("created {root}/content/assets/roi-guide.md (asset id \"roi-guide\")\n{DRAFT_HINT}")
    );
    assert_eq!(hb.run(&["build"]).code(), 0);
    assert!(!hb.root().join("public/personas/ana-costa").exists(), "a draft persona is left out");
    assert!(!read(&hb, "public/library/index.html").contains("ROI Guide"), "a draft asset is left out");
    assert_eq!(hb.run(&["build", "--drafts"]).code(), 0);
    assert!(hb.root().join("public/personas/ana-costa/index.html").is_file());
    assert!(read(&hb, "public/library/index.html").contains("ROI Guide"));
}

fn read(hb: &Handbook, rel: &str) -> String {
    std::fs::read_to_string(hb.root().join(rel)).unwrap()
}

/// A new persona's journey has a step for every stage of the handbook.
#[test]
fn new_persona_fills_every_configured_stage() {
    let config = "stages:\n  - {id: discover, name: Discover}\n  - {id: try, name: Try it}\n  - {id: buy, name: Buy}\n";
    let hb = Handbook::with_files(&[("handbook.yaml", config)]);
    assert_eq!(hb.run(&["new", "persona", "Ana Costa"]).code(), 0);
    let text = read(&hb, "content/personas/ana-costa.md");
    let journey = text.split("journey:\n").nth(1).unwrap_or_default();
    let stages: Vec<&str> = journey.lines().filter(|l| l.starts_with("  ") && !l.starts_with("   ")).collect();
    assert_eq!(stages, ["  discover:", "  try:", "  buy:"], "{text}");
    let check = hb.run(&["check"]);
    assert_eq!(check.stderr(), "checked 1 persona, 0 assets, 0 pages: 0 errors, 0 warnings\n");
}

/// A name with no Latin letters keeps its letters in the id; the persona
/// builds and shows at its page, linked from the list.
#[test]
fn a_non_latin_name_gets_an_id_that_builds() {
    let hb = Handbook::with_files(&[]);
    let run = hb.run(&["new", "persona", "名前 テスト"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stdout().contains("(persona id \"名前-テスト\")"), "{}", run.stdout());
    let path = hb.root().join("content/personas/名前-テスト.md");
    let text = std::fs::read_to_string(&path).unwrap().replace("status: draft", "status: active");
    std::fs::write(&path, text).unwrap();
    let build = hb.run(&["build"]);
    assert_eq!(build.code(), 0, "{}", build.stderr());
    assert!(read(&hb, "public/personas/名前-テスト/index.html").contains("名前 テスト"));
    assert!(read(&hb, "public/personas/index.html")
        .contains("href=\"../personas/%E5%90%8D%E5%89%8D-%E3%83%86%E3%82%B9%E3%83%88/index.html\""));
    let none = hb.run(&["new", "persona", "!!!"]);
    assert_eq!(none.code(), 1);
    assert!(none.stderr().contains("it has no letters or digits"), "{}", none.stderr());
}

/// Run in the handbook folder itself, `new` names the file from there.
#[test]
fn new_in_the_current_folder_shows_a_relative_path() {
    let hb = Handbook::with_files(&[]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_personabook"))
        .args(["new", "asset", "ROI Guide"])
        .current_dir(hb.root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().next(), Some("created content/assets/roi-guide.md (asset id \"roi-guide\")"), "{stdout}");
}

/// A name is text, never a path: `..`, `/` and `\` cannot take the file
/// out of its collection's folder, in ASCII or in other scripts.
#[test]
fn names_with_path_syntax_stay_inside_the_collection() {
    let hb = Handbook::with_files(&[]);
    for (name, file) in [
        ("../../etc/passwd", "content/personas/etc-passwd.md"),
        ("..\\..\\win", "content/personas/win.md"),
        ("名/../前", "content/personas/名-前.md"),
    ] {
        let run = hb.run(&["new", "persona", name]);
        assert_eq!(run.code(), 0, "{name}: {}", run.stderr());
        assert!(hb.root().join(file).is_file(), "{name} should give {file}:\n{}", run.stdout());
    }
    let files: Vec<_> = walkdir::WalkDir::new(hb.root())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .collect();
    assert!(files.iter().all(|e| e.path().starts_with(hb.root().join("content/personas"))), "{files:?}");
    let run = hb.run(&["new", "asset", "../.."]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("it has no letters or digits"), "{}", run.stderr());
}
