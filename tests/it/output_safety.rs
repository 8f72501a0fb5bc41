//! The output folder under attack and accident: crafted bookkeeping, links
//! planted in and beside it, hand edits, concurrent and killed builds. The
//! writer may only ever change the output folder and its own state folder,
//! and after every successful build the output is exactly a fresh build.

use crate::build::tree;
use crate::harness::Handbook;
use std::path::{Path, PathBuf};

/// A handbook, and a folder beside it with files that must never change.
fn setup() -> (Handbook, PathBuf) {
    let hb = Handbook::fixture("check/valid");
    let victim = hb.root().join("outside");
    std::fs::create_dir_all(victim.join("deep")).unwrap();
    std::fs::write(victim.join("notes.txt"), "keep me").unwrap();
    std::fs::write(victim.join("deep/more.txt"), "keep me too").unwrap();
    (hb, victim)
}

fn fresh_build(hb: &Handbook) -> Vec<(String, Vec<u8>)> {
    let fresh = tempfile::tempdir().unwrap();
    let out = fresh.path().join("site");
    let run = hb.run(&["build", "--output", out.to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    tree(&out)
}

fn assert_untouched(victim: &Path) {
    assert_eq!(std::fs::read_to_string(victim.join("notes.txt")).unwrap(), "keep me");
    assert_eq!(std::fs::read_to_string(victim.join("deep/more.txt")).unwrap(), "keep me too");
}

#[test]
fn crafted_marker_lines_in_a_committed_output_delete_nothing() {
    let (hb, victim) = setup();
    let lines = format!(
        "# personabook\n0000000000000000 7 {}\n0000000000000000 7 ../outside/deep/more.txt\n",
        victim.join("notes.txt").display()
    );
    // As if cloned with a committed public/ and committed old spare folders.
    hb.write("public/.personabook-output", &lines);
    hb.write("public/index.html", "committed");
    hb.write(".public.personabook-spare/.personabook-output", &lines);
    hb.write(".public.personabook/owner", "0 0\n");
    hb.write(".public.personabook/work/.personabook-output", &lines);
    for _ in 0..3 {
        let run = hb.run(&["build"]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        assert_untouched(&victim);
    }
    assert_eq!(tree(&hb.root().join("public")), fresh_build(&hb));
}

#[cfg(unix)]
#[test]
fn links_planted_in_and_beside_the_output_are_never_followed() {
    use std::os::unix::fs::symlink;
    let (hb, victim) = setup();
    assert_eq!(hb.run(&["build"]).code(), 0);
    let out = hb.root().join("public");
    symlink(&victim, hb.root().join(".public.personabook-spare")).unwrap();
    symlink(victim.join("notes.txt"), out.join(".gitignore")).unwrap();
    std::fs::remove_file(out.join("404.html")).unwrap();
    symlink(victim.join("notes.txt"), out.join("404.html")).unwrap();
    std::fs::remove_dir_all(out.join("personas")).unwrap();
    symlink(&victim, out.join("personas")).unwrap();
    let work = hb.root().join(".public.personabook/work");
    if work.exists() {
        std::fs::remove_dir_all(&work).unwrap();
    }
    symlink(&victim, &work).unwrap();
    for _ in 0..3 {
        let run = hb.run(&["build"]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        assert_untouched(&victim);
        assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 2, "nothing added outside");
    }
    assert_eq!(tree(&out), fresh_build(&hb));
}

#[test]
fn hand_edits_and_added_files_in_the_output_are_gone_after_the_next_build() {
    let hb = Handbook::fixture("check/valid");
    let out = hb.root().join("public");
    for _ in 0..2 {
        assert_eq!(hb.run(&["build"]).code(), 0);
    }
    let fresh = fresh_build(&hb);
    // An edit in place writes through to every hard link of the file.
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().write(true).open(out.join("index.html")).unwrap();
    f.write_all(b"<h1>hand edit</h1>").unwrap();
    drop(f);
    std::fs::write(out.join("CNAME"), "personas.example.com").unwrap();
    std::fs::create_dir_all(out.join("extra/deeper")).unwrap();
    std::fs::write(out.join("extra/deeper/x.html"), "x").unwrap();
    for round in 0..3 {
        assert_eq!(hb.run(&["build"]).code(), 0);
        assert!(tree(&out) == fresh, "build {round} after the edits is not a fresh build");
    }
}

#[test]
fn builds_into_one_output_at_once_take_turns_and_all_succeed() {
    let hb = Handbook::fixture("check/valid");
    let children: Vec<_> = (0..6)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_personabook"))
                .args(["--root", hb.root().to_str().unwrap(), "build"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let done = child.wait_with_output().unwrap();
        assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    }
    assert_eq!(tree(&hb.root().join("public")), fresh_build(&hb));
    let names: Vec<_> = std::fs::read_dir(hb.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("personabook"))
        .collect();
    assert_eq!(names, [".public.personabook"]);
}

#[cfg(unix)]
#[test]
fn a_killed_build_leaves_a_whole_site_and_the_next_build_cleans_up() {
    let hb = Handbook::with_files(&[]);
    crate::harness::copy_dir(&crate::harness::repo_root().join("content"), &hb.root().join("content"));
    std::fs::copy(crate::harness::repo_root().join("handbook.yaml"), hb.root().join("handbook.yaml")).unwrap();
    crate::harness::copy_dir(&crate::harness::repo_root().join("data"), &hb.root().join("data"));
    assert_eq!(hb.run(&["build"]).code(), 0);
    let out = hb.root().join("public");
    let reader_out = out.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader_stop = stop.clone();
    // Readers of the output never find it missing, builds killed or not.
    let reader = std::thread::spawn(move || {
        let mut missing = 0;
        while !reader_stop.load(std::sync::atomic::Ordering::Relaxed) {
            if !reader_out.join("index.html").is_file() {
                missing += 1;
            }
        }
        missing
    });
    for delay_ms in [5, 15, 30, 60, 90, 150, 250] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_personabook"))
            .args(["--root", hb.root().to_str().unwrap(), "build"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let run = hb.run(&["build"]);
        assert_eq!(run.code(), 0, "after a kill at {delay_ms} ms: {}", run.stderr());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(reader.join().unwrap(), 0, "the output was missing while builds swapped it");
    assert_eq!(tree(&out), fresh_build(&hb));
    let names: Vec<_> = std::fs::read_dir(hb.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("personabook"))
        .collect();
    assert_eq!(names, [".public.personabook"], "no leftovers of killed builds");
}

#[test]
fn an_output_that_is_a_link_is_refused() {
    let (hb, victim) = setup();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&victim, hb.root().join("public")).unwrap();
    #[cfg(unix)]
    {
        let run = hb.run(&["build"]);
        assert_eq!(run.code(), 1);
        assert!(run.stderr().contains("is not a folder"), "{}", run.stderr());
        assert_untouched(&victim);
        assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 2);
    }
}
