//! The handbook's git history as an input: who changed which persona,
//! asset and page, when, and which fields.
//!
//! `read` walks the commits once (gix, no `git` process) and returns plain
//! data ([`History`]); the pipeline hands it to the model and render, which
//! never open the repository. `fields` compares two front matters and is
//! shared with `diff` (`personabook diff`, two revisions compared through
//! the same load and resolve as a build). Reads the repository only; never
//! writes to it.

mod compare;
pub mod diff;
pub mod fields;
mod packs;
mod read;
mod repo;
pub mod report;
mod revision;
mod since;
mod tree;
mod version;

pub use fields::{BodyChange, FieldChange};
pub use read::read;
pub use repo::{fingerprint, watch_paths};
pub use since::{since_review, SinceReview};

use serde::Serialize;
use std::collections::BTreeMap;

/// Field changes since a review at or above which a persona is flagged as
/// changed a lot (each list item added or removed, each scalar, each
/// journey field counts one).
pub const MANY_FIELD_CHANGES: usize = 5;

/// Body lines added and removed since a review at or above which a persona
/// is flagged as changed a lot.
pub const MANY_BODY_LINES: usize = 20;

/// One commit, as pages, the feed and `handbook.json` show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// The full object id (hex).
    pub id: String,
    /// Its first seven digits.
    pub short: String,
    pub author: String,
    /// The author date in UTC, RFC 3339 (`2026-03-01T10:00:00Z`).
    pub date: String,
    /// The first line of the message.
    pub subject: String,
}

impl Commit {
    /// The date part (`2026-03-01`), as pages show it.
    pub fn day(&self) -> &str {
        self.date.get(..10).unwrap_or(&self.date)
    }
}

/// What one commit did to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Modified,
    Renamed,
    Removed,
}

/// One entry of a file's change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub commit: Commit,
    pub kind: ChangeKind,
    /// The content path it had before, for a rename.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The front-matter fields that changed, in the file's key order.
    pub fields: Vec<FieldChange>,
    /// How much of the body changed; absent when it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyChange>,
}

/// The history of one file that exists at HEAD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileHistory {
    /// The commit that added it; `None` when the history does not reach
    /// back that far (a shallow clone).
    pub created: Option<Commit>,
    /// The last commit that changed it.
    pub changed: Commit,
    /// Every change the history knows, newest first.
    pub log: Vec<Change>,
}

/// One file a commit touched, for the change feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Touched {
    /// Its content path in that commit (`personas/ana.md`).
    pub path: String,
    /// Its content path today, when it still exists at HEAD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
    pub kind: ChangeKind,
}

/// A commit that changed the handbook's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitEntry {
    #[serde(flatten)]
    pub commit: Commit,
    /// The content files it touched, sorted by path.
    pub files: Vec<Touched>,
}

/// The handbook's history: what `read` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct History {
    /// The commit the history was read from.
    pub head: String,
    /// The repository is a shallow clone: older commits are missing.
    pub shallow: bool,
    /// Commits that changed files under `content/`, newest first.
    pub commits: Vec<CommitEntry>,
    /// Content path (`personas/ana.md`) of each file at HEAD -> its history.
    pub files: BTreeMap<String, FileHistory>,
}

impl History {
    /// The history of the file at this content path, if it is committed.
    pub fn file(&self, content_path: &str) -> Option<&FileHistory> {
        self.files.get(content_path)
    }
}

/// Why the history or a revision could not be read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum HistoryError {
    /// `diff` outside a git repository.
    #[error("{root} is not inside a git repository")]
    NotARepository { root: String },
    /// A revision that names no commit.
    #[error("unknown revision `{rev}`")]
    UnknownRevision { rev: String },
    /// No default branch to measure from.
    #[error("cannot tell the default branch (no origin/HEAD, main or master)")]
    NoDefaultBranch,
    /// The handbook folder is not in the repository's work tree.
    #[error("the handbook folder is outside the repository's work tree")]
    OutsideWorkTree,
    /// gix could not read an object or reference.
    #[error("cannot read the git repository: {0}")]
    Git(String),
}

impl HistoryError {
    /// What the user can do about it.
    pub fn hint(&self) -> String {
        match self {
            HistoryError::NotARepository { .. } => {
                "run `personabook diff` inside a git clone of the handbook (`git init` starts one)".into()
            }
            HistoryError::UnknownRevision { .. } => {
                "name a branch, tag or commit that exists (`git log --oneline` lists commits; fetch the branch first)"
                    .into()
            }
            HistoryError::NoDefaultBranch => "name the base revision: `personabook diff main`".into(),
            HistoryError::OutsideWorkTree => "run it from a folder inside the repository's work tree".into(),
            HistoryError::Git(_) => "check the repository with `git fsck`".into(),
        }
    }
}

/// gix's errors, by their message: the caller only reports them.
pub(crate) fn git_error(e: impl std::fmt::Display) -> HistoryError {
    HistoryError::Git(e.to_string())
}
