//! The handbook's `static/` folder: files copied to the site root as they
//! are. Listed by `walk` (hidden and editor temp files, links out of the
//! handbook and special files are skipped) and read in parallel; a file
//! over `walk::MAX_STATIC_BYTES` is an error.
//!
//! Only lists and reads; which site paths they collide with is the
//! pipeline's question.

use super::walk::{self, Found};
use crate::diagnostic::{display_path, Diagnostic};
use crate::layout::STATIC_DIR;
use crate::problem::{FileKind, InputProblem};
use rayon::prelude::*;
use std::path::Path;

/// Every file of `root/static/`: its path inside `static/` (the site path)
/// and where it is. Reads nothing.
pub fn list_static(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(String, Found)> {
    let dir = root.join(STATIC_DIR);
    walk::files(root, &dir, diags).into_iter().map(|f| (display_path(&dir, &f.path), f)).collect()
}

/// Every file of `root/static/`: (path inside it, bytes).
pub fn read_static(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(String, Vec<u8>)> {
    let read: Vec<Result<(String, Vec<u8>), Diagnostic>> = list_static(root, diags)
        .into_par_iter()
        .map(|(site_path, f)| {
            let bytes = walk::read(&f, walk::MAX_STATIC_BYTES).map_err(|error| {
                let problem = InputProblem::CannotRead { file: FileKind::Static, error };
                Diagnostic::error(display_path(root, &f.path), 1, 1, problem)
            })?;
            Ok((site_path, bytes))
        })
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_static_files_by_site_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("static/img")).expect("mkdir");
        std::fs::write(dir.path().join("static/img/a.svg"), "<svg/>").expect("write");
        std::fs::write(dir.path().join("static/.hidden"), "x").expect("write");
        let mut d = Vec::new();
        let files = read_static(dir.path(), &mut d);
        assert!(d.is_empty());
        assert_eq!(files, [("img/a.svg".to_string(), b"<svg/>".to_vec())]);
    }
}
