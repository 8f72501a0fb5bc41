//! `check`: every problem of the handbook, for people or for tools.

use super::{require_root, Format, Look, Outcome, Verbosity};
use personabook::diagnostic::{Render, Role};
use personabook::Error;
use std::path::Path;

pub(super) fn check(root: &Path, format: Format, say: Verbosity, look: Look) -> Result<Outcome, Error> {
    require_root(root)?;
    let opts = personabook::model::ResolveOptions { include_drafts: true, today: personabook::pipeline::today() };
    let (hb, diags) = personabook::pipeline::check(root, opts);
    match format {
        Format::Json => match serde_json::to_string_pretty(&diags.items) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("{}: {e}", look.style.paint(Role::Error, "error")),
        },
        Format::Human => {
            for d in diags.iter().filter(|d| d.is_error() || say.tells()) {
                eprintln!("{}\n", d.styled(look.style));
            }
            if say.tells() {
                eprintln!("{}", personabook::pipeline::check_summary(&hb, &diags));
            }
        }
    }
    // The process ends now: freeing the whole model first would only cost time.
    std::mem::forget(hb);
    Ok(if diags.has_errors() { Outcome::Problems } else { Outcome::Done })
}
