//! What the server threads share: the site being served and the status of
//! the last build. Each is replaced whole (an `Arc` swapped under a lock),
//! so a request sees one complete build, never half of two.

use super::packed::Packed;
use super::Pages;
use crate::diagnostic::Diagnostics;
use crate::render::Site;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use tokio::sync::watch;

/// One build's files, ready to serve, each packed (compressed, see
/// [`super::packed`]; the files a partial rebuild changed stay plain until
/// [`Shared::pack_pending`]). Files are behind `Arc`s so files a rebuild did not
/// change keep their old allocation.
#[derive(Debug, Default)]
pub(crate) struct Served {
    /// Changes with every swap, and between server runs, so a tab can tell
    /// whether the page it shows is the one being served.
    pub build: String,
    pub files: HashMap<String, Arc<Packed>>,
    /// False until a first build succeeded.
    pub good: bool,
    /// Whether the first build is still under way.
    pub early: Early,
}

/// Where the pages of a first build under way come from.
#[derive(Debug, Default)]
pub(crate) enum Early {
    /// Nowhere: the first build is over, `files` is the site.
    #[default]
    Over,
    /// Nothing can be served yet: requests wait.
    Starting,
    /// Pages made on demand until the first build lands.
    Pages(Arc<Warm>),
}

/// The builder's pages on demand, and the files served from them so far
/// (what a tab may show when the full site lands).
pub(crate) struct Warm {
    pages: Arc<dyn Pages>,
    /// Kept as made (pending): a handful of pages, asked for once.
    served: Mutex<HashMap<String, Arc<Packed>>>,
    /// Pages rendering at once: two, like the cores a small machine has;
    /// more requests queue here instead of each taking a thread.
    pub renders: tokio::sync::Semaphore,
}

impl std::fmt::Debug for Warm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Warm")
    }
}

impl Warm {
    /// The file at `path`, made once; `None`: wait for the full build.
    /// Blocks while the page renders.
    pub fn file(&self, path: &str) -> Option<Arc<Packed>> {
        let cached = self.served.lock().unwrap_or_else(PoisonError::into_inner).get(path).cloned();
        if cached.is_some() {
            return cached;
        }
        let bytes = Arc::new(Packed::pending(self.pages.file(path)?));
        let mut served = self.served.lock().unwrap_or_else(PoisonError::into_inner);
        Some(Arc::clone(served.entry(path.to_string()).or_insert(bytes)))
    }

