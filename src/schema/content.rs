//! The schemas of front matter: personas (with their journey plans),
//! assets and guide pages, one property per key of the model's lists.

use super::{boolean, date, list, mapping, object, one_of, or_null, required_text, rows, set, text, whole_number};
use crate::config::{Config, Stage};
use crate::model::{asset, page, persona};
use serde_json::{json, Map, Value};

/// Where the journey plan's schema lives inside the persona schema.
const JOURNEY_STEP: &str = "#/$defs/journey_step";

/// Where an asset schema's stage id lives, with the handbook's stages.
const STAGE_ID: &str = "#/$defs/stage_id";

pub(super) fn persona(stages: Option<&[Stage]>) -> Value {
    let mut schema = object(persona::KEYS, |key| persona_field(key, stages));
    set(&mut schema, "required", json!(["name"]));
    set(&mut schema, "$defs", json!({ "journey_step": journey_step() }));
    schema
}

fn persona_field(key: &str, stages: Option<&[Stage]>) -> Option<Value> {
    Some(match key {
        "name" => required_text("The persona's name; the only required field."),
        "role" => text("Job title."),
        "summary" => text("One line shown on cards."),
        "segment" => text("One segment (lower-cased); each segment gets its own page."),
        "age" => text("A number (`34`) or a range (`\"30-40\"`)."),
        "location" => text("Where they live or work."),
        "education" => text("Their education."),
        "avatar" => text("An image under static/ (`/images/maria.png`); initials are drawn without it."),
        "quote" => text("In their words. Quote it when it contains `: `."),
        "goals" => list("What they want to achieve."),
        "challenges" => list("What stands in their way."),
        "attitudes" => list("How they think and buy."),
        "values" => list("What matters to them."),
        "interests" => list("What they like outside work, too."),
        "preferred_tech" => list("The tools they use."),
        "channels" => list("Where they look for information."),
        "purchasing_role" => text("Their part in buying: initiator, researcher, influencer, decision-maker, user, ..."),
        "key_benefits" => list("What we offer this persona, in their words."),
        "tags" => list("Tags; each gets its own page."),
        "related" => list("Ids of related personas (checked); shown as links both ways."),
        "owner" => text("Who keeps this persona up to date."),
        "reviewed" => date("The last review, YYYY-MM-DD; older than `review_interval_days` is overdue."),
        "status" => one_of(
            "active (the default); draft: left out unless --drafts; retired: stays browsable but leaves the content map.",
            &persona::STATUSES,
        ),
        "draft" => boolean("true is the same as `status: draft`."),
        "metrics" => rows("Evidence, shown as a fact sheet.", object(persona::METRIC_KEYS, metric_field)),
        "sources" => rows("What the persona rests on.", object(persona::SOURCE_KEYS, source_field)),
        "confidence" => one_of("How well the persona is researched; shown as a badge.", &persona::CONFIDENCES),
        "journey" => journey(stages),
        _ => return None,
    })
}

fn metric_field(key: &str) -> Option<Value> {
    Some(match key {
        "label" => text("What is measured, e.g. `Share of new ARR`."),
        "value" => text("The value, e.g. `36%`."),
        _ => return None,
    })
}

fn source_field(key: &str) -> Option<Value> {
    Some(match key {
        "type" => text("The kind of evidence: interviews, survey, analytics, ..."),
        "ref" => text("What it is, e.g. `12 customer interviews, 2026`."),
        "date" => date("When, YYYY-MM-DD."),
        _ => return None,
    })
}

/// A mapping of stage id to plan: with the handbook's stages, only their
/// ids (in any case, as the loader compares them lower-cased).
fn journey(stages: Option<&[Stage]>) -> Value {
    let step = json!({ "$ref": JOURNEY_STEP });
    let mut schema = mapping("The persona's plan for each buying-journey stage, keyed by stage id.");
    match stages {
        None => {
            let description = format!(
                "The persona's plan for each buying-journey stage, keyed by the stage ids of handbook.yaml \
                 (by default {}).",
                persona::stage_list(&Config::default().stages)
            );
            set(&mut schema, "description", description.into());
            set(&mut schema, "additionalProperties", step);
        }
        Some(stages) => {
            let properties: Map<String, Value> = stages
                .iter()
                .map(|s| (s.id.clone(), json!({ "$ref": JOURNEY_STEP, "description": stage_description(s) })))
                .collect();
            set(&mut schema, "properties", properties.into());
            set(&mut schema, "patternProperties", json!({ stage_pattern(stages): step }));
            set(&mut schema, "additionalProperties", false.into());
        }
    }
    schema
}

