//! File-system steps that never follow a symbolic link.
//!
//! Everything the writer removes, replaces or creates goes through here, so
//! a link planted in the output, in the writer's state folder or in a
//! recycled folder can at worst be removed itself: its target is never
//! read, written or deleted. `std::fs::read_dir` entries report their own
//! type (not the target's), and `symlink_metadata` is the only metadata
//! call used on paths the writer did not just create.

use rayon::prelude::*;
use std::io;
use std::path::Path;

/// What stands at a path, without following a link there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Missing,
    Dir,
    File {
        len: u64,
    },
    /// A symbolic link, FIFO, socket or device: never opened, only removed.
    Other,
}

pub(super) fn kind(path: &Path) -> io::Result<Kind> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Kind::Missing),
        Err(e) => Err(e),
        Ok(m) if m.file_type().is_dir() => Ok(Kind::Dir),
        Ok(m) if m.file_type().is_file() => Ok(Kind::File { len: m.len() }),
        Ok(_) => Ok(Kind::Other),
    }
}

/// Removes whatever stands at `path`: a folder tree (links inside it are
/// unlinked, not followed), a file, or a link itself.
pub(super) fn remove(path: &Path) -> io::Result<()> {
    match kind(path)? {
        Kind::Missing => Ok(()),
        Kind::Dir => remove_tree(path),
        Kind::File { .. } | Kind::Other => std::fs::remove_file(path),
    }
}

/// Removes a real folder and everything below it, sub-folders in parallel.
pub(super) fn remove_tree(dir: &Path) -> io::Result<()> {
    let mut subdirs = Vec::new();
    for entry in read_dir_writable(dir)? {
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

/// Lists a real folder the writer owns, first making it writable by its
/// owner when it is not (a read-only output must not make every second
/// build fail when it comes back as the recycled folder).
pub(super) fn read_dir_writable(dir: &Path) -> io::Result<std::fs::ReadDir> {
    make_writable(dir)?;
    std::fs::read_dir(dir)
}

#[cfg(unix)]
fn make_writable(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(dir)?;
    let mode = meta.permissions().mode();
    if meta.file_type().is_dir() && mode & 0o700 != 0o700 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode | 0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_writable(dir: &Path) -> io::Result<()> {
    let meta = std::fs::symlink_metadata(dir)?;
    if meta.file_type().is_dir() && meta.permissions().readonly() {
        let mut p = meta.permissions();
        p.set_readonly(false);
        std::fs::set_permissions(dir, p)?;
    }
    Ok(())
}

/// Makes `path` a real, writable folder: a link, file or anything else
/// standing there is removed first. Returns whether it had to be created.
pub(super) fn ensure_dir(path: &Path) -> io::Result<bool> {
    match kind(path)? {
        Kind::Dir => {
            make_writable(path)?;
            return Ok(false);
        }
        Kind::Missing => {}
        Kind::File { .. } | Kind::Other => std::fs::remove_file(path)?,
    }
    match std::fs::create_dir(path) {
        Ok(()) => Ok(true),
        // Another writer thread made it in between: fine if it is a folder.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && kind(path)? == Kind::Dir => Ok(false),
        Err(e) => Err(e),
    }
}

/// Makes `path` a real, writable folder where nothing is expected to stand
/// yet (a folder the writer just created): `mkdir` first, and only when
/// something is there, `ensure_dir`'s checks. Saves a `stat` per folder of
/// a first build.
pub(super) fn make_dir(path: &Path) -> io::Result<()> {
    // Any failure (something there, a platform's other error code for it)
    // takes the checked way, which reports the real error.
    std::fs::create_dir(path).or_else(|_| ensure_dir(path).map(drop))
}

/// Creates the file `path` with `bytes`. Whatever stood there is removed
/// first, never written through: it may be a link, or a hard link that
/// another folder shares. The file is first created as new (`O_EXCL`,
/// which never follows a link); only when that fails is what stands there
/// removed and the file created again, so a path where nothing stands
/// costs no `stat`.
/// Returns the new file's metadata.
pub(super) fn write_new(path: &Path, bytes: &[u8]) -> io::Result<std::fs::Metadata> {
    create_new(path, bytes).or_else(|_| {
        remove(path)?;
        create_new(path, bytes)
    })
}

fn create_new(path: &Path, bytes: &[u8]) -> io::Result<std::fs::Metadata> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    f.write_all(bytes)?;
    f.metadata()
}

/// Whether `path` is a regular file (not a link) holding exactly `bytes`.
/// Anything unreadable counts as different.
pub(super) fn holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    if kind(path).ok() != Some(Kind::File { len: bytes.len() as u64 }) {
        return false;
    }
    let Ok(mut f) = std::fs::File::open(path) else { return false };
    let mut have = Vec::with_capacity(bytes.len() + 1);
    // One byte more than wanted tells a file that grew since the check.
    f.by_ref().take(bytes.len() as u64 + 1).read_to_end(&mut have).is_ok() && have == bytes
}

/// Swaps two folders in one step where the platform can, so readers of the
/// output never find it missing. Returns false when it cannot (the caller
/// then falls back to two renames).
#[cfg(target_os = "linux")]
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // The file system or kernel has no atomic exchange.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::NOTSUP) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
pub(super) fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn removing_a_tree_unlinks_links_and_leaves_their_targets() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(outside.join("deep")).unwrap();
        std::fs::write(outside.join("deep/keep.txt"), "keep").unwrap();
        let tree = tmp.path().join("tree");
        std::fs::create_dir_all(tree.join("a")).unwrap();
        symlink(&outside, tree.join("a/dir-link")).unwrap();
        symlink(outside.join("deep/keep.txt"), tree.join("file-link")).unwrap();
        remove(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(std::fs::read_to_string(outside.join("deep/keep.txt")).unwrap(), "keep");
        // A link given as the path itself is removed, not its target.
        let link = tmp.path().join("link");
        symlink(&outside, &link).unwrap();
        remove(&link).unwrap();
        assert!(outside.join("deep/keep.txt").is_file());
    }

    #[test]
    fn writing_over_a_link_replaces_the_link() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("target.txt");
        std::fs::write(&target, "mine").unwrap();
        let link = tmp.path().join("page.html");
        symlink(&target, &link).unwrap();
        assert!(!holds(&link, b"mine"), "a link is never taken for a file");
        write_new(&link, b"page").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "page");
        assert_eq!(kind(&link).unwrap(), Kind::File { len: 4 });
    }

    #[test]
    fn a_folder_link_becomes_a_real_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        let dir = tmp.path().join("personas");
        symlink(&outside, &dir).unwrap();
        assert!(ensure_dir(&dir).unwrap());
        assert_eq!(kind(&dir).unwrap(), Kind::Dir);
        assert!(outside.is_dir());
    }

    #[test]
    fn holds_compares_bytes_exactly() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("f");
        std::fs::write(&f, "abc").unwrap();
        assert!(holds(&f, b"abc"));
        assert!(!holds(&f, b"abd"));
        assert!(!holds(&f, b"ab"));
        assert!(!holds(&tmp.path().join("missing"), b""));
    }
}
