//! The next-best content for each persona and stage, for a website's
//! personalisation engine (`personalization.json`; docs/personalization.md
//! states the rule for its readers).
//!
//! The rule: the assets mapped to the persona and stage, and only those
//! (what the writers declared comes first); those with analytics rows
//! ranked by their smoothed conversion rate, `(conversions + prior x k) /
//! (visits + k)`, with `k` = [`PRIOR_VISITS`] and `prior` the conversion
//! rate of all joined traffic, so ten visits and one conversion do not
//! outrank a thousand visits and eighty; ties by visits, then id. Assets
//! with no rows follow, in library order, without a score.

use super::AssetEvidence;
use crate::analytics::Metrics;
use crate::model::Handbook;
use serde::Serialize;

/// `k` of the smoothed rate: how many visits the prior counts as.
pub const PRIOR_VISITS: f64 = 100.0;

/// The ranked content of one persona (a content-map row).
#[derive(Debug, Clone, Serialize)]
pub struct NextBest {
    /// Index into the handbook's personas.
    pub persona: usize,
    /// Per stage, best first.
    pub stages: Vec<Vec<Pick>>,
}

/// One recommended asset and why.
#[derive(Debug, Clone, Serialize)]
pub struct Pick {
    pub asset: usize,
    /// The smoothed conversion rate; `None` for an asset with no rows.
    pub score: Option<f64>,
    pub why: String,
}

/// The smoothed conversion rate of `m` against `prior`.
pub fn score(m: &Metrics, prior: f64) -> f64 {
    (m.conversions + prior * PRIOR_VISITS) / (m.visits() + PRIOR_VISITS)
}

/// Ranks every content-map row's stages.
pub fn rank(hb: &Handbook, assets: &[AssetEvidence], totals: &Metrics) -> Vec<NextBest> {
    let prior = totals.rate().unwrap_or(0.0);
    let placement = &hb.content_map.placement;
    hb.content_map
        .rows
        .iter()
        .map(|&pi| NextBest {
            persona: pi,
            stages: placement.by_persona[pi].iter().map(|list| picks(assets, list, prior)).collect(),
        })
        .collect()
}

fn picks(assets: &[AssetEvidence], list: &[usize], prior: f64) -> Vec<Pick> {
    let (mut with, without): (Vec<usize>, Vec<usize>) = list.iter().partition(|&&ai| assets[ai].has_data());
    with.sort_by(|&a, &b| {
        let (ma, mb) = (&assets[a].total, &assets[b].total);
        score(mb, prior)
            .total_cmp(&score(ma, prior))
            .then_with(|| mb.visits().total_cmp(&ma.visits()))
            .then_with(|| assets[a].asset.cmp(&assets[b].asset))
    });
    let mut out: Vec<Pick> = with
        .into_iter()
        .map(|ai| {
            let m = &assets[ai].total;
            Pick { asset: ai, score: Some(score(m, prior)), why: why(m) }
        })
        .collect();
    out.extend(without.into_iter().map(|ai| Pick {
        asset: ai,
        score: None,
        why: "declared for this persona and stage; no analytics rows yet".to_string(),
    }));
    out
}

fn why(m: &Metrics) -> String {
    let rate = m.rate().map_or_else(|| "no".to_string(), |r| format!("{:.1}%", r * 100.0));
    format!(
        "declared for this persona and stage; {} conversions from {} visits ({rate} conversion rate)",
        plain(m.conversions),
        plain(m.visits())
    )
}

/// A figure as a plain number: whole numbers without decimals.
pub fn plain(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}
