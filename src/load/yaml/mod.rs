//! YAML front matter and config: parsing with positions counted from the
//! top of the file, and typed extraction of fields with precise diagnostics.
//!
//! Three jobs, one module each: `locate` finds keys and values in the text
//! (serde_yaml reports positions for syntax errors only), `read` parses a
//! block within a size budget, `fields` extracts typed fields. Here: what
//! all three share about YAML values. Nothing here knows the config or the
//! model; they use it.

mod fields;
mod locate;
mod read;

pub use fields::{parse_date, Fields};
pub use locate::{Locator, Pos};
pub use read::{MAX_YAML_DEPTH, MAX_YAML_VALUES};

use crate::problem::ValueKind;
use serde_yaml::Value;

/// A YAML value's kind, as a user would name it.
pub fn kind(v: &Value) -> ValueKind {
    match v {
        Value::Null => ValueKind::Nothing,
        Value::Bool(_) => ValueKind::Boolean,
        Value::Number(_) => ValueKind::Number,
        Value::String(_) => ValueKind::Text,
        Value::Sequence(_) => ValueKind::List,
        Value::Mapping(_) => ValueKind::Mapping,
        Value::Tagged(_) => ValueKind::Tagged,
    }
}

/// A scalar as text (numbers and booleans included), or None for lists and maps.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// YAML to JSON, for `extra` values handed to templates and exports.
pub fn yaml_to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into()
            } else if let Some(u) = n.as_u64() {
                u.into()
            } else {
                n.as_f64().and_then(serde_json::Number::from_f64).map_or(serde_json::Value::Null, Into::into)
            }
        }
        Value::String(s) => s.clone().into(),
        Value::Sequence(items) => items.iter().map(yaml_to_json).collect(),
        Value::Mapping(m) => m
            .iter()
            .map(|(k, v)| (scalar_text(k).unwrap_or_default(), yaml_to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        Value::Tagged(t) => yaml_to_json(&t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_to_json() {
        let v: Value = serde_yaml::from_str("{a: 1, b: [true, x], c: ~, d: 1.5}").expect("yaml");
        assert_eq!(yaml_to_json(&v), serde_json::json!({"a": 1, "b": [true, "x"], "c": null, "d": 1.5}));
        assert_eq!(kind(&v).to_string(), "a mapping");
        assert_eq!(scalar_text(&Value::Bool(true)).as_deref(), Some("true"));
    }
}
