//! model + theme -> the site's files, in memory. Pure: never touches the disk.

use std::collections::BTreeMap;

/// A rendered site: output path (`personas/ana/index.html`, `/`-separated,
/// no leading slash) to bytes. Sorted, so writing and hashing are deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    /// Number of HTML pages.
    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }

    /// Total bytes of all files.
    pub fn byte_count(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}
