//! On a phone (390 px, headless Chromium in mobile emulation): no page is
//! wider than the screen, no word is split across lines, tab order follows
//! the screen, the header menu folds and opens with a tap (with or without
//! JavaScript), the journey map is one card per stage, and the reviews keep
//! their dates whole and their status in view. On the example handbook and
//! on a fixture of long words and ids (`tests/fixtures/phone/long-words`).

use crate::browser::Browser;
use crate::harness::{fixtures, repo_root, run_in};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const PHONE: u32 = 390;
const WIDE: u32 = 1366;

/// A site built into a temporary folder (`out`), removed with it.
pub(crate) struct Built {
    _dir: tempfile::TempDir,
    pub out: PathBuf,
}

/// Builds the handbook at `root` into a fresh temporary folder.
pub(crate) fn build(root: &Path) -> Built {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let built = run_in(root, &["build", "--output", &out.display().to_string()]);
    assert_eq!(built.code(), 0, "{}", built.stderr());
    Built { _dir: dir, out }
}

/// The repository's example handbook, built.
pub(crate) fn built_example() -> Built {
    build(&repo_root())
}

/// Every HTML page of a built site, `/`-separated and sorted.
pub(crate) fn html_pages(out: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.expect("walk the site"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| crate::harness::rel(out, e.path()))
        .collect();
    pages.sort();
    pages
}

/// Opens `page` of the site in `out` from disk, as a reader may.
pub(crate) fn open_file(b: &mut Browser, out: &Path, page: &str) {
    b.call("Page.navigate", json!({"url": format!("file://{}/{page}", out.display())}));
    b.wait("the page to load", &format!("location.href.endsWith('{page}') && document.readyState === 'complete'"));
}

/// A screen `width` px wide: a phone (mobile, the page's viewport meta
/// applies) or a laptop.
fn screen(b: &mut Browser, width: u32) {
    let mobile = width < 800;
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": width, "height": if mobile { 844 } else { 900 }, "deviceScaleFactor": 1, "mobile": mobile}),
    );
}

/// What is wrong with every page of the site at `out` on a phone.
fn phone_problems(b: &mut Browser, out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for page in html_pages(out) {
        open_file(b, out, &page);
        let seen = b.eval(include_str!("phone.js"));
        let (scroll, inner) = (&seen["scrollWidth"], &seen["innerWidth"]);
        if scroll.as_u64() > Some(u64::from(PHONE)) || inner != &json!(PHONE) {
            problems.push(format!("{page}: {scroll} px wide on a {PHONE} px screen (viewport {inner})"));
        }
        for (what, key) in [("words split", "broken"), ("tab order against the screen", "order")] {
            if seen[key].as_array().is_some_and(|a| !a.is_empty()) {
                problems.push(format!("{page}: {what}: {}", seen[key]));
            }
        }
    }
    problems
}

#[test]
fn no_page_is_wider_than_a_phone_splits_a_word_or_tabs_against_the_screen() {
    let example = built_example();
    let long_words = build(&fixtures().join("phone/long-words"));
    let mut b = Browser::launch();
    screen(&mut b, PHONE);
    let mut problems = phone_problems(&mut b, &example.out);
    problems.extend(phone_problems(&mut b, &long_words.out));
    assert!(problems.is_empty(), "on a {PHONE} px phone:\n{}", problems.join("\n"));
    // Every page kind was there to look at.
    let pages = html_pages(&long_words.out);
    for kind in [
        "index.html",
        "personas/index.html",
        "personas/kurt/index.html",
        "journeys/kurt/index.html",
        "compare/index.html",
        "content-map/index.html",
        "library/index.html",
        "library/unzugeordnet/index.html",
        "stages/kundenbindungsmassnahmen/index.html",
        "tags/index.html",
        "tags/marketingoperationsexzellenz/index.html",
        "guides/handbuch-fuer-neue-mitarbeiterinnen/index.html",
        "reviews/index.html",
        "search/index.html",
        "404.html",
    ] {
        assert!(pages.iter().any(|p| p == kind), "no {kind} in {pages:?}");
    }
}

fn visible(b: &mut Browser, selector: &str) -> Value {
    b.eval(&format!(
        "(() => {{ const all = [...document.querySelectorAll(\"{selector}\")]; \
         return all.length > 0 && all.every(e => e.checkVisibility()); }})()"
    ))
}

/// Taps the middle of the element `selector`, as a finger would.
fn tap(b: &mut Browser, selector: &str) {
    let at = b.eval(&format!(
        "(() => {{ const r = document.querySelector(\"{selector}\").getBoundingClientRect(); \
         return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
    ));
    let (x, y) = (at[0].as_f64().expect("x"), at[1].as_f64().expect("y"));
    for kind in ["mousePressed", "mouseReleased"] {
        b.call("Input.dispatchMouseEvent", json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}));
    }
}

