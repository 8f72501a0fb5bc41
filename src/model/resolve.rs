//! raw files -> resolved `Handbook`: typed fields, unique ids, every
//! reference checked (with a "did you mean"), backlinks, review status and
//! the content map. Every problem is collected; nothing stops at the first.

use super::{
    asset, content_map, links, page, persona, Asset, Backlink, Collection, Handbook, Index, ItemRef, Page, Persona,
    ReviewState,
};
use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::load::{Loaded, SourceFile};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// URL paths the site uses itself; a guide page may not take them.
pub const RESERVED_PAGE_IDS: &[&str] = &[
    "personas",
    "journeys",
    "library",
    "content-map",
    "compare",
    "reviews",
    "segments",
    "tags",
    "formats",
    "stages",
    "topics",
    "search",
    "static",
    "404",
    // Files the site writes at its root: a folder of the same name would collide.
    "404.html",
    "sitemap.xml",
    "handbook.json",
    "content-map.csv",
    "index.html",
];

/// What to resolve for.
#[derive(Debug, Clone, Copy)]
pub struct ResolveOptions {
    /// Keep drafts in the model (`--drafts`, and always for `check`).
    pub include_drafts: bool,
    /// The date reviews are measured against.
    pub today: jiff::civil::Date,
}

/// Builds the handbook model. Diagnostics include the loader's.
/// Takes the loaded files by value: front-matter values move into the
/// model instead of being copied.
pub fn resolve(loaded: Loaded, opts: ResolveOptions) -> (Handbook, Diagnostics) {
    let Loaded { config, files, diagnostics, unreadable, .. } = loaded;
    let mut diags = Diagnostics::default();
    diags.extend(diagnostics);

    let mut files = unique_files(files, &mut diags);
    let read: Vec<(Item, Vec<Diagnostic>)> = files
        .par_iter_mut()
        .map(|f| {
            let mut d = Vec::new();
            let fm = std::mem::take(&mut f.front_matter);
            let item = match f.collection {
                Collection::Persona => Item::Persona(Box::new(persona::read(f, fm, &config.stages, &mut d))),
                Collection::Asset => Item::Asset(Box::new(asset::read(f, fm, &mut d))),
                Collection::Page => Item::Page(Box::new(page::read(f, fm, &mut d))),
            };
            (item, d)
        })
        .collect();

    let mut hb = Handbook {
        config,
        today: opts.today,
        personas: Vec::new(),
        assets: Vec::new(),
        pages: Vec::new(),
        content_map: content_map::ContentMap::default(),
        drafts: opts.include_drafts,
        index: Index::default(),
    };
    let mut excluded: HashSet<(Collection, String)> = HashSet::new();
    let mut kept_files: Vec<&SourceFile> = Vec::new();
    for ((item, d), file) in read.into_iter().zip(&files) {
        diags.extend(d);
        let draft = match &item {
            Item::Persona(p) => p.is_draft(),
            Item::Asset(a) => a.draft,
            Item::Page(p) => p.draft,
        };
        if draft && !opts.include_drafts {
            excluded.insert((file.collection, file.id.clone()));
            continue;
        }
        kept_files.push(file);
        match item {
            Item::Persona(p) => hb.personas.push(*p),
            Item::Asset(a) => hb.assets.push(*a),
            Item::Page(p) => hb.pages.push(*p),
        }
    }
    hb.index = build_index(&hb, &kept_files);
    check_page_ids(&kept_files, &mut diags);

    // Files that exist but failed to load: their own error is enough.
    let unreadable = Unreadable {
        ids: unreadable.iter().map(|u| (u.collection, u.id.clone())).collect(),
        paths: unreadable.iter().map(|u| u.content_path.to_lowercase()).collect(),
    };
    let refs = References { hb: &hb, excluded: &excluded, unreadable: &unreadable };
    let found: Vec<FileRefs> = kept_files.par_iter().map(|f| refs.check_file(f)).collect();
    let mut backlinks: Vec<(ItemRef, Backlink)> = Vec::new();
    for (b, d) in found {
        backlinks.extend(b);
        diags.extend(d);
    }
    // Drop references that did not resolve, so later stages only see good ids.
    for p in &mut hb.personas {
        p.related.retain(|id| hb.index.personas.contains_key(id));
    }
    let stage_ids: Vec<&str> = hb.config.stages.iter().map(|s| s.id.as_str()).collect();
    for a in &mut hb.assets {
        a.personas.retain(|id| hb.index.personas.contains_key(id));
        a.stages.retain(|id| stage_ids.contains(&id.as_str()));
        a.stages.sort_by_key(|s| stage_ids.iter().position(|x| x == s));
        a.stages.dedup();
        a.personas.dedup();
    }
    attach_backlinks(&mut hb, backlinks);
    set_reviews(&mut hb);
    hb.content_map = content_map::build(&hb);
    diags.sort();
    (hb, diags)
}

