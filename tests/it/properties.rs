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
