//! Writing a rendered site to disk: the only code that writes the output.
//!
//! The site is written into a fresh sibling folder, then swapped in with
//! renames, so a failed or interrupted build never leaves a half-written
//! site. A marker file records that personabook owns the folder; a folder
//! that has other content and no marker is refused, never emptied.

use crate::render::Site;
use rayon::prelude::*;
use std::io;
use std::path::{Path, PathBuf};

/// The file that marks an output folder as written by personabook.
pub const MARKER: &str = ".personabook-output";

const MARKER_TEXT: &str = "This folder is written by personabook. Every build replaces it whole.\n\
Do not keep your own files here: they would be removed by the next build.\n";

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path} has files that personabook did not write (no {MARKER} marker); refusing to replace it")]
    NotOurs { path: PathBuf },
    #[error("{path} is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("the output folder {path} would contain the handbook itself ({root})")]
    ContainsRoot { path: PathBuf, root: PathBuf },
    #[error("the output folder {path} is inside the handbook's {inside}/ folder, which is read as input")]
    InsideInput { path: PathBuf, inside: &'static str },
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl OutputError {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            OutputError::NotOurs { .. } => {
                "choose another folder with --output (or output_dir in handbook.yaml), or empty this one yourself"
            }
            OutputError::NotAFolder { .. } => "choose a folder path with --output",
            OutputError::ContainsRoot { .. } | OutputError::InsideInput { .. } => {
                "write the site to its own folder, e.g. --output public"
            }
            OutputError::Io { .. } => "check the folder's permissions and free disk space",
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// Checks that `out` may be replaced: missing, empty, or marked as ours, and
/// not overlapping the handbook's inputs.
pub fn check_target(out: &Path, root: &Path) -> Result<(), OutputError> {
    let abs_out = absolute(out);
    let abs_root = absolute(root);
    if abs_root.starts_with(&abs_out) {
        return Err(OutputError::ContainsRoot { path: out.to_path_buf(), root: root.to_path_buf() });
    }
    for inside in ["content", "static", "themes"] {
        if abs_out.starts_with(abs_root.join(inside)) {
            return Err(OutputError::InsideInput { path: out.to_path_buf(), inside });
        }
    }
    match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(out)(e)),
        Ok(m) if !m.is_dir() => Err(OutputError::NotAFolder { path: out.to_path_buf() }),
        Ok(_) => {
            if out.join(MARKER).is_file() || is_empty_dir(out).map_err(io_err(out))? {
                Ok(())
            } else {
                Err(OutputError::NotOurs { path: out.to_path_buf() })
            }
        }
    }
}

/// Writes `site` to `out`, replacing what personabook wrote there before.
/// `root` is the handbook folder, to refuse an output that overlaps it.
pub fn write_site(site: &Site, out: &Path, root: &Path) -> Result<(), OutputError> {
    check_target(out, root)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let name = out.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.personabook-new-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
    }
    let written = write_tree(site, &staging);
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap_in(&staging, out, &parent, &name)
}

fn write_tree(site: &Site, dir: &Path) -> Result<(), OutputError> {
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let mut folders: Vec<PathBuf> = site
        .files
        .keys()
        .filter_map(|p| Path::new(p).parent().filter(|d| !d.as_os_str().is_empty()).map(|d| dir.join(d)))
        .collect();
    folders.sort();
    folders.dedup();
    for f in &folders {
        std::fs::create_dir_all(f).map_err(io_err(f))?;
    }
    let files: Vec<(&String, &Vec<u8>)> = site.files.iter().collect();
    files.par_iter().try_for_each(|(rel, bytes)| {
        let path = dir.join(rel);
        std::fs::write(&path, bytes).map_err(io_err(&path))
    })?;
    let marker = dir.join(MARKER);
    std::fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))
}

/// Moves `staging` to `out`; the previous `out` (ours or empty) is removed
/// only after the new one is in place.
fn swap_in(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), OutputError> {
    if !out.exists() {
        return std::fs::rename(staging, out).map_err(io_err(out));
    }
    let old = parent.join(format!(".{name}.personabook-old-{}", std::process::id()));
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io_err(&old))?;
    }
    std::fs::rename(out, &old).map_err(io_err(out))?;
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back so the user is left with what they had.
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(staging);
        return Err(io_err(out)(e));
    }
    std::fs::remove_dir_all(&old).map_err(io_err(&old))
}

fn is_empty_dir(p: &Path) -> io::Result<bool> {
    Ok(std::fs::read_dir(p)?.next().is_none())
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
    // Canonicalise the longest existing ancestor, keep the rest as written.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(n), Some(parent)) => {
                rest.push(n);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for n in rest.into_iter().rev() {
        out.push(n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Site {
        Site { files: files.iter().map(|(p, c)| (p.to_string(), c.as_bytes().to_vec())).collect() }
    }

    #[test]
    fn writes_then_replaces_its_own_output() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("hb");
        std::fs::create_dir_all(&root).unwrap();
        let out = root.join("public");
        write_site(&site(&[("index.html", "one"), ("personas/a/index.html", "a")]), &out, &root).unwrap();
        assert!(out.join(MARKER).is_file());
        write_site(&site(&[("index.html", "two")]), &out, &root).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("personas").exists(), "stale pages are gone");
        let leftovers: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn refuses_a_folder_with_user_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("mine");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("notes.txt"), "keep me").unwrap();
        let err = write_site(&site(&[("index.html", "x")]), &out, &tmp.path().join("hb")).unwrap_err();
        assert!(matches!(err, OutputError::NotOurs { .. }));
        assert_eq!(std::fs::read_to_string(out.join("notes.txt")).unwrap(), "keep me");
    }

    #[test]
    fn refuses_output_over_the_handbook() {
        let tmp = tempfile::tempdir().unwrap();
        let err = check_target(tmp.path(), &tmp.path().join("hb")).unwrap_err();
        assert!(matches!(err, OutputError::ContainsRoot { .. }));
        let err = check_target(&tmp.path().join("content/out"), tmp.path()).unwrap_err();
        assert!(matches!(err, OutputError::InsideInput { .. }));
    }
}
