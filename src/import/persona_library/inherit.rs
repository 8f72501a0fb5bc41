//! `parent` inheritance of the persona library: finding a parent by name,
//! resolving chains, detecting cycles, and merging fields. Pure: JSON in,
//! JSON out; the caller turns problems into messages.
//!
//! The rules (the library documents that a persona "inherits all the true
//! values of its parent" and that `x-` keys extend instead of replace):
//! - Values that say nothing do not override: `""`, `[]`, `{}`, `null` and
//!   the wildcard `"*"` (any).
//! - Several parents are combined in the order listed: their lists are
//!   joined (without repeats) and for a single value the first parent wins.
//! - The persona's own values then replace inherited ones, objects key by key;
//!   `x-name` lists are appended to the inherited `name` list.
//! - `id`, `label`, `parent` and `$schema` name a persona; they are never inherited.

use serde_json::{Map, Value};
use std::collections::HashSet;

/// Deeper chains are reported rather than followed (and the stack stays small).
pub const MAX_DEPTH: usize = 64;

/// Keys that identify one persona and so are never inherited.
const OWN_KEYS: &[&str] = &["id", "label", "parent", "$schema"];

/// One persona file as inheritance sees it.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// The `id` field.
    pub id: Option<String>,
    /// The file name without `.json`.
    pub stem: String,
    /// The `parent` entries, as written.
    pub parents: Vec<String>,
    /// Every field of the file.
    pub fields: Map<String, Value>,
}

/// Why a persona's inheritance could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No persona has this id or file name.
    Missing { child: usize, parent: String, suggestion: Option<String> },
    /// The only persona with this name is the persona itself.
    Itself { child: usize, parent: String },
    /// Several personas have this id and none has it as its file name.
    Ambiguous { child: usize, parent: String, candidates: Vec<usize> },
    /// Following parents leads back here: `cycle` lists the nodes, first and last the same.
    Cycle { child: usize, parent: String, cycle: Vec<usize> },
    /// The chain is longer than `MAX_DEPTH`.
    TooDeep { child: usize },
}

/// A persona with everything it inherits.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub fields: Map<String, Value>,
    /// The direct parents, in the order listed.
    pub parents: Vec<usize>,
}

/// Finds the persona a `parent` entry of `child` names. An id and file name
/// that both match win, then an id, then a file name; the persona itself is
/// never its own parent (the library has a `dev-python.json` with id `dev`
/// and parent `dev`: it means the other `dev`).
pub fn find_parent(nodes: &[Node], child: usize, name: &str) -> Result<usize, Problem> {
    let others = || nodes.iter().enumerate().filter(move |(i, _)| *i != child);
    let by_id = |n: &Node| n.id.as_deref() == Some(name);
    let tiers: [Vec<usize>; 3] = [
        others().filter(|(_, n)| by_id(n) && n.stem == name).map(|(i, _)| i).collect(),
        others().filter(|(_, n)| by_id(n)).map(|(i, _)| i).collect(),
        others().filter(|(_, n)| n.stem == name).map(|(i, _)| i).collect(),
    ];
    for tier in tiers {
        match tier.len() {
            0 => continue,
            1 => return Ok(tier[0]),
            _ => return Err(Problem::Ambiguous { child, parent: name.to_string(), candidates: tier }),
        }
    }
    let me = &nodes[child];
    if by_id(me) || me.stem == name {
        return Err(Problem::Itself { child, parent: name.to_string() });
    }
    let names = nodes.iter().flat_map(|n| n.id.iter().map(String::as_str).chain(std::iter::once(n.stem.as_str())));
    let suggestion = crate::diagnostic::closest(name, names).map(str::to_string);
    Err(Problem::Missing { child, parent: name.to_string(), suggestion })
}

/// Resolves the nodes in `wanted` (and, on the way, their ancestors).
/// Returns one entry per node (None when not wanted or broken) and every problem.
pub fn resolve(nodes: &[Node], wanted: &[usize]) -> (Vec<Option<Resolved>>, Vec<Problem>) {
    let mut r = Resolver {
        nodes,
        states: vec![State::New; nodes.len()],
        stack: Vec::new(),
        problems: Vec::new(),
        cycles: HashSet::new(),
    };
    for &i in wanted {
        r.visit(i);
    }
    let out = r
        .states
        .into_iter()
        .enumerate()
        .map(|(i, s)| match s {
            State::Done(fields, parents) if wanted.contains(&i) => Some(Resolved { fields, parents }),
            _ => None,
        })
        .collect();
    (out, r.problems)
}

