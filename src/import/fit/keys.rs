//! Front-matter values of a draft that the target handbook would reject:
//! `related` ids that do not exist, journey stages it does not have, persona
//! keys whose value `model::persona::read` refuses. Each moves under
//! `unmapped` with a note; body links are `links`' job.

use super::{key_error, Fate, Fitter};
use crate::import::Notes;
use crate::load::Collection;
use crate::model::persona;
use serde_yaml::{Mapping, Value};

impl Fitter<'_> {
    /// `related` from the format (parents) and from the front matter.
    pub(super) fn related(&self, fm: &mut Mapping, sources: &[String], unmapped: &mut Mapping, notes: &mut Notes) {
        let mut related: Vec<String> = sources
            .iter()
            .filter_map(|s| self.imported.by_rel.get(&s.to_lowercase()))
            .filter(|&&i| i != self.me)
            .map(|&i| self.imported.ids[i].clone())
            .collect();
        if !related.is_empty() {
            notes.mapped("parent -> related");
        }
        let Some(written) = fm.shift_remove("related") else {
            if !related.is_empty() {
                fm.insert("related".into(), to_seq(&related));
            }
            return;
        };
        let mut missing = Vec::new();
        for item in texts(&written) {
            match self.fate(Some(Collection::Persona), &item) {
                Fate::Keep => related.push(item.trim().to_lowercase()),
                Fate::Rename(new) => {
                    notes.mapped(format!("related {item} -> {new}"));
                    related.push(new);
                }
                Fate::Missing => missing.push(item),
            }
        }
        if !missing.is_empty() {
            notes.unmapped(format!("related {}: no such persona here", missing.join(", ")));
            unmapped.insert("related".into(), to_seq(&missing));
        }
        related.dedup();
        if !related.is_empty() {
            fm.insert("related".into(), to_seq(&related));
        }
    }

    /// Journey stages this handbook does not have move to `unmapped`; wiki
    /// links inside journey texts that lead nowhere become plain text.
    pub(super) fn journey(&self, fm: &mut Mapping, unmapped: &mut Mapping, notes: &mut Notes) {
        let Some(Value::Mapping(journey)) = fm.get_mut("journey") else {
            return;
        };
        let mut bad = Mapping::new();
        let stages: Vec<Value> = journey.keys().cloned().collect();
        for stage in stages {
            let Some(v) = journey.get_mut(&stage) else {
                continue;
            };
            self.fix_texts(v, notes);
            let mut mini = Mapping::new();
            mini.insert("name".into(), "x".into());
            mini.insert("journey".into(), Value::Mapping(std::iter::once((stage.clone(), v.clone())).collect()));
            if let Some(d) = key_error(&mini, &self.target.stages) {
                notes.unmapped(format!("journey.{}: {}", stage.as_str().unwrap_or_default(), d.problem));
                if let Some(v) = journey.shift_remove(&stage) {
                    bad.insert(stage, v);
                }
            }
        }
        if journey.is_empty() {
            fm.shift_remove("journey");
        }
        if !bad.is_empty() {
            unmapped.insert("journey".into(), Value::Mapping(bad));
        }
    }

    /// Persona keys whose value this handbook would reject move to `unmapped`.
    pub(super) fn known_keys(&self, fm: &mut Mapping, unmapped: &mut Mapping, notes: &mut Notes) {
        let keys: Vec<String> =
            fm.keys().filter_map(Value::as_str).filter(|k| persona::KEYS.contains(k)).map(str::to_string).collect();
        for key in keys {
            let Some(v) = fm.get(key.as_str()) else {
                continue;
            };
            let mut mini = Mapping::new();
            if key != "name" {
                mini.insert("name".into(), "x".into());
            }
            mini.insert(Value::String(key.clone()), v.clone());
            if let Some(d) = key_error(&mini, &self.target.stages) {
                notes.unmapped(format!("{key}: {}", d.problem));
                if let Some(v) = fm.shift_remove(key.as_str()) {
                    unmapped.insert(Value::String(key.clone()), v);
                }
            }
        }
        if !fm.contains_key("name") {
            fm.insert("name".into(), "Unnamed persona".into());
        }
    }
}

fn texts(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(items) => items.iter().filter_map(crate::load::yaml::scalar_text).collect(),
        other => crate::load::yaml::scalar_text(other).into_iter().collect(),
    }
}

fn to_seq(items: &[String]) -> Value {
    Value::Sequence(items.iter().map(|s| Value::String(s.clone())).collect())
}
