//! Writing a rendered site to disk: the only code that writes the output.
//!
//! The site is written into a sibling staging folder, then swapped in with
//! renames, so a failed or interrupted build never leaves a half-written
//! site. A marker file records that personabook owns the folder; a folder
//! that has other content and no marker is refused, never emptied.
//! `staging` holds the write path and why it is fast; `manifest` the list of
//! files and hashes the marker carries.

mod manifest;
mod staging;

pub use manifest::MARKER;
pub use staging::Staging;

use std::io;
use std::path::{Path, PathBuf};

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

pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
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
    use crate::render::Site;

    /// Writes a whole in-memory site the way `build` streams one.
    fn write_site(site: &Site, out: &Path, root: &Path) -> Result<(), OutputError> {
        let staging = Staging::begin(out, root)?;
        for (path, bytes) in &site.files {
            staging.put(path, bytes.clone())?;
        }
        staging.commit()
    }

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
        assert!(manifest::read(&out).contains_key("index.html"));
        assert!(!out.join("personas").exists(), "stale pages are gone");
        let mut leftovers: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name()).collect();
        leftovers.sort();
        assert_eq!(leftovers, [".public.personabook-spare", "public"], "the replaced output is kept as a spare");
        assert_eq!(std::fs::read_to_string(root.join(".public.personabook-spare/.gitignore")).unwrap(), "*\n");
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_not_rewritten() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("hb"), tmp.path().join("out"));
        write_site(&site(&[("a.html", "same"), ("b.html", "old")]), &out, &root).unwrap();
        let ino_a = std::fs::metadata(out.join("a.html")).unwrap().ino();
        let ino_b = std::fs::metadata(out.join("b.html")).unwrap().ino();
        write_site(&site(&[("a.html", "same"), ("b.html", "new")]), &out, &root).unwrap();
        assert_eq!(std::fs::metadata(out.join("a.html")).unwrap().ino(), ino_a);
        assert_ne!(std::fs::metadata(out.join("b.html")).unwrap().ino(), ino_b);
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "same");
    }

    #[test]
    fn a_recycled_spare_never_changes_the_live_output_and_drops_stale_files() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("hb"), tmp.path().join("out"));
        // The staging folder is recycled from the output two builds back, so
        // builds 3 and 5 meet a file where a folder goes and the reverse.
        let builds: [&[(&str, &str)]; 5] = [
            &[("a/index.html", "1"), ("b/index.html", "1"), ("c", "file"), ("gone/index.html", "x")],
            &[("a/index.html", "2"), ("b/index.html", "1"), ("c", "file")],
            &[("a/index.html", "3"), ("b/index.html", "1"), ("c/index.html", "now a folder")],
            &[("a/index.html", "3"), ("c", "file again")],
            &[("a/index.html", "3"), ("c", "file again")],
        ];
        for files in builds {
            let before: Vec<(String, String)> = walk(&out);
            let staging = Staging::begin(&out, &root).unwrap();
            for (p, c) in files {
                staging.put(p, c.as_bytes().to_vec()).unwrap();
            }
            assert_eq!(walk(&out), before, "the live output is untouched until the swap");
            staging.commit().unwrap();
            let mut want: Vec<(String, String)> = files.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect();
            want.sort();
            assert_eq!(walk(&out), want);
        }
    }

    #[test]
    fn a_failed_build_drops_its_staging_and_keeps_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("hb"), tmp.path().join("out"));
        for round in ["1", "2", "3"] {
            write_site(&site(&[("a/index.html", round)]), &out, &root).unwrap();
        }
        let staging = Staging::begin(&out, &root).unwrap();
        staging.put("a/index.html", b"broken".to_vec()).unwrap();
        drop(staging);
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "3");
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(!names.iter().any(|n| n.to_string_lossy().contains("-new-")), "{names:?}");
    }

    /// Every file under `dir` but the marker: (path, text), sorted.
    fn walk(dir: &Path) -> Vec<(String, String)> {
        if !dir.exists() {
            return Vec::new();
        }
        let mut v: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file() && e.file_name() != MARKER)
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                (rel, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
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
