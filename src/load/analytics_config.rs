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
    for m in f.mappings("analytics") {
        let text = f.loc.text;
        let at = |pos: Pos| At {
            line: pos.line,
            column: pos.column,
            width: pos.width,
            source_line: text.lines().nth(pos.line.saturating_sub(1)).map(str::to_string),
        };
        let mut s = f.nested("analytics", m);
        let Some(file) = s.text("file").map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) else {
            let pos = s.key_pos("file");
            s.error_at(pos, AnalyticsProblem::NoFile, "e.g. `- file: data/ga4-pages-2026-q3.csv`");
            continue;
        };
        let file_at = at(s.value_pos("file", &file));
        let period = match s.text("period") {
            Some(p) => {
                let parsed = Period::parse(&p);
                if parsed.is_none() {
                    let pos = s.value_pos("period", p.trim());
                    s.error_at(pos, AnalyticsProblem::BadPeriod { text: p.trim().to_string() }, PERIOD_HINT);
                }
                parsed
            }
            None => None,
        };
        let columns = match s.mapping("columns") {
            Some(map) => read_columns(&mut s, map, &at),
            None => Vec::new(),
        };
        s.extra(SOURCE_KEYS);
        settings.sources.push(Source { file, period, columns, at: file_at });
    }
}

/// `columns: {url: "Content URL", views: "Page views"}`.
fn read_columns(s: &mut Fields<'_>, map: serde_yaml::Mapping, at: &dyn Fn(Pos) -> At) -> Vec<Mapped> {
    let mut out = Vec::new();
    let words: Vec<&str> = Field::ALL.iter().map(|f| f.word()).collect();
    for (k, v) in map {
        let key = scalar_text(&k).unwrap_or_default();
        let Some(field) = Field::from_word(&key) else {
            let pos = s.value_pos("columns", &key);
            let hint = did_you_mean(&key, words.iter().copied())
                .unwrap_or_else(|| format!("the fields are {}", words.join(", ")));
            s.error_at(pos, AnalyticsProblem::UnknownField { key }, &hint);
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
        let pos = s.value_pos("columns", &header);
        out.push(Mapped { field, header, at: at(pos) });
    }
    out
}
