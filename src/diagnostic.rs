//! Problems found in a handbook: one type for every error and warning, with
//! the file, line and column, a hint, and the source line for a snippet.
//!
//! This module only describes and prints problems; it never decides what is
//! wrong (that is the loader's and the resolver's job).

mod style;

pub use style::{Painted, Render, Role, Style, Styled};

use crate::problem::Problem;
use crate::text::plural;
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the handbook root, with `/` separators.
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// What is wrong; its `Display` is the message.
    pub problem: Problem,
    pub hint: Option<String>,
    /// The source line the problem is on, for the snippet (not in JSON).
    pub source_line: Option<String>,
    /// How many characters the caret underlines (at least 1).
    pub width: usize,
}

/// The JSON form `check --format json` prints for editors.
#[derive(Serialize)]
struct Json<'a> {
    severity: Severity,
    code: &'static str,
    path: &'a str,
    line: usize,
    column: usize,
    message: String,
    hint: &'a Option<String>,
}

impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Json {
            severity: self.severity,
            code: self.problem.code(),
            path: &self.path,
            line: self.line,
            column: self.column,
            message: self.message(),
            hint: &self.hint,
        }
        .serialize(s)
    }
}

impl Diagnostic {
    /// An error at `line:column` of `path`.
    pub fn error(path: impl Into<String>, line: usize, column: usize, problem: impl Into<Problem>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: line.max(1),
            column: column.max(1),
            problem: problem.into(),
            hint: None,
            source_line: None,
            width: 1,
        }
    }

    /// A warning at `line:column` of `path`.
    pub fn warning(path: impl Into<String>, line: usize, column: usize, problem: impl Into<Problem>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(path, line, column, problem) }
    }

    /// The message a user reads: the problem's `Display`.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }

    /// Adds a hint, printed under the snippet.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds an optional hint (a "did you mean" that may have found nothing).
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Attaches the source text, so the snippet can show the offending line.
    pub fn with_source(mut self, text: &str, width: usize) -> Self {
        self.source_line = text.lines().nth(self.line - 1).map(|l| l.trim_end_matches('\r').to_string());
        self.width = width.max(1);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Render for Diagnostic {
    /// `path:line:col: error: message`, then the line with a caret, then the hint.
    fn render(&self, f: &mut fmt::Formatter<'_>, style: Style) -> fmt::Result {
        let (role, label) = match self.severity {
            Severity::Error => (Role::Error, "error"),
            Severity::Warning => (Role::Warning, "warning"),
        };
        let (label, message) = (style.paint(role, label), style.paint(Role::Message, &self.problem));
        write!(f, "{}:{}:{}: {label}: {message}", self.path, self.line, self.column)?;
        let gutter = self.line.to_string().len();
        let bar = style.paint(Role::Gutter, "|");
        if let Some(src) = &self.source_line {
            let pad: String = src.chars().take(self.column - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            let (line, caret) = (style.paint(Role::Gutter, self.line), style.paint(role, "^".repeat(self.width)));
            write!(f, "\n{:gutter$} {bar}\n{line} {bar} {src}\n{:gutter$} {bar} {pad}{caret}", "", "")?;
        }
        if let Some(hint) = &self.hint {
            let (eq, label) = (style.paint(Role::Gutter, "="), style.paint(Role::Hint, "hint"));
            write!(f, "\n{:gutter$} {eq} {label}: {hint}", "")?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f, Style::Plain)
    }
}

/// Every problem of a run, in a stable order (by file, then position).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Sorts by path, line, column so output never depends on thread timing.
    pub fn sort(&mut self) {
        self.items.sort_by_cached_key(|d| (d.path.clone(), d.line, d.column, d.message()));
        self.items.dedup();
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl Render for Diagnostics {
    /// Every diagnostic, a blank line after each, then the counts.
    fn render(&self, f: &mut fmt::Formatter<'_>, style: Style) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{}\n", d.styled(style))?;
        }
        let (e, w) = (self.error_count(), self.warning_count());
        write!(f, "{} error{}, {} warning{}", e, plural(e), w, plural(w))
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f, Style::Plain)
    }
}

/// A path relative to `root` with `/` separators, as diagnostics print it.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf());
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The closest candidate to `word` (Jaro-Winkler / Levenshtein), if any is close.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&word_l, &c.to_lowercase());
        let lev = strsim::levenshtein(&word_l, &c.to_lowercase());
        // Short words need a closer match: `date` is not a typo of `age`.
        let max_edits = (word.chars().count() / 3).clamp(1, 3);
        let close = score > 0.88 || lev <= max_edits;
        // Ties go to the smallest word, so the suggestion never depends on
        // the order candidates come in (a hash map's, a thread's).
        if close && best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `did you mean "x"?` for the closest candidate.
///
/// ```
/// use personabook::diagnostic::did_you_mean;
/// assert_eq!(did_you_mean("segmnet", ["segment", "summary"]).as_deref(), Some("did you mean \"segment\"?"));
/// assert_eq!(did_you_mean("date", ["age", "name"]), None);
/// ```
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean \"{c}\"?"))
}
