//! Shared test helpers: fixture handbooks copied to a temp folder, the
//! binary run on them, and parsed HTML of the output.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The folder holding the fixture handbooks.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The repository root (the example handbook lives there).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture copied into a fresh temp folder, so tests can change it freely.
pub struct Handbook {
    pub dir: tempfile::TempDir,
}

impl Handbook {
    /// Copies `tests/fixtures/<name>` into a temp folder.
    pub fn fixture(name: &str) -> Handbook {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&fixtures().join(name), dir.path());
        Handbook { dir }
    }

    /// An empty handbook folder with the given files (`path`, `content`).
    pub fn with_files(files: &[(&str, &str)]) -> Handbook {
        let dir = tempfile::tempdir().expect("temp dir");
        let hb = Handbook { dir };
        for (p, c) in files {
            hb.write(p, c);
        }
        hb
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders) inside the handbook.
    pub fn write(&self, rel: &str, content: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
    }

    /// Runs the binary with `--root <handbook>` and `args`.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }
}

/// Runs `personabook --root root args...`, never in forced colour (the
/// expected outputs are plain; `look.rs` tests colour).
pub fn run_in(root: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_personabook"))
        .env_remove("CLICOLOR_FORCE")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run personabook");
    Run { out }
}

/// Runs `personabook args...` in the folder `dir`, without `--root`: as a
/// user runs it from a shell.
pub fn run_here(dir: &Path, args: &[&str]) -> Run {
    let out =
        Command::new(env!("CARGO_BIN_EXE_personabook")).current_dir(dir).args(args).output().expect("run personabook");
    Run { out }
}

/// The result of one run of the binary.
pub struct Run {
    pub out: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.out.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// `path` relative to `root`, `/`-separated, as diagnostics print it.
pub fn rel(root: &Path, path: &Path) -> String {
    let r = path.strip_prefix(root).unwrap_or(path);
    r.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
