//! `personabook import`: turn an existing persona collection into persona
//! files (Markdown with YAML front matter) that pass `personabook check`.
//!
//! Three steps, each knowing only the one before it:
//! - a format reader (`persona_library`, `pages`) reads the source and maps it
//!   to `Draft`s: front matter, body and notes on what it mapped. Pure apart
//!   from reading the source; it never writes.
//! - `fit` adjusts each draft to the target handbook (its stages, the ids that
//!   exist) so the written file passes `check`: values personabook cannot use
//!   move under `unmapped`, links to nowhere become plain text.
//! - `write` picks file names and is the only code that writes. It never
//!   replaces an existing file.
//!
//! Any problem in the source (a file that cannot be read or parsed, a broken
//! `parent` chain) stops the import before anything is written, with every
//! problem reported at once.

mod fit;
pub mod pages;
pub mod persona_library;
mod report;
mod write;

pub use fit::FitError;
pub use report::{Failure, FileReport, ImportReport, Notes, Outcome, SkipReason};

use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// The source formats `import` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The DevRel Foundation persona library JSON schema, with `parent` inheritance.
    PersonaLibrary,
    /// Markdown pages from other site generators, one persona per file.
    Pages,
}

impl Format {
    /// Every format, in the order help texts list them.
    pub const ALL: [Format; 2] = [Format::PersonaLibrary, Format::Pages];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::PersonaLibrary => "persona-library",
            Format::Pages => "pages",
        }
    }

    /// Parses a FORMAT argument; the error lists the known formats.
    pub fn parse(name: &str) -> Result<Format, ImportError> {
        let wanted = name.trim().to_lowercase();
        Format::ALL.into_iter().find(|f| f.name() == wanted).ok_or_else(|| {
            // People name the generator their pages come from.
            let generator =
                ["hugo", "jekyll", "zola", "middleman", "eleventy", "11ty", "gatsby", "astro", "markdown", "md"]
                    .contains(&wanted.as_str())
                    .then_some(Format::Pages.name());
            let close = crate::diagnostic::closest(&wanted, Format::ALL.map(Format::name));
            ImportError::UnknownFormat { name: name.to_string(), suggestion: generator.or(close).map(str::to_string) }
        })
    }
}

/// The source files of one import: found under SRC, or SRC itself.
pub(crate) struct Sources<'a> {
    pub files: Vec<PathBuf>,
    /// SRC is one file (its siblings are not imported).
    pub single: bool,
    /// What source paths are relative to: SRC, or its folder for one file.
    pub base: &'a Path,
}

impl Sources<'_> {
    /// The files under `src` that `wanted` accepts; an error names what was
    /// `looked_for` when there are none.
    pub fn find<'a>(
        src: &'a Path,
        wanted: impl Fn(&str) -> bool,
        looked_for: &'static str,
    ) -> Result<Sources<'a>, ImportError> {
        let files = source_files(src, wanted)?;
        if files.is_empty() {
            return Err(ImportError::Empty { path: shown(src), looked_for });
        }
        let single = src.is_file();
        let base = if single { src.parent().unwrap_or(Path::new("")) } else { src };
        Ok(Sources { files, single, base })
    }
}

/// Why an import stopped before writing anything.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// FORMAT is not one of `Format::ALL` (a usage error).
    #[error("unknown import format \"{name}\"{}; known formats: {}", did_you_mean(suggestion), known_formats())]
    UnknownFormat { name: String, suggestion: Option<String> },
    /// SRC (or a folder inside it) could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// SRC holds nothing the format could import.
    #[error("{path}: found no {looked_for} to import")]
    Empty { path: String, looked_for: &'static str },
    /// Problems in the source files: syntax errors, broken inheritance.
    #[error("{}", list_problems(.0))]
    Invalid(Vec<Diagnostic>),
    /// The target folder could not be created.
    #[error("{path}: cannot create the folder: {source}")]
    CreateDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl ImportError {
    /// The exit code the CLI uses: 2 for usage errors, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            ImportError::UnknownFormat { .. } => 2,
            _ => 1,
        }
    }
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion.as_ref().map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default()
}

fn known_formats() -> String {
    Format::ALL.map(Format::name).join(", ")
}

fn list_problems(diags: &[Diagnostic]) -> String {
    let mut out: String = diags.iter().map(|d| format!("{d}\n\n")).collect();
    let n = diags.len();
    out.push_str(&format!("{n} problem{} in the source; nothing was imported", if n == 1 { "" } else { "s" }));
    out
}

/// What one source file became, before it is written.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The source file as shown in messages.
    pub source: String,
    /// The source path relative to SRC, `/`-separated (links between imported files use it).
    pub rel: String,
    /// The persona's name (also in `front_matter`).
    pub name: String,
    /// A file-name candidate from the source file name (`bob/index.md` gives `bob`).
    pub file_stem: String,
    /// Front matter in the order it is written: `name` first.
    pub front_matter: serde_yaml::Mapping,
    /// The Markdown body.
    pub body: String,
    /// `rel` paths of other drafts to list under `related` once their ids are known.
    pub related_sources: Vec<String>,
    pub notes: Notes,
}