/// The backlinks one file creates, and the problems found in it.
type FileRefs = (Vec<(ItemRef, Backlink)>, Vec<Diagnostic>);

enum Item {
    Persona(Box<Persona>),
    Asset(Box<Asset>),
    Page(Box<Page>),
}

/// Drops files whose id repeats an earlier file's, with an error naming both.
fn unique_files(files: Vec<SourceFile>, diags: &mut Diagnostics) -> Vec<SourceFile> {
    let mut seen: HashMap<(Collection, String), String> = HashMap::new();
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        if let Some(first) = seen.get(&(f.collection, f.id.clone())) {
            diags.push(
                Diagnostic::error(
                    &f.path,
                    1,
                    1,
                    format!("duplicate {} id \"{}\": {first} has the same id", f.collection.word(), f.id),
                )
                .with_source(&f.text, 3)
                .with_hint("ids are file paths without `.md`, compared lower-case; rename one of the files"),
            );
            continue;
        }
        seen.insert((f.collection, f.id.clone()), f.path.clone());
        out.push(f);
    }
    out
}

fn build_index(hb: &Handbook, files: &[&SourceFile]) -> Index {
    let mut index = Index::default();
    for (i, p) in hb.personas.iter().enumerate() {
        index.personas.insert(p.id.clone(), i);
    }
    for (i, a) in hb.assets.iter().enumerate() {
        index.assets.insert(a.id.clone(), i);
    }
    for (i, p) in hb.pages.iter().enumerate() {
        index.pages.insert(p.id.clone(), i);
    }
    for f in files {
        let map = match f.collection {
            Collection::Persona => &index.personas,
            Collection::Asset => &index.assets,
            Collection::Page => &index.pages,
        };
        if let Some(&i) = map.get(&f.id) {
            index.files.insert(f.content_path.to_lowercase(), ItemRef { collection: f.collection, index: i });
        }
    }
    index
}

fn check_page_ids(files: &[&SourceFile], diags: &mut Diagnostics) {
    for f in files.iter().filter(|f| f.collection == Collection::Page) {
        let first = f.id.split('/').next().unwrap_or_default();
        if RESERVED_PAGE_IDS.contains(&first) {
            diags.push(
                Diagnostic::error(
                    &f.path,
                    1,
                    1,
                    format!("guide page \"{}\" would replace the site's own /{first}/ page", f.id),
                )
                .with_hint(format!(
                    "move or rename the file; these folder names are reserved: {}",
                    RESERVED_PAGE_IDS.join(", ")
                )),
            );
        }
    }
}

/// Content files that could not be read, by id and by content path.
struct Unreadable {
    ids: HashSet<(Collection, String)>,
    paths: HashSet<String>,
}

/// Checks every reference in one file; returns backlinks and problems.
struct References<'a> {
    hb: &'a Handbook,
    excluded: &'a HashSet<(Collection, String)>,
    unreadable: &'a Unreadable,
}

