//! personabook: a static site generator for customer persona handbooks.
//!
//! The pipeline runs one way: `load` (read files) -> `model::resolve`
//! (check and cross-reference) -> `render` (HTML in memory) -> `output`
//! (write atomically). `build`, `check` and `serve` all run it.

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

pub mod config;
pub mod diagnostic;
mod digest;
mod error;
pub mod import;
pub mod layout;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod problem;
pub mod render;
pub mod safe_url;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod text;
pub mod theme;

pub use error::Error;
