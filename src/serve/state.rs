//! What the server threads share: the site being served and the status of
//! the last build. Each is replaced whole (an `Arc` swapped under a lock),
//! so a request sees one complete build, never half of two.

use crate::diagnostic::Diagnostics;
use crate::render::Site;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::Duration;

/// One build's files, ready to serve. Bytes are behind `Arc`s so a response
/// streams them without copying, and files a rebuild did not change keep
/// their old allocation.
#[derive(Debug, Default)]
pub(crate) struct Served {
    /// Changes with every swap, and between server runs, so a tab can tell
    /// whether the page it shows is the one being served.
    pub build: String,
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// False until a first build succeeded.
    pub good: bool,
}

impl Served {
    /// Takes a new site, sharing the bytes of files that did not change with
    /// `previous`. Returns it with the number of files that differ.
    pub fn from_site(site: Site, previous: &Served, build: String) -> (Served, usize) {
        let mut changed = previous.files.keys().filter(|k| !site.files.contains_key(*k)).count();
        let files = site
            .files
            .into_iter()
            .map(|(path, bytes)| match previous.files.get(&path) {
                Some(old) if **old == bytes => {
                    let old = Arc::clone(old);
                    (path, old)
                }
                _ => {
                    changed += 1;
                    (path, Arc::new(bytes))
                }
            })
            .collect();
        (Served { build, files, good: true }, changed)
    }

    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }
}

/// One problem as the overlay shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Problem {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The whole diagnostic as the terminal prints it, snippet and hint included.
    pub text: String,
}

/// What the reload channel tells every tab.
#[derive(Debug, Clone, Serialize)]
struct StatusView<'a> {
    /// The build being served.
    build: &'a str,
    /// Errors of the last build; empty when it succeeded.
    errors: &'a [Problem],
}

/// The latest status, numbered so waiting channels see each change once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Status {
    pub generation: u64,
    /// The status as one line of JSON, ready to send.
    pub json: Arc<str>,
}

/// What a channel waiting for news gets.
pub(crate) enum News {
    Changed(Status),
    Quiet,
    Stopping,
}

#[derive(Debug)]
pub(crate) struct Shared {
    site: RwLock<Arc<Served>>,
    status: Mutex<Status>,
    news: Condvar,
    stopping: AtomicBool,
    /// Reload channels open right now (each holds a thread).
    pub open_channels: AtomicUsize,
}

impl Shared {
    pub fn new() -> Shared {
        Shared {
            site: RwLock::new(Arc::new(Served::default())),
            status: Mutex::new(Status::default()),
            news: Condvar::new(),
            stopping: AtomicBool::new(false),
            open_channels: AtomicUsize::new(0),
        }
    }

    /// The site to answer one request from.
    pub fn site(&self) -> Arc<Served> {
        Arc::clone(&self.site.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Puts a new site in place (when given), then announces the status.
    /// The order matters: a tab told to reload must get the new pages.
    pub fn publish(&self, site: Option<Served>, errors: &[Problem]) {
        if let Some(site) = site {
            *self.site.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(site);
        }
        let build = self.site().build.clone();
        let json = serde_json::to_string(&StatusView { build: &build, errors }).unwrap_or_else(|_| "{}".to_string());
        let mut status = self.lock_status();
        status.generation += 1;
        status.json = json.into();
        drop(status);
        self.news.notify_all();
    }

    /// Waits up to `timeout` for a status newer than `seen`.
    pub fn wait_news(&self, seen: u64, timeout: Duration) -> News {
        let status = self.lock_status();
        let (status, _) = self
            .news
            .wait_timeout_while(status, timeout, |s| s.generation <= seen && !self.is_stopping())
            .unwrap_or_else(PoisonError::into_inner);
        if self.is_stopping() {
            News::Stopping
        } else if status.generation > seen {
            News::Changed(status.clone())
        } else {
            News::Quiet
        }
    }

    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Taking the lock orders the flag before the wake-up for waiters.
        drop(self.lock_status());
        self.news.notify_all();
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    fn lock_status(&self) -> MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The problems of a failed build, errors only (warnings do not block).
pub(crate) fn problems(diags: &Diagnostics) -> Vec<Problem> {
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| Problem {
            path: d.path.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            text: d.to_string(),
        })
        .collect()
}
