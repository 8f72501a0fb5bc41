//! Trees and blobs: which Markdown files differ between two trees (equal
//! subtrees are skipped without being read), renames among them, every
//! Markdown file of a tree, and a blob as text.

use super::packs::Packs;
use super::{git_error, HistoryError};
use gix::ObjectId;
use std::collections::HashMap;
use std::rc::Rc;

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

/// What a tree entry is, as far as a handbook cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tree,
    Blob,
    /// A link or a submodule: no handbook file.
    Other,
}

fn kind(mode: gix::object::tree::EntryMode) -> Kind {
    if mode.is_tree() {
        Kind::Tree
    } else if mode.is_blob() {
        Kind::Blob
    } else {
        Kind::Other
    }
}

/// Git's order of tree entries: by name, a tree's name as if it ended in `/`.
fn git_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let common = a.len().min(b.len());
    match a[..common].cmp(&b[..common]) {
        std::cmp::Ordering::Equal => {}
        other => return other,
    }
    let next = |name: &[u8], tree: bool| name.get(common).copied().or(tree.then_some(b'/'));
    next(a, a_tree).cmp(&next(b, b_tree))
}

/// Reads trees and keeps them for a step. A walk newest first reads each
/// commit's trees twice, as a parent (the old side) and then as the next
/// commit (the new side): the trees read in one step are kept for the
/// next, so the big trees are not decoded twice. Trees in a pack are read
/// by [`Packs`], the others through gix into reused buffers.
pub(crate) struct Trees<'r> {
    repo: &'r gix::Repository,
    packs: Packs,
    /// Trees read in this step, by id.
    now: HashMap<ObjectId, Rc<Vec<u8>>>,
    /// Trees read in the step before.
    before: HashMap<ObjectId, Rc<Vec<u8>>>,
}

impl<'r> Trees<'r> {
    pub fn new(repo: &'r gix::Repository) -> Self {
        Trees { repo, packs: Packs::open(repo), now: HashMap::new(), before: HashMap::new() }
    }

    /// Starts the next step: what was read in this one is kept for it,
    /// what was read before that is given up.
    pub fn step(&mut self) {
        let old = std::mem::replace(&mut self.before, std::mem::take(&mut self.now));
        for data in old.into_values() {
            self.packs.recycle(data);
        }
    }

    /// The tree `id` (empty for none).
    fn read(&mut self, id: Option<ObjectId>) -> Result<Rc<Vec<u8>>, HistoryError> {
        let Some(id) = id else { return Ok(Rc::default()) };
        if let Some(kept) = self.now.get(&id).or_else(|| self.before.get(&id)) {
            return Ok(Rc::clone(kept));
        }
        if let Some(data) = self.packs.tree(&id) {
            return Ok(data);
        }
        let mut buf = self.packs.buffer();
        let found = gix::objs::Find::try_find(&self.repo.objects, &id, &mut buf).map_err(git_error)?;
        let data = found.ok_or_else(|| git_error(format!("tree {id} is missing")))?;
        if data.kind != gix::object::Kind::Tree {
            return Err(git_error(format!("{id} is not a tree")));
        }
        // The data lies in the buffer (all of it, as the pack store gives it).
        let (at, len) = (data.data.as_ptr() as usize, data.data.len());
        let start = at.wrapping_sub(buf.as_ptr() as usize);
        match start.checked_add(len).filter(|end| *end <= buf.len()) {
            _ if len == 0 => buf.clear(),
            Some(end) => {
                buf.copy_within(start..end, 0);
                buf.truncate(len);
            }
            None => return Err(git_error(format!("tree {id} could not be read"))),
        }
        Ok(Rc::new(buf))
    }

    /// Keeps a tree read by `read` for the rest of this step and the next.
    fn keep(&mut self, id: Option<ObjectId>, data: Rc<Vec<u8>>) {
        if let Some(id) = id {
            self.now.insert(id, data);
        }
    }
}

/// One side's next entry: name, kind and id.
type Entry<'a> = (&'a [u8], Kind, ObjectId);