#[derive(Debug, Clone)]
enum State {
    New,
    Active,
    Done(Map<String, Value>, Vec<usize>),
    Failed,
}

struct Resolver<'a> {
    nodes: &'a [Node],
    states: Vec<State>,
    stack: Vec<usize>,
    problems: Vec<Problem>,
    /// Cycles already reported, as sorted node sets (one message per cycle).
    cycles: HashSet<Vec<usize>>,
}

impl Resolver<'_> {
    fn visit(&mut self, i: usize) -> Option<Map<String, Value>> {
        match &self.states[i] {
            State::Done(fields, _) => return Some(fields.clone()),
            State::Failed | State::Active => return None,
            State::New => {}
        }
        if self.stack.len() >= MAX_DEPTH {
            self.problems.push(Problem::TooDeep { child: i });
            self.states[i] = State::Failed;
            return None;
        }
        self.states[i] = State::Active;
        self.stack.push(i);
        let node = &self.nodes[i];
        let mut inherited: Option<Map<String, Value>> = None;
        let mut parents = Vec::new();
        let mut ok = true;
        for name in &node.parents {
            let j = match find_parent(self.nodes, i, name) {
                Ok(j) => j,
                Err(p) => {
                    self.problems.push(p);
                    ok = false;
                    continue;
                }
            };
            if matches!(self.states[j], State::Active) {
                self.report_cycle(i, j, name);
                ok = false;
                continue;
            }
            match self.visit(j) {
                Some(mut fields) => {
                    for k in OWN_KEYS {
                        fields.remove(*k);
                    }
                    match inherited.as_mut() {
                        None => inherited = Some(fields),
                        Some(base) => combine(base, &fields),
                    }
                    parents.push(j);
                }
                None => ok = false,
            }
        }
        self.stack.pop();
        if !ok {
            self.states[i] = State::Failed;
            return None;
        }
        let mut fields = inherited.unwrap_or_default();
        overlay(&mut fields, &node.fields);
        self.states[i] = State::Done(fields.clone(), parents);
        Some(fields)
    }

    fn report_cycle(&mut self, child: usize, parent_ix: usize, parent: &str) {
        let start = self.stack.iter().position(|&s| s == parent_ix).unwrap_or(0);
        let mut cycle: Vec<usize> = self.stack[start..].to_vec();
        cycle.push(parent_ix);
        let mut key = cycle.clone();
        key.sort_unstable();
        key.dedup();
        if self.cycles.insert(key) {
            self.problems.push(Problem::Cycle { child, parent: parent.to_string(), cycle });
        }
    }
}

