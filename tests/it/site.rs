//! The rendered site: every page of the spec, links that work from disk and
//! at any sub-path, escaping, journey maps, the content map and exports.
//! Builds fixtures through the library and parses the HTML with scraper.

use crate::harness::{fixtures, Handbook};
use personabook::pipeline::{self, BuildOptions, Built};
use personabook::render::Site;
use scraper::{Html, Selector};
use std::collections::{BTreeSet, HashMap};

/// The date reviews are measured against in these tests.
fn today() -> jiff::civil::Date {
    jiff::civil::date(2025, 6, 1)
}

fn build_at(root: &std::path::Path, drafts: bool) -> Built {
    let opts = BuildOptions { drafts, today: today(), ..BuildOptions::new(root) };
    match pipeline::build(&opts) {
        Ok(b) => b,
        Err(d) => panic!("build failed:\n{d}"),
    }
}

fn build(fixture: &str, drafts: bool) -> Built {
    build_at(&fixtures().join(fixture), drafts)
}

pub(crate) fn text(site: &Site, path: &str) -> String {
    let bytes = site
        .files
        .get(path)
        .unwrap_or_else(|| panic!("{path} missing; have {:?}", site.files.keys().take(80).collect::<Vec<_>>()));
    String::from_utf8(bytes.clone()).expect("utf-8")
}

pub(crate) fn html(site: &Site, path: &str) -> Html {
    Html::parse_document(&text(site, path))
}

pub(crate) fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

pub(crate) fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn every_page_of_the_spec_exists() {
    let b = build("site/basic", false);
    let files = &b.site.files;
    for path in [
        "index.html",
        "personas/index.html",
        "personas/maria-lopez/index.html",
        "personas/emea/jonas-becker/index.html",
        "personas/old-timer/index.html",
        "journeys/maria-lopez/index.html",
        "journeys/emea/jonas-becker/index.html",
        "library/index.html",
        "library/roi-guide/index.html",
        "library/brand-video/index.html",
        "content-map/index.html",
        "compare/index.html",
        "reviews/index.html",
        "segments/index.html",
        "segments/mid-market/index.html",
        "tags/index.html",
        "tags/high-value/index.html",
        "tags/data-driven/index.html",
        "formats/index.html",
        "formats/whitepaper/index.html",
        "stages/index.html",
        "stages/discover/index.html",
        "stages/grow/index.html",
        "topics/index.html",
        "topics/roi/index.html",
        "guides/using-this-handbook/index.html",
        "research/interview-notes/index.html",
        "content-map-notes/index.html",
        "search/index.html",
        "search/index.js",
        "404.html",
        "sitemap.xml",
        "handbook.json",
        "content-map.csv",
        "static/style.css",
        "static/app.js",
        "images/maria.svg",
    ] {
        assert!(files.contains_key(path), "{path} is missing");
    }
}

/// Every href/src of a page, with the element it sits on.
fn links_of(doc: &Html) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (selector, attr) in [
        ("a[href]", "href"),
        ("link[href]", "href"),
        ("script[src]", "src"),
        ("img[src]", "src"),
        ("form[action]", "action"),
    ] {
        for e in doc.select(&sel(selector)) {
            let is_canonical = e.value().attr("rel") == Some("canonical");
            if let Some(v) = e.value().attr(attr) {
                if !is_canonical {
                    out.push((selector.to_string(), v.to_string()));
                }
            }
        }
    }
    out
}

/// Resolves a relative href against the page's output path.
fn resolve(page: &str, href: &str) -> (String, Option<String>) {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() {
        return (page.to_string(), fragment);
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "{href} on {page} climbs out of the site");
            }
            s => parts.push(s),
        }
    }
    (personabook::render::url::decode(&parts.join("/")), fragment)
}

fn ids_of(doc: &Html) -> BTreeSet<String> {
    doc.select(&sel("[id]")).filter_map(|e| e.value().attr("id").map(str::to_string)).collect()
}

