//! Writing a rendered site to disk: the only code that writes the output.
//!
//! The writer owns exactly one folder, the output, and its own state folder
//! beside it (`state`). A build writes the new site into the state folder
//! and swaps it in whole, so a failed or interrupted build never leaves a
//! half-written site, and readers never find the output missing where the
//! platform can exchange two folders in one step. An output folder is
//! replaced only when it is missing, empty, or the one a build of ours
//! published; a folder with anything else in it is refused, never emptied.
//! `nofollow` holds the file-system steps, none of which follows a link;
//! `staging` the write path and why it is fast.

mod nofollow;
mod record;
mod staging;
mod state;

pub use staging::Staging;

use state::State;
use std::io;
use std::path::{Path, PathBuf};

/// The marker personabook 0.1 wrote into its output folders. A folder that
/// has it is taken as a site of ours (so upgrading needs no clean-up); the
/// file is never read, and the next build leaves it out.
pub const LEGACY_MARKER: &str = ".personabook-output";

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path} has files that personabook did not write; refusing to replace it")]
    NotOurs { path: PathBuf },
    #[error("{path} is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("the output folder {path} would contain the handbook itself ({root})")]
    ContainsRoot { path: PathBuf, root: PathBuf },
    #[error("the output folder {path} is inside the handbook's {inside}/ folder, which is read as input")]
    InsideInput { path: PathBuf, inside: &'static str },
    #[error("the site would have a file at {rel:?}, which is not a plain path inside the output folder")]
    BadPath { rel: String },
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl OutputError {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            OutputError::NotOurs { .. } => {
                "choose another folder with --output (or output_dir in handbook.yaml), or empty this one yourself"
            }
            OutputError::NotAFolder { .. } => "choose a folder path with --output (a link to a folder is not followed)",
            OutputError::ContainsRoot { .. } | OutputError::InsideInput { .. } => {
                "write the site to its own folder, e.g. --output public"
            }
            OutputError::BadPath { .. } => "rename the file in content/ or static/ that gives this path",
            OutputError::Io { .. } => "check the folder's permissions and free disk space",
        }
    }
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// The output must not hold the handbook, sit among its inputs, or be
/// anything but a real folder.
fn check_placement(out: &Path, root: &Path) -> Result<(), OutputError> {
    let abs_out = absolute(out);
    let abs_root = absolute(root);
    if abs_root.starts_with(&abs_out) {
        return Err(OutputError::ContainsRoot { path: out.to_path_buf(), root: root.to_path_buf() });
    }
    for inside in crate::layout::INPUT_DIRS {
        if abs_out.starts_with(abs_root.join(inside)) {
            return Err(OutputError::InsideInput { path: out.to_path_buf(), inside });
        }
    }
    match nofollow::kind(out).map_err(io_err(out))? {
        nofollow::Kind::Missing | nofollow::Kind::Dir => Ok(()),
        nofollow::Kind::File { .. } | nofollow::Kind::Other => Err(OutputError::NotAFolder { path: out.to_path_buf() }),
    }
}

/// A folder that is there must be empty, or the one our last build
/// published, or one personabook 0.1 marked as its own.
fn check_owned(out: &Path) -> Result<(), OutputError> {
    if nofollow::kind(out).map_err(io_err(out))? != nofollow::Kind::Dir {
        return Ok(());
    }
    let legacy = matches!(nofollow::kind(&out.join(LEGACY_MARKER)), Ok(nofollow::Kind::File { .. }));
    if legacy || State::owns(&State::path_for(out), out) || is_empty_dir(out).map_err(io_err(out))? {
        Ok(())
    } else {
        Err(OutputError::NotOurs { path: out.to_path_buf() })
    }
}

