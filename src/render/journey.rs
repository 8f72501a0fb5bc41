//! A persona's journey map: one column per configured stage, in the
//! configured order, and the emotion curve as inline SVG coordinates (the
//! template draws it, so a theme can restyle it).

use super::markdown::{inline_html, LinkContext};
use super::taxonomy::Kind;
use super::url;
use super::view::{AssetItem, Link, PersonaCard, StageLink};
use super::{Meta, Renderer, Template};
use crate::diagnostic::Diagnostic;
use crate::model::Collection;
use serde::Serialize;

/// Width of one stage in the curve's coordinate system.
const COLUMN: i32 = 200;
/// Height of the curve's coordinate system and the distance between two emotion levels.
const HEIGHT: i32 = 210;
const STEP: i32 = 40;

/// The journey of one persona, stage by stage.
#[derive(Debug, Serialize)]
pub struct JourneyView<'a> {
    pub columns: Vec<JourneyColumn<'a>>,
    pub curve: Curve<'a>,
    /// Whether any stage has something written for it.
    pub has_steps: bool,
}

/// One stage of a journey. Texts are HTML (escaped, with `[[links]]`).
#[derive(Debug, Serialize)]
pub struct JourneyColumn<'a> {
    pub stage: StageLink<'a>,
    pub description: &'a str,
    pub has_step: bool,
    pub goal: Option<String>,
    pub questions: Vec<String>,
    pub touchpoints: Vec<String>,
    pub emotion: Option<i8>,
    pub emotion_label: Option<&'static str>,
    /// `+1`, `0`, `-2`: the emotion as the curve's scale writes it.
    pub emotion_text: Option<&'static str>,
    pub pain_points: Vec<String>,
    pub opportunities: Vec<String>,
    pub needs: Vec<String>,
    pub formats: Vec<Link<'a>>,
    pub assets: Vec<AssetItem<'a>>,
}

/// The emotion curve: a path over -2..2 with a labelled point per stage that has an emotion.
#[derive(Debug, Serialize)]
pub struct Curve<'a> {
    pub width: i32,
    pub height: i32,
    /// SVG path data; a stage without an emotion breaks the line.
    pub path: String,
    pub points: Vec<CurvePoint<'a>>,
    pub grid: Vec<GridLine>,
    /// The curve in words, for screen readers.
    pub summary: String,
}

#[derive(Debug, Serialize)]
pub struct CurvePoint<'a> {
    pub x: i32,
    pub y: i32,
    /// Where the label goes (above the point, or below near the top edge).
    pub label_y: i32,
    pub value: i8,
    /// `+1`, `0`, `-2`.
    pub value_text: &'static str,
    pub label: &'static str,
    pub stage: &'a str,
}

#[derive(Debug, Serialize)]
pub struct GridLine {
    pub y: i32,
    pub value_text: &'static str,
    pub label: &'static str,
}

/// The journey page's view.
#[derive(Debug, Serialize)]
struct JourneyPage<'a> {
    persona: PersonaCard<'a>,
    journey: JourneyView<'a>,
    profile_href: String,
    /// What works per stage, when the handbook has analytics.
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<super::evidence::PersonaEvidenceView<'a>>,
}

/// The word for an emotion level.
pub fn emotion_label(v: i8) -> &'static str {
    match v {
        i8::MIN..=-2 => "Frustrated",
        -1 => "Uneasy",
        0 => "Neutral",
        1 => "Pleased",
        _ => "Delighted",
    }
}

fn value_text(v: i8) -> &'static str {
    match v {
        i8::MIN..=-2 => "−2",
        -1 => "−1",
        0 => "0",
        1 => "+1",
        _ => "+2",
    }
}

fn y_of(v: i8) -> i32 {
    HEIGHT / 2 - i32::from(v.clamp(-2, 2)) * STEP
}

