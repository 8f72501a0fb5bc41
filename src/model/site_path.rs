//! Where everything lives in the site: the one place that turns an item, a
//! journey, a stage or a taxonomy term into its site path (`personas/ana/`),
//! and that names the site's own sections and root files.
//!
//! The resolver asks here which names a guide page may not take; render
//! asks here for every href and output file; the static-file checks ask
//! here which folders the site needs. Paths are relative to the site root,
//! `/`-separated, folders with a trailing slash. This module only makes
//! strings: it never reads the model's items, never escapes or encodes
//! (that is `render::url`'s job) and knows nothing of templates.

use super::Collection;
use std::fmt;

// The site's own sections (folders at the root) and the files it writes
// outside any item's folder.
pub const PERSONAS: &str = "personas";
pub const JOURNEYS: &str = "journeys";
pub const LIBRARY: &str = "library";
pub const CONTENT_MAP: &str = "content-map";
pub const COMPARE: &str = "compare";
pub const REVIEWS: &str = "reviews";
pub const STAGES: &str = "stages";
pub const SEARCH: &str = "search";
/// Where the theme's static files go.
pub const THEME_STATIC: &str = "static";
pub const HOME_FILE: &str = "index.html";
pub const NOT_FOUND_FILE: &str = "404.html";
pub const SITEMAP_FILE: &str = "sitemap.xml";
pub const JSON_FILE: &str = "handbook.json";
pub const CSV_FILE: &str = "content-map.csv";
pub const SEARCH_INDEX_FILE: &str = "search/index.js";
/// The data scripts of the library's and the comparison's pages. They live
/// in `search/`, the site's own folder, where no item can take their name.
pub const LIBRARY_DATA_FILE: &str = "search/library.js";
pub const COMPARE_DATA_FILE: &str = "search/compare.js";
/// The insights page, when the handbook has `analytics:`.
pub const INSIGHTS: &str = "insights";
/// Next-best content per persona and stage, when the handbook has `analytics:`.
pub const PERSONALIZATION_FILE: &str = "personalization.json";
/// The change feed (Atom), written when the handbook has a git history.
/// Not a reserved root file: a handbook outside git may still have a
/// `static/changes.xml` (the feed replaces it when there is a history).
pub const FEED_FILE: &str = "changes.xml";

/// The site's own sections, in the order messages list them: a guide page
/// or a static file may not take their names.
pub const SECTIONS: &[&str] = &[
    PERSONAS,
    JOURNEYS,
    LIBRARY,
    CONTENT_MAP,
    COMPARE,
    REVIEWS,
    Kind::Segment.dir(),
    Kind::Tag.dir(),
    Kind::Format.dir(),
    STAGES,
    Kind::Topic.dir(),
    SEARCH,
    THEME_STATIC,
    INSIGHTS,
];

/// The files the site writes at its root (`search/index.js` lives in a
/// section), in the order messages list them.
pub const ROOT_FILES: &[&str] = &[NOT_FOUND_FILE, SITEMAP_FILE, JSON_FILE, CSV_FILE, HOME_FILE, PERSONALIZATION_FILE];

/// The names a guide page's first folder may not take: the sections, the
/// not-found page's name (`404`, which would read as that page) and the
/// root files (a folder of the same name would collide).
pub fn reserved_page_ids() -> Vec<&'static str> {
    let not_found = NOT_FOUND_FILE.trim_end_matches(".html");
    SECTIONS.iter().copied().chain([not_found]).chain(ROOT_FILES.iter().copied()).collect()
}

/// A kind of taxonomy: its terms get pages of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Segment,
    Tag,
    Format,
    Topic,
}

impl Kind {
    /// Every kind, in the order the site lists them.
    pub const ALL: [Kind; 4] = [Kind::Segment, Kind::Tag, Kind::Format, Kind::Topic];

    /// The section of its pages (`segments`).
    pub const fn dir(self) -> &'static str {
        match self {
            Kind::Segment => "segments",
            Kind::Tag => "tags",
            Kind::Format => "formats",
            Kind::Topic => "topics",
        }
    }

    /// `Segments`.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Segment => "Segments",
            Kind::Tag => "Tags",
            Kind::Format => "Formats",
            Kind::Topic => "Topics",
        }
    }

    /// `Segment`.
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Segment => "Segment",
            Kind::Tag => "Tag",
            Kind::Format => "Format",
            Kind::Topic => "Topic",
        }
    }
}

