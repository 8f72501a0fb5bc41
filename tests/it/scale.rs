//! The pages that must scale, in headless Chromium from disk (file://):
//! the library's pages, filters, counts, sort and URL state (Back, shared
//! links, a second filter link), the persona index filters, the compare
//! picker in the URL, and the content map's sticky header and column.

use crate::browser::Browser;
use crate::harness::Handbook;
use serde_json::{json, Value};
use std::path::PathBuf;

const PERSONAS: usize = 30;
const ASSETS: usize = 40;
const FORMATS: [&str; 3] = ["blog", "whitepaper", "video"];

/// Persona `p00`..: segment `north` (even) or `south`; `p01` retired; `p02`
/// a draft; `p03` with confidence `assumption`, the rest `researched`.
fn persona(i: usize) -> String {
    let status = match i {
        1 => "retired",
        2 => "draft",
        _ => "active",
    };
    let segment = if i.is_multiple_of(2) { "north" } else { "south" };
    let confidence = if i == 3 { "assumption" } else { "researched" };
    format!(
        "---\nname: Persona {i:02}\nrole: Role {i}\nsegment: {segment}\nstatus: {status}\nconfidence: {confidence}\n\
         reviewed: 2020-01-01\ngoals: [Goal of persona {i}]\n---\nBody {i}.\n"
    )
}

/// The persona of asset `i`: `p{i % 5}`, but no whitepaper is for `p04`.
fn persona_of(i: usize) -> usize {
    if i % 3 == 1 {
        (i % 5) % 4
    } else {
        i % 5
    }
}

/// Asset `a00`..: format by `i % 3`, for persona `persona_of(i)`, stage by `i % 2`.
fn asset(i: usize) -> String {
    let stage = if i.is_multiple_of(2) { "awareness" } else { "decision" };
    format!(
        "---\ntitle: Asset {i:02} {}\nformat: {}\npersonas: [p{:02}]\nstages: [{stage}]\npublished: 2026-01-{:02}\n---\nSummary {i}.\n",
        ["alpha", "beta", "gamma", "delta"][i % 4],
        FORMATS[i % 3],
        persona_of(i),
        1 + i % 28,
    )
}

/// How many assets match a format and a persona index (None: any).
fn expected(format: Option<usize>, persona: Option<usize>) -> usize {
    (0..ASSETS).filter(|i| format.is_none_or(|f| i % 3 == f) && persona.is_none_or(|p| persona_of(*i) == p)).count()
}

