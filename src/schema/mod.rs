//! JSON Schemas (draft 2020-12) for what a writer types: `handbook.yaml`
//! and the front matter of personas, assets and guide pages, for editors
//! and CI.
//!
//! Built from the loader's own lists (the known keys of `load::config` and
//! `model::{persona, asset, page}`, the words of `status` and
//! `confidence`, the defaults of `config`), so a schema cannot know a key
//! the loader does not. A schema accepts what the loader accepts: numbers
//! are text too, one text is a list of one, an empty value is absent, and
//! unknown keys are allowed (the loader keeps them as `extra`). It checks
//! no references between files: that is `check`'s job.

mod content;
mod handbook;

use crate::config::Stage;
use crate::diagnostic::Diagnostic;
use crate::layout::{Collection, CONFIG_FILE, CONTENT_DIR};
use serde_json::{json, Map, Value};
use std::path::Path;

/// The JSON Schema dialect every schema declares.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// What a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `handbook.yaml`.
    Handbook,
    /// The front matter of `content/personas/**/*.md`.
    Persona,
    /// The front matter of `content/assets/**/*.md`.
    Asset,
    /// The front matter of any other `content/**/*.md`.
    Page,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Handbook, Kind::Persona, Kind::Asset, Kind::Page];

    /// The word that names it on the command line.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Handbook => "handbook",
            Kind::Persona => "persona",
            Kind::Asset => "asset",
            Kind::Page => "page",
        }
    }

    /// The files it describes, for people.
    pub fn files(self) -> String {
        let of = |c: Collection| match c.folder() {
            Some(folder) => format!("front matter of {CONTENT_DIR}/{folder}/**/*.md"),
            None => format!("front matter of any other {CONTENT_DIR}/**/*.md (guide pages)"),
        };
        match self {
            Kind::Handbook => CONFIG_FILE.to_string(),
            Kind::Persona => of(Collection::Persona),
            Kind::Asset => of(Collection::Asset),
            Kind::Page => of(Collection::Page),
        }
    }

    /// Whether its schema names the configured stages.
    pub fn uses_stages(self) -> bool {
        matches!(self, Kind::Persona | Kind::Asset)
    }
}

/// The JSON Schema for `kind`. `stages` are the handbook's configured
/// stages, which journey keys and an asset's `stages` must name; `None`
/// (outside a handbook) accepts any stage id.
pub fn schema(kind: Kind, stages: Option<&[Stage]>) -> Value {
    let (title, mut body) = match kind {
        Kind::Handbook => ("personabook handbook.yaml", handbook::schema()),
        Kind::Persona => ("personabook persona front matter", content::persona(stages)),
        Kind::Asset => ("personabook asset front matter", content::asset(stages)),
        Kind::Page => ("personabook guide page front matter", content::page()),
    };
    let mut head = Map::new();
    head.insert("$schema".into(), DIALECT.into());
    head.insert("title".into(), title.into());
    head.insert("description".into(), format!("The {}.", kind.files()).into());
    if let Value::Object(fields) = &mut body {
        // An empty front matter (or file) is read as no keys at all.
        fields.insert("type".into(), json!(["object", "null"]));
        head.append(fields);
    }
    Value::Object(head)
}

/// The stages the schemas of the handbook at `root` name: `None` when
/// `root` holds no handbook (neither `handbook.yaml` nor `content/`), else
/// the configured stages (the defaults when `handbook.yaml` lists none)
/// with the problems of `handbook.yaml`, whose readable parts are used.
pub fn stages_at(root: &Path) -> Option<(Vec<Stage>, Vec<Diagnostic>)> {
    if !root.join(CONFIG_FILE).is_file() && !root.join(CONTENT_DIR).is_dir() {
        return None;
    }
    let mut problems = Vec::new();
    let config = crate::load::read_config(root, &mut problems);
    Some((config.stages, problems))
}

// The types of the loader's fields (`load::yaml::Fields`), as schemas.

/// Any value the loader reads as text.
const TEXT: [&str; 4] = ["string", "number", "boolean", "null"];

/// `Fields::text`: numbers and true/false are text too; empty is absent.
fn text(description: &str) -> Value {
    json!({ "description": description, "type": TEXT })
}

/// A text that must be there (empty counts as missing).
fn required_text(description: &str) -> Value {
    json!({ "description": description, "type": ["string", "number", "boolean"] })
}

/// `Fields::list`: a list of texts, or one text as a list of one.
fn list(description: &str) -> Value {
    json!({ "description": description, "type": ["array", "string", "number", "boolean", "null"], "items": { "type": TEXT } })
}

/// `Fields::integer_in`: a whole number in `min..=max`.
fn whole_number(description: &str, min: i64, max: i64) -> Value {
    json!({ "description": description, "type": ["integer", "null"], "minimum": min, "maximum": max })
}

/// `Fields::boolean`.
fn boolean(description: &str) -> Value {
    json!({ "description": description, "type": ["boolean", "null"] })
}

/// `Fields::date`: `YYYY-MM-DD`.
fn date(description: &str) -> Value {
    json!({
        "description": description,
        "type": ["string", "null"],
        "format": "date",
        "pattern": "^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*$",
    })
}

/// `Fields::mapping` whose keys are free.
fn mapping(description: &str) -> Value {
    json!({ "description": description, "type": ["object", "null"] })
}

/// A text that must be one of `words`.
fn one_of<T>(description: &str, words: &[(&str, T)]) -> Value {
    let mut allowed: Vec<Value> = words.iter().map(|(w, _)| Value::from(*w)).collect();
    allowed.push(Value::Null);
    json!({ "description": description, "enum": allowed })
}

/// `Fields::mappings`: a list of rows, each described by `row`.
fn rows(description: &str, row: Value) -> Value {
    json!({ "description": description, "type": ["array", "null"], "items": row })
}

/// A mapping with the properties of `keys`, each from `property` (a key it
/// does not describe is left out: the unit tests hold every list complete).
/// Other keys are allowed, as the loader keeps them.
fn object(keys: &[&str], property: impl Fn(&str) -> Option<Value>) -> Value {
    let properties: Map<String, Value> = keys.iter().filter_map(|k| Some((k.to_string(), property(k)?))).collect();
    json!({ "type": "object", "properties": properties, "additionalProperties": true })
}

/// The same mapping, or nothing (an empty value).
fn or_null(mut object: Value) -> Value {
    set(&mut object, "type", json!(["object", "null"]));
    object
}

/// Sets `key` of a schema object.
fn set(schema: &mut Value, key: &str, value: Value) {
    if let Value::Object(fields) = schema {
        fields.insert(key.to_string(), value);
    }
}

#[cfg(test)]
mod tests;
