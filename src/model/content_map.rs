//! The content map: personas x stages, which assets serve each cell, where
//! the gaps are, coverage, unmapped assets, and formats wanted vs available.

use super::persona::Status;
use super::Handbook;
use serde::Serialize;
use std::collections::BTreeMap;

/// The persona x stage matrix and its summaries.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
    /// Which assets serve each persona (retired ones too) and each stage.
    #[serde(skip)]
    pub placement: Placement,
}

/// Where the assets are placed: per persona and stage, per persona without
/// a stage, per stage. Indices into `personas` and `assets`, in asset order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placement {
    /// `by_persona[persona][stage]`: assets mapped to that persona and stage.
    pub by_persona: Vec<Vec<Vec<usize>>>,
    /// Assets that name a persona but no stage, per persona.
    pub unstaged: Vec<Vec<usize>>,
    /// Assets per stage, whether or not they name a persona.
    pub by_stage: Vec<Vec<usize>>,
}

/// Places every asset once: the content map's cells and every page that
/// lists a persona's or a stage's content read from here.
fn place(hb: &Handbook) -> Placement {
    let n_stages = hb.config.stages.len();
    let mut by_persona = vec![vec![Vec::new(); n_stages]; hb.personas.len()];
    let mut unstaged = vec![Vec::new(); hb.personas.len()];
    let mut by_stage = vec![Vec::new(); n_stages];
    for (ai, a) in hb.assets.iter().enumerate() {
        let stage_ix: Vec<usize> = a.stages.iter().filter_map(|s| hb.stage_index(s)).collect();
        for &si in &stage_ix {
            by_stage[si].push(ai);
        }
        for pi in a.personas.iter().filter_map(|id| hb.persona_index(id)) {
            if stage_ix.is_empty() {
                unstaged[pi].push(ai);
            }
            for &si in &stage_ix {
                by_persona[pi][si].push(ai);
            }
        }
    }
    Placement { by_persona, unstaged, by_stage }
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
    let placement = place(hb);
    let cells: Vec<Vec<Vec<usize>>> = rows.iter().map(|&p| placement.by_persona[p].clone()).collect();
    let unmapped = (0..hb.assets.len()).filter(|&ai| hb.assets[ai].is_unmapped()).collect();
    let mut available: BTreeMap<&str, usize> = BTreeMap::new();
    for f in hb.assets.iter().filter_map(|a| a.format.as_deref()) {
        *available.entry(f).or_default() += 1;
    }
    let mut wanted: BTreeMap<&str, usize> = BTreeMap::new();
    for &p in &rows {
        for step in hb.personas[p].journey.iter().flatten() {
            for f in &step.formats {
                *wanted.entry(f).or_default() += 1;
            }
        }
    }
    let share = |filled: usize, total: usize| if total == 0 { 0.0 } else { filled as f64 / total as f64 };
    let row_coverage = cells.iter().map(|r| share(r.iter().filter(|c| !c.is_empty()).count(), n_stages)).collect();
    let stage_coverage =
        (0..n_stages).map(|s| share(cells.iter().filter(|r| !r[s].is_empty()).count(), rows.len())).collect();
    let filled: usize = cells.iter().map(|r| r.iter().filter(|c| !c.is_empty()).count()).sum();
    let total = rows.len() * n_stages;
    let mut names: Vec<&str> = wanted.keys().chain(available.keys()).copied().collect();
    names.sort();
    names.dedup();
    let formats = names
        .into_iter()
        .map(|f| FormatSupply {
            wanted: wanted.get(f).copied().unwrap_or(0),
            available: available.get(f).copied().unwrap_or(0),
            format: f.to_string(),
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
        placement,
    }
}
