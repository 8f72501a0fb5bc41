//! The insights page (`/insights/`) and `personalization.json`: the
//! analytics joined into the model, as a page for marketers and as a file
//! for a website's personalisation engine. Both exist only when the
//! handbook has `analytics:`.

use super::evidence::{count, period_text, Figures, FormatRow, RankedAsset};
use super::view::{AssetItem, Link};
use super::{url, Meta, Renderer, Template};
use crate::diagnostic::Diagnostic;
use crate::model::evidence::{Evidence, StaleReason};
use crate::model::{site_path, Collection, Handbook};
use crate::problem::RenderProblem;
use serde::Serialize;

const INSIGHTS_TEXT: &str = "What the analytics exports say about the content library: formats and assets by conversion rate, stale content, traffic with no asset.";

#[derive(Serialize)]
struct SourceRow<'a> {
    file: &'a str,
    kind: &'static str,
    period: String,
    rows: String,
    pages: String,
    joined: String,
}

#[derive(Serialize)]
struct StageFormats<'a> {
    stage: &'a str,
    formats: Vec<FormatRow<'a>>,
}

#[derive(Serialize)]
struct StaleRow<'a> {
    item: AssetItem<'a>,
    age_days: i64,
    reason: String,
    /// The period visits fell in, if that is the reason.
    period: Option<String>,
}

#[derive(Serialize)]
struct TrafficRow<'a> {
    url: &'a str,
    page: String,
    figures: Figures,
    files: String,
}

#[derive(Serialize)]
struct AudienceRow<'a> {
    item: AssetItem<'a>,
    segment: &'a str,
    share: u32,
    persona: Option<Link<'a>>,
    declared: Vec<Link<'a>>,
}

#[derive(Serialize)]
struct InsightsPage<'a> {
    period: String,
    sources: Vec<SourceRow<'a>>,
    totals: Figures,
    formats: Vec<FormatRow<'a>>,
    by_stage: Vec<StageFormats<'a>>,
    best: Vec<RankedAsset<'a>>,
    worst: Vec<RankedAsset<'a>>,
    stale: Vec<StaleRow<'a>>,
    stale_after_days: i64,
    unmatched: Vec<TrafficRow<'a>>,
    unmatched_pages: String,
    unmatched_totals: Figures,
    no_rows: Vec<AssetItem<'a>>,
    audience: Vec<AudienceRow<'a>>,
    has_segments: bool,
}

/// Why an asset is stale, and the period its visits fell in (if they did).
fn stale_text(r: &StaleReason) -> (String, Option<String>) {
    match r {
        StaleReason::Falling { from, to, period } => {
            (format!("visits fell from {} to {}", count(*from), count(*to)), Some(period_text(*period)))
        }
        StaleReason::BottomQuartile { visits, quartile } => (
            format!("{} visits, in the bottom quarter of the library (at most {})", count(*visits), count(*quartile)),
            None,
        ),
    }
}

type Output = Result<super::OutFile, Diagnostic>;

impl<'a> Renderer<'a> {
    /// `personalization.json`.
    pub(super) fn personalization(&self) -> Output {
        let Some(ev) = self.evidence() else { return Err(missing()) };
        Ok((site_path::PERSONALIZATION_FILE.to_string(), personalization_json(self.hb, ev)?))
    }

