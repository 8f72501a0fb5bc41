//! The one error a command can end with: what went wrong, what to do about
//! it, and the exit code. The command line prints it in one place; each
//! part of the library keeps its own typed error, and this joins them.

use crate::diagnostic::{Diagnostics, Render, Role, Style};
use crate::history::HistoryError;
use crate::import::ImportError;
use crate::output::OutputError;
use crate::scaffold::ScaffoldError;
use crate::serve::ServeError;
use std::fmt;

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// The command line asks for something that cannot be done (a folder
    /// that does not exist, a malformed address): exit 2.
    Usage(String),
    /// No `--root`, and no handbook in the current folder or any above it: exit 2.
    NoHandbook,
    /// The handbook has problems, every one of them: nothing was written.
    Build(Diagnostics),
    /// The output folder could not be written; it is left as it was.
    Output(OutputError),
    /// The preview server could not start.
    Serve(ServeError),
    /// An import stopped before writing anything.
    Import(ImportError),
    /// `init` or `new` could not write a starter file.
    Scaffold(ScaffoldError),
    /// `diff` could not read the repository or a revision: exit 2.
    History(HistoryError),
}

impl Error {
    /// 2 for a usage error, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::NoHandbook | Error::History(_) => 2,
            Error::Import(e) => e.exit_code(),
            Error::Build(_) | Error::Output(_) | Error::Serve(_) | Error::Scaffold(_) => 1,
        }
    }

    /// What the user can do about it, where there is one thing to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Output(e) => Some(e.hint().to_string()),
            Error::Scaffold(e) => Some(e.hint()),
            Error::History(e) => Some(e.hint()),
            Error::NoHandbook => Some("create one with `personabook init`, or point at one with --root DIR".into()),
            Error::Usage(_) | Error::Build(_) | Error::Serve(_) | Error::Import(_) => None,
        }
    }
}

impl Render for Error {
    /// `error: what` with the hint under it, or, for problems in files,
    /// every diagnostic (each names its own file and line).
    fn render(&self, f: &mut fmt::Formatter<'_>, style: Style) -> fmt::Result {
        let error = style.paint(Role::Error, "error");
        match self {
            Error::Build(diags) => {
                write!(f, "{}\nbuild failed; the output folder was not changed", diags.styled(style))?
            }
            Error::Import(e @ ImportError::Invalid(_)) => write!(f, "{e}")?,
            Error::Usage(what) => write!(f, "{error}: {what}")?,
            Error::NoHandbook => {
                write!(f, "{error}: no handbook here or in any folder above (no handbook.yaml or content/personas/)")?
            }
            Error::Output(e) => write!(f, "{error}: {e}")?,
            Error::Serve(e) => write!(f, "{error}: {e}")?,
            Error::Import(e) => write!(f, "{error}: {e}")?,
            Error::Scaffold(e) => write!(f, "{error}: {e}")?,
            Error::History(e) => write!(f, "{error}: {e}")?,
        }
        if let Some(hint) = self.hint() {
            let (eq, label) = (style.paint(Role::Gutter, "="), style.paint(Role::Hint, "hint"));
            write!(f, "\n  {eq} {label}: {hint}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f, Style::Plain)
    }
}

impl std::error::Error for Error {}

from_parts!(Error: OutputError => Output, ServeError => Serve, ImportError => Import, ScaffoldError => Scaffold);
