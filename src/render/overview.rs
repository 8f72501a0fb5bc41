//! The pages about the whole handbook: the content map and the review list
//! (the library is `library.rs`, the comparison of personas `compare.rs`).

use super::taxonomy::Kind;
use super::url;
use super::view::{percent, AssetItem, Link, StageLink};
use super::{Meta, Renderer, Template};
use crate::diagnostic::Diagnostic;
use crate::model::persona::Status;
use crate::model::site_path;
use crate::model::{Collection, ReviewState};
use serde::Serialize;

type Output = Result<super::OutFile, Diagnostic>;

/// The descriptions (meta tag) of the section pages here.
const MAP_TEXT: &str = "Which content serves each persona at each stage, and where the gaps are.";
const REVIEWS_TEXT: &str = "Every persona with its owner, last review and whether it is overdue.";

#[derive(Serialize)]
struct MapStage<'a> {
    stage: StageLink<'a>,
    coverage: u32,
}

#[derive(Serialize)]
struct MapCell {
    count: usize,
    /// The persona's content for this stage (on its profile); None for a gap.
    href: Option<String>,
    /// Its analytics, when the handbook has some.
    #[serde(skip_serializing_if = "Option::is_none")]
    heat: Option<super::evidence::HeatCell>,
}

#[derive(Serialize)]
struct MapRow<'a> {
    persona: Link<'a>,
    segment: Option<&'a str>,
    cells: Vec<MapCell>,
    coverage: u32,
    gaps: usize,
}

#[derive(Serialize)]
struct Unmapped<'a> {
    item: AssetItem<'a>,
    missing: Missing,
}

/// What an unmapped asset does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
enum Missing {
    #[serde(rename = "persona")]
    Persona,
    #[serde(rename = "stage")]
    Stage,
    #[serde(rename = "persona and stage")]
    PersonaAndStage,
}

#[derive(Serialize)]
struct FormatRow<'a> {
    format: Link<'a>,
    wanted: usize,
    available: usize,
    state: Supply,
}

/// How the assets of a format meet what journeys ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Supply {
    /// Wanted, none available.
    Gap,
    /// Fewer available than wanted.
    Short,
    Ok,
    /// Available, asked for by no journey.
    Unasked,
}

impl Missing {
    fn of(a: &crate::model::Asset) -> Missing {
        match (a.personas.is_empty(), a.stages.is_empty()) {
            (true, true) => Missing::PersonaAndStage,
            (true, false) => Missing::Persona,
            _ => Missing::Stage,
        }
    }
}

impl Supply {
    fn of(wanted: usize, available: usize) -> Supply {
        match (wanted, available) {
            (0, _) => Supply::Unasked,
            (_, 0) => Supply::Gap,
            (w, a) if a < w => Supply::Short,
            _ => Supply::Ok,
        }
    }
}

#[derive(Serialize)]
struct ContentMapPage<'a> {
    stages: Vec<MapStage<'a>>,
    rows: Vec<MapRow<'a>>,
    coverage: u32,
    gaps: usize,
    cells: usize,
    unmapped: Vec<Unmapped<'a>>,
    formats: Vec<FormatRow<'a>>,
    /// The segments of the rows, for the map's filter.
    segments: Vec<&'a str>,
    /// The heat map's legend and switch, when the handbook has analytics.
    #[serde(skip_serializing_if = "Option::is_none")]
    heat: Option<super::evidence::HeatMap>,
}

#[derive(Serialize)]
struct ReviewRow<'a> {
    persona: Link<'a>,
    owner: Option<&'a str>,
    reviewed: Option<jiff::civil::Date>,
    due: Option<jiff::civil::Date>,
    state: ReviewState,
    days_overdue: Option<i32>,
    status: Status,
}

#[derive(Serialize)]
struct ReviewsPage<'a> {
    rows: Vec<ReviewRow<'a>>,
    overdue: usize,
    never: usize,
    current: usize,
    interval_days: i64,
    changes: Vec<super::history::ReviewChange<'a>>,
}

