//! One pass over the commits reachable from HEAD, newest first: for each
//! commit the Markdown files under `content/` it changed (against its
//! parent; a merge only for what differs from every parent), renames
//! followed back to today's path, and the field-level change of every
//! edited file. A shallow clone's boundary commits are where the history
//! stops: nothing is said about them, nor is anything "created" there.

use super::repo::{self, Repo};
use super::tree::{self, RawChange};
use super::version::Version;
use super::{fields, git_error, Change, ChangeKind, Commit, CommitEntry, FileHistory, History, HistoryError, Touched};
use crate::layout;
use gix::ObjectId;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Fewest commits worth a second thread: below, one thread reads them all
/// (the second opens the repository and reads its first blobs whole).
const MIN_COMMITS_FOR_TWO: usize = 64;

/// Commits the tree walk may be ahead of the field reader.
const QUEUE: usize = 256;

/// The history of the handbook at `root`, or `None` when it is in no git
/// repository (or one without commits).
pub fn read(root: &Path) -> Result<Option<History>, HistoryError> {
    let Some(repo) = repo::open(root)? else { return Ok(None) };
    let Some(head) = repo.head() else { return Ok(None) };
    let shallow = repo.git.shallow_commits().map_err(git_error)?;
    let shallow: HashSet<ObjectId> = shallow.map(|s| s.iter().copied().collect()).unwrap_or_default();
    let commits = list(&repo, head, &shallow)?;
    let found = spread(root, &repo, &commits)?;
    let mut walk = Walk { alias: HashMap::new(), logs: HashMap::new(), commits: Vec::new() };
    for (commit, edits) in found {
        walk.attribute(commit, edits);
    }
    let head_tree = repo.subtree(head, layout::CONTENT_DIR)?;
    let now = tree::files(&mut tree::Trees::new(&repo.git), head_tree)?;
    let shallow = !shallow.is_empty();
    let mut files = BTreeMap::new();
    for (path, _) in now {
        if let Some(log) = walk.logs.remove(&path) {
            files.insert(path, file_history(log, shallow));
        }
    }
    Ok(Some(History { head: head.to_string(), shallow, commits: walk.commits, files }))
}

/// A commit and its parents.
type Listed = (ObjectId, Vec<ObjectId>);

/// The commits reachable from `head`, newest first, without a shallow
/// clone's boundary.
fn list(repo: &Repo, head: ObjectId, shallow: &HashSet<ObjectId>) -> Result<Vec<Listed>, HistoryError> {
    use gix::revision::walk::Sorting;
    use gix::traverse::commit::simple::CommitTimeOrder;
    let walk = repo
        .git
        .rev_walk([head])
        .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
        .all()
        .map_err(git_error)?;
    let mut out = Vec::new();
    for info in walk {
        let info = info.map_err(git_error)?;
        if !shallow.contains(&info.id) {
            out.push((info.id, info.parent_ids().map(|p| p.detach()).collect()));
        }
    }
    Ok(out)
}

/// Each commit's changes, in order, in two stages: one thread walks the
/// trees (which files each commit changed), another reads the changed
/// blobs and compares their fields. Each stage sees the commits in order,
/// newest first, which is what both caches need: a tree's pack delta is
/// mostly on the next newer version, read just before (`packs`), and an
/// edit's old blob is the new side of the file's next older edit (`kept`).
/// Split by runs of commits instead, the second run's trees and blobs
/// would be decoded from the newest version of each chain again.
fn spread(root: &Path, repo: &Repo, commits: &[Listed]) -> Result<Vec<Found>, HistoryError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut walk = TreeWalk::new(repo);
    if cores < 2 || commits.len() < MIN_COMMITS_FOR_TWO {
        let mut fields = FieldReader::new(repo);
        let mut out = Vec::new();
        for (id, parents) in commits {
            fields.read(*id, walk.changes(*id, parents)?, &mut out)?;
        }
        return Ok(out);
    }
    std::thread::scope(|s| {
        let (send, receive) = std::sync::mpsc::sync_channel::<(ObjectId, Vec<RawChange>)>(QUEUE);
        let reader = s.spawn(move || {
            let repo = repo::open(root)?.ok_or_else(|| git_error("the repository moved"))?;
            let mut fields = FieldReader::new(&repo);
            let mut out = Vec::new();
            for (id, changes) in receive {
                fields.read(id, changes, &mut out)?;
            }
            Ok(out)
        });
        let mut walked = Ok(());
        for (id, parents) in commits {
            match walk.changes(*id, parents) {
                Ok(changes) if changes.is_empty() => {}
                Ok(changes) => {
                    // The reader stopped: its error says why.
                    if send.send((*id, changes)).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    walked = Err(e);
                    break;
                }
            }
        }
        drop(send);
        let found = reader.join().unwrap_or_else(|_| Err(git_error("a history reader crashed")));
        walked.and(found)
    })
}

