//! The pages about one thing: home, the persona index, asset pages, guide
//! pages, search and 404 (a persona's profile is `profile`'s). Each builds a view and renders it.

use super::markdown::{body_html, LinkContext};
use super::taxonomy::Kind;
use super::url;
use super::view::{extra_fields, percent, BacklinkView, ExtraField, Layout, Link, PersonaCard, StageLink};
use super::{Meta, Renderer, Template};
use crate::diagnostic::Diagnostic;
use crate::model::persona::Status;
use crate::model::{site_path, Collection, ReviewState};
use serde::Serialize;

type Output = Result<super::OutFile, Diagnostic>;

/// The descriptions (meta tag) of the section pages here.
const PERSONAS_TEXT: &str = "Every persona of the handbook, by segment.";

#[derive(Serialize)]
struct HomePage<'a> {
    personas: Vec<PersonaCard<'a>>,
    more_personas: usize,
    persona_count: usize,
    asset_count: usize,
    page_count: usize,
    stage_count: usize,
    coverage: u32,
    gaps: usize,
    unmapped: usize,
    stage_coverage: Vec<StageCoverage<'a>>,
    overdue: Vec<Link<'a>>,
    overdue_count: usize,
    never_reviewed: usize,
    guides: Vec<Link<'a>>,
}

#[derive(Serialize)]
pub(super) struct StageCoverage<'a> {
    pub stage: StageLink<'a>,
    pub coverage: u32,
    pub assets: usize,
}

#[derive(Serialize)]
struct PersonaGroup<'a> {
    title: &'a str,
    link: Option<Link<'a>>,
    /// Persona cards (see `ListValues`).
    personas: Vec<tera::Value>,
}

#[derive(Serialize)]
struct PersonasPage<'a> {
    groups: Vec<PersonaGroup<'a>>,
    /// The active personas (what the home page counts).
    total: usize,
    /// The retired ones, listed in a group of their own.
    retired: usize,
}

#[derive(Serialize)]
struct AssetPage<'a> {
    title: &'a str,
    format: Option<Link<'a>>,
    url: Option<&'a str>,
    personas: Vec<PersonaCard<'a>>,
    stages: Vec<StageLink<'a>>,
    topics: Vec<Link<'a>>,
    tags: Vec<Link<'a>>,
    owner: Option<&'a str>,
    published: Option<jiff::civil::Date>,
    metrics: Vec<ExtraField<'a>>,
    body: String,
    backlinks: Vec<BacklinkView<'a>>,
    unmapped: bool,
    draft: bool,
    extra: Vec<ExtraField<'a>>,
    source: &'a str,
    /// Its analytics per period, when the handbook has some.
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<super::evidence::AssetMetricsView>,
    history: super::history::ItemHistory<'a>,
}

#[derive(Serialize)]
struct NavItem<'a> {
    href: String,
    title: &'a str,
    current: bool,
}

#[derive(Serialize)]
struct GuidePage<'a> {
    title: &'a str,
    body: String,
    nav: Vec<NavItem<'a>>,
    prev: Option<Link<'a>>,
    next: Option<Link<'a>>,
    backlinks: Vec<BacklinkView<'a>>,
    draft: bool,
    source: &'a str,
    history: super::history::ItemHistory<'a>,
}

#[derive(Serialize)]
struct Empty {}

/// How many persona cards the home page shows before "all personas".
const HOME_CARDS: usize = 12;