/// Follows every internal link of the site: each must be relative, name a
/// file that exists (so it works from disk), and its #fragment must exist.
fn crawl(site: &Site, base_url: &str) -> usize {
    let pages: Vec<&String> = site.files.keys().filter(|p| p.ends_with(".html")).collect();
    let docs: HashMap<&str, Html> = pages.iter().map(|p| (p.as_str(), html(site, p))).collect();
    let mut checked = 0;
    for (page, doc) in &docs {
        for (what, href) in links_of(doc) {
            if href.starts_with("https://example.com") || href.starts_with("mailto:") {
                continue;
            }
            assert!(!href.starts_with('/'), "absolute internal link {what}={href} on {page}");
            assert!(!href.starts_with(base_url), "absolute link to the site {what}={href} on {page}");
            assert!(!href.contains("://"), "unexpected external link {what}={href} on {page}");
            let (target, fragment) = resolve(page, &href);
            assert!(site.files.contains_key(&target), "broken link {what}={href} on {page} (-> {target})");
            assert!(!href.ends_with('/'), "folder link {href} on {page} does not work from disk");
            if let (Some(f), Some(target_doc)) = (fragment, docs.get(target.as_str())) {
                if !f.is_empty() {
                    let f = personabook::render::url::decode(&f);
                    assert!(ids_of(target_doc).contains(&f), "link {href} on {page}: no id \"{f}\" in {target}");
                }
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn no_broken_or_absolute_internal_links() {
    let b = build("site/basic", false);
    let checked = crawl(&b.site, "https://handbook.example.com/");
    assert!(checked > 500, "only {checked} links checked");
    let b = build("site/basic", true);
    crawl(&b.site, "https://handbook.example.com/");
}

#[test]
fn ids_with_spaces_and_accents_link_to_their_files() {
    let b = build("site/basic", false);
    assert!(b.site.files.contains_key("personas/emea/émile zola/index.html"));
    assert!(b.site.files.contains_key("tags/littérature/index.html"));
    let doc = html(&b.site, "research/interview-notes/index.html");
    let a = doc.select(&sel(".prose a")).find(|a| a.text().collect::<String>() == "Émile Zola").expect("link");
    assert_eq!(a.value().attr("href"), Some("../../personas/emea/%C3%A9mile%20zola/index.html"));
}

#[test]
fn an_empty_handbook_builds_a_working_site() {
    let hb = Handbook::with_files(&[]);
    let b = build_at(hb.root(), false);
    for path in
        ["index.html", "personas/index.html", "library/index.html", "content-map/index.html", "compare/index.html"]
    {
        assert!(b.site.files.contains_key(path), "{path} missing");
    }
    crawl(&b.site, "https://handbook.example.com/");
    let home = html(&b.site, "index.html");
    assert!(texts(&home, ".empty").iter().any(|t| t.contains("No personas yet")));
}

#[test]
fn no_wiki_link_survives_and_links_are_rewritten() {
    let b = build("site/basic", false);
    for (path, bytes) in &b.site.files {
        if path.ends_with(".html") {
            let s = String::from_utf8_lossy(bytes);
            assert!(!s.contains("[["), "{path} still has a [[wiki link");
        }
    }
    let doc = html(&b.site, "library/roi-guide/index.html");
    let links: Vec<(String, String)> = doc
        .select(&sel(".prose a"))
        .map(|a| (a.text().collect(), a.value().attr("href").unwrap_or_default().to_string()))
        .collect();
    assert!(links.contains(&("Maria Lopez".into(), "../../personas/maria-lopez/index.html".into())), "{links:?}");
    assert!(links.contains(&("Jonas".into(), "../../personas/emea/jonas-becker/index.html".into())), "{links:?}");
    assert!(
        links.contains(&("Maria's goals".into(), "../../personas/maria-lopez/index.html#goals".into())),
        "{links:?}"
    );
    assert!(links.contains(&("usage guide".into(), "../../guides/using-this-handbook/index.html".into())), "{links:?}");
    let img = doc.select(&sel(".prose img")).next().expect("image");
    assert_eq!(img.value().attr("src"), Some("../../images/chart.svg"));

    // A link to a draft left out of the build is plain text.
    let guide = html(&b.site, "guides/using-this-handbook/index.html");
    let body = texts(&guide, ".prose").join(" ");
    assert!(body.contains("A draft, draft-person, stays plain text"), "{body}");
    assert!(!guide.select(&sel(".prose a")).any(|a| a.text().collect::<String>() == "draft-person"));
}

#[test]
fn markdown_features_and_heading_ids() {
    let b = build("site/basic", false);
    let doc = html(&b.site, "guides/using-this-handbook/index.html");
    let ids = ids_of(&doc);
    assert!(ids.contains("working-with-personas") && ids.contains("working-with-personas-1"), "{ids:?}");
    assert_eq!(doc.select(&sel(".prose table")).count(), 1);
    assert_eq!(doc.select(&sel(".prose input[type=checkbox]")).count(), 2);
    assert_eq!(texts(&doc, ".prose del"), vec!["old"]);
    assert!(doc.select(&sel(".prose .footnote-definition")).count() == 1);
    // Guide navigation: weight, then title.
    assert_eq!(texts(&doc, ".guide-nav a"), vec!["Interview notes", "Using this handbook", "Content map notes"]);
    // The title taken from the first heading is not repeated in the body.
    let notes = html(&b.site, "research/interview-notes/index.html");
    assert_eq!(texts(&notes, "h1"), vec!["Interview notes"]);
}

#[test]
fn front_matter_is_escaped() {
    let b = build("site/basic", false);
    let doc = html(&b.site, "personas/xss/index.html");
    assert_eq!(texts(&doc, "h1"), vec!["<script>alert(1)</script>"]);
    assert_eq!(texts(&doc, ".profile-role"), vec!["\"Quoted\" & <b>bold</b>"]);
    assert!(texts(&doc, ".quote blockquote").concat().contains("</blockquote><script>alert(4)</script>"));
    for (path, bytes) in &b.site.files {
        let s = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            for bad in [
                "<script>alert",
                "<img src=x",
                "<svg onload",
                "<b>bold",
                "<a href=javascript",
                "<i>seg",
                "=\"javascript:",
            ] {
                assert!(!s.contains(bad), "{path} contains unescaped {bad}");
            }
        }
    }
    // The segment and tag pages exist and show the value as text.
    let seg = html(&b.site, "segments/i-seg-i/index.html");
    assert!(texts(&seg, "h1").concat().contains("<i>seg</i>"));
}

#[test]
fn unsafe_html_false_escapes_raw_html() {
    let hb = Handbook::fixture("site/basic");
    let b = build_at(hb.root(), false);
    let doc = html(&b.site, "library/roi-guide/index.html");
    assert_eq!(doc.select(&sel(".prose div.raw")).count(), 1, "raw HTML kept by default");

    let yaml = std::fs::read_to_string(hb.root().join("handbook.yaml")).expect("read");
    hb.write("handbook.yaml", &format!("{yaml}markdown:\n  unsafe_html: false\n"));
    let b = build_at(hb.root(), false);
    let doc = html(&b.site, "library/roi-guide/index.html");
    assert_eq!(doc.select(&sel(".prose div.raw")).count(), 0);
    assert!(texts(&doc, ".prose").concat().contains("<div class=\"raw\">raw block</div>"));
}

#[test]
fn journey_map_has_stages_in_order_and_an_svg_curve() {
    let b = build("site/basic", false);
    let doc = html(&b.site, "journeys/maria-lopez/index.html");
    assert_eq!(texts(&doc, "table.journey thead th"), vec!["Discover", "Evaluate", "Buy", "Grow"]);
    let rows = texts(&doc, "table.journey tbody th");
    for row in [
        "Goal",
        "Questions",
        "Touchpoints",
        "Emotion",
        "Pain points",
        "Opportunities",
        "Information needs",
        "Formats",
        "Our content",
    ] {
        assert!(rows.iter().any(|r| r.starts_with(row)), "row {row} missing: {rows:?}");
    }
    let svg = doc.select(&sel("table.journey svg.emotion-curve")).next().expect("svg curve");
    assert!(svg.value().attr("role") == Some("img"));
    let path = doc.select(&sel("svg.emotion-curve path.curve")).next().expect("curve path");
    let d = path.value().attr("d").expect("d");
    // Discover -1, Evaluate +1, Buy (none: the line breaks), Grow +2.
    assert_eq!(d.matches('M').count(), 2, "{d}");
    let labels = texts(&doc, "svg.emotion-curve .point-label");
    assert_eq!(labels, vec!["Uneasy (−1)", "Pleased (+1)", "Delighted (+2)"]);
    // The link in a journey entry is rewritten.
    let opp = doc
        .select(&sel("table.journey a"))
        .find(|a| a.text().collect::<String>() == "ROI guide")
        .expect("journey link");
    assert_eq!(opp.value().attr("href"), Some("../../library/roi-guide/index.html"));
    // Mapped assets per stage, gaps marked.
    let content_row =
        doc.select(&sel("tr.journey-assets td")).map(|td| td.text().collect::<String>()).collect::<Vec<_>>();
    assert_eq!(content_row.len(), 4);
    assert!(content_row[0].contains("Reporting webinar series"));
    assert!(content_row[1].contains("The ROI of Marketing Ops"));
    assert!(content_row[3].contains("Gap"), "{content_row:?}");
    // Printed on landscape sheets: a named page in the stylesheet (no inline <style>).
    assert_eq!(doc.select(&sel("body.page-journey")).count(), 1);
    assert!(text(&b.site, "static/style.css").contains("@page journey { size: landscape;"));
}

#[test]
fn content_map_cells_gaps_and_unmapped() {
    let b = build("site/basic", false);
    let doc = html(&b.site, "content-map/index.html");
    let rows: Vec<Vec<String>> = doc
        .select(&sel("table.matrix tbody tr"))
        .map(|tr| {
            tr.select(&sel("th, td"))
                .map(|c| c.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
                .collect()
        })
        .collect();
    let maria = rows.iter().find(|r| r[0].starts_with("Maria Lopez")).expect("maria row");
    assert_eq!(&maria[1..5], &["1", "1", "1", "Gap"]);
    let jonas = rows.iter().find(|r| r[0].starts_with("Jonas Becker")).expect("jonas row");
    assert_eq!(&jonas[1..5], &["1", "Gap", "Gap", "Gap"]);
    assert!(!rows.iter().any(|r| r[0].starts_with("Old Timer")), "retired personas are not rows");
    // Counts link to the persona's content for that stage.
    let link = doc.select(&sel("td.has-content a")).next().expect("cell link");
    assert!(link.value().attr("href").unwrap_or_default().contains("index.html#content-"));
    assert!(doc.select(&sel("td.is-gap")).count() >= 6);
    assert_eq!(texts(&doc, "#unmapped ~ ul a, #unmapped + p + ul a"), vec!["Brand video"]);
    let formats = texts(&doc, "#formats ~ table tbody tr");
    assert!(formats.iter().any(|r| r.starts_with("case-study 2 0 Missing")), "{formats:?}");
    assert!(formats.iter().any(|r| r.starts_with("whitepaper 1 1 Covered")), "{formats:?}");
}

#[test]
fn exports_match_the_model() {
    let b = build("site/basic", false);
    let json: serde_json::Value = serde_json::from_slice(&b.site.files["handbook.json"]).expect("json");
    let ids: Vec<&str> =
        json["personas"].as_array().expect("personas").iter().filter_map(|p| p["id"].as_str()).collect();
    let model: Vec<&str> = b.handbook.personas.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, model);
    assert_eq!(json["assets"].as_array().map(Vec::len), Some(b.handbook.assets.len()));
    assert_eq!(json["config"]["stages"][0]["id"], "discover");

    let csv = String::from_utf8(b.site.files["content-map.csv"].clone()).expect("utf-8");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("persona,stage,asset"));
    let rows: BTreeSet<&str> = lines.collect();
    let expected: BTreeSet<&str> = [
        "maria-lopez,discover,webinar-series",
        "maria-lopez,evaluate,roi-guide",
        "maria-lopez,buy,roi-guide",
        "emea/jonas-becker,discover,webinar-series",
    ]
    .into_iter()
    .collect();
    assert_eq!(rows, expected);

    let sitemap = String::from_utf8(b.site.files["sitemap.xml"].clone()).expect("utf-8");
    assert!(sitemap.contains("<loc>https://handbook.example.com/team/personas/maria-lopez/</loc>"), "{sitemap}");
    assert!(!sitemap.contains("404"));
    // Servers show 404.html at any depth: its <base> is the site's path.
    let not_found = html(&b.site, "404.html");
    let base = not_found.select(&sel("base")).next().expect("<base>");
    assert_eq!(base.value().attr("href"), Some("/team/"));
    let search = String::from_utf8(b.site.files["search/index.js"].clone()).expect("utf-8");
    assert!(search.starts_with("window.PERSONABOOK_SEARCH = {"));
    let chunk = String::from_utf8(b.site.files["search/d-0.js"].clone()).expect("utf-8");
    assert!(chunk.contains("\"u\":\"personas/emea/jonas-becker/index.html\""), "{chunk}");
}

#[test]
fn drafts_appear_only_with_drafts() {
    let b = build("site/basic", false);
    assert!(!b.site.files.contains_key("personas/draft-person/index.html"));
    assert!(!b.site.files.contains_key("library/secret-plan/index.html"));
    let all: String = b.site.files.values().map(|v| String::from_utf8_lossy(v).into_owned()).collect();
    assert!(!all.contains("Drafty McDraft") && !all.contains("Secret draft plan"));

    let b = build("site/basic", true);
    assert!(b.site.files.contains_key("personas/draft-person/index.html"));
    assert!(b.site.files.contains_key("library/secret-plan/index.html"));
    let guide = html(&b.site, "guides/using-this-handbook/index.html");
    assert!(guide.select(&sel(".prose a")).any(|a| a.text().collect::<String>() == "Drafty McDraft"));
}

#[test]
fn persona_page_shows_the_profile() {
    let b = build("site/basic", false);
    let doc = html(&b.site, "personas/maria-lopez/index.html");
    let img = doc.select(&sel(".profile-head img.avatar")).next().expect("avatar image");
    assert_eq!(img.value().attr("src"), Some("../../images/maria.svg"));
    assert_eq!(img.value().attr("alt"), Some("Portrait of Maria Lopez"));
    let sections = texts(&doc, ".list-card h2");
    assert_eq!(sections.len(), 8, "{sections:?}");
    assert!(texts(&doc, ".badge").iter().any(|t| t == "Review overdue"));
    assert!(texts(&doc, ".badge").iter().any(|t| t == "Researched"));
    assert!(texts(&doc, ".metrics").concat().contains("32%"));
    assert!(texts(&doc, ".sources").concat().contains("12 customer interviews"));
    assert_eq!(texts(&doc, "#related ~ .card-grid .persona-card-name"), vec!["Jonas Becker"]);
    // Backlinks in words; the ROI guide is for Maria, so it is under
    // "Content by stage" and not listed again.
    let backlinks = texts(&doc, ".backlinks li");
    assert!(backlinks.contains(&"Jonas Becker (persona) mentions this persona".to_string()), "{backlinks:?}");
    assert!(backlinks.contains(&"Using this handbook (page) mentions this persona".to_string()), "{backlinks:?}");
    assert!(!backlinks.iter().any(|b| b.contains("ROI")), "{backlinks:?}");
    assert!(texts(&doc, "#content ~ .stage-content a").iter().any(|t| t == "The ROI of Marketing Ops"));
    assert!(texts(&doc, "#more ~ dl").concat().contains("teal"));
    // Initials are drawn when there is no avatar.
    let jonas = html(&b.site, "personas/emea/jonas-becker/index.html");
    assert_eq!(texts(&jonas, ".profile-head .avatar-initials"), vec!["JB"]);
    // Body headings never take the page's own section ids.
    assert!(ids_of(&doc).contains("goals-1"));
}

#[test]
fn library_filters_work_without_a_server() {
    let b = build("site/basic", false);
    let doc = html(&b.site, "library/index.html");
    for id in ["f-q", "f-persona", "f-stage", "f-format", "f-topic", "f-sort"] {
        let label = doc.select(&sel(&format!("label[for={id}]"))).count();
        assert_eq!(label, 1, "control #{id} needs a label");
    }
    let items: Vec<_> = doc.select(&sel("li.library-item")).collect();
    assert_eq!(items.len(), 3);
    // The script filters from a data script in the site's own folder.
    let form = doc.select(&sel("form[data-library]")).next().expect("the filter form");
    assert_eq!(form.value().attr("data-src"), Some("../search/library.js"));
    let data = String::from_utf8_lossy(&b.site.files["search/library.js"]).into_owned();
    assert!(data.starts_with("PERSONABOOK_ADD(\"library\","), "{data}");
    assert!(data.contains("[\"maria-lopez\",\"Maria Lopez\",\"../personas/maria-lopez/index.html\"]"), "{data}");
    assert!(
        data.contains("[\"The ROI of Marketing Ops\",\"../library/roi-guide/index.html\",4,\"2025-03-01\","),
        "{data}"
    );
    // No fetch: the script is a plain file next to the page.
    for script in ["static/app.js", "static/search.js"] {
        assert!(!String::from_utf8_lossy(&b.site.files[script]).contains("fetch("), "{script}");
    }
}

#[test]
fn a_theme_template_replaces_the_built_in_one_and_errors_name_the_file() {
    let hb = Handbook::fixture("site/basic");
    hb.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>Lost? {{ site.title }}</p>{% endblock main %}",
    );
    hb.write("themes/default/static/style.css", "body { color: red }");
    let b = build_at(hb.root(), false);
    assert!(text(&b.site, "404.html").contains("<p>Lost? Acme Persona Handbook</p>"));
    assert_eq!(text(&b.site, "static/style.css"), "body { color: red }");

    hb.write(
        "themes/default/templates/reviews.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ reviews.nope }}\n{% endblock main %}",
    );
    let opts = BuildOptions { today: today(), ..BuildOptions::new(hb.root()) };
    let err = pipeline::build(&opts).expect_err("template error");
    let d = err.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(d.path, "themes/default/templates/reviews.html");
    assert_eq!(d.line, 3);

    hb.write("themes/default/templates/reviews.html", "{% if %}");
    let err = pipeline::build(&opts).expect_err("syntax error");
    let d = err.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(d.path, "themes/default/templates/reviews.html");
    assert_eq!(d.line, 1);
}

#[test]
fn reviews_and_home() {
    let b = build("site/basic", false);
    let doc = html(&b.site, "reviews/index.html");
    let first = texts(&doc, "table.reviews tbody tr").into_iter().next().expect("rows");
    assert!(first.contains("Review overdue"), "overdue first: {first}");
    let home = html(&b.site, "index.html");
    assert_eq!(texts(&home, "h1"), vec!["Acme Persona Handbook"]);
    assert!(home.select(&sel(".persona-card")).count() >= 3);
    assert!(texts(&home, "#home-reviews ~ ul a").iter().any(|t| t == "Maria Lopez"));
}

#[test]
fn templates_that_iterate_maps_render_the_same_every_time() {
    // Tera keeps map order (preserve_order), so a user template looping over
    // `site.extra` gives byte-identical output from one build to the next.
    let hb = Handbook::fixture("site/basic");
    let yaml = std::fs::read_to_string(hb.root().join("handbook.yaml")).expect("read");
    hb.write("handbook.yaml", &yaml.replace("extra:\n", "extra:\n  zeta: 1\n  alpha: 2\n  mid: 3\n"));
    hb.write("themes/default/templates/404.html", "{% for k, v in site.extra %}{{ k }}={{ v }};{% endfor %}");
    let b = build_at(hb.root(), false);
    assert_eq!(text(&b.site, "404.html"), "alpha=2;footer=Internal use only;mid=3;zeta=1;");
}

#[test]
fn build_reports_a_broken_user_template_with_file_and_line() {
    let hb = Handbook::fixture("site/basic");
    hb.write(
        "themes/default/templates/reviews.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ reviews.nope }}\n{% endblock main %}",
    );
    let out = tempfile::tempdir().expect("temp dir");
    let run = hb.run(&["build", "--output", &out.path().join("site").to_string_lossy()]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("themes/default/templates/reviews.html:3:"), "{}", run.stderr());
    assert!(!out.path().join("site").exists(), "nothing is written when a template fails");
}

/// Every `href` and `src` in a page, with what a browser would read as its
/// scheme (whitespace and controls dropped, lower case).
fn url_attrs(doc: &Html) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in doc.select(&sel("*")) {
        for (name, value) in e.value().attrs() {
            if ["href", "src", "action", "formaction", "poster", "srcset", "xlink:href"].contains(&name) {
                let seen: String =
                    value.chars().filter(|c| !c.is_control() && !c.is_whitespace()).collect::<String>().to_lowercase();
                out.push((name.to_string(), seen));
            }
        }
    }
    out
}

