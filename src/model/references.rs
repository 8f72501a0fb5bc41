//! Checks every reference of one file: `related`, an asset's `personas` and
//! `stages`, `[[links]]` in journeys and bodies, `.md` links and refused
//! URLs. Returns the backlinks the file creates and the problems in it;
//! never changes the model (the resolver attaches the backlinks).

use super::{links, persona, Backlink, Collection, Handbook, ItemRef, Via};
use crate::diagnostic::{closest, did_you_mean, Diagnostic, Severity};
use crate::load::yaml::Locator;
use crate::load::SourceFile;
use crate::problem::ModelProblem;
use std::collections::HashSet;

/// The backlinks one file creates, and the problems found in it.
pub(super) type FileRefs = (Vec<(ItemRef, Backlink)>, Vec<Diagnostic>);

/// Every collection, in the order a bare `[[id]]` is looked up.
pub(super) const ALL: [Collection; 3] = [Collection::Persona, Collection::Asset, Collection::Page];

/// Content files that could not be read, by id and by content path.
pub(super) struct Unreadable {
    pub ids: HashSet<(Collection, String)>,
    pub paths: HashSet<String>,
}

/// What references are checked against.
pub(super) struct References<'a> {
    pub hb: &'a Handbook,
    /// Drafts left out of this build, by collection and id.
    pub excluded: &'a HashSet<(Collection, String)>,
    pub unreadable: &'a Unreadable,
}

/// Where a reference is written, so a problem with it is reported there.
/// The position is found only when there is a problem: finding a value in
/// the YAML text costs a search.
enum At<'f> {
    /// A front-matter value under the key at `key`.
    Value { loc: &'f Locator<'f>, key: &'f str, value: &'f str },
    /// A link in the body, at a byte offset, as written.
    Body { file: &'f SourceFile, offset: usize, written: &'f str },
}

impl At<'_> {
    fn report(&self, severity: Severity, problem: ModelProblem) -> Diagnostic {
        match *self {
            At::Value { loc, key, value } => {
                let pos = loc.value(&[key], value);
                match severity {
                    Severity::Error => loc.error(pos, problem),
                    Severity::Warning => loc.warning(pos, problem),
                }
            }
            At::Body { file, offset, written } => {
                let (line, column) = file.body_position(offset);
                let d = match severity {
                    Severity::Error => Diagnostic::error(&file.path, line, column, problem),
                    Severity::Warning => Diagnostic::warning(&file.path, line, column, problem),
                };
                d.with_source(&file.text, written.chars().count())
            }
        }
    }

    fn error(&self, problem: ModelProblem) -> Diagnostic {
        self.report(Severity::Error, problem)
    }
}

/// The references found in one file, as they are found.
struct Found<'f> {
    from: ItemRef,
    file: &'f SourceFile,
    backlinks: Vec<(ItemRef, Backlink)>,
    diags: Vec<Diagnostic>,
}

impl Found<'_> {
    fn backlink(&mut self, target: Option<ItemRef>, via: Via) {
        if let Some(t) = target.filter(|t| *t != self.from) {
            self.backlinks.push((t, Backlink { from: self.from, via }));
        }
    }
}

