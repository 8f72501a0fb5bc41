//! What changed in a persona since its last `reviewed:` date: the commits
//! after that day, who made them, which fields they touched and how much of
//! the body, and whether that is a lot.

use super::{FileHistory, MANY_BODY_LINES, MANY_FIELD_CHANGES};
use serde::Serialize;

/// The changes a reviewer should look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SinceReview {
    /// Commits after the review day that changed fields (besides `reviewed`) or the body.
    pub commits: usize,
    /// Their authors, in order of their latest change.
    pub authors: Vec<String>,
    /// The fields they changed (`journey` for journey stages), each once.
    pub fields: Vec<String>,
    /// Field changes counted as `FieldChange::weight` does.
    pub field_changes: usize,
    /// Body lines added and removed.
    pub body_lines: usize,
    /// The date of the latest of them (`2026-05-02`).
    pub last: String,
    /// Enough change that the review no longer covers the persona.
    pub many: bool,
}

/// The changes after `reviewed` (a day; changes on that day count as
/// reviewed); `None` when there are none.
pub fn since_review(history: &FileHistory, reviewed: jiff::civil::Date) -> Option<SinceReview> {
    let day = reviewed.to_string();
    let mut out = SinceReview {
        commits: 0,
        authors: Vec::new(),
        fields: Vec::new(),
        field_changes: 0,
        body_lines: 0,
        last: String::new(),
        many: false,
    };
    for change in history.log.iter().filter(|c| c.commit.day() > day.as_str()) {
        let fields: Vec<_> = change.fields.iter().filter(|f| f.field() != "reviewed").collect();
        // Adding a file that already says when it was reviewed, moving it,
        // or only setting `reviewed:` changes nothing a reviewer must read.
        if fields.is_empty() && change.body.is_none() {
            continue;
        }
        out.commits += 1;
        if out.last.is_empty() {
            out.last = change.commit.day().to_string();
        }
        if !out.authors.contains(&change.commit.author) {
            out.authors.push(change.commit.author.clone());
        }
        for f in fields {
            out.field_changes += f.weight();
            if !out.fields.iter().any(|n| n == f.field()) {
                out.fields.push(f.field().to_string());
            }
        }
        if let Some(b) = change.body {
            out.body_lines += b.added + b.removed;
        }
    }
    out.many = out.field_changes >= MANY_FIELD_CHANGES || out.body_lines >= MANY_BODY_LINES;
    (out.commits > 0).then_some(out)
}
