//! Files of the handbook's `static/` folder that collide with the site:
//! every folder and file the site writes (from `model::site_path`, the same
//! rules render uses), and the problems a static path has with them.
//! Reported by `check` and `build` alike; reads no files (the caller lists
//! `static/`) and renders nothing.

use crate::diagnostic::Diagnostic;
use crate::model::site_path::{self, Kind, SitePart};
use crate::model::{Collection, Handbook, ItemRef};
use crate::problem::RenderProblem;
use std::collections::BTreeMap;

/// A site path and the part of the site it belongs to.
type Paths = BTreeMap<String, SitePart>;

/// The folders the site's pages need (`personas/ana`, no slash) and the
/// files it writes itself, each with what it is.
fn site_paths(hb: &Handbook) -> (Paths, Paths) {
    let mut dirs = Paths::new();
    let mut add = |dir: String, part: SitePart| {
        dirs.insert(dir.trim_end_matches('/').to_string(), part);
    };
    for &section in site_path::SECTIONS {
        add(site_path::section_dir(section), SitePart::Section(section));
    }
    let items = [
        (Collection::Persona, hb.personas.len()),
        (Collection::Asset, hb.assets.len()),
        (Collection::Page, hb.pages.len()),
    ];
    for (collection, n) in items {
        for index in 0..n {
            let r = ItemRef { collection, index };
            add(hb.path_of(r), SitePart::Item { collection, id: hb.id_of(r).to_string() });
        }
    }
    for p in &hb.personas {
        add(site_path::journey_dir(&p.id), SitePart::Journey { persona: p.id.clone() });
    }
    for s in &hb.config.stages {
        add(site_path::stage_dir(&s.id), SitePart::Stage { id: s.id.clone() });
    }
    for (kind, word) in term_words(hb) {
        add(site_path::term_dir(kind, word), SitePart::Term { kind, word: word.clone() });
    }
    // Every folder on the way to a page is a folder too (`personas/emea` for `personas/emea/bo`).
    let parents: Vec<(String, SitePart)> = dirs
        .iter()
        .flat_map(|(d, part)| d.match_indices('/').map(|(i, _)| (d[..i].to_string(), part.clone())).collect::<Vec<_>>())
        .collect();
    for (d, part) in parents {
        dirs.entry(d).or_insert(part);
    }
    let mut files: Paths = site_path::ROOT_FILES.iter().map(|&f| (f.to_string(), SitePart::RootFile(f))).collect();
    files.insert(site_path::SEARCH_INDEX_FILE.into(), SitePart::SearchIndex);
    for (d, part) in &dirs {
        files.insert(site_path::page_file(&format!("{d}/")), part.clone());
    }
    (dirs, files)
}

/// Every taxonomy word as written, with its kind, in the order the site
/// paths were first listed (a later word of the same slug wins).
fn term_words(hb: &Handbook) -> impl Iterator<Item = (Kind, &String)> {
    let segments = hb.personas.iter().filter_map(|p| p.segment.as_ref());
    let tags = hb.personas.iter().flat_map(|p| &p.tags).chain(hb.assets.iter().flat_map(|a| &a.tags));
    let journey_formats = hb.personas.iter().flat_map(|p| p.journey.iter().flatten().flat_map(|s| &s.formats));
    let formats = hb.assets.iter().filter_map(|a| a.format.as_ref()).chain(journey_formats);
    let topics = hb.assets.iter().flat_map(|a| &a.topics);
    let of = |kind: Kind| move |w| (kind, w);
    segments
        .map(of(Kind::Segment))
        .chain(tags.map(of(Kind::Tag)))
        .chain(formats.map(of(Kind::Format)))
        .chain(topics.map(of(Kind::Topic)))
}

/// A file of `static/` where the site needs a folder (`static/personas`)
/// is an error: the site cannot be written. A file the site writes itself
/// (`static/index.html`, `static/personas/index.html`) is a warning: the
/// site's page replaces it, so it is not published.
pub fn static_conflicts<'a>(hb: &Handbook, statics: impl Iterator<Item = &'a str>, diags: &mut Vec<Diagnostic>) {
    let (dirs, files) = site_paths(hb);
    for path in statics {
        let shown = format!("{}/{path}", crate::layout::STATIC_DIR);
        let owned = path.to_string();
        if let Some(part) = dirs.get(path) {
            let problem = RenderProblem::StaticFileWhereFolder { path: owned, part: part.clone() };
            diags.push(
                Diagnostic::error(&shown, 1, 1, problem)
                    .with_hint("rename or move the static file; the folder name belongs to the site"),
            );
        } else if let Some((file, part)) = path.match_indices('/').find_map(|(i, _)| files.get_key_value(&path[..i])) {
            let problem = RenderProblem::StaticFolderWhereFile { path: owned, file: file.clone(), part: part.clone() };
            diags.push(Diagnostic::error(&shown, 1, 1, problem).with_hint("rename or move the static folder"));
        } else if let Some(part) = files.get(path) {
            let problem = RenderProblem::StaticReplaced { path: owned, part: part.clone() };
            diags.push(Diagnostic::warning(&shown, 1, 1, problem).with_hint("rename the static file, or remove it"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::statics::read_static;
    use crate::pipeline::{build, BuildOptions};
    use std::path::Path;

    /// `site_paths` knows every folder and page `render` writes.
    #[test]
    fn site_paths_match_the_rendered_site() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut opts = BuildOptions::new(root);
        opts.today = jiff::civil::date(2026, 6, 1);
        let built = build(&opts).expect("the example handbook builds");
        let (dirs, files) = site_paths(&built.handbook);
        let statics: Vec<String> = read_static(root, &mut Vec::new()).into_iter().map(|(p, _)| p).collect();
        for path in built.site.files.keys().filter(|p| !statics.contains(p)) {
            for (i, _) in path.match_indices('/') {
                assert!(dirs.contains_key(&path[..i]), "folder {} of {path} is not known", &path[..i]);
            }
            if path.ends_with(".html") {
                assert!(files.contains_key(path), "page {path} is not known");
            }
        }
    }
}
