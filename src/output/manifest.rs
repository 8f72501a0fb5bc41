//! The marker file: it says personabook owns a folder, and lists every file
//! it wrote with the hash and size of its bytes, so the next build can tell
//! which files did not change.

use std::collections::HashMap;
use std::path::Path;

/// The file that marks an output folder as written by personabook.
pub const MARKER: &str = ".personabook-output";

const HEADER: &str = "# This folder is written by personabook. Every build replaces it whole.\n\
# Do not keep your own files here: they would be removed by the next build.\n\
# Below: one line per file (hash of its bytes, size, path), to skip unchanged files.\n";

/// Path -> (hash, size) of every file a build wrote.
pub type Manifest = HashMap<String, (u64, usize)>;

/// The manifest of the output folder `dir`, empty when it has none.
pub fn read(dir: &Path) -> Manifest {
    let Ok(text) = std::fs::read_to_string(dir.join(MARKER)) else { return Manifest::new() };
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.splitn(3, ' ');
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let size = parts.next()?.parse().ok()?;
            Some((parts.next()?.to_string(), (hash, size)))
        })
        .collect()
}

/// The marker's text for `files` (sorted by path).
pub fn render(files: &[(String, u64, usize)]) -> String {
    let mut text = String::with_capacity(HEADER.len() + files.len() * 64);
    text.push_str(HEADER);
    for (rel, hash, len) in files {
        text.push_str(&format!("{hash:016x} {len} {rel}\n"));
    }
    text
}

/// A hash of a file's bytes (SipHash; a collision would only skip a write).
pub fn hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}