/// Whether a value says something (see the module rules).
pub fn is_set(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty() && s.trim() != "*",
        Value::Array(a) => a.iter().any(is_set),
        Value::Object(o) => o.values().any(is_set),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

/// Adds a later parent's fields to those of the earlier ones: lists are
/// joined without repeats, objects combined key by key, single values kept.
fn combine(base: &mut Map<String, Value>, other: &Map<String, Value>) {
    for (k, v) in other {
        if !is_set(v) {
            continue;
        }
        match (base.get_mut(k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => combine(b, o),
            (Some(Value::Array(b)), Value::Array(o)) => append_new(b, o),
            (Some(b), _) if is_set(b) => {}
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Applies a persona's own fields over what it inherits: set values
/// replace, objects merge key by key, `x-name` lists extend `name`.
pub fn overlay(base: &mut Map<String, Value>, own: &Map<String, Value>) {
    for (k, v) in own {
        if let Some(name) = k.strip_prefix("x-") {
            let extra: Vec<Value> = match v {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            };
            let extra: Vec<Value> = extra.into_iter().filter(is_set).collect();
            match base.get_mut(name) {
                Some(Value::Array(list)) => append_new(list, &extra),
                Some(existing) if is_set(existing) => {
                    let mut list = vec![existing.clone()];
                    append_new(&mut list, &extra);
                    *existing = Value::Array(list);
                }
                _ if extra.is_empty() => {}
                _ => {
                    base.insert(name.to_string(), Value::Array(extra));
                }
            }
            continue;
        }
        match (base.get_mut(k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => overlay(b, o),
            (_, Value::Object(o)) => {
                let mut fresh = Map::new();
                overlay(&mut fresh, o);
                if !fresh.is_empty() {
                    base.insert(k.clone(), Value::Object(fresh));
                }
            }
            _ if !is_set(v) => {
                base.entry(k.clone()).or_insert_with(|| v.clone());
            }
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

fn append_new(list: &mut Vec<Value>, more: &[Value]) {
    for v in more {
        if is_set(v) && !list.contains(v) {
            list.push(v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(id: &str, stem: &str, parents: &[&str], fields: Value) -> Node {
        let Value::Object(fields) = fields else { panic!("object") };
        Node {
            id: Some(id.into()),
            stem: stem.into(),
            parents: parents.iter().map(|s| s.to_string()).collect(),
            fields,
        }
    }

    #[test]
    fn child_wins_and_x_lists_extend() {
        let nodes = [
            node(
                "dev",
                "dev",
                &[],
                json!({"id": "dev", "label": "Dev", "segment": "tech", "role": {"level": "ic", "titles": ["Engineer"]}, "motivations": {"likes": ["a"]}}),
            ),
            node(
                "py",
                "py",
                &["dev"],
                json!({"id": "py", "segment": "*", "role": {"level": "lead", "x-titles": ["Python Dev"]}, "motivations": {"likes": [], "x-likes": ["b"]}}),
            ),
        ];
        let (out, problems) = resolve(&nodes, &[1]);
        assert!(problems.is_empty(), "{problems:?}");
        let r = out[1].as_ref().unwrap();
        assert_eq!(r.parents, [0]);
        let f = Value::Object(r.fields.clone());
        assert_eq!(f["segment"], "tech", "a wildcard does not override");
        assert_eq!(f["role"]["level"], "lead");
        assert_eq!(f["role"]["titles"], json!(["Engineer", "Python Dev"]));
        assert_eq!(f["motivations"]["likes"], json!(["a", "b"]), "an empty list does not override");
        assert_eq!(f["id"], "py");
        assert!(f.get("label").is_none(), "labels are not inherited");
        assert!(out[0].is_none(), "only wanted nodes are returned");
    }

    #[test]
    fn chains_and_several_parents() {
        let nodes = [
            node("a", "a", &[], json!({"segment": "sa", "tags": ["x"]})),
            node("b", "b", &[], json!({"segment": "sb", "tags": ["y", "x"], "only_b": 1})),
            node("c", "c", &["a", "b"], json!({})),
            node("d", "d", &["c"], json!({"narrative": "D"})),
        ];
        let (out, problems) = resolve(&nodes, &[3]);
        assert!(problems.is_empty());
        let f = Value::Object(out[3].as_ref().unwrap().fields.clone());
        assert_eq!(f["segment"], "sa", "first parent wins");
        assert_eq!(f["tags"], json!(["x", "y"]));
        assert_eq!(f["only_b"], 1);
        assert_eq!(f["narrative"], "D");
    }

    #[test]
    fn parents_by_id_then_file_name_never_itself() {
        let nodes = [
            node("dev", "dev", &[], json!({})),
            node("dev", "dev-python", &["dev"], json!({})),
            node("dev", "cloud-dev", &[], json!({})),
            node("other-id", "mix", &[], json!({})),
        ];
        assert_eq!(find_parent(&nodes, 1, "dev"), Ok(0));
        assert_eq!(find_parent(&nodes, 0, "mix"), Ok(3));
        assert_eq!(find_parent(&nodes, 3, "other-id"), Err(Problem::Itself { child: 3, parent: "other-id".into() }));
        let no_dev_file = &nodes[1..];
        assert!(
            matches!(find_parent(no_dev_file, 2, "dev"), Err(Problem::Ambiguous { candidates, .. }) if candidates == [0, 1])
        );
        match find_parent(&nodes, 0, "mixx") {
            Err(Problem::Missing { suggestion, .. }) => {
                assert_eq!(suggestion.as_deref(), Some("mix"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cycles_are_reported_once_and_fail_every_member() {
        let nodes = [
            node("a", "a", &["b"], json!({})),
            node("b", "b", &["c"], json!({})),
            node("c", "c", &["a"], json!({})),
            node("d", "d", &["a"], json!({})),
        ];
        let (out, problems) = resolve(&nodes, &[0, 1, 2, 3]);
        assert!(out.iter().all(Option::is_none));
        assert_eq!(problems, [Problem::Cycle { child: 2, parent: "a".into(), cycle: vec![0, 1, 2, 0] }]);
    }

    #[test]
    fn deep_chains_stop() {
        let nodes: Vec<Node> =
            (0..200).map(|i| node(&format!("n{i}"), &format!("n{i}"), &[&format!("n{}", i + 1)], json!({}))).collect();
        let mut nodes = nodes;
        nodes.push(node("n200", "n200", &[], json!({})));
        let (out, problems) = resolve(&nodes, &[0]);
        assert!(out[0].is_none());
        assert!(problems.iter().any(|p| matches!(p, Problem::TooDeep { .. })));
    }
}
