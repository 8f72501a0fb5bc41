//! Taxonomy pages: an index per kind (`/tags/`) and a page per term
//! (`/tags/high-value/`); the stage pages show every persona's plan for
//! that stage and the content mapped to it.

use super::journey::emotion_label;
use super::markdown::{inline_html, LinkContext};
use super::taxonomy::Kind;
use super::url;
use super::view::{Link, StageLink};
use super::{Meta, Renderer, Template};
use crate::diagnostic::Diagnostic;
use crate::model::persona::Status;
use crate::model::site_path;
use crate::problem::RenderProblem;
use serde::Serialize;

type Output = Result<super::OutFile, Diagnostic>;

/// The descriptions (meta tag) of the section pages here.
const STAGES_TEXT: &str = "The stages of the buying journey, in order.";

#[derive(Serialize)]
struct TermEntry<'a> {
    link: Link<'a>,
    personas: usize,
    assets: usize,
    description: &'a str,
}

#[derive(Serialize)]
struct TaxonomyPage<'a> {
    kind: &'static str,
    singular: &'static str,
    terms: Vec<TermEntry<'a>>,
}

#[derive(Serialize)]
struct TermPage<'a> {
    kind: &'static str,
    kind_href: String,
    singular: &'static str,
    name: &'a str,
    /// Persona cards and asset entries (see `ListValues`).
    personas: Vec<tera::Value>,
    assets: Vec<tera::Value>,
    /// For formats: how many persona stages ask for it.
    wanted: Option<usize>,
    /// The topic of the same word on a tag page, and the other way round.
    see_also: Option<SeeAlso<'a>>,
}

/// A term page of another kind with the same word.
#[derive(Serialize)]
struct SeeAlso<'a> {
    /// `Topic` or `Tag`.
    singular: &'static str,
    link: Link<'a>,
}

#[derive(Serialize)]
struct StageStep<'a> {
    persona: Link<'a>,
    journey_href: String,
    goal: Option<String>,
    emotion: Option<i8>,
    emotion_label: Option<&'static str>,
    needs: Vec<String>,
    formats: Vec<Link<'a>>,
    assets: usize,
}

#[derive(Serialize)]
struct StagePage<'a> {
    stage: StageLink<'a>,
    description: &'a str,
    /// 1-based place of the stage in the journey, of `of`.
    position: usize,
    of: usize,
    /// The stages before and after it.
    prev: Option<StageLink<'a>>,
    next: Option<StageLink<'a>>,
    coverage: u32,
    steps: Vec<StageStep<'a>>,
    /// Asset entries (see `ListValues`).
    assets: Vec<tera::Value>,
}

impl<'a> Renderer<'a> {
    pub(super) fn taxonomy_index(&self, kind: Kind) -> Output {
        let dir = url::section_dir(kind.dir());
        let root = self.root_for(&dir);
        let terms = self
            .taxonomies
            .get(kind)
            .map(|t| {
                t.terms
                    .iter()
                    .map(|t| TermEntry {
                        link: Link { href: url::href(&root, &url::term_slug_dir(kind, &t.slug)), text: t.name },
                        personas: t.personas.len(),
                        assets: t.assets.len(),
                        description: "",
                    })
                    .collect()
            })
            .unwrap_or_default();
        let view = TaxonomyPage { kind: kind.title(), singular: kind.singular(), terms };
        let meta = Meta { dir: &dir, title: kind.title(), section: "", description: "" };
        self.render_page(&root, &meta, Template("taxonomy.html", "taxonomy"), &view)
    }

