//! A resolved persona-library persona -> a personabook persona draft.
//! Pure: takes the JSON fields, returns front matter, body and notes.
//!
//! Each field that has a personabook equivalent is taken out of the tree;
//! whatever is left (the library's own traits: function, level, maturity,
//! adoption curve, ...) is kept whole under the free key `persona_library`,
//! so nothing is lost. Wildcards (`*`, "any") carry no information and are
//! listed as not mapped.

use super::super::{Draft, Notes};
use super::tree::{dedup, get, leaf_paths, prune, take, take_texts, text, texts};
use serde::Serialize;
use serde_json::{Map, Value};

/// The free front-matter key that keeps the library's unmapped traits.
pub const EXTRA_KEY: &str = "persona_library";

/// Where a persona came from, for notes and `related`.
#[derive(Debug, Clone)]
pub struct Source {
    pub display: String,
    pub rel: String,
    /// File name without `.json`.
    pub stem: String,
    pub parents: Vec<Parent>,
}

/// A direct parent of the persona.
#[derive(Debug, Clone)]
pub struct Parent {
    pub rel: String,
    pub display: String,
    /// Part of this import (so it gets a file and an id to link to).
    pub imported: bool,
}

/// The front matter this format can fill, in the order it is written.
#[derive(Debug, Default, Serialize)]
struct FrontMatter {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    segment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    education: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    goals: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    challenges: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attitudes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    preferred_tech: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    channels: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purchasing_role: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    sources: Vec<SourceEntry>,
    #[serde(rename = "persona_library", skip_serializing_if = "Map::is_empty")]
    rest: Map<String, Value>,
}

#[derive(Debug, Serialize)]
struct SourceEntry {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "ref")]
    reference: String,
}

/// Maps one persona. `own` are the file's own fields (to prefer its own job
/// titles over inherited ones); `tree` is the persona with everything inherited.
pub fn to_draft(src: &Source, own: &Map<String, Value>, mut tree: Map<String, Value>) -> Draft {
    let mut notes = Notes::default();
    let mut fm = FrontMatter::default();
    tree.remove("$schema");
    let wildcards = prune(&mut tree, "");

    let narrative = name_and_summary(src, &mut tree, &mut fm, &mut notes);
    let titles = role(own, &mut tree, &mut fm, &mut notes);
    motivations_and_channels(&mut tree, &mut fm, &mut notes);

    let strategies = take(&mut tree, &["strategies"]);
    let body = body(narrative.as_deref(), &titles, strategies.as_ref());
    if strategies.is_some() {
        notes.mapped("strategies -> body");
    }
    fm.sources = vec![SourceEntry { kind: "persona-library", reference: src.rel.clone() }];
    notes.mapped("the source file -> sources");

    prune(&mut tree, "");
    if !tree.is_empty() {
        notes.kept(format!("{EXTRA_KEY} ({})", leaf_paths(&tree, "").join(", ")));
    }
    fm.rest = tree;
    if !wildcards.is_empty() {
        notes.unmapped(format!("`*` (any) says nothing to map: {}", wildcards.join(", ")));
    }
    for p in &src.parents {
        notes.info(format!("inherits from {}", p.display));
    }

    let front_matter = match serde_yaml::to_value(&fm) {
        Ok(serde_yaml::Value::Mapping(m)) => m,
        _ => serde_yaml::Mapping::new(),
    };
    Draft {
        source: src.display.clone(),
        rel: src.rel.clone(),
        name: fm.name,
        file_stem: src.stem.clone(),
        front_matter,
        body,
        related_sources: src.parents.iter().filter(|p| p.imported).map(|p| p.rel.clone()).collect(),
        notes,
    }
}

/// `label` -> name, `narrative` -> summary (its first sentence), `segment`;
/// returns the narrative for the body.
fn name_and_summary(
    src: &Source,
    tree: &mut Map<String, Value>,
    fm: &mut FrontMatter,
    notes: &mut Notes,
) -> Option<String> {
    let id = tree.get("id").and_then(text);
    fm.name = match take(tree, &["label"]).as_ref().and_then(text) {
        Some(label) => {
            notes.mapped("label -> name");
            label
        }
        None => {
            notes.unmapped("no `label`: the id is used as the name");
            id.clone().unwrap_or_else(|| src.stem.clone())
        }
    };
    let narrative = take(tree, &["narrative"]).as_ref().and_then(text);
    if let Some(n) = &narrative {
        fm.summary = first_sentence(n);
        notes.mapped(if fm.summary.is_some() {
            "narrative -> body, first sentence -> summary"
        } else {
            "narrative -> body"
        });
    }
    if let Some(segment) = take(tree, &["segment"]).as_ref().and_then(text) {
        fm.segment = Some(segment);
        notes.mapped("segment -> segment");
    }
    narrative
}

