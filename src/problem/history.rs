//! Problems found while reading the git history: see [`super`].

use std::fmt;

/// A problem with the handbook's git history (a warning: the site builds
/// without it, or with part of it), or with a setting it brings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryProblem {
    /// A shallow clone: only the newest commits are there.
    Shallow,
    /// The repository could not be read; `error` is why.
    Unreadable { error: String },
    /// `edit_url` in handbook.yaml is no http(s) URL with `{path}` in it.
    EditUrl { url: String },
}

/// Every code of this file's kinds.
pub(super) const CODES: &[&str] = &["shallow-history", "history-unreadable", "edit-url"];

impl HistoryProblem {
    pub fn code(&self) -> &'static str {
        match self {
            HistoryProblem::Shallow => "shallow-history",
            HistoryProblem::Unreadable { .. } => "history-unreadable",
            HistoryProblem::EditUrl { .. } => "edit-url",
        }
    }
}

impl fmt::Display for HistoryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryProblem::Shallow => {
                write!(f, "the repository is a shallow clone: dates and change logs show only the commits it has")
            }
            HistoryProblem::Unreadable { error } => {
                write!(f, "the git history could not be read ({error}); the site is built without it")
            }
            HistoryProblem::EditUrl { url } => {
                write!(f, "`edit_url` \"{}\" must be an http(s) URL with `{{path}}` in it", url.escape_debug())
            }
        }
    }
}
