//! The insights page's findings: formats ranked by conversion rate, the
//! best and worst assets, stale content, assets with no rows, and assets
//! whose observed audience is not the one they declare.

use super::works::{formats_of, FormatFigures};
use super::{by_rate, AssetEvidence};
use crate::analytics::Period;
use crate::model::Handbook;
use serde::Serialize;

/// How many assets the best and the worst lists show.
pub const BEST_WORST: usize = 5;
/// Share of an asset's segmented visits that makes a segment its audience.
pub const DOMINANT_SHARE: f64 = 0.5;

/// What the insights page shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Insights {
    pub formats: Vec<FormatFigures>,
    /// Per stage (configured order).
    pub formats_by_stage: Vec<Vec<FormatFigures>>,
    pub best: Vec<usize>,
    pub worst: Vec<usize>,
    pub stale: Vec<Stale>,
    /// Assets no export has a row for.
    pub no_rows: Vec<usize>,
    pub audience: Vec<AudienceGap>,
}

/// An old asset that is losing or lacks traffic.
#[derive(Debug, Clone, Serialize)]
pub struct Stale {
    pub asset: usize,
    /// Days since it was published.
    pub age_days: i64,
    pub reason: StaleReason,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StaleReason {
    /// Fewer visits in the last period than in the one before.
    Falling { from: f64, to: f64, period: Option<Period> },
    /// Its visits are in the bottom quartile of the assets with rows.
    BottomQuartile { visits: f64, quartile: f64 },
}

/// An asset whose traffic comes mostly from a segment it does not declare.
#[derive(Debug, Clone, Serialize)]
pub struct AudienceGap {
    pub asset: usize,
    pub segment: String,
    /// Share of the asset's segmented visits (0..=1).
    pub share: f64,
    /// The persona the segment names, if one does (by id, name or segment).
    pub persona: Option<usize>,
}

pub fn build(hb: &Handbook, assets: &[AssetEvidence], periods: &[Option<Period>]) -> Insights {
    let all = 0..assets.len();
    let ranked = by_rate(assets, all.clone());
    let best: Vec<usize> = ranked.iter().copied().take(BEST_WORST).collect();
    let worst: Vec<usize> = ranked.iter().rev().copied().filter(|ai| !best.contains(ai)).take(BEST_WORST).collect();
    let formats_by_stage =
        hb.content_map.placement.by_stage.iter().map(|list| formats_of(hb, assets, list.iter().copied())).collect();
    Insights {
        formats: formats_of(hb, assets, all.clone()),
        formats_by_stage,
        best,
        worst,
        stale: stale(hb, assets, periods),
        no_rows: all.filter(|&ai| !assets[ai].has_data()).collect(),
        audience: audience(hb, assets),
    }
}

fn stale(hb: &Handbook, assets: &[AssetEvidence], periods: &[Option<Period>]) -> Vec<Stale> {
    let days = hb.config.analytics.stale_after_days;
    let mut visits: Vec<f64> = assets.iter().filter(|a| a.has_data()).map(|a| a.total.visits()).collect();
    visits.sort_by(f64::total_cmp);
    let quartile = (visits.len() >= 4).then(|| visits[(visits.len() - 1) / 4]);
    let last_two: Vec<Option<Period>> = periods.iter().rev().take(2).rev().copied().collect();
    let mut out = Vec::new();
    for (ai, a) in assets.iter().enumerate() {
        let Some(published) = hb.assets[ai].published else { continue };
        let Ok(age) = hb.today.since(published) else { continue };
        let age_days = i64::from(age.get_days());
        if age_days <= days || !a.has_data() {
            continue;
        }
        let in_period =
            |p: Option<Period>| a.periods.iter().find(|f| f.period == p).map_or(0.0, |f| f.metrics.visits());
        let reason = match last_two.as_slice() {
            [before, last] if before.is_some() && in_period(*last) < in_period(*before) => {
                Some(StaleReason::Falling { from: in_period(*before), to: in_period(*last), period: *last })
            }
            _ => None,
        }
        .or_else(|| {
            let q = quartile?;
            (a.total.visits() <= q).then_some(StaleReason::BottomQuartile { visits: a.total.visits(), quartile: q })
        });
        if let Some(reason) = reason {
            out.push(Stale { asset: ai, age_days, reason });
        }
    }
    out.sort_by(|a, b| b.age_days.cmp(&a.age_days).then_with(|| a.asset.cmp(&b.asset)));
    out
}

/// A segment value as a word to compare with persona ids and names.
fn word(text: &str) -> String {
    crate::slug::url_slug(text)
}

fn audience(hb: &Handbook, assets: &[AssetEvidence]) -> Vec<AudienceGap> {
    let persona_of = |segment: &str| {
        let w = word(segment);
        hb.personas
            .iter()
            .position(|p| word(&p.id) == w || word(&p.name) == w || p.segment.as_deref().is_some_and(|s| word(s) == w))
    };
    let mut out = Vec::new();
    for (ai, a) in assets.iter().enumerate() {
        let total: f64 = a.segments.iter().map(|(_, m)| m.visits()).sum();
        let Some((segment, m)) = a.segments.first() else { continue };
        if total <= 0.0 || m.visits() / total <= DOMINANT_SHARE {
            continue;
        }
        let persona = persona_of(segment);
        let declared = &hb.assets[ai].personas;
        let named_declared = persona.is_some_and(|pi| declared.contains(&hb.personas[pi].id));
        let seg_declared = declared
            .iter()
            .any(|id| hb.persona(id).is_some_and(|p| p.segment.as_deref().is_some_and(|s| word(s) == word(segment))));
        if !named_declared && !seg_declared {
            out.push(AudienceGap { asset: ai, segment: segment.clone(), share: m.visits() / total, persona });
        }
    }
    out
}