/// Job titles, education, tools and level; returns the titles for the body.
fn role(
    own: &Map<String, Value>,
    tree: &mut Map<String, Value>,
    fm: &mut FrontMatter,
    notes: &mut Notes,
) -> Vec<String> {
    let titles = take_texts(tree, &["role", "titles"], notes);
    let own_titles = [&["role", "x-titles"][..], &["role", "titles"]]
        .iter()
        .find_map(|p| get(own, p).map(texts))
        .unwrap_or_default();
    fm.role = own_titles.iter().find(|t| titles.contains(t)).or(titles.first()).cloned();
    if fm.role.is_some() {
        notes.mapped(if titles.len() > 1 {
            "role.titles -> role (the persona's own first title) and body"
        } else {
            "role.titles -> role"
        });
    }
    let education = take_texts(tree, &["role", "technologies", "education"], notes);
    if !education.is_empty() {
        fm.education = Some(education.join(", "));
        notes.mapped("role.technologies.education -> education");
    }
    let tools: Vec<String> = take_texts(tree, &["role", "tools"], notes).iter().map(|t| tool_name(t)).collect();
    let languages = take_texts(tree, &["role", "technologies", "languages"], notes);
    let environments = take_texts(tree, &["role", "technologies", "environments"], notes);
    fm.preferred_tech = dedup([tools, languages, environments].concat());
    if !fm.preferred_tech.is_empty() {
        notes.mapped("role.tools, role.technologies.languages/environments -> preferred_tech");
    }
    if let Some(level) = get(tree, &["role", "level"]).and_then(text) {
        fm.purchasing_role = purchasing_role(&level).map(str::to_string);
        if let Some(p) = &fm.purchasing_role {
            notes.mapped(format!("role.level {level} -> purchasing_role {p}"));
        }
    }
    fm.tags = get(tree, &["role", "responsibilities"]).map(texts).unwrap_or_default();
    if !fm.tags.is_empty() {
        notes.mapped("role.responsibilities -> tags");
    }
    titles
}

/// Goals, likes and dislikes; awareness channels and events.
fn motivations_and_channels(tree: &mut Map<String, Value>, fm: &mut FrontMatter, notes: &mut Notes) {
    for (from, slot, to) in [
        ("goals", &mut fm.goals, "goals"),
        ("likes", &mut fm.attitudes, "attitudes"),
        ("dislikes", &mut fm.challenges, "challenges"),
    ] {
        *slot = take_texts(tree, &["motivations", from], notes);
        if !slot.is_empty() {
            notes.mapped(format!("motivations.{from} -> {to}"));
        }
    }
    let channels = take(tree, &["awareness", "channels"]).map(|v| channel_texts(&v)).unwrap_or_default();
    let events: Vec<String> = take_texts(tree, &["awareness", "events"], notes)
        .iter()
        .map(|e| format!("{} (event)", e.strip_prefix("drf-").unwrap_or(e)))
        .collect();
    if !channels.is_empty() || !events.is_empty() {
        notes.mapped("awareness.channels, awareness.events -> channels");
    }
    fm.channels = dedup([channels, events].concat());
}

/// The Markdown body: the narrative, the job titles, the strategies.
fn body(narrative: Option<&str>, titles: &[String], strategies: Option<&Value>) -> String {
    let mut out = String::new();
    if let Some(n) = narrative {
        out.push_str(&format!("\n{}\n", n.trim()));
    }
    if titles.len() > 1 {
        out.push_str("\n## Typical job titles\n\n");
        out.extend(titles.iter().map(|t| format!("- {t}\n")));
    }
    if let Some(Value::Object(s)) = strategies {
        let known = ["marketing", "sales", "finance", "product", "design", "devex", "education", "communications"];
        let mut keys: Vec<&String> = s.keys().collect();
        keys.sort_by_key(|k| (known.iter().position(|x| x == k).unwrap_or(known.len()), k.as_str()));
        let sections: Vec<(String, Vec<String>)> =
            keys.into_iter().map(|k| (department(k), texts(&s[k]))).filter(|(_, items)| !items.is_empty()).collect();
        if !sections.is_empty() {
            out.push_str("\n## Strategies\n");
            for (title, items) in sections {
                out.push_str(&format!("\n### {title}\n\n"));
                out.extend(items.iter().map(|t| format!("- {t}\n")));
            }
        }
    }
    out
}

fn department(key: &str) -> String {
    match key {
        "devex" => "Developer experience".into(),
        other => crate::config::title_case(other),
    }
}

/// The library's tool categories in words; unknown keys stay as written.
fn tool_name(key: &str) -> String {
    let name = match key {
        "drf-ide" => "IDE",
        "drf-scm" => "Source control",
        "drf-cicd" => "CI/CD",
        "drf-ticketing" => "Ticketing",
        "drf-comms" => "Team communication",
        "drf-creative" => "Creative tools",
        "drf-test" => "Testing tools",
        "drf-build" => "Build tools",
        "drf-email" => "Email",
        "drf-cms" => "CMS",
        "drf-db" => "Databases",
        other => other,
    };
    name.to_string()
}

/// The library's role level as a purchasing role, where its documentation
/// says so: leads and executives decide, influencers influence, individual
/// contributors use.
fn purchasing_role(level: &str) -> Option<&'static str> {
    match level {
        "lead" | "exec" => Some("decision-maker"),
        "infl" => Some("influencer"),
        "ic" => Some("user"),
        _ => None,
    }
}

