//! Makes a draft pass `personabook check` in the handbook it is imported into.
//!
//! The checks are the engine's own, not a copy: each known key is read by
//! `model::persona::read` with the handbook's stages, and links are found by
//! the same pulldown-cmark options and `model::links` rules the resolver uses.
//! What would fail is not dropped: a value personabook cannot use moves under
//! the free key `unmapped`; a reference to a missing id or file becomes plain
//! text; references to other files of the same import are renamed to the
//! files they became. Every change is noted for the report.

use super::{write, Draft, Notes};
use crate::config::Stage;
use crate::diagnostic::Diagnostic;
use crate::load::{Collection, SourceFile};
use crate::model::{links, persona};
use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
use serde_yaml::{Mapping, Value};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

/// The free front-matter key that keeps values personabook could not use.
pub const UNMAPPED_KEY: &str = "unmapped";

/// What the target handbook already has.
#[derive(Debug, Clone, Default)]
pub struct Target {
    stages: Vec<Stage>,
    ids: HashMap<Collection, HashSet<String>>,
    /// Content paths (`personas/ana.md`) of existing files, lower-case.
    files: HashSet<String>,
    /// Content path of the folder the files go to (`personas`, `personas/emea`).
    folder: String,
    /// What new persona ids start with (`emea/` for `content/personas/emea/`).
    id_prefix: String,
    /// Notes about the target for the report.
    pub notes: Vec<String>,
}

impl Target {
    /// Reads the handbook at `root` (config and content) to learn its stages and ids.
    pub fn load(root: &Path, into: &Path) -> Target {
        let loaded = crate::load::load(root);
        let mut t = Target { stages: loaded.config.stages.clone(), ..Target::default() };
        for f in &loaded.files {
            t.ids.entry(f.collection).or_default().insert(f.id.clone());
            t.files.insert(f.content_path.to_lowercase());
        }
        let content = lexical(&root.join("content"));
        let rel = lexical(into).strip_prefix(&content).ok().map(|r| {
            r.components().map(|c| c.as_os_str().to_string_lossy().to_lowercase()).collect::<Vec<_>>().join("/")
        });
        let shown_into = super::shown(into);
        match rel {
            Some(r) if r == "personas" || r.starts_with("personas/") => {
                t.id_prefix = r.strip_prefix("personas").unwrap_or_default().trim_start_matches('/').to_string();
                if !t.id_prefix.is_empty() {
                    t.id_prefix.push('/');
                }
                t.folder = r;
            }
            Some(r) => {
                t.notes.push(format!(
                    "{shown_into} is not under content/personas/: the files there are guide pages, not personas"
                ));
                t.folder = r;
            }
            None => {
                t.notes.push(format!(
                    "{shown_into} is outside the handbook's content/ folder: references were checked as if the files were in content/personas/"
                ));
                t.folder = "personas".into();
            }
        }
        t
    }

    fn has(&self, c: Collection, id: &str) -> bool {
        self.ids.get(&c).is_some_and(|s| s.contains(id))
    }
}

/// The drafts of this import: their new ids and file names, and the names
/// other files may know them by.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    ids: Vec<String>,
    file_names: Vec<String>,
    /// Source path (relative to SRC, lower-case) -> draft.
    by_rel: HashMap<String, usize>,
    /// Old id (source file stem, lower-case) -> draft, when only one draft has it.
    by_old_id: HashMap<String, usize>,
}

