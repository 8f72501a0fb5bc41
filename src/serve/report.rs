//! What the preview has to tell the person running it, as values: the
//! library never prints. `serve` sends each [`Event`] to the channel in
//! [`super::ServeOptions::events`]; the command line prints it (plain, or
//! in colour through [`Render::styled`]), one event at a time, on standard
//! error.

use crate::diagnostic::{Diagnostic, Render, Role, Style};
use crate::text::plural;
use std::fmt;

/// One thing worth a line (or a few) in the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The changed items' own pages were served ahead of the full rebuild.
    Previewed { at: jiff::civil::Time, what: String, pages: usize, ms: u128 },
    /// The first build can serve pages on demand while it renders the rest.
    FirstPages { at: jiff::civil::Time, ms: u128 },
    /// A warning not reported since it last appeared.
    Warning(Diagnostic),
    /// A good build is served.
    Built { at: jiff::civil::Time, what: String, pages: usize, ms: u128, changed: usize, warnings: usize },
    /// A build failed: its errors, and whether an older site is still served.
    Failed { at: jiff::civil::Time, what: String, errors: Vec<Diagnostic>, shown: usize, still_serving: bool },
    /// The watcher had trouble (events lost, a folder it cannot watch).
    Watch(String),
}

impl Render for Event {
    /// One event, its diagnostics in `style`.
    fn render(&self, f: &mut fmt::Formatter<'_>, style: Style) -> fmt::Result {
        let time = |at: &jiff::civil::Time| at.strftime("%H:%M:%S").to_string();
        match self {
            Event::Previewed { at, what, pages, ms } => write!(
                f,
                "[{}] {what}: {pages} page{} updated in {ms} ms, rebuilding the rest",
                time(at),
                plural(*pages)
            ),
            Event::FirstPages { at, ms } => {
                write!(f, "[{}] first build: pages served on demand after {ms} ms, rendering the rest", time(at))
            }
            Event::Warning(w) => writeln!(f, "{}", w.styled(style)),
            Event::Built { at, what, pages, ms, changed, warnings } => {
                write!(
                    f,
                    "[{}] {what}: {pages} pages in {ms} ms, {changed} output file{} changed",
                    time(at),
                    plural(*changed)
                )?;
                match warnings {
                    0 => Ok(()),
                    n => write!(f, ", {n} warning{}", plural(*n)),
                }
            }
            Event::Failed { at, what, errors, shown, still_serving } => {
                for d in errors {
                    write!(f, "{}\n\n", d.styled(style))?;
                }
                let kept = if *still_serving { "still serving the last good build" } else { "nothing to serve yet" };
                write!(f, "[{}] {what}: build failed with {shown} error{}; {kept}", time(at), plural(*shown))
            }
            Event::Watch(message) => write!(f, "{}: {message}", style.paint(Role::Warning, "warning")),
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f, Style::Plain)
    }
}
