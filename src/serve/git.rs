//! The git history as an input of the preview: the repository folders to
//! watch so a commit, a checkout or a pull is seen without a restart, and
//! whether HEAD really moved (git touches its folder for many reasons).

use crate::history;
use std::path::{Path, PathBuf};

/// The repository folders around a handbook, and the HEAD last seen.
#[derive(Debug)]
pub(crate) struct GitWatch {
    root: PathBuf,
    /// Folders to watch, each with whether to watch it recursively.
    pub paths: Vec<(PathBuf, bool)>,
    seen: Option<String>,
}

impl GitWatch {
    /// The repository around `root`; watches nothing outside one.
    pub fn find(root: &Path) -> GitWatch {
        GitWatch { root: root.to_path_buf(), paths: history::watch_paths(root), seen: history::fingerprint(root) }
    }

    /// Whether `path` is in one of the watched repository folders.
    pub fn covers(&self, path: &Path) -> bool {
        self.paths
            .iter()
            .any(|(p, recursive)| if *recursive { path.starts_with(p) } else { path.parent() == Some(p) || path == p })
    }

    /// Whether HEAD moved since the last look (and remembers where it is).
    pub fn moved(&mut self) -> bool {
        let now = history::fingerprint(&self.root);
        let moved = now != self.seen;
        self.seen = now;
        moved
    }
}
