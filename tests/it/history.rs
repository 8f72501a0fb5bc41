//! The git history on the site: a real repository made in a temp folder
//! (see `git::story`), built, and the persona pages, the reviews page,
//! `changes.xml` and `handbook.json` checked against what was committed;
//! a shallow clone, `history: false` and a folder outside git.

use crate::git::{commit, git, story};
use crate::harness::{run_in, Handbook};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};

/// Builds the handbook at `root` into a temp folder; the folder and stderr.
fn build(root: &Path) -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = run_in(root, &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    (tmp, out, run.stderr())
}

fn page(out: &Path, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(path)).unwrap())
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn a_persona_page_shows_dates_and_its_change_log_field_by_field() {
    let hb = story();
    let (_tmp, out, stderr) = build(hb.root());
    assert!(!stderr.contains("warning"), "no warnings: {stderr}");
    let doc = page(&out, "personas/ana-ruiz/index.html");
    assert_eq!(texts(&doc, ".history-dates div"), ["Created 2026-01-05 by Alice", "Last changed 2026-03-05 by Carol"]);
    // Newest first; the merge and the other files' commits are not Ana's.
    let commits = texts(&doc, ".history-log > li > .history-commit");
    assert_eq!(commits.len(), 3, "{commits:?}");
    assert!(commits[0].starts_with("2026-03-05 Carol Name Ana's file after her"), "{commits:?}");
    assert!(commits[1].starts_with("2026-02-05 Bob Ana leads product now"), "{commits:?}");
    assert!(commits[2].starts_with("2026-01-05 Alice Add Ana"), "{commits:?}");
    let changes: Vec<Vec<String>> =
        (1..=3).map(|n| texts(&doc, &format!(".history-log > li:nth-child({n}) .history-changes li"))).collect();
    assert_eq!(changes[0], ["Renamed from personas/ana.md"]);
    assert_eq!(
        changes[1],
        [
            "role Product Manager → Head of Product",
            "goals Cut costs Save time",
            "channels LinkedIn Podcasts Slack",
            "journey, awareness needs",
            "body edited: 1 line added, 0 removed",
        ]
    );
    assert_eq!(changes[2], ["Created"]);
    // What was added and what removed, told apart by the markup.
    let bob = ".history-log > li:nth-child(2)";
    assert_eq!(texts(&doc, &format!("{bob} ins")), ["Head of Product", "Cut costs", "LinkedIn", "Podcasts", "Slack"]);
    assert_eq!(texts(&doc, &format!("{bob} del")), ["Product Manager", "Save time"]);
}

#[test]
fn reviews_show_what_changed_since_the_review_and_flag_big_changes() {
    let hb = story();
    let (_tmp, out, _) = build(hb.root());
    let persona = page(&out, "personas/ana-ruiz/index.html");
    let since = texts(&persona, ".history-since");
    assert_eq!(since.len(), 1);
    // Carol's rename moved the file and changed nothing in it: not counted.
    assert!(since[0].starts_with("Changed a lot since review 1 commit after the review of 2026-01-10"), "{since:?}");
    assert!(since[0].contains("the last on 2026-02-05") && since[0].contains("by Bob."), "{since:?}");
    assert!(since[0].contains("Fields: role, goals, channels, journey."), "{since:?}");
    let reviews = page(&out, "reviews/index.html");
    let rows = texts(&reviews, ".history-review-list > li");
    assert_eq!(rows.len(), 1, "Ben was never reviewed, so only Ana is listed: {rows:?}");
    assert!(rows[0].starts_with("Ana Ruiz Changed a lot since review"), "{rows:?}");
    let link = Selector::parse(".history-review-list a").unwrap();
    let href = reviews.select(&link).next().unwrap().value().attr("href").unwrap();
    assert_eq!(href, "../personas/ana-ruiz/index.html#pb-history");
    assert!(out.join("personas/ana-ruiz/index.html").is_file());
}

