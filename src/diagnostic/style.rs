//! How problems look on a terminal: the few parts of a diagnostic that
//! have a colour (the severity, the gutter and line numbers, the hint's
//! label) and the ANSI codes for them.
//!
//! This module only paints; it never decides whether to. The command line
//! chooses a [`Style`] once (terminal, `NO_COLOR`, `CLICOLOR_FORCE`,
//! `--color`) and passes it in. [`Style::Plain`] writes exactly what each
//! type's `Display` writes, which is what tests, JSON and logs compare.

use super::Severity;
use std::fmt;

/// Whether to write colour codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// Text only: the same bytes as `Display`.
    #[default]
    Plain,
    /// Text with ANSI colour codes, for a terminal.
    Ansi,
}

/// A part of a message that has its own colour, as rustc and cargo colour it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `error`, and the caret under an error: bold red.
    Error,
    /// `warning`, and the caret under a warning: bold yellow.
    Warning,
    /// The ` | ` gutter, the line number and `=`: bold blue.
    Gutter,
    /// The `hint` label: bold cyan.
    Hint,
    /// The message itself: bold.
    Message,
}

impl Role {
    /// The role of a severity's label and caret.
    pub fn of(severity: Severity) -> Role {
        match severity {
            Severity::Error => Role::Error,
            Severity::Warning => Role::Warning,
        }
    }

    fn sgr(self) -> &'static str {
        match self {
            Role::Error => "1;31",
            Role::Warning => "1;33",
            Role::Gutter => "1;34",
            Role::Hint => "1;36",
            Role::Message => "1",
        }
    }
}

impl Style {
    /// `text` in the colour of `role`, or as it is when plain.
    pub fn paint<T: fmt::Display>(self, role: Role, text: T) -> Painted<T> {
        Painted { style: self, role, text }
    }
}

/// Text with a colour; its `Display` writes the codes around it.
#[derive(Debug, Clone, Copy)]
pub struct Painted<T> {
    style: Style,
    role: Role,
    text: T,
}

impl<T: fmt::Display> fmt::Display for Painted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.style {
            Style::Plain => write!(f, "{}", self.text),
            Style::Ansi => write!(f, "\x1b[{}m{}\x1b[0m", self.role.sgr(), self.text),
        }
    }
}

/// A type that can be written plain or in colour. Its `Display` is
/// `render` with [`Style::Plain`]; [`Render::styled`] picks the style.
pub trait Render {
    /// Writes `self` in `style`.
    fn render(&self, f: &mut fmt::Formatter<'_>, style: Style) -> fmt::Result;

    /// `self` with a style, to print with `{}`.
    fn styled(&self, style: Style) -> Styled<'_, Self> {
        Styled { value: self, style }
    }
}

/// A value and the style to print it in.
pub struct Styled<'a, T: ?Sized> {
    value: &'a T,
    style: Style,
}

impl<T: Render + ?Sized> fmt::Display for Styled<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.render(f, self.style)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Diagnostics};
    use crate::problem::InputProblem;

    #[test]
    fn plain_paint_is_the_text() {
        assert_eq!(Style::Plain.paint(Role::Error, "error").to_string(), "error");
    }

    #[test]
    fn ansi_paint_wraps_the_text_and_resets() {
        assert_eq!(Style::Ansi.paint(Role::Error, "error").to_string(), "\x1b[1;31merror\x1b[0m");
        assert_eq!(Style::Ansi.paint(Role::Gutter, 12).to_string(), "\x1b[1;34m12\x1b[0m");
    }

    /// A warning at line 12 with a two-character caret and a hint.
    fn sample() -> Diagnostic {
        let text = format!("{}\tstage: awarness\n", "\n".repeat(11));
        Diagnostic::warning("content/personas/ana.md", 12, 3, InputProblem::UnknownKey { key: "stage".into() })
            .with_source(&text, 5)
            .with_hint("did you mean \"stages\"?")
    }

    #[test]
    fn plain_render_is_the_display_users_and_tests_know() {
        let expected = "content/personas/ana.md:12:3: warning: unknown key `stage` (kept under `extra`)\n   |\n12 | \tstage: awarness\n   | \t ^^^^^\n   = hint: did you mean \"stages\"?";
        assert_eq!(sample().styled(Style::Plain).to_string(), expected);
        assert_eq!(sample().to_string(), expected);
    }

    #[test]
    fn ansi_render_colours_label_gutter_caret_and_hint_and_nothing_else() {
        let ansi = sample().styled(Style::Ansi).to_string();
        let (b, y, c, bold, r) = ("\x1b[1;34m", "\x1b[1;33m", "\x1b[1;36m", "\x1b[1m", "\x1b[0m");
        let expected = format!(
            "content/personas/ana.md:12:3: {y}warning{r}: {bold}unknown key `stage` (kept under `extra`){r}\n   {b}|{r}\n{b}12{r} {b}|{r} \tstage: awarness\n   {b}|{r} \t {y}^^^^^{r}\n   {b}={r} {c}hint{r}: did you mean \"stages\"?"
        );
        assert_eq!(ansi, expected);
    }

    #[test]
    fn an_error_is_red_and_a_list_keeps_its_plain_counts() {
        let mut list = Diagnostics::default();
        list.push(Diagnostic::error("handbook.yaml", 1, 1, InputProblem::NotUtf8));
        let ansi = list.styled(Style::Ansi).to_string();
        assert!(ansi.starts_with("handbook.yaml:1:1: \x1b[1;31merror\x1b[0m: "), "{ansi}");
        assert!(ansi.ends_with("\n\n1 error, 0 warnings"), "{ansi}");
        assert_eq!(list.styled(Style::Plain).to_string(), list.to_string());
    }
}
