//! The folder a build writes into, and the swap that publishes it.
//!
//! Why it is shaped like this: a site has a folder per page, and creating
//! and deleting tens of thousands of folders on every build cost more than
//! rendering them (on ext4, several seconds for a large handbook). So the
//! output a swap replaces is not deleted: it stays in the writer's state
//! folder as `work/` and is the next build's starting point. Its folders
//! already exist, and a file that already holds the right bytes is kept.
//!
//! Nothing in the recycled folder is trusted: a file is kept only when it
//! is a regular file whose bytes are compared equal, everything else in the
//! way (a link, a folder, a FIFO, a hand-edited page) is removed without
//! being followed, and at commit every entry the build did not write is
//! removed. A folder the build made itself (the first build, and the one
//! after it, when the previous output was swapped in from a new folder)
//! has nothing in it to keep or remove: its files and folders are created
//! without a `stat` first, and it is not listed again at commit. So after every successful build the output holds exactly the
//! site, whatever was edited, added or linked inside it in between.

use super::nofollow::{self, Kind};
use super::record::{self, Stamp};
use super::state::{identity, parent_of, State};
use super::{check_owned, check_placement, io_err, OutputError};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// A new output being written into the writer's `work/` folder. Files are
/// put in as they are rendered (from several threads); `commit` swaps the
/// folder in. Dropped without a commit, it leaves the live output as it
/// was (the half-updated `work/` stays for the next build to recycle).
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    state: State,
    work: PathBuf,
    /// Whether `work` was made empty by this build (nothing in it to keep
    /// or to prune: a first build, or the one after it).
    fresh: bool,
    /// Folders under `work` (relative, `/`-separated; "" is `work` itself)
    /// that this build has checked are real folders.
    dirs: Mutex<HashSet<String>>,
    /// What the record says the work folder held (see `record`).
    known: record::Files,
    /// What the record says the live output holds, kept for the next build.
    live: record::Files,
    written: Mutex<record::Files>,
}

impl Staging {
    /// Checks that `out` may be replaced, takes the output's lock (waiting
    /// while another build holds it) and prepares the folder to write into.
    pub fn begin(out: &Path, root: &Path) -> Result<Staging, OutputError> {
        check_placement(out, root)?;
        // Refuse before making anything beside a folder that is not ours.
        // With a state folder there, wait for its lock first: a build that
        // holds it may be swapping the output this instant.
        if nofollow::kind(&State::path_for(out)).map_err(io_err(out))? != Kind::Dir {
            check_owned(out)?;
        }
        let parent = parent_of(out);
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let state = State::lock(out)?;
        check_owned(out)?;
        let work = state.work();
        let fresh = nofollow::ensure_dir(&work).map_err(io_err(&work))?;
        let mut sections = record::read(&state.dir.join(RECORD));
        let mut section = |folder: &Path| identity(folder).and_then(|id| sections.remove(&id)).unwrap_or_default();
        let (known, live) = (section(&work), section(out));
        Ok(Staging {
            out: out.to_path_buf(),
            state,
            work,
            fresh,
            dirs: Mutex::new(HashSet::from([String::new()])),
            known,
            live,
            written: Mutex::new(HashMap::new()),
        })
    }

    /// Puts one file in. A second file with the same path replaces the first.
    pub fn put(&self, rel: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        let path = self.checked_path(rel)?;
        self.make_parents(rel)?;
        let hash = crate::digest::hash(&bytes);
        let kept = if self.fresh { None } else { self.unchanged(rel, &path, hash, &bytes) };
        let stamp = match kept {
            Some(stamp) => stamp,
            None => Stamp::of(&nofollow::write_new(&path, &bytes).map_err(io_err(&path))?),
        };
        self.written.lock().unwrap_or_else(PoisonError::into_inner).insert(rel.to_string(), (hash, stamp));
        Ok(())
    }

