//! Trees read straight from the repository's packs: the history walk
//! spends most of its time on big trees (a folder of thousands of assets),
//! one version per commit, each stored as a delta of some hundred bytes on
//! another version.
//!
//! Through gix's object lookup every such read copies its base out of the
//! pack cache, zero-fills two buffers the size of the tree, applies the
//! delta, and copies the result back into the cache: six passes over half
//! a megabyte, and a fresh allocation for each. Here the decoded trees are
//! kept by their place in the pack, shared rather than copied, and a delta
//! is inflated with gix and applied onto its kept base in one pass.
//! gix-pack keeps its delta applier private, hence [`apply`]. Anything
//! else (a loose object, a delta by object id, damaged data) is left to
//! gix, which says what is wrong.

use gix::odb::pack::{self, data::entry::Header};
use std::collections::VecDeque;
use std::rc::Rc;

/// Where an object lies: which of [`Packs`]' packs, and its offset there.
pub(crate) type Place = (usize, u64);

/// Largest tree or delta decoded here; bigger ones are gix's.
const MAX_OBJECT: u64 = 64 << 20;

/// Longest delta chain followed here (git makes them at most 50 long).
const MAX_CHAIN: usize = 256;

/// Bytes of decoded trees kept at most.
const KEPT_BYTES: usize = 16 << 20;

/// Decoded trees kept at most (they are looked up one by one: a folder
/// of many small subtrees must not make each lookup long).
const KEPT_TREES: usize = 256;

/// Buffers of evicted trees kept for reuse at most.
const FREE_BUFFERS: usize = 8;

/// The repository's packs with their indexes, and the trees decoded.
pub(crate) struct Packs {
    bundles: Vec<pack::Bundle>,
    inflate: gix::zlib::Inflate,
    /// The delta being applied.
    delta: Vec<u8>,
    /// Decoded trees by place, the most recently used last.
    kept: VecDeque<(Place, Rc<Vec<u8>>)>,
    kept_bytes: usize,
    /// Bytes of decoded trees kept at most.
    kept_budget: usize,
    free: Vec<Vec<u8>>,
}

