//! A fingerprint (length and hash of the bytes) of every input file, so a
//! file-system event turns into the list of files whose bytes really
//! changed. Saving a file without changing it, touching it, or an editor
//! writing a backup gives an empty list, and no build work is done.

use super::{Change, ChangeKind};
use crate::config::CONFIG_FILE;
use crate::load::is_ignored;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The folders under the root whose files are inputs.
pub(crate) const INPUT_DIRS: [&str; 3] = ["content", "static", "themes"];

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
}

impl Inputs {
    /// Reads and fingerprints every input file under `root`.
    pub fn scan(root: &Path) -> Inputs {
        let files = fingerprint_all(
            root,
            &[root.join(CONFIG_FILE)].into_iter().chain(INPUT_DIRS.map(|d| root.join(d))).collect::<Vec<_>>(),
        );
        Inputs { root: root.to_path_buf(), files }
    }

    /// Looks again at the given paths (files or folders, present or gone)
    /// and returns the files whose bytes changed since the last look.
    pub fn update(&mut self, paths: &[PathBuf]) -> Vec<Change> {
        let mut changes = BTreeMap::new();
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
        let paths: Vec<PathBuf> =
            [self.root.join(CONFIG_FILE)].into_iter().chain(INPUT_DIRS.map(|d| self.root.join(d))).collect();
        self.update(&paths)
    }

    fn rel(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }
}

/// `handbook.yaml`, or anything under one of the input folders, that no
/// editor or tool left behind as a temp, backup or hidden file.
pub(crate) fn is_input(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else { return false };
    let top = (first == CONFIG_FILE && rel.components().count() == 1) || INPUT_DIRS.contains(&first.as_ref());
    top && !rel.components().any(|c| is_ignored(&c.as_os_str().to_string_lossy()))
}

/// Fingerprints every input file at or under `paths`, in parallel.
fn fingerprint_all(root: &Path, paths: &[PathBuf]) -> HashMap<String, Fingerprint> {
    let files: Vec<PathBuf> = paths
        .iter()
        .flat_map(|p| {
            WalkDir::new(p)
                .follow_links(true)
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && is_input(root, e.path()))
                .map(|e| e.into_path())
        })
        .collect();
    files
        .par_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(p).ok()?;
            let mut h = DefaultHasher::new();
            h.write(&bytes);
            let rel = p.strip_prefix(root).ok()?;
            let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            Some((rel.join("/"), Fingerprint { len: bytes.len() as u64, hash: h.finish() }))
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
    }
}