impl<'a> Renderer<'a> {
    pub(super) fn home(&self) -> Output {
        let hb = self.hb;
        let root = "";
        let active: Vec<usize> = (0..hb.personas.len()).filter(|&i| hb.personas[i].status != Status::Retired).collect();
        let mut overdue: Vec<usize> =
            (0..hb.personas.len()).filter(|&i| hb.personas[i].review == ReviewState::Overdue).collect();
        overdue.sort_by_key(|&i| hb.personas[i].review_due);
        let view = HomePage {
            personas: active.iter().take(HOME_CARDS).map(|&i| self.persona_card(root, i)).collect(),
            more_personas: active.len().saturating_sub(HOME_CARDS),
            persona_count: active.len(),
            asset_count: hb.assets.len(),
            page_count: hb.pages.len(),
            stage_count: hb.config.stages.len(),
            coverage: percent(hb.content_map.coverage),
            gaps: hb.content_map.gaps,
            unmapped: hb.content_map.unmapped.len(),
            stage_coverage: self.stage_coverage(root),
            overdue_count: overdue.len(),
            overdue: overdue.iter().take(8).map(|&i| self.persona_link(root, i)).collect(),
            never_reviewed: hb.personas.iter().filter(|p| p.review == ReviewState::NeverReviewed).count(),
            guides: self.guide_order.iter().map(|&i| self.page_link(root, i)).collect(),
        };
        let meta = Meta { dir: "", title: &hb.config.title, section: "home", description: &hb.config.description };
        self.render_page(root, &meta, Template("home.html", "home"), &view)
    }

