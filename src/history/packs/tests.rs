use super::*;
use std::path::Path;
use std::process::Command;

/// A delta's header: the base's size and the result's.
fn header(base: usize, result: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for mut n in [base, result] {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    out
}

fn applied(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![7; 3];
    apply(base, delta, &mut out).map(|()| out)
}

#[test]
fn applies_copies_and_inserts() {
    let base = b"hello world";
    // Copy 6 bytes from 0, insert "there".
    let mut d = header(11, 11);
    d.extend([0x80 | 0x10, 6, 5]);
    d.extend(b"there");
    assert_eq!(applied(base, &d).as_deref(), Some(&b"hello there"[..]));
    // Offset and size bytes: copy "world" (offset 6, size 5) twice.
    let mut d = header(11, 10);
    d.extend([0x80 | 0x01 | 0x10, 6, 5, 0x80 | 0x01 | 0x10, 6, 5]);
    assert_eq!(applied(base, &d).as_deref(), Some(&b"worldworld"[..]));
    // A size of 0 means 0x10000.
    let big = vec![1u8; 0x10000];
    let mut d = header(big.len(), big.len());
    d.push(0x80);
    assert_eq!(applied(&big, &d), Some(big.clone()));
    // A long header (a size above 127) reads right.
    let long = vec![2u8; 300];
    let mut d = header(300, 300);
    d.extend([0x80 | 0x10 | 0x20, 0x2c, 0x01]);
    assert_eq!(applied(&long, &d), Some(long));
}

#[test]
fn refuses_a_delta_that_does_not_fit() {
    let base = b"hello world";
    let copy = |offset: u8, size: u8| [0x80 | 0x01 | 0x10, offset, size];
    let with = |h: Vec<u8>, rest: &[u8]| [h, rest.to_vec()].concat();
    for (what, d) in [
        ("wrong base size", with(header(10, 5), &copy(0, 5))),
        ("copy past the base", with(header(11, 5), &copy(8, 5))),
        ("result too short", with(header(11, 6), &copy(0, 5))),
        ("result too long", with(header(11, 4), &copy(0, 5))),
        ("insert past the end", with(header(11, 5), &[5, b'a', b'b'])),
        ("reserved op 0", with(header(11, 0), &[0])),
        ("truncated copy", with(header(11, 5), &[0x80 | 0x01 | 0x10, 0])),
        ("no header", Vec::new()),
        ("endless size", vec![0xff; 12]),
    ] {
        assert_eq!(applied(base, &d), None, "{what}");
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Every version of a big folder's tree, read from a packed repository,
/// is the tree gix reads: chains of deltas, kept bases and evictions
/// included (the budget is lowered to evict).
#[test]
fn packed_trees_are_the_trees_gix_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    std::fs::create_dir(root.join("assets")).expect("assets");
    for i in 0..400 {
        std::fs::write(root.join(format!("assets/asset-{i:03}.md")), format!("# {i}\n")).expect("write");
    }
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "all"]);
    for n in 0..40 {
        let i = (n * 37) % 400;
        std::fs::write(root.join(format!("assets/asset-{i:03}.md")), format!("# {i} edit {n}\n")).expect("write");
        if n % 7 == 0 {
            std::fs::write(root.join(format!("assets/new-{n}.md")), "new\n").expect("write");
        }
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", &format!("edit {n}")]);
    }
    git(root, &["gc", "-q"]);
    let repo = gix::open(root).expect("open");
    let mut packs = Packs::open(&repo);
    let trees: Vec<gix::ObjectId> = repo
        .rev_walk([repo.head_id().expect("head").detach()])
        .all()
        .expect("walk")
        .map(|info| {
            let commit = repo.find_commit(info.expect("commit").id).expect("commit");
            let tree = commit.tree().expect("tree");
            tree.lookup_entry_by_path("assets").expect("lookup").expect("assets").object_id()
        })
        .collect();
    let deltas = trees
        .iter()
        .filter(|id| {
            let (b, at) = packs.place(id).expect("packed");
            matches!(packs.bundles[b].pack.entry(at).expect("entry").header, Header::OfsDelta { .. })
        })
        .count();
    assert!(deltas > 20, "the pack stores the versions as deltas ({deltas})");
    for budget in [KEPT_BYTES, 1] {
        packs.kept_budget = budget;
        packs.kept.clear();
        packs.kept_bytes = 0;
        for id in trees.iter().chain(trees.iter().rev()) {
            let ours = packs.tree(id).expect("read from the pack");
            let theirs = repo.find_object(*id).expect("gix reads it").detach().data;
            assert!(*ours == theirs, "tree {id}");
        }
    }
}
