//! Problems found while importing: see [`super`].

use std::fmt;

/// A problem found while importing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportProblem {}

/// Every code of this file's kinds.
pub(super) const CODES: &[&str] = &[];

impl ImportProblem {
    pub fn code(&self) -> &'static str {
        match *self {}
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}