/// `https://dzone.com (blog, level 200)` for each channel object.
fn channel_texts(v: &Value) -> Vec<String> {
    let Value::Array(items) = v else {
        return texts(v);
    };
    items
        .iter()
        .filter_map(|item| match item {
            Value::Object(c) => {
                let url = c.get("url").and_then(text);
                let mut kind: Vec<String> = c.get("format").and_then(text).into_iter().collect();
                kind.extend(c.get("level").and_then(text).map(|l| format!("level {l}")));
                match (url, kind.is_empty()) {
                    (Some(u), true) => Some(u),
                    (Some(u), false) => Some(format!("{u} ({})", kind.join(", "))),
                    (None, false) => Some(kind.join(", ")),
                    (None, true) => None,
                }
            }
            other => text(other),
        })
        .collect()
}

/// The first sentence, when the narrative has a short one.
fn first_sentence(text: &str) -> Option<String> {
    let t = text.trim();
    let end = t
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?')
                && t[i + 1..].starts_with(' ')
                && t[i + 1..].trim_start().starts_with(char::is_uppercase)
        })
        .map_or(t.len(), |(i, _)| i + 1);
    let s = t[..end].trim();
    (!s.is_empty() && s.chars().count() <= 300).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn source() -> Source {
        Source { display: "in/py.json".into(), rel: "py.json".into(), stem: "py".into(), parents: vec![] }
    }

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn maps_the_schema_to_persona_fields() {
        let tree = obj(json!({
            "$schema": "x", "id": "py", "label": "Python Pat", "segment": "*",
            "narrative": "A Python developer. Loves notebooks.",
            "organization": {"maturity": "*", "gtm": "b2d"},
            "role": {"function": "dev", "level": "ic", "responsibilities": ["coding"],
                     "titles": ["Software Engineer", "Python Developer"], "tools": ["drf-ide", "drf-cmm"],
                     "technologies": {"languages": ["python"], "education": ["B.S. Data Science"], "skills": ["ml"]}},
            "awareness": {"channels": [{"format": "blog", "url": "https://x.dev", "level": "200"}], "events": ["drf-pycon.org"]},
            "motivations": {"goals": ["Ship"], "likes": ["Docs"], "dislikes": ["Hype"]},
            "strategies": {"sales": ["Let them try"], "marketing": ["No buzzwords"], "design": []}
        }));
        let own = obj(json!({"role": {"x-titles": ["Python Developer"]}}));
        let d = to_draft(&source(), &own, tree);
        let fm = serde_yaml::to_string(&d.front_matter).unwrap();
        let expected = "\
name: Python Pat
role: Python Developer
summary: A Python developer.
education: B.S. Data Science
goals:
- Ship
challenges:
- Hype
attitudes:
- Docs
preferred_tech:
- IDE
- drf-cmm
- python
channels:
- https://x.dev (blog, level 200)
- pycon.org (event)
purchasing_role: user
tags:
- coding
sources:
- type: persona-library
  ref: py.json
persona_library:
  id: py
  organization:
    gtm: b2d
  role:
    function: dev
    level: ic
    responsibilities:
    - coding
    technologies:
      skills:
      - ml
";
        assert_eq!(fm, expected);
        assert_eq!(d.name, "Python Pat");
        assert!(d
            .body
            .starts_with("\nA Python developer. Loves notebooks.\n\n## Typical job titles\n\n- Software Engineer\n"));
        assert!(
            d.body.contains("## Strategies\n\n### Marketing\n\n- No buzzwords\n\n### Sales\n\n- Let them try\n"),
            "{}",
            d.body
        );
        assert!(!d.body.contains("Design"));
        assert_eq!(d.notes.unmapped, ["`*` (any) says nothing to map: organization.maturity, segment"]);
        assert!(
            d.notes.kept[0].starts_with("persona_library (id, organization.gtm, role.function"),
            "{:?}",
            d.notes.kept
        );
    }

    #[test]
    fn odd_shapes_are_kept_not_lost() {
        let tree = obj(json!({"id": "x", "motivations": {"goals": [{"a": 1}]}, "future_field": true}));
        let d = to_draft(&source(), &Map::new(), tree);
        assert_eq!(d.name, "x");
        let fm = serde_yaml::to_string(&d.front_matter).unwrap();
        assert!(
            fm.contains("persona_library:\n  future_field: true\n  id: x\n  motivations:\n    goals:\n    - a: 1\n"),
            "{fm}"
        );
        assert!(d.notes.unmapped.iter().any(|n| n.contains("motivations.goals is not a list of text")));
    }

    #[test]
    fn first_sentences() {
        assert_eq!(first_sentence("One. Two.").as_deref(), Some("One."));
        assert_eq!(first_sentence("Has a B.S. degree. Then.").as_deref(), Some("Has a B.S. degree."));
        assert_eq!(first_sentence("No end"), Some("No end".into()));
        assert_eq!(first_sentence(&"long ".repeat(100)), None);
    }
}