/// A source file a reader chose not to import, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub source: String,
    pub reason: SkipReason,
}

/// What a format reader makes of one source file.
#[derive(Debug, Clone)]
pub enum Entry {
    Draft(Box<Draft>),
    Skip(Skip),
}

/// Imports `src` in `format` into the folder `into` of the handbook at `root`.
///
/// Errors (nothing written) when the source cannot be read or parsed; once
/// writing starts, a file that cannot be written is reported in its
/// `FileReport` and the others are still written.
pub fn import(format: Format, src: &Path, root: &Path, into: &Path) -> Result<ImportReport, ImportError> {
    let entries = match format {
        Format::PersonaLibrary => persona_library::read(src)?,
        Format::Pages => pages::read(src)?,
    };
    let target = fit::Target::load(root, into);
    let mut drafts = Vec::new();
    let mut files = Vec::new();
    for entry in entries {
        match entry {
            Entry::Draft(d) => drafts.push(*d),
            Entry::Skip(s) => files.push((s.source.clone(), FileReport::skipped(s.source, s.reason))),
        }
    }
    let names = write::plan_names(&drafts);
    let imported = fit::Imported::new(&drafts, &names, &target);
    std::fs::create_dir_all(into).map_err(|source| ImportError::CreateDir { path: shown(into), source })?;
    let existing = write::existing_names(into);
    for (i, mut draft) in drafts.into_iter().enumerate() {
        let path = into.join(&names[i]);
        let report = if existing.contains(&names[i].to_lowercase()) {
            FileReport::skipped(draft.source, SkipReason::Exists { path: shown(&path) })
        } else {
            let outcome = match fit::fit(&mut draft, i, &target, &imported) {
                Ok(text) => write::create_new(&path, &text),
                Err(why) => Outcome::Failed(why.into()),
            };
            FileReport { source: draft.source, outcome, notes: draft.notes }
        };
        files.push((report.source.clone(), report));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(ImportReport {
        into: shown(into),
        files: files.into_iter().map(|(_, r)| r).collect(),
        notes: target.notes.clone(),
    })
}

/// A path as messages show it: as given, without a leading `./`.
pub(crate) fn shown(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Every file under `src` whose name `wanted` accepts, sorted, hidden and
/// editor temp files left out; or `src` itself when it is a file.
///
/// Not `load::walk`: a source collection is not a handbook, so there is no
/// root to keep links inside (every link is followed, as the user pointed
/// at it), and a folder that cannot be listed stops the import instead of
/// being skipped with a warning.
pub(crate) fn source_files(src: &Path, wanted: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>, ImportError> {
    let meta = std::fs::metadata(src).map_err(|source| ImportError::Read { path: shown(src), source })?;
    if meta.is_file() {
        return Ok(vec![src.to_path_buf()]);
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(src)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::layout::is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().map_or_else(|| shown(src), shown);
            let source = e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("a symbolic link loops back to a parent folder"));
            ImportError::Read { path, source }
        })?;
        if entry.file_type().is_file() && wanted(&entry.file_name().to_string_lossy()) {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// `path` relative to `base`, `/`-separated (the file name when `path` is `base`).
pub(crate) fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).ok().filter(|r| !r.as_os_str().is_empty());
    let rel = rel.unwrap_or_else(|| Path::new(path.file_name().unwrap_or(path.as_os_str())));
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Reads a source file as UTF-8 text; errors name the file and, for bad
/// bytes, the line and column.
pub(crate) fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let display = shown(path);
    let bytes = std::fs::read(path).map_err(|e| {
        let problem =
            crate::problem::InputProblem::CannotRead { file: crate::problem::FileKind::Source, error: e.into() };
        Diagnostic::error(&display, 1, 1, problem)
    })?;
    crate::load::text::decode(&display, bytes).map_err(|(d, _)| d.with_hint("save the file with UTF-8 encoding"))
}

pub(crate) use crate::load::text::line_column;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_unknown_lists_known() {
        assert_eq!(Format::parse("pages").ok(), Some(Format::Pages));
        assert_eq!(Format::parse("Persona-Library").ok(), Some(Format::PersonaLibrary));
        let e = Format::parse("persona-libary").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("did you mean \"persona-library\"?"), "{msg}");
        assert!(msg.contains("known formats: persona-library, pages"), "{msg}");
        assert_eq!(e.exit_code(), 2);
        assert!(Format::parse("Hugo").unwrap_err().to_string().contains("did you mean \"pages\"?"));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative(Path::new("a"), Path::new("a/b/c.json")), "b/c.json");
        assert_eq!(relative(Path::new("a/c.json"), Path::new("a/c.json")), "c.json");
    }
}