impl<'a> Renderer<'a> {
    /// The journey of persona `i`, with hrefs relative to `root`.
    pub(super) fn journey_view(&self, root: &str, i: usize, with_assets: bool) -> JourneyView<'a> {
        let hb = self.hb;
        let p = &hb.personas[i];
        let cx = LinkContext { hb, root, content_path: &p.content_path };
        let html = |list: &[String]| list.iter().map(|t| inline_html(&cx, t)).collect::<Vec<_>>();
        let mut has_steps = false;
        let columns: Vec<JourneyColumn<'a>> = hb
            .config
            .stages
            .iter()
            .enumerate()
            .map(|(si, stage)| {
                let step = p.journey.get(si).and_then(Option::as_ref);
                has_steps |= step.is_some();
                let assets =
                    if with_assets { self.asset_items(root, &self.placement.by_persona[i][si]) } else { Vec::new() };
                match step {
                    Some(s) => JourneyColumn {
                        stage: self.stage_link(root, stage),
                        description: &stage.description,
                        has_step: true,
                        goal: s.goal.as_deref().map(|g| inline_html(&cx, g)),
                        questions: html(&s.questions),
                        touchpoints: html(&s.touchpoints),
                        emotion: s.emotion,
                        emotion_label: s.emotion.map(emotion_label),
                        emotion_text: s.emotion.map(value_text),
                        pain_points: html(&s.pain_points),
                        opportunities: html(&s.opportunities),
                        needs: html(&s.needs),
                        formats: self.term_links(root, Kind::Format, &s.formats),
                        assets,
                    },
                    None => JourneyColumn {
                        stage: self.stage_link(root, stage),
                        description: &stage.description,
                        has_step: false,
                        goal: None,
                        questions: Vec::new(),
                        touchpoints: Vec::new(),
                        emotion: None,
                        emotion_label: None,
                        emotion_text: None,
                        pain_points: Vec::new(),
                        opportunities: Vec::new(),
                        needs: Vec::new(),
                        formats: Vec::new(),
                        assets,
                    },
                }
            })
            .collect();
        let curve = self.curve(i);
        JourneyView { columns, curve, has_steps }
    }

    fn curve(&self, i: usize) -> Curve<'a> {
        let hb = self.hb;
        let p = &hb.personas[i];
        let mut path = String::new();
        let mut points = Vec::new();
        let mut summary = Vec::new();
        let mut pen_down = false;
        for (si, stage) in hb.config.stages.iter().enumerate() {
            let emotion = p.journey.get(si).and_then(Option::as_ref).and_then(|s| s.emotion);
            let Some(v) = emotion else {
                pen_down = false;
                summary.push(format!("{}: not recorded", stage.name));
                continue;
            };
            let x = COLUMN / 2 + COLUMN * si as i32;
            let y = y_of(v);
            path.push_str(if pen_down { " L" } else { " M" });
            path.push_str(&format!("{x} {y}"));
            pen_down = true;
            let label_y = if y < 60 { y + 34 } else { y - 16 };
            points.push(CurvePoint {
                x,
                y,
                label_y,
                value: v,
                value_text: value_text(v),
                label: emotion_label(v),
                stage: &stage.name,
            });
            summary.push(format!("{}: {} ({})", stage.name, emotion_label(v).to_lowercase(), value_text(v)));
        }
        let grid = (-2..=2)
            .rev()
            .map(|v: i8| GridLine { y: y_of(v), value_text: value_text(v), label: emotion_label(v) })
            .collect();
        let n = hb.config.stages.len().max(1) as i32;
        Curve {
            width: COLUMN * n,
            height: HEIGHT,
            path: path.trim().to_string(),
            points,
            grid,
            summary: summary.join("; "),
        }
    }

    /// `/journeys/<id>/`.
    pub(super) fn journey(&self, i: usize) -> Result<super::OutFile, Diagnostic> {
        let p = &self.hb.personas[i];
        let dir = url::journey_dir(&p.id);
        let root = self.root_for(&dir);
        let title = format!("Journey map: {}", p.name);
        let description = format!("How {} moves through the buying journey, stage by stage.", p.name);
        let meta = Meta { dir: &dir, title: &title, section: "personas", description: &description };
        let view = JourneyPage {
            persona: self.persona_card(&root, i),
            journey: self.journey_view(&root, i, true),
            profile_href: url::href(&root, &url::dir_of(Collection::Persona, &p.id)),
            evidence: self.persona_evidence(&root, i),
        };
        self.render_page(&root, &meta, Template("journey.html", "journey"), &view)
    }
}