/// A commit that changed content files, and its edits.
type Found = (Commit, Vec<Edit>);

/// One file a commit changed, with the fields and body lines it changed.
struct Edit {
    raw: RawChange,
    fields: Vec<fields::FieldChange>,
    body: Option<fields::BodyChange>,
}

/// Which Markdown files each commit changed, commit by commit, newest first.
struct TreeWalk<'r> {
    repo: &'r Repo,
    trees: tree::Trees<'r>,
    /// Each commit's `content/` tree, looked up once.
    content: HashMap<ObjectId, Option<ObjectId>>,
}

impl<'r> TreeWalk<'r> {
    fn new(repo: &'r Repo) -> Self {
        TreeWalk { repo, trees: tree::Trees::new(&repo.git), content: HashMap::new() }
    }

    fn content_tree(&mut self, commit: ObjectId) -> Result<Option<ObjectId>, HistoryError> {
        if let Some(t) = self.content.get(&commit) {
            return Ok(*t);
        }
        let t = self.repo.subtree(commit, layout::CONTENT_DIR)?;
        self.content.insert(commit, t);
        Ok(t)
    }

    /// The Markdown files a commit changed, renames paired.
    fn changes(&mut self, id: ObjectId, parents: &[ObjectId]) -> Result<Vec<RawChange>, HistoryError> {
        let new = self.content_tree(id)?;
        self.trees.step();
        let mut out = Vec::new();
        match parents {
            [] => tree::diff(&mut self.trees, None, new, "", &mut out)?,
            [first, rest @ ..] => {
                let old = self.content_tree(*first)?;
                tree::diff(&mut self.trees, old, new, "", &mut out)?;
                // A merge says only what it changed against every parent.
                for p in rest {
                    if out.is_empty() {
                        break;
                    }
                    let mut other = Vec::new();
                    let old = self.content_tree(*p)?;
                    tree::diff(&mut self.trees, old, new, "", &mut other)?;
                    let differs: HashSet<&str> = other.iter().map(|c| c.path.as_str()).collect();
                    out.retain(|c| differs.contains(c.path.as_str()));
                }
            }
        }
        tree::find_renames(&self.repo.git, &mut out)?;
        Ok(out)
    }
}

/// What each changed file's edit did to its fields, commit by commit,
/// newest first.
struct FieldReader<'r> {
    repo: &'r Repo,
    /// Blobs read as the old side of an edit, kept for the next older
    /// edit of the same file, whose new side they are (each blob is read
    /// and parsed once; `None`: the loader would refuse it).
    kept: HashMap<ObjectId, Option<Version>>,
}

impl<'r> FieldReader<'r> {
    fn new(repo: &'r Repo) -> Self {
        FieldReader { repo, kept: HashMap::new() }
    }

    /// The commit and its edits, appended to `out` when it changed files.
    fn read(&mut self, id: ObjectId, changes: Vec<RawChange>, out: &mut Vec<Found>) -> Result<(), HistoryError> {
        if changes.is_empty() {
            return Ok(());
        }
        let commit = describe(&self.repo.git, id)?;
        let mut edits = Vec::with_capacity(changes.len());
        for raw in changes {
            let (fields, body) = self.field_changes(&raw)?;
            edits.push(Edit { raw, fields, body });
        }
        out.push((commit, edits));
        Ok(())
    }

