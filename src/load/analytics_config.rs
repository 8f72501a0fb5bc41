//! Reading the `analytics:` and `stale_after_days:` settings of
//! `handbook.yaml` into `analytics::Settings`, each problem at its line.
//! The files themselves are read by `load::analytics`.

use super::yaml::{scalar_text, Fields, Pos};
use crate::analytics::{At, Field, Mapped, Period, Settings, Source};
use crate::config::MAX_REVIEW_INTERVAL_DAYS;
use crate::diagnostic::did_you_mean;
use crate::problem::{AnalyticsProblem, InputProblem};

/// The keys of one entry of `analytics`.
pub const SOURCE_KEYS: &[&str] = &["file", "period", "columns"];

const PERIOD_HINT: &str =
    "e.g. `period: 2026-07-01..2026-09-30`; leave it out to take it from a date column or the export's header lines";

/// Reads both settings from the top level of `handbook.yaml`.
pub fn read(f: &mut Fields<'_>, settings: &mut Settings) {
    if let Some(days) = f.integer_in(
        "stale_after_days",
        1..=MAX_REVIEW_INTERVAL_DAYS,
        |_| InputProblem::OutOfRange { key: "stale_after_days".into(), min: 1, max: MAX_REVIEW_INTERVAL_DAYS },
        "a number of days, e.g. `stale_after_days: 365`",
    ) {
        settings.stale_after_days = days;
    }
    if f.get("analytics").is_none() {
        return;
    }
    // Each entry's values are looked for from the line of the one before,
    // so two entries that share a header name point at their own lines.
    let mut from_line = f.key_pos("analytics").line;
    for m in f.mappings("analytics") {
        let text = f.loc.text;
        let find = |value: &str, from: usize| find_from(text, from, value);
        let mut s = f.nested("analytics", m);
        let Some(file) = s.text("file").map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) else {
            let pos = s.key_pos("file");
            s.error_at(pos, AnalyticsProblem::NoFile, "e.g. `- file: data/ga4-pages-2026-q3.csv`");
            continue;
        };
        let file_at = find(&file, from_line).unwrap_or_else(|| at_pos(text, s.value_pos("file", &file)));
        from_line = file_at.line;
        let period = match s.text("period") {
            Some(p) => {
                let parsed = Period::parse(&p);
                if parsed.is_none() {
                    let at = find(p.trim(), from_line).unwrap_or_else(|| at_pos(text, s.value_pos("period", p.trim())));
                    let problem = AnalyticsProblem::BadPeriod { text: p.trim().to_string() };
                    s.diags.push(super::analytics::config_error(&at, problem, PERIOD_HINT));
                }
                parsed
            }
            None => None,
        };
        let columns = match s.mapping("columns") {
            Some(map) => read_columns(&mut s, map, &|v| find(v, from_line)),
            None => Vec::new(),
        };
        s.extra(SOURCE_KEYS);
        settings.sources.push(Source { file, period, columns, at: file_at });
    }
}

/// Where `value` first appears in `text` at or after line `from` (1-based).
fn find_from(text: &str, from: usize, value: &str) -> Option<At> {
    if value.is_empty() {
        return None;
    }
    text.lines().enumerate().skip(from.saturating_sub(1)).find_map(|(i, line)| {
        let col = line.find(value)?;
        Some(At {
            line: i + 1,
            column: line[..col].chars().count() + 1,
            width: value.chars().count(),
            source_line: Some(line.to_string()),
        })
    })
}

fn at_pos(text: &str, pos: Pos) -> At {
    At {
        line: pos.line,
        column: pos.column,
        width: pos.width,
        source_line: text.lines().nth(pos.line.saturating_sub(1)).map(str::to_string),
    }
}

/// `columns: {url: "Content URL", views: "Page views"}`.
fn read_columns(s: &mut Fields<'_>, map: serde_yaml::Mapping, find: &dyn Fn(&str) -> Option<At>) -> Vec<Mapped> {
    let mut out = Vec::new();
    let words: Vec<&str> = Field::ALL.iter().map(|f| f.word()).collect();
    for (k, v) in map {
        let key = scalar_text(&k).unwrap_or_default();
        let Some(field) = Field::from_word(&key) else {
            let hint = did_you_mean(&key, words.iter().copied())
                .unwrap_or_else(|| format!("the fields are {}", words.join(", ")));
            let at = find(&key).unwrap_or_else(|| at_pos(s.loc.text, s.value_pos("columns", &key)));
            s.diags.push(super::analytics::config_error(&at, AnalyticsProblem::UnknownField { key }, hint));
            continue;
        };
        let Some(header) = scalar_text(&v).filter(|h| !h.trim().is_empty()) else {
            let pos = s.value_pos("columns", &key);
            let problem = InputProblem::WrongType {
                key: format!("analytics.columns.{key}"),
                expected: crate::problem::Expected::Text,
                found: super::yaml::kind(&v),
            };
            s.error_at(
                pos,
                problem,
                "write the column's name as the header row spells it, e.g. `views: \"Page views\"`",
            );
            continue;
        };
        let at = find(&header).unwrap_or_else(|| at_pos(s.loc.text, s.value_pos("columns", &header)));
        out.push(Mapped { field, header, at });
    }
    out
}
