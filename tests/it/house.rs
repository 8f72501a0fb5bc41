//! The house rules of ARCHITECTURE.md that a machine can check: no source
//! file over 450 lines and no function over 80, so every module stays
//! small enough to read in one sitting.

use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 450;
const MAX_FN_LINES: usize = 80;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Functions longer than `max` lines: (first line, length). A function
/// starts at a line whose code begins with `fn` (after `pub`, `async`,
/// `const`...) and ends at the first `}` line at its indentation; rustfmt
/// keeps that layout.
fn long_functions(text: &str, max: usize) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let indent = line.len() - code.len();
        let words: Vec<&str> = code.split_whitespace().take_while(|w| *w != "fn").collect();
        let is_fn = code.split_whitespace().nth(words.len()) == Some("fn")
            && words.iter().all(|w| ["pub", "pub(crate)", "pub(super)", "async", "const", "unsafe"].contains(w))
            && !code.ends_with(';');
        if !is_fn {
            continue;
        }
        let end = lines[i..].iter().position(|l| {
            let t = l.trim_start();
            l.len() - t.len() == indent && t.starts_with('}')
        });
        if let Some(len) = end.map(|e| e + 1) {
            if len > max {
                found.push((i + 1, len));
            }
        }
    }
    found
}

#[test]
fn no_file_over_450_lines_and_no_function_over_80() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    files.sort();
    let mut over = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("source is UTF-8");
        let shown = file.strip_prefix(root).unwrap_or(file).display().to_string();
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            over.push(format!("{shown}: {lines} lines (at most {MAX_FILE_LINES})"));
        }
        for (line, len) in long_functions(&text, MAX_FN_LINES) {
            over.push(format!("{shown}:{line}: a function of {len} lines (at most {MAX_FN_LINES})"));
        }
    }
    assert!(over.is_empty(), "split these into smaller pieces:\n{}", over.join("\n"));
}

#[test]
fn the_function_counter_sees_long_and_short_functions() {
    let body = "    x();\n".repeat(81);
    let text = format!("pub fn long() {{\n{body}}}\n\nfn short() {{\n    y();\n}}\n");
    assert_eq!(long_functions(&text, 80), vec![(1, 83)]);
    assert!(long_functions("    fn declared(&self);\n", 0).is_empty());
}
