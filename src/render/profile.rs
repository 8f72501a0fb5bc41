//! A persona's profile page: the card, the fact sheet, the list sections,
//! the narrative, the journey, the content per stage, related personas and
//! backlinks. Builds the view and renders it; reads only the model.

use super::journey::JourneyView;
use super::markdown::{body_html, LinkContext};
use super::taxonomy::Kind;
use super::url;
use super::view::{extra_fields, AssetItem, BacklinkView, ExtraField, Link, PersonaCard, StageLink};
use super::{Meta, Renderer, Template};
use crate::diagnostic::Diagnostic;
use crate::model::persona::{Confidence, Metric, SourceRef, Status};
use crate::model::{Collection, Persona, ReviewState};
use serde::Serialize;

type Output = Result<super::OutFile, Diagnostic>;

/// Element ids a persona page uses for its own sections; body headings avoid them.
const PERSONA_IDS: &[&str] = &[
    "main",
    "profile",
    "facts",
    "narrative",
    "goals",
    "challenges",
    "attitudes",
    "values",
    "interests",
    "tech",
    "channels",
    "benefits",
    "metrics",
    "sources",
    "review",
    "journey",
    "content",
    "related",
    "backlinks",
    "more",
];

#[derive(Serialize)]
struct Fact<'a> {
    label: &'static str,
    text: Option<&'a str>,
    link: Option<Link<'a>>,
}

#[derive(Serialize)]
struct ListSection<'a> {
    id: &'static str,
    title: &'static str,
    items: &'a [String],
}

#[derive(Serialize)]
struct StageContent<'a> {
    stage: StageLink<'a>,
    anchor: String,
    assets: Vec<AssetItem<'a>>,
}

#[derive(Serialize)]
struct PersonaPage<'a> {
    card: PersonaCard<'a>,
    quote: Option<&'a str>,
    facts: Vec<Fact<'a>>,
    sections: Vec<ListSection<'a>>,
    metrics: &'a [Metric],
    sources: &'a [SourceRef],
    confidence: Option<Confidence>,
    review: ReviewState,
    reviewed: Option<jiff::civil::Date>,
    review_due: Option<jiff::civil::Date>,
    owner: Option<&'a str>,
    retired: bool,
    draft: bool,
    tags: Vec<Link<'a>>,
    body: String,
    journey: JourneyView<'a>,
    journey_href: String,
    /// The persona's content per stage, and what names the persona but no stage.
    content: Vec<StageContent<'a>>,
    unstaged: Vec<AssetItem<'a>>,
    /// How many assets serve the persona at all.
    content_count: usize,
    related: Vec<PersonaCard<'a>>,
    backlinks: Vec<BacklinkView<'a>>,
    extra: Vec<ExtraField<'a>>,
    source: &'a str,
    /// What works per stage, when the handbook has analytics.
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<super::evidence::PersonaEvidenceView<'a>>,
}

impl<'a> Renderer<'a> {
    pub(super) fn persona(&self, i: usize) -> Output {
        let hb = self.hb;
        let p = &hb.personas[i];
        let dir = url::dir_of(Collection::Persona, &p.id);
        let root = self.root_for(&dir);
        let root: &str = &root;
        let content = self.stage_content(root, i);
        let mut taken: Vec<String> = content.iter().map(|c| c.anchor.clone()).collect();
        taken.extend(PERSONA_IDS.iter().map(|s| s.to_string()));
        let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
        let cx = LinkContext { hb, root, content_path: &p.content_path };
        // The assets shown under "Content by stage", sorted.
        let mut shown: Vec<usize> = self.placement.by_persona[i].iter().flatten().copied().collect();
        shown.sort_unstable();
        shown.dedup();
        let view = PersonaPage {
            card: self.persona_card(root, i),
            quote: p.quote.as_deref(),
            facts: self.facts(root, p),
            sections: sections(p),
            metrics: &p.metrics,
            sources: &p.sources,
            confidence: p.confidence,
            review: p.review,
            reviewed: p.reviewed,
            review_due: p.review_due,
            owner: p.owner.as_deref(),
            retired: p.status == Status::Retired,
            draft: p.status == Status::Draft,
            tags: self.term_links(root, Kind::Tag, &p.tags),
            body: body_html(&cx, &p.body, hb.config.markdown.unsafe_html, &taken),
            journey: self.journey_view(root, i, false),
            journey_href: url::href(root, &url::journey_dir(&p.id)),
            content,
            unstaged: self.asset_items(root, &self.placement.unstaged[i]),
            content_count: shown.len() + self.placement.unstaged[i].len(),
            related: self.persona_cards(root, &p.related),
            // An asset shown under "Content by stage" is not listed again.
            backlinks: self.backlinks(
                root,
                Collection::Persona,
                p.backlinks.iter().filter(|b| {
                    let listed = shown.binary_search(&b.from.index).is_ok()
                        || self.placement.unstaged[i].contains(&b.from.index);
                    !(b.from.collection == Collection::Asset && listed)
                }),
            ),
            extra: extra_fields(&p.extra),
            source: &p.source,
            evidence: self.persona_evidence(root, i),
        };
        let description = p.summary.as_deref().or(p.role.as_deref()).unwrap_or("");
        let meta = Meta { dir: &dir, title: &p.name, section: "personas", description };
        self.render_page(root, &meta, Template("persona.html", "persona"), &view)
    }

    /// The fact sheet: the fields that are set, the segment as a link.
    fn facts(&self, root: &str, p: &'a Persona) -> Vec<Fact<'a>> {
        let text = |label: &'static str, v: &'a Option<String>| Fact { label, text: v.as_deref(), link: None };
        let mut facts = vec![text("Role", &p.role)];
        if let Some(s) = &p.segment {
            facts.push(Fact { label: "Segment", text: None, link: Some(self.term_link(root, Kind::Segment, s)) });
        }
        facts.extend([
            text("Age", &p.age),
            text("Location", &p.location),
            text("Education", &p.education),
            text("Purchasing role", &p.purchasing_role),
        ]);
        facts.retain(|f| f.text.is_some() || f.link.is_some());
        facts
    }

    /// The persona's content, stage by stage, each stage with its anchor.
    fn stage_content(&self, root: &str, i: usize) -> Vec<StageContent<'a>> {
        let stages = &self.hb.config.stages;
        let cells = &self.placement.by_persona[i];
        stages
            .iter()
            .zip(cells)
            .map(|(s, assets)| StageContent {
                stage: self.stage_link(root, s),
                anchor: url::stage_content_anchor(&s.id),
                assets: self.asset_items(root, assets),
            })
            .collect()
    }
}

/// The list sections of a profile, in the order the page shows them.
fn sections(p: &Persona) -> Vec<ListSection<'_>> {
    let list = |id, title, items| ListSection { id, title, items };
    vec![
        list("goals", "Goals and aspirations", &p.goals),
        list("challenges", "Challenges and pain points", &p.challenges),
        list("attitudes", "Attitudes and beliefs", &p.attitudes),
        list("values", "Values", &p.values),
        list("interests", "Interests and hobbies", &p.interests),
        list("tech", "Tools and devices", &p.preferred_tech),
        list("channels", "Where they look for information", &p.channels),
        list("benefits", "What we offer them", &p.key_benefits),
    ]
}
