//! Evidence (analytics exports joined into the content map): the fixture
//! `evidence/known` holds one export of each known shape, with the quirks
//! real exports have, and a generic one. Every figure asserted here was
//! summed by hand from the CSV files (the sums are written out beside each
//! number), not by the code under test. `check` problems are in `check`.

mod check;

use crate::harness::fixtures;
use crate::site::{sel, texts};
use personabook::pipeline::{self, BuildOptions, Built};
use scraper::Html;
use serde_json::Value;

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 12, 1)
}

fn build(fixture: &str) -> Built {
    let opts = BuildOptions { today: today(), ..BuildOptions::new(fixtures().join(fixture)) };
    match pipeline::build(&opts) {
        Ok(b) => b,
        Err(d) => panic!("build failed:\n{d}"),
    }
}

fn file(b: &Built, path: &str) -> String {
    crate::site::text(&b.site, path)
}

fn page(b: &Built, path: &str) -> Html {
    crate::site::html(&b.site, path)
}

/// (asset, views, sessions, conversions, revenue), summed by hand.
const TOTALS: &[(&str, f64, f64, f64, f64)] = &[
    // roi: generic Q2 1000 + 500 views, 10 + 2 conversions; GA4 pages `/blog/roi/` 1,200 + `?utm_source` 300
    // (12 + 3 key events); Search Console clicks 1,045; HubSpot `http://www.../blog/roi#top` 500 views,
    // 400 entrances, 5 contacts. Views 1500 + 1500 + 1045 + 500 = 4545; conversions 12 + 15 + 5 = 32.
    ("roi", 4545.0, 400.0, 32.0, 0.0),
    // guide: generic 600 + 100 views, 6 + 1; GA4 `/guides/setup/index.html` 800 views, 20.50 key events.
    ("guide", 1500.0, 0.0, 27.5, 0.0),
    // demo: GA4 landing 400 + 100 sessions (`/#register`), 32 + 8 key events, $1,250.00; the `Total`
    // row left out; HubSpot attribution 12 contacts, $9,000.00.
    ("demo", 0.0, 500.0, 52.0, 10250.0),
    // acme: Search Console 210 clicks; HubSpot `.../acme/` "1,000" views, 700 entrances, 30 contacts.
    ("acme", 1210.0, 700.0, 30.0, 0.0),
    // nourl: no url, no rows.
    ("nourl", 0.0, 0.0, 0.0, 0.0),
];

fn json(b: &Built, path: &str) -> Value {
    serde_json::from_str(&file(b, path)).expect("json")
}

fn evidence_of<'a>(hb: &'a Value, asset: &str) -> &'a Value {
    let list = hb["evidence"]["assets"].as_array().expect("assets");
    list.iter().find(|a| a["asset"] == asset).unwrap_or_else(|| panic!("no evidence for {asset}"))
}