impl References<'_> {
    fn check_file(&self, file: &SourceFile) -> FileRefs {
        let hb = self.hb;
        let (mut out, mut diags) = (Vec::new(), Vec::new());
        let map = match file.collection {
            Collection::Persona => &hb.index.personas,
            Collection::Asset => &hb.index.assets,
            Collection::Page => &hb.index.pages,
        };
        let Some(&index) = map.get(&file.id) else { return (out, diags) };
        let from = ItemRef { collection: file.collection, index };
        let loc = file.locator();
        let mut push_ref = |target: Option<ItemRef>, via: &'static str| {
            if let Some(t) = target.filter(|t| *t != from) {
                out.push((t, Backlink { from, via }));
            }
        };

        match file.collection {
            Collection::Persona => {
                let p = &hb.personas[index];
                for id in &p.related {
                    let at = || loc.error(loc.value(&["related"], id), "");
                    let r = self.id_ref(Some(Collection::Persona), id, at, &mut diags);
                    push_ref(r, "related");
                }
                for step in p.journey.iter().flatten() {
                    for text in step.texts() {
                        for (target, written) in links::extract_from_text(text) {
                            let at = || loc.error(loc.value(&["journey"], &written), "");
                            if links::has_empty_label(&written) {
                                diags.push(empty_label(at(), &written));
                            }
                            let r = self.target_ref(file, &target, &written, at, &mut diags);
                            push_ref(r, "journey");
                        }
                    }
                }
            }
            Collection::Asset => {
                let a = &hb.assets[index];
                for id in &a.personas {
                    let at = || loc.error(loc.value(&["personas"], id), "");
                    let r = self.id_ref(Some(Collection::Persona), id, at, &mut diags);
                    push_ref(r, "personas");
                }
                for s in &a.stages {
                    if hb.stage_index(s).is_none() {
                        let pos = loc.value(&["stages"], s);
                        let hint =
                            did_you_mean(s, hb.config.stages.iter().map(|s| s.id.as_str())).unwrap_or_else(|| {
                                format!("the configured stages are: {}", persona::stage_list(&hb.config.stages))
                            });
                        diags.push(loc.error(pos, format!("unknown stage \"{s}\"")).with_hint(hint));
                    }
                }
            }
            Collection::Page => {}
        }
        for link in links::extract(file.body()) {
            let make = || {
                let (line, column) = file.body_position(link.offset);
                Diagnostic::error(&file.path, line, column, "").with_source(&file.text, link.written.chars().count())
            };
            let via = if matches!(link.target, links::Target::Wiki { .. }) { "wiki link" } else { "link" };
            if via == "wiki link" && links::has_empty_label(&link.written) {
                diags.push(empty_label(make(), &link.written));
            }
            let r = self.target_ref(file, &link.target, &link.written, make, &mut diags);
            push_ref(r, via);
        }
        for u in links::refused_urls(file.body()) {
            let (line, column) = file.body_position(u.offset);
            let (what, shown) = if u.image { ("image", "its alt text") } else { ("link to", "text") };
            let message = format!(
                "{what} \"{}\" shown as {shown}: {}: URLs are not allowed on pages",
                u.url.escape_debug(),
                u.scheme
            );
            diags.push(
                Diagnostic::warning(&file.path, line, column, message)
                    .with_source(&file.text, u.url.chars().count())
                    .with_hint(format!("links and images may use {}", crate::safe_url::ALLOWED_TEXT)),
            );
        }
        (out, diags)
    }

    /// Resolves a body or journey link, reporting it when it is broken.
    fn target_ref(
        &self,
        file: &SourceFile,
        target: &links::Target,
        written: &str,
        at: impl Fn() -> Diagnostic,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<ItemRef> {
        match target {
            links::Target::Wiki { collection, id } => self.id_ref(*collection, id, at, diags),
            links::Target::File { path, .. } => {
                if let Some(r) = self.hb.lookup(&file.content_path, target) {
                    return Some(r);
                }
                let joined = links::join_content_path(&file.content_path, path);
                let is_draft = joined.as_ref().is_some_and(|j| self.excluded_file(j));
                let unreadable = joined.as_ref().is_some_and(|j| self.unreadable.paths.contains(&j.to_lowercase()));
                if is_draft || unreadable {
                    return None;
                }
                let shown = joined.as_ref().map_or_else(|| path.clone(), |j| format!("content/{j}"));
                let mut d = at();
                d.problem = (format!("broken link: `{written}` points to {shown}, which does not exist")).into();
                let candidates = self.hb.index.files.keys().map(String::as_str);
                let hint = joined
                    .as_deref()
                    .and_then(|j| crate::diagnostic::closest(j, candidates))
                    .map(|c| format!("did you mean content/{c}? Paths are relative to this file's folder"))
                    .unwrap_or_else(|| "paths are relative to this file's folder".into());
                diags.push(d.with_hint(hint));
                None
            }
        }
    }

    /// Resolves an id; reports unknown ids with the closest existing one.
    fn id_ref(
        &self,
        collection: Option<Collection>,
        id: &str,
        at: impl Fn() -> Diagnostic,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<ItemRef> {
        if let Some(r) = self.hb.lookup_id(collection, id) {
            return Some(r);
        }
        let colls: &[Collection] = match collection {
            Some(c) => match c {
                Collection::Persona => &[Collection::Persona],
                Collection::Asset => &[Collection::Asset],
                Collection::Page => &[Collection::Page],
            },
            None => &[Collection::Persona, Collection::Asset, Collection::Page],
        };
        if colls.iter().any(|c| self.unreadable.ids.contains(&(*c, id.to_string()))) {
            return None;
        }
        if colls.iter().any(|c| self.excluded.contains(&(*c, id.to_string()))) {
            let mut d = at();
            d.severity = crate::diagnostic::Severity::Warning;
            d.problem =
                (format!("\"{id}\" is a draft, left out of this build; the reference shows as plain text")).into();
            diags.push(d.with_hint("build with --drafts to include drafts"));
            return None;
        }
        let word = match collection {
            Some(c) => c.word(),
            None => "persona, asset or page",
        };
        let candidates: Vec<&str> = colls
            .iter()
            .flat_map(|c| match c {
                Collection::Persona => self.hb.index.personas.keys(),
                Collection::Asset => self.hb.index.assets.keys(),
                Collection::Page => self.hb.index.pages.keys(),
            })
            .map(String::as_str)
            .collect();
        let suggestion = crate::diagnostic::closest(id, candidates.iter().copied());
        let mut d = at();
        d.problem = match suggestion {
            Some(s) => format!("unknown {word} id \"{id}\" (did you mean \"{s}\"?)"),
            None => format!("unknown {word} id \"{id}\""),
        }
        .into();
        let hint = match collection {
            Some(Collection::Persona) | None if suggestion.is_none() => {
                "ids are file paths inside content/personas/, content/assets/ or content/ without `.md`".to_string()
            }
            _ => format!("{} ids are file paths without `.md`, lower-case", word),
        };
        diags.push(d.with_hint(hint));
        None
    }

    fn excluded_file(&self, content_path: &str) -> bool {
        let lower = content_path.to_lowercase();
        let id = lower.strip_suffix(".md").unwrap_or(&lower);
        if let Some(p) = id.strip_prefix("personas/") {
            return self.excluded.contains(&(Collection::Persona, p.to_string()));
        }
        if let Some(a) = id.strip_prefix("assets/") {
            return self.excluded.contains(&(Collection::Asset, a.to_string()));
        }
        self.excluded.contains(&(Collection::Page, id.to_string()))
    }
}

/// `[[id|]]`: a link with no text to show.
fn empty_label(mut d: Diagnostic, written: &str) -> Diagnostic {
    d.problem = (format!("wiki link `{written}` has an empty label")).into();
    let bare = written.split('|').next().unwrap_or(written);
    d.with_hint(format!("write `{bare}]]` to show the target's title, or put the text to show after `|`"))
}

fn attach_backlinks(hb: &mut Handbook, mut backlinks: Vec<(ItemRef, Backlink)>) {
    backlinks.sort_by(|a, b| (a.0, a.1.from, a.1.via).cmp(&(b.0, b.1.from, b.1.via)));
    backlinks.dedup_by(|a, b| a.0 == b.0 && a.1.from == b.1.from);
    for (target, b) in backlinks {
        let list = match target.collection {
            Collection::Persona => &mut hb.personas[target.index].backlinks,
            Collection::Asset => &mut hb.assets[target.index].backlinks,
            Collection::Page => &mut hb.pages[target.index].backlinks,
        };
        list.push(b);
    }
}

fn set_reviews(hb: &mut Handbook) {
    let days = hb.config.review_interval_days;
    for p in &mut hb.personas {
        let Some(reviewed) = p.reviewed else {
            p.review = ReviewState::NeverReviewed;
            continue;
        };
        // `days` is range-checked by `Config`; checked anyway, as a date near
        // 9999-12-31 plus any interval is out of range.
        let due = jiff::Span::new().try_days(days).ok().and_then(|span| reviewed.checked_add(span).ok());
        p.review_due = due;
        p.review = match due {
            Some(d) if d < hb.today => ReviewState::Overdue,
            _ => ReviewState::Current,
        };
    }
}
