//! Reading `handbook.yaml` into a [`Config`]: every setting checked, each
//! problem reported at its line, the defaults kept for what is wrong.
//!
//! The settings and their defaults are `crate::config`'s (plain data); this
//! module reads them with `yaml` and never touches content files.

use super::yaml::{scalar_text, yaml_to_json, Fields, Locator};
use crate::config::{Config, Stage, CONFIG_FILE, MAX_REVIEW_INTERVAL_DAYS, MAX_STAGES};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::problem::InputProblem;

/// The settings `handbook.yaml` knows.
pub const KNOWN: &[&str] = &[
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
    "analytics",
    "stale_after_days",
];

/// The keys of one entry of `stages`.
pub const STAGE_KEYS: &[&str] = &["id", "name", "description"];

/// The keys of the `markdown` section.
pub const MARKDOWN_KEYS: &[&str] = &["unsafe_html"];

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
        let keys: Vec<String> = map.keys().filter_map(scalar_text).collect();
        let mut f = Fields::new(loc, map, diags);
        let mut c = Config::default();
        read_texts(&mut f, &mut c);
        if let Some(days) = f.integer_in(
            "review_interval_days",
            1..=MAX_REVIEW_INTERVAL_DAYS,
            |_| InputProblem::OutOfRange { key: "review_interval_days".into(), min: 1, max: MAX_REVIEW_INTERVAL_DAYS },
            "a number of days, e.g. `review_interval_days: 180`",
        ) {
            c.review_interval_days = days;
        }
        if let Some(md) = f.mapping("markdown") {
            let mut nested = f.nested("markdown", md);
            if let Some(b) = nested.boolean("unsafe_html") {
                c.markdown.unsafe_html = b;
            }
            nested.extra(MARKDOWN_KEYS);
        }
        if let Some(extra) = f.mapping("extra") {
            c.extra = extra.iter().map(|(k, v)| (scalar_text(k).unwrap_or_default(), yaml_to_json(v))).collect();
        }
        if f.get("stages").is_some() {
            c.stages = parse_stages(&mut f);
        }
        super::analytics_config::read(&mut f, &mut c.analytics);
        warn_unknown(&mut f, &keys);
        c
    }
}

/// The settings that are one piece of text; `theme` must name a folder.
fn read_texts(f: &mut Fields<'_>, c: &mut Config) {
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
        f.error_at(pos, InputProblem::ThemeName, "e.g. `theme: brand` for themes/brand/; paths are not allowed");
        c.theme = Config::default().theme;
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
            f.error_at(pos, InputProblem::StageWithoutId, "e.g. `- {id: awareness, name: Awareness}`");
            continue;
        };
        let id = written.trim().to_lowercase();
        let name = s.text("name").unwrap_or_else(|| crate::config::title_case(&written));
        let description = s.text("description").unwrap_or_default();
        s.extra(STAGE_KEYS);
        if stages.iter().any(|st| st.id == id) {
            let pos = f.value_pos("stages", written.trim());
            let hint = "stage ids must be unique, and they ignore case: `Awareness` is `awareness`";
            f.error_at(pos, InputProblem::DuplicateStage { id }, hint);
            continue;
        }
        let slug = crate::slug::url_slug(&id);
        if let Some((first, _)) = slugs.iter().find(|(_, s)| *s == slug) {
            let pos = f.value_pos("stages", written.trim());
            let problem = InputProblem::StagesSharePage { first: first.clone(), second: id, slug };
            f.error_at(pos, problem, "stage ids are made into page names by lower-casing them and joining words with `-`; rename one of the two");
            continue;
        }
        if stages.len() == MAX_STAGES {
            let pos = f.key_pos("stages");
            let hint = "a journey map has one column per stage; merge stages into fewer";
            f.error_at(pos, InputProblem::TooManyStages { max: MAX_STAGES }, hint);
            break;
        }
        slugs.push((id.clone(), slug));
        stages.push(Stage { id, name, description });
    }
    if stages.is_empty() {
        let pos = f.key_pos("stages");
        f.error_at(pos, InputProblem::NoStages, "remove `stages` to use the five default stages");
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
        let d = f.loc.warning(pos, InputProblem::UnknownSetting { key: key.clone() }).with_hint(hint);
        f.diags.push(d);
    }
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
        assert_eq!(d[0].problem.code(), "unknown-setting");
    }

    #[test]
    fn stage_problems_have_their_kinds() {
        let mut d = Vec::new();
        let c = Config::parse("stages:\n  - {id: A}\n  - {id: a}\n  - {name: X}\n", &mut d);
        assert_eq!(c.stages.len(), 1);
        let codes: Vec<&str> = d.iter().map(|d| d.problem.code()).collect();
        assert_eq!(codes, ["duplicate-stage", "stage-without-id"]);
        assert_eq!(d[0].message(), "stage `a` is listed twice");
    }
}