#[test]
fn assets_have_their_history_and_a_merge_adds_nothing_of_its_own() {
    let hb = story();
    let (_tmp, out, _) = build(hb.root());
    let webinar = page(&out, "library/webinar/index.html");
    assert_eq!(
        texts(&webinar, ".history-dates div"),
        ["Created 2026-03-10 by Dave", "Last changed 2026-03-10 by Dave"]
    );
    let guide = page(&out, "library/guide/index.html");
    let log = texts(&guide, ".history-log > li .history-changes li");
    assert_eq!(log, ["personas ana-ruiz ana", "Created"]);
}

#[test]
fn changes_xml_is_an_atom_feed_of_the_commits_that_changed_personas_or_assets() {
    let hb = story();
    let (_tmp, out, _) = build(hb.root());
    let text = std::fs::read_to_string(out.join("changes.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let feed = doc.root_element();
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!((feed.tag_name().namespace(), feed.tag_name().name()), (Some(atom), "feed"));
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children().find(|c| c.tag_name().name() == name).and_then(|c| c.text().map(str::to_string))
    };
    assert_eq!(child(feed, "id").as_deref(), Some("https://handbook.example/changes.xml"));
    assert_eq!(child(feed, "updated").as_deref(), Some("2026-03-12T10:00:00Z"));
    let entries: Vec<_> = feed.children().filter(|c| c.tag_name().name() == "entry").collect();
    let titles: Vec<String> = entries.iter().map(|e| child(*e, "title").unwrap()).collect();
    assert_eq!(
        titles,
        [
            "Add Ben",
            "Add the pricing webinar",
            "Name Ana's file after her",
            "Ana leads product now",
            "Add Ana and the buyer guide"
        ]
    );
    for e in &entries {
        // RFC 4287: every entry has an id, an updated date and an author's name.
        assert!(child(*e, "id").unwrap().starts_with("https://handbook.example/changes.xml#"));
        assert!(child(*e, "updated").unwrap().parse::<jiff::Timestamp>().is_ok());
        let author = e.children().find(|c| c.tag_name().name() == "author").unwrap();
        assert!(child(author, "name").is_some());
    }
    let links: Vec<&str> =
        entries[0].children().filter(|c| c.tag_name().name() == "link").filter_map(|l| l.attribute("href")).collect();
    assert_eq!(links, ["https://handbook.example/personas/ben/"]);
    let summary = child(entries[3], "summary").unwrap();
    assert!(summary.starts_with("changed Ana Ruiz: role, goals, channels, journey, body ("), "{summary}");
}

#[test]
fn handbook_json_carries_the_dates_and_change_logs() {
    let hb = story();
    let (_tmp, out, _) = build(hb.root());
    let bytes = std::fs::read(out.join("handbook.json")).unwrap();
    // Written item by item, it is the model as serde writes it.
    let built = personabook::pipeline::build(&personabook::pipeline::BuildOptions::new(hb.root())).unwrap();
    assert!(bytes == [serde_json::to_vec(&built.handbook).unwrap(), b"\n".to_vec()].concat());
    let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let history = &json["history"];
    assert_eq!(history["shallow"], false);
    assert_eq!(history["commits"].as_array().unwrap().len(), 5, "the merge changed nothing of its own");
    let ana = &history["files"]["personas/ana-ruiz.md"];
    assert_eq!(ana["created"]["author"], "Alice");
    assert_eq!(ana["changed"]["date"], "2026-03-05T10:00:00Z");
    let log = ana["log"].as_array().unwrap();
    assert_eq!(log[0]["kind"], "renamed");
    assert_eq!(log[0]["from"], "personas/ana.md");
    let goals = log[1]["fields"].as_array().unwrap().iter().find(|f| f["field"] == "goals").unwrap();
    assert_eq!(goals["added"], serde_json::json!(["Cut costs"]));
    assert_eq!(goals["removed"], serde_json::json!(["Save time"]));
    assert_eq!(log[1]["body"], serde_json::json!({"added": 1, "removed": 0}));
}

#[test]
fn a_shallow_clone_warns_once_and_shows_only_what_it_knows() {
    let hb = story();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", hb.root().display());
    git(clone.path(), &["clone", "-q", "--depth", "2", &url, "repo"]);
    let root = clone.path().join("repo");
    let (_tmp, out, stderr) = build(&root);
    assert_eq!(stderr.matches("shallow clone").count(), 1, "{stderr}");
    assert!(stderr.contains("git fetch --unshallow") && stderr.contains("fetch-depth: 0"), "{stderr}");
    // Depth 2 from the merge: the merge and its parents; the parents are
    // the boundary, so no commit of the clone says what it changed.
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("handbook.json")).unwrap()).unwrap();
    assert_eq!(json["history"]["shallow"], true);
    assert!(json["history"]["files"].as_object().unwrap().is_empty(), "{}", json["history"]);
    // One commit more: Ben's is known now, but not when he was created.
    hb.write("content/personas/ben.md", "---\nname: Ben Okafor\nrole: CFO\ngoals: [Cut risk]\n---\nBen signs.\n");
    commit(hb.root(), "Gus", "2026-04-01T10:00:00Z", "Ben's first goal");
    git(&root, &["fetch", "-q", "--depth", "2", "origin", "main"]);
    git(&root, &["reset", "-q", "--hard", "origin/main"]);
    let (_tmp, out, _) = build(&root);
    let ben = page(&out, "personas/ben/index.html");
    let dates = texts(&ben, ".history-dates div");
    assert_eq!(dates, ["Created before the oldest commit of this clone", "Last changed 2026-04-01 by Gus"]);
    assert_eq!(texts(&ben, ".history-shallow").len(), 1);
}

