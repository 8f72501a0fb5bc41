//! What search reads of each page, and how text becomes terms.
//!
//! Every page becomes one `Doc`: its title, where it is, and its texts in
//! labelled parts (a persona's summary, each list, each journey stage, the
//! body), each part with the weight of its field. `terms` is the one
//! tokeniser; the search script (`app.js`) cuts a query the same way.
//!
//! Tokenisation: text is cut at every character that is neither a letter
//! nor a digit (Unicode `Alphabetic` or `Numeric`), each piece lower-cased;
//! pieces of one character and the stop words below are dropped, and a
//! piece is cut to `MAX_TERM` characters. No stemming and no folding of
//! accents: `müller` is not `muller`.

use super::{markdown, url, Renderer};
use crate::model::{Asset, Collection, Persona};
use rayon::prelude::*;
use serde::Serialize;

/// Words too common to find anything with, left out of the index and of
/// queries. Short on purpose: `it` (the department) and `us` stay.
pub const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "in", "into", "is", "of", "on", "or", "that",
    "the", "this", "to", "was", "with",
];

/// Longer terms are cut to this many characters (and so are query words).
pub const MAX_TERM: usize = 40;

/// How much a match in a field counts. Powers of two: a page's score for a
/// term is the OR of the fields it appears in, so a title match always
/// outranks any number of lesser ones.
pub const TITLE: u8 = 16;
pub const KEYWORD: u8 = 8;
pub const SUMMARY: u8 = 4;
pub const LIST: u8 = 2;
pub const BODY: u8 = 1;

/// What a search result is, as the search page shows it.
#[derive(Debug, Clone, Copy, Serialize)]
pub enum SearchKind {
    Persona,
    Asset,
    Page,
    Stage,
}

/// One labelled text of a page, with the weight of its field.
#[derive(Debug, Serialize)]
pub struct Part {
    #[serde(skip)]
    pub weight: u8,
    /// `Goals`, `Journey: Awareness`, `Profile`; empty for the summary.
    #[serde(rename = "l")]
    pub label: String,
    #[serde(rename = "x")]
    pub text: String,
}

/// One searchable page (its title is searched with weight `TITLE`).
/// Short keys keep the chunk files small.
#[derive(Debug, Serialize)]
pub struct Doc {
    #[serde(rename = "t")]
    pub title: String,
    /// URL relative to the site root.
    #[serde(rename = "u")]
    pub url: String,
    #[serde(rename = "k")]
    pub kind: SearchKind,
    /// The texts a snippet is taken from, most telling first.
    #[serde(rename = "p")]
    pub parts: Vec<Part>,
}

impl Doc {
    fn new(title: &str, url: String, kind: SearchKind) -> Doc {
        Doc { title: title.to_string(), url, kind, parts: Vec::new() }
    }

    /// Adds a part unless its text is empty.
    fn part(&mut self, weight: u8, label: &str, text: impl Into<String>) {
        let text = text.into();
        if !text.trim().is_empty() {
            self.parts.push(Part { weight, label: label.to_string(), text });
        }
    }

    fn list(&mut self, weight: u8, label: &str, items: &[String]) {
        self.part(weight, label, items.join("; "));
    }
}

