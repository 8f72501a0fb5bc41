//! What works for each persona at each stage: among the assets mapped to
//! that persona and stage, the best by conversion rate and by volume, and
//! the formats that convert next to the formats the journey asks for.

use super::{by_rate, by_volume, AssetEvidence};
use crate::analytics::Metrics;
use crate::model::Handbook;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many assets each "what works" list shows.
pub const TOP: usize = 3;

/// One format's figures over some assets.
#[derive(Debug, Clone, Serialize)]
pub struct FormatFigures {
    pub format: String,
    /// Assets of this format counted (with or without rows).
    pub assets: usize,
    pub metrics: Metrics,
}

/// What works for one persona at one stage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StageWorks {
    /// Assets, best conversion rate first (at most [`TOP`]).
    pub by_rate: Vec<usize>,
    /// Assets, most visits first (at most [`TOP`]).
    pub by_volume: Vec<usize>,
    /// Formats of the stage's assets, best conversion rate first.
    pub formats: Vec<FormatFigures>,
    /// The formats the persona's journey asks for at this stage.
    pub asked: Vec<String>,
    /// Formats here with at least one conversion, best rate first.
    pub converting: Vec<String>,
}

/// Formats of `list` (assets without a format are left out), best
/// conversion rate first, then most visits, then name.
pub fn formats_of(
    hb: &Handbook,
    assets: &[AssetEvidence],
    list: impl IntoIterator<Item = usize>,
) -> Vec<FormatFigures> {
    let mut by: BTreeMap<&str, FormatFigures> = BTreeMap::new();
    for ai in list {
        let Some(format) = hb.assets[ai].format.as_deref() else { continue };
        let f = by.entry(format).or_insert_with(|| FormatFigures {
            format: format.to_string(),
            assets: 0,
            metrics: Metrics::default(),
        });
        f.assets += 1;
        f.metrics.add(&assets[ai].total);
    }
    let mut out: Vec<FormatFigures> = by.into_values().collect();
    out.sort_by(|a, b| {
        let (ra, rb) = (a.metrics.rate().unwrap_or(-1.0), b.metrics.rate().unwrap_or(-1.0));
        rb.total_cmp(&ra)
            .then_with(|| b.metrics.visits().total_cmp(&a.metrics.visits()))
            .then_with(|| a.format.cmp(&b.format))
    });
    out
}

/// Per persona (handbook order), per stage.
pub fn per_persona(hb: &Handbook, assets: &[AssetEvidence]) -> Vec<Vec<StageWorks>> {
    let placement = &hb.content_map.placement;
    hb.personas
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            (0..hb.config.stages.len())
                .map(|si| {
                    let list = &placement.by_persona[pi][si];
                    let formats = formats_of(hb, assets, list.iter().copied());
                    let converting =
                        formats.iter().filter(|f| f.metrics.conversions > 0.0).map(|f| f.format.clone()).collect();
                    let asked =
                        p.journey.get(si).and_then(Option::as_ref).map(|s| s.formats.clone()).unwrap_or_default();
                    let mut rate = by_rate(assets, list.iter().copied());
                    rate.truncate(TOP);
                    let mut volume = by_volume(assets, list.iter().copied());
                    volume.truncate(TOP);
                    StageWorks { by_rate: rate, by_volume: volume, formats, asked, converting }
                })
                .collect()
        })
        .collect()
}
