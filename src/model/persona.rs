//! A persona: its front matter read into typed fields, with the checks that
//! need nothing but the file itself and the configured stages.

use super::read::{one_of, required_text};
use super::{Backlink, ReviewState};
use crate::config::Stage;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::yaml::Fields;
use crate::load::SourceFile;
use crate::problem::ModelProblem;
use serde::Serialize;
use std::collections::BTreeMap;

/// Every front-matter key a persona knows.
pub const KEYS: &[&str] = &[
    "name",
    "role",
    "summary",
    "segment",
    "age",
    "location",
    "education",
    "avatar",
    "quote",
    "goals",
    "challenges",
    "attitudes",
    "values",
    "interests",
    "preferred_tech",
    "channels",
    "purchasing_role",
    "key_benefits",
    "tags",
    "related",
    "owner",
    "reviewed",
    "status",
    "metrics",
    "sources",
    "confidence",
    "journey",
    "draft",
];

/// Every key a journey plan (one stage of `journey`) knows.
pub const JOURNEY_KEYS: &[&str] =
    &["goal", "questions", "touchpoints", "emotion", "pain_points", "opportunities", "needs", "formats"];

/// active | draft | retired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Draft,
    Retired,
}

/// assumption | partial | researched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Assumption,
    Partial,
    Researched,
}

/// The words `status` takes.
pub const STATUSES: [(&str, Status); 3] =
    [("active", Status::Active), ("draft", Status::Draft), ("retired", Status::Retired)];

/// The words `confidence` takes.
pub const CONFIDENCES: [(&str, Confidence); 3] =
    [("assumption", Confidence::Assumption), ("partial", Confidence::Partial), ("researched", Confidence::Researched)];

/// The keys of one `metrics` row.
pub const METRIC_KEYS: &[&str] = &["label", "value"];

/// The keys of one `sources` row.
pub const SOURCE_KEYS: &[&str] = &["type", "ref", "date"];

/// One `{label, value}` of the fact sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metric {
    pub label: String,
    pub value: String,
}

/// What a persona rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub date: Option<jiff::civil::Date>,
}

/// The persona's plan for one stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct JourneyStep {
    pub goal: Option<String>,
    pub questions: Vec<String>,
    pub touchpoints: Vec<String>,
    /// -2 (frustrated) to 2 (delighted).
    pub emotion: Option<i8>,
    pub pain_points: Vec<String>,
    pub opportunities: Vec<String>,
    pub needs: Vec<String>,
    pub formats: Vec<String>,
}

impl JourneyStep {
    /// Every text of the step, for finding `[[links]]` in it.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.goal
            .iter()
            .chain(&self.questions)
            .chain(&self.touchpoints)
            .chain(&self.pain_points)
            .chain(&self.opportunities)
            .chain(&self.needs)
            .map(String::as_str)
    }
}

const NAME_HINT: &str = "every persona needs a `name:` in its front matter, e.g. `name: Maria Lopez`";

/// A persona, resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Persona {
    pub id: String,
    /// The file, relative to the handbook root.
    pub source: String,
    /// The file's path inside `content/` (`personas/ana.md`), for `.md` links.
    #[serde(skip)]
    pub content_path: String,
    /// Shown everywhere the persona is; the only required field.
    pub name: String,
    pub role: Option<String>,
    pub summary: Option<String>,
    pub segment: Option<String>,
    pub age: Option<String>,
    pub location: Option<String>,
    pub education: Option<String>,
    pub avatar: Option<String>,
    pub quote: Option<String>,
    pub goals: Vec<String>,
    pub challenges: Vec<String>,
    pub attitudes: Vec<String>,
    pub values: Vec<String>,
    pub interests: Vec<String>,
    pub preferred_tech: Vec<String>,
    pub channels: Vec<String>,
    pub purchasing_role: Option<String>,
    pub key_benefits: Vec<String>,
    pub tags: Vec<String>,
    /// Ids of related personas (checked by `resolve`).
    pub related: Vec<String>,
    pub owner: Option<String>,
    pub reviewed: Option<jiff::civil::Date>,
    pub status: Status,
    pub metrics: Vec<Metric>,
    pub sources: Vec<SourceRef>,
    pub confidence: Option<Confidence>,
    /// One entry per configured stage, in the configured order.
    pub journey: Vec<Option<JourneyStep>>,
    /// The Markdown narrative.
    #[serde(skip)]
    pub body: String,
    pub extra: BTreeMap<String, serde_json::Value>,
    pub review: ReviewState,
    /// The date the next review is due.
    pub review_due: Option<jiff::civil::Date>,
    pub backlinks: Vec<Backlink>,
}

impl Persona {
    pub fn is_draft(&self) -> bool {
        self.status == Status::Draft
    }
}

