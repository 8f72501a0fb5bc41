//! Reading the analytics exports `handbook.yaml` lists: each file checked
//! to be inside the handbook, then streamed through the `csv` reader as it
//! comes (a BOM, `#` preamble lines, quoted numbers, totals rows), its
//! rows summed per page (`analytics::url`'s key) into a [`Table`].
//!
//! Only reads and sums; which asset a page is, is the model's question
//! (`model::evidence`). Positions in its diagnostics are the file's own
//! lines, preamble included, and the column of the cell as an editor shows it.

use crate::analytics::url::PageKey;
use crate::analytics::{At, ExportKind, Metrics, Period, Settings, Source};
use crate::config::CONFIG_FILE;
use crate::diagnostic::Diagnostic;
use crate::problem::{AnalyticsProblem, FileKind, InputProblem, ReadError};
mod rows;

use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// Largest analytics export read: 2 GiB (tens of millions of rows).
pub const MAX_ANALYTICS_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Cells reported as not numbers per file; past that the file is refused anyway.
const MAX_CELL_ERRORS: usize = 10;

/// One export, read and summed per page.
#[derive(Debug, Clone)]
pub struct Table {
    /// Index of its entry in `analytics:`.
    pub source: usize,
    /// Path inside the handbook, as `handbook.yaml` gives it.
    pub file: String,
    pub kind: ExportKind,
    /// From `period:`, else the date column, else the export's header lines.
    pub period: Option<Period>,
    /// Data rows read (totals and rows that name no page included).
    pub rows: usize,
    /// Rows that name no page: totals, blank and `(not set)` URLs.
    pub skipped: usize,
    /// One per page, in no particular order.
    pub pages: Pages,
}

/// The pages of one export. Hashed with foldhash: the keys come from the
/// files, but a map's seed is random (keyed per process and map), so rows
/// cannot be written to collide in advance, and a file is at most
/// [`MAX_ANALYTICS_BYTES`]: SipHash's stronger guarantee buys nothing here.
pub type Pages = HashMap<PageKey, PageRow, foldhash::fast::RandomState>;

/// The rows of one page in one export, summed (its key is the map's).
#[derive(Debug, Clone, Default)]
pub struct PageRow {
    pub metrics: Metrics,
    /// Per value of the segment column (blank and `(not set)` left out).
    pub segments: Vec<(String, Metrics)>,
}

/// Reads every export of `settings`, in parallel; problems go to `diags`.
/// A file with an error gives no table (its rows would be wrong).
pub fn read_all(root: &Path, settings: &Settings, diags: &mut Vec<Diagnostic>) -> Vec<Table> {
    if settings.is_unused() {
        return Vec::new();
    }
    let results: Vec<(Option<Table>, Vec<Diagnostic>)> = settings
        .sources
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let mut d = Vec::new();
            let table = read_source(root, i, s, &mut d);
            (table, d)
        })
        .collect();
    let mut tables = Vec::new();
    for (t, d) in results {
        diags.extend(d);
        tables.extend(t);
    }
    check_overlaps(settings, &tables, diags);
    tables
}

/// An error at a setting of `handbook.yaml`.
pub(crate) fn config_error(at: &At, problem: AnalyticsProblem, hint: impl Into<String>) -> Diagnostic {
    let mut d = Diagnostic::error(CONFIG_FILE, at.line, at.column, problem).with_hint(hint);
    d.source_line.clone_from(&at.source_line);
    d.width = at.width.max(1);
    d
}

/// The file of `source`, checked to stay inside the handbook.
fn locate(root: &Path, source: &Source, diags: &mut Vec<Diagnostic>) -> Option<super::walk::Found> {
    let file = &source.file;
    let outside = file.starts_with(['/', '\\'])
        || file.get(1..2) == Some(":")
        || file.split(['/', '\\']).any(|part| part == "..");
    let hint_outside =
        "give a path inside the handbook folder, e.g. `data/ga4-pages.csv`; copy the export in rather than linking it";
    if outside {
        diags.push(config_error(&source.at, AnalyticsProblem::PathOutside { file: file.clone() }, hint_outside));
        return None;
    }
    if !file.to_ascii_lowercase().ends_with(".csv") {
        let hint = "export the report as CSV (comma-separated values)";
        diags.push(config_error(&source.at, AnalyticsProblem::NotCsv { file: file.clone() }, hint));
        return None;
    }
    let path = root.join(file);
    let mut found = Vec::new();
    match super::walk::file(root, &path, &mut found) {
        Some(f) => Some(f),
        None if found
            .iter()
            .any(|d| matches!(d.problem, crate::problem::Problem::Input(InputProblem::LinkOutside { .. }))) =>
        {
            diags.push(config_error(&source.at, AnalyticsProblem::PathOutside { file: file.clone() }, hint_outside));
            None
        }
        None => {
            let hint = "export the report into the handbook (a data/ folder is the convention), or fix the path";
            diags.push(config_error(&source.at, AnalyticsProblem::MissingFile { file: file.clone() }, hint));
            None
        }
    }
}

fn read_source(root: &Path, index: usize, source: &Source, diags: &mut Vec<Diagnostic>) -> Option<Table> {
    let found = locate(root, source, diags)?;
    let cannot = |error: ReadError| {
        Diagnostic::error(&source.file, 1, 1, InputProblem::CannotRead { file: FileKind::Source, error })
    };
    if found.len > MAX_ANALYTICS_BYTES {
        diags.push(cannot(ReadError::TooBig { limit: MAX_ANALYTICS_BYTES }));
        return None;
    }
    let opened = std::fs::File::open(&found.real).map_err(ReadError::from);
    let file = match opened {
        Ok(f) => f,
        Err(e) => {
            diags.push(cannot(e));
            return None;
        }
    };
    let mut reader = rows::Reader { source, path: &found.real, index, diags };
    match reader.read(file) {
        Ok(table) => table,
        Err(e) => {
            reader.diags.push(cannot(ReadError::from(e)));
            None
        }
    }
}

/// Two files of one kind whose periods overlap count the same visits twice.
fn check_overlaps(settings: &Settings, tables: &[Table], diags: &mut Vec<Diagnostic>) {
    for (j, b) in tables.iter().enumerate() {
        let Some(pb) = b.period else { continue };
        let clash = tables[..j].iter().find(|a| a.kind == b.kind && a.period.is_some_and(|pa| pa.overlaps(&pb)));
        if let Some(a) = clash {
            let problem = AnalyticsProblem::OverlappingPeriods {
                file: b.file.clone(),
                period: pb.to_string(),
                other: a.file.clone(),
                other_period: a.period.map(|p| p.to_string()).unwrap_or_default(),
                kind: b.kind.name(),
            };
            let hint = "export each period once: split the exports at the end of a quarter, or remove one of the files";
            diags.push(config_error(&settings.sources[b.source].at, problem, hint));
        }
    }
}