    fn served(&self) -> HashMap<String, Arc<Packed>> {
        self.served.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl Served {
    /// Takes a new site, sharing the bytes of files that did not change with
    /// `previous`. Returns it with the paths of the files that differ
    /// (changed, added or gone), sorted.
    ///
    /// After pages on demand, only the files served so far count: no tab
    /// can show another, so a tab reloads only if its page came out
    /// different in the full build.
    pub fn from_site(site: Site, previous: &Served, build: String) -> (Served, Vec<String>) {
        let warm = match &previous.early {
            Early::Pages(warm) => Some(warm.served()),
            Early::Over | Early::Starting => None,
        };
        let shown = warm.as_ref().unwrap_or(&previous.files);
        let mut changed: Vec<String> = shown.keys().filter(|k| !site.files.contains_key(*k)).cloned().collect();
        let mut files = HashMap::with_capacity(site.files.len());
        for (path, packed) in packed_files(site, shown) {
            let old = shown.get(&path);
            let same = old.is_some_and(|old| Arc::ptr_eq(old, &packed) || old.same(&packed));
            if !same && (old.is_some() || warm.is_none()) {
                changed.push(path.clone());
            }
            // Pages on demand are kept plain: the site's own are packed.
            let keep = old.filter(|_| same && warm.is_none());
            files.insert(path, keep.map_or(packed, Arc::clone));
        }
        changed.sort();
        (Served { build, files, good: true, early: Early::Over }, changed)
    }

    /// Nothing served yet but pages on demand, under the build id `build`.
    pub fn early(pages: Arc<dyn Pages>, build: String) -> Served {
        let warm = Warm { pages, served: Mutex::default(), renders: tokio::sync::Semaphore::new(2) };
        Served { build, early: Early::Pages(Arc::new(warm)), ..Served::default() }
    }

    /// Whether a request must wait for the first build (or ask its pages).
    pub fn waits(&self) -> bool {
        !matches!(self.early, Early::Over)
    }

    /// This site with its first build over, failed: nothing is served but
    /// the errors, under the same build id.
    pub fn failed(&self) -> Served {
        Served { build: self.build.clone(), ..Served::default() }
    }

    /// `base` with some files replaced: a preview of a build in progress,
    /// or a partial rebuild. Returns it with the paths that differ. The
    /// files that changed are kept plain for now (pending), so the edit is
    /// served without waiting on their compression: [`Served::packed`]
    /// compresses them once this site is out.
    pub fn overlay(base: &Served, files: Site, build: String) -> (Served, Vec<String>) {
        let mut all = base.files.clone();
        let mut changed = Vec::new();
        let fresh: Vec<(String, Packed)> = if files.packed {
            files.files.into_iter().map(|(path, bytes)| (path, Packed::from_packed(bytes))).collect()
        } else {
            let files: Vec<(String, Vec<u8>)> = files.files.into_iter().collect();
            files.into_par_iter().map(|(path, bytes)| (path, Packed::pending(bytes))).collect()
        };
        for (path, packed) in fresh {
            if all.get(&path).is_none_or(|old| !old.same(&packed)) {
                changed.push(path.clone());
                all.insert(path, Arc::new(packed));
            }
        }
        changed.sort();
        (Served { build, files: all, good: base.good, early: Early::Over }, changed)
    }

    /// This site with its pending files compressed, when it has any and its
    /// first build is over: the same build, the same bytes.
    pub fn packed(&self) -> Option<Served> {
        let pending: Vec<(&String, &Arc<Packed>)> = self.files.iter().filter(|(_, f)| f.is_pending()).collect();
        if pending.is_empty() || self.waits() {
            return None;
        }
        let done: Vec<(String, Arc<Packed>)> =
            pending.into_par_iter().filter_map(|(path, f)| Some((path.clone(), Arc::new(f.packed()?)))).collect();
        let mut files = self.files.clone();
        files.extend(done);
        Some(Served { build: self.build.clone(), files, good: self.good, early: Early::Over })
    }

    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }
}

/// A site's files, packed: as the builder packed them while rendering, or
/// compressed here, in parallel. A plain file with the same bytes as in
/// `old` (checksum first, then the bytes) is not compressed again: `old`'s
/// is returned, so a rebuild pays only for the files it changed.
fn packed_files(site: Site, old: &HashMap<String, Arc<Packed>>) -> Vec<(String, Arc<Packed>)> {
    if site.packed {
        return site.files.into_iter().map(|(path, bytes)| (path, Arc::new(Packed::from_packed(bytes)))).collect();
    }
    let files: Vec<(String, Vec<u8>)> = site.files.into_iter().collect();
    files
        .into_par_iter()
        .map(|(path, bytes)| {
            let plain = Packed::pending(bytes);
            let packed = match old.get(&path) {
                Some(old) if old.same(&plain) => Arc::clone(old),
                _ => Arc::new(plain.packed().unwrap_or(plain)),
            };
            (path, packed)
        })
        .collect()
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
    /// The build served before it; equal to `build` when nothing was swapped.
    previous: &'a str,
    /// The site files that differ between the two, so a tab showing a page
    /// that did not change (nor any file it loaded) need not reload.
    /// `None`: too many to list, every tab reloads.
    changed: Option<&'a [String]>,
    /// Errors of the last build; empty when it succeeded.
    errors: &'a [Problem],
}

/// Past this many changed files a status says "everything changed".
const MAX_LISTED: usize = 2000;

/// The latest status, numbered so waiting channels see each change once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Status {
    pub generation: u64,
    /// The status as one line of JSON, ready to send.
    pub json: Arc<str>,
}

