//! Property tests for the parsers that take user text: no input may panic.

use personabook::load::front_matter::split;
use personabook::model::links;
use proptest::prelude::*;

proptest! {
    #[test]
    fn front_matter_split_never_panics_and_keeps_all_text(text in "(---\n)?[-a-z: \n\r\u{feff}é]{0,80}(\n---\n)?[a-z#\n]{0,20}") {
        if let Ok(s) = split(&text) {
            prop_assert!(s.yaml.len() + s.body.len() <= text.len());
            prop_assert!(text.ends_with(s.body));
            if !s.has_front_matter {
                prop_assert_eq!(s.body, text.as_str());
            }
        }
    }

    #[test]
    fn front_matter_round_trips(yaml in "[a-z]{1,8}: [a-z ]{0,12}\n", body in "[a-zA-Z #\n]{0,40}") {
        let text = format!("---\n{yaml}---\n{body}");
        let s = split(&text).unwrap();
        prop_assert_eq!(s.yaml, yaml.as_str());
        prop_assert_eq!(s.body, body.as_str());
        prop_assert_eq!(s.body_line, 4);
    }

    #[test]
    fn link_extraction_never_panics(body in "[\\[\\]|:a-z/.#() \n`*-]{0,120}") {
        for l in links::extract(&body) {
            prop_assert!(l.offset <= body.len());
        }
        let _ = links::extract_from_text(&body);
    }

    #[test]
    fn wiki_links_are_found_with_their_ids(id in "[a-z][a-z0-9-]{0,10}(/[a-z][a-z0-9-]{0,10})?", label in "[A-Za-z ]{1,10}") {
        let body = format!("Text [[{id}|{label}]] and [[persona:{id}]].");
        let found = links::extract(&body);
        prop_assert_eq!(found.len(), 2);
        prop_assert_eq!(&found[0].target, &links::Target::Wiki { collection: None, id: id.clone() });
        prop_assert_eq!(&found[1].target, &links::Target::Wiki { collection: Some(personabook::model::Collection::Persona), id });
        prop_assert_eq!(found[0].offset, 5);
    }

    #[test]
    fn resolving_arbitrary_front_matter_never_panics(yaml in "[a-z_]{1,10}: [\\[\\]{}a-z0-9,: -]{0,30}\n(journey:\n  [a-z]{1,10}:\n    emotion: [-0-9a-z]{1,4}\n)?") {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("content/personas/x.md");
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, format!("---\n{yaml}---\nbody [[y]]\n")).unwrap();
        let opts = personabook::model::ResolveOptions { include_drafts: true, today: jiff::civil::date(2026, 1, 1) };
        let (_hb, diags) = personabook::pipeline::check(dir.path(), opts);
        for d in diags.iter() {
            prop_assert!(d.line >= 1 && d.column >= 1);
            let _ = d.to_string();
        }
    }
}

/// One random content file: folder, name, front-matter lines and body.
fn content_file() -> impl Strategy<Value = (String, String)> {
    let folder = prop::sample::select(vec!["personas/", "assets/", "", "guides/", "personas/emea/"]);
    let name = "[a-zA-Z0-9 é李_-]{1,8}";
    let key = prop::sample::select(vec![
        "name", "title", "age", "weight", "reviewed", "related", "personas", "stages", "emotion", "status", "tags",
        "format", "draft", "segment", "metrics", "sources",
    ]);
    let value = prop::sample::select(vec![
        "Ana",
        "7304485",
        "-9223372036854775808",
        "18446744073709551616",
        "2026-02-30",
        "9999-12-31",
        "[ana, bo]",
        "{a: 1}",
        "[Awareness, a b]",
        "true",
        "~",
        "1e400",
        "\"[[ana|]]\"",
        "*nope",
        "[1, [2, [3]]]",
        "draft",
    ]);
    let journey = prop::sample::select(vec![
        "",
        "journey:\n  awareness: {emotion: 3}\n",
        "journey:\n  Awareness: {emotion: 1, goal: \"[[bo]]\"}\n  AWARENESS: {}\n",
        "journey:\n  a b: {emotion: 99999999999}\n",
        "d: &d {emotion: 1}\njourney:\n  awareness: {<<: *d}\n",
    ]);
    let link = prop::sample::select(vec![
        "[[ana]]",
        "[[ana|]]",
        "[[persona:bo|Bo]]",
        "[[nope]]",
        "[x](ana.md)",
        "[y](../personas/ana.md#g)",
        "[z](../../../etc/passwd.md)",
        "<javascript:x>",
        "[[",
        "]]",
        "[[a|b|c]]",
    ]);
    (folder, name, prop::collection::vec((key, value), 0..5), journey, prop::collection::vec(link, 0..4)).prop_map(
        |(folder, name, fields, journey, links)| {
            let mut text = String::from("---\n");
            for (k, v) in fields {
                text.push_str(&format!("{k}: {v}\n"));
            }
            text.push_str(journey);
            text.push_str("---\n# Title\n\n");
            text.push_str(&links.join(" "));
            (format!("content/{folder}{name}.md"), text)
        },
    )
}

