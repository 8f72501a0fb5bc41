//! Real git repositories for the history tests, made with the `git`
//! command (only tests shell out to git; personabook reads with gix): each
//! commit with its own author and date, and no user or system git config.

use crate::harness::Handbook;
use std::path::Path;
use std::process::Command;

/// Runs git in `dir` as `author` at `date` (RFC 3339); panics on failure.
pub fn git_as(dir: &Path, author: &str, date: &str, args: &[&str]) -> String {
    let email = format!("{}@example.com", author.to_lowercase());
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", &email)
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", &email)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .args(["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"])
        .args(args)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `git` with a neutral author, for commands that commit nothing.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_as(dir, "Nobody", "2026-01-01T00:00:00Z", args)
}

/// Stages everything and commits it as `author` at `date`.
pub fn commit(dir: &Path, author: &str, date: &str, subject: &str) {
    git(dir, &["add", "-A"]);
    git_as(dir, author, date, &["commit", "-q", "-m", subject]);
}

/// The history the tests check, on branch `main`:
/// 1. Alice, 2026-01-05: adds persona `ana` and asset `guide`.
/// 2. Bob, 2026-02-05: Ana's role changes, a goal is removed and one
///    added, three channels added, a journey stage gains `needs`, the body
///    gains a line.
/// 3. Carol, 2026-03-05: `ana.md` is renamed `ana-ruiz.md` (the guide follows).
/// 4. Dave, 2026-03-10, on branch `feature`: adds asset `webinar` (decision).
/// 5. Erin, 2026-03-12, on main: adds persona `ben`.
/// 6. Frank, 2026-03-15: merges `feature` (nothing of its own).
pub fn story() -> Handbook {
    let hb = Handbook::fixture("history/start");
    let dir = hb.root();
    git(dir, &["init", "-q"]);
    commit(dir, "Alice", "2026-01-05T10:00:00Z", "Add Ana and the buyer guide");
    let ana = std::fs::read_to_string(dir.join("content/personas/ana.md")).unwrap();
    let ana = ana
        .replace("role: Product Manager", "role: Head of Product")
        .replace(
            "goals: [Save time, Ship faster]",
            "goals: [Ship faster, Cut costs]\nchannels: [LinkedIn, Podcasts, Slack]",
        )
        .replace("    goal: Learn what is possible\n", "    goal: Learn what is possible\n    needs: Peer benchmarks\n")
        .replace("Ana runs the product team.\n", "Ana runs the product team.\n\nShe reports to the CEO.\n");
    hb.write("content/personas/ana.md", &ana);
    commit(dir, "Bob", "2026-02-05T10:00:00Z", "Ana leads product now");
    git(dir, &["mv", "content/personas/ana.md", "content/personas/ana-ruiz.md"]);
    let guide = std::fs::read_to_string(dir.join("content/assets/guide.md")).unwrap();
    hb.write("content/assets/guide.md", &guide.replace("personas: [ana]", "personas: [ana-ruiz]"));
    commit(dir, "Carol", "2026-03-05T10:00:00Z", "Name Ana's file after her");
    git(dir, &["checkout", "-q", "-b", "feature"]);
    hb.write(
        "content/assets/webinar.md",
        "---\ntitle: Pricing webinar\nformat: webinar\npersonas: [ana-ruiz]\nstages: [decision]\n---\nA webinar.\n",
    );
    commit(dir, "Dave", "2026-03-10T10:00:00Z", "Add the pricing webinar");
    git(dir, &["checkout", "-q", "main"]);
    hb.write("content/personas/ben.md", "---\nname: Ben Okafor\nrole: CFO\n---\nBen signs.\n");
    commit(dir, "Erin", "2026-03-12T10:00:00Z", "Add Ben");
    git_as(dir, "Frank", "2026-03-15T10:00:00Z", &["merge", "-q", "--no-ff", "-m", "Merge the webinar", "feature"]);
    hb
}
