//! The resolved model of a valid fixture: references, backlinks, the
//! content map, review status and drafts, through the library API.

use crate::harness::fixtures;
use personabook::model::{Collection, Handbook, ResolveOptions, ReviewState};

fn resolve(drafts: bool) -> Handbook {
    let today = jiff::civil::date(2026, 6, 1);
    let (hb, diags) =
        personabook::pipeline::check(&fixtures().join("model/basic"), ResolveOptions { include_drafts: drafts, today });
    assert!(!diags.has_errors(), "{diags}");
    hb
}

fn ids(hb: &Handbook, c: Collection) -> Vec<String> {
    match c {
        Collection::Persona => hb.personas.iter().map(|p| p.id.clone()).collect(),
        Collection::Asset => hb.assets.iter().map(|a| a.id.clone()).collect(),
        Collection::Page => hb.pages.iter().map(|p| p.id.clone()).collect(),
    }
}

#[test]
fn ids_are_paths_inside_the_collection() {
    let hb = resolve(false);
    assert_eq!(ids(&hb, Collection::Persona), ["ana", "emea/bo"]);
    assert_eq!(ids(&hb, Collection::Asset), ["2026/demo", "orphan", "roi"]);
    assert_eq!(ids(&hb, Collection::Page), ["guides/start"]);
}

#[test]
fn fields_are_normalised() {
    let hb = resolve(false);
    let ana = hb.persona("ana").unwrap();
    assert_eq!(ana.segment.as_deref(), Some("smb"));
    assert_eq!(ana.related, ["emea/bo"]);
    assert_eq!(hb.asset("roi").unwrap().format.as_deref(), Some("whitepaper"));
    assert_eq!(hb.asset("roi").unwrap().stages, ["discover", "use"], "stages follow the configured order");
    assert_eq!(hb.page("guides/start").unwrap().title, "Getting started", "title from the first heading");
}

#[test]
fn journeys_follow_the_configured_stages() {
    let hb = resolve(false);
    let j = &hb.persona("ana").unwrap().journey;
    assert_eq!(j.len(), 3);
    assert_eq!(j[0].as_ref().unwrap().emotion, Some(-1));
    assert_eq!(j[1].as_ref().unwrap().goal.as_deref(), Some("Pick one"));
    assert!(j[2].is_none());
}

#[test]
fn backlinks_name_every_referrer() {
    let hb = resolve(false);
    let from = |id: &str| {
        let r = hb.lookup_id(Some(Collection::Persona), id).unwrap();
        let mut v: Vec<(String, &str)> =
            hb.backlinks_of(r).iter().map(|b| (hb.id_of(b.from).to_string(), b.via.word())).collect();
        v.sort();
        v
    };
    assert_eq!(
        from("ana"),
        [
            ("2026/demo".to_string(), "personas"),
            ("emea/bo".to_string(), "link"),
            ("guides/start".to_string(), "wiki link"),
            ("roi".to_string(), "personas"),
        ]
    );
    assert_eq!(from("emea/bo"), [("2026/demo".to_string(), "personas"), ("ana".to_string(), "related")]);
    let roi = hb.lookup_id(Some(Collection::Asset), "roi").unwrap();
    let via: Vec<_> = hb.backlinks_of(roi).iter().map(|b| (hb.id_of(b.from), b.via.word())).collect();
    assert_eq!(via, [("ana", "journey"), ("guides/start", "link")]);
}

#[test]
fn content_map_cells_gaps_and_unmapped() {
    let hb = resolve(false);
    let map = &hb.content_map;
    // Rows: retired personas are left out of the map.
    let rows: Vec<&str> = map.rows.iter().map(|&i| hb.personas[i].id.as_str()).collect();
    assert_eq!(rows, ["ana"]);
    let cell = |s: usize| map.cells[0][s].iter().map(|&a| hb.assets[a].id.as_str()).collect::<Vec<_>>();
    assert_eq!(cell(0), ["roi"]);
    assert_eq!(cell(1), ["2026/demo"]);
    assert_eq!(cell(2), ["roi"]);
    assert_eq!(map.gaps, 0);
    assert_eq!(map.unmapped.iter().map(|&a| hb.assets[a].id.as_str()).collect::<Vec<_>>(), ["orphan"]);
    assert!((map.coverage - 1.0).abs() < 1e-9);
    let fmt = |f: &str| map.formats.iter().find(|x| x.format == f).map(|x| (x.wanted, x.available));
    assert_eq!(fmt("video"), Some((1, 1)));
    assert_eq!(fmt("webinar"), Some((1, 0)));
    assert_eq!(fmt("blog"), Some((1, 1)));
}

#[test]
fn reviews_are_measured_against_today() {
    let hb = resolve(false);
    let ana = hb.persona("ana").unwrap();
    assert_eq!(ana.review, ReviewState::Overdue, "2026-01-01 + 100 days is before 2026-06-01");
    assert_eq!(ana.review_due, Some(jiff::civil::date(2026, 4, 11)));
    let today = jiff::civil::date(2026, 3, 1);
    let (hb, _) =
        personabook::pipeline::check(&fixtures().join("model/basic"), ResolveOptions { include_drafts: false, today });
    assert_eq!(hb.persona("ana").unwrap().review, ReviewState::Current);
}

#[test]
fn drafts_only_when_asked_for() {
    let hb = resolve(false);
    assert!(hb.persona("cy").is_none());
    assert!(hb.asset("draft-post").is_none());
    let hb = resolve(true);
    assert!(hb.persona("cy").is_some());
    assert_eq!(hb.asset("draft-post").unwrap().personas, ["ana", "cy"]);
    let cy = hb.lookup_id(Some(Collection::Persona), "cy").unwrap();
    assert_eq!(hb.content_map.cells[hb.content_map.rows.iter().position(|&r| r == cy.index).unwrap()][2].len(), 1);
}