    /// The fields and body lines an edit changed (none for an added or
    /// removed file, nor for a rename that kept the text).
    fn field_changes(
        &mut self,
        c: &RawChange,
    ) -> Result<(Vec<fields::FieldChange>, Option<fields::BodyChange>), HistoryError> {
        let (Some(old), Some(new)) = (c.old, c.new) else { return Ok((Vec::new(), None)) };
        if old == new {
            return Ok((Vec::new(), None));
        }
        let b = match self.kept.remove(&new) {
            Some(kept) => kept,
            None => tree::text(&self.repo.git, new)?.map(Version::new),
        };
        let a = match self.kept.remove(&old) {
            Some(kept) => kept,
            None => tree::text(&self.repo.git, old)?.map(Version::new),
        };
        let changes = match (&a, &b) {
            (Some(a), Some(b)) => (b.fields_since(a), b.body_since(a)),
            _ => (Vec::new(), None),
        };
        self.kept.insert(old, a);
        Ok(changes)
    }
}

/// Files each commit's changes to the paths they have today.
struct Walk {
    /// A path as an older commit named it -> the file's path today (or a
    /// key of its own for a file that was removed since).
    alias: HashMap<String, String>,
    logs: HashMap<String, Vec<Change>>,
    commits: Vec<CommitEntry>,
}

impl Walk {
    /// Files each change to the path it has today, and records it (in
    /// order, newest commit first: a rename or removal seen first says
    /// what older commits' paths mean).
    fn attribute(&mut self, commit: Commit, edits: Vec<Edit>) {
        let mut touched = Vec::new();
        for Edit { raw: c, fields, body } in edits {
            let kind = match (&c.old, &c.new, &c.from) {
                (None, _, _) => ChangeKind::Added,
                (_, None, _) => ChangeKind::Removed,
                (_, _, Some(_)) => ChangeKind::Renamed,
                _ => ChangeKind::Modified,
            };
            let mut key = self.alias.get(&c.path).cloned().unwrap_or_else(|| c.path.clone());
            match kind {
                // Older commits that name this path mean another file.
                ChangeKind::Added => {
                    self.alias.insert(c.path.clone(), format!("{}\0{}", c.path, commit.id));
                }
                ChangeKind::Removed => {
                    key = format!("{}\0{}", c.path, commit.id);
                    self.alias.insert(c.path.clone(), key.clone());
                }
                ChangeKind::Renamed => {
                    if let Some(from) = &c.from {
                        self.alias.insert(from.clone(), key.clone());
                    }
                }
                ChangeKind::Modified => {}
            }
            let now = (!key.contains('\0')).then(|| key.clone());
            touched.push(Touched { path: c.path.clone(), now, kind });
            let change = Change { commit: commit.clone(), kind, from: c.from, fields, body };
            self.logs.entry(key).or_default().push(change);
        }
        touched.sort_by(|a, b| a.path.cmp(&b.path));
        self.commits.push(CommitEntry { commit, files: touched });
    }
}

/// A file's history from its changes, newest first.
fn file_history(log: Vec<Change>, shallow: bool) -> FileHistory {
    let oldest = log.last();
    let created = oldest.filter(|c| c.kind == ChangeKind::Added || !shallow).map(|c| c.commit.clone());
    let changed = log.first().map(|c| c.commit.clone()).unwrap_or_default();
    FileHistory { created, changed, log }
}

/// A commit's id, author, date and subject.
fn describe(git: &gix::Repository, id: ObjectId) -> Result<Commit, HistoryError> {
    let commit = git.find_commit(id).map_err(git_error)?;
    let author = commit.author().map_err(git_error)?;
    let seconds = author.time().map_err(git_error)?.seconds;
    let date = jiff::Timestamp::from_second(seconds).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let subject = commit.message().map_err(git_error)?.summary().to_string();
    let hex = id.to_string();
    Ok(Commit {
        short: hex[..7.min(hex.len())].to_string(),
        id: hex,
        author: author.name.to_string().trim().to_string(),
        date: date.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        subject,
    })
}
