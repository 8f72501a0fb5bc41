//! The full-text search index, split so a query loads only what it needs.
//!
//! Files, all scripts (not JSON to `fetch`), so search works opened from
//! disk, where browsers refuse `fetch` of local files:
//!
//! - `search/index.js`, the manifest: sets `window.PERSONABOOK_SEARCH` to
//!   the number of pages, the chunk size, the stop words and the first
//!   term of every term shard.
//! - `search/t-<n>.js`, term shard `n`: a run of terms in sorted order,
//!   each with its postings (page number, score), passed to
//!   `PERSONABOOK_ADD("t", n, {...})`. The terms a query word is a prefix
//!   of are next to each other, so it needs one shard, rarely two.
//! - `search/d-<n>.js`, page chunk `n`: title, URL, kind and texts of
//!   `CHUNK` pages, for the results shown (title, snippet).
//!
//! Terms are sorted by code point (as Rust sorts strings), and shards hold
//! about `SHARD_BYTES` each. Built from the model alone, in a fixed order:
//! the same handbook gives the same bytes.

use super::search_text::{self, Doc, STOP_WORDS};
use super::Renderer;
use crate::diagnostic::Diagnostic;
use crate::model::site_path;
use crate::problem::RenderProblem;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;

/// The global the manifest sets.
pub const SEARCH_GLOBAL: &str = "PERSONABOOK_SEARCH";
/// The function the data scripts call (defined by `app.js`): shards and
/// chunks here, the library and comparison data (`library.rs`, `compare.rs`).
pub const DATA_ADD: &str = "PERSONABOOK_ADD";
/// Pages per chunk file.
pub const CHUNK: usize = 8;
/// A shard over this many bytes is split by a longer key.
const SHARD_BYTES: usize = 24 * 1024;

/// A term and its postings: (page number, score), by page number.
type Term = (String, Vec<(u32, u8)>);

/// One shard: its key and the range of `Index::terms` it holds.
#[derive(Debug)]
struct Shard {
    key: String,
    terms: std::ops::Range<usize>,
}

/// The whole index, made once per build (the first job that asks).
#[derive(Debug)]
pub(crate) struct Index {
    docs: Vec<Doc>,
    terms: Vec<Term>,
    shards: Vec<Shard>,
    /// Bytes a shard is cut at (`SHARD_BYTES`; smaller in tests).
    shard_bytes: usize,
}

impl Index {
    pub(crate) fn build(r: &Renderer<'_>) -> Index {
        Index::of(search_text::docs(r), SHARD_BYTES)
    }

    /// The index of `docs`, numbered in order, in shards of about `shard_bytes`.
    fn of(docs: Vec<Doc>, shard_bytes: usize) -> Index {
        let per_doc: Vec<BTreeMap<String, u8>> = docs.par_iter().map(doc_terms).collect();
        // Hashed while merging, sorted once: the order comes from the sort.
        let mut merged: HashMap<String, Vec<(u32, u8)>> = HashMap::new();
        for (n, terms) in per_doc.into_iter().enumerate() {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            for (term, score) in terms {
                merged.entry(term).or_default().push((n, score));
            }
        }
        let mut terms: Vec<Term> = merged.into_iter().collect();
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let shards = split(&terms, shard_bytes);
        Index { docs, terms, shards, shard_bytes }
    }

    /// This index with the pages numbered `changed` made again from `r`
    /// (the same site but for them), and the term shards that differ from
    /// this index's: what an edit in the preview re-renders of the index.
    /// Only those pages are tokenised; every other posting is kept.
    pub(crate) fn updated(self, r: &Renderer<'_>, changed: &BTreeSet<usize>) -> (Index, HashSet<usize>) {
        self.with(changed, |n| search_text::doc(r, n))
    }

    /// `updated`, with page `n` as `doc_of(n)` gives it.
    fn with(mut self, changed: &BTreeSet<usize>, doc_of: impl Fn(usize) -> Option<Doc>) -> (Index, HashSet<usize>) {
        let mut touched: Vec<String> = Vec::new();
        for &n in changed {
            let Some(doc) = doc_of(n).filter(|_| n < self.docs.len()) else { continue };
            let (before, now) = (doc_terms(&self.docs[n]), doc_terms(&doc));
            self.docs[n] = doc;
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            for (term, _) in before.iter().filter(|(t, s)| now.get(*t) != Some(s)) {
                self.unpost(term, n);
                touched.push(term.clone());
            }
            for (term, &score) in now.iter().filter(|(t, s)| before.get(*t) != Some(s)) {
                self.post(term, n, score);
                touched.push(term.clone());
            }
        }
        self.terms.retain(|(_, postings)| !postings.is_empty());
        let old = std::mem::replace(&mut self.shards, split(&self.terms, self.shard_bytes));
        let dirty = self.dirty_shards(&old, &touched);
        (self, dirty)
    }

