//! Problems found while importing: see [`super`]. They are problems in the
//! source collection (its syntax, its `parent` chains), found before
//! anything is written.

use std::fmt;

/// A problem found while importing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportProblem {
    /// A JSON file (or JSON front matter) that does not parse.
    InvalidJson { message: String, front_matter: bool },
    /// TOML front matter (`+++`) that does not parse.
    InvalidToml { message: String },
    /// Front matter opened by `fence` (`---`, `+++`) and never closed.
    UnclosedFrontMatter { fence: &'static str },
    /// `parent` is neither a string nor a list of strings.
    ParentNotList,
    /// No persona has this id or file name.
    UnknownParent { parent: String },
    /// The persona names itself as its parent.
    ParentIsItself { parent: String },
    /// Several personas (shown as in messages) have this id.
    AmbiguousParent { parent: String, candidates: Vec<String> },
    /// Following parents leads back: the personas of the cycle, first and last the same.
    InheritanceCycle { chain: Vec<String> },
    /// The `parent` chain is longer than `limit`.
    ParentChainTooDeep { limit: usize },
}

/// Every code of this file's kinds.
pub(super) const CODES: &[&str] = &[
    "json-syntax",
    "toml-syntax",
    "source-front-matter-not-closed",
    "parent-not-list",
    "unknown-parent",
    "parent-is-itself",
    "ambiguous-parent",
    "inheritance-cycle",
    "parent-chain-too-deep",
];

impl ImportProblem {
    pub fn code(&self) -> &'static str {
        match self {
            ImportProblem::InvalidJson { .. } => "json-syntax",
            ImportProblem::InvalidToml { .. } => "toml-syntax",
            ImportProblem::UnclosedFrontMatter { .. } => "source-front-matter-not-closed",
            ImportProblem::ParentNotList => "parent-not-list",
            ImportProblem::UnknownParent { .. } => "unknown-parent",
            ImportProblem::ParentIsItself { .. } => "parent-is-itself",
            ImportProblem::AmbiguousParent { .. } => "ambiguous-parent",
            ImportProblem::InheritanceCycle { .. } => "inheritance-cycle",
            ImportProblem::ParentChainTooDeep { .. } => "parent-chain-too-deep",
        }
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportProblem::InvalidJson { message, front_matter: false } => write!(f, "invalid JSON: {message}"),
            ImportProblem::InvalidJson { message, front_matter: true } => {
                write!(f, "invalid JSON front matter: {message}")
            }
            ImportProblem::InvalidToml { message } => write!(f, "invalid TOML: {message}"),
            ImportProblem::UnclosedFrontMatter { fence } => {
                write!(f, "front matter is not closed: the opening `{fence}` has no closing `{fence}` line")
            }
            ImportProblem::ParentNotList => f.write_str("`parent` must be a list of persona ids"),
            ImportProblem::UnknownParent { parent } => {
                write!(f, "parent \"{parent}\" not found: no persona has this id or file name")
            }
            ImportProblem::ParentIsItself { parent } => write!(f, "persona lists itself as its parent \"{parent}\""),
            ImportProblem::AmbiguousParent { parent, candidates } => {
                write!(f, "parent \"{parent}\" is ambiguous: {} all have this id", candidates.join(", "))
            }
            ImportProblem::InheritanceCycle { chain } => write!(f, "inheritance cycle: {}", chain.join(" -> ")),
            ImportProblem::ParentChainTooDeep { limit } => {
                write!(f, "the `parent` chain is deeper than {limit} personas")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_listed_code() {
        let kinds = [
            ImportProblem::InvalidJson { message: "x".into(), front_matter: true },
            ImportProblem::InvalidToml { message: "x".into() },
            ImportProblem::UnclosedFrontMatter { fence: "+++" },
            ImportProblem::ParentNotList,
            ImportProblem::UnknownParent { parent: "p".into() },
            ImportProblem::ParentIsItself { parent: "p".into() },
            ImportProblem::AmbiguousParent { parent: "p".into(), candidates: vec!["a".into(), "b".into()] },
            ImportProblem::InheritanceCycle { chain: vec!["a".into(), "a".into()] },
            ImportProblem::ParentChainTooDeep { limit: 64 },
        ];
        for k in &kinds {
            assert!(CODES.contains(&k.code()), "{k:?}");
        }
        assert_eq!(kinds[2].to_string(), "front matter is not closed: the opening `+++` has no closing `+++` line");
        assert_eq!(kinds[6].to_string(), "parent \"p\" is ambiguous: a, b all have this id");
    }
}
