//! Finding the repository a handbook lives in, and where in its work tree.

use super::{git_error, HistoryError};
use gix::ObjectId;
use std::path::Path;

/// Bytes of decoded delta bases kept by their place in a pack (bounded,
/// whatever the repository).
const PACK_CACHE: usize = 16 * 1024 * 1024;

/// The repository a handbook is in.
pub(crate) struct Repo {
    pub git: gix::Repository,
    /// The handbook folder inside the work tree, `/`-separated, with a
    /// trailing slash (`""` at the top of the work tree, `docs/personas/`).
    pub prefix: String,
}

/// The repository around `root`, if there is one with a work tree that
/// holds `root`. `Ok(None)` when `root` is in no repository.
pub(crate) fn open(root: &Path) -> Result<Option<Repo>, HistoryError> {
    let Ok(mut git) = gix::discover(root) else { return Ok(None) };
    let Some(workdir) = git.workdir() else { return Ok(None) };
    let (Ok(workdir), Ok(root)) = (workdir.canonicalize(), root.canonicalize()) else {
        return Err(HistoryError::OutsideWorkTree);
    };
    let inside = root.strip_prefix(&workdir).map_err(|_| HistoryError::OutsideWorkTree)?;
    let mut prefix = String::new();
    for part in inside.components() {
        let part = part.as_os_str().to_str().ok_or(HistoryError::OutsideWorkTree)?;
        prefix.push_str(part);
        prefix.push('/');
    }
    // No cache of whole objects: `tree::Trees` keeps the trees a walk
    // reads again, and each blob is read once; a cache would copy each.
    git.object_cache_size(None);
    // A pack stores most versions of a tree or blob as a delta on a newer
    // one, so walking newest first reads each version's base just before:
    // keeping it turns a chain of up to 50 deltas into one.
    git.objects.set_pack_cache(|| Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(PACK_CACHE)));
    Ok(Some(Repo { git, prefix }))
}

impl Repo {
    /// The commit HEAD points at; `None` before the first commit.
    pub fn head(&self) -> Option<ObjectId> {
        self.git.head_id().ok().map(|id| id.detach())
    }

    /// The commit a revision (`main`, `HEAD~3`, a commit id) names.
    pub fn commit(&self, rev: &str) -> Result<ObjectId, HistoryError> {
        let unknown = || HistoryError::UnknownRevision { rev: rev.to_string() };
        let id = self.git.rev_parse_single(rev).map_err(|_| unknown())?;
        let object = id.object().map_err(|_| unknown())?;
        let commit = object.peel_to_commit().map_err(|_| unknown())?;
        Ok(commit.id)
    }

    /// The tree of the handbook's `sub` folder (`content`) in a commit;
    /// `None` when the commit has no such folder.
    pub fn subtree(&self, commit: ObjectId, sub: &str) -> Result<Option<ObjectId>, HistoryError> {
        let commit = self.git.find_commit(commit).map_err(git_error)?;
        let tree = commit.tree().map_err(git_error)?;
        let path = format!("{}{sub}", self.prefix);
        let entry = tree.lookup_entry_by_path(path.as_str()).map_err(git_error)?;
        Ok(entry.filter(|e| e.mode().is_tree()).map(|e| e.object_id()))
    }

    /// The blob of the handbook's file `name` (`handbook.yaml`) in a commit.
    pub fn file(&self, commit: ObjectId, name: &str) -> Result<Option<ObjectId>, HistoryError> {
        let commit = self.git.find_commit(commit).map_err(git_error)?;
        let tree = commit.tree().map_err(git_error)?;
        let path = format!("{}{name}", self.prefix);
        let entry = tree.lookup_entry_by_path(path.as_str()).map_err(git_error)?;
        Ok(entry.filter(|e| e.mode().is_blob()).map(|e| e.object_id()))
    }

    /// The merge base of HEAD and the default branch (`origin/HEAD`, else
    /// `main`, `master`, `origin/main`, `origin/master`).
    pub fn default_base(&self, head: ObjectId) -> Result<ObjectId, HistoryError> {
        let branch = ["origin/HEAD", "main", "master", "origin/main", "origin/master"]
            .into_iter()
            .find_map(|name| self.commit(name).ok())
            .ok_or(HistoryError::NoDefaultBranch)?;
        let base = self.git.merge_base(head, branch).map_err(git_error)?;
        Ok(base.map_or(branch, |id| id.detach()))
    }
}

/// What identifies the history a build would read: the commit HEAD points
/// at, and whether the clone is shallow. `None` outside a repository.
pub fn fingerprint(root: &Path) -> Option<String> {
    let repo = open(root).ok()??;
    let shallow = repo.git.is_shallow().unwrap_or(false);
    Some(format!("{}{}", repo.head().map(|h| h.to_string()).unwrap_or_default(), if shallow { " shallow" } else { "" }))
}

/// The folders whose changes can move HEAD (a commit, a checkout, a pull):
/// the git folder itself (`HEAD`, `packed-refs`, `shallow`; not
/// recursive) and the shared `refs/` (recursive). Empty outside a repository.
pub fn watch_paths(root: &Path) -> Vec<(std::path::PathBuf, bool)> {
    let Ok(Some(repo)) = open(root) else { return Vec::new() };
    let mut out = vec![(repo.git.git_dir().to_path_buf(), false)];
    let common = repo.git.common_dir();
    if common != repo.git.git_dir() {
        out.push((common.to_path_buf(), false));
    }
    out.push((common.join("refs"), true));
    out
}
