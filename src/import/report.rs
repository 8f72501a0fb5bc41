//! What an import did, per source file, and how it is printed: what was
//! mapped, what was kept under `extra`, what could not be mapped.

use super::fit::FitError;
use std::fmt;

/// What the mapping of one file found, in words for the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notes {
    /// `source field -> persona field` lines.
    pub mapped: Vec<String>,
    /// Keys kept in the front matter that personabook does not know (they become `extra`).
    pub kept: Vec<String>,
    /// What could not be mapped, and why.
    pub unmapped: Vec<String>,
    /// Anything else worth knowing (inheritance, renamed links).
    pub info: Vec<String>,
}

impl Notes {
    pub fn mapped(&mut self, line: impl Into<String>) {
        self.mapped.push(line.into());
    }
    pub fn kept(&mut self, key: impl Into<String>) {
        self.kept.push(key.into());
    }
    pub fn unmapped(&mut self, line: impl Into<String>) {
        self.unmapped.push(line.into());
    }
    pub fn info(&mut self, line: impl Into<String>) {
        self.info.push(line.into());
    }
}

/// What happened to one source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written to this path.
    Written(String),
    /// Left alone, for this reason (an existing file, not a persona, ...).
    Skipped(SkipReason),
    /// Could not be written, for this reason.
    Failed(Failure),
}

/// Why a source file was left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// The file it would become exists: an import never overwrites.
    Exists { path: String },
    /// A section list page (`_index.md`).
    SectionPage,
    /// The source folder's own `index` page.
    FolderIndex,
    /// README, CHANGELOG, CONTRIBUTING, LICENSE.
    RepositoryDocs,
    /// A JSON file holding `holds` ("a list", "null", ...), not an object.
    NotAnObject { holds: &'static str },
    /// A JSON object with neither `id` nor `label`.
    NoIdOrLabel,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Exists { path } => write!(f, "{path} already exists (never overwritten)"),
            SkipReason::SectionPage => f.write_str("a section list page (`_index`), not a persona"),
            SkipReason::FolderIndex => {
                f.write_str("the source folder's own index page, not a persona (import the file itself to include it)")
            }
            SkipReason::RepositoryDocs => f.write_str("repository documentation, not a persona"),
            SkipReason::NotAnObject { holds } => write!(f, "not a persona: the file holds {holds}, not a JSON object"),
            SkipReason::NoIdOrLabel => f.write_str("not a persona: it has neither an `id` nor a `label`"),
        }
    }
}

/// Why a file was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The draft cannot be made to pass `check`.
    Fit(FitError),
    /// The new file could not be created.
    Create { path: String, error: String },
    /// The new file could not be written (it was removed again).
    Write { path: String, error: String },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Fit(e) => e.fmt(f),
            Failure::Create { path, error } => write!(f, "cannot create {path}: {error}"),
            Failure::Write { path, error } => write!(f, "cannot write {path}: {error}"),
        }
    }
}

impl From<FitError> for Failure {
    fn from(e: FitError) -> Self {
        Failure::Fit(e)
    }
}

/// One source file's line in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    pub source: String,
    pub outcome: Outcome,
    pub notes: Notes,
}

impl FileReport {
    pub fn skipped(source: String, reason: SkipReason) -> Self {
        FileReport { source, outcome: Outcome::Skipped(reason), notes: Notes::default() }
    }
}

/// The whole import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The target folder as shown.
    pub into: String,
    /// One entry per source file, sorted by source path.
    pub files: Vec<FileReport>,
    /// Notes about the import as a whole (e.g. where the target folder is).
    pub notes: Vec<String>,
}

impl ImportReport {
    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.files.iter().filter(|r| f(&r.outcome)).count()
    }

    pub fn written(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Written(_)))
    }

    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped(_)))
    }

    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failed(_)))
    }

    /// The one-line summary printed last.
    pub fn summary(&self) -> String {
        let n = self.written();
        let mut s = format!("imported {n} persona{} into {}", if n == 1 { "" } else { "s" }, self.into);
        if self.skipped() > 0 {
            s.push_str(&format!(", skipped {}", self.skipped()));
        }
        if self.failed() > 0 {
            s.push_str(&format!(", {} failed", self.failed()));
        }
        s
    }
}

impl fmt::Display for FileReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            Outcome::Written(path) => write!(f, "{} -> {path}", self.source)?,
            Outcome::Skipped(why) => write!(f, "{}: skipped: {why}", self.source)?,
            Outcome::Failed(why) => write!(f, "{}: failed: {why}", self.source)?,
        }
        let n = &self.notes;
        for (label, items, sep) in
            [("mapped", &n.mapped, "; "), ("kept under extra", &n.kept, ", "), ("could not map", &n.unmapped, "; ")]
        {
            if !items.is_empty() {
                write!(f, "\n  {label}: {}", items.join(sep))?;
            }
        }
        for line in &n.info {
            write!(f, "\n  note: {line}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        for file in &self.files {
            writeln!(f, "{file}")?;
        }
        write!(f, "{}", self.summary())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_each_file_and_a_summary() {
        let mut notes = Notes::default();
        notes.mapped("label -> name");
        notes.unmapped("segment `*` (any segment)");
        let report = ImportReport {
            into: "content/personas".into(),
            files: vec![
                FileReport {
                    source: "a.json".into(),
                    outcome: Outcome::Written("content/personas/a.md".into()),
                    notes,
                },
                FileReport::skipped("b.json".into(), SkipReason::Exists { path: "content/personas/b.md".into() }),
            ],
            notes: vec![],
        };
        let text = report.to_string();
        assert!(
            text.starts_with("a.json -> content/personas/a.md\n  mapped: label -> name\n  could not map: segment"),
            "{text}"
        );
        assert!(text.contains("b.json: skipped: content/personas/b.md already exists (never overwritten)"), "{text}");
        assert!(text.ends_with("imported 1 persona into content/personas, skipped 1"), "{text}");
    }
}
