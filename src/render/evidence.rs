//! What the pages show of the joined analytics (`model::evidence`): the
//! figures as text, an asset's metrics per period with a small trend, a
//! persona's "what works" per stage, and the content map's heat. Views
//! only; the insights page and `personalization.json` are `insights`.

use super::view::{AssetItem, Link};
use super::Renderer;
use crate::analytics::{Metrics, Period};
use crate::model::evidence::{AssetEvidence, Evidence, FormatFigures, StageWorks};
use crate::model::site_path::Kind;
use serde::Serialize;

/// A count with thousands separators (`12,345`); decimals only when the
/// figure has them (GA4 counts fractional key events).
pub fn count(v: f64) -> String {
    let whole = v.round();
    let (digits, frac) = if (v - whole).abs() < 0.005 {
        (format!("{:.0}", whole.abs()), String::new())
    } else {
        let s = format!("{:.2}", v.abs());
        let (i, f) = s.split_once('.').unwrap_or((&s, ""));
        (i.to_string(), format!(".{f}"))
    };
    let mut out = String::with_capacity(digits.len() + 4);
    if v < 0.0 && digits != "0" {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out + &frac
}

/// A conversion rate as a percentage (`2.9%`), `–` without visits.
pub fn rate(m: &Metrics) -> String {
    m.rate().map_or_else(|| "–".to_string(), |r| format!("{:.1}%", r * 100.0))
}

/// A period as the pages write it.
pub fn period_text(p: Option<Period>) -> String {
    p.map_or_else(|| "no period given".to_string(), |p| format!("{} to {}", p.start, p.end))
}

/// One set of figures as text.
#[derive(Debug, Serialize)]
pub struct Figures {
    pub views: String,
    pub sessions: String,
    pub conversions: String,
    pub revenue: String,
    pub rate: String,
    pub has_revenue: bool,
}

impl Figures {
    pub fn of(m: &Metrics) -> Figures {
        Figures {
            views: count(m.views),
            sessions: count(m.sessions),
            conversions: count(m.conversions),
            revenue: count(m.revenue),
            rate: rate(m),
            has_revenue: m.revenue != 0.0,
        }
    }
}

/// An asset's analytics on its page.
#[derive(Debug, Serialize)]
pub struct AssetMetricsView {
    pub total: Figures,
    pub periods: Vec<PeriodRow>,
    /// The visits trend, when there are several periods.
    pub trend: Option<Trend>,
    pub segments: Vec<SegmentRow>,
    pub page: Option<String>,
    pub insights_href: String,
}

#[derive(Debug, Serialize)]
pub struct PeriodRow {
    pub period: String,
    pub figures: Figures,
    pub files: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct SegmentRow {
    pub segment: String,
    pub visits: String,
    pub share: u32,
}

/// A small line chart of visits per period: SVG points in a 120 x 32 box.
#[derive(Debug, Serialize)]
pub struct Trend {
    pub points: String,
    pub label: String,
    pub dots: Vec<Dot>,
}

/// A point of the trend line.
#[derive(Debug, Serialize)]
pub struct Dot {
    pub x: u32,
    pub y: u32,
}

const TREND_W: f64 = 120.0;
const TREND_H: f64 = 32.0;

fn trend(a: &AssetEvidence) -> Option<Trend> {
    if a.periods.len() < 2 {
        return None;
    }
    let values: Vec<f64> = a.periods.iter().map(|p| p.metrics.visits()).collect();
    let max = values.iter().copied().fold(0.0, f64::max).max(1.0);
    let step = TREND_W / (values.len() - 1) as f64;
    let dots: Vec<Dot> = values
        .iter()
        .enumerate()
        .map(|(i, v)| Dot {
            x: (i as f64 * step).round() as u32,
            y: (TREND_H - 2.0 - v / max * (TREND_H - 4.0)).round() as u32,
        })
        .collect();
    let points = dots.iter().map(|d| format!("{},{}", d.x, d.y)).collect::<Vec<_>>().join(" ");
    let label = format!(
        "Visits per period: {}",
        a.periods
            .iter()
            .map(|p| format!("{} in {}", count(p.metrics.visits()), period_text(p.period)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Some(Trend { points, label, dots })
}

/// One stage of a persona's "what works".
#[derive(Debug, Serialize)]
pub struct WorksStage<'a> {
    pub stage: &'a str,
    pub by_rate: Vec<RankedAsset<'a>>,
    pub by_volume: Vec<RankedAsset<'a>>,
    pub formats: Vec<FormatRow<'a>>,
    pub asked: Vec<Link<'a>>,
    pub converting: Vec<Link<'a>>,
    /// Formats asked for that convert nothing here.
    pub asked_not_converting: Vec<&'a str>,
    pub has_data: bool,
}

#[derive(Debug, Serialize)]
pub struct RankedAsset<'a> {
    pub item: AssetItem<'a>,
    pub figures: Figures,
}

#[derive(Debug, Serialize)]
pub struct FormatRow<'a> {
    pub format: Link<'a>,
    pub assets: usize,
    pub figures: Figures,
}

/// A persona's "what works", on its profile and its journey map.
#[derive(Debug, Serialize)]
pub struct PersonaEvidenceView<'a> {
    pub period: String,
    pub stages: Vec<WorksStage<'a>>,
    pub insights_href: String,
}

impl<'a> Renderer<'a> {
    pub(super) fn evidence(&self) -> Option<&'a Evidence> {
        self.hb.evidence.as_ref()
    }

    /// The asset's figures for its page.
    pub(super) fn asset_metrics(&self, root: &str, i: usize) -> Option<AssetMetricsView> {
        let a = &self.evidence()?.assets[i];
        let segmented: f64 = a.segments.iter().map(|(_, m)| m.visits()).sum();
        Some(AssetMetricsView {
            total: Figures::of(&a.total),
            periods: a
                .periods
                .iter()
                .map(|p| PeriodRow {
                    period: period_text(p.period),
                    figures: Figures::of(&p.metrics),
                    files: p.files.clone(),
                })
                .collect(),
            trend: trend(a),
            segments: a
                .segments
                .iter()
                .map(|(s, m)| SegmentRow {
                    segment: s.clone(),
                    visits: count(m.visits()),
                    share: super::view::percent(if segmented > 0.0 { m.visits() / segmented } else { 0.0 }),
                })
                .collect(),
            page: a.key.as_ref().map(crate::analytics::url::PageKey::label),
            insights_href: super::url::href(root, &super::url::section_dir(crate::model::site_path::INSIGHTS)),
        })
    }

    pub(super) fn format_rows(&self, root: &str, formats: &'a [FormatFigures]) -> Vec<FormatRow<'a>> {
        formats
            .iter()
            .map(|f| FormatRow {
                format: self.term_link(root, Kind::Format, &f.format),
                assets: f.assets,
                figures: Figures::of(&f.metrics),
            })
            .collect()
    }

    pub(super) fn ranked(&self, root: &str, list: &[usize]) -> Vec<RankedAsset<'a>> {
        let ev = self.hb.evidence.as_ref();
        list.iter()
            .map(|&ai| RankedAsset {
                item: self.asset_item(root, ai),
                figures: Figures::of(&ev.map(|e| e.assets[ai].total).unwrap_or_default()),
            })
            .collect()
    }

    fn works_stage(&self, root: &str, si: usize, w: &'a StageWorks) -> WorksStage<'a> {
        let asked_not_converting = w.asked.iter().filter(|f| !w.converting.contains(f)).map(String::as_str).collect();
        WorksStage {
            stage: &self.hb.config.stages[si].name,
            by_rate: self.ranked(root, &w.by_rate),
            by_volume: self.ranked(root, &w.by_volume),
            formats: self.format_rows(root, &w.formats),
            asked: w.asked.iter().map(|f| self.term_link(root, Kind::Format, f)).collect(),
            converting: w.converting.iter().map(|f| self.term_link(root, Kind::Format, f)).collect(),
            asked_not_converting,
            has_data: !w.by_volume.is_empty(),
        }
    }

    /// What works for persona `i`, per stage.
    pub(super) fn persona_evidence(&self, root: &str, i: usize) -> Option<PersonaEvidenceView<'a>> {
        let ev = self.evidence()?;
        let stages = ev.personas[i].iter().enumerate().map(|(si, w)| self.works_stage(root, si, w)).collect();
        Some(PersonaEvidenceView {
            period: period_text(ev.period),
            stages,
            insights_href: super::url::href(root, &super::url::section_dir(crate::model::site_path::INSIGHTS)),
        })
    }
}

