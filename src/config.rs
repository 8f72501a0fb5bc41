//! `handbook.yaml`: every setting of the spec with its default.
//!
//! Reads one file and reports what is wrong with it; knows nothing of content.

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::yaml::{Fields, Locator};
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::layout::CONFIG_FILE;

/// Longest review interval: 100 years (date arithmetic stays in range).
pub const MAX_REVIEW_INTERVAL_DAYS: i64 = 36_500;

/// Most stages `stages:` may list (each is a column of every journey map).
pub const MAX_STAGES: usize = 100;

/// One buying-journey stage. Ids are compared lower-case: `Awareness` in
/// `handbook.yaml`, a journey key or an asset's `stages:` is `awareness`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// Site settings.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub output_dir: String,
    pub stages: Vec<Stage>,
    pub review_interval_days: i64,
    pub markdown: MarkdownConfig,
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// The `markdown:` section.
#[derive(Debug, Clone, Serialize)]
pub struct MarkdownConfig {
    pub unsafe_html: bool,
}

const KNOWN: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "output_dir",
    "stages",
    "review_interval_days",
    "markdown",
    "extra",
];

impl Default for Config {
    fn default() -> Self {
        let stage = |id: &str, name: &str, description: &str| Stage {
            id: id.into(),
            name: name.into(),
            description: description.into(),
        };
        Config {
            title: "Persona Handbook".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            theme: "default".into(),
            output_dir: "public".into(),
            stages: vec![
                stage("awareness", "Awareness", "They notice a problem and start looking into it."),
                stage("consideration", "Consideration", "They compare approaches and shortlist options."),
                stage("decision", "Decision", "They build the case and choose."),
                stage("retention", "Retention", "They onboard, adopt and renew."),
                stage("advocacy", "Advocacy", "They recommend us and expand their use."),
            ],
            review_interval_days: 180,
            markdown: MarkdownConfig { unsafe_html: true },
            extra: BTreeMap::new(),
        }
    }
}

impl Config {
    /// Parses `text` (the content of `handbook.yaml`); problems go to `diags`.
    pub fn parse(text: &str, diags: &mut Vec<Diagnostic>) -> Config {
        let loc = Locator { path: CONFIG_FILE, text, yaml: text, first_line: 1 };
        let map = match loc.parse() {
            Ok(m) => m,
            Err(d) => {
                diags.push(d);
                return Config::default();
            }
        };
        let keys: Vec<String> = map.keys().filter_map(crate::load::yaml::scalar_text).collect();
        let mut f = Fields::new(loc, map, diags);
        let mut c = Config::default();
        for (key, slot) in [
            ("title", &mut c.title),
            ("description", &mut c.description),
            ("base_url", &mut c.base_url),
            ("language", &mut c.language),
            ("theme", &mut c.theme),
            ("output_dir", &mut c.output_dir),
        ] {
            if let Some(v) = f.text(key) {
                *slot = v;
            }
        }
        if c.theme.is_empty() || c.theme.contains(['/', '\\']) || c.theme == ".." || c.theme == "." {
            let pos = f.value_pos("theme", &c.theme);
            let d = loc
                .error(pos, "`theme` must be a folder name inside themes/")
                .with_hint("e.g. `theme: brand` for themes/brand/; paths are not allowed");
            f.diags.push(d);
            c.theme = Config::default().theme;
        }
        if let Some(days) = f.integer_in(
            "review_interval_days",
            1..=MAX_REVIEW_INTERVAL_DAYS,
            |_| format!("`review_interval_days` must be between 1 and {MAX_REVIEW_INTERVAL_DAYS}"),
            "a number of days, e.g. `review_interval_days: 180`",
        ) {
            c.review_interval_days = days;
        }
        if let Some(md) = f.mapping("markdown") {
            let mut nested = f.nested("markdown", md);
            if let Some(b) = nested.boolean("unsafe_html") {
                c.markdown.unsafe_html = b;
            }
            nested.extra(&["unsafe_html"]);
        }
        if let Some(extra) = f.mapping("extra") {
            c.extra = extra
                .iter()
                .map(|(k, v)| {
                    (crate::load::yaml::scalar_text(k).unwrap_or_default(), crate::load::yaml::yaml_to_json(v))
                })
                .collect();
        }
        if f.get("stages").is_some() {
            c.stages = parse_stages(&mut f);
        }
        warn_unknown(&mut f, &keys);
        c
    }
}

