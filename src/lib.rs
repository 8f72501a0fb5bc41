//! personabook: a static site generator for customer persona handbooks.
//!
//! The pipeline runs one way: `load` (read files) -> `model::resolve`
//! (check and cross-reference) -> prepare (theme, `static/`) -> `render`
//! (the site in memory) -> the writer (atomically, the only code that
//! writes). `build`, `check` and `serve` all run it; ARCHITECTURE.md is the
//! map.
//!
//! The public API is what a program needs to run the pipeline or one of its
//! stages (benchmarks and the fuzz targets run stages alone): the stages
//! in order, the commands besides `build`, and the problems they report.
//! Everything else is private to the crate.

/// `impl From<Part> for Whole` for enums that wrap the errors or problems
/// of their parts, one variant each: `from_parts!(Error: OutputError => Output)`.
macro_rules! from_parts {
    ($whole:ident: $($part:ty => $variant:ident),*) => {
        $(impl From<$part> for $whole {
            fn from(part: $part) -> Self {
                $whole::$variant(part)
            }
        })*
    };
}

// The stages, in pipeline order, and the pipeline that runs them.
pub mod config;
pub mod layout;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod theme;

// The commands besides `build` and `check`.
pub mod import;
pub mod scaffold;
pub mod schema;
pub mod serve;

// What can go wrong.
pub mod diagnostic;
mod error;
pub mod problem;
pub mod tool_formats;

// Pieces the stages share.
mod digest;
mod links;
mod markdown;
mod output;
mod safe_url;
mod slug;
mod text;
// Analytics exports: URL keys, numbers, report shapes (pure; the loader and the model share them).
pub mod analytics;

pub use error::Error;
pub use output::OutputError;
pub use render::Site;

/// The parsers that take user text, for the fuzz targets and property
/// tests. Not a stable API.
#[doc(hidden)]
pub mod parsers {
    pub use crate::links::*;
    pub use crate::safe_url::{allow, refused_scheme};
    pub use crate::serve::decode_path;
}
