//! Reading a handbook from disk: the config, and every Markdown file under
//! `content/`, split into front matter and body; `statics` reads `static/`.
//! Only reads; decides nothing about references (that is `model::resolve`).

pub mod analytics;
pub mod analytics_config;
pub mod config;
pub mod front_matter;
pub mod statics;
pub mod text;
pub mod walk;
pub mod yaml;

use crate::config::{Config, CONFIG_FILE};
use crate::diagnostic::{display_path, Diagnostic};
use crate::layout;
use crate::problem::{FileKind, InputProblem};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walk::Found;

pub use crate::layout::Collection;

/// One Markdown file, read and split.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the handbook root, `/`-separated (`content/personas/ana.md`).
    pub path: String,
    /// Path relative to `content/` (`personas/ana.md`), used to resolve `.md` links.
    pub content_path: String,
    pub collection: Collection,
    /// Path inside the collection without `.md`, lower-cased.
    pub id: String,
    /// The whole file.
    pub text: String,
    /// Byte range of the YAML block in `text`, and its first line.
    pub yaml: std::ops::Range<usize>,
    pub yaml_line: usize,
    /// Byte offset in `text` where the body starts, and its first line.
    pub body_start: usize,
    pub body_line: usize,
    /// The parsed front matter (empty when absent or broken).
    pub front_matter: serde_yaml::Mapping,
    /// The YAML syntax error, when the front matter could not be parsed. The
    /// file is still kept, so references to it do not cascade into errors.
    pub yaml_error: Option<Diagnostic>,
}

impl SourceFile {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    pub fn yaml_text(&self) -> &str {
        &self.text[self.yaml.clone()]
    }

    /// A locator for diagnostics inside the front matter.
    pub fn locator(&self) -> yaml::Locator<'_> {
        yaml::Locator { path: &self.path, text: &self.text, yaml: self.yaml_text(), first_line: self.yaml_line }
    }

    /// Line and column (1-based) of a byte offset into the body.
    pub fn body_position(&self, offset: usize) -> (usize, usize) {
        text::line_column(&self.text, self.body_start + offset)
    }
}

/// Everything read from a handbook folder.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub root: PathBuf,
    pub config: Config,
    /// Sorted by path, so every later stage is deterministic.
    pub files: Vec<SourceFile>,
    /// Content files that exist but could not be read (their error is in
    /// `diagnostics`): references to them are not reported again as unknown.
    pub unreadable: Vec<Unreadable>,
    pub diagnostics: Vec<Diagnostic>,
    /// The analytics exports `handbook.yaml` lists, summed per page.
    pub analytics: Vec<analytics::Table>,
}

/// A content file that could not be read: its id, and why.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub collection: Collection,
    pub id: String,
    /// Path relative to `content/`, as `.md` links name it.
    pub content_path: String,
    pub diagnostic: Diagnostic,
}

/// Reads `handbook.yaml` (optional) and every content file under `root`.
pub fn load(root: &Path) -> Loaded {
    let mut diagnostics = Vec::new();
    let config = read_config(root, &mut diagnostics);
    let paths = discover(root, &mut diagnostics);
    let results: Vec<Result<SourceFile, Unreadable>> =
        paths.par_iter().map(|(p, c)| read_source(root, p, *c)).collect();
    let (files, unreadable) = keep_read(results, &mut diagnostics);
    let analytics = analytics::read_all(root, &config.analytics, &mut diagnostics);
    Loaded { root: root.to_path_buf(), config, files, unreadable, diagnostics, analytics }
}

/// Reads `root/handbook.yaml` alone (the defaults when it is missing);
/// problems go to `diags`. `new` and `schema` read the stages through it.
pub fn read_config(root: &Path, diags: &mut Vec<Diagnostic>) -> Config {
    let Some(found) = walk::file(root, &root.join(CONFIG_FILE), diags) else { return Config::default() };
    let text = walk::read(&found, walk::MAX_TEXT_BYTES)
        .map_err(|error| {
            Diagnostic::error(CONFIG_FILE, 1, 1, InputProblem::CannotRead { file: FileKind::Config, error })
        })
        .and_then(|bytes| decode(CONFIG_FILE, bytes));
    match text {
        Ok(text) => Config::parse(&text, diags),
        Err(d) => {
            diags.push(d);
            Config::default()
        }
    }
}

/// A text file's bytes as text; bad bytes are an error at their line and
/// column, with the line shown.
fn decode(path: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    text::decode(path, bytes).map_err(|(d, bytes)| {
        d.with_source(&String::from_utf8_lossy(&bytes), 1).with_hint("save the file with UTF-8 encoding in your editor")
    })
}

