//! Evidence: the analytics exports joined into the model. Each page of an
//! export joins the asset whose `url` normalises to the same key
//! (`analytics::url`); what joins no asset is "traffic with no asset".
//! From the joined figures come the content map's heat, what works per
//! persona and stage, the insights and the next-best content for
//! personalisation (`personalization.json`).
//!
//! Plain data, computed once by `resolve` when `analytics:` is set; knows
//! nothing of pages or HTML. Asset and persona references are indices
//! into the handbook's lists, as in the content map.

mod insights;
mod join;
mod next_best;
mod works;

pub use insights::{AudienceGap, Insights, Stale, StaleReason};
pub use next_best::{NextBest, Pick, PRIOR_VISITS};
pub use works::{FormatFigures, StageWorks};

use super::Handbook;
use crate::analytics::url::{normalise, PageKey};
use crate::analytics::{ExportKind, Metrics, Period};
use crate::load::analytics::Table;
use join::{join, AssetKeys};
use serde::Serialize;

/// How many pages of traffic with no asset are kept (the most viewed).
pub const UNMATCHED_KEPT: usize = 100;

/// The joined analytics of a handbook.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// From the first day of any export to the last.
    pub period: Option<Period>,
    /// The periods figures are given for, in order (`None`: an export without one).
    pub periods: Vec<Option<Period>>,
    pub sources: Vec<SourceSummary>,
    /// Everything joined to an asset, summed.
    pub totals: Metrics,
    /// One per asset, in the handbook's asset order.
    pub assets: Vec<AssetEvidence>,
    /// Pages of the exports that are no asset, most viewed first.
    pub unmatched: Vec<Traffic>,
    /// How many such pages there are in all, and their sum.
    pub unmatched_pages: usize,
    pub unmatched_totals: Metrics,
    /// `cells[row][stage]`: the content map's cells, summed over their assets.
    pub cells: Vec<Vec<Metrics>>,
    /// Per persona (handbook order), per stage: what works.
    pub personas: Vec<Vec<StageWorks>>,
    pub insights: Insights,
    /// Per content-map row: the ranked content for each stage.
    pub next_best: Vec<NextBest>,
}

/// One export as read.
#[derive(Debug, Clone, Serialize)]
pub struct SourceSummary {
    pub file: String,
    pub kind: ExportKind,
    pub period: Option<Period>,
    pub rows: usize,
    /// Rows that named no page (totals, `(not set)`).
    pub skipped: usize,
    pub pages: usize,
    /// Pages that joined an asset.
    pub joined: usize,
}

/// The figures of one asset.
#[derive(Debug, Clone, Serialize)]
pub struct AssetEvidence {
    pub asset: String,
    /// Its `url`, normalised (`None` without a url).
    pub key: Option<PageKey>,
    pub total: Metrics,
    /// Per period, in order; empty when no export has a row for it.
    pub periods: Vec<PeriodFigures>,
    /// Per segment value of the rows, most visits first.
    pub segments: Vec<(String, Metrics)>,
}

impl AssetEvidence {
    pub fn has_data(&self) -> bool {
        !self.periods.is_empty()
    }
}

/// An asset's figures in one period, and the files they come from.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodFigures {
    pub period: Option<Period>,
    pub metrics: Metrics,
    pub files: Vec<String>,
}

/// A page of the exports that is no asset of the library.
#[derive(Debug, Clone, Serialize)]
pub struct Traffic {
    pub key: PageKey,
    /// The page as people read it (`example.com/pricing`).
    pub url: String,
    pub metrics: Metrics,
    pub files: Vec<String>,
}

/// Joins the exports into `hb` (whose content map is built).
pub fn build(hb: &Handbook, tables: Vec<Table>) -> Evidence {
    let keys: Vec<Option<PageKey>> = hb.assets.iter().map(|a| a.url.as_deref().and_then(normalise)).collect();
    let index = AssetKeys::new(&keys);
    let mut assets: Vec<AssetEvidence> = hb
        .assets
        .iter()
        .zip(keys)
        .map(|(a, key)| AssetEvidence {
            asset: a.id.clone(),
            key,
            total: Metrics::default(),
            periods: Vec::new(),
            segments: Vec::new(),
        })
        .collect();
    let (sources, mut periods, unmatched) = join(tables, &index, &mut assets);
    periods.sort();
    let mut totals = Metrics::default();
    for a in &mut assets {
        a.periods.sort_by_key(|p| p.period);
        a.segments.sort_by(|x, y| y.1.visits().total_cmp(&x.1.visits()).then_with(|| x.0.cmp(&y.0)));
        totals.add(&a.total);
    }
    let (unmatched_pages, unmatched_totals) = unmatched.totals();
    let unmatched = unmatched.most_viewed(&sources);
    let period = periods.iter().flatten().copied().reduce(|a, b| a.span(&b));
    let cells = hb.content_map.cells.iter().map(|row| row.iter().map(|list| sum_of(&assets, list)).collect()).collect();
    let personas = works::per_persona(hb, &assets);
    let insights = insights::build(hb, &assets, &periods);
    let next_best = next_best::rank(hb, &assets, &totals);
    Evidence {
        period,
        periods,
        sources,
        totals,
        assets,
        unmatched,
        unmatched_pages,
        unmatched_totals,
        cells,
        personas,
        insights,
        next_best,
    }
}

/// The sum of some assets' totals.
pub fn sum_of(assets: &[AssetEvidence], list: &[usize]) -> Metrics {
    let mut m = Metrics::default();
    for &ai in list {
        m.add(&assets[ai].total);
    }
    m
}

/// Orders assets by conversion rate (best first), then visits, then id;
/// only assets with visits.
pub fn by_rate(assets: &[AssetEvidence], list: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let mut out: Vec<usize> = list.into_iter().filter(|&ai| assets[ai].total.visits() > 0.0).collect();
    out.sort_by(|&a, &b| {
        let (ma, mb) = (&assets[a].total, &assets[b].total);
        let (ra, rb) = (ma.rate().unwrap_or(0.0), mb.rate().unwrap_or(0.0));
        rb.total_cmp(&ra).then_with(|| mb.visits().total_cmp(&ma.visits())).then_with(|| a.cmp(&b))
    });
    out
}

/// Orders assets by visits (most first), then id; only assets with visits.
pub fn by_volume(assets: &[AssetEvidence], list: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let mut out: Vec<usize> = list.into_iter().filter(|&ai| assets[ai].total.visits() > 0.0).collect();
    out.sort_by(|&a, &b| assets[b].total.visits().total_cmp(&assets[a].total.visits()).then_with(|| a.cmp(&b)));
    out
}
