//! The resolved handbook: personas, assets and guide pages with every
//! reference checked, backlinks, the content map and review status.
//!
//! Built from `load::Loaded` by `resolve`; knows nothing of templates or
//! HTML. Everything here is plain data, serialisable as `handbook.json`.

pub mod asset;
pub mod content_map;
pub mod evidence;
pub mod links;
pub mod page;
pub mod patch;
pub mod persona;
mod read;
mod references;
pub mod resolve;
pub mod site_path;

pub use crate::load::Collection;
pub use asset::Asset;
pub use content_map::ContentMap;
pub use page::Page;
pub use persona::{JourneyStep, Persona};
pub use resolve::{resolve, resolve_parts, ResolveOptions};

use crate::config::Config;
use serde::Serialize;
use std::collections::HashMap;

/// A reference to one item of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ItemRef {
    pub collection: Collection,
    /// Index into `personas`, `assets` or `pages`.
    pub index: usize,
}

/// Who refers to an item, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Backlink {
    pub from: ItemRef,
    pub via: Via,
}

/// How one item refers to another. Ordered as the words sort, so
/// backlinks keep the order they had when these were strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Via {
    /// A `[[link]]` in a journey stage's text.
    Journey,
    /// A Markdown link to a `.md` file.
    Link,
    /// An asset's `personas`.
    Personas,
    /// A persona's `related`.
    Related,
    /// A `[[link]]` in a body.
    WikiLink,
}

impl Via {
    /// The word pages and `handbook.json` show.
    pub fn word(self) -> &'static str {
        match self {
            Via::Journey => "journey",
            Via::Link => "link",
            Via::Personas => "personas",
            Via::Related => "related",
            Via::WikiLink => "wiki link",
        }
    }
}

impl Serialize for Via {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.word())
    }
}

/// Review status of a persona against today's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    /// Reviewed within the interval.
    Current,
    /// Reviewed longer ago than the interval.
    Overdue,
    /// No `reviewed` date at all.
    NeverReviewed,
}

/// The whole resolved handbook.
#[derive(Debug, Clone, Serialize)]
pub struct Handbook {
    pub config: Config,
    /// The date reviews are measured against.
    pub today: jiff::civil::Date,
    pub personas: Vec<Persona>,
    pub assets: Vec<Asset>,
    pub pages: Vec<Page>,
    pub content_map: ContentMap,
    /// Whether drafts are part of this build.
    pub drafts: bool,
    /// The analytics exports joined in (`None` without `analytics:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<evidence::Evidence>,
    /// The git history, when the handbook is in a repository (`history`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<crate::history::History>,
    #[serde(skip)]
    pub(crate) index: Index,
}

/// Id lookups, built once by `resolve`. Private: other modules ask the
/// `Handbook` (`persona`, `persona_index`, `lookup`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    pub personas: HashMap<String, usize>,
    pub assets: HashMap<String, usize>,
    pub pages: HashMap<String, usize>,
    /// Content path (`personas/ana.md`) to item, for `.md` links.
    pub files: HashMap<String, ItemRef>,
}

impl Index {
    /// The ids of one collection, with their positions.
    pub fn ids(&self, collection: Collection) -> &HashMap<String, usize> {
        match collection {
            Collection::Persona => &self.personas,
            Collection::Asset => &self.assets,
            Collection::Page => &self.pages,
        }
    }
}

impl Handbook {
    /// The persona with this id.
    pub fn persona(&self, id: &str) -> Option<&Persona> {
        self.index.personas.get(id).map(|&i| &self.personas[i])
    }

    /// The asset with this id.
    pub fn asset(&self, id: &str) -> Option<&Asset> {
        self.index.assets.get(id).map(|&i| &self.assets[i])
    }

    /// The guide page with this id.
    pub fn page(&self, id: &str) -> Option<&Page> {
        self.index.pages.get(id).map(|&i| &self.pages[i])
    }

    /// Finds the target of a link in a body: `[[id]]`, `[[persona:id]]` or
    /// a `.md` path relative to the file at `from_content_path`.
    pub fn lookup(&self, from_content_path: &str, target: &links::Target) -> Option<ItemRef> {
        match target {
            links::Target::Wiki { collection, id } => self.lookup_id(*collection, id),
            links::Target::File { path, .. } => {
                let joined = links::join_content_path(from_content_path, path)?;
                self.index.files.get(&joined.to_lowercase()).copied()
            }
        }
    }

    /// Finds an id in one collection, or in personas, assets, pages in that order.
    pub fn lookup_id(&self, collection: Option<Collection>, id: &str) -> Option<ItemRef> {
        let id = id.trim().to_lowercase();
        let find = |c: Collection| self.index.ids(c).get(&id).map(|&index| ItemRef { collection: c, index });
        match collection {
            Some(c) => find(c),
            None => [Collection::Persona, Collection::Asset, Collection::Page].into_iter().find_map(find),
        }
    }

    /// The id of an item.
    pub fn id_of(&self, r: ItemRef) -> &str {
        match r.collection {
            Collection::Persona => &self.personas[r.index].id,
            Collection::Asset => &self.assets[r.index].id,
            Collection::Page => &self.pages[r.index].id,
        }
    }

    /// The display title of an item.
    pub fn title_of(&self, r: ItemRef) -> &str {
        match r.collection {
            Collection::Persona => &self.personas[r.index].name,
            Collection::Asset => &self.assets[r.index].title,
            Collection::Page => &self.pages[r.index].title,
        }
    }

    /// The site path of an item, relative to the site root, with a trailing slash.
    pub fn path_of(&self, r: ItemRef) -> String {
        site_path::item_dir(r.collection, self.id_of(r))
    }

    /// The position in `personas` of the persona with this id.
    pub fn persona_index(&self, id: &str) -> Option<usize> {
        self.index.personas.get(id).copied()
    }

    /// The backlinks of an item.
    pub fn backlinks_of(&self, r: ItemRef) -> &[Backlink] {
        match r.collection {
            Collection::Persona => &self.personas[r.index].backlinks,
            Collection::Asset => &self.assets[r.index].backlinks,
            Collection::Page => &self.pages[r.index].backlinks,
        }
    }

    /// Index of a stage id in the configured order.
    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.config.stages.iter().position(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn via_orders_as_its_words() {
        let all = [Via::Journey, Via::Link, Via::Personas, Via::Related, Via::WikiLink];
        let words: Vec<&str> = all.iter().map(|v| v.word()).collect();
        let mut sorted = words.clone();
        sorted.sort();
        assert_eq!(words, sorted);
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(serde_json::to_string(&Via::WikiLink).expect("serialises"), "\"wiki link\"");
    }
}
