//! `personabook diff`: every format against what `git::story` committed,
//! the defaults (merge base with the default branch, the working tree) and
//! the errors (exit 2).

use crate::git::{git, story};
use crate::harness::{run_in, Handbook};

#[test]
fn human_diff_names_every_change_between_two_revisions() {
    let hb = story();
    // From Alice's first commit to the merge.
    let first = git(hb.root(), &["rev-list", "--max-parents=0", "HEAD"]).trim().to_string();
    let run = run_in(hb.root(), &["diff", &first, "HEAD"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let head = git(hb.root(), &["rev-parse", "--short=7", "HEAD"]).trim().to_string();
    let expected = format!(
        "personabook diff: {first} -> HEAD ({head})

Personas
  + Ben Okafor (ben)
  ~ Ana Ruiz (ana-ruiz, renamed from ana)
      role: \"Product Manager\" -> \"Head of Product\"
      goals: +\"Cut costs\" -\"Save time\"
      channels: +\"LinkedIn\" +\"Podcasts\" +\"Slack\"
      journey awareness: needs
      body: 1 line added, 0 removed

Assets
  + Pricing webinar (webinar)
  ~ Buyer guide (guide)
      personas: +\"ana-ruiz\" -\"ana\"

Content map
  coverage: 20% -> 20%
  filled: ana-ruiz at decision
"
    );
    assert_eq!(run.stdout(), expected);
}

#[test]
fn json_diff_is_the_same_changes_as_data() {
    let hb = story();
    let run = run_in(hb.root(), &["diff", "HEAD~2", "HEAD", "--format", "json"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let d: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    // HEAD~2 is Carol's rename (first parents: merge, Erin, Carol).
    assert_eq!(d["base"]["label"], "HEAD~2");
    assert_eq!(d["head"]["commit"].as_str().unwrap().len(), 40);
    assert_eq!(d["personas"]["added"], serde_json::json!([{"id": "ben", "name": "Ben Okafor"}]));
    assert_eq!(d["personas"]["changed"], serde_json::json!([]));
    assert_eq!(d["assets"]["added"][0]["id"], "webinar");
    assert_eq!(d["filled"], serde_json::json!([{"persona": "ana-ruiz", "stage": "decision"}]));
    assert_eq!(d["coverage"], serde_json::json!({"before": 20, "after": 20}));
}

#[test]
fn markdown_diff_is_ready_for_a_pull_request_comment() {
    let hb = story();
    let run = run_in(hb.root(), &["diff", "HEAD~3", "HEAD~2", "--format", "markdown"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let md = run.stdout();
    assert!(md.starts_with("## Persona handbook changes\n\nComparing `HEAD~3 ("), "{md}");
    assert!(md.contains("### Personas\n\n1 renamed\n\n- **Renamed:** `ana` → `ana-ruiz` (Ana Ruiz)\n"), "{md}");
    assert!(md.contains("### Assets\n\n1 changed\n\n- **Changed:** Buyer guide (`guide`)\n  - `personas`: added \"ana\\-ruiz\"; removed \"ana\"\n"), "{md}");
    assert!(md.contains("- Coverage: 20% → 20%\n"), "{md}");
}

#[test]
fn by_default_the_working_tree_is_compared_with_the_merge_base() {
    let hb = story();
    git(hb.root(), &["checkout", "-q", "-b", "edit-ben"]);
    let ben = std::fs::read_to_string(hb.root().join("content/personas/ben.md")).unwrap();
    hb.write(
        "content/personas/ben.md",
        &ben.replace("role: CFO", "role: Chief Financial Officer\ngoals: [\"[x](javascript:y)\"]"),
    );
    let run = run_in(hb.root(), &["diff", "--format", "markdown"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let md = run.stdout();
    assert!(md.contains("with `working tree`."), "{md}");
    assert!(
        md.contains("- **Changed:** Ben Okafor (`ben`)\n  - `role`: \"CFO\" → \"Chief Financial Officer\"\n"),
        "{md}"
    );
    // User text cannot open a link in the comment.
    assert!(md.contains("added \"\\[x\\]\\(javascript:y\\)\""), "{md}");
    let human = run_in(hb.root(), &["diff"]).stdout();
    assert!(human.starts_with("personabook diff: merge base "), "{human}");
}

#[test]
fn nothing_changed_is_said_and_still_exit_0() {
    let hb = story();
    let run = run_in(hb.root(), &["diff", "HEAD", "HEAD"]);
    assert_eq!(run.code(), 0);
    assert!(run.stdout().contains("\nno changes to personas, assets or the content map\n"), "{}", run.stdout());
}

#[test]
fn not_a_repository_or_an_unknown_revision_exit_2_with_a_hint() {
    let plain = Handbook::fixture("history/start");
    let run = plain.run(&["diff"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("is not inside a git repository"), "{}", run.stderr());
    assert!(run.stderr().contains("hint: run `personabook diff` inside a git clone"), "{}", run.stderr());
    let hb = story();
    let run = run_in(hb.root(), &["diff", "no-such-branch"]);
    assert_eq!(run.code(), 2);
    assert_eq!(
        run.stderr(),
        "error: unknown revision `no-such-branch`\n  = hint: name a branch, tag or commit that exists (`git log --oneline` lists commits; fetch the branch first)\n"
    );
    assert!(run.stdout().is_empty());
}
