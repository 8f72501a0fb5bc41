//! Each parser into its tree, the tree's node count, and (for the parsers
//! that keep spans) the position of the node at a path.

use saphyr::{LoadableYamlNode, MarkedYaml, YamlData};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// A line and column, both from 1, in the YAML block.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// One step of a path: a mapping key or a list index.
#[derive(Clone, Copy, Debug)]
pub enum Seg {
    Key(&'static str),
    Idx(usize),
}

/// Where the node at a path is: its key (for a mapping entry) and its value.
#[derive(Clone, Copy, Debug)]
pub struct Found {
    pub key: Option<Pos>,
    pub value: Pos,
}

// ---- serde_yaml --------------------------------------------------------

pub fn serde_yaml_value(y: &str) -> Result<usize, String> {
    serde_yaml::from_str::<serde_yaml::Value>(y).map(|v| count_sy(&v)).map_err(|e| e.to_string())
}

fn count_sy(v: &serde_yaml::Value) -> usize {
    1 + match v {
        serde_yaml::Value::Sequence(s) => s.iter().map(count_sy).sum(),
        serde_yaml::Value::Mapping(m) => m.iter().map(|(k, v)| count_sy(k) + count_sy(v)).sum(),
        serde_yaml::Value::Tagged(t) => count_sy(&t.value),
        _ => 0,
    }
}

/// serde_yaml's error position (what personabook reports, shifted by the block's line).
pub fn serde_yaml_error(y: &str) -> Option<(Pos, String)> {
    let e = serde_yaml::from_str::<serde_yaml::Value>(y).err()?;
    let l = e.location()?;
    Some((Pos { line: l.line(), col: l.column() }, e.to_string()))
}

// ---- saphyr ------------------------------------------------------------

pub fn saphyr_marked_chars(y: &str) -> Result<usize, String> {
    let docs = MarkedYaml::load_from_str(y).map_err(|e| e.to_string())?;
    Ok(docs.iter().map(count_marked).sum())
}

pub fn saphyr_marked_str(y: &str) -> Result<usize, String> {
    let docs = saphyr_load(y).map_err(|e| e.1)?;
    Ok(docs.iter().map(count_marked).sum())
}

fn saphyr_load(y: &str) -> Result<Vec<MarkedYaml<'_>>, (Pos, String)> {
    let mut parser = saphyr_parser::Parser::new_from_str(y);
    MarkedYaml::load_from_parser(&mut parser).map_err(|e| {
        let m = e.marker();
        (Pos { line: m.line(), col: m.col() + 1 }, e.info().to_string())
    })
}

fn count_marked(m: &MarkedYaml<'_>) -> usize {
    1 + match &m.data {
        YamlData::Sequence(s) => s.iter().map(count_marked).sum(),
        YamlData::Mapping(map) => map.iter().map(|(k, v)| count_marked(k) + count_marked(v)).sum(),
        YamlData::Tagged(_, n) => count_marked(n),
        _ => 0,
    }
}

/// The saphyr error, or the node at `path`.
pub fn saphyr_find(y: &str, path: &[Seg]) -> Result<Option<Found>, (Pos, String)> {
    let docs = saphyr_load(y)?;
    let pos = |m: &MarkedYaml<'_>| Pos { line: m.span.start.line(), col: m.span.start.col() + 1 };
    let Some(mut node) = docs.first() else { return Ok(None) };
    let mut key = None;
    for seg in path {
        let next = match (seg, &node.data) {
            (Seg::Key(k), YamlData::Mapping(map)) => {
                map.iter().find(|(mk, _)| scalar_str(mk).is_some_and(|s| s == *k)).map(|(mk, v)| (Some(pos(mk)), v))
            }
            (Seg::Idx(i), YamlData::Sequence(s)) => s.get(*i).map(|v| (None, v)),
            _ => None,
        };
        let Some((k, v)) = next else { return Ok(None) };
        key = k;
        node = v;
    }
    Ok(Some(Found { key, value: pos(node) }))
}

fn scalar_str<'a>(m: &'a MarkedYaml<'_>) -> Option<&'a str> {
    match &m.data {
        YamlData::Value(saphyr::Scalar::String(s)) => Some(s),
        YamlData::Representation(s, _, _) => Some(s),
        _ => None,
    }
}

