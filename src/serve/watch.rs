//! Watching the handbook: the root folder itself (for `handbook.yaml` and
//! input folders that appear or go), and `content/`, `static/` and
//! `themes/` recursively. Folders, never single files, so an editor's
//! write-temp-then-rename is seen like any other save.
//!
//! Events are gathered until the file system has been quiet for the
//! debounce, then handed over as one batch of paths.
//!
//! `--poll` does not use notify's `PollWatcher`: it compares modification
//! times in whole seconds, so a second save within the same second is never
//! seen unless every file's bytes are read again on every poll. The poller
//! here compares length and full-precision modification time of the input
//! files only, reading nothing.

use super::inputs::{input_files, is_input, tops};
use super::ServeError;
use crate::layout::INPUT_DIRS;
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// A batch is handed over after this long even if events keep coming
/// (a long `git checkout`), so the preview never falls far behind.
const MAX_BATCH_WAIT: Duration = Duration::from_secs(2);

/// What the watch thread is told.
pub(crate) enum Message {
    Fs(notify::Result<notify::Event>),
    /// Files the poller saw change, appear or go.
    Polled(Vec<PathBuf>),
    Stop,
}

/// Paths that changed, gathered over one quiet period.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    pub paths: Vec<PathBuf>,
    /// The watcher lost events (queue overflow): look at everything.
    pub rescan: bool,
    /// What went wrong with watching meanwhile, for the terminal.
    pub trouble: Vec<String>,
}

pub(crate) struct Watch {
    root: PathBuf,
    /// File-system events; `None` when polling.
    watcher: Option<Box<dyn Watcher + Send>>,
    /// Tells the poller to finish (dropped with the watch).
    _poller: Option<Poller>,
    rx: Receiver<Message>,
    /// Which input folders have a recursive watch.
    watched: BTreeSet<&'static str>,
    debounce: Duration,
    /// The repository folders whose changes move the history.
    git: super::git::GitWatch,
}