fn site() -> (Handbook, PathBuf) {
    let hb = Handbook::with_files(&[("handbook.yaml", "title: Scale\n")]);
    for i in 0..PERSONAS {
        hb.write(&format!("content/personas/p{i:02}.md"), &persona(i));
    }
    for i in 0..ASSETS {
        hb.write(&format!("content/assets/a{i:02}.md"), &asset(i));
    }
    let out = hb.root().join("out");
    let run = hb.run(&["build", "--drafts", "--output", out.to_str().expect("utf-8 path")]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    (hb, out)
}

fn url(out: &std::path::Path, page: &str) -> String {
    format!("file://{}/{page}", out.display())
}

fn text(b: &mut Browser, expr: &str) -> String {
    b.eval(expr).as_str().unwrap_or_default().to_string()
}

/// Picks `value` in the select `#id`, as a reader does.
fn choose(b: &mut Browser, id: &str, value: &str) {
    let (id, value) = (json!(id), json!(value));
    b.eval(&format!(
        "(() => {{ const s = document.getElementById({id}); s.value = {value}; s.dispatchEvent(new Event('change')); return true; }})()"
    ));
}

fn status(b: &mut Browser) -> String {
    text(b, "document.getElementById('library-status').textContent")
}

fn library_loaded(b: &mut Browser) {
    b.wait("the library data", "!!document.querySelector('#f-format option[data-label]')");
}

#[test]
fn library_pages_filters_counts_back_and_shared_links() {
    let (_hb, out) = site();
    // Without JavaScript: the first page of cards, and links to browse the rest.
    let html = std::fs::read_to_string(out.join("library/index.html")).expect("library page");
    assert_eq!(html.matches("<li class=\"library-item\">").count(), 24);
    assert!(html.contains("href=\"../formats/index.html\""));

    let mut b = Browser::launch();
    let page = url(&out, "library/index.html");
    b.open_built(&page);
    library_loaded(&mut b);
    assert_eq!(status(&mut b), "All 40 assets, 1\u{2013}24 shown.");
    assert_eq!(text(&mut b, "document.querySelector('.pager-at').textContent"), "Page 1 of 2");

    choose(&mut b, "f-format", "whitepaper");
    let whitepapers = expected(Some(1), None);
    assert_eq!(status(&mut b), format!("{whitepapers} of 40 assets."));
    assert_eq!(text(&mut b, "location.hash"), "#format=whitepaper");
    // Counts follow the other filters: p04 has no whitepaper, so it is offered as (0) and disabled.
    let counts: Value = b.eval(
        "Array.from(document.querySelectorAll('#f-persona option')).slice(1).map(o => [o.value, o.textContent, o.disabled])",
    );
    let rows = counts.as_array().expect("options");
    assert_eq!(rows.len(), 5, "{counts}");
    assert_eq!(rows[4], json!(["p04", "Persona 04 (0)", true]));
    for row in rows {
        let p: usize = row[0].as_str().and_then(|v| v[1..].parse().ok()).expect("persona id");
        let n = expected(Some(1), Some(p));
        assert_eq!(row[1].as_str().expect("text"), format!("Persona {p:02} ({n})"));
        assert_eq!(row[2], json!(n == 0), "an option with no result is disabled: {row}");
    }
    choose(&mut b, "f-persona", "p01");
    let both = expected(Some(1), Some(1));
    assert_eq!(status(&mut b), format!("{both} of 40 assets."));
    assert_eq!(text(&mut b, "location.hash"), "#persona=p01&format=whitepaper");

    // Back restores each view before, controls included.
    b.eval("history.back(); true");
    b.wait("the first filter back", "location.hash === '#format=whitepaper'");
    b.wait("the persona reset", "document.getElementById('f-persona').value === ''");
    assert_eq!(status(&mut b), format!("{whitepapers} of 40 assets."));
    b.eval("history.back(); true");
    b.wait("no filter", "location.hash === ''");
    b.wait("all assets", "document.getElementById('library-status').textContent.startsWith('All 40')");
    assert_eq!(text(&mut b, "document.getElementById('f-format').value"), "");

    // A shared link shows on a fresh load what it was copied from.
    b.open_built("about:blank");
    b.open_built(&format!("{page}#persona=p01&format=whitepaper"));
    library_loaded(&mut b);
    assert_eq!(status(&mut b), format!("{both} of 40 assets."));
    assert_eq!(text(&mut b, "document.getElementById('f-format').value"), "whitepaper");
    // A second filter link keeps no stale value.
    b.eval("location.hash = 'persona=p03'; true");
    b.wait("the second link", "document.getElementById('f-format').value === ''");
    assert_eq!(status(&mut b), format!("{} of 40 assets.", expected(None, Some(3))));

    // Pages, text and sort.
    b.eval("location.hash = ''; true");
    b.wait("all again", "document.getElementById('library-status').textContent.startsWith('All 40')");
    b.eval("document.querySelector('#library-pager a').click(); true");
    b.wait("page two", "location.hash === '#page=2'");
    assert_eq!(b.eval("document.querySelectorAll('#library-items > li').length"), json!(16));
    assert_eq!(text(&mut b, "document.querySelector('.pager-at').textContent"), "Page 2 of 2");
    b.eval("const q = document.getElementById('f-q'); q.value = 'gamma'; q.dispatchEvent(new Event('input')); true");
    assert_eq!(status(&mut b), "10 of 40 assets.");
    choose(&mut b, "f-sort", "title");
    assert_eq!(text(&mut b, "document.querySelector('#library-items .library-title').textContent"), "Asset 02 gamma");
    assert_eq!(text(&mut b, "location.hash"), "#q=gamma&sort=title");
}

#[test]
fn persona_index_filters_by_segment_status_confidence_review_and_words() {
    let (_hb, out) = site();
    let mut b = Browser::launch();
    b.open_built(&url(&out, "personas/index.html"));
    let shown = "Array.from(document.querySelectorAll('.card-cell')).filter(c => !c.hidden).length";
    assert_eq!(b.eval(shown), json!(PERSONAS));
    choose(&mut b, "pf-status", "retired");
    assert_eq!(b.eval(shown), json!(1));
    assert_eq!(text(&mut b, "document.getElementById('personas-status').textContent"), "Showing 1 of 30 personas.");
    // Counts follow: with "retired" chosen, only the south segment has one.
    assert_eq!(text(&mut b, "document.querySelector('#pf-segment option[value=north]').textContent"), "north (0)");
    assert_eq!(b.eval("document.querySelector('#pf-segment option[value=north]').disabled"), json!(true));
    b.eval("history.back(); true");
    b.wait("all personas", &format!("{shown} === {PERSONAS}"));
    choose(&mut b, "pf-confidence", "assumption");
    assert_eq!(b.eval(shown), json!(1));
    choose(&mut b, "pf-confidence", "");
    choose(&mut b, "pf-review", "overdue");
    assert_eq!(b.eval(shown), json!(PERSONAS), "every persona was last reviewed in 2020");
    b.eval("const q = document.getElementById('pf-q'); q.value = 'role 2'; q.dispatchEvent(new Event('input')); true");
    // "role" and "2" (words, AND): Role 2, 12, 20..29 -- the words appear in the card text.
    let names: Value = b.eval(
        "Array.from(document.querySelectorAll('.card-cell:not([hidden]) .persona-card-name')).map(n => n.textContent)",
    );
    let names: Vec<String> = serde_json::from_value(names).expect("names");
    assert!(names.contains(&"Persona 02".to_string()) && names.contains(&"Persona 25".to_string()), "{names:?}");
    assert!(!names.contains(&"Persona 03".to_string()), "{names:?}");
    // An empty group is hidden.
    choose(&mut b, "pf-segment", "north");
    assert_eq!(b.eval("Array.from(document.querySelectorAll('[data-group]')).filter(g => !g.hidden).length"), json!(1));
}

fn headers(b: &mut Browser) -> Vec<String> {
    let v = b.eval("Array.from(document.querySelectorAll('#compare-table thead th a')).map(a => a.textContent)");
    serde_json::from_value(v).expect("headers")
}

#[test]
fn compare_shows_four_by_default_and_the_choice_round_trips_through_the_url() {
    let (_hb, out) = site();
    let html = std::fs::read_to_string(out.join("compare/index.html")).expect("compare page");
    assert!(!html.contains("All 28"), "not every persona side by side");
    let mut b = Browser::launch();
    let page = url(&out, "compare/index.html");
    b.open_built(&page);
    // The first four active personas (p01 is retired, p02 a draft).
    assert_eq!(headers(&mut b), ["Persona 00", "Persona 03", "Persona 04", "Persona 05"]);
    choose(&mut b, "compare-2", "p20");
    b.wait("the new column", "!!document.querySelector('#compare-table th[data-col=p20]')");
    choose(&mut b, "compare-4", "");
    b.wait("three columns", "document.querySelectorAll('#compare-table thead th').length === 3");
    assert_eq!(headers(&mut b), ["Persona 00", "Persona 20", "Persona 04"]);
    assert_eq!(text(&mut b, "location.hash"), "#p=p00&p=p20&p=p04");
    let goals = text(&mut b, "document.querySelector('#compare-table tbody tr:nth-child(7)').textContent");
    assert!(goals.contains("Goal of persona 20"), "the cells follow the columns: {goals}");
    // A fresh load of the link shows the same choice.
    let shared = format!("{page}#p=p00&p=p20&p=p04");
    b.open_built("about:blank");
    b.open_built(&shared);
    b.wait("the shared choice", "!!document.querySelector('#compare-table th[data-col=p20]')");
    assert_eq!(headers(&mut b), ["Persona 00", "Persona 20", "Persona 04"]);
    assert_eq!(text(&mut b, "document.getElementById('compare-4').value"), "");
    b.eval("history.back(); true");
}

#[test]
fn the_content_map_header_and_persona_column_stick_while_scrolling() {
    let (_hb, out) = site();
    let mut b = Browser::launch();
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 700, "height": 600, "deviceScaleFactor": 1, "mobile": false}),
    );
    b.open_built(&url(&out, "content-map/index.html"));
    let scrolls = "(() => { const s = document.querySelector('.matrix-scroll'); return s.scrollHeight > s.clientHeight + 100 && s.scrollWidth > s.clientWidth; })()";
    assert_eq!(b.eval(scrolls), json!(true), "the map is larger than its box both ways");
    b.eval("const s = document.querySelector('.matrix-scroll'); s.scrollTop = 400; s.scrollLeft = 150; true");
    let r = b.eval(
        "(() => { const s = document.querySelector('.matrix-scroll').getBoundingClientRect();
           const head = document.querySelector('.matrix thead th:nth-child(3)').getBoundingClientRect();
           const row = Array.from(document.querySelectorAll('.matrix tbody tr')).find(r => r.getBoundingClientRect().top > s.top + 80);
           const th = row.querySelector('th').getBoundingClientRect();
           return [head.top - s.top, th.left - s.left, row.getBoundingClientRect().top - s.top]; })()",
    );
    let r: Vec<f64> = serde_json::from_value(r).expect("rects");
    assert!(r[0].abs() <= 1.5, "the header row stays at the top of the box: {r:?}");
    assert!(r[1].abs() <= 1.5, "the persona column stays at its left: {r:?}");
    // Sort: most gaps first, and a filter with its count.
    choose(&mut b, "map-sort", "gaps");
    let gaps: Value = b.eval("Array.from(document.querySelectorAll('.matrix tbody tr')).map(r => +r.dataset.gaps)");
    let gaps: Vec<u32> = serde_json::from_value(gaps).expect("gaps");
    assert!(gaps.windows(2).all(|w| w[0] >= w[1]), "{gaps:?}");
    choose(&mut b, "map-segment", "north");
    let status = text(&mut b, "document.getElementById('map-status').textContent");
    assert!(status.starts_with("Showing ") && status.ends_with(" personas."), "{status}");
    assert_eq!(text(&mut b, "location.hash"), "#sort=gaps&segment=north");
}
