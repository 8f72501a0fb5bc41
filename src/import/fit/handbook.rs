//! What a draft is fitted to: the target handbook (its stages, ids and
//! files, and where the new files go) and the other drafts of the same
//! import. Reads the handbook once; never writes.

use super::super::Draft;
use crate::config::Stage;
use crate::load::Collection;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// What the target handbook already has.
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub(super) stages: Vec<Stage>,
    pub(super) ids: HashMap<Collection, HashSet<String>>,
    /// Content paths (`personas/ana.md`) of existing files, lower-case.
    pub(super) files: HashSet<String>,
    /// Content path of the folder the files go to (`personas`, `personas/emea`).
    pub(super) folder: String,
    /// What new persona ids start with (`emea/` for `content/personas/emea/`).
    pub(super) id_prefix: String,
    /// Notes about the target for the report.
    pub notes: Vec<String>,
}

impl Target {
    /// Reads the handbook at `root` (config and content) to learn its stages and ids.
    pub fn load(root: &Path, into: &Path) -> Target {
        let loaded = crate::load::load(root);
        let mut t = Target { stages: loaded.config.stages.clone(), ..Target::default() };
        for f in &loaded.files {
            t.ids.entry(f.collection).or_default().insert(f.id.clone());
            t.files.insert(f.content_path.to_lowercase());
        }
        let content = lexical(&root.join(crate::layout::CONTENT_DIR));
        let rel = lexical(into).strip_prefix(&content).ok().map(|r| {
            r.components().map(|c| c.as_os_str().to_string_lossy().to_lowercase()).collect::<Vec<_>>().join("/")
        });
        let shown_into = super::super::shown(into);
        match rel {
            Some(r) if r == "personas" || r.starts_with("personas/") => {
                t.id_prefix = r.strip_prefix("personas").unwrap_or_default().trim_start_matches('/').to_string();
                if !t.id_prefix.is_empty() {
                    t.id_prefix.push('/');
                }
                t.folder = r;
            }
            Some(r) => {
                t.notes.push(format!(
                    "{shown_into} is not under content/personas/: the files there are guide pages, not personas"
                ));
                t.folder = r;
            }
            None => {
                t.notes.push(format!(
                    "{shown_into} is outside the handbook's content/ folder: references were checked as if the files were in content/personas/"
                ));
                t.folder = "personas".into();
            }
        }
        t
    }

    pub(super) fn has(&self, c: Collection, id: &str) -> bool {
        self.ids.get(&c).is_some_and(|s| s.contains(id))
    }
}

/// The drafts of this import: their new ids and file names, and the names
/// other files may know them by.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub(super) ids: Vec<String>,
    pub(super) file_names: Vec<String>,
    /// Source path (relative to SRC, lower-case) -> draft.
    pub(super) by_rel: HashMap<String, usize>,
    /// Old id (source file stem, lower-case) -> draft, when only one draft has it.
    pub(super) by_old_id: HashMap<String, usize>,
}

impl Imported {
    pub fn new(drafts: &[Draft], file_names: &[String], target: &Target) -> Imported {
        let ids: Vec<String> =
            file_names.iter().map(|n| format!("{}{}", target.id_prefix, n.strip_suffix(".md").unwrap_or(n))).collect();
        let by_rel = drafts.iter().enumerate().map(|(i, d)| (d.rel.to_lowercase(), i)).collect();
        let mut by_old_id: HashMap<String, usize> = HashMap::new();
        let mut dup = HashSet::new();
        for (i, d) in drafts.iter().enumerate() {
            let old = d.file_stem.to_lowercase();
            if by_old_id.insert(old.clone(), i).is_some() {
                dup.insert(old);
            }
        }
        by_old_id.retain(|k, _| !dup.contains(k));
        Imported { ids, file_names: file_names.to_vec(), by_rel, by_old_id }
    }
}

/// An absolute path with `.` and `..` removed, without touching the disk
/// (the target folder may not exist yet).
fn lexical(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