fn config() -> impl Strategy<Value = String> {
    let stage = prop::sample::select(vec!["awareness", "Awareness", "a b", "a-b", "decision", "", "李"]);
    (
        prop::collection::vec(stage, 0..4),
        prop::sample::select(vec!["", "review_interval_days: 7304485\n", "review_interval_days: 0\n"]),
    )
        .prop_map(|(stages, extra)| {
            let mut c = String::from(extra);
            if !stages.is_empty() {
                c.push_str("stages:\n");
                for s in stages {
                    c.push_str(&format!("  - id: \"{s}\"\n"));
                }
            }
            c
        })
}

/// Diagnostics as printed, and the built site (None when it did not build).
fn run_once(root: &std::path::Path) -> (String, Option<std::collections::BTreeMap<String, Vec<u8>>>) {
    let opts = personabook::model::ResolveOptions { include_drafts: true, today: jiff::civil::date(2026, 1, 1) };
    let (_hb, diags) = personabook::pipeline::check(root, opts);
    let mut b = personabook::pipeline::BuildOptions::new(root);
    b.today = jiff::civil::date(2026, 1, 1);
    let site = personabook::pipeline::build(&b).ok().map(|built| built.site.files);
    (diags.to_string(), site)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Random small handbooks (odd numbers, wrong types, colliding and
    /// upper-case stages, unicode file names, broken links): check and build
    /// return, and two runs give the same diagnostics and the same files.
    #[test]
    fn random_handbooks_never_panic_and_build_deterministically(
        cfg in config(),
        files in prop::collection::vec(content_file(), 0..6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("handbook.yaml"), &cfg).unwrap();
        for (path, text) in &files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
        }
        let first = run_once(dir.path());
        let second = run_once(dir.path());
        prop_assert_eq!(&first.0, &second.0);
        prop_assert!(first.1 == second.1, "the two builds differ");
    }
}

/// A handbook with one persona, one asset and one page, and the page `p` whose
/// body or journey text is under test.
fn linked_handbook(root: &std::path::Path, body: &str) {
    let files = [
        ("content/personas/ana.md", "---\nname: Ana\n---\n".to_string()),
        ("content/assets/roi.md", "---\ntitle: ROI\n---\n".to_string()),
        ("content/guides/guide.md", "---\ntitle: Guide\n---\n".to_string()),
        ("content/guides/p.md", format!("---\ntitle: P\n---\n{body}")),
    ];
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
}

fn resolved(root: &std::path::Path) -> personabook::model::Handbook {
    let opts = personabook::model::ResolveOptions { include_drafts: true, today: jiff::civil::date(2026, 1, 1) };
    personabook::pipeline::check(root, opts).0
}

/// Text made of link syntax, ids that exist and do not, `.md` paths and URLs.
fn link_soup() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "[[",
        "]]",
        "[",
        "]",
        "(",
        ")",
        "](",
        "|",
        "ana",
        "roi",
        "guide",
        "ghost",
        "persona:",
        "asset:",
        "page:",
        "../personas/ana.md",
        "guide.md",
        "x.md",
        "#g",
        " ",
        "\n",
        "`",
        "\\",
        "<",
        ">",
        "@",
        "https://e.org",
        "javascript:x",
        "é",
        "[a](../personas/ana.md)",
        "[b](guide.md#g)",
        "[[ana]]",
        "[[asset:roi|R]]",
        "[c](ghost.md)",
        "[[page:guide]]",
    ]);
    prop::collection::vec(token, 0..30).prop_map(|t| t.concat())
}