impl Watch {
    /// Starts watching `root`. Returns the watch and a sender for `Stop`.
    pub fn start(root: &Path, poll: bool, debounce: Duration) -> Result<(Watch, Sender<Message>), ServeError> {
        let (tx, rx) = mpsc::channel();
        let events = tx.clone();
        let handler = move |e| {
            let _ = events.send(Message::Fs(e));
        };
        let failed = |e: notify::Error| ServeError::Watch { path: root.display().to_string(), message: e.to_string() };
        if poll {
            let poller = Poller::start(root, tx.clone())?;
            let watch = Watch {
                root: root.to_path_buf(),
                watcher: None,
                _poller: Some(poller),
                rx,
                watched: BTreeSet::new(),
                debounce,
                git: super::git::GitWatch::find(root),
            };
            return Ok((watch, tx));
        }
        let watcher = notify::recommended_watcher(handler).map_err(failed)?;
        let mut watch = Watch {
            root: root.to_path_buf(),
            watcher: Some(Box::new(watcher)),
            _poller: None,
            rx,
            watched: BTreeSet::new(),
            debounce,
            git: super::git::GitWatch::find(root),
        };
        if let Some(w) = watch.watcher.as_mut() {
            w.watch(root, RecursiveMode::NonRecursive).map_err(failed)?;
            for (path, recursive) in &watch.git.paths {
                let mode = if *recursive { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
                // A repository that cannot be watched only means commits need a save to show.
                let _ = w.watch(path, mode);
            }
        }
        for dir in INPUT_DIRS {
            watch.watch_dir(dir, false)?;
        }
        Ok((watch, tx))
    }

    /// Waits for the next batch of input changes; `None` once told to stop.
    pub fn next_batch(&mut self) -> Option<Batch> {
        loop {
            let mut batch = Batch::default();
            self.take(self.rx.recv().ok()?, &mut batch)?;
            let started = Instant::now();
            loop {
                match self.rx.recv_timeout(self.debounce) {
                    Ok(msg) => self.take(msg, &mut batch)?,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
                if started.elapsed() > MAX_BATCH_WAIT {
                    break;
                }
            }
            if !batch.paths.is_empty() || batch.rescan {
                batch.paths.sort();
                batch.paths.dedup();
                self.refresh(&mut batch);
                return Some(batch);
            }
        }
    }

    /// Adds one message to the batch; `None` means stop.
    fn take(&self, msg: Message, batch: &mut Batch) -> Option<()> {
        let event = match msg {
            Message::Stop => return None,
            Message::Polled(paths) => {
                batch.paths.extend(paths);
                return Some(());
            }
            Message::Fs(Ok(event)) => event,
            Message::Fs(Err(e)) => {
                batch.trouble.push(format!("watching for changes: {e}"));
                batch.rescan = true;
                return Some(());
            }
        };
        if event.need_rescan() {
            batch.rescan = true;
        }
        // Reads (ours included) are not changes; a closed writer is.
        if matches!(event.kind, EventKind::Access(k) if k != AccessKind::Close(AccessMode::Write)) {
            return Some(());
        }
        batch.paths.extend(event.paths.into_iter().filter(|p| is_input(&self.root, p) || self.git.covers(p)));
        Some(())
    }

    /// Watches input folders that appeared, and again those that were
    /// replaced (the old watch died with the old folder).
    fn refresh(&mut self, batch: &mut Batch) {
        for dir in INPUT_DIRS {
            let replaced = batch.rescan || batch.paths.iter().any(|p| p == &self.root.join(dir));
            if let Err(e) = self.watch_dir(dir, replaced) {
                batch.trouble.push(e.to_string());
            }
        }
    }

    fn watch_dir(&mut self, dir: &'static str, again: bool) -> Result<(), ServeError> {
        let path = self.root.join(dir);
        let Some(watcher) = self.watcher.as_mut() else { return Ok(()) };
        let exists = path.is_dir();
        if self.watched.contains(dir) && (again || !exists) {
            let _ = watcher.unwatch(&path);
            self.watched.remove(dir);
        }
        if exists && !self.watched.contains(dir) {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| ServeError::Watch { path: path.display().to_string(), message: e.to_string() })?;
            self.watched.insert(dir);
        }
        Ok(())
    }
}

/// What the poller knows of one input file.
type Stamp = (u64, Option<std::time::SystemTime>);

/// `--poll`: a thread that looks at the input files' lengths and
/// modification times every [`POLL_INTERVAL`] and reports the ones that
/// differ. Stops when dropped.
struct Poller {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Poller {
    fn start(root: &Path, tx: Sender<Message>) -> Result<Poller, ServeError> {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = std::sync::Arc::clone(&stop);
        let root = root.to_path_buf();
        let mut known = stamps(&root);
        std::thread::Builder::new()
            .name("serve-poll".into())
            .spawn(move || {
                while !flag.load(std::sync::atomic::Ordering::SeqCst) {
                    std::thread::sleep(POLL_INTERVAL);
                    let now = stamps(&root);
                    let mut changed: Vec<PathBuf> =
                        now.iter().filter(|(p, s)| known.get(*p) != Some(s)).map(|(p, _)| p.clone()).collect();
                    changed.extend(known.keys().filter(|p| !now.contains_key(*p)).cloned());
                    known = now;
                    if !changed.is_empty() && tx.send(Message::Polled(changed)).is_err() {
                        return;
                    }
                }
            })
            .map_err(|e| ServeError::Watch { path: "the polling thread".into(), message: e.to_string() })?;
        Ok(Poller { stop })
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Length and modification time of every input file.
fn stamps(root: &Path) -> std::collections::HashMap<PathBuf, Stamp> {
    input_files(root, &tops(root)).into_iter().map(|f| (f.path, (f.len, f.modified))).collect()
}
