//! The content map: personas x stages, which assets serve each cell, where
//! the gaps are, coverage, unmapped assets, and formats wanted vs available.

use super::persona::Status;
use super::Handbook;
use serde::Serialize;
use std::collections::BTreeMap;

/// The persona x stage matrix and its summaries.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ContentMap {
    /// Indices of the personas that are rows (every persona but retired ones).
    pub rows: Vec<usize>,
    /// `cells[row][stage]`: indices of the assets mapped to that persona and stage.
    pub cells: Vec<Vec<Vec<usize>>>,
    /// Share of stages (0..=1) with at least one asset, per row.
    pub row_coverage: Vec<f64>,
    /// Share of rows (0..=1) with at least one asset, per stage.
    pub stage_coverage: Vec<f64>,
    /// Share of all cells that are filled.
    pub coverage: f64,
    /// Number of empty cells.
    pub gaps: usize,
    /// Assets that name no persona or no stage.
    pub unmapped: Vec<usize>,
    /// Per format: how many journey stages ask for it and how many assets exist.
    pub formats: Vec<FormatSupply>,
}

/// One row of "formats wanted vs available".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormatSupply {
    pub format: String,
    /// Persona stages whose journey `formats` name it.
    pub wanted: usize,
    /// Assets of that format.
    pub available: usize,
}

/// Builds the map from resolved personas and assets.
pub fn build(hb: &Handbook) -> ContentMap {
    let n_stages = hb.config.stages.len();
    let rows: Vec<usize> = (0..hb.personas.len()).filter(|&i| hb.personas[i].status != Status::Retired).collect();
    let mut row_of = vec![usize::MAX; hb.personas.len()];
    for (r, &p) in rows.iter().enumerate() {
        row_of[p] = r;
    }
    let mut cells = vec![vec![Vec::new(); n_stages]; rows.len()];
    let mut unmapped = Vec::new();
    let mut available: BTreeMap<String, usize> = BTreeMap::new();
    for (ai, a) in hb.assets.iter().enumerate() {
        if let Some(f) = &a.format {
            *available.entry(f.clone()).or_default() += 1;
        }
        if a.is_unmapped() {
            unmapped.push(ai);
            continue;
        }
        for pid in &a.personas {
            let Some(&pi) = hb.index.personas.get(pid) else { continue };
            let row = row_of[pi];
            if row == usize::MAX {
                continue;
            }
            for s in &a.stages {
                if let Some(si) = hb.stage_index(s) {
                    cells[row][si].push(ai);
                }
            }
        }
    }
    let mut wanted: BTreeMap<String, usize> = BTreeMap::new();
    for &p in &rows {
        for step in hb.personas[p].journey.iter().flatten() {
            for f in &step.formats {
                *wanted.entry(f.clone()).or_default() += 1;
            }
        }
    }
    let share = |filled: usize, total: usize| if total == 0 { 0.0 } else { filled as f64 / total as f64 };
    let row_coverage = cells.iter().map(|r| share(r.iter().filter(|c| !c.is_empty()).count(), n_stages)).collect();
    let stage_coverage =
        (0..n_stages).map(|s| share(cells.iter().filter(|r| !r[s].is_empty()).count(), rows.len())).collect();
    let filled: usize = cells.iter().map(|r| r.iter().filter(|c| !c.is_empty()).count()).sum();
    let total = rows.len() * n_stages;
    let mut names: Vec<String> = wanted.keys().chain(available.keys()).cloned().collect();
    names.sort();
    names.dedup();
    let formats = names
        .into_iter()
        .map(|f| FormatSupply {
            wanted: wanted.get(&f).copied().unwrap_or(0),
            available: available.get(&f).copied().unwrap_or(0),
            format: f,
        })
        .collect();
    ContentMap {
        rows,
        cells,
        row_coverage,
        stage_coverage,
        coverage: share(filled, total),
        gaps: total - filled,
        unmapped,
        formats,
    }
}
