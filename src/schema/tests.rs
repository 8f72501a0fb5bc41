//! Every key the loader knows has its property, at every level, so a key
//! added to a list without a description fails here.

use super::*;
use crate::config::Config;
use crate::load::config::{KNOWN, MARKDOWN_KEYS, STAGE_KEYS};
use crate::model::{asset, page, persona};

fn keys(schema: &Value) -> Vec<&str> {
    let Some(Value::Object(properties)) = schema.get("properties") else { return Vec::new() };
    let mut keys: Vec<&str> = properties.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

fn sorted(list: &[&'static str]) -> Vec<&'static str> {
    let mut list = list.to_vec();
    list.sort_unstable();
    list
}

#[test]
fn every_known_key_has_a_property() {
    let stages = Config::default().stages;
    for given in [None, Some(stages.as_slice())] {
        assert_eq!(keys(&schema(Kind::Persona, given)), sorted(persona::KEYS));
        assert_eq!(keys(&schema(Kind::Asset, given)), sorted(asset::KEYS));
    }
    assert_eq!(keys(&schema(Kind::Page, None)), sorted(page::KEYS));
    assert_eq!(keys(&schema(Kind::Handbook, None)), sorted(KNOWN));
}

#[test]
fn every_nested_key_has_a_property() {
    let persona_schema = schema(Kind::Persona, None);
    let nested = |key: &str| &persona_schema["properties"][key]["items"];
    assert_eq!(keys(nested("metrics")), sorted(persona::METRIC_KEYS));
    assert_eq!(keys(nested("sources")), sorted(persona::SOURCE_KEYS));
    assert_eq!(keys(&persona_schema["$defs"]["journey_step"]), sorted(persona::JOURNEY_KEYS));
    let handbook = schema(Kind::Handbook, None);
    assert_eq!(keys(&handbook["properties"]["stages"]["items"]), sorted(STAGE_KEYS));
    assert_eq!(keys(&handbook["properties"]["markdown"]), sorted(MARKDOWN_KEYS));
}

#[test]
fn every_property_is_described() {
    let stages = Config::default().stages;
    for kind in Kind::ALL {
        let schema = schema(kind, Some(&stages));
        assert_eq!(schema["$schema"], DIALECT);
        for (key, property) in schema["properties"].as_object().into_iter().flatten() {
            assert!(property["description"].is_string(), "{} `{key}` has no description", kind.word());
        }
    }
}

#[test]
fn settings_show_their_defaults() {
    let handbook = schema(Kind::Handbook, None);
    assert_eq!(handbook["properties"]["title"]["default"], "Persona Handbook");
    assert_eq!(handbook["properties"]["stages"]["default"][0]["id"], "awareness");
}

/// Stage ids are the handbook's text, so regex syntax in them is matched
/// as written, never as a pattern.
#[test]
fn stage_ids_with_regex_syntax_match_only_themselves() {
    let stage = |id: &str| Stage { id: id.into(), name: id.into(), description: String::new() };
    let stages = [stage("q&a (1)"), stage("a.b"), stage("x|y")];
    let schema = schema(Kind::Asset, Some(&stages));
    let validator = jsonschema::draft202012::options().build(&schema).expect("the schema compiles");
    let asset = |stage: &str| serde_json::json!({ "title": "T", "stages": [stage] });
    for ok in ["q&a (1)", "Q&A (1)", " a.b ", "A.B", "x|y"] {
        assert!(validator.is_valid(&asset(ok)), "{ok:?} is a stage");
    }
    for bad in ["qa 1", "aXb", "x", "y", "q&a (1)x", ".*"] {
        assert!(!validator.is_valid(&asset(bad)), "{bad:?} is no stage");
    }
}
