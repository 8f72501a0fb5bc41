//! Problems found while rendering: see [`super`].

use std::fmt;

/// A problem found while rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderProblem {}

/// Every code of this file's kinds.
pub(super) const CODES: &[&str] = &[];

impl RenderProblem {
    pub fn code(&self) -> &'static str {
        match *self {}
    }
}

impl fmt::Display for RenderProblem {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}
