//! `check --format github` and `--format sarif`: what GitHub Actions and
//! code-scanning tools read, line for line and against the SARIF schema.

use crate::harness::{fixtures, run_in, Handbook, Run};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Runs `personabook --root root args...` from the folder `cwd`.
fn run_from(cwd: &Path, root: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_personabook"))
        .current_dir(cwd)
        .args(["--root", root])
        .args(args)
        .output()
        .expect("run personabook");
    Run { out }
}

#[test]
fn github_prints_one_workflow_command_per_diagnostic() {
    let run = run_from(&fixtures().join("invalid/several-errors"), ".", &["check", "--format", "github"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert_eq!(run.stderr(), "");
    let expected = [
        "::error file=content/assets/roi-guide.md,line=4,col=12,endLine=4,endColumn=17,title=unknown-id::\
         unknown persona id \"nobody\"%0Ahint: ids are file paths inside content/personas/, content/assets/ \
         or content/ without `.md`",
        "::error file=content/assets/roi-guide.md,line=5,col=10,endLine=5,endColumn=15,title=unknown-stage::\
         unknown stage \"nowhen\"%0Ahint: the configured stages are: awareness, consideration, decision, \
         retention, advocacy",
        "::error file=content/personas/ana-costa.md,line=13,col=14,endLine=13,endColumn=14,\
         title=emotion-out-of-range::emotion 9 is outside -2..2%0Ahint: use -2 (frustrated), -1, 0 (neutral), \
         1 or 2 (delighted)",
        "::error file=content/personas/emea/bob-berg.md,line=1,col=1,endLine=1,endColumn=3,title=missing-field::\
         missing required field `name`%0Ahint: every persona needs a `name:` in its front matter, e.g. \
         `name: Maria Lopez`",
        "::warning file=content/personas/emea/bob-berg.md,line=2,col=1,endLine=2,endColumn=5,title=unknown-key::\
         unknown key `role2` (kept under `extra`)%0Ahint: did you mean \"role\"?",
    ];
    assert_eq!(run.stdout(), expected.map(|line| line.to_string() + "\n").concat());
}

#[test]
fn github_warnings_pass_and_properties_are_escaped() {
    let hb = Handbook::with_files(&[("content/personas/a,b:c%.md", "---\nname: A\nsegmnet: x\n---\n")]);
    let run = hb.run(&["check", "--format", "github"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(
        run.stdout(),
        "::warning file=content/personas/a%2Cb%3Ac%25.md,line=3,col=1,endLine=3,endColumn=7,title=unknown-key::\
         unknown key `segmnet` (kept under `extra`)%0Ahint: did you mean \"segment\"?\n"
    );
}

#[test]
fn github_and_sarif_paths_start_at_the_folder_check_runs_from() {
    let repo = tempfile::tempdir().unwrap();
    crate::harness::copy_dir(&fixtures().join("invalid/unknown-stage"), &repo.path().join("docs/handbook"));
    let run = run_from(repo.path(), "./docs/handbook", &["check", "--format", "github"]);
    assert!(run.stdout().starts_with("::error file=docs/handbook/content/"), "{}", run.stdout());
    let run = run_from(&repo.path().join("docs"), "handbook", &["check", "--format", "sarif"]);
    let uri = &sarif(&run)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert!(uri.as_str().unwrap().starts_with("handbook/content/"), "{uri}");
    let run = run_from(repo.path(), "docs/handbook", &["check"]);
    assert!(run.stderr().starts_with("content/"), "human output keeps handbook paths: {}", run.stderr());
}

fn sarif(run: &Run) -> Value {
    serde_json::from_str(&run.stdout()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout()))
}

/// The official SARIF 2.1.0 schema, with formats (`uri`, `uri-reference`)
/// checked too. Its `language` pattern has a stray `]` that strict regex
/// checking refuses; OASIS's approved errata corrected it, and so does this
/// (tests/fixtures/formats/README.md).
fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(fixtures().join("formats/sarif-schema-2.1.0.json")).unwrap();
    let (stray, errata) = (r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    assert_eq!(text.matches(stray).count(), 2, "the schema is not the one the README names");
    let schema: Value = serde_json::from_str(&text.replace(stray, errata)).unwrap();
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
}

fn schema_errors(validator: &jsonschema::Validator, log: &Value) -> Vec<String> {
    validator.iter_errors(log).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[test]
fn sarif_is_a_valid_log_with_a_result_per_diagnostic() {
    let run = run_from(&fixtures().join("invalid/several-errors"), ".", &["check", "--format", "sarif"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let log = sarif(&run);
    let validator = sarif_validator();
    assert_eq!(schema_errors(&validator, &log), Vec::<String>::new());

    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "personabook");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules: Vec<&str> = driver["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(rules, ["unknown-key", "missing-field", "unknown-stage", "unknown-id", "emotion-out-of-range"]);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    let first = &results[0];
    assert_eq!(first["ruleId"], "unknown-id");
    assert_eq!(first["level"], "error");
    assert_eq!(first["message"]["text"], "unknown persona id \"nobody\"\nhint: ids are file paths inside content/personas/, content/assets/ or content/ without `.md`");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "content/assets/roi-guide.md");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(location["region"], serde_json::json!({"startLine": 4, "startColumn": 12, "endColumn": 18}));
    assert_eq!(results[4]["level"], "warning");
}

/// The schema check would pass anything if it were set up wrong: a broken
/// level and a path that is no URI reference must each be rejected.
#[test]
fn the_schema_check_rejects_a_broken_log() {
    let run = run_from(&fixtures().join("invalid/several-errors"), ".", &["check", "--format", "sarif"]);
    let validator = sarif_validator();
    let mut bad_level = sarif(&run);
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad_level), "a level outside the enum passed");
    let mut bad_uri = sarif(&run);
    bad_uri["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "content/a b.md".into();
    assert!(!validator.is_valid(&bad_uri), "a uri with a space passed: formats are not checked");
}

#[test]
fn sarif_paths_are_uri_references() {
    let hb = Handbook::with_files(&[("content/personas/a b#ü.md", "---\nname: A\nsegmnet: x\n---\n")]);
    let run = hb.run(&["check", "--format", "sarif"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let log = sarif(&run);
    assert_eq!(schema_errors(&sarif_validator(), &log), Vec::<String>::new());
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "content/personas/a%20b%23%C3%BC.md");
}

#[test]
fn a_clean_handbook_gives_no_commands_and_an_empty_sarif_run() {
    let run = run_in(&fixtures().join("check/valid"), &["check", "--format", "github"]);
    assert_eq!((run.code(), run.stdout()), (0, String::new()), "{}", run.stderr());
    let run = run_in(&fixtures().join("check/valid"), &["check", "--format", "sarif"]);
    let log = sarif(&run);
    assert_eq!(schema_errors(&sarif_validator(), &log), Vec::<String>::new());
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(log["runs"][0]["tool"]["driver"]["rules"], serde_json::json!([]));
}
