//! `handbook.yaml`: every setting of the spec with its default.
//!
//! Plain data: reading the file and reporting what is wrong with it is
//! `load::config`'s job, so this module knows nothing of YAML or content.

use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::layout::CONFIG_FILE;
use crate::layout::DEFAULT_THEME;

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
    /// `analytics:` and `stale_after_days:` (left out of `handbook.json` when unused).
    #[serde(skip_serializing_if = "crate::analytics::Settings::is_unused")]
    pub analytics: crate::analytics::Settings,
}

/// The `markdown:` section.
#[derive(Debug, Clone, Serialize)]
pub struct MarkdownConfig {
    pub unsafe_html: bool,
}

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
            theme: DEFAULT_THEME.into(),
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
            analytics: crate::analytics::Settings::default(),
        }
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
    fn names_from_ids() {
        assert_eq!(title_case("case-study"), "Case Study");
        assert_eq!(title_case("a__b c"), "A B C");
    }
}
