//! Measures YAML parsers for personabook's front matter (issue 9):
//! speed on a generated corpus, and the positions each reports for the
//! mistakes in tests/fixtures/invalid.
//!
//! cargo run --release -- speed <handbook dir> [runs]
//! cargo run --release -- positions <tests/fixtures/invalid>

mod positions;
mod tree;

use std::path::{Path, PathBuf};
use std::time::Instant;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc; // personabook's allocator too

/// One YAML block: where it came from, its first line in the file, its text.
pub struct Block {
    pub path: PathBuf,
    pub first_line: usize,
    pub yaml: String,
}

/// The text between the first two `---` lines, and the line it starts on.
pub fn front_matter(text: &str) -> Option<(usize, String)> {
    let rest = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n"))?;
    let mut out = String::new();
    for line in rest.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == "---" {
            return Some((2, out));
        }
        out.push_str(line);
    }
    None
}

/// Every front-matter block under `root/content` (sorted) and `root/handbook.yaml`.
pub fn blocks(root: &Path) -> Vec<Block> {
    let mut files = Vec::new();
    walk(&root.join("content"), &mut files);
    files.sort();
    let mut out: Vec<Block> = files
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let (first_line, yaml) = front_matter(&text)?;
            Some(Block { path, first_line, yaml })
        })
        .collect();
    if let Ok(yaml) = std::fs::read_to_string(root.join("handbook.yaml")) {
        out.push(Block { path: root.join("handbook.yaml"), first_line: 1, yaml });
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

/// A parser under test: parses one block, returns the number of nodes built
/// (to check every parser did the same work), or an error text.
pub struct Parser {
    pub name: &'static str,
    pub parse: fn(&str) -> Result<usize, String>,
}

pub const PARSERS: &[Parser] = &[
    Parser { name: "serde_yaml 0.9 -> serde_yaml::Value", parse: tree::serde_yaml_value },
    Parser { name: "saphyr 0.3 MarkedYaml (load_from_str)", parse: tree::saphyr_marked_chars },
    Parser { name: "saphyr 0.3 MarkedYaml (StrInput parser)", parse: tree::saphyr_marked_str },
    Parser { name: "serde-saphyr 2.2 -> serde_yaml::Value", parse: tree::serde_saphyr_value },
    Parser { name: "serde-saphyr 2.2 -> Spanned tree", parse: tree::serde_saphyr_spanned },
    Parser { name: "serde-saphyr 2.2 -> Spanned tree, no budget", parse: tree::serde_saphyr_spanned_unbudgeted },
];

/// Times one pass of `p` over every block: (ms, nodes, errors).
fn pass(p: &Parser, blocks: &[Block]) -> (f64, usize, usize) {
    let (mut nodes, mut errors) = (0, 0);
    let t = Instant::now();
    for b in blocks {
        match (p.parse)(&b.yaml) {
            Ok(n) => nodes += n,
            Err(_) => errors += 1,
        }
    }
    (t.elapsed().as_secs_f64() * 1000.0, nodes, errors)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `runs` rounds; each round times every parser once, in turn, so that a
/// change in the machine's load falls on all of them. The ratio to
/// serde_yaml is taken within each round, then its median.
fn speed(root: &Path, runs: usize) {
    let blocks = blocks(root);
    let bytes: usize = blocks.iter().map(|b| b.yaml.len()).sum();
    println!("{} blocks, {:.1} MiB of YAML, {runs} rounds, one thread\n", blocks.len(), bytes as f64 / 1048576.0);
    let mut times = vec![Vec::new(); PARSERS.len()];
    let mut work = vec![(0, 0); PARSERS.len()];
    for _ in 0..runs {
        for (i, p) in PARSERS.iter().enumerate() {
            let (ms, nodes, errors) = pass(p, &blocks);
            times[i].push(ms);
            work[i] = (nodes, errors);
        }
    }
    println!("| parser | median ms | min ms | MiB/s | × serde_yaml | nodes | errors |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (i, p) in PARSERS.iter().enumerate() {
        let med = median(times[i].clone());
        let min = times[i].iter().copied().fold(f64::INFINITY, f64::min);
        let ratio = median(times[i].iter().zip(&times[0]).map(|(t, base)| t / base).collect());
        let mibs = bytes as f64 / 1048576.0 / (med / 1000.0);
        let (nodes, errors) = work[i];
        println!("| {} | {med:.0} | {min:.0} | {mibs:.1} | {ratio:.2} | {nodes} | {errors} |", p.name);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("speed") => {
            let runs = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(5);
            speed(Path::new(&args[2]), runs);
        }
        // `columns`: where each parser puts an error after non-ASCII text (columns in characters?).
        Some("columns") => {
            for y in ["name: Café: x\n", "name: 日本語: x\n", "a: [é, b\n"] {
                let sy = tree::serde_yaml_error(y).map(|(p, _)| (p.line, p.col));
                let sa = tree::saphyr_find(y, &[]).err().map(|(p, _)| (p.line, p.col));
                let ss = tree::serde_saphyr_find(y, &[]).err().map(|(p, _)| (p.line, p.col));
                println!("{y:?}: serde_yaml {sy:?}, saphyr {sa:?}, serde-saphyr {ss:?}");
            }
        }
        Some("positions") => positions::report(Path::new(&args[2])),
        // `deep N`: N nested flow lists through each parser (does any overflow the stack?).
        Some("deep") => {
            let n: usize = args[2].parse().unwrap_or(10_000);
            let yaml = if std::env::var_os("BLOCK").is_some() { format!("{}x\n", "- ".repeat(n)) } else { format!("x: {}{}\n", "[".repeat(n), "]".repeat(n)) };
            if std::env::var_os("LOAD_ONLY").is_some() {
                use saphyr::LoadableYamlNode;
                let docs = saphyr::MarkedYaml::load_from_str(&yaml).map(|d| d.len());
                println!("saphyr load, then drop: {:?}", docs.map_err(|e| e.to_string()));
                return;
            }
            let only = std::env::var("ONLY").unwrap_or_default();
            for p in PARSERS.iter().filter(|p| p.name.contains(&only)) {
                println!("{}: {:?}", p.name, (p.parse)(&yaml).map_err(|e| e.chars().take(90).collect::<String>()));
            }
        }
        _ => eprintln!("usage: yaml-parsers speed <handbook dir> [runs] | positions <tests/fixtures/invalid>"),
    }
}