/// Builds the `site/urls` fixture with `markdown.unsafe_html` set as given.
fn build_urls(unsafe_html: bool) -> (Handbook, Built) {
    let hb = Handbook::fixture("site/urls");
    let yaml = std::fs::read_to_string(hb.root().join("handbook.yaml")).expect("read");
    hb.write("handbook.yaml", &format!("{yaml}markdown:\n  unsafe_html: {unsafe_html}\n"));
    let b = build_at(hb.root(), false);
    (hb, b)
}

#[test]
fn body_urls_with_script_or_other_schemes_become_text_in_both_modes() {
    for unsafe_html in [false, true] {
        let (_hb, b) = build_urls(unsafe_html);
        for (path, bytes) in &b.site.files {
            if !path.ends_with(".html") {
                continue;
            }
            let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
            for (name, seen) in url_attrs(&doc) {
                for bad in ["javascript:", "vbscript:", "data:", "file:", "jav%61script", "&#"] {
                    assert!(!seen.starts_with(bad), "{path} (unsafe_html {unsafe_html}): {name}={seen}");
                }
            }
            for e in doc.select(&sel("*")) {
                for (name, _) in e.value().attrs() {
                    assert!(!name.starts_with("on"), "{path}: event handler attribute {name}");
                }
            }
        }
        let doc = html(&b.site, "guides/urls/index.html");
        let prose = texts(&doc, ".prose").concat();
        // The link text and the image alt text stay, as text.
        for shown in ["plain", "mixed", "tab", "entity", "spaces", "reference", "data", "vb", "local", "alt ten"] {
            assert!(prose.contains(shown), "{shown} missing from {prose}");
        }
        assert!(prose.contains("javascript:alert(6)") && prose.contains("JAVASCRIPT:alert(15)"), "{prose}");
        assert_eq!(doc.select(&sel(".prose img")).count(), 1, "only the site image is kept");
        let hrefs: Vec<&str> = doc.select(&sel(".prose a")).filter_map(|a| a.value().attr("href")).collect();
        assert_eq!(
            hrefs,
            vec![
                "https://example.com/",
                "mailto:team@example.com",
                "tel:+4930123",
                "#kept",
                "../../library/",
                "https://example.org/auto",
                "mailto:team@example.com"
            ]
        );
        assert_eq!(doc.select(&sel("h2[data-note=kept]")).count(), 1);
        // Front matter: the refused asset URL gives no button; names stay text.
        let asset = html(&b.site, "library/trap/index.html");
        assert_eq!(asset.select(&sel("a.button")).count(), 0);
        let persona = html(&b.site, "personas/mallory/index.html");
        assert_eq!(texts(&persona, "h1"), vec!["<script>alert(1)</script>"]);
        assert_eq!(persona.select(&sel("script:not([src])")).count(), 0);
        assert!(texts(&persona, ".prose").concat().contains("a link"));
    }
}

