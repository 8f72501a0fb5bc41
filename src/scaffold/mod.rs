//! `init` and `new`: writing starter files for a user. Never overwrites a
//! file and never writes into a non-empty folder it was asked to create.
//! What the files say is `template`'s.

mod template;

use crate::layout::Collection;

use std::io;
use std::path::{Path, PathBuf};

/// Why a starter file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{path} is not empty; `init` only writes into a new or empty folder")]
    NotEmpty { path: PathBuf },
    #[error("{path} already exists; personabook never overwrites a file")]
    Exists { path: PathBuf },
    #[error("cannot make an id from {name:?}: it has no letters or digits")]
    EmptySlug { name: String },
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl ScaffoldError {
    /// What the user can do about it.
    pub fn hint(&self) -> String {
        match self {
            ScaffoldError::NotEmpty { .. } => "give a new folder: `personabook init my-handbook`".into(),
            ScaffoldError::Exists { .. } => "choose another name, or edit the existing file".into(),
            ScaffoldError::EmptySlug { .. } => "e.g. `personabook new persona \"Maria Lopez\"`".into(),
            ScaffoldError::Io { .. } => "check the folder's permissions".into(),
        }
    }
}

/// The starter handbook written by `init`: (path, text).
const STARTER: &[(&str, &str)] = &[
    ("handbook.yaml", include_str!("starter/handbook.yaml")),
    ("content/personas/nadia-okafor.md", include_str!("starter/nadia-okafor.md")),
    ("content/personas/devon-park.md", include_str!("starter/devon-park.md")),
    ("content/assets/roi-of-marketing-ops.md", include_str!("starter/roi-of-marketing-ops.md")),
    ("content/assets/reporting-in-ten-minutes.md", include_str!("starter/reporting-in-ten-minutes.md")),
    ("content/guides/using-this-handbook.md", include_str!("starter/using-this-handbook.md")),
    (".gitignore", "/public\n"),
];

/// Writes a small working handbook into `dir` (created if missing; must be
/// empty), its dates a few days to months before `today`. Returns the files
/// written.
pub fn init(dir: &Path, today: jiff::civil::Date) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|source| ScaffoldError::Io { path: dir.into(), source })?;
        if entries.next().is_some() {
            return Err(ScaffoldError::NotEmpty { path: dir.into() });
        }
    }
    let mut written = Vec::new();
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        write_new(&path, &template::dated(text, today))?;
        written.push(path);
    }
    Ok(written)
}

/// What `new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Persona,
    Asset,
}

/// A file `new` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub path: PathBuf,
    pub collection: Collection,
    /// The item's id (its file name without `.md`).
    pub id: String,
}

/// Writes a draft persona or asset file under `root/content/`, dated
/// `today`. A persona's journey lists every stage of the handbook's
/// `handbook.yaml` (the default stages when it is missing or broken:
/// `check` reports its problems).
pub fn new_file(root: &Path, kind: NewKind, name: &str, today: jiff::civil::Date) -> Result<Created, ScaffoldError> {
    let id = crate::slug::id_slug(name);
    if id.is_empty() {
        return Err(ScaffoldError::EmptySlug { name: name.into() });
    }
    let quoted = template::quoted(name);
    let (collection, text) = match kind {
        NewKind::Persona => {
            let config = crate::load::read_config(root, &mut Vec::new());
            (Collection::Persona, template::persona(&quoted, today, &config.stages))
        }
        NewKind::Asset => (Collection::Asset, template::asset(&quoted, today)),
    };
    let folder = collection.folder().unwrap_or_default();
    let path = root.join(crate::layout::CONTENT_DIR).join(folder).join(format!("{id}.md"));
    write_new(&path, &text)?;
    Ok(Created { path, collection, id })
}

fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| ScaffoldError::Io { path: parent.into(), source })?;
    }
    // create_new: fails instead of overwriting, even if the file appears meanwhile.
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|source| {
        if source.kind() == io::ErrorKind::AlreadyExists {
            ScaffoldError::Exists { path: path.into() }
        } else {
            ScaffoldError::Io { path: path.into(), source }
        }
    })?;
    io::Write::write_all(&mut f, text.as_bytes()).map_err(|source| ScaffoldError::Io { path: path.into(), source })
}
