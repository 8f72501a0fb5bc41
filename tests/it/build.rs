//! `personabook build` as a user runs it: the summary line, the output
//! folder's safety rules, and failed builds leaving the old site alone.

use crate::harness::Handbook;

#[test]
fn build_prints_one_summary_line_and_writes_the_site() {
    let hb = Handbook::fixture("check/valid");
    let run = hb.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let out = run.stdout();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("built ") && out.contains(" pages ") && out.trim_end().ends_with(" s"), "{out}");
    assert!(hb.root().join("public/index.html").is_file());
    let bookkeeping: Vec<_> =
        tree(&hb.root().join("public")).into_iter().map(|(p, _)| p).filter(|p| p.contains("personabook")).collect();
    assert!(bookkeeping.is_empty(), "the published site holds none of the writer's files: {bookkeeping:?}");
}

#[test]
fn output_onto_a_folder_with_user_files_is_refused_and_the_files_stay() {
    let hb = Handbook::fixture("check/valid");
    let mine = hb.root().join("my-docs");
    std::fs::create_dir_all(mine.join("sub")).unwrap();
    std::fs::write(mine.join("plan.txt"), "keep me").unwrap();
    std::fs::write(mine.join("sub/notes.md"), "mine").unwrap();
    let run = hb.run(&["build", "--output", mine.to_str().unwrap()]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("did not write"), "{}", run.stderr());
    assert!(run.stderr().contains("--output"), "the hint names the flag: {}", run.stderr());
    assert_eq!(std::fs::read_to_string(mine.join("plan.txt")).unwrap(), "keep me");
    assert_eq!(std::fs::read_to_string(mine.join("sub/notes.md")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(&mine).unwrap().count(), 2, "nothing added");
}

#[test]
fn output_over_the_handbook_itself_is_refused() {
    let hb = Handbook::fixture("check/valid");
    let before = tree(hb.root());
    let run = hb.run(&["build", "--output", hb.root().to_str().unwrap()]);
    assert_eq!(run.code(), 1);
    let stderr = run.stderr();
    assert!(
        stderr.starts_with("error: the output folder ") && stderr.contains("would contain the handbook itself"),
        "{stderr}"
    );
    assert!(stderr.contains("= hint: write the site to its own folder, e.g. --output public"), "{stderr}");
    assert_eq!(tree(hb.root()), before, "nothing in the handbook changed, no state folder was made");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let hb = Handbook::fixture("check/valid");
    assert_eq!(hb.run(&["build"]).code(), 0);
    let index = hb.root().join("public/index.html");
    let before = std::fs::read(&index).unwrap();
    hb.write("content/assets/broken.md", "---\ntitle: Broken\npersonas: [nobody]\n---\n");
    let run = hb.run(&["build"]);
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(err.contains("content/assets/broken.md:3:12: error: unknown persona id \"nobody\""), "{err}");
    assert!(err.contains("output folder was not changed"), "{err}");
    assert_eq!(std::fs::read(&index).unwrap(), before);
    assert_eq!(beside_output(hb.root()), [".public.personabook"], "only the writer's one state folder");
}

#[test]
fn a_rebuild_replaces_pages_that_no_longer_exist() {
    let hb = Handbook::fixture("check/valid");
    assert_eq!(hb.run(&["build"]).code(), 0);
    assert!(hb.root().join("public/guides/intro/index.html").is_file());
    std::fs::remove_file(hb.root().join("content/guides/intro.md")).unwrap();
    assert_eq!(hb.run(&["build"]).code(), 0);
    assert!(!hb.root().join("public/guides/intro/index.html").exists());
}

#[test]
fn output_dir_from_config_and_base_url_flag() {
    let hb = Handbook::fixture("check/valid");
    hb.write("handbook.yaml", "title: T\noutput_dir: site\nbase_url: https://a.example/hb/\n");
    let run = hb.run(&["build", "--base-url", "https://b.example/x/"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let sitemap = std::fs::read_to_string(hb.root().join("site/sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://b.example/x/personas/ana-costa/"), "{sitemap}");
    assert!(!sitemap.contains("a.example"), "{sitemap}");
}

#[test]
fn the_example_handbook_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = crate::harness::run_in(&crate::harness::repo_root(), &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    // The example lives in this repository; a shallow clone of it (as CI
    // checkouts often are) says so once, and nothing else may be said.
    let shallow = std::process::Command::new("git")
        .args(["rev-parse", "--is-shallow-repository"])
        .current_dir(crate::harness::repo_root())
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"true"));
    let said = run.stderr();
    let rest: Vec<&str> = said
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.contains("shallow clone") && !l.contains("--unshallow"))
        .collect();
    assert!(rest.is_empty(), "no warnings on the example: {said}");
    assert_eq!(said.matches("warning: the repository is a shallow clone").count(), usize::from(shallow), "{said}");
    for page in ["index.html", "content-map/index.html", "library/index.html", "search/index.html", "404.html"] {
        assert!(out.join(page).is_file(), "{page}");
    }
}

/// Every entry of an output folder: (path, bytes; links and other
/// non-files as a word), sorted.
pub(crate) fn tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let bytes =
                if e.file_type().is_file() { std::fs::read(e.path()).unwrap() } else { b"<not a file>".to_vec() };
            (crate::harness::rel(dir, e.path()), bytes)
        })
        .collect();
    files.sort();
    files
}

/// The names in `dir` that have to do with the writer, sorted.
fn beside_output(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("personabook"))
        .collect();
    names.sort();
    names
}

#[test]
fn one_thread_and_two_threads_write_byte_identical_sites() {
    let tmp = tempfile::tempdir().unwrap();
    let mut trees = Vec::new();
    for threads in ["1", "2"] {
        let out = tmp.path().join(format!("out-{threads}"));
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_personabook"))
            .env("RAYON_NUM_THREADS", threads)
            .args(["--root", crate::harness::repo_root().to_str().unwrap(), "build", "--drafts", "--output"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        trees.push(tree(&out));
    }
    assert!(trees[0].len() > 100);
    let paths = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&trees[0]), paths(&trees[1]));
    for (a, b) in trees[0].iter().zip(&trees[1]) {
        assert!(a.1 == b.1, "{} differs between 1 and 2 threads", a.0);
    }
}

#[test]
fn rebuilding_over_a_recycled_folder_gives_the_same_site_as_a_fresh_build() {
    let hb = Handbook::fixture("check/valid");
    let fresh = hb.root().join("fresh");
    for _ in 0..3 {
        assert_eq!(hb.run(&["build"]).code(), 0);
    }
    hb.write(
        "content/personas/ana-costa.md",
        &std::fs::read_to_string(hb.root().join("content/personas/ana-costa.md"))
            .unwrap()
            .replace("Head of Growth", "Chief Growth Officer"),
    );
    std::fs::remove_file(hb.root().join("content/guides/intro.md")).unwrap();
    assert_eq!(hb.run(&["build"]).code(), 0);
    assert_eq!(hb.run(&["build", "--output", fresh.to_str().unwrap()]).code(), 0);
    assert_eq!(tree(&hb.root().join("public")), tree(&fresh));
    let page = std::fs::read_to_string(hb.root().join("public/personas/ana-costa/index.html")).unwrap();
    assert!(page.contains("Chief Growth Officer"));
    assert_eq!(std::fs::read_to_string(hb.root().join(".public.personabook/.gitignore")).unwrap(), "*\n");
}
