//! YAML front matter and config: parsing with positions counted from the
//! top of the file, and typed extraction of fields with precise diagnostics.
//!
//! serde_yaml reports positions for syntax errors only; for everything else
//! (a wrong type, an unknown id) `Locator` finds the key or value in the
//! source text, so every diagnostic still points at the right line.

use crate::diagnostic::{did_you_mean, Diagnostic};
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;

/// A YAML block inside a file: where it is and how to point into it.
#[derive(Debug, Clone, Copy)]
pub struct Locator<'a> {
    /// Display path of the file.
    pub path: &'a str,
    /// The whole file, for snippets.
    pub text: &'a str,
    /// The YAML block.
    pub yaml: &'a str,
    /// 1-based line of the file where `yaml` starts.
    pub first_line: usize,
}

/// A position in a file and how wide the thing there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

impl<'a> Locator<'a> {
    /// Parses the block into a mapping. An empty block is an empty mapping.
    pub fn parse(&self) -> Result<Mapping, Diagnostic> {
        if self.yaml.trim().is_empty() {
            return Ok(Mapping::new());
        }
        match read_value(self.yaml) {
            Ok(Value::Mapping(m)) => Ok(m),
            Ok(Value::Null) => Ok(Mapping::new()),
            Ok(other) => Err(self
                .error(
                    self.start(),
                    format!("front matter must be a mapping of `key: value` lines, found {}", kind(&other)),
                )
                .with_hint("write one `key: value` per line between the `---` lines")),
            Err(Problem::TooBig) => Err(self
                .error(self.start(), format!("YAML expands to more than {MAX_YAML_VALUES} values"))
                .with_hint("aliases (`*name`) repeat the values of their anchor; repeat fewer, or shorten the lists")),
            Err(Problem::Merge(e)) => Err(self
                .error(self.key(&["<<"]), format!("invalid `<<` merge: {e}"))
                .with_hint("`<<:` takes a mapping or a list of mappings, e.g. `<<: *defaults`")),
            Err(Problem::Yaml(e)) => {
                let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                let msg = e.to_string();
                let msg = msg.find(" at line ").map_or(msg.as_str(), |i| &msg[..i]).to_string();
                let pos = Pos { line: self.first_line + line - 1, column, width: 1 };
                Err(self.error(pos, format!("invalid YAML: {msg}")).with_hint(yaml_hint(&msg)))
            }
        }
    }

    fn start(&self) -> Pos {
        Pos { line: self.first_line, column: 1, width: 1 }
    }

    /// An error at `pos`, with the snippet attached.
    pub fn error(&self, pos: Pos, problem: impl Into<crate::problem::Problem>) -> Diagnostic {
        Diagnostic::error(self.path, pos.line, pos.column, problem).with_source(self.text, pos.width)
    }

    /// A warning at `pos`, with the snippet attached.
    pub fn warning(&self, pos: Pos, problem: impl Into<crate::problem::Problem>) -> Diagnostic {
        Diagnostic::warning(self.path, pos.line, pos.column, problem).with_source(self.text, pos.width)
    }

    /// Where the key at `path` (e.g. `["journey", "awareness", "emotion"]`) is.
    /// Falls back to the closest found ancestor, then to the block's start.
    pub fn key(&self, path: &[&str]) -> Pos {
        self.key_span(path).map_or(self.start(), |(pos, _)| pos)
    }

    /// Where `value` first appears inside the block of the key at `path`.
    pub fn value(&self, path: &[&str], value: &str) -> Pos {
        let Some((key_pos, block_end)) = self.key_span(path) else { return self.start() };
        let lines: Vec<&str> = self.yaml.lines().collect();
        let first = key_pos.line - self.first_line;
        for (i, line) in lines.iter().enumerate().take(block_end).skip(first) {
            let from = if i == first { key_pos.column - 1 + key_pos.width } else { 0 };
            if let Some(col) = line.get(from..).and_then(|rest| find_token(rest, value)) {
                let column = line[..from + col].chars().count() + 1;
                return Pos { line: self.first_line + i, column, width: value.chars().count() };
            }
        }
        key_pos
    }

