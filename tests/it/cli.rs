//! The command line around the verbs: finding the handbook from a
//! subfolder, `--root` taken as it is, no handbook at all, `--quiet` and
//! `--verbose`, shell completions and the man page.

use crate::harness::{fixtures, run_here, run_in, Handbook};

const NO_HANDBOOK: &str = "error: no handbook here or in any folder above (no handbook.yaml or content/personas/)";
const INIT_HINT: &str = "= hint: create one with `personabook init`, or point at one with --root DIR";

#[test]
fn a_command_in_a_subfolder_walks_up_to_the_handbook_and_says_so() {
    let hb = Handbook::fixture("check/valid");
    let from_root = hb.run(&["check"]);
    let run = run_here(&hb.root().join("content/personas"), &["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let err = run.stderr();
    assert_eq!(err.lines().next(), Some("using the handbook at ../.."), "{err}");
    assert_eq!(err.matches("using the handbook").count(), 1, "said once: {err}");
    assert!(err.ends_with(&from_root.stderr()), "the same handbook as with --root: {err}");
    assert!(err.contains("checked 2 personas"), "{err}");
    // `new` writes into the found handbook, not into the subfolder.
    let new = run_here(&hb.root().join("content/assets"), &["new", "persona", "Zoe Walker"]);
    assert_eq!(new.code(), 0, "{}", new.stderr());
    assert!(hb.root().join("content/personas/zoe-walker.md").is_file(), "{}", new.stdout());
    assert!(!hb.root().join("content/assets/content").exists());
}

#[test]
fn in_the_handbook_itself_nothing_is_said_about_where_it_is() {
    let hb = Handbook::fixture("check/valid");
    let run = run_here(hb.root(), &["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(!run.stderr().contains("using the handbook"), "{}", run.stderr());
    assert_eq!(run.stderr(), hb.run(&["check"]).stderr());
}

#[test]
fn a_handbook_yaml_marks_a_handbook_without_personas() {
    let hb = Handbook::with_files(&[("handbook.yaml", "title: Small\n"), ("notes/todo.txt", "x")]);
    let run = run_here(&hb.root().join("notes"), &["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().starts_with("using the handbook at ..\n"), "{}", run.stderr());
}

#[test]
fn a_given_root_is_used_exactly_with_no_walking_up() {
    let hb = Handbook::fixture("check/valid");
    let personas = hb.root().join("content/personas");
    let run = run_in(&personas, &["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(!run.stderr().contains("using the handbook"), "{}", run.stderr());
    assert!(run.stderr().contains("checked 0 personas"), "the folder itself, not the handbook above: {}", run.stderr());
}

#[test]
fn with_no_handbook_anywhere_check_build_and_serve_exit_2_and_suggest_init() {
    let empty = tempfile::tempdir().unwrap();
    for args in [&["check"][..], &["build"], &["serve", "--port", "0"]] {
        let run = run_here(empty.path(), args);
        assert_eq!(run.code(), 2, "{args:?}: {}", run.stderr());
        assert_eq!(run.stderr(), format!("{NO_HANDBOOK}\n  {INIT_HINT}\n"), "{args:?}");
        assert_eq!(run.stdout(), "", "{args:?}");
    }
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0, "nothing was written");
    // init still works right there, and then check finds what it made.
    assert_eq!(run_here(empty.path(), &["init", "-q"]).code(), 0);
    let check = run_here(empty.path(), &["check"]);
    assert_eq!(check.code(), 0, "{}", check.stderr());
}

#[test]
fn quiet_prints_nothing_on_success() {
    let hb = Handbook::fixture("check/valid");
    let sub = hb.root().join("content/personas");
    let run = run_here(&sub, &["build", "--quiet"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!((run.stdout(), run.stderr()), (String::new(), String::new()));
    assert!(hb.root().join("public/index.html").is_file(), "quiet, but built");
    for args in [&["-q", "check"][..], &["new", "asset", "Quiet One", "-q"]] {
        let run = run_here(&sub, args);
        assert_eq!((run.code(), run.stdout(), run.stderr()), (0, String::new(), String::new()), "{args:?}");
    }
    // Warnings are dropped too under --quiet, but errors always print.
    let warned = run_in(&fixtures().join("invalid/unknown-front-matter-key"), &["check", "-q"]);
    assert_eq!((warned.code(), warned.stderr()), (0, String::new()));
    let failed = run_in(&fixtures().join("invalid/unknown-persona"), &["check", "-q"]);
    assert_eq!(failed.code(), 1);
    assert!(failed.stderr().contains("error: unknown persona id"), "{}", failed.stderr());
    assert!(!failed.stderr().contains("checked "), "{}", failed.stderr());
}

#[test]
fn verbose_says_which_handbook_where_the_site_went_and_what_it_holds() {
    let hb = Handbook::fixture("check/valid");
    let run = run_here(&hb.root().join("content/personas"), &["build", "--verbose"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let full = hb.root().canonicalize().unwrap();
    let err = run.stderr();
    assert!(err.contains(&format!("using the handbook at {}\n", full.display())), "{err}");
    assert_eq!(err.matches("using the handbook").count(), 1, "{err}");
    assert!(err.contains("rendered 2 personas, 1 asset, 1 guide page into "), "{err}");
    assert!(err.contains(&format!("output folder: {}\n", full.join("public").display())), "{err}");
    assert!(run.stdout().starts_with("built "), "the usual line stays: {}", run.stdout());
    let both = run_here(hb.root(), &["-q", "-v", "check"]);
    assert_eq!(both.code(), 2, "{}", both.stderr());
}

#[test]
fn bash_completion_parses_and_every_shell_gets_a_script() {
    let hb = Handbook::fixture("check/valid");
    let bash = hb.run(&["completions", "bash"]);
    assert_eq!(bash.code(), 0, "{}", bash.stderr());
    let script = hb.root().join("personabook.bash");
    std::fs::write(&script, bash.stdout()).unwrap();
    let parsed = std::process::Command::new("bash").arg("-n").arg(&script).output().expect("run bash -n");
    assert!(parsed.status.success(), "bash -n: {}", String::from_utf8_lossy(&parsed.stderr));
    assert!(bash.stdout().contains("serve"), "{}", bash.stdout());
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let run = hb.run(&["completions", shell]);
        assert_eq!(run.code(), 0, "{shell}: {}", run.stderr());
        for verb in ["check", "build", "serve", "init", "import", "completions"] {
            assert!(run.stdout().contains(verb), "{shell} names {verb}");
        }
    }
    assert_eq!(hb.run(&["completions", "tcsh"]).code(), 2);
}

#[test]
fn the_man_page_is_roff_naming_the_commands() {
    let run = run_here(tempfile::tempdir().unwrap().path(), &["man"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let page = run.stdout();
    // clap_mangen opens with a two-line string definition, then the title.
    let first = page.lines().find(|l| !l.starts_with(".ie") && !l.starts_with(".el")).unwrap_or("");
    assert!(first.starts_with(".TH personabook 1"), "{page}");
    for part in [".SH NAME", ".SH SYNOPSIS", "\\-\\-root", "\\-\\-quiet", "completions"] {
        assert!(page.contains(part), "{part} in the man page");
    }
}
