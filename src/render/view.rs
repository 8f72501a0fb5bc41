//! View structs shared by several pages: what a template sees of a persona
//! card, an asset in a list, a link. They borrow from the model; hrefs are
//! made here, relative to the page being rendered.

use super::taxonomy::Kind;
use super::url;
use super::Renderer;
use crate::config::Stage;
use crate::model::persona::Status;
use crate::model::{Backlink, Collection, ReviewState, Via};
use serde::Serialize;

/// The part of every page's context the layout (`base.html`) needs.
#[derive(Debug, Serialize)]
pub struct Layout<'a> {
    /// The way back to the site root (`../../`); prefix of every site href.
    pub root: &'a str,
    /// The page's folder (`personas/ana/`), `""` for the home page.
    pub path: &'a str,
    pub title: &'a str,
    /// Which main-navigation entry is current (`personas`, `library`, ...).
    pub section: &'static str,
    /// A short text for the description meta tag.
    pub description: &'a str,
    /// This page on the published site, when `base_url` is absolute.
    pub canonical: Option<String>,
}

/// A link to another page.
#[derive(Debug, Serialize)]
pub struct Link<'a> {
    pub href: String,
    pub text: &'a str,
}

/// An avatar image, or initials on a colour when there is none.
#[derive(Debug, Serialize)]
pub struct Avatar {
    pub src: Option<String>,
    pub initials: String,
    /// Hue of the initials' circle, stable per persona: a multiple of 10
    /// below 360, so a theme can give each one a class (`hue-120`) instead
    /// of a style attribute the Content-Security-Policy would refuse.
    pub hue: u32,
}

/// A persona as a card in lists.
#[derive(Debug, Serialize)]
pub struct PersonaCard<'a> {
    pub id: &'a str,
    pub href: String,
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub segment: Option<Link<'a>>,
    pub avatar: Avatar,
    pub status: Status,
    pub review: ReviewState,
    pub confidence: Option<crate::model::persona::Confidence>,
}

/// An asset in a list.
#[derive(Debug, Serialize)]
pub struct AssetItem<'a> {
    pub id: &'a str,
    pub href: String,
    pub title: &'a str,
    pub format: Option<Link<'a>>,
    /// The asset itself, when its URL passes `safe_url`.
    pub url: Option<&'a str>,
    pub published: Option<jiff::civil::Date>,
}

/// A stage as a link.
#[derive(Debug, Serialize)]
pub struct StageLink<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub href: String,
}

/// Who refers to a page.
#[derive(Debug, Serialize)]
pub struct BacklinkView<'a> {
    pub href: String,
    pub title: &'a str,
    /// `persona`, `asset` or `page`.
    pub kind: &'static str,
    pub via: Via,
    /// The referring item in plain words: `persona`, `asset` or `guide`.
    pub noun: &'static str,
    /// What it does, after its title and noun: `mentions this persona`.
    pub says: String,
}