    /// The key's position and the index (into the block's lines) where its block ends.
    fn key_span(&self, path: &[&str]) -> Option<(Pos, usize)> {
        let lines: Vec<&str> = self.yaml.lines().collect();
        let (mut from, mut to, mut parent_indent) = (0usize, lines.len(), None::<usize>);
        let mut found = None;
        for key in path {
            let mut hit = None;
            for (i, line) in lines.iter().enumerate().take(to).skip(from) {
                let indent = line.len() - line.trim_start().len();
                if parent_indent.is_some_and(|p| indent <= p) && !line.trim().is_empty() && i > from {
                    break;
                }
                if let Some(col) = key_column(line, key) {
                    hit = Some((i, indent.max(col)));
                    break;
                }
            }
            let Some((i, col)) = hit else { return found };
            let indent = lines[i].len() - lines[i].trim_start().len();
            let end = (i + 1..to)
                .find(|&j| {
                    let l = lines[j];
                    !l.trim().is_empty() && !l.trim_start().starts_with('#') && l.len() - l.trim_start().len() <= indent
                })
                .unwrap_or(to);
            let column = lines[i][..col].chars().count() + 1;
            found = Some((Pos { line: self.first_line + i, column, width: key.chars().count() }, end));
            (from, to, parent_indent) = (i, end, Some(indent));
        }
        found
    }
}

/// Column (byte) of `key:` on a line: at the start (after `- ` or spaces) or
/// inside a flow mapping (`{key: ...}`).
fn key_column(line: &str, key: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let body = trimmed.strip_prefix("- ").map_or(trimmed, str::trim_start);
    let lead = lead + (trimmed.len() - body.len());
    for candidate in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
        if body.starts_with(&candidate) && body[candidate.len()..].trim_start().starts_with(':') {
            return Some(lead);
        }
    }
    let needle = format!("{key}:");
    line.match_indices(&needle)
        .find(|(i, _)| line[..*i].ends_with(['{', ' ', ',']) && line[..*i].contains('{'))
        .map(|(i, _)| i)
}

/// Finds `value` as a whole token (not inside a longer word).
fn find_token(hay: &str, value: &str) -> Option<usize> {
    if value.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_' || c == '/';
    hay.match_indices(value).map(|(i, _)| i).find(|&i| {
        let before = hay[..i].chars().next_back().is_none_or(|c| !is_word(c));
        let after = hay[i + value.len()..].chars().next().is_none_or(|c| !is_word(c));
        before && after
    })
}

/// Most values (scalars, lists, mappings) one YAML block may produce once
/// its aliases are expanded: far above any real front matter, and a bound
/// on the memory a "billion laughs" document can take (serde_yaml alone
/// allows a hundred times the document's own size, which is not enough).
pub const MAX_YAML_VALUES: usize = 100_000;

/// Deepest nesting of lists and mappings (serde_yaml's own limit).
pub const MAX_YAML_DEPTH: usize = 128;

/// Why a YAML block could not be read.
enum Problem {
    Yaml(serde_yaml::Error),
    TooBig,
    Merge(serde_yaml::Error),
}

/// Parses one YAML document into a value within `MAX_YAML_VALUES`, with
/// `<<` merge keys applied (as YAML 1.1 and most users expect).
fn read_value(yaml: &str) -> Result<Value, Problem> {
    let budget = std::cell::Cell::new(MAX_YAML_VALUES);
    let mut v = match serde::de::DeserializeSeed::deserialize(Build(&budget), serde_yaml::Deserializer::from_str(yaml))
    {
        Ok(v) => v,
        Err(_) if budget.get() == 0 => return Err(Problem::TooBig),
        Err(e) => return Err(Problem::Yaml(e)),
    };
    v.apply_merge().map_err(Problem::Merge)?;
    Ok(v)
}

/// Builds a `Value` like serde_yaml's own, counting every value against a budget.
struct Build<'b>(&'b std::cell::Cell<usize>);

