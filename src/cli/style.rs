//! What the terminal gets: colour or not, a progress line or not. The one
//! place that reads `--color`, `NO_COLOR`, `CLICOLOR_FORCE`, `CLICOLOR`,
//! `TERM` and whether standard error is a terminal; every verb prints
//! through the [`Look`] decided here.
//!
//! The order (the first that applies wins), as cargo and clap (anstream)
//! read the same variables:
//! 1. `--color always` / `--color never`;
//! 2. `NO_COLOR` set and not empty: no colour (<https://no-color.org>);
//! 3. `CLICOLOR_FORCE` set and not `0`: colour, even when not a terminal
//!    (<https://bixense.com/clicolors>);
//! 4. `CLICOLOR=0`, or `TERM=dumb`: no colour;
//! 5. otherwise colour exactly when standard error is a terminal.
//!
//! The progress line ignores the colour settings: it shows only on a terminal.

use clap::ValueEnum;
use personabook::diagnostic::Style;
use std::ffi::OsString;
use std::io::IsTerminal;

/// `--color`: when to colour what goes to standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorWhen {
    // Undocumented variants keep `--help` to one line: `[possible values: ...]`.
    #[default]
    Auto,
    Always,
    Never,
}

/// How this run writes to standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Look {
    /// Diagnostics and errors, plain or in colour.
    pub style: Style,
    /// Whether a long build may draw a progress line.
    pub progress: bool,
}

impl Look {
    /// The look for this process: its flags, its environment, its stderr.
    pub fn detect(when: ColorWhen) -> Look {
        let terminal = std::io::stderr().is_terminal();
        let colour = colour_on(when, |name| std::env::var_os(name), terminal);
        Look { style: if colour { Style::Ansi } else { Style::Plain }, progress: terminal }
    }
}

/// The order in the module's documentation, on any environment.
fn colour_on(when: ColorWhen, env: impl Fn(&str) -> Option<OsString>, terminal: bool) -> bool {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    match when {
        ColorWhen::Always => return true,
        ColorWhen::Never => return false,
        ColorWhen::Auto => {}
    }
    if set("NO_COLOR").is_some() {
        return false;
    }
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    if env("CLICOLOR").is_some_and(|v| v == "0") || env("TERM").is_some_and(|v| v == "dumb") {
        return false;
    }
    terminal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(when: ColorWhen, vars: &[(&str, &str)], terminal: bool) -> bool {
        let env = |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| OsString::from(v));
        colour_on(when, env, terminal)
    }

    #[test]
    fn auto_follows_the_terminal() {
        assert!(on(ColorWhen::Auto, &[], true));
        assert!(!on(ColorWhen::Auto, &[], false));
    }

    #[test]
    fn no_color_turns_it_off_and_wins_over_clicolor_force() {
        assert!(!on(ColorWhen::Auto, &[("NO_COLOR", "1")], true));
        assert!(!on(ColorWhen::Auto, &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")], false));
        // Set but empty does not count.
        assert!(on(ColorWhen::Auto, &[("NO_COLOR", "")], true));
    }

    #[test]
    fn clicolor_force_turns_it_on_off_a_terminal_unless_zero() {
        assert!(on(ColorWhen::Auto, &[("CLICOLOR_FORCE", "1")], false));
        assert!(on(ColorWhen::Auto, &[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")], false));
        assert!(!on(ColorWhen::Auto, &[("CLICOLOR_FORCE", "0")], false));
        assert!(!on(ColorWhen::Auto, &[("CLICOLOR_FORCE", "")], false));
    }

    #[test]
    fn clicolor_zero_and_a_dumb_terminal_turn_it_off() {
        assert!(!on(ColorWhen::Auto, &[("CLICOLOR", "0")], true));
        assert!(!on(ColorWhen::Auto, &[("TERM", "dumb")], true));
        assert!(on(ColorWhen::Auto, &[("CLICOLOR", "1")], true));
    }

    #[test]
    fn the_flag_wins_over_everything() {
        assert!(on(ColorWhen::Always, &[("NO_COLOR", "1")], false));
        assert!(!on(ColorWhen::Never, &[("CLICOLOR_FORCE", "1")], true));
    }
}