#[test]
fn refused_urls_are_warnings_with_file_line_and_column() {
    let hb = Handbook::fixture("site/urls");
    for cmd in ["check", "build"] {
        let run = hb.run(&[cmd]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        let err = run.stderr();
        for line in [
            "content/guides/urls.md:5:9: warning: link to \"javascript:alert(1)\" shown as text",
            "content/guides/urls.md:6:9: warning: link to \"JaVaScRiPt:alert(2)\"",
            "content/guides/urls.md:7:1: warning: link to \"java\\tscript:alert(3)\"",
            "content/guides/urls.md:10:2: warning: link to \"javascript:alert(6)\"",
            "content/guides/urls.md:11:1: warning: link to \"javascript:alert(7)\"",
            "content/guides/urls.md:12:8: warning: link to \"data:text/html;base64,",
            "content/guides/urls.md:14:9: warning: link to \"file:///etc/passwd\"",
            "content/guides/urls.md:15:12: warning: image \"javascript:alert(10)\" shown as its alt text",
            "content/guides/urls.md:17:11: warning: link to \"jav%61script:alert(12)\"",
            "content/personas/mallory.md:11:25: warning: link to \"javascript:alert(6)\"",
        ] {
            assert!(err.contains(line), "{cmd}: missing {line} in\n{err}");
        }
        assert_eq!(err.matches("shown as").count(), 17, "{cmd}:\n{err}");
    }
}

#[test]
fn content_map_csv_neutralises_formula_cells() {
    let hb = Handbook::with_files(&[
        ("handbook.yaml", "title: CSV\nstages:\n  - {id: \"+stage\", name: Plus}\n"),
        ("content/personas/=calc.md", "---\nname: Calc\n---\n"),
        ("content/assets/@sum.md", "---\ntitle: Sum\npersonas: [\"=calc\"]\nstages: [\"+stage\"]\n---\n"),
        ("content/assets/-minus.md", "---\ntitle: Minus\npersonas: [\"=calc\"]\nstages: [\"+stage\"]\n---\n"),
    ]);
    let b = build_at(hb.root(), false);
    let csv = text(&b.site, "content-map.csv");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows,
        vec!["persona,stage,asset", "\"'=calc\",\"'+stage\",\"'-minus\"", "\"'=calc\",\"'+stage\",\"'@sum\""]
    );
}