    /// Drops page `n`'s posting of `term`.
    fn unpost(&mut self, term: &str, n: u32) {
        if let Ok(i) = self.terms.binary_search_by(|(t, _)| t.as_str().cmp(term)) {
            self.terms[i].1.retain(|&(doc, _)| doc != n);
        }
    }

    /// Gives page `n` a posting of `term` with `score` (the term made if new),
    /// keeping the postings in page order.
    fn post(&mut self, term: &str, n: u32, score: u8) {
        let i = match self.terms.binary_search_by(|(t, _)| t.as_str().cmp(term)) {
            Ok(i) => i,
            Err(i) => {
                self.terms.insert(i, (term.to_string(), Vec::new()));
                i
            }
        };
        let postings = &mut self.terms[i].1;
        match postings.binary_search_by_key(&n, |&(doc, _)| doc) {
            Ok(j) => postings[j].1 = score,
            Err(j) => postings.insert(j, (n, score)),
        }
    }

    /// The shards that differ from `old`'s (the shards before the terms
    /// `touched` changed): another first term or number of terms, or a
    /// touched term (changed, added or gone) where the shard now runs.
    /// A shard with the same first term and count and no touched term in
    /// its run holds the same untouched terms as before, so the same bytes.
    fn dirty_shards(&self, old: &[Shard], touched: &[String]) -> HashSet<usize> {
        let mut dirty: HashSet<usize> = (self.shards.iter().enumerate())
            .filter(|(i, s)| old.get(*i).is_none_or(|o| o.key != s.key || o.terms.len() != s.terms.len()))
            .map(|(i, _)| i)
            .collect();
        for term in touched {
            let after = self.shards.partition_point(|s| s.key.as_str() <= term.as_str());
            dirty.insert(after.saturating_sub(1));
        }
        dirty
    }

    pub(crate) fn shard_count(&self) -> usize {
        self.shards.len()
    }

    pub(crate) fn chunk_count(&self) -> usize {
        self.docs.len().div_ceil(CHUNK)
    }

    /// `search/index.js`.
    pub(crate) fn manifest(&self) -> Result<Vec<u8>, Diagnostic> {
        #[derive(serde::Serialize)]
        struct Manifest<'a> {
            docs: usize,
            chunk: usize,
            stop: &'a [&'a str],
            shards: Vec<&'a str>,
        }
        let m = Manifest {
            docs: self.docs.len(),
            chunk: CHUNK,
            stop: STOP_WORDS,
            shards: self.shards.iter().map(|s| s.key.as_str()).collect(),
        };
        let mut out = format!("window.{SEARCH_GLOBAL} = ").into_bytes();
        serde_json::to_writer(&mut out, &m).map_err(|e| error(site_path::SEARCH_INDEX_FILE, &e))?;
        out.extend_from_slice(b";\n");
        Ok(out)
    }

    /// Term shard `n`: `{"term":[page, score, page - previous page, score, ...]}`.
    pub(crate) fn shard(&self, n: usize) -> Result<super::OutFile, Diagnostic> {
        let file = site_path::search_shard_file(n);
        let mut out = Vec::with_capacity(SHARD_BYTES + 1024);
        let _ = write!(out, "{DATA_ADD}(\"t\",{n},{{");
        let range = self.shards.get(n).map_or(0..0, |s| s.terms.clone());
        for (i, (term, postings)) in self.terms[range].iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'\n');
            serde_json::to_writer(&mut out, term).map_err(|e| error(&file, &e))?;
            out.extend_from_slice(b":[");
            let mut last = 0;
            for (j, &(doc, score)) in postings.iter().enumerate() {
                let sep = if j > 0 { "," } else { "" };
                let _ = write!(out, "{sep}{},{score}", doc - last);
                last = doc;
            }
            out.push(b']');
        }
        out.extend_from_slice(b"\n});\n");
        Ok((file, out))
    }

    /// Page chunk `n`: the pages `n * CHUNK ..`, as the results show them.
    pub(crate) fn chunk(&self, n: usize) -> Result<super::OutFile, Diagnostic> {
        let file = site_path::search_chunk_file(n);
        let start = (n * CHUNK).min(self.docs.len());
        let end = (start + CHUNK).min(self.docs.len());
        let mut out = format!("{DATA_ADD}(\"d\",{n},").into_bytes();
        serde_json::to_writer(&mut out, &self.docs[start..end]).map_err(|e| error(&file, &e))?;
        out.extend_from_slice(b");\n");
        Ok((file, out))
    }
}