    /// The stamp of the file at `path` when it already holds `bytes`: known
    /// from the record when its stamp is the recorded one, else (no record
    /// of it) by comparing its bytes.
    fn unchanged(&self, rel: &str, path: &Path, hash: u64, bytes: &[u8]) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok().filter(|m| m.file_type().is_file())?;
        let stamp = Stamp::of(&meta);
        match self.known.get(rel) {
            Some(&(h, recorded)) => (h == hash && recorded == stamp).then_some(stamp),
            None => nofollow::holds(path, bytes).then_some(stamp),
        }
    }

    /// `rel` inside the work folder, if it is a plain relative path.
    fn checked_path(&self, rel: &str) -> Result<PathBuf, OutputError> {
        let plain = !rel.contains(['\\', '\0'])
            && rel.split('/').all(|seg| !seg.is_empty() && seg != "." && seg != "..")
            && Path::new(rel).components().all(|c| matches!(c, Component::Normal(_)));
        if !plain {
            return Err(OutputError::BadPath { rel: rel.to_string() });
        }
        Ok(self.work.join(rel))
    }

    /// Makes every folder above `rel` a real folder, replacing whatever
    /// stands in the way. Each folder is checked once per build.
    fn make_parents(&self, rel: &str) -> Result<(), OutputError> {
        let mut end = 0;
        while let Some(i) = rel[end..].find('/') {
            end += i;
            let folder = &rel[..end];
            end += 1;
            if self.dirs.lock().unwrap_or_else(PoisonError::into_inner).contains(folder) {
                continue;
            }
            let path = self.work.join(folder);
            // In a fresh folder nothing stands in the way: `mkdir` first.
            if self.fresh { nofollow::make_dir(&path) } else { nofollow::ensure_dir(&path).map(drop) }
                .map_err(io_err(&path))?;
            self.dirs.lock().unwrap_or_else(PoisonError::into_inner).insert(folder.to_string());
        }
        Ok(())
    }

    /// Removes what the recycled folder held that this build did not write,
    /// and swaps the new folder in. The replaced output becomes `work/`.
    pub fn commit(self) -> Result<(), OutputError> {
        let written = self.written.into_inner().unwrap_or_else(PoisonError::into_inner);
        let dirs = self.dirs.into_inner().unwrap_or_else(PoisonError::into_inner);
        // A fresh folder holds only what this build wrote (it made the
        // folder empty under the lock): listing its folders again would
        // only cost time.
        if !self.fresh {
            prune(&self.work, "", &written, &dirs).map_err(io_err(&self.work))?;
        }
        // After the swap the work folder is the output and the output the
        // work folder; each keeps its own section.
        let ids = (identity(&self.work).unwrap_or_default(), identity(&self.out).unwrap_or_default());
        let text = record::render(&[(&ids.0, &written), (&ids.1, &self.live)]);
        self.state.replace_file(RECORD, text.as_bytes())?;
        swap_in(&self.state, &self.work, &self.out)
    }
}

/// Removes every entry under `dir` (at `rel` inside the work folder) that is
/// neither a written file nor a folder holding one.
fn prune(dir: &Path, rel: &str, written: &record::Files, dirs: &HashSet<String>) -> std::io::Result<()> {
    let mut keep_dirs = Vec::new();
    for entry in nofollow::read_dir_writable(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        // Not UTF-8: no file of the site has such a name.
        let Some(name) = name.to_str() else {
            nofollow::remove(&entry.path())?;
            continue;
        };
        let child = if rel.is_empty() { name.to_string() } else { format!("{rel}/{name}") };
        let file_type = entry.file_type()?;
        if file_type.is_dir() && dirs.contains(&child) {
            keep_dirs.push((entry.path(), child));
        } else if !(file_type.is_file() && written.contains_key(&child)) {
            nofollow::remove(&entry.path())?;
        }
    }
    keep_dirs.par_iter().try_for_each(|(path, child)| prune(path, child, written, dirs))
}

/// Publishes `work` as `out`. Where the platform can, the two folders are
/// exchanged in one step, so `out` is never missing; elsewhere two renames
/// leave it missing for that instant. `work` then holds the previous site.
fn swap_in(state: &State, work: &Path, out: &Path) -> Result<(), OutputError> {
    if nofollow::kind(out).map_err(io_err(out))? == Kind::Missing {
        std::fs::rename(work, out).map_err(io_err(out))?;
        return state.record_owner(&[out]);
    }
    // Both are ours from here until the swap is done, whichever way a kill
    // leaves them.
    state.record_owner(&[out, work])?;
    if !nofollow::exchange(work, out).map_err(io_err(out))? {
        let old = state.dir.join("old");
        nofollow::remove(&old).map_err(io_err(&old))?;
        std::fs::rename(out, &old).map_err(io_err(out))?;
        if let Err(e) = std::fs::rename(work, out) {
            // Put the previous site back so the user is left with what they had.
            let _ = std::fs::rename(&old, out);
            return Err(io_err(out)(e));
        }
        std::fs::rename(&old, work).map_err(io_err(work))?;
    }
    state.record_owner(&[out])
}

/// The state folder's file that keeps the record of written files.
const RECORD: &str = "record";

impl crate::render::Sink for Staging {
    type Error = OutputError;
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        Staging::put(self, path, bytes)
    }
}