/// One cell of the heat map: each measure's value, level (0..=4) and label.
#[derive(Debug, Serialize)]
pub struct HeatCell {
    pub measures: Vec<HeatMeasure>,
    /// The level of the count, drawn without JavaScript.
    pub level: u8,
}

#[derive(Debug, Serialize)]
pub struct HeatMeasure {
    pub key: &'static str,
    pub text: String,
    pub level: u8,
}

/// The heat map's legend and switch.
#[derive(Debug, Serialize)]
pub struct HeatMap {
    pub period: String,
    pub measures: Vec<Measure>,
}

/// One measure of the switch: its key, its name, its largest cell as text.
#[derive(Debug, Serialize)]
pub struct Measure {
    pub key: &'static str,
    pub name: &'static str,
    pub largest: String,
}

/// The measures the switch offers, in order.
pub const MEASURES: [(&str, &str); 4] =
    [("count", "Assets"), ("views", "Views"), ("conversions", "Conversions"), ("rate", "Conversion rate")];

fn level(v: f64, max: f64) -> u8 {
    if v <= 0.0 || max <= 0.0 {
        0
    } else {
        ((v / max * 4.0).ceil() as u8).clamp(1, 4)
    }
}

/// The heat of every content-map cell, and the legend.
pub fn heat(ev: &Evidence, counts: &[Vec<usize>]) -> (Vec<Vec<HeatCell>>, HeatMap) {
    let value = |m: &Metrics, c: usize, key: &str| match key {
        "count" => c as f64,
        "views" => m.views,
        "conversions" => m.conversions,
        _ => m.rate().unwrap_or(0.0),
    };
    let cells_of = || ev.cells.iter().zip(counts).flat_map(|(r, c)| r.iter().zip(c.iter().copied()));
    let max: Vec<f64> =
        MEASURES.iter().map(|(k, _)| cells_of().map(|(m, c)| value(m, c, k)).fold(0.0, f64::max)).collect();
    let text = |m: &Metrics, c: usize, key: &str| match key {
        "count" => c.to_string(),
        "views" => count(m.views),
        "conversions" => count(m.conversions),
        _ => rate(m),
    };
    let cells = ev
        .cells
        .iter()
        .zip(counts)
        .map(|(row, c)| {
            row.iter()
                .zip(c.iter().copied())
                .map(|(m, n)| {
                    let measures: Vec<HeatMeasure> = MEASURES
                        .iter()
                        .zip(&max)
                        .map(|((k, _), &mx)| HeatMeasure {
                            key: k,
                            text: text(m, n, k),
                            level: level(value(m, n, k), mx),
                        })
                        .collect();
                    HeatCell { level: measures[0].level, measures }
                })
                .collect()
        })
        .collect();
    let measures = MEASURES
        .iter()
        .zip(&max)
        .map(|((k, name), &mx)| {
            let largest = match *k {
                "count" => count(mx),
                "rate" => format!("{:.1}%", mx * 100.0),
                _ => count(mx),
            };
            Measure { key: k, name, largest }
        })
        .collect();
    (cells, HeatMap { period: period_text(ev.period), measures })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_people_read_them() {
        assert_eq!(count(0.0), "0");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(1234.0), "1,234");
        assert_eq!(count(1_234_567.0), "1,234,567");
        assert_eq!(count(12.5), "12.50");
        assert_eq!(count(-1200.0), "-1,200");
    }

    #[test]
    fn levels_split_the_range_in_four() {
        assert_eq!(level(0.0, 10.0), 0);
        assert_eq!(level(1.0, 10.0), 1);
        assert_eq!(level(5.0, 10.0), 2);
        assert_eq!(level(10.0, 10.0), 4);
    }
}
