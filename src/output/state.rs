//! The writer's own folder beside the output: `.<name>.personabook/` next
//! to `<name>/`. It holds everything the writer needs between builds, so
//! the published site holds nothing of it:
//!
//! - `.gitignore` (`*`): the folder never shows in `git status`;
//! - `lock`: held for the whole build, so builds into one output take turns;
//! - `owner`: the identity (device and inode) of the output folder the last
//!   build published, which is how a later build knows the output is its own;
//! - `work/`: the folder a build writes and then swaps in; after the swap it
//!   holds the previous output, which the next build recycles.
//!
//! Nothing read from here is trusted as a path: `owner` holds numbers that
//! are compared, never opened, and `work/` is checked file by file.

use super::nofollow::{self, Kind};
use super::{io_err, OutputError};
use std::fs::File;
use std::path::{Path, PathBuf};

/// The writer's folder for one output, locked for one build.
#[derive(Debug)]
pub(super) struct State {
    pub dir: PathBuf,
    /// Held until the state is dropped (the lock is released with the file).
    _lock: File,
}

impl State {
    /// The state folder's path for the output folder `out`.
    pub fn path_for(out: &Path) -> PathBuf {
        let name = out.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        parent_of(out).join(format!(".{name}.personabook"))
    }

    /// Opens (creating it if needed) and locks the state folder of `out`;
    /// waits while another build holds it. Removes what earlier versions
    /// and killed builds left beside the output.
    pub fn lock(out: &Path) -> Result<State, OutputError> {
        let dir = Self::path_for(out);
        // A file of that name is someone's: refuse rather than remove it.
        // A link there is removed itself and a real folder made instead.
        if let Kind::File { .. } = nofollow::kind(&dir).map_err(io_err(&dir))? {
            return Err(OutputError::NotAFolder { path: dir });
        }
        nofollow::ensure_dir(&dir).map_err(io_err(&dir))?;
        let lock_path = dir.join("lock");
        if !matches!(nofollow::kind(&lock_path).map_err(io_err(&lock_path))?, Kind::File { .. } | Kind::Missing) {
            nofollow::remove(&lock_path).map_err(io_err(&lock_path))?;
        }
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        lock.lock().map_err(io_err(&lock_path))?;
        // Under the lock: builds started at once would race to write it.
        let ignore = dir.join(".gitignore");
        if !nofollow::holds(&ignore, b"*\n") {
            nofollow::write_new(&ignore, b"*\n").map_err(io_err(&ignore))?;
        }
        let state = State { dir, _lock: lock };
        state.remove_leftovers(out)?;
        Ok(state)
    }

    pub fn work(&self) -> PathBuf {
        self.dir.join("work")
    }

    /// Removes the staging and spare folders that personabook 0.1 kept as
    /// siblings of the output (`.<name>.personabook-new-<pid>`,
    /// `.<name>.personabook-spare`). Links among them are unlinked only.
    fn remove_leftovers(&self, out: &Path) -> Result<(), OutputError> {
        let name = out.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let (spare, new) = (format!(".{name}.personabook-spare"), format!(".{name}.personabook-new-"));
        let parent = parent_of(out);
        let Ok(entries) = std::fs::read_dir(&parent) else { return Ok(()) };
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let pid = file_name.strip_prefix(&new);
            let ours =
                file_name == spare || pid.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if ours {
                nofollow::remove(&entry.path()).map_err(io_err(&entry.path()))?;
            }
        }
        Ok(())
    }

    /// Whether `out` is the folder a build of ours published.
    pub fn owns(dir: &Path, out: &Path) -> bool {
        let Some(id) = identity(out) else { return false };
        let owner = dir.join("owner");
        if !matches!(nofollow::kind(&owner), Ok(Kind::File { len }) if len < 4096) {
            return false;
        }
        std::fs::read_to_string(&owner).is_ok_and(|text| text.lines().any(|l| l == id))
    }

    /// Records the folders that are ours: written before a swap with both
    /// the live output and the folder about to replace it, so a build killed
    /// in between leaves an output that the next build still recognises.
    pub fn record_owner(&self, folders: &[&Path]) -> Result<(), OutputError> {
        let text: String = folders.iter().filter_map(|f| identity(f)).map(|id| id + "\n").collect();
        self.replace_file("owner", text.as_bytes())
    }

    /// Replaces the file `name` of the state folder in one step.
    pub fn replace_file(&self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let (tmp, path) = (self.dir.join(format!("{name}.new")), self.dir.join(name));
        nofollow::write_new(&tmp, bytes).map_err(io_err(&tmp))?;
        nofollow::remove(&path).map_err(io_err(&path))?;
        std::fs::rename(&tmp, &path).map_err(io_err(&path))
    }
}

/// The folder holding `out` (`.` for a bare name).
pub(super) fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A folder's identity on this machine, as the `owner` file records it; none
/// for a link or anything that is not a folder.
#[cfg(unix)]
pub(super) fn identity(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::symlink_metadata(path).ok()?;
    m.file_type().is_dir().then(|| format!("{} {}", m.dev(), m.ino()))
}

/// Without inode numbers, the folder's absolute path and creation time
/// stand in (weaker: see SECURITY.md).
#[cfg(not(unix))]
pub(super) fn identity(path: &Path) -> Option<String> {
    let m = std::fs::symlink_metadata(path).ok()?;
    let created = m.created().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    m.file_type().is_dir().then(|| format!("{} {created}", std::path::absolute(path).ok()?.display()))
}
