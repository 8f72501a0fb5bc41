//! Reading a YAML block into a value within a size budget: every value,
//! aliases expanded, counts against [`MAX_YAML_VALUES`], and `<<` merge
//! keys are applied. A failure becomes a diagnostic at its position,
//! counted from the top of the file.
//!
//! Knows nothing of what the fields mean (that is `fields` and the model).

use super::{kind, scalar_text, Locator};
use crate::diagnostic::Diagnostic;
use crate::problem::InputProblem;
use serde_yaml::{Mapping, Value};

/// Most values (scalars, lists, mappings) one YAML block may produce once
/// its aliases are expanded: far above any real front matter, and a bound
/// on the memory a "billion laughs" document can take (serde_yaml alone
/// allows a hundred times the document's own size, which is not enough).
pub const MAX_YAML_VALUES: usize = 100_000;

/// Deepest nesting of lists and mappings (serde_yaml's own limit).
pub const MAX_YAML_DEPTH: usize = 128;

impl Locator<'_> {
    /// Parses the block into a mapping. An empty block is an empty mapping.
    pub fn parse(&self) -> Result<Mapping, Diagnostic> {
        if self.yaml.trim().is_empty() {
            return Ok(Mapping::new());
        }
        match read_value(self.yaml) {
            Ok(Value::Mapping(m)) => Ok(m),
            Ok(Value::Null) => Ok(Mapping::new()),
            Ok(other) => Err(self
                .error(self.start(), InputProblem::NotAMapping { found: kind(&other) })
                .with_hint("write one `key: value` per line between the `---` lines")),
            Err(Failure::TooBig) => Err(self
                .error(self.start(), InputProblem::YamlTooBig { max: MAX_YAML_VALUES })
                .with_hint("aliases (`*name`) repeat the values of their anchor; repeat fewer, or shorten the lists")),
            Err(Failure::Merge(e)) => Err(self
                .error(self.key(&["<<"]), InputProblem::YamlMerge { error: e.to_string() })
                .with_hint("`<<:` takes a mapping or a list of mappings, e.g. `<<: *defaults`")),
            Err(Failure::Yaml(e)) => {
                let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                let msg = e.to_string();
                let message = msg.find(" at line ").map_or(msg.as_str(), |i| &msg[..i]).to_string();
                let pos = self.within_block(line, column);
                let hint = yaml_hint(&message);
                Err(self.error(pos, InputProblem::YamlSyntax { message }).with_hint(hint))
            }
        }
    }
}

impl Locator<'_> {
    /// The file position of the parser's (1-based) `line` and `column` in
    /// the block. The parser reports an unclosed bracket or a missing
    /// indicator at the end of input, one line past the block's last: that
    /// points just after the last line with text instead, so the snippet
    /// shows the line where the block stopped.
    fn within_block(&self, line: usize, column: usize) -> super::Pos {
        let lines: Vec<&str> = self.yaml.lines().collect();
        if (1..=lines.len()).contains(&line) && !lines[line - 1].trim().is_empty() {
            return super::Pos { line: self.first_line + line - 1, column, width: 1 };
        }
        let before = line.clamp(1, lines.len().max(1)) - 1;
        match lines[..lines.len().min(before + 1)].iter().rposition(|l| !l.trim().is_empty()) {
            Some(i) => {
                let end = lines[i].trim_end().chars().count() + 1;
                super::Pos { line: self.first_line + i, column: end, width: 1 }
            }
            None => self.start(),
        }
    }
}

/// Why a YAML block could not be read.
enum Failure {
    Yaml(serde_yaml::Error),
    TooBig,
    Merge(serde_yaml::Error),
}

/// Parses one YAML document into a value within `MAX_YAML_VALUES`, with
/// `<<` merge keys applied (as YAML 1.1 and most users expect).
fn read_value(yaml: &str) -> Result<Value, Failure> {
    let budget = std::cell::Cell::new(MAX_YAML_VALUES);
    let mut v = match serde::de::DeserializeSeed::deserialize(Build(&budget), serde_yaml::Deserializer::from_str(yaml))
    {
        Ok(v) => v,
        Err(_) if budget.get() == 0 => return Err(Failure::TooBig),
        Err(e) => return Err(Failure::Yaml(e)),
    };
    v.apply_merge().map_err(Failure::Merge)?;
    Ok(v)
}

fn yaml_hint(msg: &str) -> String {
    if msg.contains("recursion limit exceeded") {
        format!("lists and mappings nest at most {MAX_YAML_DEPTH} levels deep")
    } else if msg.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted, e.g. `quote: \"Rule: be brief\"`".into()
    } else if msg.contains("expected ',' or ']'") {
        "close the `[` list with `]`, and separate its items with `,`".into()
    } else if msg.contains("expected ',' or '}'") {
        "close the `{` mapping with `}`, and separate its entries with `,`".into()
    } else if msg.contains("did not find expected") || msg.contains("while parsing") {
        "check the indentation and the brackets on this line and the one above".into()
    } else if msg.contains("tab") {
        "YAML indentation must use spaces, not tabs".into()
    } else {
        "check the YAML syntax near this position".into()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(d.problem.code(), "yaml-syntax");
    }

    /// An unclosed bracket at the end of the block is reported past its
    /// last line; the error points just after that line's text instead.
    #[test]
    fn syntax_error_at_the_end_points_at_the_last_line() {
        for (text, yaml, first_line, at) in [
            ("title: X\nextra:\n  links: [a, b\n", "title: X\nextra:\n  links: [a, b\n", 1, (3, 15)),
            ("title: X\nlinks: [a, b\n\n\n", "title: X\nlinks: [a, b\n\n\n", 1, (2, 13)),
            ("---\nname: [a\n---\nbody\n", "name: [a\n", 2, (2, 9)),
        ] {
            let l = Locator { path: "p.md", text, yaml, first_line };
            let d = l.parse().unwrap_err();
            assert_eq!((d.line, d.column), at, "{text:?}");
            assert!(d.source_line.as_deref().is_some_and(|s| !s.is_empty()), "{text:?}: a snippet");
        }
    }

    #[test]
    fn values_past_the_budget_are_an_error() {
        let yaml = format!("a: [{}]\n", vec!["0"; MAX_YAML_VALUES].join(","));
        let l = Locator { path: "p.md", text: &yaml, yaml: &yaml, first_line: 1 };
        let d = l.parse().unwrap_err();
        assert_eq!(d.message(), format!("YAML expands to more than {MAX_YAML_VALUES} values"));
        assert_eq!(d.problem.code(), "yaml-too-big");
    }
}
