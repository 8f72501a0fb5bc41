//! The pages about the whole handbook: the library with its filters, the
//! content map, the comparison of personas and the review list.

use super::taxonomy::Kind;
use super::url;
use super::view::{percent, AssetItem, Link, PersonaCard, StageLink};
use super::{Meta, Renderer, Template};
use crate::diagnostic::Diagnostic;
use crate::model::persona::Status;
use crate::model::site_path;
use crate::model::{Collection, ReviewState};
use serde::Serialize;

type Output = Result<super::OutFile, Diagnostic>;

/// The descriptions (meta tag) of the section pages here.
const LIBRARY_TEXT: &str = "Every content asset, filterable by persona, stage, format and topic.";
const MAP_TEXT: &str = "Which content serves each persona at each stage, and where the gaps are.";
const COMPARE_TEXT: &str = "All active personas side by side, field by field.";
const REVIEWS_TEXT: &str = "Every persona with its owner, last review and whether it is overdue.";

/// One choice of a library filter.
#[derive(Serialize)]
struct Choice<'a> {
    value: &'a str,
    text: &'a str,
    count: usize,
}

/// An asset in the library, with what the filters match on. The `data_*`
/// lists are `|`-delimited (`|ana|emea/jonas|`) so the script can match
/// whole ids with `includes("|" + id + "|")`.
#[derive(Serialize)]
struct LibraryItem<'a> {
    item: AssetItem<'a>,
    summary: &'a str,
    personas: Vec<Link<'a>>,
    stages: Vec<StageLink<'a>>,
    topics: Vec<&'a str>,
    data_personas: String,
    data_stages: String,
    data_topics: String,
    data_format: &'a str,
}

#[derive(Serialize)]
struct LibraryPage<'a> {
    items: Vec<LibraryItem<'a>>,
    personas: Vec<Choice<'a>>,
    stages: Vec<Choice<'a>>,
    formats: Vec<Choice<'a>>,
    topics: Vec<Choice<'a>>,
    total: usize,
}

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
    /// The heat map's legend and switch, when the handbook has analytics.
    #[serde(skip_serializing_if = "Option::is_none")]
    heat: Option<super::evidence::HeatMap>,
}

#[derive(Serialize)]
struct CompareCell<'a> {
    text: Option<&'a str>,
    items: &'a [String],
    link: Option<Link<'a>>,
}

#[derive(Serialize)]
struct CompareRow<'a> {
    label: &'static str,
    cells: Vec<CompareCell<'a>>,
}

#[derive(Serialize)]
struct ComparePage<'a> {
    personas: Vec<PersonaCard<'a>>,
    rows: Vec<CompareRow<'a>>,
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

/// `|a|b|` for the library's data attributes.
fn delimited<'s>(items: impl Iterator<Item = &'s str>) -> String {
    let mut s = String::from("|");
    for i in items {
        s.push_str(i);
        s.push('|');
    }
    s
}

