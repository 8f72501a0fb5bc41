//! The git history as an input of a build: read on a thread beside `load`
//! when the handbook is in a repository and `history` is not false, then
//! given to the model as plain data, with its warnings.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::history::{self, History, HistoryError};
use crate::load;
use crate::model::Handbook;
use crate::problem::HistoryProblem;
use std::path::Path;

/// What reading the history gave: nothing (off, or no repository), the
/// history, or why it could not be read.
pub(crate) type Read = Result<Option<History>, HistoryError>;

/// Whether `root`'s handbook.yaml leaves the history on.
fn wanted(root: &Path) -> bool {
    // Its problems are the loader's to report.
    load::read_config(root, &mut Vec::new()).history
}

/// The history of the handbook at `root`, when it asks for one.
pub(crate) fn read(root: &Path) -> Read {
    if !wanted(root) {
        return Ok(None);
    }
    history::read(root)
}

/// Runs `work` (loading and resolving the handbook) while `read` reads the
/// history on another thread: the model needs the history only once it is
/// resolved, so the two overlap for as long as the longer one takes.
pub(crate) fn beside<T>(read: impl FnOnce() -> Read + Send, work: impl FnOnce() -> T) -> (T, Read) {
    std::thread::scope(|s| {
        let history = s.spawn(read);
        let done = work();
        let history = history.join().unwrap_or_else(|_| Err(HistoryError::Git("the history reader crashed".into())));
        (done, history)
    })
}

/// The preview's history: read once, and again when HEAD moves or
/// `history` is switched.
#[derive(Default)]
pub(crate) struct Cached {
    /// What the last read was read for (`fingerprint`), and what it gave.
    last: Option<(Option<String>, Read)>,
}

impl Cached {
    /// The history as it is now, read again only when it moved.
    pub fn current(&mut self, root: &Path) -> Read {
        let key = if wanted(root) { history::fingerprint(root) } else { None };
        match &self.last {
            Some((k, read)) if *k == key => read.clone(),
            _ => {
                let read = if key.is_some() { history::read(root) } else { Ok(None) };
                self.last = Some((key, read.clone()));
                read
            }
        }
    }
}

/// Gives the model its history, and says what is partial or missing.
pub(crate) fn attach(hb: &mut Handbook, read: Read, diags: &mut Diagnostics) {
    let history = match read {
        Ok(h) => h,
        Err(e) => {
            let hint = e.hint();
            diags.push(
                Diagnostic::warning(".git", 1, 1, HistoryProblem::Unreadable { error: e.to_string() }).with_hint(hint),
            );
            None
        }
    };
    if !hb.config.history {
        return;
    }
    if history.as_ref().is_some_and(|h| h.shallow) {
        diags.push(Diagnostic::warning(".git", 1, 1, HistoryProblem::Shallow).with_hint(
            "fetch the whole history with `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0` on actions/checkout)",
        ));
    }
    hb.history = history;
}
