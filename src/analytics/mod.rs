//! Analytics exports: the plain data they become and the pure rules that
//! read them, shared by the loader (which reads the CSV files), the config
//! (the `analytics:` settings) and the model (which joins rows to assets).
//!
//! Reads nothing and decides nothing about assets: `url` says which page a
//! URL is, `number` what a cell's number is, `shapes` which export a
//! header row comes from.

pub mod number;
pub mod shapes;
pub mod url;

use serde::Serialize;
use std::fmt;

/// What a column of an export says. `Url` and the metrics are summed per
/// page; `Date` gives the file its period; `Segment` is a persona or
/// audience dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Url,
    Views,
    Sessions,
    Users,
    Conversions,
    Revenue,
    Date,
    Segment,
}

impl Field {
    /// Every field, in the order the docs list them.
    pub const ALL: [Field; 8] = [
        Field::Url,
        Field::Views,
        Field::Sessions,
        Field::Users,
        Field::Conversions,
        Field::Revenue,
        Field::Date,
        Field::Segment,
    ];

    /// The word `columns:` and the generic header use (`views`).
    pub fn word(self) -> &'static str {
        match self {
            Field::Url => "url",
            Field::Views => "views",
            Field::Sessions => "sessions",
            Field::Users => "users",
            Field::Conversions => "conversions",
            Field::Revenue => "revenue",
            Field::Date => "date",
            Field::Segment => "segment",
        }
    }

    /// The field named by `word` (case-insensitive).
    pub fn from_word(word: &str) -> Option<Field> {
        let word = word.trim();
        Field::ALL.into_iter().find(|f| f.word().eq_ignore_ascii_case(word))
    }

    /// Whether the column holds a number that is summed.
    pub fn is_metric(self) -> bool {
        !matches!(self, Field::Url | Field::Date | Field::Segment)
    }
}

/// The numbers of one page, one asset, one cell: sums over rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub views: f64,
    pub sessions: f64,
    pub users: f64,
    pub conversions: f64,
    pub revenue: f64,
}

impl Metrics {
    /// Adds `other` field by field.
    pub fn add(&mut self, other: &Metrics) {
        self.views += other.views;
        self.sessions += other.sessions;
        self.users += other.users;
        self.conversions += other.conversions;
        self.revenue += other.revenue;
    }

    /// The slot of a metric field (`None` for url, date, segment).
    pub fn slot(&mut self, field: Field) -> Option<&mut f64> {
        match field {
            Field::Views => Some(&mut self.views),
            Field::Sessions => Some(&mut self.sessions),
            Field::Users => Some(&mut self.users),
            Field::Conversions => Some(&mut self.conversions),
            Field::Revenue => Some(&mut self.revenue),
            Field::Url | Field::Date | Field::Segment => None,
        }
    }

    /// The visits a conversion rate divides by: views, or sessions when an
    /// export counts no views (a landing-page report).
    pub fn visits(&self) -> f64 {
        if self.views > 0.0 {
            self.views
        } else {
            self.sessions
        }
    }

    /// Conversions per visit, `None` without visits.
    pub fn rate(&self) -> Option<f64> {
        let visits = self.visits();
        (visits > 0.0).then(|| self.conversions / visits)
    }

    /// Whether every number is zero (a page with rows that count nothing).
    pub fn is_zero(&self) -> bool {
        *self == Metrics::default()
    }
}

/// A reporting period, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub start: jiff::civil::Date,
    pub end: jiff::civil::Date,
}

impl Period {
    /// `2026-07-01..2026-09-30`; `None` when it is not two dates in order.
    pub fn parse(text: &str) -> Option<Period> {
        let (a, b) = text.trim().split_once("..")?;
        let start: jiff::civil::Date = a.trim().parse().ok()?;
        let end: jiff::civil::Date = b.trim().parse().ok()?;
        (start <= end).then_some(Period { start, end })
    }

    /// Whether the two periods share a day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The smallest period holding both.
    pub fn span(&self, other: &Period) -> Period {
        Period { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Which export a file is, from its header row (see `shapes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportKind {
    Ga4Pages,
    Ga4Landing,
    SearchConsolePages,
    HubspotContent,
    HubspotAttribution,
    Generic,
}

impl ExportKind {
    /// The report's name as its tool shows it.
    pub fn name(self) -> &'static str {
        match self {
            ExportKind::Ga4Pages => "GA4 Pages and screens",
            ExportKind::Ga4Landing => "GA4 Landing page",
            ExportKind::SearchConsolePages => "Search Console Pages",
            ExportKind::HubspotContent => "HubSpot content analytics",
            ExportKind::HubspotAttribution => "HubSpot attribution",
            ExportKind::Generic => "generic",
        }
    }
}

/// Where a setting is in `handbook.yaml`, kept with it so a problem found
/// later (a mapped column the CSV header lacks) still points at its line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct At {
    pub line: usize,
    pub column: usize,
    pub width: usize,
    /// The line itself, for the snippet.
    pub source_line: Option<String>,
}

/// The `analytics:` and `stale_after_days:` settings.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub sources: Vec<Source>,
    /// Content published longer ago than this and losing traffic is stale.
    pub stale_after_days: i64,
}

/// Default of `stale_after_days`.
pub const STALE_AFTER_DAYS: i64 = 365;

impl Default for Settings {
    fn default() -> Self {
        Settings { sources: Vec::new(), stale_after_days: STALE_AFTER_DAYS }
    }
}

impl Settings {
    /// No `analytics:` at all: the site looks as it does without the feature.
    pub fn is_unused(&self) -> bool {
        self.sources.is_empty()
    }
}

/// One entry of `analytics:`.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// Path inside the handbook, `/`-separated.
    pub file: String,
    /// The period written in `handbook.yaml`, if any.
    pub period: Option<Period>,
    /// `columns:`: which header names hold which field.
    pub columns: Vec<Mapped>,
    #[serde(skip)]
    pub at: At,
}

/// One entry of `columns:`.
#[derive(Debug, Clone, Serialize)]
pub struct Mapped {
    pub field: Field,
    pub header: String,
    #[serde(skip)]
    pub at: At,
}