impl<'a> Renderer<'a> {
    pub(super) fn library(&self) -> Output {
        let hb = self.hb;
        let dir = &url::section_dir(site_path::LIBRARY);
        let root = self.root_for(dir);
        let root: &str = &root;
        let mut persona_counts = vec![0usize; hb.personas.len()];
        // Newest first, then by title: what a reader of a library expects.
        let mut order: Vec<usize> = (0..hb.assets.len()).collect();
        order.sort_by(|&x, &y| {
            let (a, b) = (&hb.assets[x], &hb.assets[y]);
            b.published.cmp(&a.published).then_with(|| a.title.to_lowercase().cmp(&b.title.to_lowercase()))
        });
        let items = order
            .into_iter()
            .map(|i| {
                let a = &hb.assets[i];
                let persona_ix: Vec<usize> = a.personas.iter().filter_map(|id| hb.persona_index(id)).collect();
                for &p in &persona_ix {
                    persona_counts[p] += 1;
                }
                LibraryItem {
                    item: self.asset_item(root, i),
                    summary: &self.asset_summaries[i],
                    personas: persona_ix.iter().map(|&p| self.persona_link(root, p)).collect(),
                    stages: self.stage_links_for(root, &a.stages),
                    topics: a.topics.iter().map(String::as_str).collect(),
                    data_personas: delimited(a.personas.iter().map(String::as_str)),
                    data_stages: delimited(a.stages.iter().map(String::as_str)),
                    data_topics: delimited(a.topics.iter().map(String::as_str)),
                    data_format: a.format.as_deref().unwrap_or(""),
                }
            })
            .collect();
        let personas = hb
            .personas
            .iter()
            .zip(&persona_counts)
            .filter(|(_, &n)| n > 0)
            .map(|(p, &count)| Choice { value: &p.id, text: &p.name, count })
            .collect();
        let stages =
            self.per_stage(|si, s| Choice { value: &s.id, text: &s.name, count: self.placement.by_stage[si].len() });
        let choices = |kind| {
            self.taxonomies
                .get(kind)
                .map(|t| {
                    t.terms.iter().map(|t| Choice { value: t.name, text: t.name, count: t.assets.len() }).collect()
                })
                .unwrap_or_default()
        };
        let view = LibraryPage {
            items,
            personas,
            stages,
            formats: choices(Kind::Format),
            topics: choices(Kind::Topic),
            total: hb.assets.len(),
        };
        let meta = Meta { dir, title: "Content library", section: "library", description: LIBRARY_TEXT };
        self.render_page(root, &meta, Template("library.html", "library"), &view)
    }

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
        let view = ContentMapPage {
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

    pub(super) fn compare(&self) -> Output {
        let hb = self.hb;
        let dir = &url::section_dir(site_path::COMPARE);
        let root = self.root_for(dir);
        let root: &str = &root;
        let active: Vec<usize> = (0..hb.personas.len()).filter(|&i| hb.personas[i].status == Status::Active).collect();
        let ps = || active.iter().map(|&i| &hb.personas[i]);
        let text = |label, f: &dyn Fn(&'a crate::model::Persona) -> Option<&'a str>| CompareRow {
            label,
            cells: ps().map(|p| CompareCell { text: f(p), items: &[], link: None }).collect(),
        };
        let items = |label, f: &dyn Fn(&'a crate::model::Persona) -> &'a [String]| CompareRow {
            label,
            cells: ps().map(|p| CompareCell { text: None, items: f(p), link: None }).collect(),
        };
        let segment = CompareRow {
            label: "Segment",
            cells: ps()
                .map(|p| CompareCell {
                    text: None,
                    items: &[],
                    link: p.segment.as_deref().map(|s| self.term_link(root, Kind::Segment, s)),
                })
                .collect(),
        };
        let rows = vec![
            text("Role", &|p| p.role.as_deref()),
            segment,
            text("Age", &|p| p.age.as_deref()),
            text("Location", &|p| p.location.as_deref()),
            text("Purchasing role", &|p| p.purchasing_role.as_deref()),
            text("Quote", &|p| p.quote.as_deref()),
            items("Goals", &|p| &p.goals),
            items("Challenges", &|p| &p.challenges),
            items("Attitudes", &|p| &p.attitudes),
            items("Values", &|p| &p.values),
            items("Interests", &|p| &p.interests),
            items("Tools and devices", &|p| &p.preferred_tech),
            items("Channels", &|p| &p.channels),
            items("What we offer them", &|p| &p.key_benefits),
            text("Owner", &|p| p.owner.as_deref()),
        ];
        let view = ComparePage { personas: active.iter().map(|&i| self.persona_card(root, i)).collect(), rows };
        let meta = Meta { dir, title: "Compare personas", section: "compare", description: COMPARE_TEXT };
        self.render_page(root, &meta, Template("compare.html", "compare"), &view)
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