fn parse_stages(f: &mut Fields<'_>) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    // Stage pages live at `stages/<slug>/`: two ids with one slug would share a page.
    let mut slugs: Vec<(String, String)> = Vec::new();
    for m in f.mappings("stages") {
        let mut s = f.nested("stages", m);
        let Some(written) = s.text("id").filter(|id| !id.trim().is_empty()) else {
            let pos = f.key_pos("stages");
            let d =
                f.loc.error(pos, "every stage needs an `id`").with_hint("e.g. `- {id: awareness, name: Awareness}`");
            f.diags.push(d);
            continue;
        };
        let id = written.trim().to_lowercase();
        let name = s.text("name").unwrap_or_else(|| title_case(&written));
        let description = s.text("description").unwrap_or_default();
        s.extra(&["id", "name", "description"]);
        if stages.iter().any(|st| st.id == id) {
            let pos = f.value_pos("stages", written.trim());
            let d = f
                .loc
                .error(pos, format!("stage `{id}` is listed twice"))
                .with_hint("stage ids must be unique, and they ignore case: `Awareness` is `awareness`");
            f.diags.push(d);
            continue;
        }
        let slug = crate::render::url::slug(&id);
        if let Some((first, _)) = slugs.iter().find(|(_, s)| *s == slug) {
            let pos = f.value_pos("stages", written.trim());
            let d = f
                .loc
                .error(pos, format!("stages `{first}` and `{id}` would share one page, stages/{slug}/"))
                .with_hint("stage ids are made into page names by lower-casing them and joining words with `-`; rename one of the two");
            f.diags.push(d);
            continue;
        }
        if stages.len() == MAX_STAGES {
            let pos = f.key_pos("stages");
            let d = f
                .loc
                .error(pos, format!("`stages` lists more than {MAX_STAGES} stages"))
                .with_hint("a journey map has one column per stage; merge stages into fewer");
            f.diags.push(d);
            break;
        }
        slugs.push((id.clone(), slug));
        stages.push(Stage { id, name, description });
    }
    if stages.is_empty() {
        let pos = f.key_pos("stages");
        let d = f
            .loc
            .error(pos, "`stages` must list at least one stage")
            .with_hint("remove `stages` to use the five default stages");
        f.diags.push(d);
        return Config::default().stages;
    }
    stages
}

fn warn_unknown(f: &mut Fields<'_>, keys: &[String]) {
    for key in keys {
        if KNOWN.contains(&key.as_str()) {
            continue;
        }
        let pos = f.key_pos(key);
        let hint = did_you_mean(key, KNOWN.iter().copied())
            .unwrap_or_else(|| "free values for templates belong under `extra:`".to_string());
        let d = f.loc.warning(pos, format!("unknown setting `{key}` in {CONFIG_FILE}")).with_hint(hint);
        f.diags.push(d);
    }
}

/// `case-study` -> `Case Study`, for names derived from ids.
pub fn title_case(id: &str) -> String {
    id.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_is_all_defaults() {
        let mut d = Vec::new();
        let c = Config::parse("", &mut d);
        assert!(d.is_empty());
        assert_eq!(c.stages.len(), 5);
        assert_eq!(c.output_dir, "public");
    }

    #[test]
    fn unknown_key_gets_a_suggestion() {
        let mut d = Vec::new();
        Config::parse("title: X\ntitel: Y\n", &mut d);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 2);
        assert_eq!(d[0].hint.as_deref(), Some("did you mean \"title\"?"));
    }
}