/// The hrefs that point into the site (`../../...`), anchors dropped, in order.
fn site_hrefs(html: &str) -> Vec<String> {
    html.match_indices("<a href=\"../../")
        .map(|(i, m)| {
            let rest = &html[i + m.len() - "../../".len()..];
            let end = rest.find(['"', '#']).unwrap_or(rest.len());
            rest[..end].to_string()
        })
        .collect()
}

/// The pages the resolver's links in `found` lead to, as hrefs from `guides/p/`.
fn accepted_hrefs(hb: &personabook::model::Handbook, found: &[links::Target]) -> Vec<String> {
    found
        .iter()
        .filter_map(|t| hb.lookup("guides/p.md", t))
        .map(|r| personabook::render::url::href("../../", &hb.path_of(r)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// One link grammar: on any body, the links the resolver accepts are
    /// exactly the ones the page links, in the same order.
    #[test]
    fn resolver_and_renderer_agree_on_body_links(body in link_soup()) {
        let dir = tempfile::tempdir().unwrap();
        linked_handbook(dir.path(), &body);
        let hb = resolved(dir.path());
        let found: Vec<_> = links::extract(&body).into_iter().map(|l| l.target).collect();
        let cx = personabook::render::markdown::LinkContext { hb: &hb, root: "../../", content_path: "guides/p.md" };
        let html = personabook::render::markdown::body_html(&cx, &body, false, &[]);
        prop_assert_eq!(accepted_hrefs(&hb, &found), site_hrefs(&html), "{:?} -> {}", body, html);
    }

    /// The same for journey texts, which are not Markdown.
    #[test]
    fn resolver_and_renderer_agree_on_text_links(text in link_soup()) {
        let dir = tempfile::tempdir().unwrap();
        linked_handbook(dir.path(), "");
        let hb = resolved(dir.path());
        let found: Vec<_> = links::extract_from_text(&text).into_iter().map(|(t, _)| t).collect();
        let cx = personabook::render::markdown::LinkContext { hb: &hb, root: "../../", content_path: "guides/p.md" };
        let html = personabook::render::markdown::inline_html(&cx, &text);
        prop_assert_eq!(accepted_hrefs(&hb, &found), site_hrefs(&html), "{:?} -> {}", text, html);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Import sees the links the resolver sees: a body whose links all lead
    /// somewhere is imported untouched, and whatever the body, no link the
    /// resolver would report survives the import.
    #[test]
    fn import_and_resolver_agree_on_body_links(body in link_soup()) {
        let dir = tempfile::tempdir().unwrap();
        linked_handbook(dir.path(), "");
        let src = dir.path().join("src/p.md");
        std::fs::create_dir_all(src.parent().unwrap()).unwrap();
        std::fs::write(&src, format!("---\ntitle: P\n---\n{body}")).unwrap();
        let into = dir.path().join("content/personas");
        personabook::import::import(personabook::import::Format::Pages, &src, dir.path(), &into).unwrap();
        let hb = resolved(dir.path());
        let lookup = |t: &links::Target| hb.lookup("personas/p.md", t);
        let all_found = links::extract(&body).iter().all(|l| lookup(&l.target).is_some());
        let written = std::fs::read_to_string(into.join("p.md")).unwrap();
        let out_body = written.split_once("\n---\n").map_or("", |(_, b)| b);
        if all_found {
            prop_assert_eq!(out_body.trim_end_matches('\n'), body.trim_end_matches('\n'));
        }
        let broken: Vec<_> = links::extract(out_body).into_iter().filter(|l| lookup(&l.target).is_none()).collect();
        prop_assert!(broken.is_empty(), "{:?} -> {:?}: {:?}", body, out_body, broken);
    }
}