fn next_entry<'a>(it: &mut gix::objs::TreeRefIter<'a>) -> Result<Option<Entry<'a>>, HistoryError> {
    match it.next() {
        None => Ok(None),
        Some(Err(e)) => Err(git_error(e)),
        Some(Ok(e)) => Ok(Some((e.filename.as_ref(), kind(e.mode), e.oid.to_owned()))),
    }
}

/// Every Markdown file that differs between `old` and `new` (trees), with
/// paths below `prefix`, appended to `out`. Both trees are walked side by
/// side in git's order; subtrees with the same id are not read.
pub(crate) fn diff(
    trees: &mut Trees<'_>,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    prefix: &str,
    out: &mut Vec<RawChange>,
) -> Result<(), HistoryError> {
    if old == new {
        return Ok(());
    }
    let (da, db) = (trees.read(old)?, trees.read(new)?);
    let walked = walk_pair(trees, &da, &db, prefix, out);
    trees.keep(old, da);
    trees.keep(new, db);
    walked
}

/// `diff` on the two trees' data.
fn walk_pair(
    trees: &mut Trees<'_>,
    da: &[u8],
    db: &[u8],
    prefix: &str,
    out: &mut Vec<RawChange>,
) -> Result<(), HistoryError> {
    let hash = trees.repo.object_hash();
    let (prefix_len, suffix_len) = shared_ends(da, db, hash.len_in_bytes());
    let (da, db) = (&da[prefix_len..da.len() - suffix_len], &db[prefix_len..db.len() - suffix_len]);
    let mut ia = gix::objs::TreeRefIter::from_bytes(da, hash);
    let mut ib = gix::objs::TreeRefIter::from_bytes(db, hash);
    let (mut a, mut b) = (next_entry(&mut ia)?, next_entry(&mut ib)?);
    loop {
        let order = match (&a, &b) {
            (None, None) => return Ok(()),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => git_order(x.0, x.1 == Kind::Tree, y.0, y.1 == Kind::Tree),
        };
        let (x, y) = match order {
            std::cmp::Ordering::Less => (a.take(), None),
            std::cmp::Ordering::Greater => (None, b.take()),
            std::cmp::Ordering::Equal => (a.take(), b.take()),
        };
        entry_change(trees, x, y, prefix, out)?;
        if a.is_none() {
            a = next_entry(&mut ia)?;
        }
        if b.is_none() {
            b = next_entry(&mut ib)?;
        }
    }
}

/// Where each entry of a raw tree ends after `at` (ids `id_len` bytes
/// long); `None` at the end or where the data is not a tree entry.
fn entry_end(data: &[u8], at: usize, id_len: usize) -> Option<usize> {
    let rest = data.get(at..).filter(|r| !r.is_empty())?;
    let nul = find_nul(rest)?;
    let end = at.checked_add(nul)?.checked_add(1 + id_len)?;
    (end <= data.len()).then_some(end)
}

/// The first zero byte, eight bytes at a time: walking a large tree's
/// entries is mostly this search.
fn find_nul(data: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let mut words = data.chunks_exact(8);
    for (n, word) in (&mut words).enumerate() {
        let w = u64::from_le_bytes(<[u8; 8]>::try_from(word).unwrap_or([1; 8]));
        // The lowest byte set here is the first zero byte of `w`.
        let zero = w.wrapping_sub(ONES) & !w & HIGH;
        if zero != 0 {
            return Some(n * 8 + (zero.trailing_zeros() / 8) as usize);
        }
    }
    let done = data.len() - words.remainder().len();
    words.remainder().iter().position(|&b| b == 0).map(|i| done + i)
}

/// How many bytes two sequences of chunks share from their start: whole
/// chunks compared at once, then `within` for the first that differs.
fn same_len<'a>(
    a: impl Iterator<Item = &'a [u8]>,
    b: impl Iterator<Item = &'a [u8]>,
    within: impl Fn(&[u8], &[u8]) -> usize,
) -> usize {
    let mut n = 0;
    for (x, y) in a.zip(b) {
        if x != y {
            return n + within(x, y);
        }
        n += x.len().min(y.len());
        if x.len() != y.len() {
            break;
        }
    }
    n
}

