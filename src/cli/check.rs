//! `check`: every problem of the handbook, for people or for tools.

use super::{require_root, Format, Look, Outcome, Verbosity};
use personabook::diagnostic::{Render, Role};
use personabook::tool_formats;
use personabook::Error;
use std::path::Path;

pub(super) fn check(root: &Path, format: Format, say: Verbosity, look: Look) -> Result<Outcome, Error> {
    require_root(root)?;
    let opts = personabook::model::ResolveOptions { include_drafts: true, today: personabook::pipeline::today() };
    let (hb, diags) = personabook::pipeline::check(root, opts);
    // GitHub and SARIF name files from the repository root: the current folder.
    let folder = || tool_formats::handbook_folder(root, std::env::current_dir().ok().as_deref());
    let report = match format {
        Format::Human => {
            for d in diags.iter().filter(|d| d.is_error() || say.tells()) {
                eprintln!("{}\n", d.styled(look.style));
            }
            if say.tells() {
                eprintln!("{}", personabook::pipeline::check_summary(&hb, &diags));
            }
            None
        }
        Format::Json => Some(tool_formats::json(&diags).map(|json| json + "\n")),
        Format::Github => Some(Ok(tool_formats::github(&diags, &folder()))),
        Format::Sarif => Some(tool_formats::sarif(&diags, &folder()).map(|log| log + "\n")),
    };
    match report {
        Some(Ok(text)) => print!("{text}"),
        Some(Err(e)) => eprintln!("{}: {e}", look.style.paint(Role::Error, "error")),
        None => {}
    }
    // The process ends now: freeing the whole model first would only cost time.
    std::mem::forget(hb);
    Ok(if diags.has_errors() { Outcome::Problems } else { Outcome::Done })
}
