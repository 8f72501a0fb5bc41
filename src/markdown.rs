//! Markdown settings shared by every stage that parses a body.

use pulldown_cmark::Options;

/// The one set of pulldown-cmark options used everywhere: tables,
/// footnotes, strikethrough, task lists, heading attributes, wiki links.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}
