//! A guide page: any Markdown file outside `personas/` and `assets/`.

use super::Backlink;
use crate::diagnostic::Diagnostic;
use crate::load::yaml::Fields;
use crate::load::SourceFile;
use crate::problem::ModelProblem;
use serde::Serialize;
use std::collections::BTreeMap;

/// Every front-matter key a guide page knows.
pub const KEYS: &[&str] = &["title", "weight", "draft"];

/// A guide page, resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub id: String,
    pub source: String,
    /// The file's path inside `content/` (`personas/ana.md`), for `.md` links.
    #[serde(skip)]
    pub content_path: String,
    /// `title`, else the first heading, else the file name.
    pub title: String,
    pub weight: i64,
    pub draft: bool,
    #[serde(skip)]
    pub body: String,
    pub extra: BTreeMap<String, serde_json::Value>,
    pub backlinks: Vec<Backlink>,
}

/// Reads a guide page's fields.
pub fn read(file: &SourceFile, front_matter: serde_yaml::Mapping, diags: &mut Vec<Diagnostic>) -> Page {
    let mut f = Fields::new(file.locator(), front_matter, diags);
    let title = f
        .text("title")
        .or_else(|| first_heading(file.body()))
        .unwrap_or_else(|| crate::config::title_case(file.id.rsplit('/').next().unwrap_or(&file.id)));
    Page {
        id: file.id.clone(),
        source: file.path.clone(),
        content_path: file.content_path.clone(),
        title,
        weight: weight(&mut f),
        draft: f.boolean("draft") == Some(true),
        body: file.body().to_string(),
        extra: f.extra(KEYS),
        backlinks: Vec::new(),
    }
}

/// Largest `weight` either way: enough for any ordering, far from overflow.
pub const MAX_WEIGHT: i64 = 1_000_000;

/// `weight`, range-checked (0 when absent or out of range).
fn weight(f: &mut Fields<'_>) -> i64 {
    f.integer_in(
        "weight",
        -MAX_WEIGHT..=MAX_WEIGHT,
        |value| ModelProblem::WeightOutOfRange { value, max: MAX_WEIGHT },
        "pages are listed by weight, smallest first; e.g. `weight: 10`",
    )
    .unwrap_or(0)
}

/// The text of the first `#` heading, if the body starts with one soon.
fn first_heading(body: &str) -> Option<String> {
    body.lines().map(str::trim).find(|l| !l.is_empty()).and_then(|l| l.strip_prefix("# ")).map(|t| t.trim().to_string())
}
