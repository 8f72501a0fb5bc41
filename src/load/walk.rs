//! Walking an input folder (`content/`, `static/`, a theme's folders) and
//! reading its files without ever leaving the handbook.
//!
//! This is the only code that lists input folders, so the rules below hold
//! for every input:
//!
//! - A symbolic link is followed only when its target, fully resolved,
//!   lies inside the handbook root. A link that points outside (to
//!   `/etc/passwd`, to `/proc/self/`, to a folder elsewhere) is not read,
//!   not listed and not opened: a warning names it. A link whose target is
//!   missing is skipped with a warning. A folder link that loops back to a
//!   folder being walked is skipped with a warning.
//! - Only regular files and folders are read. FIFOs, sockets and devices
//!   are skipped with a warning before anything opens them (opening a FIFO
//!   would block the build).
//! - Hidden files and editor leftovers are skipped (`layout::is_ignored`).
//! - Limits, each an error naming the path: folders nest at most
//!   [`MAX_DEPTH`] levels below the walked folder; one walk lists at most
//!   [`MAX_FILES`] files; a text file (Markdown, `handbook.yaml`, a template)
//!   is at most [`MAX_TEXT_BYTES`], a static file at most [`MAX_STATIC_BYTES`].
//!
//! Every check is made on the path before it is opened. A file swapped
//! between the check and the read (a race with another process on the same
//! machine) is out of scope.

use crate::diagnostic::{display_path, Diagnostic};
use crate::layout::is_ignored;
use crate::problem::{InputProblem, ReadError};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Deepest folder nesting below a walked folder (`content/a/b/...`).
pub const MAX_DEPTH: usize = 32;
/// Most files one walked folder may hold (all levels together).
pub const MAX_FILES: usize = 100_000;
/// Largest Markdown file, config file or template read: 10 MiB.
pub const MAX_TEXT_BYTES: u64 = 10 * 1024 * 1024;
/// Largest file of `static/` or a theme's `static/`: 256 MiB.
pub const MAX_STATIC_BYTES: u64 = 256 * 1024 * 1024;

/// A regular file found by [`files`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The path as the user sees it, below the walked folder (a link's own path).
    pub path: PathBuf,
    /// The resolved path that is read, checked to be inside the handbook root.
    pub real: PathBuf,
    /// Size in bytes when listed.
    pub len: u64,
    /// Last modification when listed (the preview's poller compares it).
    pub modified: Option<SystemTime>,
}

impl Found {
    fn new(path: PathBuf, real: PathBuf, meta: &std::fs::Metadata) -> Found {
        Found { path, real, len: meta.len(), modified: meta.modified().ok() }
    }
}

/// The handbook root, resolved once, that every target must stay inside.
#[derive(Debug, Clone)]
pub struct Fence {
    /// The root as given (diagnostic paths are relative to it).
    root: PathBuf,
    /// The root with every link resolved.
    real: PathBuf,
}

impl Fence {
    pub fn new(root: &Path) -> Fence {
        let real = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        Fence { root: root.to_path_buf(), real }
    }

    fn warning(&self, p: &Path, problem: InputProblem) -> Diagnostic {
        Diagnostic::warning(display_path(&self.root, p), 1, 1, problem)
    }

    fn error(&self, p: &Path, problem: InputProblem) -> Diagnostic {
        Diagnostic::error(display_path(&self.root, p), 1, 1, problem)
    }

    /// `path` resolved, when it stays inside the root; else a warning.
    fn resolve(&self, path: &Path) -> Result<PathBuf, Diagnostic> {
        match std::fs::canonicalize(path) {
            Ok(target) if target.starts_with(&self.real) => Ok(target),
            Ok(target) => Err(self.warning(path, InputProblem::LinkOutside { target }).with_hint(
                "personabook reads only files inside the handbook folder; copy the file in instead of linking it",
            )),
            Err(e) => Err(self.warning(path, InputProblem::BrokenLink { error: e.to_string() })),
        }
    }

    /// `path` and what it is, a link followed when its target stays inside.
    fn follow(&self, path: &Path) -> Result<Option<(PathBuf, std::fs::Metadata)>, Diagnostic> {
        let Ok(meta) = std::fs::symlink_metadata(path) else { return Ok(None) };
        if !meta.file_type().is_symlink() {
            return Ok(Some((path.to_path_buf(), meta)));
        }
        let real = self.resolve(path)?;
        Ok(std::fs::metadata(&real).ok().map(|meta| (real, meta)))
    }
}

