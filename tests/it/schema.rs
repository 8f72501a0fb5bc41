//! `personabook schema`: each schema is a valid JSON Schema (draft 2020-12),
//! the example handbook's files validate against theirs, and a schema
//! rejects what `check` rejects and accepts what `check` accepts.

use crate::harness::{repo_root, run_in, Handbook};
use personabook::layout::Collection;
use personabook::load::front_matter::split;
use serde_json::Value;
use std::path::Path;

const KINDS: [&str; 4] = ["handbook", "persona", "asset", "page"];

/// The schema `personabook schema <kind>` prints in `root`.
fn schema_in(root: &Path, kind: &str) -> Value {
    let run = run_in(root, &["schema", kind]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    serde_json::from_str(&run.stdout()).unwrap_or_else(|e| panic!("`schema {kind}` is not JSON: {e}"))
}

/// A validator for `schema`, checking formats (`date`) as editors do.
fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::options().should_validate_formats(true).build(schema).unwrap()
}

/// The problems of `instance` against `validator`, one line each.
fn problems(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator.iter_errors(instance).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

/// YAML text as the JSON a validator reads (an empty text is no keys).
fn yaml_to_json(yaml: &str) -> Value {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    serde_json::to_value(value).unwrap()
}

#[test]
fn every_schema_is_a_valid_draft_2020_12_schema() {
    let outside = tempfile::tempdir().unwrap();
    for root in [repo_root().as_path(), outside.path()] {
        for kind in KINDS {
            let schema = schema_in(root, kind);
            assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
            if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
                panic!("`schema {kind}` in {} is not a valid schema: {e}", root.display());
            }
            validator(&schema);
        }
    }
}