impl<'a> Renderer<'a> {
    pub(super) fn content_map(&self) -> Output {
        let hb = self.hb;
        let cm = &hb.content_map;
        let dir = &url::section_dir(site_path::CONTENT_MAP);
        let root = self.root_for(dir);
        let root: &str = &root;
        let stages =
            self.per_stage(|si, s| MapStage { stage: self.stage_link(root, s), coverage: self.stage_percent(si) });
        let mut rows = self.map_rows(root);
        let heat = self.evidence().map(|ev| {
            let counts: Vec<Vec<usize>> = cm.cells.iter().map(|r| r.iter().map(Vec::len).collect()).collect();
            let (cells, legend) = super::evidence::heat(ev, &counts);
            for (row, heat_row) in rows.iter_mut().zip(cells) {
                for (cell, h) in row.cells.iter_mut().zip(heat_row) {
                    cell.heat = Some(h);
                }
            }
            legend
        });
        let unmapped = cm
            .unmapped
            .iter()
            .map(|&ai| Unmapped { item: self.asset_item(root, ai), missing: Missing::of(&hb.assets[ai]) })
            .collect();
        let formats = cm
            .formats
            .iter()
            .map(|f| FormatRow {
                format: self.term_link(root, Kind::Format, &f.format),
                wanted: f.wanted,
                available: f.available,
                state: Supply::of(f.wanted, f.available),
            })
            .collect();
        let mut segments: Vec<&'a str> = rows.iter().filter_map(|r| r.segment).collect();
        segments.sort_unstable();
        segments.dedup();
        let view = ContentMapPage {
            segments,
            stages,
            rows,
            coverage: percent(cm.coverage),
            gaps: cm.gaps,
            cells: cm.rows.len() * hb.config.stages.len(),
            unmapped,
            formats,
            heat,
        };
        let meta = Meta { dir, title: "Content map", section: "content-map", description: MAP_TEXT };
        self.render_page(root, &meta, Template("content_map.html", "map"), &view)
    }

    /// One row per persona of the map: a cell per stage, linking to that
    /// stage's content on the profile.
    fn map_rows(&self, root: &str) -> Vec<MapRow<'a>> {
        let hb = self.hb;
        let cm = &hb.content_map;
        cm.rows
            .iter()
            .zip(&cm.cells)
            .enumerate()
            .map(|(r, (&pi, cells))| {
                let p = &hb.personas[pi];
                let profile = url::href(root, &url::dir_of(Collection::Persona, &p.id));
                let cells: Vec<MapCell> = cells
                    .iter()
                    .zip(&hb.config.stages)
                    .map(|(assets, s)| MapCell {
                        count: assets.len(),
                        href: (!assets.is_empty()).then(|| format!("{profile}#{}", url::stage_content_anchor(&s.id))),
                        heat: None,
                    })
                    .collect();
                MapRow {
                    persona: Link { href: profile, text: &p.name },
                    segment: p.segment.as_deref(),
                    gaps: cells.iter().filter(|c| c.count == 0).count(),
                    cells,
                    coverage: percent(cm.row_coverage.get(r).copied().unwrap_or(0.0)),
                }
            })
            .collect()
    }

    pub(super) fn reviews(&self) -> Output {
        let hb = self.hb;
        let dir = &url::section_dir(site_path::REVIEWS);
        let root = self.root_for(dir);
        let root: &str = &root;
        let mut order: Vec<usize> = (0..hb.personas.len()).collect();
        let rank = |s: ReviewState| match s {
            ReviewState::Overdue => 0,
            ReviewState::NeverReviewed => 1,
            ReviewState::Current => 2,
        };
        order.sort_by_key(|&i| (rank(hb.personas[i].review), hb.personas[i].review_due, i));
        let rows: Vec<ReviewRow<'a>> = order
            .iter()
            .map(|&i| {
                let p = &hb.personas[i];
                let days_overdue = match (p.review, p.review_due) {
                    (ReviewState::Overdue, Some(due)) => due.until(hb.today).ok().map(|s| s.get_days()),
                    _ => None,
                };
                ReviewRow {
                    persona: self.persona_link(root, i),
                    owner: p.owner.as_deref(),
                    reviewed: p.reviewed,
                    due: p.review_due,
                    state: p.review,
                    days_overdue,
                    status: p.status,
                }
            })
            .collect();
        let count = |s| rows.iter().filter(|r| r.state == s).count();
        let view = ReviewsPage {
            overdue: count(ReviewState::Overdue),
            never: count(ReviewState::NeverReviewed),
            current: count(ReviewState::Current),
            rows,
            interval_days: hb.config.review_interval_days,
            changes: self.review_changes(root, &order),
        };
        let meta = Meta { dir, title: "Reviews", section: "reviews", description: REVIEWS_TEXT };
        self.render_page(root, &meta, Template("reviews.html", "reviews"), &view)
    }
}
