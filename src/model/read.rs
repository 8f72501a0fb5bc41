//! What the readers of personas, assets and pages share: a required text
//! field and a field that takes one of a few words. Reads front matter
//! through `load::yaml::Fields`; never looks at other files.

use crate::diagnostic::did_you_mean;
use crate::load::yaml::{Fields, Pos};
use crate::load::SourceFile;
use crate::problem::ModelProblem;

/// The text of `field`, or the file's id when it is missing, with an error
/// (unless the YAML did not parse: its own error is enough).
pub(super) fn required_text(f: &mut Fields<'_>, file: &SourceFile, field: &'static str, hint: &str) -> String {
    if let Some(text) = f.text(field) {
        return text;
    }
    if file.yaml_error.is_none() {
        let d = f.loc.error(Pos { line: 1, column: 1, width: 3 }, ModelProblem::MissingField { field }).with_hint(hint);
        f.diags.push(d);
    }
    file.id.clone()
}

/// The value of `field` as one of `words`: None when it is absent, or
/// another word (an error with a "did you mean").
pub(super) fn one_of<T: Copy>(f: &mut Fields<'_>, field: &'static str, words: [(&'static str, T); 3]) -> Option<T> {
    let value = f.text(field)?;
    if let Some(&(_, t)) = words.iter().find(|(w, _)| *w == value) {
        return Some(t);
    }
    let names = words.map(|(w, _)| w);
    let hint = did_you_mean(&value, names).unwrap_or_else(|| format!("use {}, {} or {}", names[0], names[1], names[2]));
    let pos = f.value_pos(field, &value);
    let d = f.loc.error(pos, ModelProblem::UnknownValue { field, value }).with_hint(hint);
    f.diags.push(d);
    None
}
