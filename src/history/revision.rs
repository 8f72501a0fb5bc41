//! Revisions of the handbook read from git objects into the same `Loaded`
//! the loader makes from disk, for `diff`. Two revisions share most files:
//! each file (path and blob) is read and parsed once, and the side that
//! has it too gets a copy.

use super::repo::Repo;
use super::{git_error, tree, HistoryError};
use crate::config::{Config, CONFIG_FILE};
use crate::layout::{self, Collection};
use crate::load::{Loaded, SourceFile};
use gix::ObjectId;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// One revision's handbook.yaml and Markdown files (content path, blob).
struct Listing {
    config: Config,
    diagnostics: Vec<crate::diagnostic::Diagnostic>,
    files: Vec<(String, ObjectId)>,
}

/// The handbook in each of `commits`, in their order. Files the loader
/// would refuse (too large, not UTF-8) are left out.
pub(super) fn load_commits(repo: &Repo, root: &Path, commits: &[ObjectId]) -> Result<Vec<Loaded>, HistoryError> {
    let git = &repo.git;
    // One reader: a subtree both revisions share is read once.
    let mut trees = tree::Trees::new(git);
    let mut sides = Vec::new();
    for &commit in commits {
        let mut diagnostics = Vec::new();
        let config = match repo.file(commit, CONFIG_FILE)? {
            Some(blob) => match tree::text(git, blob)? {
                Some(text) => Config::parse(&text, &mut diagnostics),
                None => Config::default(),
            },
            None => Config::default(),
        };
        let content = repo.subtree(commit, layout::CONTENT_DIR)?;
        sides.push(Listing { config, diagnostics, files: tree::files(&mut trees, content)? });
    }
    let mut uses: HashMap<(String, ObjectId), usize> = HashMap::new();
    let mut texts = Vec::new();
    for (path, blob) in sides.iter().flat_map(|s| &s.files) {
        let n = uses.entry((path.clone(), *blob)).or_default();
        *n += 1;
        if *n == 1 {
            if let Some(text) = tree::text(git, *blob)? {
                texts.push((path.clone(), *blob, text));
            }
        }
    }
    // Parsing the front matter is most of the work: on every core.
    use rayon::prelude::*;
    let mut parsed: HashMap<(String, ObjectId), SourceFile> = texts
        .into_par_iter()
        .map(|(path, blob, text)| {
            let collection = Collection::of_content_path(&path);
            let file = SourceFile::parse(format!("{}/{path}", layout::CONTENT_DIR), collection, text);
            ((path, blob), file)
        })
        .collect();
    let mut out = Vec::new();
    for side in sides {
        let mut files = Vec::new();
        for key in side.files {
            let left = uses.get_mut(&key).ok_or_else(|| git_error("a file listed twice"))?;
            *left -= 1;
            // The last side to use a file takes it; the others copy it.
            let file = if *left == 0 { parsed.remove(&key) } else { parsed.get(&key).cloned() };
            files.extend(file);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        // Analytics exports are not compared: diff is about the handbook's content.
        out.push(Loaded {
            root: root.to_path_buf(),
            config: side.config,
            files,
            unreadable: Vec::new(),
            diagnostics: side.diagnostics,
            analytics: Vec::new(),
        });
    }
    Ok(out)
}

/// An item's key in a snapshot: its collection and id.
pub(super) type Key = (Collection, String);

/// The items whose file text is the same on both sides (each side's last
/// file of an id, as the snapshot keeps it): nothing of theirs changed.
pub(super) fn same_texts(a: &Loaded, b: &Loaded) -> HashSet<Key> {
    fn texts(l: &Loaded) -> HashMap<Key, &str> {
        l.files.iter().map(|f| ((f.collection, f.id.clone()), f.text.as_str())).collect()
    }
    let (ta, tb) = (texts(a), texts(b));
    ta.into_iter().filter(|(k, t)| tb.get(k) == Some(t)).map(|(k, _)| k).collect()
}
