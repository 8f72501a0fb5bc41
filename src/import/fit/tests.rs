//! Fitting drafts to a handbook: values, references and links.

use super::handbook::{Imported, Target};
use super::*;
use crate::config::Config;
use crate::import::Notes;
use crate::links;

fn target() -> Target {
    let mut t = Target { stages: Config::default().stages, folder: "personas".into(), ..Target::default() };
    t.ids.entry(Collection::Persona).or_default().insert("maria".into());
    t.ids.entry(Collection::Asset).or_default().insert("roi".into());
    t.files.insert("personas/maria.md".into());
    t
}

fn draft(fm: &str, body: &str, rel: &str, stem: &str) -> Draft {
    let front_matter: Mapping = serde_yaml::from_str(fm).unwrap();
    let name = front_matter.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    Draft { rel: rel.into(), name, file_stem: stem.into(), front_matter, body: body.into(), ..Draft::default() }
}

fn run(drafts: &mut [Draft]) -> Vec<Result<String, FitError>> {
    let t = target();
    let names = write::plan_names(drafts);
    let imported = Imported::new(drafts, &names, &t);
    (0..drafts.len()).map(|i| fit(&mut drafts[i], i, &t, &imported)).collect()
}

#[test]
fn invalid_known_values_move_under_unmapped() {
    let mut d = [draft(
        "name: Ana\nstatus: published\nreviewed: last year\nrole: Buyer\njourney: {awareness: {emotion: 1}, evaluation: {goal: x}}\nlayout: persona\n",
        "",
        "ana.md",
        "ana",
    )];
    let text = run(&mut d).remove(0).unwrap();
    assert_eq!(
        text,
        "---\nname: Ana\nrole: Buyer\njourney:\n  awareness:\n    emotion: 1\nlayout: persona\nunmapped:\n  journey:\n    evaluation:\n      goal: x\n  status: published\n  reviewed: last year\n---\n"
    );
    assert_eq!(d[0].notes.unmapped.len(), 3, "{:?}", d[0].notes.unmapped);
}

#[test]
fn references_are_renamed_kept_or_unlinked() {
    let mut d = [
        draft(
            "name: Bob\nrelated: [maria, carl, nobody]\n",
            "See [[carl]], [[maria]], [[asset:roi]] and [[ghost|a ghost]].\n[Carl](../carl/index.md#goals), [Maria](maria.md), [gone](gone.md), [web](https://x.md).\n[zola](@/personas/carl/index.md)\n",
            "bob/index.md",
            "bob",
        ),
        draft("name: Carl Jones\n", "", "carl/index.md", "carl"),
    ];
    let out = run(&mut d);
    let text = out[0].as_ref().unwrap();
    assert!(text.contains("related:\n- maria\n- carl-jones\n"), "{text}");
    assert!(text.contains("unmapped:\n  related:\n  - nobody\n"), "{text}");
    assert!(text.contains("See [[persona:carl-jones|carl]], [[maria]], [[asset:roi]] and a ghost.\n"), "{text}");
    assert!(text.contains("[Carl](carl-jones.md#goals), [Maria](maria.md), gone, [web](https://x.md).\n"), "{text}");
    assert!(text.contains("[zola](carl-jones.md)"), "{text}");
}

proptest::proptest! {
    /// Whatever the body, `check` finds no link in it to complain about:
    /// nothing exists in this handbook, so no link may survive.
    #[test]
    fn no_broken_link_survives(tokens in proptest::collection::vec(proptest::sample::select(vec![
        "[[", "]]", "[", "]", "(", ")", "](", "|", "a", "b", "c.md", "ana.md", "@/x/c.md", "#g", "persona:",
        " ", "\n", "`", "\\", "é", "<", ">", "!",
    ]), 0..40)) {
        let body: String = tokens.concat();
        let mut d = [draft("name: Ana\n", "", "ana.md", "ana")];
        d[0].body = body.clone();
        let t = Target { folder: "personas".into(), ..Target::default() };
        let names = write::plan_names(&d);
        let imported = Imported::new(&d, &names, &t);
        let f = Fitter { target: &t, imported: &imported, me: 0, rel: "ana.md" };
        let out = f.body(&body, &mut Notes::default());
        let left: Vec<_> = links::body_links(&out).into_iter().filter(|l| {
            !matches!(&l.target, links::Target::File { path, .. } if path == "ana.md")
                && !matches!(&l.target, links::Target::Wiki { id, .. } if id == "ana")
        }).collect();
        proptest::prop_assert!(left.is_empty(), "{body:?} -> {out:?}: {left:?}");
    }
}

#[test]
fn nested_links_are_sorted_out() {
    let mut d = [draft("name: Ana\n", "", "ana.md", "ana")];
    d[0].body = "[[x|[[y]]]] and [[a|[b](c.md)]]".into();
    let out = run(&mut d).remove(0).unwrap();
    assert!(
        out.ends_with("---\ny and a|b\n") || out.ends_with("---\nx|y and a|b\n") || links::body_links(&out).is_empty(),
        "{out}"
    );
    assert!(links::body_links(&out).is_empty(), "{out}");
}

#[test]
fn parents_become_related() {
    let mut d = [draft("name: Dev\n", "", "dev.json", "dev"), draft("name: Py\n", "", "py.json", "py")];
    d[1].related_sources = vec!["dev.json".into()];
    let out = run(&mut d);
    assert!(out[1].as_ref().unwrap().contains("related:\n- dev\n"));
}

#[test]
fn free_keys_do_not_look_like_typos_of_persona_keys() {
    for key in [UNMAPPED_KEY, "unmapped_2", super::super::persona_library::map::EXTRA_KEY, "original_name"] {
        assert_eq!(crate::diagnostic::closest(key, persona::KEYS.iter().copied()), None, "{key}");
    }
}

/// Journey texts are read as the resolver reads them: a link to nowhere
/// becomes its label, one to another draft is renamed, and a `[[...]]` that
/// is no link (empty, or holding `[`) is left as written.
#[test]
fn journey_text_links() {
    let goal = "[[maria]] [[ghost|a ghost]] [[carl|Carl]] [[ |x]] [[a[b]]";
    let bob = draft(&format!("name: Bob\njourney:\n  awareness:\n    goal: \"{goal}\"\n"), "", "bob.md", "bob");
    let mut d = [bob, draft("name: Carl Jones\n", "", "carl.md", "carl")];
    let out = run(&mut d);
    let text = out[0].as_ref().unwrap();
    assert!(text.contains("goal: '[[maria]] a ghost [[persona:carl-jones|Carl]] [[ |x]] [[a[b]]'"), "{text}");
    assert_eq!(d[0].notes.unmapped, ["link [[ghost|a ghost]]: no such page here; kept as plain text"]);
}
