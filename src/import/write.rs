//! File names and writing: the only part of `import` that writes, and it
//! never replaces a file (each file is created with `create_new`, so even a
//! file that appears while the import runs is left alone).

use super::{shown, Draft, Failure, Outcome, SkipReason};
pub use crate::slug::slug;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

/// A file name (`maria-lopez.md`) for every draft, in order: the slug of its
/// name, else of its source file name, else `persona`. A name that several
/// drafts of the import share (the persona library has seven "Software
/// Developer"s) names none of them: each uses its source file name. Names
/// never repeat within an import (a `-2`, `-3`, ... suffix as a last resort).
/// The same import always picks the same names, which is what lets a
/// repeated import skip what it wrote before.
pub fn plan_names(drafts: &[Draft]) -> Vec<String> {
    let mut shared: HashMap<String, usize> = HashMap::new();
    for d in drafts {
        *shared.entry(slug(&d.name)).or_default() += 1;
    }
    let mut taken: HashSet<String> = HashSet::new();
    drafts
        .iter()
        .map(|d| {
            let by_name = slug(&d.name);
            let by_file = slug(&d.file_stem);
            let candidates: Vec<String> = if shared.get(&by_name).is_some_and(|&n| n > 1) {
                vec![by_file, by_name]
            } else {
                vec![by_name, by_file]
            };
            let candidates: Vec<String> = candidates.into_iter().filter(|s| !s.is_empty()).collect();
            let base = candidates.first().cloned().unwrap_or_else(|| "persona".to_string());
            let name = if taken.contains(&base) {
                (2..).map(|n| format!("{base}-{n}")).find(|c| !taken.contains(c)).unwrap_or(base)
            } else {
                base
            };
            taken.insert(name.clone());
            format!("{name}.md")
        })
        .collect()
}

/// The lower-cased names of the files already in `dir` (ids compare
/// lower-case, so `Maria.md` blocks `maria.md`).
pub fn existing_names(dir: &Path) -> HashSet<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return HashSet::new();
    };
    entries.flatten().map(|e| e.file_name().to_string_lossy().to_lowercase()).collect()
}

/// The file's text: front matter between `---` lines, then the body.
pub fn render(front_matter: &serde_yaml::Mapping, body: &str) -> Result<String, serde_yaml::Error> {
    let yaml = serde_yaml::to_string(front_matter)?;
    let mut text = format!("---\n{yaml}---\n{body}");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// Writes a new file; an existing one is left alone and reported as skipped.
pub fn create_new(path: &Path, text: &str) -> Outcome {
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(path);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Outcome::Skipped(SkipReason::Exists { path: shown(path) });
        }
        Err(e) => return Outcome::Failed(Failure::Create { path: shown(path), error: e.to_string() }),
    };
    match file.write_all(text.as_bytes()).and_then(|()| file.sync_all()) {
        Ok(()) => Outcome::Written(shown(path)),
        Err(e) => {
            // The file is ours (create_new made it): do not leave half of it behind.
            let _ = std::fs::remove_file(path);
            Outcome::Failed(Failure::Write { path: shown(path), error: e.to_string() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, stem: &str) -> Draft {
        Draft { name: name.into(), file_stem: stem.into(), ..Draft::default() }
    }

    #[test]
    fn names_never_collide_within_an_import() {
        let drafts = [
            draft("Software Developer", "dev"),
            draft("Software Developer", "dev-python"),
            draft("Python Pat", "dev-python"),
            draft("Ana", "x"),
            draft("Ana", "x"),
            draft("李雷", "li-lei"),
            draft("", ""),
        ];
        assert_eq!(
            plan_names(&drafts),
            ["dev.md", "dev-python.md", "python-pat.md", "x.md", "x-2.md", "li-lei.md", "persona.md"]
        );
    }

    #[test]
    fn never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, "mine").unwrap();
        assert!(matches!(create_new(&p, "theirs"), Outcome::Skipped(_)));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "mine");
        assert!(matches!(create_new(&dir.path().join("b.md"), "new"), Outcome::Written(_)));
        assert!(existing_names(dir.path()).contains("b.md"));
    }

    #[test]
    fn renders_quoted_yaml() {
        let mut m = serde_yaml::Mapping::new();
        m.insert("name".into(), "Rule: be brief".into());
        let text = render(&m, "\nBody").unwrap();
        assert_eq!(text, "---\nname: 'Rule: be brief'\n---\n\nBody\n");
    }
}
