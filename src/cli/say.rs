//! How much a command tells: `--quiet` (errors only), the default (what
//! was done, and warnings), `--verbose` (also which handbook, where the
//! output went, counts). Every verb asks here before printing anything
//! that is not an error; errors always print.

/// The level set by `--quiet` or `--verbose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

impl Verbosity {
    /// From the two flags (clap refuses both at once).
    pub(crate) fn from_flags(quiet: bool, verbose: bool) -> Verbosity {
        match (quiet, verbose) {
            (true, _) => Verbosity::Quiet,
            (false, true) => Verbosity::Verbose,
            (false, false) => Verbosity::Normal,
        }
    }

    /// Whether to print what was done and warnings: not under `--quiet`.
    pub(crate) fn tells(self) -> bool {
        self >= Verbosity::Normal
    }

    /// Whether to print the details `--verbose` asks for.
    pub(crate) fn details(self) -> bool {
        self == Verbosity::Verbose
    }

    /// Prints a `--verbose` detail on stderr (stdout stays what the command produces).
    pub(crate) fn detail(self, what: impl std::fmt::Display) {
        if self.details() {
            eprintln!("{what}");
        }
    }
}