#[test]
fn outside_git_or_with_history_false_the_site_is_as_before() {
    let plain = Handbook::fixture("history/start");
    let (_tmp, out, stderr) = build(plain.root());
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(!out.join("changes.xml").exists());
    assert!(!out.join("static/history.css").exists());
    let doc = page(&out, "personas/ana/index.html");
    assert!(texts(&doc, "#pb-history").is_empty());
    let json = std::fs::read_to_string(out.join("handbook.json")).unwrap();
    assert!(!json.contains("\"history\""));

    let hb = story();
    let yaml = std::fs::read_to_string(hb.root().join("handbook.yaml")).unwrap();
    hb.write("handbook.yaml", &format!("{yaml}history: false\n"));
    let (_tmp, out, _) = build(hb.root());
    assert!(!out.join("changes.xml").exists());
    assert!(texts(&page(&out, "personas/ana-ruiz/index.html"), "#pb-history").is_empty());
}

#[test]
fn edit_url_puts_an_edit_link_on_every_item_page() {
    let hb = Handbook::fixture("history/start");
    hb.write("handbook.yaml", "edit_url: https://gitlab.example/org/repo/-/edit/main/docs/{path}\n");
    hb.write("content/guides/start.md", "# Start here\n");
    let (_tmp, out, _) = build(hb.root());
    let link = |path: &str| {
        let doc = page(&out, path);
        let sel = Selector::parse("a.history-edit").unwrap();
        doc.select(&sel).next().map(|a| a.value().attr("href").unwrap().to_string())
    };
    let base = "https://gitlab.example/org/repo/-/edit/main/docs/content";
    assert_eq!(link("personas/ana/index.html").unwrap(), format!("{base}/personas/ana.md"));
    assert_eq!(link("library/guide/index.html").unwrap(), format!("{base}/assets/guide.md"));
    assert_eq!(link("guides/start/index.html").unwrap(), format!("{base}/guides/start.md"));
    assert!(out.join("static/history.css").is_file());

    hb.write("handbook.yaml", "edit_url: javascript:alert(1)//{path}\n");
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr().contains("`edit_url` \"javascript:alert(1)//{path}\" must be an http(s) URL"),
        "{}",
        run.stderr()
    );
}

