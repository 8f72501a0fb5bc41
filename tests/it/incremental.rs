//! The preview's incremental builds: after any sequence of edits (personas,
//! assets, guide pages and static files written, added, deleted, renamed,
//! linked to each other) the site it serves is the site a fresh build
//! makes, and an edit re-renders only the pages it reaches.

use crate::harness::Handbook;
use personabook::pipeline::{self, BuildOptions, Change, ChangeKind, Fresh, Incremental};
use proptest::prelude::*;
use std::collections::BTreeMap;

const PERSONAS: &[&str] = &["personas/ana", "personas/bo", "personas/emea/cy", "personas/dee"];
const ASSETS: &[&str] = &["assets/roi", "assets/kit", "assets/deep/map"];
const GUIDES: &[&str] = &["guides/start", "guides/faq", "guides/more"];

fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(pool.to_vec())
}

fn some_of(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::subsequence(pool.to_vec(), 0..=pool.len().min(3)).prop_map(|v| v.join(", "))
}

/// Links between the items, some to items that may not exist.
fn links() -> impl Strategy<Value = String> {
    let link = pick(&[
        "[[ana]]",
        "[[persona:bo]]",
        "[[emea/cy|Cy]]",
        "[[roi]]",
        "[[asset:kit|the kit]]",
        "[[guides/start]]",
        "[FAQ](../guides/faq.md)",
        "[ROI](../assets/roi.md)",
        "plain words",
    ]);
    prop::collection::vec(link, 0..3).prop_map(|v| v.join(" "))
}

fn persona_text() -> impl Strategy<Value = String> {
    let ids = &["ana", "bo", "emea/cy", "dee"];
    (
        (pick(&["Ana", "Bo", "Cy Dee", "Zed"]), pick(&["Buyer", "Editor"]), pick(&["smb", "SMB", "ent"])),
        (some_of(&["alpha", "Beta", "beta", "gamma"]), some_of(ids), pick(&["active", "active", "retired", "draft"])),
        (pick(&["", "avatar: /images/ana.png\n", "avatar: /images/gone.png\n"]), links(), links()),
        some_of(&["guide", "video"]),
    )
        .prop_map(|((name, role, segment), (tags, related, status), (avatar, journey, body), formats)| {
            format!(
                "---\nname: {name}\nrole: {role}\nsegment: {segment}\ntags: [{tags}]\nrelated: [{related}]\n\
                 status: {status}\n{avatar}journey:\n  awareness: {{emotion: 1, goal: \"{journey}\", \
                 formats: [{formats}]}}\n---\nBody of {name}. {body}\n"
            )
        })
}

fn asset_text() -> impl Strategy<Value = String> {
    (
        (pick(&["ROI", "Kit", "Map"]), some_of(&["ana", "bo", "emea/cy"]), some_of(&["awareness", "decision"])),
        (pick(&["guide", "video", "Video"]), some_of(&["alpha", "beta"]), some_of(&["beta", "delta"])),
        (pick(&["false", "false", "true"]), links()),
    )
        .prop_map(|((title, personas, stages), (format, tags, topics), (draft, body))| {
            format!(
                "---\ntitle: {title}\npersonas: [{personas}]\nstages: [{stages}]\nformat: {format}\n\
                 tags: [{tags}]\ntopics: [{topics}]\ndraft: {draft}\n---\nAbout {title}. {body}\n"
            )
        })
}

fn guide_text() -> impl Strategy<Value = String> {
    (pick(&["Start", "FAQ", "Zed"]), 0..3i64, pick(&["false", "false", "true"]), links()).prop_map(
        |(title, weight, draft, body)| format!("---\ntitle: {title}\nweight: {weight}\ndraft: {draft}\n---\n{body}\n"),
    )
}

