//! Problems found in analytics exports and their `analytics:` settings:
//! see [`super`]. Names the problems and prints them; finding them is
//! the loader's job (`load::analytics`, `load::analytics_config`).

use std::fmt;

/// A problem with an analytics export or its settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalyticsProblem {
    /// An entry of `analytics:` without `file:`.
    NoFile,
    /// `file:` leaves the handbook (`..`, an absolute path, a link out).
    PathOutside { file: String },
    /// `file:` names no file.
    MissingFile { file: String },
    /// `file:` names something that is not a `.csv` file.
    NotCsv { file: String },
    /// `period:` is not `YYYY-MM-DD..YYYY-MM-DD` in order.
    BadPeriod { text: String },
    /// A key of `columns:` that is no field.
    UnknownField { key: String },
    /// A mapped column the header does not have.
    UnknownColumn { header: String, field: &'static str, file: String },
    /// The file has no header row.
    NoHeader { file: String },
    /// No column names the page, and none is mapped.
    NoUrlColumn { file: String },
    /// A metric cell that is not a number.
    NotANumber { column: String, text: String },
    /// A date cell that is not a date.
    BadDate { column: String, text: String },
    /// The CSV itself is broken (an unclosed quote, bad bytes); `error` is the reader's.
    Csv { error: String },
    /// A row with another number of cells than the header: a second table follows.
    TableEnds { file: String, cells: usize, header: usize },
    /// Two files of one kind whose periods overlap: their rows would count twice.
    OverlappingPeriods { file: String, period: String, other: String, other_period: String, kind: &'static str },
}

/// Every code of this file's kinds.
pub(super) const CODES: &[&str] = &[
    "analytics-no-file",
    "analytics-path",
    "analytics-missing-file",
    "analytics-period",
    "analytics-unknown-field",
    "analytics-unknown-column",
    "analytics-no-header",
    "analytics-not-a-number",
    "analytics-bad-date",
    "analytics-csv",
    "analytics-overlap",
    "analytics-table-ends",
];

impl AnalyticsProblem {
    pub fn code(&self) -> &'static str {
        use AnalyticsProblem::*;
        match self {
            NoFile => "analytics-no-file",
            PathOutside { .. } | NotCsv { .. } => "analytics-path",
            MissingFile { .. } => "analytics-missing-file",
            BadPeriod { .. } => "analytics-period",
            UnknownField { .. } => "analytics-unknown-field",
            UnknownColumn { .. } => "analytics-unknown-column",
            NoHeader { .. } | NoUrlColumn { .. } => "analytics-no-header",
            NotANumber { .. } => "analytics-not-a-number",
            BadDate { .. } => "analytics-bad-date",
            Csv { .. } => "analytics-csv",
            OverlappingPeriods { .. } => "analytics-overlap",
            TableEnds { .. } => "analytics-table-ends",
        }
    }
}

impl fmt::Display for AnalyticsProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use AnalyticsProblem::*;
        match self {
            NoFile => write!(f, "an `analytics` entry needs a `file`"),
            PathOutside { file } => write!(f, "analytics file `{file}` is outside the handbook"),
            MissingFile { file } => write!(f, "analytics file `{file}` does not exist"),
            NotCsv { file } => write!(f, "analytics file `{file}` is not a .csv file"),
            BadPeriod { text } => {
                write!(f, "`period` must be two dates, `YYYY-MM-DD..YYYY-MM-DD`, the first not after the second; found `{text}`")
            }
            UnknownField { key } => write!(f, "`columns` names no field `{key}`"),
            UnknownColumn { header, field, file } => {
                write!(f, "column `{header}` (mapped to `{field}`) is not in the header of {file}")
            }
            NoHeader { file } => write!(f, "{file} has no header row"),
            NoUrlColumn { file } => write!(f, "{file} has no page URL column personabook knows"),
            NotANumber { column, text } => write!(f, "`{column}` must be a number, found `{text}`"),
            BadDate { column, text } => write!(f, "`{column}` must be a date (YYYY-MM-DD or YYYYMMDD), found `{text}`"),
            Csv { error } => write!(f, "this CSV cannot be read: {error}"),
            TableEnds { file, cells, header } => {
                write!(f, "the table of {file} ends here: this row has {cells} cells, its header {header}")
            }
            OverlappingPeriods { file, period, other, other_period, kind } => write!(
                f,
                "{file} ({period}) overlaps {other} ({other_period}), another {kind} export: their rows would be counted twice"
            ),
        }
    }
}