#[test]
fn every_known_export_joins_its_assets_in_handbook_json() {
    let b = build("evidence/known");
    assert!(!b.diagnostics.has_errors(), "{}", b.diagnostics);
    // Written item by item, it is the model as serde writes it.
    let whole = [serde_json::to_vec(&b.handbook).unwrap(), b"\n".to_vec()].concat();
    assert!(b.site.files["handbook.json"] == whole, "handbook.json differs from the model's JSON");
    let hb = json(&b, "handbook.json");
    for &(asset, views, sessions, conversions, revenue) in TOTALS {
        let t = &evidence_of(&hb, asset)["total"];
        assert_eq!(t["views"].as_f64(), Some(views), "{asset} views");
        assert_eq!(t["sessions"].as_f64(), Some(sessions), "{asset} sessions");
        assert_eq!(t["conversions"].as_f64(), Some(conversions), "{asset} conversions");
        assert_eq!(t["revenue"].as_f64(), Some(revenue), "{asset} revenue");
    }
    let kinds: Vec<&str> =
        hb["evidence"]["sources"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["ga4-pages", "ga4-landing", "search-console-pages", "hubspot-content", "hubspot-attribution", "generic"]
    );
    // Periods: GA4's from its `# Start date` lines, the generic file's from its date column.
    let periods: Vec<&str> =
        hb["evidence"]["periods"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(periods, ["2026-04-03..2026-06-30", "2026-07-01..2026-09-30"]);
    // GA4 pages: the totals row (blank URL) and `(not set)` name no page.
    assert_eq!(hb["evidence"]["sources"][0]["skipped"], 2);
    let roi = evidence_of(&hb, "roi");
    assert_eq!(roi["periods"][0]["metrics"]["views"].as_f64(), Some(1500.0));
    assert_eq!(roi["periods"][1]["metrics"]["views"].as_f64(), Some(3045.0));
    assert_eq!(
        roi["segments"][0],
        serde_json::json!(["Mid-market", {"views": 1000.0, "sessions": 0.0, "users": 0.0, "conversions": 10.0, "revenue": 0.0}])
    );
    // Pages of no asset: GA4 `/careers` 500, Search Console `EXAMPLE.com/pricing` 90.
    let unmatched: Vec<(String, f64)> = hb["evidence"]["unmatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["key"].as_str().unwrap().to_string(), u["metrics"]["views"].as_f64().unwrap()))
        .collect();
    assert_eq!(unmatched, [("/careers".to_string(), 500.0), ("//example.com/pricing".to_string(), 90.0)]);
}

#[test]
fn asset_pages_show_figures_per_period_with_their_files() {
    let b = build("evidence/known");
    let doc = page(&b, "library/roi/index.html");
    let rows: Vec<String> = doc
        .select(&sel(".asset-metrics tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(|c| c.text().collect::<String>()).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].starts_with("2026-04-03 to 2026-06-30 1,500 0 12 0.8%"), "{}", rows[0]);
    assert!(rows[0].ends_with("data/generic.csv"), "{}", rows[0]);
    // 1,200 + 300 + 1,045 + 500 views; 12 + 3 + 5 conversions; 20 / 3045 = 0.66%.
    assert!(rows[1].starts_with("2026-07-01 to 2026-09-30 3,045 400 20 0.7%"), "{}", rows[1]);
    for f in ["data/ga4-pages-q3.csv", "data/search-console-pages.csv", "data/hubspot-content.csv"] {
        assert!(rows[1].contains(f), "{f} not named in {}", rows[1]);
    }
    let totals = texts(&doc, ".evidence-totals dd");
    assert_eq!(totals, ["4,545", "32", "0.7%"]);
    // Two periods draw a trend, labelled for screen readers.
    let label = doc.select(&sel(".trend-line")).next().and_then(|e| e.value().attr("aria-label")).unwrap();
    assert_eq!(label, "Visits per period: 1,500 in 2026-04-03 to 2026-06-30, 3,045 in 2026-07-01 to 2026-09-30");
    // One period: no trend.
    assert!(page(&b, "library/acme/index.html").select(&sel(".trend-line")).next().is_none());
    let none = texts(&page(&b, "library/nourl/index.html"), ".asset-metrics .empty");
    assert_eq!(none, ["No analytics export has a row for this asset: it has no url to join on. See Insights."]);
}

/// The heat map cell of a persona (row) at a stage (column, 0-based).
fn cell<'a>(doc: &'a Html, persona: &str, stage: usize) -> scraper::ElementRef<'a> {
    let row = doc
        .select(&sel(".matrix tbody tr"))
        .find(|tr| tr.select(&sel("th")).next().is_some_and(|th| th.text().collect::<String>().contains(persona)))
        .unwrap_or_else(|| panic!("no row for {persona}"));
    row.select(&sel("td")).nth(stage).expect("cell")
}

#[test]
fn heat_map_cells_carry_their_assets_sums() {
    let b = build("evidence/known");
    let doc = page(&b, "content-map/index.html");
    // One row per persona, one cell per stage (plus coverage): the table keeps its shape.
    for tr in doc.select(&sel(".matrix tbody tr")) {
        assert_eq!(tr.select(&sel("td")).count(), 5 + 1);
    }
    // Ana at awareness: roi (4,545 views, 32) and nourl (nothing).
    let c = cell(&doc, "Ana Silva", 0);
    assert_eq!(c.value().attr("data-views"), Some("4,545"));
    assert_eq!(c.value().attr("data-conversions"), Some("32"));
    assert_eq!(c.value().attr("data-count"), Some("2"));
    assert_eq!(c.value().attr("data-rate"), Some("0.7%"));
    // Without JavaScript the cell shows the count.
    assert_eq!(c.text().collect::<String>(), "2");
    // Ben at decision: demo, 500 sessions and no views: the rate is per session, 52 / 500.
    let d = cell(&doc, "Ben Okoro", 2);
    assert_eq!((d.value().attr("data-views"), d.value().attr("data-rate")), (Some("0"), Some("10.4%")));
    assert_eq!(d.value().attr("data-conversions-level"), Some("4"));
    // A gap stays a gap.
    assert!(cell(&doc, "Ben Okoro", 0).value().classes().any(|c| c == "is-gap"));
    // The switch is hidden until the script shows it, and offers the four measures.
    let switch = doc.select(&sel(".heat-switch")).next().unwrap();
    assert!(switch.value().attr("hidden").is_some());
    let values: Vec<&str> = doc.select(&sel(".heat-switch input")).filter_map(|i| i.value().attr("value")).collect();
    assert_eq!(values, ["count", "views", "conversions", "rate"]);
    assert!(file(&b, "content-map/index.html").contains("static/evidence.js"));
    assert!(b.site.files.contains_key("static/evidence.js") && b.site.files.contains_key("static/evidence.css"));
    // content-map.csv: the asset's joined figures on each row.
    let csv = file(&b, "content-map.csv");
    assert!(csv.starts_with("persona,stage,asset,views,sessions,users,conversions,revenue,conversion_rate\r\n"));
    assert!(csv.contains("\r\nben,decision,demo,0,500,440,52,10250,0.104000\r\n"), "{csv}");
    assert!(csv.contains("\r\nana,awareness,nourl,0,0,0,0,0,\r\n"), "{csv}");
}

#[test]
fn personalization_ranks_declared_content_by_smoothed_rate() {
    let b = build("evidence/known");
    let p = json(&b, "personalization.json");
    assert_eq!(p["schema"], "personabook-personalization/1");
    let ana = p["personas"].as_array().unwrap().iter().find(|x| x["id"] == "ana").unwrap();
    let awareness = &ana["stages"][0];
    assert_eq!(awareness["stage"], "awareness");
    let ids: Vec<&str> =
        awareness["content"].as_array().unwrap().iter().map(|c| c["asset"].as_str().unwrap()).collect();
    // Declared for Ana at awareness: roi (rows) first, nourl (no rows) after.
    assert_eq!(ids, ["roi", "nourl"]);
    // All joined traffic: views 4545 + 1500 + 0 + 1210 = 7255, conversions 32 + 27.5 + 52 + 30 = 141.5.
    let prior = 141.5 / 7255.0;
    let want = (32.0 + prior * 100.0) / (4545.0 + 100.0);
    let score = awareness["content"][0]["score"].as_f64().unwrap();
    assert!((score - want).abs() < 1e-6, "{score} != {want}");
    assert_eq!(awareness["content"][0]["url"], "https://www.Example.com/blog/roi/");
    assert_eq!(awareness["content"][0]["format"], "blog");
    assert!(awareness["content"][1]["score"].is_null());
    assert_eq!(awareness["content"][1]["why"], "declared for this persona and stage; no analytics rows yet");
    // Ben at consideration: only acme is declared there.
    let ben = p["personas"].as_array().unwrap().iter().find(|x| x["id"] == "ben").unwrap();
    assert_eq!(ben["stages"][1]["content"][0]["asset"], "acme");
    assert_eq!(ben["stages"][1]["content"].as_array().unwrap().len(), 1);
}

#[test]
fn insights_page_shows_what_works_and_what_is_missing() {
    let b = build("evidence/known");
    let doc = page(&b, "insights/index.html");
    // demo is published 2023-01-01 (over 365 days before 2026-12-01) and its 500 visits are the
    // bottom quartile of the four assets with rows (500, 1210, 1500, 4545).
    let stale = texts(&doc, "#stale ~ ul li");
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert!(stale[0].starts_with("Demo webinar 1430 days old; 500 visits, in the bottom quarter"), "{}", stale[0]);
    let pages = texts(&doc, "#no-asset ~ div tbody th");
    assert_eq!(pages, ["/careers", "example.com/pricing"]);
    assert_eq!(texts(&doc, "#no-rows ~ ul li"), ["Internal one-pager"]);
    // guide declares Ana (mid-market) but all its segmented visits are Enterprise: Ben's segment.
    let audience = texts(&doc, "#audience ~ ul li");
    assert_eq!(audience, ["Setup guide 100% of visits from Enterprise; declares Ana Silva"]);
    // Formats by conversion rate: webinar 52 / 500 sessions, case-study 30 / 1210, ebook 27.5 / 1500, blog 32 / 4545.
    let formats: Vec<String> = texts(&doc, "#formats ~ div table tbody th");
    assert_eq!(formats, ["webinar", "case-study", "ebook", "blog"]);
    let best = texts(&doc, "#best ~ ol li");
    assert!(best[0].starts_with("Demo webinar 10.4%"), "{best:?}");
    // The navigation links to the page from every page.
    let nav = texts(&page(&b, "index.html"), ".main-nav a");
    assert!(nav.contains(&"Insights".to_string()), "{nav:?}");
}

#[test]
fn what_works_per_persona_on_profile_and_journey() {
    let b = build("evidence/known");
    for path in ["personas/ana/index.html", "journeys/ana/index.html"] {
        let doc = page(&b, path);
        let stages = texts(&doc, ".works-stage h3");
        assert_eq!(stages, ["Awareness", "Consideration", "Decision", "Retention", "Advocacy"], "{path}");
        let awareness = doc.select(&sel(".works-stage")).next().unwrap();
        let best: Vec<String> =
            awareness.select(&sel(".works-list li a")).map(|a| a.text().collect::<String>()).collect();
        assert_eq!(best, ["The ROI of marketing ops", "The ROI of marketing ops"], "{path}");
        // The journey asks for blog and video at awareness; only blog converts.
        let missing = awareness.select(&sel(".works-missing")).next().unwrap().text().collect::<String>();
        assert!(missing.ends_with("video"), "{missing}");
    }
}

#[test]
fn a_handbook_without_analytics_gets_none_of_it() {
    let b = build("site/basic");
    for absent in ["insights/index.html", "personalization.json", "static/evidence.css", "static/evidence.js"] {
        assert!(!b.site.files.contains_key(absent), "{absent} written without analytics");
    }
    let home = file(&b, "index.html");
    assert!(!home.contains("Insights") && !home.contains("evidence"), "evidence on a site without analytics");
    assert!(!file(&b, "handbook.json").contains("\"evidence\""));
    assert!(file(&b, "content-map.csv").starts_with("persona,stage,asset\r\n"));
}

mod url_keys {
    use personabook::analytics::url::normalise;
    use proptest::prelude::*;

    fn segment() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9._~%-]{1,8}"
    }

    proptest! {
        /// A key written out and read again is the same key.
        #[test]
        fn normalising_is_idempotent(raw in "\\PC{0,40}") {
            if let Some(k) = normalise(&raw) {
                let again = normalise(&k.to_string());
                prop_assert_eq!(again, Some(k));
            }
        }

        /// The variants of one page (scheme, www., host case, port, query, fragment,
        /// trailing slash, index.html) are one key.
        #[test]
        fn variants_of_a_page_are_one_key(
            host in "[a-z]{1,8}\\.(com|org|io)",
            segs in prop::collection::vec(segment(), 1..4),
            query in "[a-z=&0-9]{0,10}",
        ) {
            let path = segs.join("/");
            let base = normalise(&format!("https://{host}/{path}"));
            let upper = host.to_uppercase();
            for v in [
                format!("http://www.{host}/{path}/"),
                format!("https://{upper}:443/{path}?{query}"),
                format!("//{host}/{path}/index.html#x"),
                format!("{host}/{path}"),
            ] {
                prop_assert_eq!(normalise(&v), base.clone(), "{}", v);
            }
        }
    }
}

