//! personabook: a static site generator for customer persona handbooks.
//!
//! The pipeline runs one way: `load` (read files) -> `model::resolve`
//! (check and cross-reference) -> `render` (HTML in memory) -> `output`
//! (write atomically). `build`, `check` and `serve` all run it.

pub mod config;
pub mod diagnostic;
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
pub mod theme;
