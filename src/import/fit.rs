//! Makes a draft pass `personabook check` in the handbook it is imported into.
//!
//! The checks are the engine's own, not a copy: each known key is read by
//! `model::persona::read` with the handbook's stages, and links are read by
//! the link grammar the resolver uses (`crate::links`).
//! What would fail is not dropped: a value personabook cannot use moves under
//! the free key `unmapped`; a reference to a missing id or file becomes plain
//! text; references to other files of the same import are renamed to the
//! files they became. Every change is noted for the report.

mod handbook;
mod keys;
mod links;
#[cfg(test)]
mod tests;

pub use handbook::{Imported, Target};

use super::{write, Draft};
use crate::config::Stage;
use crate::diagnostic::Diagnostic;
use crate::load::{Collection, SourceFile};
use crate::model::persona;
use crate::problem::Problem;
use serde_yaml::{Mapping, Value};
use std::fmt;

/// The free front-matter key that keeps values personabook could not use.
pub const UNMAPPED_KEY: &str = "unmapped";

/// Why a draft cannot become a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FitError {
    /// serde_yaml could not write the front matter.
    Yaml { error: String },
    /// Even fitted, `check` would report this problem (the first one).
    WouldFailCheck(Problem),
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FitError::Yaml { error } => write!(f, "cannot write the front matter as YAML: {error}"),
            FitError::WouldFailCheck(problem) => write!(f, "the result would not pass `check`: {problem}"),
        }
    }
}

/// How a reference fares in the target handbook.
enum Fate {
    Keep,
    /// Points at a file of this import: use this new id.
    Rename(String),
    Missing,
}

struct Fitter<'a> {
    target: &'a Target,
    imported: &'a Imported,
    me: usize,
    rel: &'a str,
}

/// Adjusts `draft` (noting every change in its notes) and returns the file text.
pub fn fit(draft: &mut Draft, me: usize, target: &Target, imported: &Imported) -> Result<String, FitError> {
    let f = Fitter { target, imported, me, rel: &draft.rel };
    let mut fm = std::mem::take(&mut draft.front_matter);
    let notes = &mut draft.notes;
    let mut unmapped = Mapping::new();
    f.related(&mut fm, &draft.related_sources, &mut unmapped, notes);
    f.journey(&mut fm, &mut unmapped, notes);
    f.known_keys(&mut fm, &mut unmapped, notes);
    let body = f.body(&draft.body, notes);
    let mut fm = ordered(fm);
    if !unmapped.is_empty() {
        let key = free_key(&fm);
        notes.info(format!("values personabook could not use are kept under `{key}`"));
        fm.insert(Value::String(key), Value::Mapping(unmapped));
    }
    let text = write::render(&fm, &body).map_err(|e| FitError::Yaml { error: e.to_string() })?;
    if let Some(d) = persona_errors(&text, &target.stages).into_iter().next() {
        return Err(FitError::WouldFailCheck(d.problem));
    }
    draft.front_matter = fm;
    draft.body = body;
    Ok(text)
}

impl Fitter<'_> {
    fn fate(&self, collection: Option<Collection>, id: &str) -> Fate {
        let id = id.trim().to_lowercase();
        let persona = matches!(collection, None | Some(Collection::Persona));
        let exists = match collection {
            Some(c) => self.target.has(c, &id),
            None => [Collection::Persona, Collection::Asset, Collection::Page].iter().any(|c| self.target.has(*c, &id)),
        };
        if exists || (persona && self.imported.ids.contains(&id)) {
            return Fate::Keep;
        }
        match self.imported.by_old_id.get(&id) {
            Some(&i) if persona => Fate::Rename(self.imported.ids[i].clone()),
            _ => Fate::Missing,
        }
    }

    /// The fate of a link's target: a `.md` path is `links`' to judge.
    fn fate_of(&self, target: &crate::links::Target) -> Fate {
        match target {
            crate::links::Target::Wiki { collection, id } => self.fate(*collection, id),
            crate::links::Target::File { .. } => Fate::Keep,
        }
    }
}

/// The first error `persona::read` finds in a front matter of one or two keys.
fn key_error(mini: &Mapping, stages: &[Stage]) -> Option<Diagnostic> {
    let text = write::render(mini, "").ok()?;
    persona_errors(&text, stages).into_iter().next()
}

/// The errors `check` would report for this persona file on its own.
fn persona_errors(text: &str, stages: &[Stage]) -> Vec<Diagnostic> {
    // Read as `check` reads a persona file (the path only names it in messages).
    let mut file =
        SourceFile::parse(crate::layout::content_file("personas/import.md"), Collection::Persona, text.into());
    if let Some(d) = file.yaml_error.take() {
        return vec![d];
    }
    let fm = std::mem::take(&mut file.front_matter);
    let mut diags = Vec::new();
    persona::read(&file, fm, stages, &mut diags);
    diags.retain(Diagnostic::is_error);
    diags
}

/// Persona keys in the spec's order, then the others as they were.
fn ordered(fm: Mapping) -> Mapping {
    let mut out = Mapping::new();
    for k in persona::KEYS {
        if let Some(v) = fm.get(*k) {
            out.insert(Value::String((*k).to_string()), v.clone());
        }
    }
    for (k, v) in fm {
        if !out.contains_key(&k) {
            out.insert(k, v);
        }
    }
    out
}

/// `unmapped`, unless the source already uses that key.
fn free_key(fm: &Mapping) -> String {
    (1..)
        .map(|n| if n == 1 { UNMAPPED_KEY.to_string() } else { format!("{UNMAPPED_KEY}_{n}") })
        .find(|k| !fm.contains_key(k.as_str()))
        .unwrap_or_default()
}