    pub(super) fn stage_coverage(&self, root: &str) -> Vec<StageCoverage<'a>> {
        self.per_stage(|si, s| StageCoverage {
            stage: self.stage_link(root, s),
            coverage: self.stage_percent(si),
            assets: self.placement.by_stage[si].len(),
        })
    }

    pub(super) fn persona_link(&self, root: &str, i: usize) -> Link<'a> {
        let p = &self.hb.personas[i];
        Link { href: url::href(root, &url::dir_of(Collection::Persona, &p.id)), text: &p.name }
    }

    pub(super) fn page_link(&self, root: &str, i: usize) -> Link<'a> {
        let p = &self.hb.pages[i];
        Link { href: url::href(root, &url::dir_of(Collection::Page, &p.id)), text: &p.title }
    }

    pub(super) fn personas(&self) -> Output {
        let hb = self.hb;
        let dir = &url::section_dir(site_path::PERSONAS);
        let root = self.root_for(dir);
        let mut groups: Vec<PersonaGroup<'a>> = Vec::new();
        if let Some(segments) = self.taxonomies.get(Kind::Segment) {
            for t in &segments.terms {
                let personas: Vec<tera::Value> = t
                    .personas
                    .iter()
                    .filter(|&&i| hb.personas[i].status != Status::Retired)
                    .map(|&i| self.card_value(&root, i))
                    .collect::<Result<_, _>>()?;
                if !personas.is_empty() {
                    let link = Some(self.term_link(&root, Kind::Segment, t.name));
                    groups.push(PersonaGroup { title: t.name, link, personas });
                }
            }
        }
        let pick = |f: &dyn Fn(&crate::model::Persona) -> bool| -> Result<Vec<tera::Value>, Diagnostic> {
            (0..hb.personas.len()).filter(|&i| f(&hb.personas[i])).map(|i| self.card_value(&root, i)).collect()
        };
        let no_segment = pick(&|p| p.segment.is_none() && p.status != Status::Retired)?;
        if !no_segment.is_empty() {
            let title = if groups.is_empty() { "All personas" } else { "No segment" };
            groups.push(PersonaGroup { title, link: None, personas: no_segment });
        }
        let retired = pick(&|p| p.status == Status::Retired)?;
        let retired_count = retired.len();
        if !retired.is_empty() {
            groups.push(PersonaGroup { title: "Retired", link: None, personas: retired });
        }
        let view = PersonasPage { groups, total: hb.personas.len() - retired_count, retired: retired_count };
        let meta = Meta { dir, title: "Personas", section: "personas", description: PERSONAS_TEXT };
        self.render_page(&root, &meta, Template("personas.html", "personas"), &view)
    }

    pub(super) fn asset(&self, i: usize) -> Output {
        let (hb, a) = (self.hb, &self.hb.assets[i]);
        let dir = url::dir_of(Collection::Asset, &a.id);
        let root = &*self.root_for(&dir);
        let cx = LinkContext { hb, root, content_path: &a.content_path };
        let view = AssetPage {
            title: &a.title,
            format: a.format.as_deref().map(|f| self.term_link(root, Kind::Format, f)),
            url: a.url.as_deref().and_then(crate::safe_url::allow),
            personas: self.persona_cards(root, &a.personas),
            stages: self.stage_links_for(root, &a.stages),
            topics: self.term_links(root, Kind::Topic, &a.topics),
            tags: self.term_links(root, Kind::Tag, &a.tags),
            owner: a.owner.as_deref(),
            published: a.published,
            metrics: a.metrics.iter().map(|(k, v)| ExtraField { key: k, value: v.clone() }).collect(),
            body: body_html(&cx, &a.body, hb.config.markdown.unsafe_html, &["main", "summary", "backlinks"]),
            backlinks: self.backlinks(root, Collection::Asset, &a.backlinks),
            unmapped: a.is_unmapped(),
            draft: a.draft,
            extra: extra_fields(&a.extra),
            source: &a.source,
            evidence: self.asset_metrics(root, i),
            history: self.item_history(&a.source, &a.content_path),
        };
        let meta = Meta { dir: &dir, title: &a.title, section: "library", description: &self.asset_summaries[i] };
        self.render_page(root, &meta, Template("asset.html", "asset"), &view)
    }

    pub(super) fn guide(&self, i: usize) -> Output {
        let (hb, g) = (self.hb, &self.hb.pages[i]);
        let dir = url::dir_of(Collection::Page, &g.id);
        let root = &*self.root_for(&dir);
        let cx = LinkContext { hb, root, content_path: &g.content_path };
        let pos = self.guide_order.iter().position(|&x| x == i);
        let neighbour = |d: isize| {
            pos.and_then(|p| p.checked_add_signed(d))
                .and_then(|p| self.guide_order.get(p))
                .map(|&j| self.page_link(root, j))
        };
        let view = GuidePage {
            title: &g.title,
            body: body_html(
                &cx,
                without_title(&g.body, &g.title),
                hb.config.markdown.unsafe_html,
                &["main", "backlinks"],
            ),
            nav: self
                .guide_order
                .iter()
                .map(|&j| NavItem {
                    href: url::href(root, &url::dir_of(Collection::Page, &hb.pages[j].id)),
                    title: &hb.pages[j].title,
                    current: j == i,
                })
                .collect(),
            prev: neighbour(-1),
            next: neighbour(1),
            backlinks: self.backlinks(root, Collection::Page, &g.backlinks),
            draft: g.draft,
            source: &g.source,
            history: self.item_history(&g.source, &g.content_path),
        };
        let meta = Meta { dir: &dir, title: &g.title, section: "guides", description: &self.page_summaries[i] };
        self.render_page(root, &meta, Template("page.html", "guide"), &view)
    }

    pub(super) fn search(&self) -> Output {
        let dir = &url::section_dir(site_path::SEARCH);
        let root = self.root_for(dir);
        let meta =
            Meta { dir, title: "Search", section: "search", description: "Search every persona, asset and page." };
        self.render_page(&root, &meta, Template("search.html", "search"), &Empty {})
    }

    /// `404.html` at the root. Servers show it at any depth, so the template
    /// sets `<base href>` to the path of `base_url` (`/` by default) and its
    /// root-relative links resolve from the site root wherever it is shown.
    /// (Opened from disk it has no meaning; every other page works there.)
    pub(super) fn not_found(&self) -> Output {
        let meta = Meta { dir: "", title: "Page not found", section: "", description: "" };
        let layout = Layout { canonical: None, ..self.layout("", &meta) };
        self.page(site_path::NOT_FOUND_FILE.into(), Template("404.html", "not_found"), &layout, &Empty {})
    }
}

/// A guide body without its first `# Title` line when that line is the
/// page's title (it is shown as the page heading already).
fn without_title<'b>(body: &'b str, title: &str) -> &'b str {
    let trimmed = body.trim_start();
    let Some(rest) = trimmed.strip_prefix("# ") else { return body };
    let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
    if line.trim() == title {
        after
    } else {
        body
    }
}