impl Build<'_> {
    fn spend<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.0.get().checked_sub(1) {
            Some(left) if left > 0 => {
                self.0.set(left);
                Ok(())
            }
            _ => {
                self.0.set(0);
                Err(E::custom("too many values"))
            }
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Build<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Build<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Bool(b))
    }
    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Number(n.into()))
    }
    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Number(n.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Number(n.into()))
    }
    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::String(s.to_string()))
    }
    fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::String(s))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.spend()?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(Build(self.0))? {
            items.push(v);
        }
        Ok(Value::Sequence(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.spend()?;
        let mut out = Mapping::new();
        while let Some(k) = map.next_key_seed(Build(self.0))? {
            let v = map.next_value_seed(Build(self.0))?;
            if out.contains_key(&k) {
                let shown = scalar_text(&k).unwrap_or_else(|| "(a complex key)".into());
                return Err(serde::de::Error::custom(format!("duplicate entry with key \"{shown}\"")));
            }
            out.insert(k, v);
        }
        Ok(Value::Mapping(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        self.spend()?;
        let (tag, contents): (String, _) = data.variant()?;
        if tag.is_empty() {
            return Err(serde::de::Error::custom("empty YAML tag"));
        }
        let value = contents.newtype_variant_seed(Build(self.0))?;
        Ok(Value::Tagged(Box::new(serde_yaml::value::TaggedValue { tag: serde_yaml::value::Tag::new(tag), value })))
    }
}

fn yaml_hint(msg: &str) -> String {
    if msg.contains("recursion limit exceeded") {
        format!("lists and mappings nest at most {MAX_YAML_DEPTH} levels deep")
    } else if msg.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted, e.g. `quote: \"Rule: be brief\"`".into()
    } else if msg.contains("did not find expected") || msg.contains("while parsing") {
        "check the indentation and the brackets on this line and the one above".into()
    } else if msg.contains("tab") {
        "YAML indentation must use spaces, not tabs".into()
    } else {
        "check the YAML syntax near this position".into()
    }
}

/// A YAML value's kind, as a user would name it.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
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

    /// Reports a wrong type for `key`.
    pub fn wrong_type(&mut self, key: &str, expected: &str, found: &Value) {
        let pos = self.key_pos(key);
        let d = self
            .loc
            .error(pos, format!("`{}` must be {expected}, found {}", self.path(key).join("."), kind(found)))
            .with_hint(format!("write it as {}", example_for(expected)));
        self.diags.push(d);
    }

    /// A piece of text (numbers and booleans are accepted as text).
    pub fn text(&mut self, key: &str) -> Option<String> {
        match self.take(key)? {
            Value::String(s) => Some(s),
            v => match scalar_text(&v) {
                Some(s) => Some(s),
                None => {
                    self.wrong_type(key, "text", &v);
                    None
                }
            },
        }
    }

    /// A list of texts; a single text is accepted as a list of one.
    pub fn list(&mut self, key: &str) -> Vec<String> {
        let Some(v) = self.take(key) else { return Vec::new() };
        match v {
            Value::Sequence(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) => out.push(s),
                        Value::Null => {}
                        item => match scalar_text(&item) {
                            Some(s) => out.push(s),
                            None => {
                                self.wrong_type(key, "a list of text", &item);
                                return out;
                            }
                        },
                    }
                }
                out
            }
            Value::String(s) => vec![s],
            other => match scalar_text(&other) {
                Some(s) => vec![s],
                None => {
                    self.wrong_type(key, "a list of text", &other);
                    Vec::new()
                }
            },
        }
    }

    /// A whole number that must lie in `range`: outside it, an error at
    /// the value (`message` says what is wrong for this key) and `None`.
    /// The one place a user number is range-checked.
    pub fn integer_in(
        &mut self,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
        message: impl FnOnce(i64) -> String,
        hint: &str,
    ) -> Option<i64> {
        let n = self.integer(key)?;
        if range.contains(&n) {
            return Some(n);
        }
        let pos = self.value_pos(key, &n.to_string());
        let d = self.loc.error(pos, message(n)).with_hint(hint);
        self.diags.push(d);
        None
    }

    /// A whole number.
    pub fn integer(&mut self, key: &str) -> Option<i64> {
        let v = self.take(key)?;
        match v.as_i64() {
            Some(n) => Some(n),
            None if v.is_number() && (v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0)) => {
                let pos = self.key_pos(key);
                let d = self
                    .loc
                    .error(pos, format!("`{}` is too large a number", self.path(key).join(".")))
                    .with_hint("write a smaller whole number");
                self.diags.push(d);
                None
            }
            None => {
                self.wrong_type(key, "a whole number", &v);
                None
            }
        }
    }

    /// true or false.
    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        let v = self.take(key)?;
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong_type(key, "true or false", &v);
                None
            }
        }
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&mut self, key: &str) -> Option<jiff::civil::Date> {
        let v = self.take(key)?;
        let Some(text) = scalar_text(&v) else {
            self.wrong_type(key, "a date (YYYY-MM-DD)", &v);
            return None;
        };
        match parse_date(&text) {
            Some(d) => Some(d),
            None => {
                let pos = self.value_pos(key, &text);
                let d = self
                    .loc
                    .error(pos, format!("invalid date \"{text}\" for `{}`", self.path(key).join(".")))
                    .with_hint("write dates as YYYY-MM-DD, e.g. 2026-06-01");
                self.diags.push(d);
                None
            }
        }
    }

    /// A nested mapping.
    pub fn mapping(&mut self, key: &str) -> Option<Mapping> {
        match self.take(key)? {
            Value::Mapping(m) => Some(m),
            other => {
                self.wrong_type(key, "a mapping of `key: value` lines", &other);
                None
            }
        }
    }

    /// A list of mappings (for `metrics`, `sources`, `stages`).
    pub fn mappings(&mut self, key: &str) -> Vec<Mapping> {
        let Some(v) = self.take(key) else { return Vec::new() };
        match v {
            Value::Sequence(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::Mapping(m) => out.push(m),
                        other => {
                            self.wrong_type(key, "a list of `{key: value}` entries", &other);
                            return out;
                        }
                    }
                }
                out
            }
            other => {
                self.wrong_type(key, "a list of `{key: value}` entries", &other);
                Vec::new()
            }
        }
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
                let d = self.loc.warning(pos, format!("unknown key `{key}` (kept under `extra`)")).with_hint(hint);
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

