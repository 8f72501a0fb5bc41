//! Typed access to the fields of one YAML mapping (text, lists, numbers,
//! dates, nested mappings), each problem reported as a diagnostic at the
//! key or value it is about.
//!
//! Knows the types of YAML, not what a field means: the config and the
//! model say which keys they want and what to do with them.

use super::{kind, scalar_text, yaml_to_json, Locator, Pos};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::problem::{Expected, InputProblem, Problem};
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;

/// Typed access to the fields of one YAML mapping, collecting diagnostics.
pub struct Fields<'a> {
    pub loc: Locator<'a>,
    /// The mapping's entries with text keys, owned, so values are moved
    /// into the model rather than copied. Looked up by a linear scan:
    /// front-matter mappings are small, and `Mapping::get` with a `&str`
    /// would build and hash a YAML value for every lookup.
    entries: Vec<(String, Value)>,
    /// Key path of this mapping inside the block (empty for the top level).
    prefix: Vec<String>,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    pub fn new(loc: Locator<'a>, map: Mapping, diags: &'a mut Vec<Diagnostic>) -> Self {
        Fields { loc, entries: entries(map), prefix: Vec::new(), diags }
    }

    /// Fields of a nested mapping under `key` (for journeys, markdown, ...).
    pub fn nested<'b>(&'b mut self, key: &str, map: Mapping) -> Fields<'b> {
        let mut prefix = self.prefix.clone();
        prefix.push(key.to_string());
        Fields { loc: self.loc, entries: entries(map), prefix, diags: self.diags }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v).filter(|v| !v.is_null())
    }

    /// Moves the value of `key` out (None when absent or null).
    fn take(&mut self, key: &str) -> Option<Value> {
        let v = self.entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| std::mem::take(v))?;
        (!v.is_null()).then_some(v)
    }

    fn path<'k>(&'k self, key: &'k str) -> Vec<&'k str> {
        self.prefix.iter().map(String::as_str).chain(std::iter::once(key)).collect()
    }

    /// Position of `key` in this mapping.
    pub fn key_pos(&self, key: &str) -> Pos {
        self.loc.key(&self.path(key))
    }

    /// Position of `value` under `key`.
    pub fn value_pos(&self, key: &str, value: &str) -> Pos {
        self.loc.value(&self.path(key), value)
    }

    /// The dotted path of `key` (`journey.awareness.emotion`), for messages.
    fn dotted(&self, key: &str) -> String {
        self.path(key).join(".")
    }

    /// Reports an error at `pos`, with a hint.
    pub fn error_at(&mut self, pos: Pos, problem: impl Into<Problem>, hint: &str) {
        let d = self.loc.error(pos, problem).with_hint(hint);
        self.diags.push(d);
    }

    /// Reports a wrong type for `key`; the hint is how to write `expected`.
    pub fn wrong_type(&mut self, key: &str, expected: Expected, found: &Value) {
        let pos = self.key_pos(key);
        let problem = InputProblem::WrongType { key: self.dotted(key), expected, found: kind(found) };
        let d = self.loc.error(pos, problem).with_hint(format!("write it as {}", expected.example()));
        self.diags.push(d);
    }

    /// A piece of text (numbers and booleans are accepted as text).
    pub fn text(&mut self, key: &str) -> Option<String> {
        self.one(key, Expected::Text, |v| match v {
            Value::String(s) => Ok(s),
            v => scalar_text(&v).ok_or(v),
        })
    }

    /// The value of `key` converted by `convert`; `Err` is a wrong type
    /// (reported). None when absent, null or wrong.
    fn one<T>(&mut self, key: &str, expected: Expected, convert: impl FnOnce(Value) -> Result<T, Value>) -> Option<T> {
        match convert(self.take(key)?) {
            Ok(x) => Some(x),
            Err(bad) => {
                self.wrong_type(key, expected, &bad);
                None
            }
        }
    }

    /// A list of texts; a single text is accepted as a list of one.
    pub fn list(&mut self, key: &str) -> Vec<String> {
        self.list_of(key, Expected::TextList, true, |item| match item {
            Value::String(s) => Ok(Some(s)),
            Value::Null => Ok(None),
            item => scalar_text(&item).map(Some).ok_or(item),
        })
    }

    /// The items of the list under `key`, each converted by `convert`
    /// (`Ok(None)` leaves it out, `Err` is a wrong type: reported, and the
    /// rest left out). A value that is no list is one item when `lone`, else
    /// a wrong type.
    fn list_of<T>(
        &mut self,
        key: &str,
        expected: Expected,
        lone: bool,
        convert: impl Fn(Value) -> Result<Option<T>, Value>,
    ) -> Vec<T> {
        let items = match self.take(key) {
            None => return Vec::new(),
            Some(Value::Sequence(items)) => items,
            Some(v) if lone => vec![v],
            Some(v) => {
                self.wrong_type(key, expected, &v);
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match convert(item) {
                Ok(Some(x)) => out.push(x),
                Ok(None) => {}
                Err(bad) => {
                    self.wrong_type(key, expected, &bad);
                    break;
                }
            }
        }
        out
    }

    /// A whole number that must lie in `range`: outside it, an error at
    /// the value (`message` says what is wrong for this key) and `None`.
    /// The one place a user number is range-checked.
    pub fn integer_in<P: Into<Problem>>(
        &mut self,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
        problem: impl FnOnce(i64) -> P,
        hint: &str,
    ) -> Option<i64> {
        let n = self.integer(key)?;
        if range.contains(&n) {
            return Some(n);
        }
        let pos = self.value_pos(key, &n.to_string());
        self.error_at(pos, problem(n), hint);
        None
    }

    /// A whole number.
    pub fn integer(&mut self, key: &str) -> Option<i64> {
        let v = self.take(key)?;
        match v.as_i64() {
            Some(n) => Some(n),
            None if v.is_number() && (v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0)) => {
                let pos = self.key_pos(key);
                self.error_at(
                    pos,
                    InputProblem::NumberTooLarge { key: self.dotted(key) },
                    "write a smaller whole number",
                );
                None
            }
            None => {
                self.wrong_type(key, Expected::WholeNumber, &v);
                None
            }
        }
    }

    /// true or false.
    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        self.one(key, Expected::Boolean, |v| v.as_bool().ok_or(v))
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&mut self, key: &str) -> Option<jiff::civil::Date> {
        let text = self.one(key, Expected::Date, |v| scalar_text(&v).ok_or(v))?;
        match parse_date(&text) {
            Some(d) => Some(d),
            None => {
                let pos = self.value_pos(key, &text);
                let problem = InputProblem::InvalidDate { key: self.dotted(key), text };
                self.error_at(pos, problem, "write dates as YYYY-MM-DD, e.g. 2026-06-01");
                None
            }
        }
    }

    /// A nested mapping.
    pub fn mapping(&mut self, key: &str) -> Option<Mapping> {
        self.one(key, Expected::Mapping, |v| match v {
            Value::Mapping(m) => Ok(m),
            other => Err(other),
        })
    }

    /// A list of mappings (for `metrics`, `sources`, `stages`).
    pub fn mappings(&mut self, key: &str) -> Vec<Mapping> {
        self.list_of(key, Expected::MappingList, false, |item| match item {
            Value::Mapping(m) => Ok(Some(m)),
            other => Err(other),
        })
    }

    /// Keys not in `known`, as free `extra` values, each with a warning
    /// when it is a likely typo of a known key.
    pub fn extra(&mut self, known: &[&str]) -> BTreeMap<String, serde_json::Value> {
        let mut extra = BTreeMap::new();
        for (key, v) in std::mem::take(&mut self.entries) {
            if known.contains(&key.as_str()) {
                continue;
            }
            if let Some(hint) = did_you_mean(&key, known.iter().copied()) {
                let pos = self.key_pos(&key);
                let d = self.loc.warning(pos, InputProblem::UnknownKey { key: key.clone() }).with_hint(hint);
                self.diags.push(d);
            }
            extra.insert(key, yaml_to_json(&v));
        }
        extra
    }
}

