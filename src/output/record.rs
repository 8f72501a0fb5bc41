//! What the writer remembers of the files it wrote, so a rebuild need not
//! read a file back to know it still holds the right bytes.
//!
//! For each file: the hash of the bytes written and the file's stamp (inode,
//! size, modification and change times). A file whose stamp is unchanged
//! was not touched since: any write, a `touch`, a `chmod`, a new hard link
//! changes its change time, which no program can set back. The record is
//! kept in the writer's state folder, one section per folder, each headed by
//! the folder's identity; a section is used only for the folder it names.
//! Its paths are only ever looked up by the paths the build writes, never
//! acted on; a record that does not parse is simply not used.

use std::collections::HashMap;
use std::fs::Metadata;
use std::path::Path;

/// A file's stamp: changes whenever anything changes the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp([i64; 6]);

impl Stamp {
    #[cfg(unix)]
    pub fn of(m: &Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp([m.ino() as i64, m.size() as i64, m.mtime(), m.mtime_nsec(), m.ctime(), m.ctime_nsec()])
    }

    /// Without inodes and change times, size and modification time only.
    #[cfg(not(unix))]
    pub fn of(m: &Metadata) -> Stamp {
        let t = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).unwrap_or_default();
        Stamp([0, m.len() as i64, t.as_secs() as i64, i64::from(t.subsec_nanos()), 0, 0])
    }
}

/// Path -> (hash of the bytes, stamp) for one folder.
pub(super) type Files = HashMap<String, (u64, Stamp)>;

/// The sections of the record file `path`: folder identity -> its files.
pub(super) fn read(path: &Path) -> HashMap<String, Files> {
    let mut sections: HashMap<String, Files> = HashMap::new();
    let Ok(text) = std::fs::read_to_string(path) else { return sections };
    let mut current: Option<&mut Files> = None;
    for line in text.lines() {
        if let Some(id) = line.strip_prefix("folder ") {
            current = Some(sections.entry(id.to_string()).or_default());
        } else if let (Some(files), Some((rel, entry))) = (current.as_deref_mut(), parse_line(line)) {
            files.insert(rel, entry);
        }
    }
    sections
}

fn parse_line(line: &str) -> Option<(String, (u64, Stamp))> {
    let mut parts = line.splitn(8, ' ');
    let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
    let mut stamp = [0i64; 6];
    for n in &mut stamp {
        *n = parts.next()?.parse().ok()?;
    }
    Some((parts.next()?.to_string(), (hash, Stamp(stamp))))
}

/// The text of a record with `sections` (identity, files), paths sorted.
pub(super) fn render(sections: &[(&str, &Files)]) -> String {
    use std::fmt::Write;
    let mut text = String::new();
    for (id, files) in sections {
        let _ = writeln!(text, "folder {id}");
        let mut rels: Vec<&String> = files.keys().collect();
        rels.sort();
        for rel in rels {
            let (hash, Stamp(s)) = files[rel];
            let _ = writeln!(text, "{hash:016x} {} {} {} {} {} {} {rel}", s[0], s[1], s[2], s[3], s[4], s[5]);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_and_ignores_what_does_not_parse() {
        let mut files = Files::new();
        files.insert("a b/index.html".into(), (0xabc, Stamp([1, 2, 3, 4, 5, 6])));
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("record");
        let text = render(&[("1 2", &files)]) + "garbage line\nfolder 3 4\nffff 1 2 /etc/passwd\n";
        std::fs::write(&path, text).unwrap();
        let back = read(&path);
        assert_eq!(back["1 2"], files);
        assert!(back["3 4"].is_empty(), "a line without a full stamp is dropped");
    }
}