/// A page's terms, each with the OR of the weights of the fields it is in.
fn doc_terms(doc: &Doc) -> BTreeMap<String, u8> {
    let mut out: BTreeMap<String, u8> = BTreeMap::new();
    let title = (search_text::TITLE, doc.title.as_str());
    for (weight, text) in std::iter::once(title).chain(doc.parts.iter().map(|p| (p.weight, p.text.as_str()))) {
        search_text::terms(text, |t| {
            if let Some(w) = out.get_mut(t) {
                *w |= weight;
            } else {
                out.insert(t.to_string(), weight);
            }
        });
    }
    out
}

/// Cuts the sorted `terms` into runs of about `max` bytes each; a shard's
/// key is its first term, so the shards a prefix needs are found by binary
/// search (from the last key not after it, while the next key starts with it).
fn split(terms: &[Term], max: usize) -> Vec<Shard> {
    let mut shards = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, (term, postings)) in terms.iter().enumerate() {
        let size = term.len() + 4 + postings.len() * 6;
        if bytes > 0 && bytes + size > max {
            shards.push(Shard { key: terms[start].0.clone(), terms: start..i });
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < terms.len() {
        shards.push(Shard { key: terms[start].0.clone(), terms: start..terms.len() });
    }
    shards
}

/// A serialisation error as a diagnostic at the file it broke.
fn error(file: &str, e: &serde_json::Error) -> Diagnostic {
    Diagnostic::error(file, 1, 1, RenderProblem::Export { error: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn doc(words: &[String]) -> Doc {
        let part = |weight, text: String| search_text::Part { weight, label: String::new(), text };
        let (title, body) = words.split_at(words.len().min(1));
        Doc {
            title: title.join(" "),
            url: String::new(),
            kind: search_text::SearchKind::Asset,
            parts: vec![part(search_text::BODY, body.join(" "))],
        }
    }

    /// Each shard's file, as the site writes it.
    fn files(index: &Index) -> Vec<Vec<u8>> {
        (0..index.shard_count()).map(|n| index.shard(n).unwrap().1).collect()
    }

    proptest! {
        /// An index updated page by page holds what one built anew holds,
        /// and every shard whose bytes differ is among those it says.
        #[test]
        fn an_updated_index_equals_one_built_anew(
            // Enough pages for several shards.
            pages in prop::collection::vec(prop::collection::vec("[a-f]{1,3}", 0..30), 1..80),
            edits in prop::collection::vec((any::<prop::sample::Index>(), prop::collection::vec("[a-f]{1,3}", 0..40)), 1..6),
        ) {
            // Small shards, so an edit moves where shards are cut.
            let old = Index::of(pages.iter().map(|w| doc(w)).collect(), 400);
            let before = files(&old);
            let mut now = pages.clone();
            for (at, words) in &edits {
                let i = at.index(now.len());
                now[i] = words.clone();
            }
            let changed: BTreeSet<usize> = edits.iter().map(|(at, _)| at.index(pages.len())).collect();
            let (updated, dirty) = old.with(&changed, |n| Some(doc(&now[n])));
            let fresh = Index::of(now.iter().map(|w| doc(w)).collect(), 400);
            prop_assert_eq!(&updated.terms, &fresh.terms);
            let after = files(&updated);
            prop_assert_eq!(&after, &files(&fresh));
            prop_assert_eq!(updated.manifest().unwrap(), fresh.manifest().unwrap());
            for (n, bytes) in after.iter().enumerate() {
                if before.get(n) != Some(bytes) {
                    prop_assert!(dirty.contains(&n), "shard {} changed but was not named", n);
                }
            }
        }
    }

    fn term(t: &str, docs: usize) -> Term {
        (t.to_string(), (0..docs as u32).map(|d| (d, 1)).collect())
    }

    #[test]
    fn shards_hold_runs_of_terms_each_once() {
        let terms = vec![term("ab", 1), term("abc", 5000), term("abd", 5000), term("abdx", 10), term("b2", 3)];
        let shards = split(&terms, SHARD_BYTES);
        let keys: Vec<&str> = shards.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["ab", "abc", "abd", "abdx"], "a large term fills a shard of its own");
        let covered: Vec<usize> = shards.iter().flat_map(|s| s.terms.clone()).collect();
        assert_eq!(covered, (0..terms.len()).collect::<Vec<_>>());
        assert!(split(&[], SHARD_BYTES).is_empty());
    }
}
