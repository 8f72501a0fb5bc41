//! One pass over the commits reachable from HEAD, newest first: for each
//! commit the Markdown files under `content/` it changed (against its
//! parent; a merge only for what differs from every parent), renames
//! followed back to today's path, and the field-level change of every
//! edited file. A shallow clone's boundary commits are where the history
//! stops: nothing is said about them, nor is anything "created" there.

use super::repo::{self, Repo};
use super::tree::{self, RawChange};
use super::{fields, git_error, Change, ChangeKind, Commit, CommitEntry, FileHistory, History, HistoryError, Touched};
use crate::layout::{self, Collection};
use crate::load::SourceFile;
use gix::ObjectId;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// The history of the handbook at `root`, or `None` when it is in no git
/// repository (or one without commits).
pub fn read(root: &Path) -> Result<Option<History>, HistoryError> {
    let Some(repo) = repo::open(root)? else { return Ok(None) };
    let Some(head) = repo.head() else { return Ok(None) };
    Walk::new(&repo)?.run(head).map(Some)
}

/// The state of one pass.
struct Walk<'r> {
    repo: &'r Repo,
    trees: tree::Trees<'r>,
    shallow: HashSet<ObjectId>,
    /// Each commit's `content/` tree, looked up once.
    content: HashMap<ObjectId, Option<ObjectId>>,
    /// A path as an older commit named it -> the file's path today (or a
    /// key of its own for a file that was removed since).
    alias: HashMap<String, String>,
    logs: HashMap<String, Vec<Change>>,
    commits: Vec<CommitEntry>,
    /// Blobs parsed as the old side of an edit, kept for the next older
    /// edit of the same file, whose new side they are (each blob is read
    /// and parsed once; `None`: the loader would refuse it).
    parsed: HashMap<ObjectId, Option<SourceFile>>,
}

impl<'r> Walk<'r> {
    fn new(repo: &'r Repo) -> Result<Self, HistoryError> {
        let shallow = repo.git.shallow_commits().map_err(git_error)?;
        let shallow = shallow.map(|s| s.iter().copied().collect()).unwrap_or_default();
        Ok(Walk {
            repo,
            trees: tree::Trees::new(&repo.git),
            shallow,
            content: HashMap::new(),
            alias: HashMap::new(),
            logs: HashMap::new(),
            commits: Vec::new(),
            parsed: HashMap::new(),
        })
    }

    fn run(mut self, head: ObjectId) -> Result<History, HistoryError> {
        use gix::revision::walk::Sorting;
        use gix::traverse::commit::simple::CommitTimeOrder;
        let git = &self.repo.git;
        let walk = git
            .rev_walk([head])
            .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
            .all()
            .map_err(git_error)?;
        for info in walk {
            let info = info.map_err(git_error)?;
            if self.shallow.contains(&info.id) {
                continue;
            }
            let parents: Vec<ObjectId> = info.parent_ids().map(|p| p.detach()).collect();
            let changes = self.changes(info.id, &parents)?;
            if !changes.is_empty() {
                let commit = describe(git, info.id)?;
                self.attribute(commit, changes)?;
            }
        }
        let head_tree = self.content_tree(head)?;
        let now = tree::files(&mut self.trees, head_tree)?;
        let shallow = !self.shallow.is_empty();
        let mut files = BTreeMap::new();
        for (path, _) in now {
            if let Some(log) = self.logs.remove(&path) {
                files.insert(path, file_history(log, shallow));
            }
        }
        Ok(History { head: head.to_string(), shallow, commits: self.commits, files })
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

    /// Files each change to the path it has today, and records it.
    fn attribute(&mut self, commit: Commit, changes: Vec<RawChange>) -> Result<(), HistoryError> {
        let mut touched = Vec::new();
        for c in changes {
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
            let (fields, body) = self.field_changes(&c)?;
            let now = (!key.contains('\0')).then(|| key.clone());
            touched.push(Touched { path: c.path.clone(), now, kind });
            let change = Change { commit: commit.clone(), kind, from: c.from.clone(), fields, body };
            self.logs.entry(key).or_default().push(change);
        }
        touched.sort_by(|a, b| a.path.cmp(&b.path));
        self.commits.push(CommitEntry { commit, files: touched });
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
        let b = self.parse(new, &c.path)?;
        let a = self.parse(old, c.from.as_deref().unwrap_or(&c.path))?;
        let changes = match (&a, &b) {
            (Some(a), Some(b)) => (fields::diff(&a.front_matter, &b.front_matter), fields::body(a.body(), b.body())),
            _ => (Vec::new(), None),
        };
        self.parsed.insert(old, a);
        Ok(changes)
    }

    /// A blob as the loader would parse it at `path`, from the blobs kept
    /// or read now.
    fn parse(&mut self, blob: ObjectId, path: &str) -> Result<Option<SourceFile>, HistoryError> {
        if let Some(kept) = self.parsed.remove(&blob) {
            return Ok(kept);
        }
        let Some(text) = tree::text(&self.repo.git, blob)? else { return Ok(None) };
        let collection = Collection::of_content_path(path);
        Ok(Some(SourceFile::parse(format!("{}/{path}", layout::CONTENT_DIR), collection, text)))
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