impl Packs {
    /// The packs of `repo`'s object folder (none when it cannot be read:
    /// every object is then read through gix).
    pub fn open(repo: &gix::Repository) -> Packs {
        // The object folder gix reads (alternates are left to gix).
        let dir = repo.objects.store_ref().path().join("pack");
        let mut indexes: Vec<_> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "idx"))
            .collect();
        indexes.sort();
        let bundles = indexes.iter().filter_map(|p| pack::Bundle::at(p, repo.object_hash()).ok()).collect();
        Packs {
            bundles,
            inflate: gix::zlib::Inflate::default(),
            delta: Vec::new(),
            kept: VecDeque::new(),
            kept_bytes: 0,
            kept_budget: KEPT_BYTES,
            free: Vec::new(),
        }
    }

    /// The tree `id`, when a pack holds it as a tree or a chain of deltas
    /// by offset ending in one; `None` in any other case.
    pub fn tree(&mut self, id: &gix::oid) -> Option<Rc<Vec<u8>>> {
        let place = self.place(id)?;
        // Down the chain to a tree kept or stored whole.
        let mut chain = Vec::new();
        let mut at = place;
        let mut data = loop {
            if let Some(kept) = self.kept(at) {
                break kept;
            }
            let entry = self.bundles[at.0].pack.entry(at.1).ok()?;
            if entry.decompressed_size > MAX_OBJECT || chain.len() > MAX_CHAIN {
                return None;
            }
            match entry.header {
                Header::OfsDelta { base_distance } => {
                    let base = entry.checked_base_pack_offset(base_distance)?;
                    chain.push((at, entry));
                    at = (at.0, base);
                }
                Header::Tree => {
                    let mut buf = self.buffer();
                    buf.resize(usize::try_from(entry.decompressed_size).ok()?, 0);
                    self.bundles[at.0].pack.decompress_entry(&entry, &mut self.inflate, &mut buf).ok()?;
                    break self.keep(at, buf);
                }
                _ => return None,
            }
        };
        // And back up, each delta applied onto the tree below it.
        for (at, entry) in chain.into_iter().rev() {
            self.delta.resize(usize::try_from(entry.decompressed_size).ok()?, 0);
            self.bundles[at.0].pack.decompress_entry(&entry, &mut self.inflate, &mut self.delta).ok()?;
            let mut buf = self.buffer();
            apply(&data, &self.delta, &mut buf)?;
            data = self.keep(at, buf);
        }
        Some(data)
    }

    /// Where the object `id` lies in a pack, if it does.
    fn place(&self, id: &gix::oid) -> Option<Place> {
        self.bundles
            .iter()
            .enumerate()
            .find_map(|(i, b)| b.index.lookup(id).map(|e| (i, b.index.pack_offset_at_index(e))))
    }

    /// The tree kept for `at`, now the most recently used.
    fn kept(&mut self, at: Place) -> Option<Rc<Vec<u8>>> {
        let i = self.kept.iter().rposition(|(p, _)| *p == at)?;
        let entry = self.kept.remove(i)?;
        let data = Rc::clone(&entry.1);
        self.kept.push_back(entry);
        Some(data)
    }

    /// Keeps a decoded tree, evicting the least recently used beyond the budget.
    fn keep(&mut self, at: Place, buf: Vec<u8>) -> Rc<Vec<u8>> {
        self.kept_bytes += buf.len();
        let data = Rc::new(buf);
        self.kept.push_back((at, Rc::clone(&data)));
        while (self.kept_bytes > self.kept_budget || self.kept.len() > KEPT_TREES) && self.kept.len() > 1 {
            let Some((_, gone)) = self.kept.pop_front() else { break };
            self.kept_bytes -= gone.len();
            self.recycle(gone);
        }
        data
    }

    /// Takes back a tree's buffer for the next tree, once nothing else
    /// holds it (fresh memory for each half-megabyte tree cost more in
    /// page faults than decoding it).
    pub fn recycle(&mut self, data: Rc<Vec<u8>>) {
        if let (Ok(buf), true) = (Rc::try_unwrap(data), self.free.len() < FREE_BUFFERS) {
            self.free.push(buf);
        }
    }

    /// An empty buffer, one given back if there is one.
    pub fn buffer(&mut self) -> Vec<u8> {
        let mut buf = self.free.pop().unwrap_or_default();
        buf.clear();
        buf
    }
}

/// A size in a delta's header: seven bits a byte, least significant first.
fn size(d: &mut &[u8]) -> Option<usize> {
    let mut value: u64 = 0;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = d.split_first()?;
        *d = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return usize::try_from(value).ok();
        }
    }
    None
}

/// Git's delta `delta` applied to `base`, into `out`: the base's size and
/// the result's, then instructions that copy a range of the base or insert
/// the bytes that follow. `None` when the delta does not fit the base or
/// does not make the size it names.
pub(crate) fn apply(base: &[u8], delta: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let mut d = delta;
    if size(&mut d)? != base.len() {
        return None;
    }
    let result = size(&mut d)?;
    out.clear();
    // A result is at most the base's size per copy: a lying header cannot
    // make us reserve more than the instructions can write.
    out.try_reserve(result.min(base.len().saturating_add(d.len()))).ok()?;
    while let Some((&op, rest)) = d.split_first() {
        d = rest;
        if op & 0x80 != 0 {
            // Copy: which offset and size bytes follow is in the op's bits.
            let mut take = |bits: u8, count: usize| -> Option<usize> {
                let mut n = 0usize;
                for i in 0..count {
                    if bits & (1 << i) != 0 {
                        let (&b, rest) = d.split_first()?;
                        d = rest;
                        n |= usize::from(b) << (8 * i);
                    }
                }
                Some(n)
            };
            let offset = take(op & 0x0f, 4)?;
            let len = match take((op >> 4) & 0x07, 3)? {
                0 => 0x10000,
                n => n,
            };
            out.extend_from_slice(base.get(offset..offset.checked_add(len)?)?);
        } else if op != 0 {
            let (bytes, rest) = d.split_at_checked(usize::from(op))?;
            out.extend_from_slice(bytes);
            d = rest;
        } else {
            return None;
        }
        if out.len() > result {
            return None;
        }
    }
    (out.len() == result).then_some(())
}

#[cfg(test)]
mod tests;