/// Every regular file under `dir` (a folder of the handbook at `root`),
/// sorted by path, with the rules of this module. A missing `dir` is no
/// files and no problem.
pub fn files(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Found> {
    let fence = Fence::new(root);
    if std::fs::symlink_metadata(dir).is_err() {
        return Vec::new();
    }
    // The folder itself may be a link, or (a theme name with `..`) lead out.
    let real = match fence.resolve(dir) {
        Ok(real) => real,
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    if !real.is_dir() {
        return Vec::new();
    }
    let mut walk = Walk { fence, out: Vec::new(), ancestors: vec![real.clone()], full: false };
    walk.visit(dir, &real, 0, diags);
    walk.out
}

/// One file of the handbook (`handbook.yaml`), with the same checks as
/// [`files`]: None when it is missing or not readable under the rules (the
/// reason is in `diags`).
pub fn file(root: &Path, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<Found> {
    let fence = Fence::new(root);
    let (real, meta) = match fence.follow(path) {
        Ok(found) => found?,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    if !meta.is_file() {
        diags.push(fence.warning(path, InputProblem::NotAFile));
        return None;
    }
    Some(Found::new(path.to_path_buf(), real, &meta))
}

/// Every regular file at or under `path` (a file or a folder of the
/// handbook at `root`), with the rules of this module, their problems left
/// out: what the preview fingerprints, so that it looks at exactly the
/// files a build reads.
pub fn quietly(root: &Path, path: &Path) -> Vec<Found> {
    let mut ignored = Vec::new();
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => files(root, path, &mut ignored),
        Ok(_) => file(root, path, &mut ignored).into_iter().collect(),
        Err(_) => Vec::new(),
    }
}

struct Walk {
    fence: Fence,
    out: Vec<Found>,
    /// Resolved folders from the walked folder down to the current one.
    ancestors: Vec<PathBuf>,
    /// MAX_FILES was reached (reported once).
    full: bool,
}

impl Walk {
    fn visit(&mut self, shown: &Path, real: &Path, depth: usize, diags: &mut Vec<Diagnostic>) {
        let entries = match std::fs::read_dir(real) {
            Ok(rd) => rd,
            Err(e) => {
                diags.push(self.fence.warning(shown, InputProblem::CannotList { error: e.to_string() }));
                return;
            }
        };
        let mut names: Vec<std::ffi::OsString> = entries.filter_map(|e| e.ok().map(|e| e.file_name())).collect();
        names.sort();
        for name in names {
            if self.full {
                return;
            }
            if is_ignored(&name.to_string_lossy()) {
                continue;
            }
            let (shown, here) = (shown.join(&name), real.join(&name));
            match self.fence.follow(&here) {
                Ok(Some((target, meta))) => self.entry(shown, target, &meta, depth, diags),
                Ok(None) => {}
                Err(d) => diags.push(d),
            }
        }
    }

    /// One listed entry: a folder is walked, a file kept, anything else skipped.
    fn entry(
        &mut self,
        shown: PathBuf,
        target: PathBuf,
        meta: &std::fs::Metadata,
        depth: usize,
        diags: &mut Vec<Diagnostic>,
    ) {
        if meta.is_dir() {
            if self.ancestors.contains(&target) {
                diags.push(self.fence.warning(&shown, InputProblem::LinkLoop));
            } else if depth + 1 > MAX_DEPTH {
                let d = self.fence.error(&shown, InputProblem::TooDeep { max: MAX_DEPTH });
                diags.push(d.with_hint("move the files up into fewer folders"));
            } else {
                self.ancestors.push(target.clone());
                self.visit(&shown, &target, depth + 1, diags);
                self.ancestors.pop();
            }
        } else if meta.is_file() {
            if self.out.len() >= MAX_FILES {
                self.full = true;
                let d = self.fence.error(&shown, InputProblem::TooManyFiles { max: MAX_FILES });
                diags.push(d.with_hint("a handbook this large is not supported; split it, or remove generated files"));
                return;
            }
            self.out.push(Found::new(shown, target, meta));
        } else {
            let d = self.fence.warning(&shown, InputProblem::SpecialFile);
            diags.push(d.with_hint("personabook reads only plain files and folders; remove it from the handbook"));
        }
    }
}

/// The bytes of a listed file, at most `limit` of them; the error says
/// why not (the caller knows which kind of file it is).
pub fn read(found: &Found, limit: u64) -> Result<Vec<u8>, ReadError> {
    if found.len > limit {
        return Err(ReadError::TooBig { limit });
    }
    let file = std::fs::File::open(&found.real)?;
    // The listing said it is a regular file; make sure the opened one still is.
    if !file.metadata()?.is_file() {
        return Err(ReadError::NotAFile);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(found.len).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooBig { limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nothing_past_the_limit() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.txt"), "0123456789").expect("write");
        let mut d = Vec::new();
        let found = files(dir.path(), dir.path(), &mut d);
        assert_eq!(found.len(), 1);
        assert_eq!(read(&found[0], 10).expect("read"), b"0123456789");
        assert!(read(&found[0], 9).expect_err("too big").to_string().contains("limit of 9 bytes"));
    }
}