impl Imported {
    pub fn new(drafts: &[Draft], file_names: &[String], target: &Target) -> Imported {
        let ids: Vec<String> =
            file_names.iter().map(|n| format!("{}{}", target.id_prefix, n.strip_suffix(".md").unwrap_or(n))).collect();
        let by_rel = drafts.iter().enumerate().map(|(i, d)| (d.rel.to_lowercase(), i)).collect();
        let mut by_old_id: HashMap<String, usize> = HashMap::new();
        let mut dup = HashSet::new();
        for (i, d) in drafts.iter().enumerate() {
            let old = d.file_stem.to_lowercase();
            if by_old_id.insert(old.clone(), i).is_some() {
                dup.insert(old);
            }
        }
        by_old_id.retain(|k, _| !dup.contains(k));
        Imported { ids, file_names: file_names.to_vec(), by_rel, by_old_id }
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
pub fn fit(draft: &mut Draft, me: usize, target: &Target, imported: &Imported) -> Result<String, String> {
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
    let text = write::render(&fm, &body).map_err(|e| format!("cannot write the front matter as YAML: {e}"))?;
    if let Some(d) = persona_errors(&text, &target.stages).into_iter().next() {
        return Err(format!("the result would not pass `check`: {}", d.problem));
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

    /// `related` from the format (parents) and from the front matter.
    fn related(&self, fm: &mut Mapping, sources: &[String], unmapped: &mut Mapping, notes: &mut Notes) {
        let mut related: Vec<String> = sources
            .iter()
            .filter_map(|s| self.imported.by_rel.get(&s.to_lowercase()))
            .filter(|&&i| i != self.me)
            .map(|&i| self.imported.ids[i].clone())
            .collect();
        if !related.is_empty() {
            notes.mapped("parent -> related");
        }
        let Some(written) = fm.shift_remove("related") else {
            if !related.is_empty() {
                fm.insert("related".into(), to_seq(&related));
            }
            return;
        };
        let mut missing = Vec::new();
        for item in texts(&written) {
            match self.fate(Some(Collection::Persona), &item) {
                Fate::Keep => related.push(item.trim().to_lowercase()),
                Fate::Rename(new) => {
                    notes.mapped(format!("related {item} -> {new}"));
                    related.push(new);
                }
                Fate::Missing => missing.push(item),
            }
        }
        if !missing.is_empty() {
            notes.unmapped(format!("related {}: no such persona here", missing.join(", ")));
            unmapped.insert("related".into(), to_seq(&missing));
        }
        related.dedup();
        if !related.is_empty() {
            fm.insert("related".into(), to_seq(&related));
        }
    }

    /// Journey stages this handbook does not have move to `unmapped`; wiki
    /// links inside journey texts that lead nowhere become plain text.
    fn journey(&self, fm: &mut Mapping, unmapped: &mut Mapping, notes: &mut Notes) {
        let Some(Value::Mapping(journey)) = fm.get_mut("journey") else {
            return;
        };
        let mut bad = Mapping::new();
        let stages: Vec<Value> = journey.keys().cloned().collect();
        for stage in stages {
            let Some(v) = journey.get_mut(&stage) else {
                continue;
            };
            self.fix_texts(v, notes);
            let mut mini = Mapping::new();
            mini.insert("name".into(), "x".into());
            mini.insert("journey".into(), Value::Mapping(std::iter::once((stage.clone(), v.clone())).collect()));
            if let Some(d) = key_error(&mini, &self.target.stages) {
                notes.unmapped(format!("journey.{}: {}", stage.as_str().unwrap_or_default(), d.problem));
                if let Some(v) = journey.shift_remove(&stage) {
                    bad.insert(stage, v);
                }
            }
        }
        if journey.is_empty() {
            fm.shift_remove("journey");
        }
        if !bad.is_empty() {
            unmapped.insert("journey".into(), Value::Mapping(bad));
        }
    }

    fn fix_texts(&self, v: &mut Value, notes: &mut Notes) {
        match v {
            Value::String(s) => *s = self.fix_text_links(s, notes),
            Value::Sequence(items) => items.iter_mut().for_each(|i| self.fix_texts(i, notes)),
            Value::Mapping(m) => m.iter_mut().for_each(|(_, i)| self.fix_texts(i, notes)),
            _ => {}
        }
    }

    /// `[[id|label]]` in a plain text field, as the resolver reads them.
    fn fix_text_links(&self, text: &str, notes: &mut Notes) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("[[") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("]]") else { break };
            let inner = &after[..end];
            let (dest, label) = inner.split_once('|').unwrap_or((inner, inner));
            out.push_str(&rest[..start]);
            let fate = match links::wiki_target(dest) {
                links::Target::Wiki { collection, id } => self.fate(collection, &id),
                links::Target::File { .. } => Fate::Keep,
            };
            match fate {
                Fate::Keep => out.push_str(&format!("[[{inner}]]")),
                Fate::Rename(new) => out.push_str(&format!("[[persona:{new}|{label}]]")),
                Fate::Missing => {
                    notes.unmapped(format!("link [[{inner}]]: no such page here; kept as plain text"));
                    out.push_str(label);
                }
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// Persona keys whose value this handbook would reject move to `unmapped`.
    fn known_keys(&self, fm: &mut Mapping, unmapped: &mut Mapping, notes: &mut Notes) {
        let keys: Vec<String> =
            fm.keys().filter_map(Value::as_str).filter(|k| persona::KEYS.contains(k)).map(str::to_string).collect();
        for key in keys {
            let Some(v) = fm.get(key.as_str()) else {
                continue;
            };
            let mut mini = Mapping::new();
            if key != "name" {
                mini.insert("name".into(), "x".into());
            }
            mini.insert(Value::String(key.clone()), v.clone());
            if let Some(d) = key_error(&mini, &self.target.stages) {
                notes.unmapped(format!("{key}: {}", d.problem));
                if let Some(v) = fm.shift_remove(key.as_str()) {
                    unmapped.insert(Value::String(key.clone()), v);
                }
            }
        }
        if !fm.contains_key("name") {
            fm.insert("name".into(), "Unnamed persona".into());
        }
    }

    /// Rewrites body links: to files of this import by their new names, and
    /// to plain text when they lead nowhere in this handbook. Unlinking can
    /// make a new link (`[[a|[[b]]]]` becomes `[[a|b]]`), so this repeats
    /// until nothing changes.
    fn body(&self, body: &str, notes: &mut Notes) -> String {
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
        for link in body_links(body) {
            let text = link.inner.clone().and_then(|r| body.get(r)).unwrap_or(&link.dest).to_string();
            let whole = body.get(link.range.clone()).unwrap_or_default();
            match link.target {
                links::Target::Wiki { collection, id } => match self.fate(collection, &id) {
                    Fate::Keep => {}
                    Fate::Rename(new) => edits.push((link.range, format!("[[persona:{new}|{text}]]"))),
                    Fate::Missing => {
                        notes.unmapped(format!("link {whole}: no such page here; kept as plain text"));
                        edits.push((link.range, text));
                    }
                },
                links::Target::File { path, anchor } => {
                    if self.imported.file_names.contains(&path) || self.exists_in_target(&path) {
                        continue;
                    }
                    let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
                    if let Some(i) = self.imported_file(&path) {
                        let dest = format!("{}{anchor}", self.imported.file_names[i]);
                        notes.info(format!("link {} -> {dest}", link.dest));
                        edits.push((link.range, format!("[{text}]({dest})")));
                    } else {
                        notes.unmapped(format!("link {}: no such file here; kept as plain text", link.dest));
                        edits.push((link.range, text));
                    }
                }
            }
        }
        edits
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

/// A link in a body: its whole range, its text's range, and where it points.
struct BodyLink {
    range: Range<usize>,
    inner: Option<Range<usize>>,
    dest: String,
    target: links::Target,
}

/// The links the resolver would check, found with the same parser settings.
fn body_links(body: &str) -> Vec<BodyLink> {
    /// A link whose end has not been seen yet (None target: not one `check` looks at).
    struct Open {
        range: Range<usize>,
        inner: Option<Range<usize>>,
        dest: String,
        target: Option<links::Target>,
    }
    let mut out = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                let target = match link_type {
                    LinkType::WikiLink { .. } => Some(links::wiki_target(&dest_url)),
                    LinkType::Inline | LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
                        links::file_target(&dest_url)
                    }
                    _ => None,
                };
                open.push(Open { range, inner: None, dest: dest_url.to_string(), target });
            }
            Event::End(TagEnd::Link) => {
                if let Some(Open { range, inner, dest, target: Some(target) }) = open.pop() {
                    out.push(BodyLink { range, inner, dest, target });
                }
            }
            _ => {
                if let Some(link) = open.last_mut() {
                    link.inner = Some(match link.inner.take() {
                        Some(r) => r.start.min(range.start)..r.end.max(range.end),
                        None => range,
                    });
                }
            }
        }
    }
    out
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

fn texts(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(items) => items.iter().filter_map(crate::load::yaml::scalar_text).collect(),
        other => crate::load::yaml::scalar_text(other).into_iter().collect(),
    }
}

fn to_seq(items: &[String]) -> Value {
    Value::Sequence(items.iter().map(|s| Value::String(s.clone())).collect())
}

/// An absolute path with `.` and `..` removed, without touching the disk
/// (the target folder may not exist yet).
fn lexical(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn target() -> Target {
        let mut t = Target { stages: Config::default().stages, folder: "personas".into(), ..Target::default() };
        t.ids.entry(Collection::Persona).or_default().insert("maria".into());
        t.ids.entry(Collection::Asset).or_default().insert("roi".into());
        t.files.insert("personas/maria.md".into());
        t
    }

    fn draft(fm: &str, body: &str, rel: &str, stem: &str) -> Draft {
        let front_matter: Mapping = serde_yaml::from_str(fm).unwrap();
        let name = front_matter.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        Draft { rel: rel.into(), name, file_stem: stem.into(), front_matter, body: body.into(), ..Draft::default() }
    }

    fn run(drafts: &mut [Draft]) -> Vec<Result<String, String>> {
        let t = target();
        let names = write::plan_names(drafts);
        let imported = Imported::new(drafts, &names, &t);
        (0..drafts.len()).map(|i| fit(&mut drafts[i], i, &t, &imported)).collect()
    }

    #[test]
    fn invalid_known_values_move_under_unmapped() {
        let mut d = [draft(
            "name: Ana\nstatus: published\nreviewed: last year\nrole: Buyer\njourney: {awareness: {emotion: 1}, evaluation: {goal: x}}\nlayout: persona\n",
            "",
            "ana.md",
            "ana",
        )];
        let text = run(&mut d).remove(0).unwrap();
        assert_eq!(
            text,
            "---\nname: Ana\nrole: Buyer\njourney:\n  awareness:\n    emotion: 1\nlayout: persona\nunmapped:\n  journey:\n    evaluation:\n      goal: x\n  status: published\n  reviewed: last year\n---\n"
        );
        assert_eq!(d[0].notes.unmapped.len(), 3, "{:?}", d[0].notes.unmapped);
    }

    #[test]
    fn references_are_renamed_kept_or_unlinked() {
        let mut d = [
            draft(
                "name: Bob\nrelated: [maria, carl, nobody]\n",
                "See [[carl]], [[maria]], [[asset:roi]] and [[ghost|a ghost]].\n[Carl](../carl/index.md#goals), [Maria](maria.md), [gone](gone.md), [web](https://x.md).\n[zola](@/personas/carl/index.md)\n",
                "bob/index.md",
                "bob",
            ),
            draft("name: Carl Jones\n", "", "carl/index.md", "carl"),
        ];
        let out = run(&mut d);
        let text = out[0].as_ref().unwrap();
        assert!(text.contains("related:\n- maria\n- carl-jones\n"), "{text}");
        assert!(text.contains("unmapped:\n  related:\n  - nobody\n"), "{text}");
        assert!(text.contains("See [[persona:carl-jones|carl]], [[maria]], [[asset:roi]] and a ghost.\n"), "{text}");
        assert!(
            text.contains("[Carl](carl-jones.md#goals), [Maria](maria.md), gone, [web](https://x.md).\n"),
            "{text}"
        );
        assert!(text.contains("[zola](carl-jones.md)"), "{text}");
    }

    proptest::proptest! {
        /// Whatever the body, `check` finds no link in it to complain about:
        /// nothing exists in this handbook, so no link may survive.
        #[test]
        fn no_broken_link_survives(tokens in proptest::collection::vec(proptest::sample::select(vec![
            "[[", "]]", "[", "]", "(", ")", "](", "|", "a", "b", "c.md", "ana.md", "@/x/c.md", "#g", "persona:",
            " ", "\n", "`", "\\", "é", "<", ">", "!",
        ]), 0..40)) {
            let body: String = tokens.concat();
            let mut d = [draft("name: Ana\n", "", "ana.md", "ana")];
            d[0].body = body.clone();
            let t = Target { folder: "personas".into(), ..Target::default() };
            let names = write::plan_names(&d);
            let imported = Imported::new(&d, &names, &t);
            let f = Fitter { target: &t, imported: &imported, me: 0, rel: "ana.md" };
            let out = f.body(&body, &mut Notes::default());
            let left: Vec<_> = links::extract(&out).into_iter().filter(|l| {
                !matches!(&l.target, links::Target::File { path, .. } if path == "ana.md")
                    && !matches!(&l.target, links::Target::Wiki { id, .. } if id == "ana")
            }).collect();
            proptest::prop_assert!(left.is_empty(), "{body:?} -> {out:?}: {left:?}");
        }
    }

    #[test]
    fn nested_links_are_sorted_out() {
        let mut d = [draft("name: Ana\n", "", "ana.md", "ana")];
        d[0].body = "[[x|[[y]]]] and [[a|[b](c.md)]]".into();
        let out = run(&mut d).remove(0).unwrap();
        assert!(
            out.ends_with("---\ny and a|b\n") || out.ends_with("---\nx|y and a|b\n") || links::extract(&out).is_empty(),
            "{out}"
        );
        assert!(links::extract(&out).is_empty(), "{out}");
    }

    #[test]
    fn parents_become_related() {
        let mut d = [draft("name: Dev\n", "", "dev.json", "dev"), draft("name: Py\n", "", "py.json", "py")];
        d[1].related_sources = vec!["dev.json".into()];
        let out = run(&mut d);
        assert!(out[1].as_ref().unwrap().contains("related:\n- dev\n"));
    }

    #[test]
    fn free_keys_do_not_look_like_typos_of_persona_keys() {
        for key in [UNMAPPED_KEY, "unmapped_2", super::super::persona_library::map::EXTRA_KEY, "original_name"] {
            assert_eq!(crate::diagnostic::closest(key, persona::KEYS.iter().copied()), None, "{key}");
        }
    }
}