fn example_for(expected: &str) -> &'static str {
    match expected {
        "text" => "`key: some text`",
        "a list of text" => "`key: [first, second]` or one `- item` per line",
        "a whole number" => "`key: 3`",
        "true or false" => "`key: true`",
        "a date (YYYY-MM-DD)" => "`key: 2026-06-01`",
        _ => "shown in the front-matter reference in the README",
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let t = text.trim();
    if t.len() != 10 {
        return None;
    }
    t.parse::<jiff::civil::Date>().ok()
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

    fn loc(yaml: &str) -> Locator<'_> {
        Locator { path: "x.md", text: yaml, yaml, first_line: 1 }
    }

    #[test]
    fn finds_nested_keys_and_values() {
        let y = "name: A\njourney:\n  awareness:\n    goal: G\n    emotion: 3\n  decision:\n    emotion: 1\nrelated: [a, bb, c]\n";
        let l = loc(y);
        assert_eq!(l.key(&["journey", "awareness", "emotion"]), Pos { line: 5, column: 5, width: 7 });
        assert_eq!(l.key(&["journey", "decision", "emotion"]).line, 7);
        assert_eq!(l.value(&["related"], "bb"), Pos { line: 8, column: 14, width: 2 });
    }

    #[test]
    fn block_list_values() {
        let l = loc("personas:\n  - anna\n  - bob\nstages: [x]\n");
        assert_eq!(l.value(&["personas"], "bob"), Pos { line: 3, column: 5, width: 3 });
    }

    #[test]
    fn syntax_error_counts_from_file_top() {
        let l = Locator {
            path: "p.md",
            text: "---\nname: A\nrole: b: c\n---\n",
            yaml: "name: A\nrole: b: c\n",
            first_line: 2,
        };
        let d = l.parse().unwrap_err();
        assert_eq!(d.line, 3);
    }
}