fn is_empty_dir(p: &Path) -> io::Result<bool> {
    Ok(std::fs::read_dir(p)?.next().is_none())
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
    // Canonicalise the longest existing ancestor, keep the rest as written.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(n), Some(parent)) => {
                rest.push(n);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for n in rest.into_iter().rev() {
        out.push(n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Site;

    /// Writes a whole in-memory site the way `build` streams one.
    fn write_site(site: &Site, out: &Path, root: &Path) -> Result<(), OutputError> {
        let staging = Staging::begin(out, root)?;
        for (path, bytes) in &site.files {
            staging.put(path, bytes.clone())?;
        }
        staging.commit()
    }

    fn site(files: &[(&str, &str)]) -> Site {
        let files = files.iter().map(|(p, c)| (p.to_string(), c.as_bytes().to_vec())).collect();
        Site { files, packed: false }
    }

    /// Every entry under `dir`: (path, text of a file or "<dir>"/"<link>"), sorted.
    /// Not `load::walk`: the tests must see the output as it is on disk,
    /// links as links (never followed), folders included.
    fn walk(dir: &Path) -> Vec<(String, String)> {
        if !dir.exists() {
            return Vec::new();
        }
        let mut v: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                let what = if e.path_is_symlink() {
                    "<link>".to_string()
                } else if e.file_type().is_dir() {
                    "<dir>".to_string()
                } else {
                    std::fs::read_to_string(e.path()).unwrap()
                };
                (rel, what)
            })
            .collect();
        v.sort();
        v
    }

    fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = list.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect();
        for (p, _) in list {
            let mut parent = Path::new(p).parent();
            while let Some(d) = parent.filter(|d| !d.as_os_str().is_empty()) {
                v.push((d.to_string_lossy().into_owned(), "<dir>".into()));
                parent = d.parent();
            }
        }
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn writes_then_replaces_its_own_output_and_publishes_no_bookkeeping() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("hb");
        std::fs::create_dir_all(&root).unwrap();
        let out = root.join("public");
        write_site(&site(&[("index.html", "one"), ("personas/a/index.html", "a")]), &out, &root).unwrap();
        assert_eq!(walk(&out), files(&[("index.html", "one"), ("personas/a/index.html", "a")]));
        write_site(&site(&[("index.html", "two")]), &out, &root).unwrap();
        assert_eq!(walk(&out), files(&[("index.html", "two")]), "stale pages are gone, no marker inside");
        let mut beside: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name()).collect();
        beside.sort();
        assert_eq!(beside, [".public.personabook", "public"], "one state folder beside the output");
        assert_eq!(std::fs::read_to_string(root.join(".public.personabook/.gitignore")).unwrap(), "*\n");
    }

    #[test]
    fn a_recycled_folder_never_changes_the_live_output_and_drops_stale_files() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("hb"), tmp.path().join("out"));
        // The work folder is recycled from the output one build back, so
        // builds meet a file where a folder goes and the reverse.
        let builds: [&[(&str, &str)]; 5] = [
            &[("a/index.html", "1"), ("b/index.html", "1"), ("c", "file"), ("gone/index.html", "x")],
            &[("a/index.html", "2"), ("b/index.html", "1"), ("c/index.html", "now a folder")],
            &[("a/index.html", "3"), ("b/index.html", "1"), ("c", "file again")],
            &[("a/index.html", "3"), ("c/d/index.html", "deeper")],
            &[("a/index.html", "3"), ("c", "file again")],
        ];
        for list in builds {
            let before = walk(&out);
            let staging = Staging::begin(&out, &root).unwrap();
            for (p, c) in list {
                staging.put(p, c.as_bytes().to_vec()).unwrap();
            }
            assert_eq!(walk(&out), before, "the live output is untouched until the swap");
            staging.commit().unwrap();
            assert_eq!(walk(&out), files(list));
        }
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_kept_not_rewritten_and_touched_ones_are_rewritten() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("hb"), tmp.path().join("out"));
        let ino = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let files = [("a.html", "same"), ("b/index.html", "same too")];
        write_site(&site(&files), &out, &root).unwrap();
        let first = (ino("a.html"), ino("b/index.html"));
        write_site(&site(&files), &out, &root).unwrap();
        write_site(&site(&files), &out, &root).unwrap();
        assert_eq!((ino("a.html"), ino("b/index.html")), first, "the recycled folder's files were kept");
        // Same size, same bytes even: a file touched since is not trusted.
        let work = tmp.path().join(".out.personabook/work");
        std::fs::write(work.join("a.html"), "SAME").unwrap();
        write_site(&site(&files), &out, &root).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "same");
    }

    /// A first build writes into a folder it made: nothing is checked before
    /// each write, yet a path written twice, or a file where a folder then
    /// goes (and the reverse), still ends as the site says.
    #[test]
    fn a_first_build_into_a_new_folder_replaces_what_it_wrote_itself() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("hb"), tmp.path().join("new"));
        let staging = Staging::begin(&out, &root).unwrap();
        for (p, c) in
            [("a.html", "1"), ("a.html", "2"), ("b", "file"), ("b/index.html", "b"), ("c/d.html", "d"), ("c", "c")]
        {
            staging.put(p, c.as_bytes().to_vec()).unwrap();
        }
        staging.commit().unwrap();
        assert_eq!(walk(&out), files(&[("a.html", "2"), ("b/index.html", "b"), ("c", "c")]));
    }

    #[test]
    fn a_failed_build_keeps_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("hb"), tmp.path().join("out"));
        for round in ["1", "2", "3"] {
            write_site(&site(&[("a/index.html", round)]), &out, &root).unwrap();
        }
        let staging = Staging::begin(&out, &root).unwrap();
        staging.put("a/index.html", b"broken".to_vec()).unwrap();
        drop(staging);
        assert_eq!(walk(&out), files(&[("a/index.html", "3")]));
        write_site(&site(&[("b.html", "4")]), &out, &root).unwrap();
        assert_eq!(walk(&out), files(&[("b.html", "4")]), "the next build recovers the half-written folder");
    }

    #[test]
    fn refuses_paths_that_are_not_plain() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("hb"), tmp.path().join("out"));
        let staging = Staging::begin(&out, &root).unwrap();
        for bad in ["../escape.html", "/etc/passwd", "a/../../b", "", "a\\b", "./a", "a//b"] {
            assert!(matches!(staging.put(bad, b"x".to_vec()), Err(OutputError::BadPath { .. })), "{bad:?}");
        }
        assert!(!tmp.path().join("escape.html").exists());
    }

    #[test]
    fn refuses_a_folder_with_user_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("mine");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("notes.txt"), "keep me").unwrap();
        let err = write_site(&site(&[("index.html", "x")]), &out, &tmp.path().join("hb")).unwrap_err();
        assert!(matches!(err, OutputError::NotOurs { .. }));
        assert_eq!(walk(&out), files(&[("notes.txt", "keep me")]));
        assert!(!tmp.path().join(".mine.personabook").exists(), "nothing made beside a folder that is not ours");
    }

    #[test]
    fn a_folder_marked_by_the_previous_version_is_taken_over_and_its_marker_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("hb"), tmp.path().join("public"));
        std::fs::create_dir_all(&out).unwrap();
        // The old marker's lines name files; none of them is ever acted on.
        let victim = tmp.path().join("notes.txt");
        std::fs::write(&victim, "keep me").unwrap();
        let marker = format!("0000000000000000 7 {}\n0000000000000000 7 ../notes.txt\n", victim.display());
        std::fs::write(out.join(LEGACY_MARKER), marker).unwrap();
        std::fs::create_dir_all(tmp.path().join(".public.personabook-spare")).unwrap();
        std::fs::create_dir_all(tmp.path().join(".public.personabook-new-123/x")).unwrap();
        write_site(&site(&[("index.html", "new")]), &out, &root).unwrap();
        assert_eq!(walk(&out), files(&[("index.html", "new")]));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        let mut beside: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        beside.sort();
        assert_eq!(beside, [".public.personabook", "notes.txt", "public"], "old staging and spare folders removed");
    }

    #[test]
    fn refuses_output_over_the_handbook() {
        let tmp = tempfile::tempdir().unwrap();
        let err = check_placement(tmp.path(), &tmp.path().join("hb")).unwrap_err();
        assert!(matches!(err, OutputError::ContainsRoot { .. }));
        let err = check_placement(&tmp.path().join("content/out"), tmp.path()).unwrap_err();
        assert!(matches!(err, OutputError::InsideInput { .. }));
    }

    #[cfg(unix)]
    #[test]
    fn links_in_the_output_and_beside_it_are_never_followed() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("hb"), tmp.path().join("public"));
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(outside.join("sub")).unwrap();
        std::fs::write(outside.join("sub/keep.txt"), "keep").unwrap();
        std::fs::write(outside.join("index.html"), "mine").unwrap();
        let before = walk(&outside);
        let want = [("index.html", "site"), ("personas/a/index.html", "a"), ("sub/x.html", "x")];
        write_site(&site(&want), &out, &root).unwrap();
        // Links planted everywhere the writer looks.
        let state = tmp.path().join(".public.personabook");
        symlink(&outside, out.join("gitignore-dir")).unwrap();
        std::fs::remove_file(out.join("index.html")).unwrap();
        symlink(outside.join("index.html"), out.join("index.html")).unwrap();
        std::fs::remove_dir_all(out.join("personas")).unwrap();
        symlink(&outside, out.join("personas")).unwrap();
        symlink(&outside, out.join("sub/link")).unwrap();
        let _ = std::fs::remove_dir_all(state.join("work"));
        symlink(&outside, state.join("work")).unwrap();
        symlink(&outside, tmp.path().join(".public.personabook-spare")).unwrap();
        for _ in 0..3 {
            write_site(&site(&want), &out, &root).unwrap();
            assert_eq!(walk(&out), files(&want));
            assert_eq!(walk(&outside), before, "nothing outside the output changed");
        }
        // A link as the state folder itself is replaced by a real folder.
        std::fs::remove_dir_all(&state).unwrap();
        symlink(&outside, &state).unwrap();
        let err = write_site(&site(&want), &out, &root).unwrap_err();
        assert!(matches!(err, OutputError::NotOurs { .. }), "without its state the output is not known as ours");
        assert_eq!(walk(&outside), before);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_output_is_replaced_every_time() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("hb"), tmp.path().join("public"));
        for round in 0..4 {
            let text = format!("round {round}");
            write_site(&site(&[("a/index.html", &text), ("b.html", "b")]), &out, &root).unwrap();
            assert_eq!(walk(&out), files(&[("a/index.html", &text), ("b.html", "b")]));
            for dir in [out.join("a"), out.clone()] {
                std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
            }
        }
    }
}
