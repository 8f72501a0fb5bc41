//! Problems found while resolving the model: see [`super`].

use std::fmt;

/// A problem found while resolving the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelProblem {}

/// Every code of this file's kinds.
pub(super) const CODES: &[&str] = &[];

impl ModelProblem {
    pub fn code(&self) -> &'static str {
        match *self {}
    }
}

impl fmt::Display for ModelProblem {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}