/// A part of the site a path belongs to, for messages about what a static
/// file collides with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SitePart {
    /// One of the site's own sections (`personas`).
    Section(&'static str),
    /// The page of an item.
    Item { collection: Collection, id: String },
    /// The journey map of a persona.
    Journey { persona: String },
    /// The page of a configured stage.
    Stage { id: String },
    /// The page of a taxonomy term, as first written.
    Term { kind: Kind, word: String },
    /// A file the site writes at its root (`sitemap.xml`).
    RootFile(&'static str),
    /// `search/index.js`.
    SearchIndex,
}

impl fmt::Display for SitePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SitePart::Section(s) => write!(f, "the site's /{s}/ section"),
            SitePart::Item { collection, id } => write!(f, "the page of {} \"{id}\"", collection.word()),
            SitePart::Journey { persona } => write!(f, "the journey map of persona \"{persona}\""),
            SitePart::Stage { id } => write!(f, "the page of stage \"{id}\""),
            SitePart::Term { kind, word } => write!(f, "the {} page of \"{word}\"", kind.dir()),
            SitePart::RootFile(file) => write!(f, "the site's own {file}"),
            SitePart::SearchIndex => f.write_str("the search index"),
        }
    }
}

/// The folder of a section (`library/`).
pub fn section_dir(section: &str) -> String {
    format!("{section}/")
}

/// The folder of an item (`personas/emea/ana/`, `library/roi/`, `guides/start/`).
pub fn item_dir(collection: Collection, id: &str) -> String {
    match collection {
        Collection::Persona => format!("{PERSONAS}/{id}/"),
        Collection::Asset => format!("{LIBRARY}/{id}/"),
        Collection::Page => format!("{id}/"),
    }
}

/// The folder of a persona's journey map.
pub fn journey_dir(persona_id: &str) -> String {
    format!("{JOURNEYS}/{persona_id}/")
}

/// The folder of a stage's page (`stages/awareness/`).
pub fn stage_dir(stage_id: &str) -> String {
    format!("{STAGES}/{}/", slug(stage_id))
}

/// The folder of a taxonomy term's page (`tags/high-value/`), from the
/// term as written.
pub fn term_dir(kind: Kind, name: &str) -> String {
    term_slug_dir(kind, &slug(name))
}

/// The folder of a taxonomy term's page from its slug.
pub fn term_slug_dir(kind: Kind, slug: &str) -> String {
    format!("{}/{slug}/", kind.dir())
}

/// Output path of a folder's page: `personas/ana/` -> `personas/ana/index.html`.
pub fn page_file(dir: &str) -> String {
    format!("{dir}{HOME_FILE}")
}

/// Term shard `n` of the search index (`search/t-3.js`).
pub fn search_shard_file(n: usize) -> String {
    format!("{SEARCH}/t-{n}.js")
}

/// Page chunk `n` of the search index (`search/d-3.js`).
pub fn search_chunk_file(n: usize) -> String {
    format!("{SEARCH}/d-{n}.js")
}

/// A URL slug for a free word (a tag, topic, heading): see [`crate::slug::url_slug`].
pub use crate::slug::url_slug as slug;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_are_the_sections_and_root_files() {
        let reserved = reserved_page_ids().join(", ");
        assert_eq!(
            reserved,
            "personas, journeys, library, content-map, compare, reviews, segments, tags, formats, stages, \
             topics, search, static, insights, 404, 404.html, sitemap.xml, handbook.json, content-map.csv, index.html, \
             personalization.json"
        );
    }

    #[test]
    fn paths_of_every_kind_of_page() {
        let cases = [
            (item_dir(Collection::Persona, "emea/ana"), "personas/emea/ana/"),
            (item_dir(Collection::Asset, "roi"), "library/roi/"),
            (item_dir(Collection::Page, "guides/start"), "guides/start/"),
            (journey_dir("ana"), "journeys/ana/"),
            (stage_dir("Decision Making"), "stages/decision-making/"),
            (term_dir(Kind::Tag, "High Value"), "tags/high-value/"),
            (page_file(&section_dir(LIBRARY)), "library/index.html"),
            (page_file(""), "index.html"),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn slugs() {
        for (text, want) in [
            ("Looker Studio", "looker-studio"),
            ("What *success* looks like", "what-success-looks-like"),
            ("Don't panic!", "dont-panic"),
            ("!!!", "_"),
            ("Über uns", "über-uns"),
        ] {
            assert_eq!(slug(text), want, "{text}");
        }
    }
}