impl References<'_> {
    /// Checks every reference in `file`.
    pub fn check_file(&self, file: &SourceFile) -> FileRefs {
        let Some(&index) = self.hb.index.ids(file.collection).get(&file.id) else { return (Vec::new(), Vec::new()) };
        let from = ItemRef { collection: file.collection, index };
        let mut found = Found { from, file, backlinks: Vec::new(), diags: Vec::new() };
        match file.collection {
            Collection::Persona => self.persona_refs(index, &mut found),
            Collection::Asset => self.asset_refs(index, &mut found),
            Collection::Page => {}
        }
        self.body_refs(&mut found);
        (found.backlinks, found.diags)
    }

    /// Front-matter ids, each pointing at a persona: `related`, an asset's `personas`.
    fn persona_ids(&self, key: &str, ids: &[String], via: Via, found: &mut Found<'_>) {
        let loc = found.file.locator();
        for id in ids {
            let at = At::Value { loc: &loc, key, value: id };
            let r = self.id_ref(Some(Collection::Persona), id, &at, &mut found.diags);
            found.backlink(r, via);
        }
    }

    fn persona_refs(&self, index: usize, found: &mut Found<'_>) {
        let p = &self.hb.personas[index];
        self.persona_ids("related", &p.related, Via::Related, found);
        let file = found.file;
        let loc = file.locator();
        for text in p.journey.iter().flatten().flat_map(|step| step.texts()) {
            for (target, written) in links::extract_from_text(text) {
                let at = At::Value { loc: &loc, key: "journey", value: &written };
                if links::has_empty_label(&written) {
                    found.diags.push(empty_label(&at, &written));
                }
                let r = self.target_ref(file, &target, &written, &at, &mut found.diags);
                found.backlink(r, Via::Journey);
            }
        }
    }

    fn asset_refs(&self, index: usize, found: &mut Found<'_>) {
        let hb = self.hb;
        let a = &hb.assets[index];
        self.persona_ids("personas", &a.personas, Via::Personas, found);
        let loc = found.file.locator();
        for s in a.stages.iter().filter(|s| hb.stage_index(s).is_none()) {
            let hint = did_you_mean(s, hb.config.stages.iter().map(|s| s.id.as_str()))
                .unwrap_or_else(|| format!("the configured stages are: {}", persona::stage_list(&hb.config.stages)));
            let at = At::Value { loc: &loc, key: "stages", value: s };
            found.diags.push(at.error(ModelProblem::UnknownStage { id: s.clone() }).with_hint(hint));
        }
    }

    /// Links in the body, and URLs a page refuses.
    fn body_refs(&self, found: &mut Found<'_>) {
        let file = found.file;
        for link in links::extract(file.body()) {
            let at = At::Body { file, offset: link.offset, written: &link.written };
            let wiki = matches!(link.target, links::Target::Wiki { .. });
            if wiki && links::has_empty_label(&link.written) {
                found.diags.push(empty_label(&at, &link.written));
            }
            let r = self.target_ref(file, &link.target, &link.written, &at, &mut found.diags);
            found.backlink(r, if wiki { Via::WikiLink } else { Via::Link });
        }
        for u in links::refused_urls(file.body()) {
            let (line, column) = file.body_position(u.offset);
            let width = u.url.chars().count();
            let problem = ModelProblem::RefusedUrl { image: u.image, url: u.url, scheme: u.scheme };
            found.diags.push(
                Diagnostic::warning(&file.path, line, column, problem)
                    .with_source(&file.text, width)
                    .with_hint(format!("links and images may use {}", crate::safe_url::ALLOWED_TEXT)),
            );
        }
    }

    /// Resolves a body or journey link, reporting it when it is broken.
    fn target_ref(
        &self,
        file: &SourceFile,
        target: &links::Target,
        written: &str,
        at: &At<'_>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<ItemRef> {
        let path = match target {
            links::Target::Wiki { collection, id } => return self.id_ref(*collection, id, at, diags),
            links::Target::File { path, .. } => path,
        };
        if let Some(r) = self.hb.lookup(&file.content_path, target) {
            return Some(r);
        }
        let joined = links::join_content_path(&file.content_path, path);
        let is_draft = joined.as_ref().is_some_and(|j| self.excluded_file(j));
        let unreadable = joined.as_ref().is_some_and(|j| self.unreadable.paths.contains(&j.to_lowercase()));
        if is_draft || unreadable {
            return None;
        }
        let shown = joined.as_ref().map_or_else(|| path.clone(), |j| crate::layout::content_file(j));
        let problem = ModelProblem::BrokenLink { written: written.to_string(), target: shown };
        let candidates = self.hb.index.files.keys().map(String::as_str);
        let hint = joined
            .as_deref()
            .and_then(|j| closest(j, candidates))
            .map(|c| format!("did you mean content/{c}? Paths are relative to this file's folder"))
            .unwrap_or_else(|| "paths are relative to this file's folder".into());
        diags.push(at.error(problem).with_hint(hint));
        None
    }

    /// Resolves an id; reports unknown ids with the closest existing one.
    fn id_ref(
        &self,
        collection: Option<Collection>,
        id: &str,
        at: &At<'_>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<ItemRef> {
        if let Some(r) = self.hb.lookup_id(collection, id) {
            return Some(r);
        }
        let colls: &[Collection] = match collection {
            Some(c) => std::slice::from_ref(ALL.iter().find(|x| **x == c).unwrap_or(&ALL[0])),
            None => &ALL,
        };
        let known = |set: &HashSet<(Collection, String)>| colls.iter().any(|c| set.contains(&(*c, id.to_string())));
        if known(&self.unreadable.ids) {
            return None;
        }
        if known(self.excluded) {
            let d = at.report(Severity::Warning, ModelProblem::DraftReference { id: id.to_string() });
            diags.push(d.with_hint("build with --drafts to include drafts"));
            return None;
        }
        let candidates = colls.iter().flat_map(|c| self.hb.index.ids(*c).keys()).map(String::as_str);
        let suggestion = closest(id, candidates).map(str::to_string);
        let hint = match collection {
            Some(Collection::Persona) | None if suggestion.is_none() => {
                "ids are file paths inside content/personas/, content/assets/ or content/ without `.md`".to_string()
            }
            c => format!("{} ids are file paths without `.md`, lower-case", ModelProblem::id_word(c)),
        };
        let problem = ModelProblem::UnknownId { collection, id: id.to_string(), suggestion };
        diags.push(at.error(problem).with_hint(hint));
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
fn empty_label(at: &At<'_>, written: &str) -> Diagnostic {
    let bare = written.split('|').next().unwrap_or(written);
    at.error(ModelProblem::EmptyLabel { written: written.to_string() })
        .with_hint(format!("write `{bare}]]` to show the target's title, or put the text to show after `|`"))
}