fn entries(map: Mapping) -> Vec<(String, Value)> {
    map.into_iter()
        .filter_map(|(k, v)| match k {
            Value::String(k) => Some((k, v)),
            k => scalar_text(&k).map(|k| (k, v)),
        })
        .collect()
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let t = text.trim();
    if t.len() != 10 {
        return None;
    }
    t.parse::<jiff::civil::Date>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(yaml: &'a str, diags: &'a mut Vec<Diagnostic>) -> Fields<'a> {
        let loc = Locator { path: "x.md", text: yaml, yaml, first_line: 1 };
        let map = loc.parse().expect("valid YAML");
        Fields::new(loc, map, diags)
    }

    #[test]
    fn a_wrong_type_names_the_type_and_shows_an_example() {
        let mut d = Vec::new();
        let mut f = fields("when: [1]\nn: x\n", &mut d);
        assert_eq!(f.date("when"), None);
        assert_eq!(f.integer("n"), None);
        assert_eq!(d[0].message(), "`when` must be a date (YYYY-MM-DD), found a list");
        assert_eq!(d[0].hint.as_deref(), Some("write it as `key: 2026-06-01`"));
        assert_eq!((d[1].line, d[1].problem.code()), (2, "wrong-type"));
    }

    #[test]
    fn lists_take_one_text_and_stop_at_a_wrong_item() {
        let mut d = Vec::new();
        let mut f = fields("one: x\nsome: [a, 2, ~, [b], c]\nmaps: {a: 1}\nms: [{a: 1}, x]\n", &mut d);
        assert_eq!(f.list("one"), ["x"]);
        assert_eq!(f.list("some"), ["a", "2"]);
        assert!(f.mappings("maps").is_empty());
        assert_eq!(f.mappings("ms").len(), 1);
        let found: Vec<String> = d.iter().map(Diagnostic::message).collect();
        assert_eq!(
            found,
            [
                "`some` must be a list of text, found a list",
                "`maps` must be a list of `{key: value}` entries, found a mapping",
                "`ms` must be a list of `{key: value}` entries, found text",
            ]
        );
    }

    #[test]
    fn dates_and_ranges() {
        let mut d = Vec::new();
        let mut f = fields("day: 2026-13-01\nw: 7\n", &mut d);
        assert_eq!(f.date("day"), None);
        let out = |_| InputProblem::OutOfRange { key: "w".into(), min: 1, max: 5 };
        assert_eq!(f.integer_in("w", 1..=5, out, "1 to 5"), None);
        assert_eq!(d[0].message(), "invalid date \"2026-13-01\" for `day`");
        assert_eq!((d[1].line, d[1].column), (2, 4));
        assert_eq!(d[1].message(), "`w` must be between 1 and 5");
    }
}
