//! What the history adds to pages: an item's dates, its change log (field
//! by field, newest first), what changed since a persona's review, the
//! "Edit this page" link, and the change feed (`changes.xml`, Atom). Reads
//! the model's history as data; never opens the repository.

use super::markdown::escape_into;
use super::view::Link;
use super::{url, Renderer};
use crate::history::{since_review, BodyChange, ChangeKind, Commit, FieldChange, SinceReview};
use crate::model::{site_path, Collection, Persona};
use serde::Serialize;
use std::collections::HashMap;

/// Change-log entries a page shows; older ones are counted, not listed.
const LOG_SHOWN: usize = 30;

/// Commits the feed lists.
const FEED_ENTRIES: usize = 100;

/// One commit as a page shows it.
#[derive(Serialize)]
pub(crate) struct CommitView<'a> {
    short: &'a str,
    id: &'a str,
    author: &'a str,
    day: &'a str,
    subject: &'a str,
}

fn commit_view(c: &Commit) -> CommitView<'_> {
    CommitView { short: &c.short, id: &c.id, author: &c.author, day: c.day(), subject: &c.subject }
}

/// One entry of an item's change log.
#[derive(Serialize)]
struct LogEntry<'a> {
    commit: CommitView<'a>,
    kind: ChangeKind,
    from: Option<&'a str>,
    fields: &'a [FieldChange],
    body: Option<BodyChange>,
}

/// What an item's page says about its history; every part optional, so a
/// handbook outside git (and without `edit_url`) shows nothing new.
#[derive(Serialize, Default)]
pub(crate) struct ItemHistory<'a> {
    /// The "Edit this page" href.
    edit: Option<String>,
    created: Option<CommitView<'a>>,
    changed: Option<CommitView<'a>>,
    log: Vec<LogEntry<'a>>,
    /// Older entries not listed.
    older: usize,
    /// The history is cut short (a shallow clone).
    shallow: bool,
    /// For a persona: what changed since its `reviewed:` date.
    since_review: Option<SinceReview>,
    reviewed: Option<jiff::civil::Date>,
}

/// A persona on the reviews page whose content changed since its review.
#[derive(Serialize)]
pub(crate) struct ReviewChange<'a> {
    persona: Link<'a>,
    reviewed: jiff::civil::Date,
    since: SinceReview,
}

impl<'a> Renderer<'a> {
    /// The history part of the page of the item at `source` (its path from
    /// the handbook root) and `content_path`.
    pub(crate) fn item_history(&self, source: &str, content_path: &str) -> ItemHistory<'a> {
        let hb = self.hb;
        let mut out = ItemHistory { edit: edit_href(hb.config.edit_url.as_deref(), source), ..Default::default() };
        let Some(history) = hb.history.as_ref() else { return out };
        let Some(file) = history.file(content_path) else { return out };
        out.created = file.created.as_ref().map(commit_view);
        out.changed = Some(commit_view(&file.changed));
        out.shallow = history.shallow;
        out.older = file.log.len().saturating_sub(LOG_SHOWN);
        out.log = file
            .log
            .iter()
            .take(LOG_SHOWN)
            .map(|c| LogEntry {
                commit: commit_view(&c.commit),
                kind: c.kind,
                from: c.from.as_deref(),
                fields: &c.fields,
                body: c.body,
            })
            .collect();
        out
    }

    /// A persona's history, with what changed since its review.
    pub(crate) fn persona_history(&self, p: &'a Persona) -> ItemHistory<'a> {
        let mut out = self.item_history(&p.source, &p.content_path);
        out.reviewed = p.reviewed;
        out.since_review = self.since_review(p);
        out
    }

    fn since_review(&self, p: &Persona) -> Option<SinceReview> {
        let file = self.hb.history.as_ref()?.file(&p.content_path)?;
        since_review(file, p.reviewed?)
    }

    /// The personas (in the reviews page's order) changed since their review.
    pub(crate) fn review_changes(&self, root: &str, order: &[usize]) -> Vec<ReviewChange<'a>> {
        let hb = self.hb;
        order
            .iter()
            .filter_map(|&i| {
                let p = &hb.personas[i];
                let since = self.since_review(p)?;
                Some(ReviewChange { persona: self.persona_link(root, i), reviewed: p.reviewed?, since })
            })
            .collect()
    }
}

/// The theme's history stylesheet, written only when a page links it.
pub(crate) const STYLES: &str = "history.css";

/// Whether the theme's static file `name` belongs in the site: every one
/// but the history stylesheet, which only a history or `edit_url` needs.
pub(crate) fn wanted_file(hb: &crate::model::Handbook, name: &str) -> bool {
    name != STYLES || hb.history.is_some() || hb.config.edit_url.is_some()
}