#[test]
fn without_a_kind_it_lists_the_four() {
    let run = run_in(&repo_root(), &["schema"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    for kind in KINDS {
        assert!(run.stdout().lines().any(|l| l.trim_start().starts_with(kind)), "{kind} missing:\n{}", run.stdout());
    }
    assert!(run.stdout().contains("handbook.yaml"));
    let wrong = run_in(&repo_root(), &["schema", "personas"]);
    assert_eq!(wrong.code(), 2);
    assert!(wrong.stderr().contains("handbook, persona, asset, page"), "{}", wrong.stderr());
}

#[test]
fn the_example_handbook_validates() {
    let root = repo_root();
    let handbook = validator(&schema_in(&root, "handbook"));
    let config = std::fs::read_to_string(root.join("handbook.yaml")).unwrap();
    assert_eq!(problems(&handbook, &yaml_to_json(&config)), Vec::<String>::new());
    let [persona, asset, page] = ["persona", "asset", "page"].map(|kind| validator(&schema_in(&root, kind)));
    let mut seen = [0; 3];
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let in_content = entry.path().strip_prefix(root.join("content")).unwrap().to_string_lossy().replace('\\', "/");
        let (n, validator) = match Collection::of_content_path(&in_content) {
            Collection::Persona => (0, &persona),
            Collection::Asset => (1, &asset),
            Collection::Page => (2, &page),
        };
        seen[n] += 1;
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let front_matter = yaml_to_json(split(&text).unwrap().yaml);
        assert_eq!(problems(validator, &front_matter), Vec::<String>::new(), "{in_content}");
    }
    assert!(seen.iter().all(|&n| n >= 3), "personas, assets, pages validated: {seen:?}");
}

/// (schema, file, its text, whether `check` accepts it). Each case is
/// checked both ways: the schema's verdict must be `check`'s.
const CASES: &[(&str, &str, &str, bool)] = &[
    ("persona", "content/personas/ana.md", "name: Ana\ngoals: {a: 1}", false),
    ("persona", "content/personas/ana.md", "name: Ana\ngoals: [[nested]]", false),
    ("persona", "content/personas/ana.md", "name: Ana\nstatus: maybe", false),
    ("persona", "content/personas/ana.md", "name: Ana\nconfidence: sure", false),
    ("persona", "content/personas/ana.md", "role: Lead", false),
    ("persona", "content/personas/ana.md", "name: Ana\nreviewed: 2026-1-5", false),
    ("persona", "content/personas/ana.md", "name: Ana\nreviewed: 2026-13-01", false),
    ("persona", "content/personas/ana.md", "name: Ana\nmetrics: {label: a}", false),
    ("persona", "content/personas/ana.md", "name: Ana\njourney: {awarenes: {goal: x}}", false),
    ("persona", "content/personas/ana.md", "name: Ana\njourney: {awareness: {emotion: 3}}", false),
    ("persona", "content/personas/ana.md", "name: Ana\njourney: {evaluation: {goal: x}}", true),
    ("persona", "content/personas/ana.md", "name: Ana\njourney: {Awareness: {emotion: -2}}", false),
    // What the loader reads leniently, the schema accepts too: a number as
    // text, one text as a list of one, an empty value, a free key.
    ("persona", "content/personas/ana.md", "name: Ana\ngoals: 3\nage: 31\nrole:\ntags: launch", true),
    ("persona", "content/personas/ana.md", "name: Ana\nsegmnet: x\nfavourite: {a: [1]}", true),
    ("persona", "content/personas/ana.md", "name: Ana\njourney: {Evaluation: {emotion: -2}, decision: ~}", true),
    ("asset", "content/assets/roi.md", "title: ROI\nstages: [Evaluation, decision]", true),
    ("asset", "content/assets/roi.md", "title: ROI\nstages: purchase", false),
    ("asset", "content/assets/roi.md", "title: ROI\nmetrics: [1]", false),
    ("asset", "content/assets/roi.md", "title: ROI\ndraft: maybe", false),
    ("page", "content/guides/a.md", "weight: heavy", false),
    ("page", "content/guides/a.md", "weight: 2000000", false),
    ("page", "content/guides/a.md", "", true),
    ("handbook", "handbook.yaml", "review_interval_days: 0", false),
    ("handbook", "handbook.yaml", "theme: brand/dark", false),
    ("handbook", "handbook.yaml", "stages: []", false),
    ("handbook", "handbook.yaml", "stages: [{name: Only a name}]", false),
    ("handbook", "handbook.yaml", "markdown: {unsafe_html: maybe}", false),
    ("handbook", "handbook.yaml", "titel: Typo\nextra: {anything: [1, {b: 2}]}", true),
];

/// The stages the case handbooks configure (the persona cases' journeys
/// name them): `evaluation` is not a default, so the schema must name these.
const STAGES: &str = "stages:\n  - {id: Evaluation}\n  - {id: decision}\n";

#[test]
fn the_schemas_reject_what_check_rejects_and_nothing_else() {
    let mut disagreements = Vec::new();
    for &(kind, file, text, accepted) in CASES {
        let hb = Handbook::with_files(&[("handbook.yaml", STAGES)]);
        if file == "handbook.yaml" {
            hb.write(file, text);
        } else {
            hb.write(file, &format!("---\n{text}\n---\nBody.\n"));
        }
        let checked = hb.run(&["check"]);
        assert_eq!(checked.code(), if accepted { 0 } else { 1 }, "check on {file}:\n{text}\n{}", checked.stderr());
        let found = problems(&validator(&schema_in(hb.root(), kind)), &yaml_to_json(text));
        if found.is_empty() != accepted {
            disagreements.push(format!("{kind} `{text}`: check accepts it: {accepted}; schema problems: {found:?}"));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn a_schema_names_the_configured_stages_and_their_names() {
    let hb = Handbook::with_files(&[(
        "handbook.yaml",
        "stages:\n  - {id: Pilot, name: Pilot run, description: Two weeks}\n",
    )]);
    let persona = schema_in(hb.root(), "persona");
    let journey = &persona["properties"]["journey"];
    assert_eq!(journey["properties"]["pilot"]["description"], "Pilot run: Two weeks");
    assert_eq!(journey["additionalProperties"], false);
    let outside = tempfile::tempdir().unwrap();
    let run = run_in(outside.path(), &["schema", "persona"]);
    assert!(run.stderr().contains("accept any stage id"), "{}", run.stderr());
    let free: Value = serde_json::from_str(&run.stdout()).unwrap();
    let journey = &free["properties"]["journey"];
    assert!(journey["description"].as_str().unwrap().contains("awareness, consideration"), "{journey}");
    let any_stage = yaml_to_json("name: Ana\njourney: {pilot: {goal: x}}");
    assert!(validator(&free).is_valid(&any_stage));
}
