//! The staging folder a build writes into, and the swap that publishes it.
//!
//! Why it is shaped like this: a site has a folder per page, and creating
//! and deleting tens of thousands of folders on every build cost more than
//! rendering them (on ext4, several seconds for a large handbook). So the
//! output a swap replaces is not deleted: it is kept beside the output as a
//! hidden spare (`.public.personabook-spare`, with a `.gitignore` so it is
//! never committed) and becomes the next build's staging folder. Its folders
//! already exist; a file whose bytes are unchanged is kept as it is, one
//! unchanged since the live output is hard-linked from it, and only changed
//! files are written. A file is never written through: it is unlinked
//! before it is replaced, because it may be a hard link shared with the live
//! output.

use super::manifest::{self, Manifest, MARKER};
use super::{check_target, io_err, OutputError};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// A new output folder being written beside the live one. Files are put in
/// as they are rendered (from several threads); `commit` swaps the folder
/// in. Dropped without a commit, it removes itself and leaves the live
/// output as it was.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    spare: PathBuf,
    /// What the live output holds.
    live: Manifest,
    /// What the staging folder held when it was recycled from the spare.
    recycled: Manifest,
    written: Mutex<Vec<(String, u64, usize)>>,
    committed: bool,
}

impl Staging {
    /// Checks that `out` may be replaced and prepares the staging folder.
    pub fn begin(out: &Path, root: &Path) -> Result<Staging, OutputError> {
        check_target(out, root)?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let name = out.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.personabook-new-{}", std::process::id()));
        let spare = parent.join(format!(".{name}.personabook-spare"));
        if dir.exists() {
            remove_tree(&dir).map_err(io_err(&dir))?;
        }
        let mut recycled = Manifest::new();
        if spare.join(MARKER).is_file() && std::fs::rename(&spare, &dir).is_ok() {
            recycled = manifest::read(&dir);
            for stale in [MARKER, ".gitignore"] {
                let _ = std::fs::remove_file(dir.join(stale));
            }
        } else {
            if spare.exists() {
                remove_tree(&spare).map_err(io_err(&spare))?;
            }
            std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        }
        Ok(Staging {
            live: manifest::read(out),
            out: out.to_path_buf(),
            dir,
            spare,
            recycled,
            written: Mutex::new(Vec::new()),
            committed: false,
        })
    }

    /// Puts one file in. A second file with the same path replaces the first.
    pub fn put(&self, rel: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        let hash = manifest::hash(&bytes);
        let entry = Some(&(hash, bytes.len()));
        if self.recycled.get(rel) != entry {
            let path = self.dir.join(rel);
            self.make_parent(rel, &path)?;
            let linked = self.live.get(rel) == entry && replace_with_link(&self.out.join(rel), &path).is_ok();
            if !linked {
                write_new(&path, &bytes)?;
            }
        }
        self.written.lock().unwrap_or_else(PoisonError::into_inner).push((rel.to_string(), hash, bytes.len()));
        Ok(())
    }

    /// Creates the folder of `path`, first removing a recycled file that
    /// stands where a folder is now needed.
    fn make_parent(&self, rel: &str, path: &Path) -> Result<(), OutputError> {
        let Some(parent) = path.parent() else { return Ok(()) };
        if std::fs::create_dir_all(parent).is_ok() {
            return Ok(());
        }
        let mut ancestor = Path::new(rel).parent();
        while let Some(a) = ancestor.filter(|a| !a.as_os_str().is_empty()) {
            if self.recycled.contains_key(a.to_string_lossy().as_ref()) {
                let _ = std::fs::remove_file(self.dir.join(a));
            }
            ancestor = a.parent();
        }
        std::fs::create_dir_all(parent).map_err(io_err(parent))
    }

    /// Removes what the recycled folder held that this build did not write,
    /// writes the marker, and swaps the new folder in. The replaced output
    /// becomes the spare for the next build.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let mut written = std::mem::take(self.written.get_mut().unwrap_or_else(PoisonError::into_inner));
        // Sorted, and the last file put for a path wins: the same bytes on any thread count.
        written.reverse();
        written.sort_by(|a, b| a.0.cmp(&b.0));
        written.dedup_by(|a, b| a.0 == b.0);
        let kept: HashSet<&str> = written.iter().map(|(rel, _, _)| rel.as_str()).collect();
        for rel in self.recycled.keys().filter(|rel| !kept.contains(rel.as_str())) {
            remove_stale(&self.dir, rel);
        }
        let marker = self.dir.join(MARKER);
        write_new(&marker, manifest::render(&written).as_bytes())?;
        self.committed = true;
        self.swap_in()
    }

    fn swap_in(&self) -> Result<(), OutputError> {
        let (dir, out, spare) = (&self.dir, &self.out, &self.spare);
        if !out.exists() {
            return std::fs::rename(dir, out).map_err(io_err(out));
        }
        if spare.exists() {
            remove_tree(spare).map_err(io_err(spare))?;
        }
        std::fs::rename(out, spare).map_err(io_err(out))?;
        if let Err(e) = std::fs::rename(dir, out) {
            // Put the previous site back so the user is left with what they had.
            let _ = std::fs::rename(spare, out);
            let _ = remove_tree(dir);
            return Err(io_err(out)(e));
        }
        // The spare is a cache: keep it out of version control.
        let _ = std::fs::write(spare.join(".gitignore"), "*\n");
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.dir);
        }
    }
}

impl crate::render::Sink for Staging {
    type Error = OutputError;
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        Staging::put(self, path, bytes)
    }
}

/// Replaces `path` with a hard link to `from`.
fn replace_with_link(from: &Path, path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::hard_link(from, path)
}

/// Creates `path` afresh: an existing file (or a recycled folder) there is
/// removed first, never written through.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    use std::io::Write;
    let open = || std::fs::OpenOptions::new().write(true).create_new(true).open(path);
    let mut f = match open() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            if path.is_dir() {
                remove_tree(path).map_err(io_err(path))?;
            } else {
                std::fs::remove_file(path).map_err(io_err(path))?;
            }
            open()
        }
        other => other,
    }
    .map_err(io_err(path))?;
    f.write_all(bytes).map_err(io_err(path))
}

/// Removes a file the new site no longer has, and its folders once empty.
fn remove_stale(dir: &Path, rel: &str) {
    let _ = std::fs::remove_file(dir.join(rel));
    let mut folder = Path::new(rel).parent();
    while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
        if std::fs::remove_dir(dir.join(f)).is_err() {
            break;
        }
        folder = f.parent();
    }
}

/// Removes a folder tree personabook made, sub-folders in parallel.
/// Symbolic links are removed, never followed.
pub(super) fn remove_tree(dir: &Path) -> io::Result<()> {
    let mut subdirs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            subdirs.push(entry.path());
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    subdirs.par_iter().try_for_each(|d| remove_tree(d))?;
    std::fs::remove_dir(dir)
}
