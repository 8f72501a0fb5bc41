//! A content-library asset: its front matter read into typed fields.

use super::read::required_text;
use super::Backlink;
use crate::diagnostic::Diagnostic;
use crate::load::yaml::{scalar_text, Fields};
use crate::load::SourceFile;
use serde::Serialize;
use std::collections::BTreeMap;

/// Every front-matter key an asset knows.
pub const KEYS: &[&str] = &[
    "title",
    "format",
    "url",
    "personas",
    "stages",
    "topics",
    "owner",
    "published",
    "metrics",
    "draft",
    "status",
    "tags",
];

const TITLE_HINT: &str = "every asset needs a `title:` in its front matter, e.g. `title: The ROI of Marketing Ops`";

/// A content asset, resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Asset {
    pub id: String,
    /// The file, relative to the handbook root (`content/assets/roi.md`).
    pub source: String,
    /// The file's path inside `content/` (`personas/ana.md`), for `.md` links.
    #[serde(skip)]
    pub content_path: String,
    pub title: String,
    /// Lower-cased format word (`whitepaper`), or None.
    pub format: Option<String>,
    pub url: Option<String>,
    /// Persona ids (checked by `resolve`; unknown ones are dropped).
    pub personas: Vec<String>,
    /// Stage ids in configured order (checked by `resolve`).
    pub stages: Vec<String>,
    pub topics: Vec<String>,
    pub tags: Vec<String>,
    pub owner: Option<String>,
    pub published: Option<jiff::civil::Date>,
    /// Performance numbers in file order (`views: 1200`).
    pub metrics: Vec<(String, String)>,
    pub draft: bool,
    #[serde(skip)]
    pub body: String,
    pub extra: BTreeMap<String, serde_json::Value>,
    pub backlinks: Vec<Backlink>,
}

impl Asset {
    /// An asset that names no persona or no stage.
    pub fn is_unmapped(&self) -> bool {
        self.personas.is_empty() || self.stages.is_empty()
    }
}

/// Reads an asset's fields from its front matter.
pub fn read(file: &SourceFile, front_matter: serde_yaml::Mapping, diags: &mut Vec<Diagnostic>) -> Asset {
    let mut f = Fields::new(file.locator(), front_matter, diags);
    let title = required_text(&mut f, file, "title", TITLE_HINT);
    let metrics = match f.mapping("metrics") {
        Some(m) => {
            m.iter().map(|(k, v)| (scalar_text(k).unwrap_or_default(), scalar_text(v).unwrap_or_default())).collect()
        }
        None => Vec::new(),
    };
    let draft = f.boolean("draft") == Some(true) || f.text("status").as_deref() == Some("draft");
    Asset {
        id: file.id.clone(),
        source: file.path.clone(),
        content_path: file.content_path.clone(),
        title,
        format: f.text("format").map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()),
        url: f.text("url"),
        personas: f.list("personas").into_iter().map(|s| s.trim().to_lowercase()).collect(),
        stages: f.list("stages").into_iter().map(|s| s.trim().to_lowercase()).collect(),
        topics: f.list("topics").into_iter().map(|s| s.trim().to_lowercase()).collect(),
        tags: f.list("tags"),
        owner: f.text("owner"),
        published: f.date("published"),
        metrics,
        draft,
        body: file.body().to_string(),
        extra: f.extra(KEYS),
        backlinks: Vec::new(),
    }
}
