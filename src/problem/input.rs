//! Problems found while reading inputs: see [`super`].

use std::fmt;

/// A problem found while reading inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputProblem {}

/// Every code of this file's kinds.
pub(super) const CODES: &[&str] = &[];

impl InputProblem {
    pub fn code(&self) -> &'static str {
        match *self {}
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}