/// `edit_url` with `{path}` replaced by the file's path, percent-encoded.
fn edit_href(template: Option<&str>, source: &str) -> Option<String> {
    let template = template?;
    let mut path = String::new();
    url::push_encoded(&mut path, source);
    crate::safe_url::allow(&template.replace("{path}", &path)).map(str::to_string)
}

/// `changes.xml`: an Atom feed with one entry per commit that changed
/// personas or assets, newest first, linking to their pages. `None`
/// without a history.
pub(crate) fn feed(r: &Renderer<'_>) -> Option<Vec<u8>> {
    let hb = r.hb;
    let history = hb.history.as_ref()?;
    let mut base = hb.config.base_url.clone();
    if !base.ends_with('/') {
        base.push('/');
    }
    let mut pages: HashMap<&str, (&str, String)> = HashMap::new();
    for p in &hb.personas {
        pages.insert(&p.content_path, (&p.name, site_path::item_dir(Collection::Persona, &p.id)));
    }
    for a in &hb.assets {
        pages.insert(&a.content_path, (&a.title, site_path::item_dir(Collection::Asset, &a.id)));
    }
    let relevant = |path: &str| matches!(Collection::of_content_path(path), Collection::Persona | Collection::Asset);
    let entries: Vec<_> = history.commits.iter().filter(|c| c.files.iter().any(|f| relevant(&f.path))).collect();
    let updated = entries.first().map_or("1970-01-01T00:00:00Z", |c| c.commit.date.as_str());
    let mut out = String::with_capacity(512 + 600 * entries.len().min(FEED_ENTRIES));
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    push_element(&mut out, "  ", "title", &format!("{}: changes", hb.config.title));
    // Atom ids are absolute IRIs: the feed's URL when the site has one.
    let absolute = base.starts_with("http://") || base.starts_with("https://");
    let feed_id = if absolute { format!("{base}{}", site_path::FEED_FILE) } else { "urn:personabook:changes".into() };
    push_element(&mut out, "  ", "id", &feed_id);
    push_element(&mut out, "  ", "updated", updated);
    push_link(&mut out, "  ", "self", &format!("{base}{}", site_path::FEED_FILE));
    push_link(&mut out, "  ", "alternate", &base);
    push_element(&mut out, "  ", "generator", "personabook");
    for c in entries.into_iter().take(FEED_ENTRIES) {
        out.push_str("  <entry>\n");
        push_element(&mut out, "    ", "title", &c.commit.subject);
        let id = if absolute { format!("{feed_id}#{}", c.commit.id) } else { format!("urn:git:{}", c.commit.id) };
        push_element(&mut out, "    ", "id", &id);
        push_element(&mut out, "    ", "updated", &c.commit.date);
        out.push_str("    <author>");
        push_element(&mut out, "", "name", &c.commit.author);
        out.push_str("</author>\n");
        let mut lines = Vec::new();
        let mut first = true;
        for f in c.files.iter().filter(|f| relevant(&f.path)) {
            let page = f.now.as_deref().and_then(|now| pages.get(now));
            let name = page.map_or(f.path.as_str(), |(name, _)| *name);
            let what = f.now.as_deref().map(|now| changed_fields(history, now, &c.commit.id)).unwrap_or_default();
            lines.push(if what.is_empty() {
                format!("{} {name}", kind_word(f.kind))
            } else {
                format!("{} {name}: {what}", kind_word(f.kind))
            });
            if let Some((_, dir)) = page {
                let mut href = base.clone();
                url::push_encoded(&mut href, dir);
                push_link(&mut out, "    ", if first { "alternate" } else { "related" }, &href);
                first = false;
            }
        }
        push_element(&mut out, "    ", "summary", &format!("{} ({})", lines.join("; "), c.commit.short));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    Some(out.into_bytes())
}

/// The fields (and `body`) the commit `id` changed in the file now at `path`.
fn changed_fields(history: &crate::history::History, path: &str, id: &str) -> String {
    let Some(change) = history.file(path).and_then(|f| f.log.iter().find(|c| c.commit.id == id)) else {
        return String::new();
    };
    let mut names: Vec<&str> = Vec::new();
    for f in &change.fields {
        if !names.contains(&f.field()) {
            names.push(f.field());
        }
    }
    if change.body.is_some() {
        names.push("body");
    }
    names.join(", ")
}

fn kind_word(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "added",
        ChangeKind::Modified => "changed",
        ChangeKind::Renamed => "renamed",
        ChangeKind::Removed => "removed",
    }
}

fn push_element(out: &mut String, indent: &str, name: &str, text: &str) {
    out.push_str(indent);
    out.push('<');
    out.push_str(name);
    out.push('>');
    escape_into(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
    if !indent.is_empty() {
        out.push('\n');
    }
}

fn push_link(out: &mut String, indent: &str, rel: &str, href: &str) {
    out.push_str(indent);
    out.push_str("<link rel=\"");
    out.push_str(rel);
    out.push_str("\" href=\"");
    escape_into(out, href);
    out.push_str("\"/>\n");
}
