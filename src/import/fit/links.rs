//! Links in a draft, read by the link grammar the resolver uses
//! (`crate::links`): links to files of this import are renamed to the files
//! they became, links that lead nowhere in the target handbook become plain
//! text. Never touches front-matter values other than journey texts.

use super::{Fate, Fitter};
use crate::import::Notes;
use crate::links::{self, BodyLink, Target, TextPiece};
use serde_yaml::Value;
use std::ops::Range;

impl Fitter<'_> {
    /// Rewrites the wiki links in every text of a journey value.
    pub(super) fn fix_texts(&self, v: &mut Value, notes: &mut Notes) {
        match v {
            Value::String(s) => *s = self.fix_text_links(s, notes),
            Value::Sequence(items) => items.iter_mut().for_each(|i| self.fix_texts(i, notes)),
            Value::Mapping(m) => m.iter_mut().for_each(|(_, i)| self.fix_texts(i, notes)),
            _ => {}
        }
    }

    /// `[[id|label]]` in a plain text field, as the resolver reads them; a
    /// `[[...]]` that is no link (`[[]]`) is left as written.
    fn fix_text_links(&self, text: &str, notes: &mut Notes) -> String {
        let mut out = String::new();
        for piece in links::text_pieces(text) {
            let link = match piece {
                TextPiece::Text(t) => {
                    out.push_str(t);
                    continue;
                }
                TextPiece::Link(link) => link,
            };
            let label = link.label.unwrap_or(link.inner);
            match link.target.as_ref().map_or(Fate::Keep, |t| self.fate_of(t)) {
                Fate::Keep => out.push_str(&text[link.span]),
                Fate::Rename(new) => out.push_str(&format!("[[persona:{new}|{label}]]")),
                Fate::Missing => {
                    notes.unmapped(format!("link {}: no such page here; kept as plain text", link.written()));
                    out.push_str(label);
                }
            }
        }
        out
    }

    /// Rewrites body links: to files of this import by their new names, and
    /// to plain text when they lead nowhere in this handbook. Unlinking can
    /// make a new link (`[[a|[[b]]]]` becomes `[[a|b]]`), so this repeats
    /// until nothing changes.
    pub(super) fn body(&self, body: &str, notes: &mut Notes) -> String {
        const MAX_PASSES: usize = 8;
        let mut out = body.to_string();
        for _ in 0..MAX_PASSES {
            let edits = self.link_edits(&out, notes);
            if edits.is_empty() {
                return out;
            }
            out = apply(out, edits);
        }
        if self.link_edits(&out, &mut Notes::default()).is_empty() {
            return out;
        }
        notes.unmapped("links nested too deeply to sort out: every `[` in the body was escaped");
        out.replace('[', "\\[")
    }

    /// The replacements one pass over the body's links calls for.
    fn link_edits(&self, body: &str, notes: &mut Notes) -> Vec<(Range<usize>, String)> {
        let mut edits = Vec::new();
        for link in links::body_links(body) {
            let text = link.text.clone().and_then(|r| body.get(r)).unwrap_or(&link.dest).to_string();
            if let Some(with) = self.body_edit(body, &link, text, notes) {
                edits.push((link.range, with));
            }
        }
        edits
    }

    /// What one body link becomes, if it changes.
    fn body_edit(&self, body: &str, link: &BodyLink, text: String, notes: &mut Notes) -> Option<String> {
        match &link.target {
            Target::Wiki { .. } => match self.fate_of(&link.target) {
                Fate::Keep => None,
                Fate::Rename(new) => Some(format!("[[persona:{new}|{text}]]")),
                Fate::Missing => {
                    let whole = body.get(link.range.clone()).unwrap_or_default();
                    notes.unmapped(format!("link {whole}: no such page here; kept as plain text"));
                    Some(text)
                }
            },
            Target::File { path, anchor } => {
                if self.imported.file_names.contains(path) || self.exists_in_target(path) {
                    return None;
                }
                let anchor = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
                if let Some(i) = self.imported_file(path) {
                    let dest = format!("{}{anchor}", self.imported.file_names[i]);
                    notes.info(format!("link {} -> {dest}", link.dest));
                    Some(format!("[{text}]({dest})"))
                } else {
                    notes.unmapped(format!("link {}: no such file here; kept as plain text", link.dest));
                    Some(text)
                }
            }
        }
    }

    /// The draft a `.md` link points at: relative to this source file, or a
    /// Zola `@/` path from the content root.
    fn imported_file(&self, path: &str) -> Option<usize> {
        if let Some(from_root) = path.strip_prefix("@/") {
            let p = from_root.to_lowercase();
            return self
                .imported
                .by_rel
                .iter()
                .find(|(rel, _)| p == **rel || p.ends_with(&format!("/{rel}")))
                .map(|(_, &i)| i);
        }
        let joined = links::join_content_path(self.rel, path)?;
        self.imported.by_rel.get(&joined.to_lowercase()).copied()
    }

    fn exists_in_target(&self, path: &str) -> bool {
        let from = format!("{}/{}", self.target.folder, self.imported.file_names[self.me]);
        links::join_content_path(&from, path).is_some_and(|j| self.target.files.contains(&j.to_lowercase()))
    }
}

/// Applies replacements from the end, so earlier ranges stay valid; one that
/// overlaps an applied one waits for the next pass.
fn apply(mut text: String, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut floor = usize::MAX;
    for (range, with) in edits {
        if range.end <= floor && text.get(range.clone()).is_some() {
            floor = range.start;
            text.replace_range(range, &with);
        }
    }
    text
}
