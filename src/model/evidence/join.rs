//! The join itself: each page of each export to the asset of its key, or
//! to the traffic with no asset, summed across the exports in their order.
//! The exports are split into the two in parallel; the pages of no asset
//! are then merged into the first export's, whose map they already fill.

use super::{AssetEvidence, PeriodFigures, SourceSummary, Traffic, UNMATCHED_KEPT};
use crate::analytics::url::PageKey;
use crate::analytics::{Metrics, Period};
use crate::load::analytics::{PageRow, Table};
use rayon::prelude::*;
use std::collections::HashMap;

/// The maps of pages, keyed by what export files say: see `load::analytics::Pages`.
type Hasher = foldhash::fast::RandomState;

/// Which asset each normalised path is, by host.
pub(super) struct AssetKeys {
    by_path: HashMap<String, Vec<(String, usize)>, Hasher>,
}

impl AssetKeys {
    pub(super) fn new(keys: &[Option<PageKey>]) -> Self {
        let mut by_path: HashMap<String, Vec<(String, usize)>, Hasher> = HashMap::default();
        for (ai, k) in keys.iter().enumerate() {
            if let Some(k) = k {
                by_path.entry(k.path().to_string()).or_default().push((k.host().to_string(), ai));
            }
        }
        AssetKeys { by_path }
    }

    /// The asset of a page: same path and same host, or same path where
    /// one side names no host.
    fn find(&self, key: &PageKey) -> Option<usize> {
        let (host, path) = (key.host(), key.path());
        let candidates = self.by_path.get(path)?;
        candidates
            .iter()
            .find(|(h, _)| h == host)
            .or_else(|| candidates.iter().find(|(h, _)| h.is_empty() || host.is_empty()))
            .map(|&(_, ai)| ai)
    }
}

/// What the pages of no asset add up to: their sums, and which tables
/// (a bit per table index, the first 64) they come from.
pub(super) type Unmatched = HashMap<PageKey, (Metrics, u64), Hasher>;

/// One export split: its pages of an asset (the asset's index), its pages
/// of none (with the export's bit), and what its summary says.
struct Split {
    summary: SourceSummary,
    matched: Vec<(usize, PageRow)>,
    unmatched: Unmatched,
}

fn split(ti: usize, t: Table, index: &AssetKeys) -> Split {
    let bit = 1u64.checked_shl(u32::try_from(ti).unwrap_or(u32::MAX)).unwrap_or(0);
    let pages = t.pages.len();
    let mut matched = Vec::new();
    let mut unmatched = Unmatched::with_capacity_and_hasher(pages, Hasher::default());
    for (key, row) in t.pages {
        match index.find(&key) {
            Some(ai) => matched.push((ai, row)),
            None => {
                // Added to zero, as every sum starts (a `-0` cell sums to `0`).
                let mut m = Metrics::default();
                m.add(&row.metrics);
                unmatched.insert(key, (m, bit));
            }
        }
    }
    let summary = SourceSummary {
        joined: matched.len(),
        file: t.file,
        kind: t.kind,
        period: t.period,
        rows: t.rows,
        skipped: t.skipped,
        pages,
    };
    Split { summary, matched, unmatched }
}

/// Adds every page of `tables` to its asset, or to the traffic with no asset.
pub(super) fn join(
    tables: Vec<Table>,
    index: &AssetKeys,
    assets: &mut [AssetEvidence],
) -> (Vec<SourceSummary>, Vec<Option<Period>>, Unmatched) {
    let splits: Vec<Split> = tables.into_par_iter().enumerate().map(|(ti, t)| split(ti, t, index)).collect();
    let mut sources = Vec::with_capacity(splits.len());
    let mut periods: Vec<Option<Period>> = Vec::new();
    let mut all: Option<Unmatched> = None;
    for s in splits {
        let period = s.summary.period;
        if !periods.contains(&period) {
            periods.push(period);
        }
        for (ai, row) in s.matched {
            add_to_asset(&mut assets[ai], &s.summary.file, period, &row.metrics, row.segments);
        }
        match &mut all {
            None => all = Some(s.unmatched),
            Some(all) => {
                for (key, (m, bit)) in s.unmatched {
                    let (total, files) = all.entry(key).or_default();
                    total.add(&m);
                    *files |= bit;
                }
            }
        }
        sources.push(s.summary);
    }
    (sources, periods, all.unwrap_or_default())
}

/// The most viewed pages of no asset, with the files they come from.
pub(super) fn most_viewed(unmatched: Unmatched, sources: &[SourceSummary]) -> Vec<Traffic> {
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
