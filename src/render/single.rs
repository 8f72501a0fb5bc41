//! Pages rendered one at a time, for `serve`'s first pages: while the whole
//! site renders, a page a browser asks for is rendered alone from the same
//! model and theme, byte for byte as the full render makes it.
//!
//! Knows which output each site path is (from `model::site_path`, through
//! the same jobs the full render runs); a path it does not know (the search
//! index, exports, a page that is not there) is left to the full render.

use super::renderer::{Job, Renderer};
use super::{compile, history, THEME_STATIC_DIR};
use crate::model::{site_path, Collection, Handbook};
use crate::theme::Theme;
use std::collections::{HashMap, HashSet};
use tera::Tera;

/// The templates compiled once, and which job makes each page.
pub(crate) struct Single {
    tera: Tera,
    /// Guide pages in navigation order.
    order: Vec<usize>,
    jobs: HashMap<String, Job>,
}

impl Single {
    /// Compiles the templates and lists the pages; `None` when the templates
    /// do not compile (the full render reports it).
    pub fn new(hb: &Handbook, theme: &Theme) -> Option<Single> {
        let (tera, order) = compile(hb, theme).ok()?;
        let jobs = pages(&Renderer::new(hb, &tera, theme, &HashSet::new(), order.clone()));
        Some(Single { tera, order, jobs })
    }

    /// The file at `path` (`personas/ana/index.html`), rendered now, as the
    /// full render renders it; `None` when it is not a page this knows.
    /// `static_names` are the handbook's `static/` files (for avatars).
    pub fn render(&self, hb: &Handbook, theme: &Theme, static_names: &HashSet<&str>, path: &str) -> Option<Vec<u8>> {
        let job = self.jobs.get(path)?;
        let r = Renderer::new(hb, &self.tera, theme, static_names, self.order.clone());
        let (made, bytes) = r.run(job).ok()?;
        (made == path).then_some(bytes)
    }
}

/// The theme's static files as the site has them (`static/style.css`):
/// every one but those the handbook has no use for.
pub(crate) fn theme_statics<'a>(hb: &'a Handbook, theme: &'a Theme) -> impl Iterator<Item = (String, &'a [u8])> + 'a {
    theme
        .static_files()
        .filter(|(name, _)| hb.evidence.is_some() || !crate::theme::EVIDENCE_STATIC.contains(name))
        .filter(|(name, _)| history::wanted_file(hb, name))
        .map(|(name, f)| (format!("{THEME_STATIC_DIR}{name}"), &f.bytes[..]))
}

/// Every page of the site with the job that renders it, and the data
/// scripts the library and the comparison load.
fn pages(r: &Renderer<'_>) -> HashMap<String, Job> {
    let hb = r.hb;
    let section = |name: &str| site_path::page_file(&site_path::section_dir(name));
    let mut jobs: Vec<(String, Job)> = vec![
        (site_path::HOME_FILE.to_string(), Job::Home),
        (site_path::NOT_FOUND_FILE.to_string(), Job::NotFound),
        (section(site_path::PERSONAS), Job::Personas),
        (section(site_path::LIBRARY), Job::Library),
        (section(site_path::CONTENT_MAP), Job::ContentMap),
        (section(site_path::COMPARE), Job::Compare),
        (section(site_path::REVIEWS), Job::Reviews),
        (section(site_path::STAGES), Job::StagesIndex),
        (section(site_path::SEARCH), Job::Search),
        (site_path::LIBRARY_DATA_FILE.to_string(), Job::LibraryData),
        (site_path::COMPARE_DATA_FILE.to_string(), Job::CompareData),
    ];
    if hb.evidence.is_some() {
        jobs.push((section(site_path::INSIGHTS), Job::Insights));
    }
    let item = |collection, id: &str| site_path::page_file(&site_path::item_dir(collection, id));
    for (i, p) in hb.personas.iter().enumerate() {
        jobs.push((item(Collection::Persona, &p.id), Job::Persona(i)));
        jobs.push((site_path::page_file(&site_path::journey_dir(&p.id)), Job::Journey(i)));
    }
    jobs.extend(hb.assets.iter().enumerate().map(|(i, a)| (item(Collection::Asset, &a.id), Job::Asset(i))));
    jobs.extend(hb.pages.iter().enumerate().map(|(i, g)| (item(Collection::Page, &g.id), Job::Page(i))));
    let stages = hb.config.stages.iter().enumerate();
    jobs.extend(stages.map(|(i, s)| (site_path::page_file(&site_path::stage_dir(&s.id)), Job::Stage(i))));
    for t in &r.taxonomies.all {
        jobs.push((section(t.kind.dir()), Job::TaxonomyIndex(t.kind)));
        let terms = t.terms.iter().enumerate();
        jobs.extend(terms.map(|(i, term)| {
            (site_path::page_file(&site_path::term_slug_dir(t.kind, &term.slug)), Job::Term(t.kind, i))
        }));
    }
    // A later job of the same path wins, as in the full render (none should share one).
    jobs.into_iter().collect()
}
