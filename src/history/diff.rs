//! `personabook diff`: two revisions of the handbook read (from git objects,
//! or the working tree) through the same load and resolve as a build, and
//! compared as models: what a pull request changes in the personas, the
//! assets and the content map.

use super::fields::{BodyChange, FieldChange};
use super::repo::{self, Repo};
use super::{tree, HistoryError};
use crate::config::{Config, CONFIG_FILE};
use crate::layout::{self, Collection};
use crate::load::{Loaded, SourceFile};
use crate::model::{self, Handbook, ResolveOptions};
use gix::ObjectId;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// One side of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// What the user named (`main`, `HEAD~3`), or `working tree`.
    pub label: String,
    /// The commit, absent for the working tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// An item on one side only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: String,
    pub name: String,
}

/// An item on both sides whose file changed (`from` set for a rename).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    pub fields: Vec<FieldChange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyChange>,
}

/// What changed in one collection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ItemsDiff {
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    /// Renamed items (`from` the old id), with what else changed.
    pub renamed: Vec<Changed>,
    pub changed: Vec<Changed>,
}

impl ItemsDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.renamed.is_empty() && self.changed.is_empty()
    }
}

/// A content-map cell: a persona at a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub persona: String,
    pub stage: String,
}

/// Coverage of the content map, in whole percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub before: u32,
    pub after: u32,
}

/// Everything `diff` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SemanticDiff {
    pub base: Side,
    pub head: Side,
    pub personas: ItemsDiff,
    pub assets: ItemsDiff,
    /// Cells that had content and are gaps now.
    pub new_gaps: Vec<Cell>,
    /// Cells that were gaps and have content now.
    pub filled: Vec<Cell>,
    pub coverage: Coverage,
}

impl SemanticDiff {
    /// Nothing a reviewer would notice changed.
    pub fn is_empty(&self) -> bool {
        self.personas.is_empty() && self.assets.is_empty() && self.new_gaps.is_empty() && self.filled.is_empty()
    }
}

/// One side, resolved: the model and each item's raw front matter and body.
pub(super) struct Snapshot {
    pub hb: Handbook,
    pub raw: HashMap<(Collection, String), (serde_yaml::Mapping, String)>,
}

/// Compares revision `base` (default: the merge base of HEAD and the
/// default branch) with `head` (default: the working tree) of the handbook
/// at `root`.
pub fn diff(root: &Path, base: Option<&str>, head: Option<&str>) -> Result<SemanticDiff, HistoryError> {
    let repo = repo::open(root)?.ok_or_else(|| HistoryError::NotARepository { root: root.display().to_string() })?;
    let head_side = match head {
        Some(rev) => Some((rev.to_string(), repo.commit(rev)?)),
        None => None,
    };
    let base_id = match base {
        Some(rev) => repo.commit(rev)?,
        None => {
            let tip = match &head_side {
                Some((_, id)) => *id,
                None => repo.head().ok_or(HistoryError::NoDefaultBranch)?,
            };
            repo.default_base(tip)?
        }
    };
    let base_label = base.map_or_else(|| format!("merge base {}", short(base_id)), str::to_string);
    let before = load_commit(&repo, root, base_id)?;
    let (after, head) = match head_side {
        Some((label, id)) => (load_commit(&repo, root, id)?, Side { label, commit: Some(id.to_string()) }),
        None => (crate::load::load(root), Side { label: "working tree".into(), commit: None }),
    };
    let (before, after) = rayon::join(|| snapshot(before), || snapshot(after));
    let base = Side { label: base_label, commit: Some(base_id.to_string()) };
    Ok(super::compare::compare(base, head, &before, &after))
}

fn short(id: ObjectId) -> String {
    let hex = id.to_string();
    hex[..7.min(hex.len())].to_string()
}

/// The handbook as it was in a commit, read from git objects into the same
/// `Loaded` the loader makes from disk (files the loader would refuse,
/// too large or not UTF-8, are left out).
fn load_commit(repo: &Repo, root: &Path, commit: ObjectId) -> Result<Loaded, HistoryError> {
    let git = &repo.git;
    let mut diagnostics = Vec::new();
    let config = match repo.file(commit, CONFIG_FILE)? {
        Some(blob) => match tree::text(git, blob)? {
            Some(text) => Config::parse(&text, &mut diagnostics),
            None => Config::default(),
        },
        None => Config::default(),
    };
    let content = repo.subtree(commit, layout::CONTENT_DIR)?;
    let mut texts = Vec::new();
    for (path, blob) in tree::files(&mut tree::Trees::new(git), content)? {
        let Some(text) = tree::text(git, blob)? else { continue };
        texts.push((path, text));
    }
    // Parsing the front matter is most of the work: on every core.
    use rayon::prelude::*;
    let mut files: Vec<SourceFile> = texts
        .into_par_iter()
        .map(|(path, text)| {
            let collection = Collection::of_content_path(&path);
            SourceFile::parse(format!("{}/{path}", layout::CONTENT_DIR), collection, text)
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    // Analytics exports are not compared: diff is about the handbook's content.
    Ok(Loaded { root: root.to_path_buf(), config, files, unreadable: Vec::new(), diagnostics, analytics: Vec::new() })
}

/// Resolves one side, keeping each item's raw front matter for `fields`.
fn snapshot(loaded: Loaded) -> Snapshot {
    let raw = loaded
        .files
        .iter()
        .map(|f| ((f.collection, f.id.clone()), (f.front_matter.clone(), f.body().to_string())))
        .collect();
    let opts = ResolveOptions { include_drafts: true, today: crate::pipeline::today() };
    let (hb, _) = model::resolve(loaded, opts);
    Snapshot { hb, raw }
}