#[test]
fn serve_picks_up_a_new_commit_without_a_restart() {
    use personabook::pipeline::{BuildOptions, Incremental};
    let hb = story();
    let builder = Incremental::new(BuildOptions::new(hb.root()));
    let server = personabook::serve::Server::start(crate::serve::options(hb.root()), builder).unwrap();
    let addr = server.addr();
    let ben = crate::serve::get(addr, "/personas/ben/");
    assert!(ben.body.contains("Add Ben") && !ben.body.contains("Ben has a goal"), "{}", ben.body);
    // The file changes first (a save), then only git moves (the commit).
    hb.write("content/personas/ben.md", "---\nname: Ben Okafor\nrole: CFO\ngoals: [Cut risk]\n---\nBen signs.\n");
    let wait = |what: &str, ok: &dyn Fn(&str) -> bool| {
        let start = std::time::Instant::now();
        loop {
            let body = crate::serve::get(addr, "/personas/ben/").body;
            if ok(&body) {
                return body;
            }
            assert!(start.elapsed() < std::time::Duration::from_secs(20), "{what}: {body}");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    };
    wait("the save", &|b| b.contains("Cut risk"));
    commit(hb.root(), "Gus", "2026-04-01T10:00:00Z", "Ben has a goal");
    let body = wait("the commit", &|b| b.contains("Ben has a goal"));
    assert!(body.contains("2026-04-01"), "{body}");
    drop(server);
}

#[test]
fn a_packed_repository_has_the_same_history_as_a_loose_one() {
    let hb = story();
    let (_tmp, out, _) = build(hb.root());
    let loose = std::fs::read(out.join("handbook.json")).unwrap();
    // As a clone arrives: every object in one pack, most as deltas.
    git(hb.root(), &["gc", "-q", "--aggressive"]);
    let packs = std::fs::read_dir(hb.root().join(".git/objects/pack")).unwrap().count();
    assert!(packs >= 2, "a pack and its index");
    let (_tmp, out, _) = build(hb.root());
    assert!(std::fs::read(out.join("handbook.json")).unwrap() == loose);
}

/// A history long enough for two reader threads (trees on one, fields on
/// the other): every commit's change is in the log, in order, and each
/// edit's fields are the ones that commit made.
#[test]
fn a_long_history_keeps_every_change_in_order() {
    let hb = Handbook::fixture("history/start");
    let dir = hb.root();
    git(dir, &["init", "-q"]);
    commit(dir, "Alice", "2026-01-01T10:00:00Z", "Start");
    let ana = std::fs::read_to_string(dir.join("content/personas/ana.md")).unwrap();
    let edits = 80;
    for n in 1..=edits {
        let role = format!("role: Role {n}");
        hb.write("content/personas/ana.md", &ana.replace("role: Product Manager", &role));
        let date = format!("2026-02-{:02}T{:02}:{:02}:00Z", 1 + n / 24, n % 24, n % 60);
        commit(dir, &format!("Writer{}", n % 3), &date, &format!("Role {n}"));
    }
    let (_tmp, out, _) = build(dir);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("handbook.json")).unwrap()).unwrap();
    let log = json["history"]["files"]["personas/ana.md"]["log"].as_array().unwrap();
    assert_eq!(log.len(), edits + 1);
    for (k, entry) in log.iter().take(edits).enumerate() {
        let n = edits - k;
        assert_eq!(entry["commit"]["subject"], format!("Role {n}"));
        let before = if n == 1 { "Product Manager".to_string() } else { format!("Role {}", n - 1) };
        let expected =
            serde_json::json!([{"kind": "value", "field": "role", "before": before, "after": format!("Role {n}")}]);
        assert_eq!(entry["fields"], expected, "commit {n}");
    }
    assert_eq!(log[edits]["kind"], "added");
}