fn journey_step() -> Value {
    or_null(object(persona::JOURNEY_KEYS, |key| {
        Some(match key {
            "goal" => text("What they want at this stage."),
            "questions" => list("What they ask; may contain [[links]]."),
            "touchpoints" => list("Where they meet us; may contain [[links]]."),
            "emotion" => whole_number("From -2 (frustrated) to 2 (delighted); drawn as a curve.", -2, 2),
            "pain_points" => list("What hurts; may contain [[links]]."),
            "opportunities" => list("What we could do; may contain [[links]]."),
            "needs" => list("What they need from us; may contain [[links]]."),
            "formats" => list("The content formats that work here, such as blog or webinar."),
            _ => return None,
        })
    }))
}

pub(super) fn asset(stages: Option<&[Stage]>) -> Value {
    let mut schema = object(asset::KEYS, |key| {
        Some(match key {
            "title" => required_text("The asset's title; the only required field."),
            "format" => text(
                "blog, whitepaper, video, webinar, case-study, ...: a free word (lower-cased); each format gets a page.",
            ),
            "url" => text("Where the asset lives."),
            "personas" => list("Ids of the personas it serves (checked)."),
            "stages" => asset_stages(stages),
            "topics" => list("Topics (lower-cased); each gets a page."),
            "tags" => list("Tags; each gets a page."),
            "owner" => text("Who keeps it up to date."),
            "published" => date("When it was published, YYYY-MM-DD."),
            "metrics" => mapping("Performance numbers, e.g. `{views: 1200, conversions: 34}`."),
            "draft" => boolean("true leaves it out unless --drafts."),
            "status" => text("`draft` is the same as `draft: true`; other words change nothing."),
            _ => return None,
        })
    });
    set(&mut schema, "required", json!(["title"]));
    if let Some(stages) = stages {
        let ids: Vec<&str> = stages.iter().map(|s| s.id.as_str()).collect();
        // The words for completion, the pattern for any case.
        let id = json!({ "type": "string", "anyOf": [{ "enum": ids }, { "pattern": stage_pattern(stages) }] });
        set(&mut schema, "$defs", json!({ "stage_id": id }));
    }
    schema
}

/// An asset's `stages`: one id or a list of them, each a configured stage.
fn asset_stages(stages: Option<&[Stage]>) -> Value {
    let Some(stages) = stages else {
        return list(&format!(
            "The stages it serves (checked): stage ids of handbook.yaml (by default {}).",
            persona::stage_list(&Config::default().stages)
        ));
    };
    let id = json!({ "$ref": STAGE_ID });
    json!({
        "description": format!("The stages it serves: {}.", persona::stage_list(stages)),
        "anyOf": [id, { "type": "null" }, { "type": "array", "items": { "anyOf": [id, { "type": "null" }] } }],
    })
}

fn stage_description(stage: &Stage) -> String {
    if stage.description.is_empty() {
        stage.name.clone()
    } else {
        format!("{}: {}", stage.name, stage.description)
    }
}

/// A pattern that matches any of the stage ids in any case, with space
/// around (the loader trims and lower-cases what it is given).
fn stage_pattern(stages: &[Stage]) -> String {
    let ids: Vec<String> = stages.iter().map(|s| any_case(&s.id)).collect();
    format!("^\\s*(?:{})\\s*$", ids.join("|"))
}

/// `a.b-1` -> `[Aa]\.[Bb]-1`: each letter in both cases, the characters
/// of regex syntax escaped (only those: the `u` mode of ECMA-262, which
/// editors use, refuses other escapes), so an id is matched as written.
fn any_case(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        let mut upper = c.to_uppercase();
        match (upper.next(), upper.next()) {
            (Some(u), None) if u != c => out.extend(['[', c, u, ']']),
            _ if "^$\\.*+?()[]{}|/".contains(c) => out.extend(['\\', c]),
            _ => out.push(c),
        }
    }
    out
}

pub(super) fn page() -> Value {
    object(page::KEYS, |key| {
        Some(match key {
            "title" => text("The page's title; else its first `#` heading, else the file name."),
            "weight" => whole_number(
                "Order in the navigation, smallest first (then by title).",
                -page::MAX_WEIGHT,
                page::MAX_WEIGHT,
            ),
            "draft" => boolean("true leaves it out unless --drafts."),
            _ => return None,
        })
    })
}