    pub(super) fn term(&self, kind: Kind, i: usize) -> Output {
        let Some(t) = self.taxonomies.get(kind).and_then(|t| t.terms.get(i)) else {
            return Err(Diagnostic::error("content", 1, 1, RenderProblem::UnknownTerm));
        };
        let dir = url::term_slug_dir(kind, &t.slug);
        let root = self.root_for(&dir);
        let root: &str = &root;
        let wanted = (kind == Kind::Format).then(|| {
            self.hb.content_map.formats.iter().find(|f| url::slug(&f.format) == t.slug).map_or(0, |f| f.wanted)
        });
        let view = TermPage {
            kind: kind.title(),
            kind_href: url::href(root, &url::section_dir(kind.dir())),
            singular: kind.singular(),
            name: t.name,
            personas: t.personas.iter().map(|&p| self.card_value(root, p)).collect::<Result<_, _>>()?,
            assets: self.entry_values(root, &t.assets)?,
            wanted,
            see_also: self.same_word(root, kind, &t.slug),
        };
        let title = format!("{}: {}", kind.singular(), t.name);
        let meta = Meta { dir: &dir, title: &title, section: "", description: "" };
        self.render_page(root, &meta, Template("term.html", "term"), &view)
    }

    /// Tags (on personas and assets) and topics (on assets) are separate
    /// pages; when both kinds have a term with this slug, a link to the other.
    fn same_word(&self, root: &str, kind: Kind, slug: &str) -> Option<SeeAlso<'a>> {
        let other = match kind {
            Kind::Tag => Kind::Topic,
            Kind::Topic => Kind::Tag,
            _ => return None,
        };
        let t = self.taxonomies.get(other)?.terms.iter().find(|t| t.slug == slug)?;
        let link = Link { href: url::href(root, &url::term_slug_dir(other, &t.slug)), text: t.name };
        Some(SeeAlso { singular: other.singular(), link })
    }

    pub(super) fn stages_index(&self) -> Output {
        let hb = self.hb;
        let dir = &url::section_dir(site_path::STAGES);
        let root = self.root_for(dir);
        let terms = self.per_stage(|si, s| TermEntry {
            link: Link { href: url::href(&root, &url::stage_dir(&s.id)), text: &s.name },
            personas: hb.personas.iter().filter(|p| p.journey.get(si).is_some_and(Option::is_some)).count(),
            assets: self.placement.by_stage[si].len(),
            description: &s.description,
        });
        let view = TaxonomyPage { kind: "Stages", singular: "Stage", terms };
        let meta = Meta { dir, title: "Journey stages", section: "", description: STAGES_TEXT };
        self.render_page(&root, &meta, Template("taxonomy.html", "taxonomy"), &view)
    }

    pub(super) fn stage(&self, si: usize) -> Output {
        let hb = self.hb;
        let stages = &hb.config.stages;
        let s = &stages[si];
        let dir = url::stage_dir(&s.id);
        let root = self.root_for(&dir);
        let root: &str = &root;
        let steps = hb
            .personas
            .iter()
            .enumerate()
            .filter(|(_, p)| p.status != Status::Retired)
            .filter_map(|(pi, p)| {
                let step = p.journey.get(si)?.as_ref()?;
                let cx = LinkContext { hb, root, content_path: &p.content_path };
                Some(StageStep {
                    persona: self.persona_link(root, pi),
                    journey_href: url::href(root, &url::journey_dir(&p.id)),
                    goal: step.goal.as_deref().map(|g| inline_html(&cx, g)),
                    emotion: step.emotion,
                    emotion_label: step.emotion.map(emotion_label),
                    needs: step.needs.iter().map(|n| inline_html(&cx, n)).collect(),
                    formats: self.term_links(root, Kind::Format, &step.formats),
                    assets: self.placement.by_persona[pi][si].len(),
                })
            })
            .collect();
        let view = StagePage {
            stage: self.stage_link(root, s),
            description: &s.description,
            position: si + 1,
            of: stages.len(),
            prev: si.checked_sub(1).and_then(|p| stages.get(p)).map(|p| self.stage_link(root, p)),
            next: stages.get(si + 1).map(|n| self.stage_link(root, n)),
            coverage: self.stage_percent(si),
            steps,
            assets: self.entry_values(root, &self.placement.by_stage[si])?,
        };
        let title = format!("Stage: {}", s.name);
        let meta = Meta { dir: &dir, title: &title, section: "", description: &s.description };
        self.render_page(root, &meta, Template("stage.html", "stage"), &view)
    }
}