/// The policy every page of the built-in theme sends.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; \
                   object-src 'none'; base-uri 'self'; form-action 'self'";

#[test]
fn every_page_sends_a_strict_csp_and_has_no_inline_script_or_style() {
    // Raw HTML off, so every style and script in the pages is the theme's own.
    let (_hb, urls) = build_urls(false);
    let basic = build("site/basic", false);
    let mut pages = 0;
    for site in [&basic.site, &urls.site] {
        for (path, bytes) in &site.files {
            if !path.ends_with(".html") {
                continue;
            }
            pages += 1;
            let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
            let metas: Vec<&str> = doc
                .select(&sel("head > meta[http-equiv=Content-Security-Policy]"))
                .filter_map(|m| m.value().attr("content"))
                .collect();
            assert_eq!(metas, vec![CSP], "{path}");
            assert_eq!(doc.select(&sel("style")).count(), 0, "{path} has a <style> block");
            assert_eq!(doc.select(&sel("[style]")).count(), 0, "{path} has a style attribute");
            for s in doc.select(&sel("script")) {
                assert!(s.value().attr("src").is_some(), "{path} has an inline script");
                assert!(s.text().collect::<String>().trim().is_empty(), "{path}: script with both src and text");
            }
        }
        for name in ["404.html", "search/index.html", "journeys/maria-lopez/index.html", "library/index.html"] {
            if site.files.contains_key(name) {
                let doc = html(site, name);
                assert_eq!(doc.select(&sel("meta[http-equiv=Content-Security-Policy]")).count(), 1, "{name}");
            }
        }
    }
    assert!(pages > 40, "only {pages} pages");
    // The replaced inline styles: coverage bars as SVG, avatar hues as classes.
    let map = html(&basic.site, "content-map/index.html");
    assert!(map.select(&sel(".bar svg.bar-fill rect[width]")).count() > 0);
    let personas = html(&basic.site, "personas/index.html");
    let hues: Vec<&str> = personas
        .select(&sel(".avatar-initials"))
        .flat_map(|e| e.value().classes())
        .filter(|c| c.starts_with("hue-"))
        .collect();
    assert!(!hues.is_empty());
    let css = text(&basic.site, "static/style.css");
    for h in hues {
        assert!(css.contains(&format!(".{h} {{ --hue: ")), "no rule for {h}");
    }
    assert!(css.contains("@page journey { size: landscape;"));
    let journey = html(&basic.site, "journeys/maria-lopez/index.html");
    assert_eq!(journey.select(&sel("body.page-journey")).count(), 1);
}

