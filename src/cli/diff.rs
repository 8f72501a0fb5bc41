//! `diff [BASE] [HEAD]`: the semantic changelog between two revisions of
//! the handbook, for people, for a pull-request comment, or as JSON.

use super::{Outcome, Verbosity};
use clap::ValueEnum;
use personabook::history::{self, report};
use personabook::Error;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    /// Ready to post as a pull-request comment.
    Markdown,
    Json,
}

/// Prints the diff; exit 0 whatever it says, 2 when it cannot be made.
pub(super) fn diff(
    root: &Path,
    base: Option<&str>,
    head: Option<&str>,
    format: DiffFormat,
    _say: Verbosity,
) -> Result<Outcome, Error> {
    super::require_root(root)?;
    let d = history::diff::diff(root, base, head).map_err(Error::History)?;
    let text = match format {
        DiffFormat::Human => report::human(&d),
        DiffFormat::Markdown => report::markdown(&d),
        DiffFormat::Json => {
            serde_json::to_string_pretty(&d).map_err(|e| Error::Usage(format!("cannot write JSON: {e}")))? + "\n"
        }
    };
    print!("{text}");
    Ok(Outcome::Done)
}