#[derive(Debug)]
pub(crate) struct Shared {
    site: RwLock<Arc<Served>>,
    /// The latest status; each reload channel (a task) watches it.
    status: watch::Sender<Status>,
    /// Turns true once, when the server stops; every connection watches it.
    stopping: watch::Sender<bool>,
    /// Reload channels open right now.
    pub open_channels: AtomicUsize,
    /// Requests waiting for the first pages or being answered from them.
    pub asking: AtomicUsize,
}

/// One request counted in [`Shared::asking`] until it is dropped.
pub(crate) struct Asking<'a>(&'a Shared);

impl<'a> Asking<'a> {
    pub fn new(shared: &'a Shared) -> Asking<'a> {
        shared.asking.fetch_add(1, Ordering::SeqCst);
        Asking(shared)
    }
}

impl Drop for Asking<'_> {
    fn drop(&mut self) {
        self.0.asking.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Shared {
    pub fn new() -> Shared {
        Shared {
            site: RwLock::new(Arc::new(Served { early: Early::Starting, ..Served::default() })),
            status: watch::Sender::new(Status::default()),
            stopping: watch::Sender::new(false),
            open_channels: AtomicUsize::new(0),
            asking: AtomicUsize::new(0),
        }
    }

    /// The site to answer one request from.
    pub fn site(&self) -> Arc<Served> {
        Arc::clone(&self.site.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Puts a new site in place (when given, with the paths that differ),
    /// then announces the status. The order matters: a tab told to reload
    /// must get the new pages.
    pub fn publish(&self, site: Option<(Served, &[String])>, errors: &[Problem]) {
        let (previous, changed) = match site {
            Some((site, changed)) => {
                let mut current = self.site.write().unwrap_or_else(PoisonError::into_inner);
                let previous = current.build.clone();
                *current = Arc::new(site);
                (Some(previous), changed)
            }
            None => (None, &[][..]),
        };
        let build = self.site().build.clone();
        let view = StatusView {
            previous: previous.as_deref().unwrap_or(&build),
            build: &build,
            changed: (changed.len() <= MAX_LISTED).then_some(changed),
            errors,
        };
        let json: Arc<str> = serde_json::to_string(&view).unwrap_or_else(|_| "{}".to_string()).into();
        // `send_modify` also works while no channel is open.
        self.status.send_modify(|status| {
            status.generation += 1;
            status.json = json;
        });
    }

    /// Compresses the served site's pending files (see [`Served::overlay`])
    /// and swaps the result in under the same build: the bytes are the
    /// same, so no tab is told. Called by the one thread that publishes.
    pub fn pack_pending(&self) {
        let current = self.site();
        let Some(packed) = current.packed() else { return };
        let mut site = self.site.write().unwrap_or_else(PoisonError::into_inner);
        if Arc::ptr_eq(&site, &current) {
            *site = Arc::new(packed);
        }
    }

    /// The status as it changes, for one reload channel.
    pub fn watch_status(&self) -> watch::Receiver<Status> {
        self.status.subscribe()
    }

    /// The stop flag as it changes, for one connection.
    pub fn watch_stop(&self) -> watch::Receiver<bool> {
        self.stopping.subscribe()
    }

    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }

    /// Waits until the requests that asked for the first pages are
    /// answered (or learned they must wait for the whole site), at most
    /// `limit`: what a browser asked for first renders before the rest.
    pub fn let_first_pages_go_first(&self, limit: std::time::Duration) {
        let since = std::time::Instant::now();
        while self.asking.load(Ordering::SeqCst) > 0 && since.elapsed() < limit {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
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
            message: d.message(),
            text: d.to_string(),
        })
        .collect()
}