impl<'a> Renderer<'a> {
    pub(super) fn persona_card(&self, root: &str, i: usize) -> PersonaCard<'a> {
        let p = &self.hb.personas[i];
        let paths = self.persona_paths[i].get_or_init(|| super::renderer::PersonaPaths {
            page: url::href("", &url::dir_of(Collection::Persona, &p.id)),
            segment: p.segment.as_deref().map(|s| url::href("", &url::term_dir(Kind::Segment, s))),
        });
        let from_root = |path: &str| [root, path].concat();
        PersonaCard {
            id: &p.id,
            href: from_root(&paths.page),
            name: &p.name,
            role: p.role.as_deref(),
            summary: p.summary.as_deref(),
            segment: p
                .segment
                .as_deref()
                .zip(paths.segment.as_deref())
                .map(|(s, h)| Link { href: from_root(h), text: s }),
            avatar: self.avatar(root, i),
            status: p.status,
            review: p.review,
            confidence: p.confidence,
        }
    }

    /// Cards of the personas with these ids (unknown ids are left out).
    pub(super) fn persona_cards(&self, root: &str, ids: &[String]) -> Vec<PersonaCard<'a>> {
        ids.iter().filter_map(|id| self.hb.persona_index(id)).map(|p| self.persona_card(root, p)).collect()
    }

    pub(super) fn avatar(&self, root: &str, i: usize) -> Avatar {
        let p = &self.hb.personas[i];
        let src = match &self.avatars[i] {
            Some(super::AvatarSrc::Site(path)) => Some(url::file_href(root, path)),
            Some(super::AvatarSrc::External(u)) => Some(u.to_string()),
            None => None,
        };
        let mut initials = initials(&p.name);
        if initials.is_empty() {
            initials.push('?');
        }
        Avatar { src, initials, hue: hue(&p.id) }
    }

    pub(super) fn asset_item(&self, root: &str, i: usize) -> AssetItem<'a> {
        let a = &self.hb.assets[i];
        let paths = self.asset_paths[i].get_or_init(|| super::renderer::AssetPaths {
            page: url::href("", &url::dir_of(Collection::Asset, &a.id)),
            format: a.format.as_deref().map(|f| url::href("", &url::term_dir(Kind::Format, f))),
            url_allowed: a.url.as_deref().and_then(crate::safe_url::allow).is_some(),
        });
        let from_root = |path: &str| [root, path].concat();
        AssetItem {
            id: &a.id,
            href: from_root(&paths.page),
            title: &a.title,
            format: a.format.as_deref().zip(paths.format.as_deref()).map(|(f, p)| Link { href: from_root(p), text: f }),
            url: a.url.as_deref().map(str::trim).filter(|_| paths.url_allowed),
            published: a.published,
        }
    }

    pub(super) fn asset_items(&self, root: &str, list: &[usize]) -> Vec<AssetItem<'a>> {
        list.iter().map(|&i| self.asset_item(root, i)).collect()
    }

    /// A link to a taxonomy term page (`tags/high-value/`).
    pub(super) fn term_link(&self, root: &str, kind: Kind, name: &'a str) -> Link<'a> {
        Link { href: url::href(root, &url::term_dir(kind, name)), text: name }
    }

    pub(super) fn term_links(&self, root: &str, kind: Kind, names: &'a [String]) -> Vec<Link<'a>> {
        names.iter().map(|n| self.term_link(root, kind, n)).collect()
    }

    /// One value per configured stage, in order, from its index and the stage.
    pub(super) fn per_stage<T>(&self, mut f: impl FnMut(usize, &'a Stage) -> T) -> Vec<T> {
        self.hb.config.stages.iter().enumerate().map(|(si, s)| f(si, s)).collect()
    }

    /// The share of personas with content at stage `si`, as a percentage.
    pub(super) fn stage_percent(&self, si: usize) -> u32 {
        percent(self.hb.content_map.stage_coverage.get(si).copied().unwrap_or(0.0))
    }

    pub(super) fn stage_link(&self, root: &str, s: &'a Stage) -> StageLink<'a> {
        StageLink { id: &s.id, name: &s.name, href: url::href(root, &url::stage_dir(&s.id)) }
    }

    pub(super) fn stage_links_for(&self, root: &str, ids: &[String]) -> Vec<StageLink<'a>> {
        let stages = &self.hb.config.stages;
        ids.iter().filter_map(|id| stages.iter().find(|s| &s.id == id)).map(|s| self.stage_link(root, s)).collect()
    }

    /// The "Referred to by" list of an item of collection `target`.
    pub(super) fn backlinks<'b>(
        &self,
        root: &str,
        target: Collection,
        list: impl IntoIterator<Item = &'b Backlink>,
    ) -> Vec<BacklinkView<'a>> {
        list.into_iter()
            .map(|b| BacklinkView {
                href: url::href(root, &self.hb.path_of(b.from)),
                title: self.hb.title_of(b.from),
                kind: b.from.collection.word(),
                via: b.via,
                noun: noun(b.from.collection),
                says: backlink_says(b.via, target),
            })
            .collect()
    }
}

/// An item's kind in plain words.
fn noun(c: Collection) -> &'static str {
    match c {
        Collection::Persona => "persona",
        Collection::Asset => "asset",
        Collection::Page => "page",
    }
}

/// What a backlink of this kind says about its target, in words: the one
/// place a `Via` becomes text on a page ("lists this persona").
fn backlink_says(via: Via, target: Collection) -> String {
    let this = noun(target);
    match via {
        Via::Personas => format!("is written for this {this}"),
        Via::Related => format!("lists this {this} as related"),
        Via::Journey => format!("mentions this {this} in its journey"),
        Via::Link | Via::WikiLink => format!("mentions this {this}"),
    }
}

/// A free front-matter value as a row of text.
#[derive(Serialize)]
pub struct ExtraField<'a> {
    pub key: &'a str,
    pub value: String,
}

/// Free front-matter values as text rows.
pub fn extra_fields(extra: &std::collections::BTreeMap<String, serde_json::Value>) -> Vec<ExtraField<'_>> {
    extra
        .iter()
        .map(|(k, v)| {
            let value = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            ExtraField { key: k, value }
        })
        .collect()
}

/// `Maria Lopez` -> `ML`; one letter for one word.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> =
        name.split_whitespace().filter(|w| w.chars().next().is_some_and(char::is_alphanumeric)).collect();
    let first = words.first().and_then(|w| w.chars().next());
    let last = if words.len() > 1 { words.last().and_then(|w| w.chars().next()) } else { None };
    first.into_iter().chain(last).flat_map(char::to_uppercase).collect()
}

/// A stable hue for an id (FNV-1a), so a persona keeps its colour; one
/// of 36, in steps of 10 degrees.
pub fn hue(id: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % 36 * 10
}

/// A share (0..=1) as a whole percentage.
pub fn percent(share: f64) -> u32 {
    (share * 100.0).round().clamp(0.0, 100.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Maria Lopez"), "ML");
        assert_eq!(initials("Cher"), "C");
        assert_eq!(initials("Anna von der Schmidt"), "AS");
        assert_eq!(initials("<script>"), "");
        assert_eq!(initials(""), "");
    }
}