/// The preview re-resolves when an export under `data/` changes: the
/// asset's figures follow the edited file.
#[test]
fn the_preview_picks_up_an_edited_export() {
    use personabook::pipeline::{Change, ChangeKind, Incremental};
    let hb = crate::harness::Handbook::fixture("evidence/known");
    let mut inc = Incremental::new(BuildOptions { today: today(), ..BuildOptions::new(hb.root()) });
    let first = inc.build().expect("first build");
    let views = |site: &personabook::render::Site| {
        let doc = Html::parse_document(&String::from_utf8_lossy(&site.files["library/acme/index.html"]));
        texts(&doc, ".evidence-totals dd").first().cloned().unwrap_or_default()
    };
    // Search Console 210 clicks + HubSpot 1,000 views.
    assert_eq!(views(&first.site), "1,210");
    hb.write(
        "data/hubspot-content.csv",
        "Page title,URL,Page views,Entrances,New contacts,Bounce rate\nAcme,https://example.com/customers/acme/,\"2,000\",700,30,40%\n",
    );
    let change = Change { path: "data/hubspot-content.csv".into(), kind: ChangeKind::Modified };
    assert!(personabook::layout::classify(&change.path).is_some_and(|i| i.reaches_model()));
    let _ = inc.preview(std::slice::from_ref(&change));
    let second = inc.rebuild(&[change]).expect("rebuild");
    assert_eq!(views(&second.site), "2,210");
}

