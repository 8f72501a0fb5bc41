//! Full-text search, in headless Chromium on the built site opened from
//! disk (file://, where scripts load but `fetch` does not): a word only in
//! a persona's body, a word only in a journey entry, two words from two
//! fields, prefixes as the reader types, highlights and snippets. And the
//! index itself: deterministic, its shards all there.

use crate::browser::Browser;
use crate::harness::Handbook;
use serde_json::json;
use std::path::Path;

/// The fixture built into `out` (beside the handbook, inside its temp folder).
fn built(hb: &Handbook) -> std::path::PathBuf {
    let out = hb.root().join("out");
    let run = hb.run(&["build", "--output", out.to_str().expect("utf-8 path")]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    out
}

fn file_url(site: &Path, page: &str) -> String {
    format!("file://{}/{page}", site.display())
}

/// Types `q` into the search box and waits for its results.
fn query(b: &mut Browser, q: &str) {
    let q = json!(q);
    b.eval(&format!(
        "(() => {{ const r = document.getElementById('search-results'); r.removeAttribute('data-took-ms');
         const i = document.getElementById('search-q'); i.value = {q}; i.dispatchEvent(new Event('input')); return true; }})()"
    ));
    b.wait("the results", "document.getElementById('search-results').hasAttribute('data-took-ms')");
}

fn titles(b: &mut Browser) -> Vec<String> {
    let v = b.eval("Array.from(document.querySelectorAll('#search-results > li > a')).map(a => a.textContent)");
    serde_json::from_value(v).expect("titles")
}

fn eval_string(b: &mut Browser, expr: &str) -> String {
    b.eval(expr).as_str().unwrap_or_default().to_string()
}

#[test]
fn search_finds_body_journey_and_cross_field_words_from_disk() {
    let hb = Handbook::fixture("search/basic");
    let site = built(&hb);
    let mut b = Browser::launch();

    // Opened with ?q= (as the header's search box sends it): a word only in Oscar's body.
    b.open_built(&file_url(&site, "search/index.html?q=Zanzibarware"));
    b.wait("the results", "document.getElementById('search-results').hasAttribute('data-took-ms')");
    assert_eq!(titles(&mut b), ["Oscar Ops"]);
    let snippet = eval_string(&mut b, "document.querySelector('#search-results .search-snippet').textContent");
    assert!(snippet.starts_with("Profile: "), "the snippet says where it matched: {snippet}");
    assert!(snippet.contains("into Zanzibarware last spring"), "{snippet}");
    let marks = eval_string(
        &mut b,
        "Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent).join('|')",
    );
    assert_eq!(marks, "Zanzibarware");
    let status = eval_string(&mut b, "document.getElementById('search-status').textContent");
    assert_eq!(status, "1 result for \u{201c}Zanzibarware\u{201d}.");

    // A prefix, as the reader types it.
    query(&mut b, "zanzi");
    assert_eq!(titles(&mut b), ["Oscar Ops"]);

    // Two words from two fields (role and challenges): only the page with both.
    query(&mut b, "attribution cfo");
    assert_eq!(titles(&mut b), ["Fiona Finance"]);
    // Each word alone finds more: the two words are AND-ed.
    query(&mut b, "attribution");
    assert_eq!(titles(&mut b).len(), 3, "{:?}", titles(&mut b));
    query(&mut b, "cfo");
    let cfo = titles(&mut b);
    assert_eq!(cfo, ["The CFO guide to pipeline", "Fiona Finance"], "ranked by field: a title, then a role");

    // A journey entry, with its stage named in the snippet.
    query(&mut b, "works council");
    assert_eq!(titles(&mut b), ["Fiona Finance"]);
    let snippet = eval_string(&mut b, "document.querySelector('#search-results .search-snippet').textContent");
    assert!(snippet.starts_with("Journey: Decision: "), "{snippet}");
    let marks = eval_string(
        &mut b,
        "Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent).join('|')",
    );
    assert_eq!(marks, "works|council");

    // Nothing found says so; the result links lead to the pages.
    query(&mut b, "nonexistentword");
    assert_eq!(titles(&mut b), Vec::<String>::new());
    query(&mut b, "trail running");
    let href = eval_string(&mut b, "document.querySelector('#search-results a').href");
    assert!(href.ends_with("/personas/oscar-ops/index.html"), "{href}");
    assert!(site.join("personas/oscar-ops/index.html").is_file());
}

#[test]
fn the_index_is_the_same_on_every_build_and_names_only_files_it_wrote() {
    let hb = Handbook::fixture("search/basic");
    let first = built(&hb);
    let again = hb.root().join("again");
    let run = hb.run(&["build", "--output", again.to_str().expect("utf-8 path")]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let mut names: Vec<String> = std::fs::read_dir(first.join("search"))
        .expect("search folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in &names {
        let a = std::fs::read(first.join("search").join(name)).expect("read");
        let b = std::fs::read(again.join("search").join(name)).expect("read");
        assert!(a == b, "search/{name} differs between two builds");
    }
    let manifest = std::fs::read_to_string(first.join("search/index.js")).expect("manifest");
    let json = manifest.trim().strip_prefix("window.PERSONABOOK_SEARCH = ").and_then(|s| s.strip_suffix(';'));
    let m: serde_json::Value = serde_json::from_str(json.expect("a manifest script")).expect("manifest JSON");
    let shards = m["shards"].as_array().expect("shards").len();
    let docs = m["docs"].as_u64().expect("docs") as usize;
    let chunk = m["chunk"].as_u64().expect("chunk") as usize;
    // 2 personas, 5 stages, 2 assets: every one searchable.
    assert_eq!(docs, 9);
    for n in 0..shards {
        assert!(names.contains(&format!("t-{n}.js")), "shard {n} is missing from {names:?}");
    }
    for n in 0..docs.div_ceil(chunk) {
        assert!(names.contains(&format!("d-{n}.js")), "chunk {n} is missing from {names:?}");
    }
    let body_word = names
        .iter()
        .filter(|n| n.starts_with("t-"))
        .any(|n| std::fs::read_to_string(first.join("search").join(n)).expect("shard").contains("\"zanzibarware\":"));
    assert!(body_word, "a word of a persona's body is indexed");
}