/// One edit: a file written, deleted or renamed, or the stylesheet changed.
#[derive(Debug, Clone)]
enum Edit {
    Write(&'static str, String),
    Delete(&'static str),
    Rename(&'static str, &'static str),
    Style(String),
}

fn edit() -> impl Strategy<Value = Edit> {
    let all: Vec<&str> = PERSONAS.iter().chain(ASSETS).chain(GUIDES).copied().collect();
    prop_oneof![
        3 => (pick(PERSONAS), persona_text()).prop_map(|(p, t)| Edit::Write(p, t)),
        3 => (pick(ASSETS), asset_text()).prop_map(|(p, t)| Edit::Write(p, t)),
        2 => (pick(GUIDES), guide_text()).prop_map(|(p, t)| Edit::Write(p, t)),
        1 => prop::sample::select(all).prop_map(Edit::Delete),
        1 => (pick(PERSONAS), pick(PERSONAS)).prop_map(|(a, b)| Edit::Rename(a, b)),
        1 => "[a-z]{1,6}".prop_map(|c| Edit::Style(format!("body {{ color: {c}; }}\n"))),
    ]
}

fn path(id: &str) -> String {
    format!("content/{id}.md")
}

/// Makes the edit on disk; returns the changes as the watcher reports them.
fn apply(hb: &Handbook, edit: &Edit) -> Vec<Change> {
    let exists = |p: &str| hb.root().join(p).exists();
    let kind = |p: &str| if exists(p) { ChangeKind::Modified } else { ChangeKind::Added };
    let change = |path: String, kind| Change { path, kind };
    match edit {
        Edit::Write(id, text) => {
            let p = path(id);
            let k = kind(&p);
            hb.write(&p, text);
            vec![change(p, k)]
        }
        Edit::Delete(id) if exists(&path(id)) => {
            std::fs::remove_file(hb.root().join(path(id))).expect("delete");
            vec![change(path(id), ChangeKind::Removed)]
        }
        Edit::Rename(from, to) if from != to && exists(&path(from)) => {
            let (a, b) = (path(from), path(to));
            let k = kind(&b);
            let text = std::fs::read_to_string(hb.root().join(&a)).expect("read");
            std::fs::remove_file(hb.root().join(&a)).expect("rename");
            hb.write(&b, &text);
            vec![change(a, ChangeKind::Removed), change(b, k)]
        }
        Edit::Style(css) => {
            hb.write("static/site.css", css);
            vec![change("static/site.css".into(), ChangeKind::Modified)]
        }
        Edit::Delete(_) | Edit::Rename(..) => Vec::new(),
    }
}

fn start() -> Handbook {
    let hb = Handbook::with_files(&[
        ("handbook.yaml", "title: Props\nstages:\n  - id: awareness\n  - id: decision\n"),
        ("static/site.css", "body { color: red; }\n"),
        ("static/images/ana.png", "png"),
    ]);
    let personas = PERSONAS.iter().map(|id| (path(id), format!("---\nname: {id}\n---\nAbout {id}.\n")));
    let assets =
        ASSETS.iter().map(|id| (path(id), "---\ntitle: A\npersonas: [ana]\nstages: [awareness]\n---\n".into()));
    let guides = GUIDES.iter().map(|id| (path(id), format!("---\ntitle: {id}\n---\n[[ana]]\n")));
    for (p, text) in personas.chain(assets).chain(guides) {
        hb.write(&p, &text);
    }
    hb
}

/// The site as serve shows it: a partial build laid over the last one.
fn serve(site: &mut BTreeMap<String, Vec<u8>>, fresh: Fresh) {
    if !fresh.partial {
        site.clear();
    }
    site.extend(fresh.site.files);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// After every edit of a random sequence, the preview's first files and
    /// the rebuilt site are those of a fresh build, warnings included.
    #[test]
    fn incremental_builds_equal_fresh_builds_after_random_edits(edits in prop::collection::vec(edit(), 1..10)) {
        let hb = start();
        let opts = BuildOptions::new(hb.root());
        let mut builder = Incremental::new(opts.clone());
        let mut site = BTreeMap::new();
        serve(&mut site, builder.build().expect("first build"));
        for edit in &edits {
            let changes = apply(&hb, edit);
            if changes.is_empty() {
                continue;
            }
            let expected = pipeline::build(&opts);
            if let Some(quick) = builder.preview(&changes) {
                // Static files are copied as they are even when the build fails.
                if let Ok(fresh) = &expected {
                    for (file, bytes) in &quick.files {
                        prop_assert!(fresh.site.files.get(file) == Some(bytes), "preview of {:?}: {}", edit, file);
                    }
                }
                site.extend(quick.files);
            }
            match (builder.rebuild(&changes), expected) {
                (Ok(got), Ok(want)) => {
                    prop_assert_eq!(got.warnings.to_string(), want.diagnostics.to_string(), "warnings after {:?}", edit);
                    serve(&mut site, got);
                    let differ: Vec<&String> = want.site.files.iter().filter(|(k, v)| site.get(*k) != Some(v)).map(|(k, _)| k).collect();
                    let extra: Vec<&String> = site.keys().filter(|k| !want.site.files.contains_key(*k)).collect();
                    prop_assert!(differ.is_empty() && extra.is_empty(), "after {:?}: differ {:?}, extra {:?}", edit, differ, extra);
                }
                (Err(got), Err(want)) => prop_assert_eq!(got.to_string(), want.to_string()),
                (got, want) => prop_assert!(false, "after {:?}: rebuild {:?}, fresh {:?}", edit, got.is_ok(), want.is_ok()),
            }
        }
    }
}

/// A handbook of 40 personas that do not know each other, and assets for some.
fn crowd() -> Handbook {
    let hb = Handbook::with_files(&[("handbook.yaml", "title: Crowd\n")]);
    for i in 0..40 {
        hb.write(
            &format!("content/personas/p{i}.md"),
            &format!("---\nname: Person {i}\ntags: [t{}]\n---\nAbout.\n", i % 4),
        );
        hb.write(
            &format!("content/assets/a{i}.md"),
            &format!("---\ntitle: Asset {i}\npersonas: [p{}]\n---\n", (i + 1) % 40),
        );
    }
    hb
}

#[test]
fn a_persona_edit_re_renders_only_the_pages_that_show_the_persona() {
    let hb = crowd();
    let opts = BuildOptions::new(hb.root());
    let mut builder = Incremental::new(opts.clone());
    let first = builder.build().expect("first build");
    assert!(!first.partial);
    hb.write("content/personas/p7.md", "---\nname: Person Seven\ntags: [t3]\n---\nEdited.\n");
    let changes = [Change { path: "content/personas/p7.md".into(), kind: ChangeKind::Modified }];
    let quick = builder.preview(&changes).expect("the persona's own pages first");
    let own: Vec<&str> = quick.files.keys().map(String::as_str).collect();
    assert_eq!(own, ["journeys/p7/index.html", "personas/p7/index.html"]);
    let fresh = builder.rebuild(&changes).expect("rebuild");
    assert!(fresh.partial, "the site kept its shape");
    let files: Vec<&str> = fresh.site.files.keys().map(String::as_str).collect();
    for page in ["personas/p7/index.html", "journeys/p7/index.html", "library/a6/index.html", "tags/t3/index.html"] {
        assert!(files.contains(&page), "{page} shows the persona: {files:?}");
    }
    for page in ["personas/p8/index.html", "journeys/p6/index.html", "library/a7/index.html", "tags/t1/index.html"] {
        assert!(!files.contains(&page), "{page} does not show the persona");
    }
    let people = files.iter().filter(|f| f.starts_with("personas/p") || f.starts_with("library/a")).count();
    assert_eq!(people, 2, "the persona and the asset naming it: {files:?}");
    assert_eq!(fresh.rendered, files.len());
    assert!(fresh.rendered * 3 < first.rendered, "{} of {} outputs", fresh.rendered, first.rendered);
    let mut site = first.site.files;
    site.extend(fresh.site.files);
    assert_eq!(site, pipeline::build(&opts).expect("fresh").site.files);
}

/// Builds `hb`, saves `text` at `path`, rebuilds: the files the rebuild
/// gave, after checking the site it makes equals a fresh build.
fn save_and_rebuild(hb: &Handbook, path: &str, text: &str) -> BTreeMap<String, Vec<u8>> {
    let opts = BuildOptions::new(hb.root());
    let mut builder = Incremental::new(opts.clone());
    let first = builder.build().expect("first build");
    hb.write(path, text);
    let changes = [Change { path: path.into(), kind: ChangeKind::Modified }];
    let fresh = builder.rebuild(&changes).expect("rebuild");
    assert!(fresh.partial, "the site kept its shape");
    let mut site = first.site.files;
    site.extend(fresh.site.files.clone());
    assert_eq!(site, pipeline::build(&opts).expect("fresh").site.files);
    fresh.site.files
}

#[test]
fn a_summary_edit_leaves_the_pages_that_list_every_persona_alone() {
    let hb = crowd();
    let text = "---\nname: Person 7\nsummary: Newly summed up.\ntags: [t3]\n---\nAbout.\n";
    let rebuilt = save_and_rebuild(&hb, "content/personas/p7.md", text);
    let files: Vec<&str> = rebuilt.keys().map(String::as_str).collect();
    // Stage pages, the library's data and the content map show a persona's
    // name and journey, not its summary.
    for page in ["stages/awareness/index.html", "content-map/index.html", "content-map.csv", "library/index.html"] {
        assert!(!files.contains(&page), "{page} does not show a summary: {files:?}");
    }
    assert!(!files.contains(&"search/library.js"), "the library's data: {files:?}");
    assert!(files.contains(&"personas/p7/index.html"), "{files:?}");
}

#[test]
fn an_asset_edit_leaves_the_persona_comparison_alone() {
    let hb = crowd();
    let rebuilt = save_and_rebuild(&hb, "content/assets/a3.md", "---\ntitle: Asset three\npersonas: [p4]\n---\n");
    assert!(rebuilt.contains_key("library/index.html"), "the library lists the asset: {:?}", rebuilt.keys());
    for page in ["compare/index.html", "search/compare.js"] {
        assert!(!rebuilt.contains_key(page), "{page} shows personas only: {:?}", rebuilt.keys());
    }
}

#[test]
fn an_asset_title_edit_reaches_the_stage_pages_whose_journeys_link_it() {
    let hb = Handbook::with_files(&[
        ("handbook.yaml", "title: Links\nstages:\n  - id: awareness\n  - id: decision\n"),
        ("content/personas/ana.md", "---\nname: Ana\njourney:\n  awareness: {goal: \"Read [[roi]]\"}\n---\n"),
        ("content/assets/roi.md", "---\ntitle: ROI\npersonas: [ana]\nstages: [decision]\n---\n"),
    ]);
    let text = "---\ntitle: ROI calculator\npersonas: [ana]\nstages: [decision]\n---\n";
    let rebuilt = save_and_rebuild(&hb, "content/assets/roi.md", text);
    let page = String::from_utf8_lossy(&rebuilt["stages/awareness/index.html"]).into_owned();
    assert!(page.contains("ROI calculator"), "Ana's awareness goal links the asset by its title");
}

#[test]
fn a_guide_title_edit_reaches_the_stage_pages_only_through_journey_links() {
    let hb = Handbook::with_files(&[
        ("handbook.yaml", "title: Guides\nstages:\n  - id: awareness\n  - id: decision\n"),
        (
            "content/personas/ana.md",
            "---\nname: Ana\njourney:\n  awareness: {goal: \"Follow [[guides/start]]\"}\n---\n",
        ),
        ("content/assets/roi.md", "---\ntitle: ROI\npersonas: [ana]\nstages: [decision]\n---\n"),
        ("content/guides/start.md", "---\ntitle: Start\n---\nHello.\n"),
        ("content/guides/faq.md", "---\ntitle: FAQ\n---\nAsk.\n"),
    ]);
    // No journey links the FAQ: its new title shows on no stage page.
    let rebuilt = save_and_rebuild(&hb, "content/guides/faq.md", "---\ntitle: Questions\n---\nAsk.\n");
    assert!(rebuilt.contains_key("guides/start/index.html"), "the navigation: {:?}", rebuilt.keys());
    for listing in ["stages/awareness/index.html", "stages/decision/index.html", "search/library.js"] {
        assert!(!rebuilt.contains_key(listing), "{listing}: {:?}", rebuilt.keys());
    }
    let rebuilt = save_and_rebuild(&hb, "content/guides/start.md", "---\ntitle: Start here\n---\nHello.\n");
    let page = String::from_utf8_lossy(&rebuilt["stages/awareness/index.html"]).into_owned();
    assert!(page.contains("Start here"), "Ana's awareness goal links the guide by its title");
}

#[test]
fn term_pages_follow_the_cards_they_show() {
    let hb = crowd();
    // A body edit shows nowhere on a card: the persona's tag page stays.
    let body = save_and_rebuild(&hb, "content/personas/p7.md", "---\nname: Person 7\ntags: [t3]\n---\nRewritten.\n");
    assert!(!body.contains_key("tags/t3/index.html"), "{:?}", body.keys());
    // A role is on the card.
    let role = "---\nname: Person 7\nrole: Chief buyer\ntags: [t3]\n---\nRewritten.\n";
    let rebuilt = save_and_rebuild(&hb, "content/personas/p7.md", role);
    let page = String::from_utf8_lossy(&rebuilt["tags/t3/index.html"]).into_owned();
    assert!(page.contains("Chief buyer"), "the tag page shows the persona's card");
}

#[test]
fn a_save_that_splits_a_search_shard_stays_partial() {
    let hb = crowd();
    // Two thousand new words outgrow the one shard the crowd's words fill.
    let words: Vec<String> = (0..2000).map(|i| format!("zqword{i:04}")).collect();
    let text = format!("---\nname: Person 7\ntags: [t3]\n---\n{}\n", words.join(" "));
    let rebuilt = save_and_rebuild(&hb, "content/personas/p7.md", &text);
    let shards: Vec<&str> = rebuilt.keys().map(String::as_str).filter(|f| f.starts_with("search/t")).collect();
    assert!(shards.len() > 1, "the new words made new shards: {shards:?}");
    assert!(!rebuilt.contains_key("personas/p8/index.html"), "other personas stay");
}
