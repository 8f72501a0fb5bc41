//! `personabook diff`: two revisions of the handbook read (from git objects,
//! or the working tree) through the same load and resolve as a build, and
//! compared as models: what a pull request changes in the personas, the
//! assets and the content map.

use super::fields::{BodyChange, FieldChange};
use super::repo;
use super::revision::{load_commits, same_texts, Key};
use super::HistoryError;
use crate::layout::Collection;
use crate::load::{Loaded, SourceFile};
use crate::model::{self, Handbook, ResolveOptions};
use gix::ObjectId;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
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

/// One side, resolved: the model and each item's file.
pub(super) struct Snapshot {
    pub hb: Handbook,
    pub raw: HashMap<Key, Raw>,
}

/// An item's file on one side, as loaded.
pub(super) struct Raw {
    path: String,
    text: String,
    /// Its front matter and body, kept when the other side's text differs.
    value: Option<(serde_yaml::Mapping, String)>,
}

impl Raw {
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Its front matter and body (parsed again if they were not kept).
    pub fn value(&self) -> (serde_yaml::Mapping, String) {
        if let Some(v) = &self.value {
            return v.clone();
        }
        let file = SourceFile::parse(self.path.clone(), Collection::of_content_path(&self.path), self.text.clone());
        let body = file.body().to_string();
        (file.front_matter, body)
    }
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
    let (before, after, head) = match head_side {
        Some((label, id)) => {
            let [before, after] = sides(load_commits(&repo, root, &[base_id, id])?)?;
            (before, after, Side { label, commit: Some(id.to_string()) })
        }
        None => {
            let [before] = sides(load_commits(&repo, root, &[base_id])?)?;
            (before, crate::load::load(root), Side { label: "working tree".into(), commit: None })
        }
    };
    let same = same_texts(&before, &after);
    let (before, after) = rayon::join(|| snapshot(before, &same), || snapshot(after, &same));
    let base = Side { label: base_label, commit: Some(base_id.to_string()) };
    Ok(super::compare::compare(base, head, &before, &after))
}

fn short(id: ObjectId) -> String {
    let hex = id.to_string();
    hex[..7.min(hex.len())].to_string()
}

/// The sides `load_commits` read, as many as asked for.
fn sides<const N: usize>(sides: Vec<Loaded>) -> Result<[Loaded; N], HistoryError> {
    sides.try_into().map_err(|_| HistoryError::Git("a revision could not be read".into()))
}

/// Resolves one side, keeping each item's file for `fields` (its front
/// matter and body only where the other side's text differs).
fn snapshot(loaded: Loaded, same: &HashSet<Key>) -> Snapshot {
    let raw = loaded
        .files
        .iter()
        .map(|f| {
            let key = (f.collection, f.id.clone());
            let value = (!same.contains(&key)).then(|| (f.front_matter.clone(), f.body().to_string()));
            (key, Raw { path: f.path.clone(), text: f.text.clone(), value })
        })
        .collect();
    let opts = ResolveOptions { include_drafts: true, today: crate::pipeline::today() };
    let (hb, _) = model::resolve(loaded, opts);
    Snapshot { hb, raw }
}
