//! A fingerprint (length and hash of the bytes) of every input file, so a
//! file-system event turns into the list of files whose bytes really
//! changed. Saving a file without changing it, touching it, or an editor
//! writing a backup gives an empty list, and no build work is done.

use super::{Change, ChangeKind};
use crate::diagnostic::display_path;
use crate::layout::{self, CONFIG_FILE, INPUT_DIRS};
use crate::load::walk::{self, Found};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    hash: u64,
}

/// The fingerprints of every input file, keyed by path relative to the root.
#[derive(Debug)]
pub(crate) struct Inputs {
    root: PathBuf,
    files: HashMap<String, Fingerprint>,
    /// The repository around the handbook: a moved HEAD is a change too.
    git: super::git::GitWatch,
}

impl Inputs {
    /// Reads and fingerprints every input file under `root`.
    pub fn scan(root: &Path) -> Inputs {
        Inputs {
            root: root.to_path_buf(),
            files: fingerprint_all(root, &tops(root)),
            git: super::git::GitWatch::find(root),
        }
    }

    /// Looks again at the given paths (files or folders, present or gone)
    /// and returns the files whose bytes changed since the last look.
    pub fn update(&mut self, paths: &[PathBuf]) -> Vec<Change> {
        let mut changes = BTreeMap::new();
        if paths.iter().any(|p| self.git.covers(p)) && self.git.moved() {
            changes.insert(layout::HISTORY_INPUT.to_string(), ChangeKind::Modified);
        }
        for path in paths {
            let Some(rel) = self.rel(path) else { continue };
            let found = fingerprint_all(&self.root, std::slice::from_ref(path));
            // Whatever was known at or under this path and is not there now is gone.
            let prefix = format!("{rel}/");
            let gone: Vec<String> = self
                .files
                .keys()
                .filter(|k| (**k == rel || k.starts_with(&prefix)) && !found.contains_key(*k))
                .cloned()
                .collect();
            for k in gone {
                self.files.remove(&k);
                changes.insert(k, ChangeKind::Removed);
            }
            for (k, fp) in found {
                match self.files.insert(k.clone(), fp) {
                    None => {
                        changes.insert(k, ChangeKind::Added);
                    }
                    Some(old) if old != fp => {
                        changes.insert(k, ChangeKind::Modified);
                    }
                    Some(_) => {}
                }
            }
        }
        changes.into_iter().map(|(path, kind)| Change { path, kind }).collect()
    }

    /// Looks at every input again (after the watcher lost events).
    pub fn rescan(&mut self) -> Vec<Change> {
        let mut all = tops(&self.root);
        all.extend(self.git.paths.iter().map(|(p, _)| p.clone()));
        self.update(&all)
    }

    fn rel(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }
}

/// `handbook.yaml` and the input folders: where every input is.
pub(crate) fn tops(root: &Path) -> Vec<PathBuf> {
    std::iter::once(CONFIG_FILE).chain(INPUT_DIRS).map(|top| root.join(top)).collect()
}

/// An input, or a folder that holds inputs (see `layout::holds_inputs`);
/// not a temp, backup or hidden file an editor or tool left behind.
pub(crate) fn is_input(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root).is_ok_and(|rel| {
        let rel = display_path(Path::new(""), rel);
        !rel.is_empty() && layout::holds_inputs(&rel)
    })
}

/// Every input file at or under `paths`, listed by `load::walk` with the
/// loader's rules, so the preview looks at exactly the files a build reads.
pub(crate) fn input_files(root: &Path, paths: &[PathBuf]) -> Vec<Found> {
    paths.iter().flat_map(|p| walk::quietly(root, p)).filter(|f| is_input(root, &f.path)).collect()
}

/// Fingerprints every input file at or under `paths`, in parallel.
fn fingerprint_all(root: &Path, paths: &[PathBuf]) -> HashMap<String, Fingerprint> {
    input_files(root, paths)
        .par_iter()
        .filter_map(|f| {
            let bytes = std::fs::read(&f.real).ok()?;
            let hash = crate::digest::hash(&bytes);
            Some((display_path(root, &f.path), Fingerprint { len: bytes.len() as u64, hash }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_handbook_inputs_count() {
        let root = Path::new("/hb");
        assert!(is_input(root, Path::new("/hb/handbook.yaml")));
        assert!(is_input(root, Path::new("/hb/content/personas/ana.md")));
        assert!(is_input(root, Path::new("/hb/themes/x/templates/page.html")));
        assert!(!is_input(root, Path::new("/hb/public/index.html")));
        assert!(!is_input(root, Path::new("/hb/content/personas/.ana.md.swp")));
        assert!(!is_input(root, Path::new("/hb/content/personas/ana.md~")));
        assert!(!is_input(root, Path::new("/hb/content/.git/index")));
        assert!(!is_input(root, Path::new("/hb/sub/handbook.yaml")));
        assert!(!is_input(root, Path::new("/elsewhere/content/a.md")));
        assert!(is_input(root, Path::new("/hb/content")), "a folder of inputs that appears or goes");
        assert!(is_input(root, Path::new("/hb/themes/brand")));
        assert!(!is_input(root, Path::new("/hb")));
    }
}