/// Calls `f` with each term of `text`, in order, repeats included.
pub fn terms(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let mut flush = |word: &mut String| {
        let n = word.chars().count();
        if n > MAX_TERM {
            let cut = word.char_indices().nth(MAX_TERM).map_or(word.len(), |(i, _)| i);
            word.truncate(cut);
        }
        if n > 1 && !STOP_WORDS.contains(&word.as_str()) {
            f(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            flush(&mut word);
        }
    }
    if !word.is_empty() {
        flush(&mut word);
    }
}

/// The plain text of a Markdown body, whole.
fn body_text(body: &str) -> String {
    markdown::plain_text(body, usize::MAX)
}

/// Every page the search finds, in the order ties are shown: personas,
/// stages, guide pages, assets (each in the model's order).
pub fn docs(r: &Renderer<'_>) -> Vec<Doc> {
    let hb = r.hb;
    let mut out = Vec::with_capacity(hb.personas.len() + hb.assets.len() + hb.pages.len() + hb.config.stages.len());
    out.par_extend(hb.personas.par_iter().map(|p| persona_doc(r, p)));
    out.extend(hb.config.stages.iter().map(stage_doc));
    out.extend(hb.pages.iter().map(page_doc));
    out.par_extend(hb.assets.par_iter().map(|a| asset_doc(r, a)));
    out
}

/// Page `n` of `docs` alone (`None` past the last).
pub fn doc(r: &Renderer<'_>, n: usize) -> Option<Doc> {
    let hb = r.hb;
    let n = match n.checked_sub(hb.personas.len()) {
        None => return Some(persona_doc(r, &hb.personas[n])),
        Some(n) => n,
    };
    let n = match n.checked_sub(hb.config.stages.len()) {
        None => return Some(stage_doc(&hb.config.stages[n])),
        Some(n) => n,
    };
    match n.checked_sub(hb.pages.len()) {
        None => Some(page_doc(&hb.pages[n])),
        Some(n) => hb.assets.get(n).map(|a| asset_doc(r, a)),
    }
}

/// A stage's page: its name, description and id.
fn stage_doc(s: &crate::config::Stage) -> Doc {
    let mut d = Doc::new(&s.name, url::href("", &url::stage_dir(&s.id)), SearchKind::Stage);
    d.part(SUMMARY, "", s.description.clone());
    d.part(KEYWORD, "Id", s.id.clone());
    d
}

/// A guide page: its title and body.
fn page_doc(g: &crate::model::Page) -> Doc {
    let mut d = Doc::new(&g.title, url::href("", &url::dir_of(Collection::Page, &g.id)), SearchKind::Page);
    d.part(BODY, "", body_text(&g.body));
    d
}

/// An asset's page: its summary and what it is filed under.
fn asset_doc(r: &Renderer<'_>, a: &Asset) -> Doc {
    let hb = r.hb;
    let mut d = Doc::new(&a.title, url::href("", &url::dir_of(Collection::Asset, &a.id)), SearchKind::Asset);
    d.part(BODY, "", body_text(&a.body));
    d.part(KEYWORD, "Format", a.format.clone().unwrap_or_default());
    d.list(KEYWORD, "Topics", &a.topics);
    d.list(KEYWORD, "Tags", &a.tags);
    let names: Vec<String> =
        a.personas.iter().filter_map(|id| hb.persona_index(id)).map(|i| hb.personas[i].name.clone()).collect();
    d.list(LIST, "For", &names);
    d.part(LIST, "Owner", a.owner.clone().unwrap_or_default());
    d
}

/// A persona's page: the fact sheet, every list, every journey stage and
/// the narrative.
fn persona_doc(r: &Renderer<'_>, p: &Persona) -> Doc {
    let mut d = Doc::new(&p.name, url::href("", &url::dir_of(Collection::Persona, &p.id)), SearchKind::Persona);
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    d.part(SUMMARY, "", opt(&p.summary).to_string());
    d.part(KEYWORD, "Role", opt(&p.role));
    d.part(KEYWORD, "Segment", opt(&p.segment));
    d.list(KEYWORD, "Tags", &p.tags);
    d.part(SUMMARY, "Quote", opt(&p.quote));
    for (label, items) in [
        ("Goals", &p.goals),
        ("Challenges", &p.challenges),
        ("Attitudes", &p.attitudes),
        ("Values", &p.values),
        ("Interests", &p.interests),
        ("Tools and devices", &p.preferred_tech),
        ("Channels", &p.channels),
        ("What we offer them", &p.key_benefits),
    ] {
        d.list(LIST, label, items);
    }
    let facts = [
        ("Location", &p.location),
        ("Education", &p.education),
        ("Purchasing role", &p.purchasing_role),
        ("Owner", &p.owner),
    ];
    for (label, v) in facts {
        d.part(LIST, label, opt(v));
    }
    let metrics: Vec<String> = p.metrics.iter().map(|m| format!("{}: {}", m.label, m.value)).collect();
    d.list(LIST, "Metrics", &metrics);
    let sources: Vec<String> = p.sources.iter().map(|s| format!("{}: {}", s.kind, s.reference)).collect();
    d.list(LIST, "Sources", &sources);
    for (step, stage) in p.journey.iter().zip(&r.hb.config.stages) {
        let Some(step) = step else { continue };
        let texts: Vec<String> = step.texts().chain(step.formats.iter().map(String::as_str)).map(plain).collect();
        d.list(LIST, &format!("Journey: {}", stage.name), &texts);
    }
    d.part(BODY, "Profile", body_text(&p.body));
    d
}

/// A journey text with its `[[id|label]]` links as their labels.
fn plain(text: &str) -> String {
    use crate::links::{text_pieces, TextPiece};
    text_pieces(text)
        .into_iter()
        .map(|piece| match piece {
            TextPiece::Text(t) => t.to_string(),
            TextPiece::Link(l) => l.label.unwrap_or(l.dest).to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn terms_are_lower_cased_words_without_stop_words_or_single_letters() {
        assert_eq!(all("The CFO's works-council, in Q3 2026!"), ["cfo", "works", "council", "q3", "2026"]);
        assert_eq!(all("Müller über IT a"), ["müller", "über", "it"]);
        assert_eq!(all(""), Vec::<String>::new());
    }

    #[test]
    fn long_terms_are_cut() {
        let long = "x".repeat(60);
        assert_eq!(all(&long), ["x".repeat(MAX_TERM)]);
    }
}