/// In a real browser, from disk (file://, no server): the heat map's
/// switch shows, and choosing "Views" puts each cell's views in it and
/// colours it by them. The page's own script does it; a test script (a
/// file, as the Content-Security-Policy wants) only clicks the radio.
#[test]
fn the_heat_map_switch_works_from_disk() {
    let exe = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|n| std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(n)).find(|p| p.is_file()))
        .or_else(|| std::env::var_os("PERSONABOOK_CHROMIUM").map(std::path::PathBuf::from))
        .expect("chromium is not installed: `apt-get install -y chromium` (CI does) or set PERSONABOOK_CHROMIUM");
    let hb = crate::harness::Handbook::fixture("evidence/known");
    let out = hb.root().join("site");
    assert_eq!(hb.run(&["build", "--output", out.to_str().unwrap()]).code(), 0);
    std::fs::write(out.join("static/test-click.js"), "document.querySelector('input[value=\"views\"]').click();\n")
        .unwrap();
    let page = out.join("content-map/index.html");
    let html = std::fs::read_to_string(&page).unwrap().replace(
        "<script src=\"../static/app.js\"></script>",
        "<script src=\"../static/app.js\"></script><script src=\"../static/test-click.js\"></script>",
    );
    std::fs::write(&page, html).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let dom = std::process::Command::new(exe)
        .args(crate::browser::HEADLESS)
        .args(["--virtual-time-budget=3000", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    let doc = Html::parse_document(&String::from_utf8_lossy(&dom.stdout));
    assert!(doc.select(&sel(".heat-switch")).next().is_some_and(|s| s.value().attr("hidden").is_none()));
    let c = cell(&doc, "Ana Silva", 0);
    assert_eq!(c.text().collect::<String>(), "4,545");
    let level = c.value().attr("data-views-level").unwrap();
    assert!(c.value().classes().any(|k| k == format!("heat-{level}")), "{:?}", c.value().attr("class"));
    assert_eq!(
        c.select(&sel("a")).next().and_then(|a| a.value().attr("aria-label")),
        Some("4,545 views for Ana Silva at Awareness")
    );
    assert_eq!(texts(&doc, "[data-heat-max]"), ["4,545"]);
}
