//! The join itself: each page of each export to the asset of its key, or
//! to the traffic with no asset, summed across the exports in their order.
//! The exports are split into the two in parallel, each in its own map;
//! the pages of no asset are then summed into the first export's map.

use super::{AssetEvidence, PeriodFigures, SourceSummary, Traffic, UNMATCHED_KEPT};
use crate::analytics::url::PageKey;
use crate::analytics::{Metrics, Period};
use crate::load::analytics::{PageRow, Pages, Table};
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

/// One export split: its pages of an asset (with the asset's index), and
/// its pages of none, left in the export's own map.
struct Split {
    summary: SourceSummary,
    matched: Vec<(usize, PageRow)>,
    unmatched: Pages,
}

fn split(t: Table, index: &AssetKeys) -> Split {
    let pages = t.pages.len();
    let mut unmatched = t.pages;
    let mut matched = Vec::new();
    unmatched.retain(|key, row| match index.find(key) {
        Some(ai) => {
            matched.push((ai, std::mem::take(row)));
            false
        }
        None => true,
    });
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

/// The pages of no asset of every export, without copying them out of the
/// exports' maps: the first export's map comes to hold the sums over all
/// exports of its pages, `others` those of the pages it lacks; every sum
/// adds the exports in their order, from zero.
pub(super) struct NoAsset {
    /// Per export, in order, its pages of no asset (the first summed over all).
    tables: Vec<Pages>,
    others: HashMap<PageKey, Metrics, Hasher>,
}

impl NoAsset {
    fn new(mut tables: Vec<Pages>) -> NoAsset {
        let mut others: HashMap<PageKey, Metrics, Hasher> = HashMap::default();
        if let Some((first, rest)) = tables.split_first_mut() {
            for row in first.values_mut() {
                let mut m = Metrics::default();
                m.add(&row.metrics);
                row.metrics = m;
            }
            for (key, row) in rest.iter().flatten() {
                match (first.get_mut(key), others.get_mut(key)) {
                    (Some(total), _) => total.metrics.add(&row.metrics),
                    (None, Some(total)) => total.add(&row.metrics),
                    (None, None) => {
                        let mut m = Metrics::default();
                        m.add(&row.metrics);
                        others.insert(key.clone(), m);
                    }
                }
            }
        }
        NoAsset { tables, others }
    }

    /// Every page with its sums over all exports.
    fn pages(&self) -> impl Iterator<Item = (&PageKey, &Metrics)> {
        let first = self.tables.first().into_iter().flatten().map(|(k, row)| (k, &row.metrics));
        first.chain(self.others.iter())
    }

    /// How many pages of no asset there are, and what they add up to.
    pub(super) fn totals(&self) -> (usize, Metrics) {
        let mut all = Metrics::default();
        for (_, m) in self.pages() {
            all.add(m);
        }
        (self.tables.first().map_or(0, HashMap::len) + self.others.len(), all)
    }

    /// The most viewed pages, with the files they come from (the first 64 exports').
    pub(super) fn most_viewed(&self, sources: &[SourceSummary]) -> Vec<Traffic> {
        let mut all: Vec<(&PageKey, &Metrics)> = self.pages().collect();
        let order = |a: &(&PageKey, &Metrics), b: &(&PageKey, &Metrics)| {
            b.1.visits().total_cmp(&a.1.visits()).then_with(|| a.0.cmp(b.0))
        };
        if all.len() > UNMATCHED_KEPT {
            all.select_nth_unstable_by(UNMATCHED_KEPT, order);
            all.truncate(UNMATCHED_KEPT);
        }
        all.sort_by(order);
        all.into_iter()
            .map(|(key, metrics)| Traffic {
                url: key.label(),
                key: key.clone(),
                metrics: *metrics,
                files: sources
                    .iter()
                    .zip(&self.tables)
                    .take(64)
                    .filter(|(_, t)| t.contains_key(key))
                    .map(|(s, _)| s.file.clone())
                    .collect(),
            })
            .collect()
    }
}

/// Adds every page of `tables` to its asset, or to the traffic with no asset.
pub(super) fn join(
    tables: Vec<Table>,
    index: &AssetKeys,
    assets: &mut [AssetEvidence],
) -> (Vec<SourceSummary>, Vec<Option<Period>>, NoAsset) {
    let splits: Vec<Split> = tables.into_par_iter().map(|t| split(t, index)).collect();
    let mut sources = Vec::with_capacity(splits.len());
    let mut periods: Vec<Option<Period>> = Vec::new();
    let mut unmatched = Vec::with_capacity(splits.len());
    for s in splits {
        let period = s.summary.period;
        if !periods.contains(&period) {
            periods.push(period);
        }
        for (ai, row) in s.matched {
            add_to_asset(&mut assets[ai], &s.summary.file, period, &row.metrics, row.segments);
        }
        unmatched.push(s.unmatched);
        sources.push(s.summary);
    }
    (sources, periods, NoAsset::new(unmatched))
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
