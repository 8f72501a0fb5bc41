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
mod next_best;
mod works;

pub use insights::{AudienceGap, Insights, Stale, StaleReason};
pub use next_best::{NextBest, Pick, PRIOR_VISITS};
pub use works::{FormatFigures, StageWorks};

use super::Handbook;
use crate::analytics::url::{normalise, PageKey};
use crate::analytics::{ExportKind, Metrics, Period};
use crate::load::analytics::Table;
use serde::Serialize;
use std::collections::HashMap;

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

/// Which asset each normalised path is, by host.
struct AssetKeys {
    by_path: HashMap<String, Vec<(String, usize)>>,
}

impl AssetKeys {
    fn new(keys: &[Option<PageKey>]) -> Self {
        let mut by_path: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        for (ai, k) in keys.iter().enumerate() {
            if let Some(k) = k {
                by_path.entry(k.path.clone()).or_default().push((k.host.clone(), ai));
            }
        }
        AssetKeys { by_path }
    }

    /// The asset of a page: same path and same host, or same path where
    /// one side names no host.
    fn find(&self, key: &PageKey) -> Option<usize> {
        let candidates = self.by_path.get(&key.path)?;
        candidates
            .iter()
            .find(|(h, _)| *h == key.host)
            .or_else(|| candidates.iter().find(|(h, _)| h.is_empty() || key.host.is_empty()))
            .map(|&(_, ai)| ai)
    }
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
    let unmatched_pages = unmatched.len();
    let mut unmatched_totals = Metrics::default();
    for (m, _) in unmatched.values() {
        unmatched_totals.add(m);
    }
    let unmatched = most_viewed(unmatched, &sources);
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

/// What the pages of no asset add up to: their sums, and which tables
/// (a bit per table index, the first 64) they come from.
type Unmatched = HashMap<PageKey, (Metrics, u64)>;

/// Adds every page of `tables` to its asset, or to the traffic with no asset.
fn join(
    tables: Vec<Table>,
    index: &AssetKeys,
    assets: &mut [AssetEvidence],
) -> (Vec<SourceSummary>, Vec<Option<Period>>, Unmatched) {
    let mut unmatched: Unmatched = HashMap::with_capacity(tables.iter().map(|t| t.pages.len()).sum());
    let mut sources = Vec::with_capacity(tables.len());
    let mut periods: Vec<Option<Period>> = Vec::new();
    for (ti, t) in tables.into_iter().enumerate() {
        let mut joined = 0;
        let pages = t.pages.len();
        if !periods.contains(&t.period) {
            periods.push(t.period);
        }
        for row in t.pages {
            match index.find(&row.key) {
                Some(ai) => {
                    joined += 1;
                    add_to_asset(&mut assets[ai], &t.file, t.period, &row.metrics, row.segments);
                }
                None => {
                    let (m, files) = unmatched.entry(row.key).or_default();
                    m.add(&row.metrics);
                    *files |= 1u64.checked_shl(u32::try_from(ti).unwrap_or(u32::MAX)).unwrap_or(0);
                }
            }
        }
        sources.push(SourceSummary {
            file: t.file,
            kind: t.kind,
            period: t.period,
            rows: t.rows,
            skipped: t.skipped,
            pages,
            joined,
        });
    }
    (sources, periods, unmatched)
}

/// The most viewed pages of no asset, with the files they come from.
fn most_viewed(unmatched: Unmatched, sources: &[SourceSummary]) -> Vec<Traffic> {
    let mut all: Vec<(PageKey, (Metrics, u64))> = unmatched.into_iter().collect();
    let order = |a: &(PageKey, (Metrics, u64)), b: &(PageKey, (Metrics, u64))| {
        b.1 .0.visits().total_cmp(&a.1 .0.visits()).then_with(|| a.0.cmp(&b.0))
    };
    if all.len() > UNMATCHED_KEPT {
        all.select_nth_unstable_by(UNMATCHED_KEPT, order);
        all.truncate(UNMATCHED_KEPT);
    }
    all.sort_by(order);
    all.into_iter()
        .map(|(key, (metrics, bits))| Traffic {
            url: key.label(),
            key,
            metrics,
            files: sources
                .iter()
                .enumerate()
                .filter(|(i, _)| *i < 64 && bits & (1u64 << i) != 0)
                .map(|(_, s)| s.file.clone())
                .collect(),
        })
        .collect()
}

fn add_to_asset(
    a: &mut AssetEvidence,
    file: &str,
    period: Option<Period>,
    m: &Metrics,
    segments: Vec<(String, Metrics)>,
) {
    a.total.add(m);
    let at = match a.periods.iter().position(|p| p.period == period) {
        Some(at) => at,
        None => {
            a.periods.push(PeriodFigures { period, metrics: Metrics::default(), files: Vec::new() });
            a.periods.len() - 1
        }
    };
    let p = &mut a.periods[at];
    p.metrics.add(m);
    if !p.files.iter().any(|f| f == file) {
        p.files.push(file.to_string());
    }
    for (name, sm) in segments {
        match a.segments.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => total.add(&sm),
            None => a.segments.push((name, sm)),
        }
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
