//! `init` and `new`: starter files that check clean, and never an overwrite.

use crate::harness::{run_in, Handbook};

#[test]
fn init_writes_a_handbook_that_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("hb");
    let run = run_in(tmp.path(), &["init", dir.to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
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
