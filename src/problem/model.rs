//! Problems found while resolving the model: see [`super`].

use crate::layout::Collection;
use std::fmt;

/// A problem found while resolving the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelProblem {
    /// A persona without `name`, an asset without `title`.
    MissingField { field: &'static str },
    /// A `status` or `confidence` that is not one of its words.
    UnknownValue { field: &'static str, value: String },
    /// A `journey` key that is no configured stage.
    UnknownJourneyStage { key: String },
    /// An asset's `stages` entry that is no configured stage.
    UnknownStage { id: String },
    /// Two `journey` keys for one stage.
    DuplicateJourneyStage { key: String },
    /// Two files with one id; `first` is the file kept.
    DuplicateId { collection: Collection, id: String, first: String },
    /// An asset or page whose id is also an item's of a collection a bare
    /// `[[id]]` looks in first; `first` is that item's file.
    SharedId { collection: Collection, id: String, shadowed_by: Collection, first: String },
    /// A guide page whose first folder is one of the site's own names.
    ReservedPageId { id: String, first: String },
    /// A Markdown link or image whose URL has a refused scheme.
    RefusedUrl { image: bool, url: String, scheme: String },
    /// A `.md` link to no file; `target` is the path as shown.
    BrokenLink { written: String, target: String },
    /// A reference to a draft left out of this build.
    DraftReference { id: String },
    /// An id no item has; `collection` is None for a bare `[[id]]`.
    UnknownId { collection: Option<Collection>, id: String, suggestion: Option<String> },
    /// `[[id|]]`: a wiki link with no text to show.
    EmptyLabel { written: String },
    /// A journey step's `emotion` outside -2..2.
    EmotionOutOfRange { value: i64 },
    /// A guide page's `weight` outside -max..max.
    WeightOutOfRange { value: i64, max: i64 },
}

/// Every code of this file's kinds.
pub(super) const CODES: &[&str] = &[
    "missing-field",
    "unknown-value",
    "unknown-stage",
    "duplicate-journey-stage",
    "duplicate-id",
    "shared-id",
    "reserved-name",
    "refused-url",
    "broken-link",
    "draft-reference",
    "unknown-id",
    "empty-label",
    "emotion-out-of-range",
    "weight-out-of-range",
];

impl ModelProblem {
    /// The word for the collections an id was looked up in (`persona`;
    /// `persona, asset or page` for a bare `[[id]]`).
    pub fn id_word(collection: Option<Collection>) -> &'static str {
        collection.map_or("persona, asset or page", Collection::word)
    }

    pub fn code(&self) -> &'static str {
        match self {
            ModelProblem::MissingField { .. } => "missing-field",
            ModelProblem::UnknownValue { .. } => "unknown-value",
            ModelProblem::UnknownJourneyStage { .. } | ModelProblem::UnknownStage { .. } => "unknown-stage",
            ModelProblem::DuplicateJourneyStage { .. } => "duplicate-journey-stage",
            ModelProblem::DuplicateId { .. } => "duplicate-id",
            ModelProblem::SharedId { .. } => "shared-id",
            ModelProblem::ReservedPageId { .. } => "reserved-name",
            ModelProblem::RefusedUrl { .. } => "refused-url",
            ModelProblem::BrokenLink { .. } => "broken-link",
            ModelProblem::DraftReference { .. } => "draft-reference",
            ModelProblem::UnknownId { .. } => "unknown-id",
            ModelProblem::EmptyLabel { .. } => "empty-label",
            ModelProblem::EmotionOutOfRange { .. } => "emotion-out-of-range",
            ModelProblem::WeightOutOfRange { .. } => "weight-out-of-range",
        }
    }
}

impl fmt::Display for ModelProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelProblem::MissingField { field } => write!(f, "missing required field `{field}`"),
            ModelProblem::UnknownValue { field, value } => write!(f, "unknown {field} \"{value}\""),
            ModelProblem::UnknownJourneyStage { key } => {
                write!(f, "journey stage `{key}` is not a configured stage")
            }
            ModelProblem::UnknownStage { id } => write!(f, "unknown stage \"{id}\""),
            ModelProblem::DuplicateJourneyStage { key } => {
                write!(f, "journey stage `{key}` is given twice (stage ids ignore case)")
            }
            ModelProblem::DuplicateId { collection, id, first } => {
                write!(f, "duplicate {} id \"{id}\": {first} has the same id", collection.word())
            }
            ModelProblem::SharedId { collection, id, shadowed_by, first } => write!(
                f,
                "{} \"{id}\" has the same id as the {} in {first}: `[[{id}]]` links to the {}",
                collection.word(),
                shadowed_by.word(),
                shadowed_by.word()
            ),
            ModelProblem::ReservedPageId { id, first } => {
                write!(f, "guide page \"{id}\" would replace the site's own /{first}/ page")
            }
            ModelProblem::RefusedUrl { image, url, scheme } => {
                let (what, shown) = if *image { ("image", "its alt text") } else { ("link to", "text") };
                write!(f, "{what} \"{}\" shown as {shown}: {scheme}: URLs are not allowed on pages", url.escape_debug())
            }
            ModelProblem::BrokenLink { written, target } => {
                write!(f, "broken link: `{written}` points to {target}, which does not exist")
            }
            ModelProblem::DraftReference { id } => {
                write!(f, "\"{id}\" is a draft, left out of this build; the reference shows as plain text")
            }
            ModelProblem::UnknownId { collection, id, suggestion } => {
                write!(f, "unknown {} id \"{id}\"", ModelProblem::id_word(*collection))?;
                match suggestion {
                    Some(s) => write!(f, " (did you mean \"{s}\"?)"),
                    None => Ok(()),
                }
            }
            ModelProblem::EmptyLabel { written } => write!(f, "wiki link `{written}` has an empty label"),
            ModelProblem::EmotionOutOfRange { value } => write!(f, "emotion {value} is outside -2..2"),
            ModelProblem::WeightOutOfRange { value, max } => write!(f, "`weight` {value} is outside -{max}..{max}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_is_wrong() {
        let cases = [
            (
                ModelProblem::UnknownId {
                    collection: Some(Collection::Persona),
                    id: "ana-costta".into(),
                    suggestion: Some("ana-costa".into()),
                },
                "unknown persona id \"ana-costta\" (did you mean \"ana-costa\"?)",
            ),
            (
                ModelProblem::UnknownId { collection: None, id: "x".into(), suggestion: None },
                "unknown persona, asset or page id \"x\"",
            ),
            (
                ModelProblem::RefusedUrl { image: true, url: "data:x\"".into(), scheme: "data".into() },
                "image \"data:x\\\"\" shown as its alt text: data: URLs are not allowed on pages",
            ),
        ];
        for (problem, want) in cases {
            assert_eq!(problem.to_string(), want);
            assert!(CODES.contains(&problem.code()));
        }
    }
}