    pub(super) fn insights(&self) -> Output {
        let Some(ev) = self.evidence() else { return Err(missing()) };
        let dir = &url::section_dir(site_path::INSIGHTS);
        let root = self.root_for(dir);
        let root: &str = &root;
        let ins = &ev.insights;
        let persona_link = |pi: usize| {
            let p = &self.hb.personas[pi];
            Link { href: url::href(root, &url::dir_of(Collection::Persona, &p.id)), text: &p.name }
        };
        let view = InsightsPage {
            period: period_text(ev.period),
            sources: ev
                .sources
                .iter()
                .map(|s| SourceRow {
                    file: &s.file,
                    kind: s.kind.name(),
                    period: period_text(s.period),
                    rows: count(s.rows as f64),
                    pages: count(s.pages as f64),
                    joined: count(s.joined as f64),
                })
                .collect(),
            totals: Figures::of(&ev.totals),
            formats: self.format_rows(root, &ins.formats),
            by_stage: ins
                .formats_by_stage
                .iter()
                .zip(&self.hb.config.stages)
                .map(|(f, s)| StageFormats { stage: &s.name, formats: self.format_rows(root, f) })
                .collect(),
            best: self.ranked(root, &ins.best),
            worst: self.ranked(root, &ins.worst),
            stale: ins
                .stale
                .iter()
                .map(|s| {
                    let (reason, period) = stale_text(&s.reason);
                    StaleRow { item: self.asset_item(root, s.asset), age_days: s.age_days, reason, period }
                })
                .collect(),
            stale_after_days: self.hb.config.analytics.stale_after_days,
            unmatched: ev
                .unmatched
                .iter()
                .map(|t| TrafficRow {
                    url: &t.url,
                    page: t.key.label(),
                    figures: Figures::of(&t.metrics),
                    files: t.files.join(", "),
                })
                .collect(),
            unmatched_pages: count(ev.unmatched_pages as f64),
            unmatched_totals: Figures::of(&ev.unmatched_totals),
            no_rows: self.asset_items(root, &ins.no_rows),
            audience: ins
                .audience
                .iter()
                .map(|g| AudienceRow {
                    item: self.asset_item(root, g.asset),
                    segment: &g.segment,
                    share: super::view::percent(g.share),
                    persona: g.persona.map(persona_link),
                    declared: self.hb.assets[g.asset]
                        .personas
                        .iter()
                        .filter_map(|id| self.hb.persona_index(id))
                        .map(persona_link)
                        .collect(),
                })
                .collect(),
            has_segments: ev.assets.iter().any(|a| !a.segments.is_empty()),
        };
        let meta = Meta { dir, title: "Insights", section: "insights", description: INSIGHTS_TEXT };
        self.render_page(root, &meta, Template("insights.html", "insights"), &view)
    }
}

fn missing() -> Diagnostic {
    Diagnostic::error(site_path::INSIGHTS, 1, 1, RenderProblem::Export { error: "no analytics to show".into() })
}

/// The schema name `personalization.json` declares (docs/personalization.md).
pub const PERSONALIZATION_SCHEMA: &str = "personabook-personalization/1";

#[derive(Serialize)]
struct Personalization<'a> {
    schema: &'static str,
    site: &'a str,
    period: Option<String>,
    rule: &'static str,
    personas: Vec<PersonaNext<'a>>,
}

#[derive(Serialize)]
struct PersonaNext<'a> {
    id: &'a str,
    name: &'a str,
    segment: Option<&'a str>,
    stages: Vec<StageNext<'a>>,
}

#[derive(Serialize)]
struct StageNext<'a> {
    stage: &'a str,
    name: &'a str,
    content: Vec<Next<'a>>,
}

#[derive(Serialize)]
struct Next<'a> {
    rank: usize,
    asset: &'a str,
    title: &'a str,
    url: Option<&'a str>,
    format: Option<&'a str>,
    score: Option<f64>,
    visits: f64,
    conversions: f64,
    why: &'a str,
}

const RULE: &str = "Only assets declared for the persona and stage. Assets with analytics rows first, by smoothed conversion rate (conversions + prior x 100) / (visits + 100), prior = the conversion rate of all joined traffic; ties by visits, then id. Assets without rows follow in library order, score null.";

/// `personalization.json`: for every persona (content-map row) and stage,
/// the ranked next-best content.
pub fn personalization_json(hb: &Handbook, ev: &Evidence) -> Result<Vec<u8>, Diagnostic> {
    let personas = ev
        .next_best
        .iter()
        .map(|nb| {
            let p = &hb.personas[nb.persona];
            let stages = nb
                .stages
                .iter()
                .zip(&hb.config.stages)
                .map(|(picks, s)| StageNext {
                    stage: &s.id,
                    name: &s.name,
                    content: picks
                        .iter()
                        .enumerate()
                        .map(|(i, pick)| {
                            let a = &hb.assets[pick.asset];
                            let m = &ev.assets[pick.asset].total;
                            Next {
                                rank: i + 1,
                                asset: &a.id,
                                title: &a.title,
                                url: a.url.as_deref(),
                                format: a.format.as_deref(),
                                score: pick.score.map(|s| (s * 1e6).round() / 1e6),
                                visits: m.visits(),
                                conversions: m.conversions,
                                why: &pick.why,
                            }
                        })
                        .collect(),
                })
                .collect();
            PersonaNext { id: &p.id, name: &p.name, segment: p.segment.as_deref(), stages }
        })
        .collect();
    let doc = Personalization {
        schema: PERSONALIZATION_SCHEMA,
        site: &hb.config.title,
        period: ev.period.map(|p| p.to_string()),
        rule: RULE,
        personas,
    };
    let mut out = serde_json::to_vec_pretty(&doc).map_err(|e| {
        Diagnostic::error(site_path::PERSONALIZATION_FILE, 1, 1, RenderProblem::Export { error: e.to_string() })
    })?;
    out.push(b'\n');
    Ok(out)
}