/// Every Markdown file under `content/`, sorted, with its collection
/// (listed by `walk`, so nothing outside the handbook is ever read).
fn discover(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(Found, Collection)> {
    let content = root.join(layout::CONTENT_DIR);
    let mut out = Vec::new();
    for found in walk::files(root, &content, diags) {
        if found.path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let collection = Collection::of_content_path(&display_path(&content, &found.path));
        out.push((found, collection));
    }
    out
}

/// The files that could be read; the problems of the others (and the YAML
/// errors of kept files) go to `diagnostics`.
fn keep_read(
    results: Vec<Result<SourceFile, Unreadable>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<SourceFile>, Vec<Unreadable>) {
    let (mut files, mut unreadable) = (Vec::with_capacity(results.len()), Vec::new());
    for r in results {
        match r {
            Ok(f) => {
                diagnostics.extend(f.yaml_error.clone());
                files.push(f);
            }
            Err(u) => {
                diagnostics.push(u.diagnostic.clone());
                unreadable.push(u);
            }
        }
    }
    (files, unreadable)
}

fn read_source(root: &Path, found: &Found, collection: Collection) -> Result<SourceFile, Unreadable> {
    let display = display_path(root, &found.path);
    let unreadable = |diagnostic| {
        let (content_path, id) = ids_of(&display, collection);
        Unreadable { collection, id, content_path, diagnostic }
    };
    let bytes = walk::read(found, walk::MAX_TEXT_BYTES).map_err(|error| {
        unreadable(Diagnostic::error(&display, 1, 1, InputProblem::CannotRead { file: FileKind::Content, error }))
    })?;
    let text = decode(&display, bytes).map_err(unreadable)?;
    Ok(SourceFile::parse(display, collection, text))
}

/// A content file's path inside `content/` and its id, from its path from
/// the handbook root.
fn ids_of(display: &str, collection: Collection) -> (String, String) {
    let content_path = layout::in_content(display).unwrap_or(display).to_string();
    let in_collection = collection.path_inside(&content_path);
    let id = in_collection.strip_suffix(".md").unwrap_or(in_collection).to_lowercase();
    (content_path, id)
}

impl SourceFile {
    /// Splits and parses the text of the content file at `path` (from the
    /// handbook root, `/`-separated). Never fails: a broken front matter is
    /// kept as the file's `yaml_error`.
    pub fn parse(path: String, collection: Collection, text: String) -> SourceFile {
        let (content_path, id) = ids_of(&path, collection);
        let mut file = SourceFile {
            path,
            content_path,
            collection,
            id,
            text: String::new(),
            yaml: 0..0,
            yaml_line: 1,
            body_start: 0,
            body_line: 1,
            front_matter: serde_yaml::Mapping::new(),
            yaml_error: None,
        };
        let split = match front_matter::split(&text) {
            Ok(split) => split,
            Err(front_matter::Unclosed) => {
                // Keep the file (its id still exists) so one typo does not
                // cascade into "unknown id" errors everywhere it is referenced.
                file.yaml_error = Some(
                    Diagnostic::error(&file.path, 1, 1, InputProblem::FrontMatterUnclosed)
                        .with_source(&text, 3)
                        .with_hint("add a line with only `---` after the last front-matter key"),
                );
                file.body_start = text.len();
                file.text = text;
                return file;
            }
        };
        (file.yaml, file.yaml_line) = (split.yaml_range, split.yaml_line);
        (file.body_start, file.body_line) = (split.body_start, split.body_line);
        file.text = text;
        match file.locator().parse() {
            Ok(m) => file.front_matter = m,
            Err(d) => file.yaml_error = Some(d),
        }
        file
    }
}

/// Loads again after the files in `changed` (paths from the root, `/`
/// separated) changed, reusing every other content file of `previous` as it
/// was read: what `serve` does on a save, so one edit does not re-parse the
/// whole handbook. Equal to `load` when `changed` names every file whose
/// bytes differ; new, removed and renamed files are found by walking again.
pub fn reload(previous: Loaded, changed: &[String]) -> Loaded {
    let root = previous.root;
    let mut diagnostics = Vec::new();
    let config = read_config(&root, &mut diagnostics);
    let paths = discover(&root, &mut diagnostics);
    let changed: std::collections::HashSet<&str> = changed.iter().map(String::as_str).collect();
    let mut old: std::collections::HashMap<String, SourceFile> =
        previous.files.into_iter().map(|f| (f.path.clone(), f)).collect();
    let slots: Vec<Result<SourceFile, (Found, Collection)>> = paths
        .into_iter()
        .map(|(p, c)| {
            let display = display_path(&root, &p.path);
            match old.remove(&display) {
                Some(f) if f.collection == c && !changed.contains(display.as_str()) => Ok(f),
                _ => Err((p, c)),
            }
        })
        .collect();
    let results: Vec<Result<SourceFile, Unreadable>> = slots
        .into_par_iter()
        .map(|slot| match slot {
            Ok(f) => Ok(f),
            Err((p, c)) => read_source(&root, &p, c),
        })
        .collect();
    let (files, unreadable) = keep_read(results, &mut diagnostics);
    let analytics = analytics::read_all(&root, &config.analytics, &mut diagnostics);
    Loaded { root, config, files, unreadable, diagnostics, analytics }
}

/// Reads one content file (`path` from the root, `/`-separated) as `load`
/// reads it: what `serve` does when a file it has read is saved. `None`
/// when it is no longer a readable file (the caller loads everything again,
/// which reports why).
pub fn read_one(root: &Path, path: &str) -> Option<SourceFile> {
    let mut diags = Vec::new();
    let found = walk::file(root, &root.join(path), &mut diags).filter(|_| diags.is_empty())?;
    let collection = Collection::of_content_path(layout::in_content(path)?);
    read_source(root, &found, collection).ok().filter(|f| f.path == path)
}
