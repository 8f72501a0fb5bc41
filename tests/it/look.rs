//! Output for people: colour in diagnostics when it is wanted (a terminal,
//! `CLICOLOR_FORCE`, `--color always`) and exactly the plain text when it
//! is not (a pipe, `NO_COLOR`, `--color never`); a progress line on long
//! builds on a terminal only.

use crate::harness::{fixtures, Handbook};
use std::path::Path;
use std::process::Command;

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const CYAN: &str = "\x1b[1;36m";
const RESET: &str = "\x1b[0m";

/// Runs the binary on `root` with stderr piped, `vars` set and the colour
/// variables of the test's own environment removed.
fn run_env(root: &Path, args: &[&str], vars: &[(&str, &str)]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_personabook"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .envs(vars.iter().copied())
        .output()
        .expect("run personabook");
    (String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code().unwrap_or(-1))
}

/// The text with every `ESC [ ... m` removed.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('m').expect("an SGR sequence ends with m");
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

fn invalid(case: &str) -> std::path::PathBuf {
    fixtures().join("invalid").join(case)
}

fn expected(case: &str) -> String {
    std::fs::read_to_string(invalid(case).join("expected.txt")).unwrap()
}

#[test]
fn a_forced_check_colours_the_severity_the_caret_the_gutter_and_the_hint() {
    let (stderr, code) = run_env(&invalid("broken-config"), &["check"], &[("CLICOLOR_FORCE", "1")]);
    assert_eq!(code, 1);
    assert!(stderr.starts_with(&format!("handbook.yaml:4:4: {RED}error{RESET}: ")), "{stderr}");
    assert!(stderr.contains(&format!("{BLUE}|{RESET}    {RED}^{RESET}\n")), "caret in red:\n{stderr}");
    assert!(stderr.contains(&format!("{BLUE}4{RESET} {BLUE}|{RESET}    name: Awareness")), "{stderr}");
    assert!(stderr.contains(&format!("{BLUE}={RESET} {CYAN}hint{RESET}: ")), "{stderr}");
    // Colour only adds codes: without them it is the plain output, byte for byte.
    assert_eq!(strip_ansi(&stderr), expected("broken-config"));
}

#[test]
fn a_warning_is_yellow() {
    let (stderr, _) = run_env(&invalid("several-errors"), &["check"], &[("CLICOLOR_FORCE", "1")]);
    assert!(stderr.contains(&format!("{YELLOW}warning{RESET}: ")), "{stderr}");
    assert_eq!(strip_ansi(&stderr), expected("several-errors"));
}

#[test]
fn piped_stderr_is_exactly_the_plain_text() {
    for case in ["broken-config", "several-errors"] {
        let (stderr, _) = run_env(&invalid(case), &["check"], &[]);
        assert_eq!(stderr, expected(case), "{case}");
    }
}

#[test]
fn no_color_wins_over_clicolor_force() {
    let vars = [("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")];
    let (stderr, _) = run_env(&invalid("broken-config"), &["check"], &vars);
    assert_eq!(stderr, expected("broken-config"));
}

#[test]
fn clicolor_force_zero_and_an_empty_no_color_change_nothing() {
    let (forced_off, _) = run_env(&invalid("broken-config"), &["check"], &[("CLICOLOR_FORCE", "0")]);
    assert_eq!(forced_off, expected("broken-config"));
    let vars = [("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")];
    let (empty_no_color, _) = run_env(&invalid("broken-config"), &["check"], &vars);
    assert!(empty_no_color.contains(RED), "an empty NO_COLOR does not count:\n{empty_no_color}");
}

#[test]
fn the_color_flag_wins_over_the_environment() {
    let root = invalid("broken-config");
    let (always, _) = run_env(&root, &["--color", "always", "check"], &[("NO_COLOR", "1")]);
    assert!(always.contains(&format!("{RED}error{RESET}")), "{always}");
    let (never, _) = run_env(&root, &["check", "--color", "never"], &[("CLICOLOR_FORCE", "1")]);
    assert_eq!(never, expected("broken-config"));
    let (bad, code) = run_env(&root, &["--color", "sometimes", "check"], &[]);
    assert_eq!(code, 2, "{bad}");
    assert!(bad.contains("auto") && bad.contains("always") && bad.contains("never"), "{bad}");
}

#[test]
fn a_failed_build_and_a_usage_error_are_coloured_too() {
    let hb = Handbook::fixture("invalid/broken-config");
    let (plain, code) = run_env(hb.root(), &["build"], &[]);
    assert_eq!(code, 1);
    assert!(!plain.contains('\x1b'), "{plain}");
    let (coloured, _) = run_env(hb.root(), &["build"], &[("CLICOLOR_FORCE", "1")]);
    assert!(coloured.starts_with(&format!("handbook.yaml:4:4: {RED}error{RESET}: ")), "{coloured}");
    assert_eq!(strip_ansi(&coloured), plain);
    assert!(plain.ends_with("build failed; the output folder was not changed\n"), "{plain}");

    let missing = hb.root().join("no-such-folder");
    let (usage, code) = run_env(&missing, &["check"], &[("CLICOLOR_FORCE", "1")]);
    assert_eq!(code, 2);
    assert!(usage.starts_with(&format!("{RED}error{RESET}: ")), "{usage}");
}

/// A handbook whose debug build takes well over the progress line's one
/// second: one persona that every one of `assets` assets serves.
fn slow_handbook(assets: usize) -> Handbook {
    let hb = Handbook::with_files(&[
        ("handbook.yaml", "title: Slow\nstages:\n  - {id: discover, name: Discover}\n"),
        ("content/personas/ana.md", "---\nname: Ana\n---\nAna.\n"),
    ]);
    for i in 0..assets {
        let text = format!("---\ntitle: Asset {i}\npersonas: [ana]\nstages: [discover]\n---\nBody {i}.\n");
        hb.write(&format!("content/assets/a{i}.md"), &text);
    }
    hb
}

#[test]
fn a_long_build_draws_a_progress_line_on_a_terminal_and_nothing_when_piped() {
    // Twice what made a debug build take 1.5 s here, so later speed-ups leave it over the second.
    let hb = slow_handbook(10_000);
    // Colour forced on does not force the progress line: a pipe never gets it.
    let (piped, code) = run_env(hb.root(), &["build"], &[("CLICOLOR_FORCE", "1")]);
    assert_eq!(code, 0, "{piped}");
    assert!(!piped.contains('\r') && !piped.contains('\x1b') && !piped.contains("rendering"), "{piped:?}");
    // The same build on a terminal (util-linux `script` gives it one) draws it,
    // so the pipe's silence above is the progress line's choice, not a build
    // too short for the line (no clock asked: a faster build must not fail it).
    let Some(tty) = on_a_terminal(hb.root(), "build") else {
        eprintln!("skipped the terminal half: `script` (util-linux) is not installed");
        return;
    };
    assert!(tty.contains("reading and checking the handbook"), "{tty:?}");
    assert!(tty.contains("rendering ") && tty.contains("/11,") && tty.contains(" files"), "{tty:?}");
    // Cleared (carriage return, erase line) before the summary.
    assert!(tty.contains("\r\x1b[2Kbuilt 10"), "{tty:?}");
}

/// What `personabook --root root verb` shows on a terminal, through `script`.
fn on_a_terminal(root: &Path, verb: &str) -> Option<String> {
    let line = format!("'{}' --root '{}' {verb}", env!("CARGO_BIN_EXE_personabook"), root.display());
    let out = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm")
        .output()
        .ok()?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}