/// `site/basic` with one more file.
fn build_with(path: &str, content: &str) -> Built {
    let hb = Handbook::fixture("site/basic");
    hb.write(path, content);
    build_at(hb.root(), false)
}

#[test]
fn backlinks_say_in_words_who_refers_and_how() {
    let b = build("site/basic", false);
    let jonas = html(&b.site, "personas/emea/jonas-becker/index.html");
    let backlinks = texts(&jonas, ".backlinks li");
    // Not written for Jonas, so not under "Content by stage": listed, as a mention.
    assert!(backlinks.contains(&"Maria Lopez (persona) lists this persona as related".to_string()), "{backlinks:?}");
    assert!(backlinks.contains(&"The ROI of Marketing Ops (asset) mentions this persona".to_string()), "{backlinks:?}");
    // The webinar series is written for Jonas: it is under "Content by stage" only.
    assert!(texts(&jonas, "#content ~ .stage-content a").iter().any(|t| t == "Reporting webinar series"));
    assert!(!backlinks.iter().any(|t| t.contains("Webinar")), "{backlinks:?}");
    let roi = html(&b.site, "library/roi-guide/index.html");
    let backlinks = texts(&roi, ".backlinks li");
    assert!(
        backlinks.contains(&"Maria Lopez (persona) mentions this asset in its journey".to_string()),
        "{backlinks:?}"
    );
    let all: String = b.site.files.values().map(|v| String::from_utf8_lossy(v).into_owned()).collect();
    for jargon in ["asset, personas", "page, wiki link", "persona, related", "persona, journey", "page, link"] {
        assert!(!all.contains(jargon), "{jargon}");
    }
}