// ---- serde-saphyr ------------------------------------------------------

/// serde-saphyr with personabook's limits where they differ from its defaults.
fn options(budget: bool) -> serde_saphyr::Options {
    let mut o = serde_saphyr::Options::default();
    if budget {
        let mut b = serde_saphyr::Budget::default();
        b.max_depth = 128; // personabook's MAX_YAML_DEPTH
        b.max_nodes = 100_000; // personabook's MAX_YAML_VALUES
        o.budget = Some(b);
    } else {
        o.budget = None;
    }
    o
}

pub fn serde_saphyr_value(y: &str) -> Result<usize, String> {
    serde_saphyr::from_str_with_options::<serde_yaml::Value>(y, options(true))
        .map(|v| count_sy(&v))
        .map_err(|e| e.to_string())
}

pub fn serde_saphyr_spanned(y: &str) -> Result<usize, String> {
    serde_saphyr::from_str_with_options::<Option<SNode>>(y, options(true))
        .map(|v| v.as_ref().map_or(0, count_sn))
        .map_err(|e| e.to_string())
}

pub fn serde_saphyr_spanned_unbudgeted(y: &str) -> Result<usize, String> {
    serde_saphyr::from_str_with_options::<Option<SNode>>(y, options(false))
        .map(|v| v.as_ref().map_or(0, count_sn))
        .map_err(|e| e.to_string())
}

/// A generic YAML tree whose every node (keys too) carries its location.
#[derive(Debug)]
pub struct SNode(pub Spanned<Node>);

#[derive(Debug)]
#[allow(dead_code)] // the values are built, as a loader would, but only counted here
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<SNode>),
    Map(Vec<(SNode, SNode)>),
}

impl<'de> Deserialize<'de> for SNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Spanned::<Node>::deserialize(d).map(SNode)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Node, E> {
        Ok(Node::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Node, E> {
        Ok(Node::Int(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Node, E> {
        Ok(Node::UInt(n))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Node, E> {
        Ok(Node::Float(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Node, E> {
        Ok(Node::Str(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Node, E> {
        Ok(Node::Str(s))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = seq.next_element::<SNode>()? {
            v.push(x);
        }
        Ok(Node::Seq(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut v = Vec::new();
        while let Some(kv) = map.next_entry::<SNode, SNode>()? {
            v.push(kv);
        }
        Ok(Node::Map(v))
    }
}

fn count_sn(n: &SNode) -> usize {
    1 + match &n.0.value {
        Node::Seq(s) => s.iter().map(count_sn).sum(),
        Node::Map(m) => m.iter().map(|(k, v)| count_sn(k) + count_sn(v)).sum(),
        _ => 0,
    }
}

/// The serde-saphyr error, or the node at `path`.
pub fn serde_saphyr_find(y: &str, path: &[Seg]) -> Result<Option<Found>, (Pos, String)> {
    let root = serde_saphyr::from_str_with_options::<Option<SNode>>(y, options(true)).map_err(|e| {
        let l = e.location().unwrap_or(serde_saphyr::Location::UNKNOWN);
        let msg = e.to_string();
        (Pos { line: l.line() as usize, col: l.column() as usize }, msg.lines().next().unwrap_or("").to_string())
    })?;
    let pos = |n: &SNode| Pos { line: n.0.referenced.line() as usize, col: n.0.referenced.column() as usize };
    let Some(mut node) = root.as_ref() else { return Ok(None) };
    let mut key = None;
    for seg in path {
        let next = match (seg, &node.0.value) {
            (Seg::Key(k), Node::Map(m)) => m
                .iter()
                .find(|(mk, _)| matches!(&mk.0.value, Node::Str(s) if s == k))
                .map(|(mk, v)| (Some(pos(mk)), v)),
            (Seg::Idx(i), Node::Seq(s)) => s.get(*i).map(|v| (None, v)),
            _ => None,
        };
        let Some((k, v)) = next else { return Ok(None) };
        key = k;
        node = v;
    }
    Ok(Some(Found { key, value: pos(node) }))
}
