//! Trees and blobs: which Markdown files differ between two trees (equal
//! subtrees are skipped without being read), renames among them, every
//! Markdown file of a tree, and a blob as text.

use super::{git_error, HistoryError};
use gix::ObjectId;
use std::collections::BTreeMap;

/// Largest blob read as text (the loader's limit for a content file).
const MAX_BLOB: usize = crate::load::walk::MAX_TEXT_BYTES as usize;

/// Below this many removed x added pairs a commit's renames are also
/// looked for among files whose text changed; above it, exact only.
const MAX_SIMILAR_PAIRS: usize = 400;

/// One Markdown file that differs: its path inside the diffed tree and its
/// blob on each side (`None`: absent on that side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawChange {
    pub path: String,
    pub old: Option<ObjectId>,
    pub new: Option<ObjectId>,
    /// For a rename: the path it had in the old tree.
    pub from: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tree,
    Blob,
}

/// The entries of a tree that are trees or regular files (links and
/// submodules are no handbook file), by name.
fn entries(repo: &gix::Repository, id: Option<ObjectId>) -> Result<BTreeMap<String, (Kind, ObjectId)>, HistoryError> {
    let mut out = BTreeMap::new();
    let Some(id) = id else { return Ok(out) };
    let tree = repo.find_tree(id).map_err(git_error)?;
    for entry in tree.iter() {
        let entry = entry.map_err(git_error)?;
        let mode = entry.mode();
        let kind = if mode.is_tree() {
            Kind::Tree
        } else if mode.is_blob() {
            Kind::Blob
        } else {
            continue;
        };
        // A name that is not UTF-8 cannot be a handbook file on any system we build for.
        let Ok(name) = std::str::from_utf8(entry.filename()) else { continue };
        out.insert(name.to_string(), (kind, entry.oid().to_owned()));
    }
    Ok(out)
}

/// Every Markdown file that differs between `old` and `new` (trees), with
/// paths below `prefix`, appended to `out`.
pub(crate) fn diff(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    prefix: &str,
    out: &mut Vec<RawChange>,
) -> Result<(), HistoryError> {
    if old == new {
        return Ok(());
    }
    let (a, b) = (entries(repo, old)?, entries(repo, new)?);
    let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let (x, y) = (a.get(name).copied(), b.get(name).copied());
        if x == y {
            continue;
        }
        let path = format!("{prefix}{name}");
        let tree = |e: Option<(Kind, ObjectId)>| e.filter(|(k, _)| *k == Kind::Tree).map(|(_, id)| id);
        let blob = |e: Option<(Kind, ObjectId)>| e.filter(|(k, _)| *k == Kind::Blob).map(|(_, id)| id);
        let (ta, tb) = (tree(x), tree(y));
        if ta.is_some() || tb.is_some() {
            diff(repo, ta, tb, &format!("{path}/"), out)?;
        }
        let (ba, bb) = (blob(x), blob(y));
        if (ba.is_some() || bb.is_some()) && ba != bb && name.ends_with(".md") {
            out.push(RawChange { path, old: ba, new: bb, from: None });
        }
    }
    Ok(())
}

/// Every Markdown file of a tree with its blob, paths below `prefix`, sorted.
pub(crate) fn files(repo: &gix::Repository, tree: Option<ObjectId>) -> Result<Vec<(String, ObjectId)>, HistoryError> {
    let mut changes = Vec::new();
    diff(repo, None, tree, "", &mut changes)?;
    let mut out: Vec<(String, ObjectId)> = changes.into_iter().filter_map(|c| Some((c.path, c.new?))).collect();
    out.sort();
    Ok(out)
}

/// A blob as text; `None` when it is too large or not UTF-8 (the loader
/// would refuse it too).
pub(crate) fn text(repo: &gix::Repository, id: ObjectId) -> Result<Option<String>, HistoryError> {
    let blob = repo.find_blob(id).map_err(git_error)?;
    if blob.data.len() > MAX_BLOB {
        return Ok(None);
    }
    Ok(String::from_utf8(blob.data.clone()).ok())
}

/// Pairs removed and added files of one change list into renames: the
/// same blob first, then (for small lists) text at least half the same.
pub(crate) fn find_renames(repo: &gix::Repository, changes: &mut Vec<RawChange>) -> Result<(), HistoryError> {
    let removed: Vec<usize> = (0..changes.len()).filter(|&i| changes[i].new.is_none()).collect();
    let added: Vec<usize> = (0..changes.len()).filter(|&i| changes[i].old.is_none()).collect();
    if removed.is_empty() || added.is_empty() {
        return Ok(());
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut taken = vec![false; changes.len()];
    for &r in &removed {
        if let Some(&a) = added.iter().find(|&&a| !taken[a] && changes[a].new == changes[r].old) {
            (taken[a], taken[r]) = (true, true);
            pairs.push((r, a));
        }
    }
    let left_r: Vec<usize> = removed.iter().copied().filter(|&r| !taken[r]).collect();
    let left_a: Vec<usize> = added.iter().copied().filter(|&a| !taken[a]).collect();
    if !left_r.is_empty() && left_r.len() * left_a.len() <= MAX_SIMILAR_PAIRS {
        let lines = |id: Option<ObjectId>| -> Result<Vec<String>, HistoryError> {
            let text = match id {
                Some(id) => text(repo, id)?.unwrap_or_default(),
                None => String::new(),
            };
            Ok(text.lines().map(str::to_string).collect())
        };
        let mut texts_a = Vec::new();
        for &a in &left_a {
            texts_a.push(lines(changes[a].new)?);
        }
        for &r in &left_r {
            let old = lines(changes[r].old)?;
            let best = left_a
                .iter()
                .enumerate()
                .filter(|(_, &a)| !taken[a])
                .map(|(k, &a)| (similarity(&old, &texts_a[k]), a))
                .filter(|(s, _)| *s >= 50)
                .max_by_key(|(s, a)| (*s, std::cmp::Reverse(*a)));
            if let Some((_, a)) = best {
                (taken[a], taken[r]) = (true, true);
                pairs.push((r, a));
            }
        }
    }
    merge_pairs(changes, pairs);
    Ok(())
}

/// Turns each (removed, added) pair into one rename, kept at the added slot.
fn merge_pairs(changes: &mut Vec<RawChange>, pairs: Vec<(usize, usize)>) {
    let mut drop = vec![false; changes.len()];
    for (r, a) in pairs {
        changes[a].old = changes[r].old;
        changes[a].from = Some(changes[r].path.clone());
        drop[r] = true;
    }
    let mut i = 0;
    changes.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// How much of two texts is the same, in percent of the longer one's lines
/// (lines compared as a multiset, so moved lines still count).
pub(crate) fn similarity(a: &[String], b: &[String]) -> usize {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 100;
    }
    let (_, removed) = super::fields::line_changes(a, b);
    (a.len() - removed) * 100 / longest
}
