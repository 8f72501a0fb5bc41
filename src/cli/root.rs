//! Which handbook a command works on: exactly `--root DIR` when given,
//! else the nearest folder from the current one up that holds a handbook
//! (`layout::find_root`), said once on stderr when it is not the current
//! folder.

use super::say::Verbosity;
use personabook::Error;
use std::path::{Component, Path, PathBuf};

/// Up to this many `..` a found root is shown (and used) relative to the
/// current folder; further up, as an absolute path.
const SHORT: usize = 3;

/// The root for a command that needs a handbook (`check`, `build`,
/// `serve`): none found is `Error::NoHandbook`.
pub(super) fn required(given: Option<PathBuf>, say: Verbosity) -> Result<PathBuf, Error> {
    match given {
        Some(dir) => Ok(told(dir, say)),
        None => found(say).ok_or(Error::NoHandbook),
    }
}

/// The root for a command that writes into a handbook (`new`, `import`):
/// the current folder when none is found, as a new handbook starts there.
pub(super) fn or_here(given: Option<PathBuf>, say: Verbosity) -> PathBuf {
    match given {
        Some(dir) => told(dir, say),
        None => found(say).unwrap_or_else(|| told(PathBuf::from("."), say)),
    }
}

/// The found root, relative to the current folder (`.`, `../..`) when short.
fn found(say: Verbosity) -> Option<PathBuf> {
    let Ok(here) = std::env::current_dir() else { return Some(told(PathBuf::from("."), say)) };
    let root = personabook::layout::find_root(&here)?;
    let shown = shown_from(&here, &root);
    if shown != Path::new(".") && say.tells() && !say.details() {
        eprintln!("using the handbook at {}", shown.display());
    }
    Some(told(shown, say))
}

/// Under `--verbose`, names the handbook used in full.
fn told(root: PathBuf, say: Verbosity) -> PathBuf {
    if say.details() {
        eprintln!("using the handbook at {}", full(&root).display());
    }
    root
}

/// `path` in full, without `..`, for `--verbose`; as it is if that fails.
pub(super) fn full(path: &Path) -> PathBuf {
    path.canonicalize().or_else(|_| std::path::absolute(path)).unwrap_or_else(|_| path.to_path_buf())
}

/// `root` (an ancestor of `here`) as `.`, `..`, `../..` up to [`SHORT`]
/// levels, else as it is.
fn shown_from(here: &Path, root: &Path) -> PathBuf {
    let Ok(below) = here.strip_prefix(root) else { return root.to_path_buf() };
    let up = below.components().filter(|c| matches!(c, Component::Normal(_))).count();
    match up {
        0 => PathBuf::from("."),
        n if n <= SHORT => (0..n).map(|_| "..").collect(),
        _ => root.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_roots_are_relative_far_ones_absolute() {
        let root = Path::new("/h");
        assert_eq!(shown_from(Path::new("/h"), root), PathBuf::from("."));
        assert_eq!(shown_from(Path::new("/h/content/personas"), root), PathBuf::from("../.."));
        assert_eq!(shown_from(Path::new("/h/a/b/c/d"), root), PathBuf::from("/h"));
    }
}