/// Reads a persona's fields from its front matter.
pub fn read(
    file: &SourceFile,
    front_matter: serde_yaml::Mapping,
    stages: &[Stage],
    diags: &mut Vec<Diagnostic>,
) -> Persona {
    let mut f = Fields::new(file.locator(), front_matter, diags);
    let name = required_text(&mut f, file, "name", NAME_HINT);
    let status = one_of(&mut f, "status", STATUSES).unwrap_or(Status::Active);
    let status = if f.boolean("draft") == Some(true) { Status::Draft } else { status };
    let confidence = one_of(&mut f, "confidence", CONFIDENCES);
    let metrics = read_rows(&mut f, "metrics", METRIC_KEYS, |m| Metric {
        label: m.text("label").unwrap_or_default(),
        value: m.text("value").unwrap_or_default(),
    });
    let sources = read_rows(&mut f, "sources", SOURCE_KEYS, |s| SourceRef {
        kind: s.text("type").unwrap_or_default(),
        reference: s.text("ref").unwrap_or_default(),
        date: s.date("date"),
    });
    let journey = read_journey(&mut f, stages);
    let p = Persona {
        id: file.id.clone(),
        source: file.path.clone(),
        content_path: file.content_path.clone(),
        name,
        role: f.text("role"),
        summary: f.text("summary"),
        segment: f.text("segment").map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()),
        age: f.text("age"),
        location: f.text("location"),
        education: f.text("education"),
        avatar: f.text("avatar"),
        quote: f.text("quote"),
        goals: f.list("goals"),
        challenges: f.list("challenges"),
        attitudes: f.list("attitudes"),
        values: f.list("values"),
        interests: f.list("interests"),
        preferred_tech: f.list("preferred_tech"),
        channels: f.list("channels"),
        purchasing_role: f.text("purchasing_role"),
        key_benefits: f.list("key_benefits"),
        tags: f.list("tags"),
        related: f.list("related").into_iter().map(|s| s.trim().to_lowercase()).collect(),
        owner: f.text("owner"),
        reviewed: f.date("reviewed"),
        status,
        metrics,
        sources,
        confidence,
        journey,
        body: file.body().to_string(),
        extra: f.extra(KEYS),
        review: ReviewState::NeverReviewed,
        review_due: None,
        backlinks: Vec::new(),
    };
    p
}

/// The mappings under `key`, each read by `row`; keys of a row other than
/// `keys` are problems.
fn read_rows<T>(f: &mut Fields<'_>, key: &str, keys: &[&str], row: impl Fn(&mut Fields<'_>) -> T) -> Vec<T> {
    f.mappings(key)
        .into_iter()
        .map(|m| {
            let mut rf = f.nested(key, m);
            let t = row(&mut rf);
            rf.extra(keys);
            t
        })
        .collect()
}

fn read_journey(f: &mut Fields<'_>, stages: &[Stage]) -> Vec<Option<JourneyStep>> {
    let mut steps = vec![None; stages.len()];
    let Some(journey) = f.mapping("journey") else { return steps };
    for (k, v) in journey {
        let key = crate::load::yaml::scalar_text(&k).unwrap_or_default();
        // Stage ids ignore case (see `config::Stage`).
        let Some(stage_ix) = stages.iter().position(|s| s.id == key.trim().to_lowercase()) else {
            let pos = f.loc.key(&["journey", &key]);
            let hint = did_you_mean(&key, stages.iter().map(|s| s.id.as_str()))
                .unwrap_or_else(|| format!("the configured stages are: {}", stage_list(stages)));
            let d = f.loc.error(pos, ModelProblem::UnknownJourneyStage { key: key.clone() }).with_hint(hint);
            f.diags.push(d);
            continue;
        };
        let serde_yaml::Value::Mapping(m) = v else {
            if !v.is_null() {
                f.nested("journey", serde_yaml::Mapping::new()).wrong_type(&key, crate::problem::Expected::Mapping, &v);
            }
            continue;
        };
        if steps[stage_ix].is_some() {
            let pos = f.loc.key(&["journey", &key]);
            let d = f
                .loc
                .error(pos, ModelProblem::DuplicateJourneyStage { key: key.clone() })
                .with_hint("merge the two entries into one");
            f.diags.push(d);
            continue;
        }
        let mut j = f.nested("journey", serde_yaml::Mapping::new());
        let mut s = j.nested(&key, m);
        let emotion = s
            .integer_in(
                "emotion",
                -2..=2,
                |value| ModelProblem::EmotionOutOfRange { value },
                "use -2 (frustrated), -1, 0 (neutral), 1 or 2 (delighted)",
            )
            .and_then(|e| i8::try_from(e).ok());
        steps[stage_ix] = Some(JourneyStep {
            goal: s.text("goal"),
            questions: s.list("questions"),
            touchpoints: s.list("touchpoints"),
            emotion,
            pain_points: s.list("pain_points"),
            opportunities: s.list("opportunities"),
            needs: s.list("needs"),
            formats: s.list("formats").into_iter().map(|x| x.trim().to_lowercase()).collect(),
        });
        s.extra(JOURNEY_KEYS);
    }
    steps
}

/// `awareness, consideration, ...` for hints.
pub fn stage_list(stages: &[Stage]) -> String {
    stages.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
}