/// The entries two raw trees share at their start and at their end, as
/// byte ranges `(prefix, suffix)`: entries are sorted, so the same bytes
/// up to an entry boundary in both are the same entries, and only the
/// middle needs to be parsed and compared. `(0, 0)` where the data does
/// not parse as entries (the walk then reports it).
fn shared_ends(da: &[u8], db: &[u8], id_len: usize) -> (usize, usize) {
    // Pages of 4 KiB compared at once, then 64 bytes, then bytes: two big
    // trees share most of their bytes.
    let bytes = |x: &[u8], y: &[u8]| x.iter().zip(y).take_while(|(p, q)| p == q).count();
    let same = same_len(da.chunks(4096), db.chunks(4096), |x, y| same_len(x.chunks(64), y.chunks(64), bytes));
    let mut prefix = 0;
    while let Some(end) = entry_end(da, prefix, id_len).filter(|e| *e <= same) {
        prefix = end;
    }
    let most = da.len().min(db.len()) - prefix;
    let (ta, tb) = (&da[da.len() - most..], &db[db.len() - most..]);
    let bytes_back = |x: &[u8], y: &[u8]| x.iter().rev().zip(y.iter().rev()).take_while(|(p, q)| p == q).count();
    let same_end =
        same_len(ta.rchunks(4096), tb.rchunks(4096), |x, y| same_len(x.rchunks(64), y.rchunks(64), bytes_back));
    if same_end == 0 {
        return (prefix, 0);
    }
    // The first boundary at or after the shared end's start on each side,
    // then forward until both are the same distance from their end.
    let first = |d: &[u8]| {
        let mut at = prefix;
        while at < d.len() - same_end {
            at = entry_end(d, at, id_len)?;
        }
        Some(at)
    };
    let (Some(mut a), Some(mut b)) = (first(da), first(db)) else { return (prefix, 0) };
    while da.len() - a != db.len() - b {
        let next = if da.len() - a > db.len() - b {
            entry_end(da, a, id_len).map(|e| a = e)
        } else {
            entry_end(db, b, id_len).map(|e| b = e)
        };
        if next.is_none() {
            return (prefix, 0);
        }
    }
    (prefix, da.len() - a)
}

/// The change between one name's entries on each side (`None`: absent).
fn entry_change(
    trees: &mut Trees<'_>,
    x: Option<Entry<'_>>,
    y: Option<Entry<'_>>,
    prefix: &str,
    out: &mut Vec<RawChange>,
) -> Result<(), HistoryError> {
    if x.map(|e| (e.1, e.2)) == y.map(|e| (e.1, e.2)) {
        return Ok(());
    }
    // A name that is not UTF-8 cannot be a handbook file on any system we build for.
    let Some(Ok(name)) = x.or(y).map(|e| std::str::from_utf8(e.0)) else { return Ok(()) };
    let of = |e: Option<Entry<'_>>, k: Kind| e.filter(|e| e.1 == k).map(|e| e.2);
    let path = format!("{prefix}{name}");
    let (ta, tb) = (of(x, Kind::Tree), of(y, Kind::Tree));
    if ta.is_some() || tb.is_some() {
        return diff(trees, ta, tb, &format!("{path}/"), out);
    }
    let (ba, bb) = (of(x, Kind::Blob), of(y, Kind::Blob));
    if (ba.is_some() || bb.is_some()) && ba != bb && name.ends_with(".md") {
        out.push(RawChange { path, old: ba, new: bb, from: None });
    }
    Ok(())
}

/// Every Markdown file of a tree with its blob, paths below `prefix`, sorted.
pub(crate) fn files(trees: &mut Trees<'_>, tree: Option<ObjectId>) -> Result<Vec<(String, ObjectId)>, HistoryError> {
    let mut changes = Vec::new();
    diff(trees, None, tree, "", &mut changes)?;
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
    Ok(String::from_utf8(blob.detach().data).ok())
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

#[cfg(test)]
mod tests;