#[test]
fn the_menu_folds_on_a_phone_and_opens_with_a_tap_with_or_without_javascript() {
    let site = built_example();
    let mut b = Browser::launch();
    screen(&mut b, PHONE);
    for scripts in [true, false] {
        b.call("Emulation.setScriptExecutionDisabled", json!({"value": !scripts}));
        open_file(&mut b, &site.out, "personas/index.html");
        assert_eq!(visible(&mut b, ".menu-button"), json!(true), "the menu button shows (scripts: {scripts})");
        assert_eq!(b.eval("document.querySelector('.main-nav a').checkVisibility()"), json!(false), "folded");
        let header = b.eval("document.querySelector('.site-header').getBoundingClientRect().height");
        assert!(header.as_f64() < Some(130.0), "the folded header takes {header} px");
        tap(&mut b, ".menu-button");
        b.wait("the menu to open", "document.querySelector('.menu').open");
        assert_eq!(visible(&mut b, ".main-nav a"), json!(true), "every menu link shows (scripts: {scripts})");
        // Each link is really there to be tapped, not under something else.
        let on_top = b.eval(
            "[...document.querySelectorAll('.main-nav a')].every(a => { const r = a.getBoundingClientRect(); \
             return a.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); })",
        );
        assert_eq!(on_top, json!(true), "a menu link is covered (scripts: {scripts})");
        // It drops down right below the button, over the header's search box,
        // so the links come next on screen as they do in tab order.
        let next = b.eval(
            "(() => { const s = document.querySelector('.menu-button').getBoundingClientRect(); \
             const a = document.querySelector('.main-nav a').getBoundingClientRect(); \
             const q = document.querySelector('#site-search-q').getBoundingClientRect(); \
             const over = document.elementFromPoint(q.left + q.width / 2, q.top + q.height / 2); \
             return a.top >= s.bottom - 1 && !!over.closest('.main-nav'); })()",
        );
        assert_eq!(next, json!(true), "the open menu comes right below its button (scripts: {scripts})");
        tap(&mut b, ".main-nav a");
        b.wait(
            "the personas page",
            "location.href.endsWith('personas/index.html') && document.readyState === 'complete'",
        );
    }
    b.call("Emulation.setScriptExecutionDisabled", json!({"value": false}));

    // On a wide screen the links show and there is no button, though the
    // <details> is closed: CSS alone opens it.
    screen(&mut b, WIDE);
    open_file(&mut b, &site.out, "index.html");
    assert_eq!(b.eval("document.querySelector('.menu').open"), json!(false));
    assert_eq!(visible(&mut b, ".main-nav a"), json!(true), "the menu shows on a wide screen");
    assert_eq!(visible(&mut b, ".menu-button"), json!(false), "no menu button on a wide screen");
}

#[test]
fn the_journey_map_is_one_card_per_stage_on_a_phone_with_every_row_and_the_emotion() {
    let site = built_example();
    let mut b = Browser::launch();
    screen(&mut b, PHONE);
    open_file(&mut b, &site.out, "journeys/priya-raman/index.html");
    assert_eq!(visible(&mut b, ".journey-scroll"), json!(false), "the table is replaced");
    assert_eq!(visible(&mut b, ".journey-card"), json!(true), "the cards show");
    // What the table says for each stage, and what its card says.
    let from_table = b.eval(
        "(() => { const t = document.querySelector('table.journey'); \
         const stages = [...t.querySelectorAll('thead th')].map(th => th.textContent.trim()); \
         const rows = [...t.querySelectorAll('tbody tr:not(.journey-curve-row)')]; \
         const points = [...t.querySelectorAll('.point-label')].map(p => p.textContent.trim()); \
         return stages.map((s, i) => [s, rows.filter(r => r.children[i + 1].textContent.trim()) \
           .map(r => r.querySelector('th').textContent.trim())]).concat([points]); })()",
    );
    let from_cards = b.eval(
        "(() => { const cards = [...document.querySelectorAll('.journey-card')]; \
         const emotions = cards.flatMap(c => [...c.querySelectorAll('.journey-card-emotion strong')].map(e => e.textContent.trim())); \
         return cards.map(c => [c.querySelector('.journey-card-title').textContent.trim(), \
           [...c.querySelectorAll('dt')].map(d => d.textContent.trim())]).concat([emotions]); })()",
    );
    assert_eq!(from_cards, from_table, "the cards say what the table says");
    assert!(from_table.as_array().is_some_and(|a| a.len() == 6), "5 stages and their emotions: {from_table}");

    screen(&mut b, WIDE);
    open_file(&mut b, &site.out, "journeys/priya-raman/index.html");
    assert_eq!(visible(&mut b, ".journey-scroll"), json!(true), "the table on a wide screen");
    assert_eq!(visible(&mut b, ".journey-cards"), json!(false), "no cards on a wide screen");
}

#[test]
fn on_a_phone_the_reviews_keep_dates_whole_and_status_in_view_and_search_tabs_in_place() {
    let site = built_example();
    let mut b = Browser::launch();
    screen(&mut b, PHONE);
    open_file(&mut b, &site.out, "reviews/index.html");
    let dates = b.eval(
        "[...document.querySelectorAll('.reviews time')].filter(t => t.getClientRects().length !== 1).map(t => t.textContent)",
    );
    assert_eq!(dates, json!([]), "dates split across lines");
    let status = b.eval(
        "[...document.querySelectorAll('.reviews td[data-label=Status] .badge')].map(e => { \
         const r = e.getBoundingClientRect(); return e.checkVisibility() && r.left >= 0 && r.right <= innerWidth; })",
    );
    let shown = status.as_array().expect("badges");
    assert!(!shown.is_empty() && shown.iter().all(|v| v == &json!(true)), "status on screen: {status}");

    // The search box of the search page is the first stop after the header,
    // and it is right below it (the header's own search box is not shown there).
    open_file(&mut b, &site.out, "search/index.html");
    let stops = b.eval(
        "[...document.querySelectorAll('a[href], input, summary, button')].filter(e => e.checkVisibility() && \
         !e.closest('footer') && !e.classList.contains('skip-link')).map(e => e.id || e.className || e.tagName)",
    );
    assert_eq!(stops, json!(["brand", "menu-button", "search-q"]), "tab stops of the search page");
}