#[test]
fn the_persona_index_counts_what_the_home_page_counts() {
    let b = build("site/basic", false);
    let home = html(&b.site, "index.html");
    let all = texts(&home, "#home-personas ~ a").into_iter().find(|t| t.starts_with("All "));
    assert_eq!(all.as_deref(), Some("All 4 personas"));
    let index = html(&b.site, "personas/index.html");
    let lead = texts(&index, ".page-head .lead").concat();
    assert!(lead.starts_with("4 active personas, and 1 retired listed separately."), "{lead}");
    let retired = texts(&index, "h2").into_iter().filter(|h| h.starts_with("Retired")).count();
    assert_eq!(retired, 1);
    let cards = index.select(&sel(".persona-card")).count();
    assert_eq!(cards, 5, "4 active and 1 retired cards");
    // No retired persona: no mention of them.
    let hb = Handbook::fixture("site/basic");
    std::fs::remove_file(hb.root().join("content/personas/old-timer.md")).unwrap();
    let b = build_at(hb.root(), false);
    let lead = texts(&html(&b.site, "personas/index.html"), ".page-head .lead").concat();
    assert!(lead.starts_with("4 active personas. Compare"), "{lead}");
}

#[test]
fn a_tag_and_a_topic_of_the_same_word_link_to_each_other() {
    let b = build_with(
        "content/assets/value-memo.md",
        "---\ntitle: Value memo\nformat: memo\ntopics: [High Value]\n---\nWhy it pays.\n",
    );
    let see_also = |path: &str| {
        let doc = html(&b.site, path);
        doc.select(&sel(".see-also a"))
            .map(|a| (a.text().collect::<String>(), a.attr("href").unwrap_or("").to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        see_also("tags/high-value/index.html"),
        vec![("Topic: high value".to_string(), "../../topics/high-value/index.html".to_string())]
    );
    assert_eq!(
        see_also("topics/high-value/index.html"),
        vec![("Tag: high-value".to_string(), "../../tags/high-value/index.html".to_string())]
    );
    assert!(see_also("topics/roi/index.html").is_empty());
    assert!(see_also("tags/data-driven/index.html").is_empty());
}

#[test]
fn fewer_than_wanted_is_a_warning_and_missing_a_gap() {
    // A second stage asking for a whitepaper: 2 wanted, 1 available.
    let b = build_with(
        "content/personas/pat.md",
        "---\nname: Pat Kim\njourney:\n  discover:\n    goal: Learn\n    formats: [whitepaper]\n---\n",
    );
    let doc = html(&b.site, "content-map/index.html");
    let class_of = |label: &str| {
        doc.select(&sel(".badge"))
            .find(|e| e.text().collect::<String>() == label)
            .and_then(|e| e.attr("class").map(str::to_string))
            .unwrap_or_else(|| panic!("no {label} badge"))
    };
    assert_eq!(class_of("Fewer than wanted"), "badge badge-warn");
    assert_eq!(class_of("Missing"), "badge badge-gap");
    // Both colours exist in the light and the dark scheme.
    let css = text(&b.site, "static/style.css");
    let dark = css.split("@media (prefers-color-scheme: dark)").nth(1).expect("a dark scheme");
    for (scheme, vars) in [("light", css.as_str()), ("dark", dark)] {
        for v in ["--warn:", "--warn-bg:", "--gap:", "--gap-bg:"] {
            assert!(vars.contains(v), "{scheme} scheme lacks {v}");
        }
    }
    assert!(css.contains(".badge-warn { background: var(--warn-bg); color: var(--warn); }"));
    assert!(css.contains(".badge-gap { background: var(--gap-bg); color: var(--gap); }"));
}

#[test]
fn code_blocks_can_be_scrolled_from_the_keyboard() {
    let b = build_with(
        "content/guides/code.md",
        "---\ntitle: Code\n---\n```yaml \"x\"\nname: <Maria> & \"co\"\n```\n\n    indented\n\nInline `code` stays.\n",
    );
    let page = text(&b.site, "guides/code/index.html");
    let doc = Html::parse_document(&page);
    let pres: Vec<_> = doc.select(&sel(".prose pre")).collect();
    assert_eq!(pres.len(), 2);
    assert!(pres.iter().all(|p| p.attr("tabindex") == Some("0")));
    assert_eq!(texts(&doc, ".prose pre code.language-yaml"), vec!["name: <Maria> & \"co\""]);
    assert!(page.contains("<pre tabindex=\"0\"><code>indented\n</code></pre>"), "{page}");
    assert_eq!(doc.select(&sel(".prose p code")).count(), 1);
    // The focusable element is the one that scrolls.
    let css = text(&b.site, "static/style.css");
    let pre = css.lines().find(|l| l.starts_with("pre {")).expect("a pre rule");
    assert!(pre.contains("overflow-x: auto"), "{pre}");
    assert!(!css.lines().any(|l| l.starts_with("pre code") && l.contains("overflow")));
}

#[test]
fn the_404_page_has_a_real_title_and_ways_on() {
    let b = build("site/basic", false);
    let doc = html(&b.site, "404.html");
    assert_eq!(texts(&doc, "title"), vec!["Page not found · Acme Persona Handbook"]);
    assert_eq!(texts(&doc, "h1"), vec!["Page not found"]);
    let form = doc.select(&sel("main form[role=search]")).next().expect("a search form in the page");
    assert_eq!(form.attr("action"), Some("search/index.html"));
    assert!(doc.select(&sel("main form input[name=q]")).next().is_some());
    let hrefs: Vec<String> = doc.select(&sel("main a")).filter_map(|a| a.attr("href").map(str::to_string)).collect();
    for h in ["personas/index.html", "library/index.html", "index.html"] {
        assert!(hrefs.iter().any(|x| x == h), "{h} in {hrefs:?}");
    }
    // The home page keeps the bare site title.
    assert_eq!(texts(&html(&b.site, "index.html"), "title"), vec!["Acme Persona Handbook"]);
}

#[test]
fn tables_can_be_scrolled_from_the_keyboard() {
    let b = build_with(
        "content/guides/table.md",
        "---\ntitle: Table\n---\n| Quarter | Date |\n|:--|--:|\n| Q3 | 2026-07-01 |\n\nText with `<table>` in code stays text.\n",
    );
    let page = text(&b.site, "guides/table/index.html");
    let doc = Html::parse_document(&page);
    let tables: Vec<_> = doc.select(&sel(".prose table")).collect();
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].attr("tabindex"), Some("0"));
    // Alignments survive; the code span is not touched.
    assert_eq!(doc.select(&sel(".prose td[style*=\"text-align: right\"]")).count(), 1);
    assert_eq!(texts(&doc, ".prose p code"), vec!["<table>"]);
    // The focusable element is the one that scrolls.
    let css = text(&b.site, "static/style.css");
    let rule = css.lines().find(|l| l.starts_with(".prose table {")).expect("a table rule");
    assert!(rule.contains("overflow-x: auto"), "{rule}");
}
