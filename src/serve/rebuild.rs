//! The rebuild loop: a batch of changed paths -> the input files whose
//! bytes changed -> the builder -> a new site swapped in, or the errors
//! shown in every tab while the last good site stays served. One line in
//! the terminal for each result.

use super::inputs::Inputs;
use super::report::Event;
use super::state::{problems, Problem, Served, Shared};
use super::watch::{Message, Watch};
use super::{BuildResult, Builder, Change, Pages, ServeError, ServeOptions};
use crate::diagnostic::{Diagnostic, Diagnostics};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Tells the rebuild thread to finish.
pub(crate) struct StopHandle(Sender<Message>);

impl StopHandle {
    pub fn stop(&self) {
        let _ = self.0.send(Message::Stop);
    }
}

/// How long the rest of a first build may wait for the pages that were
/// asked for before they could be made (the page a browser opened).
const FIRST_PAGES_AHEAD: std::time::Duration = std::time::Duration::from_millis(250);

struct Rebuilder {
    builder: Box<dyn Builder>,
    inputs: Inputs,
    watch: Watch,
    shared: Arc<Shared>,
    /// Differs between server runs, so a tab reloads after a restart.
    session: String,
    builds: u64,
    /// The warnings last reported, so each is reported once, not on every save.
    warnings: Vec<Diagnostic>,
    /// Whether the tabs were last told of errors (a good build clears them).
    showing_errors: bool,
    /// Where to tell what happened; `None`: nobody listens.
    events: Option<Sender<Event>>,
}

/// Starts watching, then a thread of its own that runs the first build
/// and publishes it, then the loop; returns once the first pages are served.
pub(crate) fn start(
    opts: &ServeOptions,
    mut builder: Box<dyn Builder>,
    shared: Arc<Shared>,
) -> Result<(StopHandle, JoinHandle<()>), ServeError> {
    builder.pack_with(super::packed::pack);
    // Watch before fingerprinting, and fingerprint before building: a save
    // that lands in between then causes one build too many, never one too few.
    let (watch, stop) = Watch::start(&opts.root, opts.poll, opts.debounce)?;
    let inputs = Inputs::scan(&opts.root);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let mut r = Rebuilder {
        builder,
        inputs,
        watch,
        shared,
        session: format!("{nanos:x}"),
        builds: 0,
        warnings: Vec::new(),
        showing_errors: false,
        events: opts.events.clone(),
    };
    let (ready, serving) = std::sync::mpsc::channel();
    let handle = std::thread::Builder::new()
        .name("serve-rebuild".into())
        .spawn(move || {
            r.first_build(&ready);
            drop(ready);
            r.run();
        })
        .map_err(|e| ServeError::Watch { path: opts.root.display().to_string(), message: e.to_string() })?;
    // Told once pages can be served; a closed channel (the thread ended) also ends the wait.
    let _ = serving.recv();
    Ok((StopHandle(stop), handle))
}

impl Rebuilder {
    /// The first build: its early pages as soon as the builder has them
    /// (tells `ready`), then the whole site (tells `ready` if not yet).
    fn first_build(&mut self, ready: &Sender<()>) {
        let started = Instant::now();
        let Rebuilder { builder, shared, session, builds, events, .. } = self;
        let mut early = |pages: Arc<dyn Pages>| {
            *builds += 1;
            shared.publish(Some((Served::early(pages, format!("{session}-{builds}")), &[][..])), &[]);
            if let Some(events) = events {
                let _ = events.send(Event::FirstPages { at: now(), ms: started.elapsed().as_millis() });
            }
            let _ = ready.send(());
            shared.let_first_pages_go_first(FIRST_PAGES_AHEAD);
        };
        let result = guarded(|| builder.first_build(&mut early));
        self.publish(result, started, "first build");
        let _ = ready.send(());
    }

    fn run(mut self) {
        while let Some(batch) = self.watch.next_batch() {
            for trouble in batch.trouble {
                self.tell(Event::Watch(trouble));
            }
            let started = Instant::now();
            let changes = if batch.rescan { self.inputs.rescan() } else { self.inputs.update(&batch.paths) };
            if changes.is_empty() {
                continue;
            }
            let what = describe(&changes);
            self.preview(&changes, started, &what);
            let result = guarded(|| self.builder.rebuild(&changes));
            self.publish(result, started, &what);
            // Off the edit's path: the changed files were served plain.
            self.shared.pack_pending();
        }
    }

    /// Serves the builder's first few files over the current site, so the
    /// page being edited is on screen before the whole site is rebuilt.
    fn preview(&mut self, changes: &[Change], started: Instant, what: &str) {
        let current = self.shared.site();
        if !current.good {
            return;
        }
        let Ok(Some(files)) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.builder.preview(changes)))
        else {
            return;
        };
        self.builds += 1;
        let (served, changed) = Served::overlay(&current, files, format!("{}-{}", self.session, self.builds));
        if !changed.is_empty() {
            self.shared.publish(Some((served, &changed[..])), &[]);
            let ms = started.elapsed().as_millis();
            self.tell(Event::Previewed { at: now(), what: what.to_string(), pages: changed.len(), ms });
        }
    }

    /// Swaps a good site in (when it differs) or shows the errors.
    fn publish(&mut self, result: BuildResult, started: Instant, what: &str) {
        let at = now();
        let what = what.to_string();
        match result {
            Ok(fresh) => {
                self.print_new_warnings(&fresh.warnings);
                self.builds += 1;
                let current = self.shared.site();
                let build = format!("{}-{}", self.session, self.builds);
                let (served, changed) = if fresh.partial && current.good {
                    Served::overlay(&current, fresh.site, build)
                } else {
                    Served::from_site(fresh.site, &current, build)
                };
                let (pages, files) = (served.page_count(), served.files.len());
                // The same bytes as before (a revert, a comment, what the
                // preview showed): keep the build id, so tabs only drop an
                // overlay instead of reloading, and tell them nothing unless
                // errors are to be cleared: a status would replace the
                // preview's before a channel sent it.
                let swap = !changed.is_empty() || !current.good;
                if swap || self.showing_errors {
                    self.shared.publish(swap.then_some((served, &changed[..])), &[]);
                }
                self.showing_errors = false;
                // A first site is new from end to end, whatever its early pages showed.
                let changed = if current.good { changed.len() } else { files };
                let (ms, warnings) = (started.elapsed().as_millis(), fresh.warnings.warning_count());
                self.tell(Event::Built { at, what, pages, ms, changed, warnings });
            }
            Err(diags) => {
                let mut shown = problems(&diags);
                if shown.is_empty() {
                    shown.push(Problem {
                        path: String::new(),
                        line: 0,
                        column: 0,
                        message: "the build failed".into(),
                        text: diags.to_string(),
                    });
                }
                let errors = diags.iter().filter(|d| d.is_error()).cloned().collect();
                // A first build that failed after its early pages serves them no more.
                let current = self.shared.site();
                self.shared.publish(current.waits().then(|| (current.failed(), &[][..])), &shown);
                self.showing_errors = true;
                let still_serving = self.shared.site().good;
                self.tell(Event::Failed { at, what, errors, shown: shown.len(), still_serving });
            }
        }
    }

    fn print_new_warnings(&mut self, warnings: &Diagnostics) {
        let now: Vec<Diagnostic> = warnings.iter().filter(|d| !d.is_error()).cloned().collect();
        for w in now.iter().filter(|w| !self.warnings.contains(w)) {
            self.tell(Event::Warning(w.clone()));
        }
        self.warnings = now;
    }

    fn tell(&self, event: Event) {
        if let Some(events) = &self.events {
            // A listener that left is no reason to stop serving.
            let _ = events.send(event);
        }
    }
}

/// The local time of day, for the terminal's lines.
fn now() -> jiff::civil::Time {
    jiff::Zoned::now().time()
}

/// Runs a build, turning a panic (a bug, never the user's fault) into an
/// error shown like any other, so the preview keeps running and the next
/// save is built again.
fn guarded(build: impl FnOnce() -> BuildResult) -> BuildResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(build))
        .map_err(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let mut d = Diagnostics::default();
            d.push(Diagnostic::error("personabook", 1, 1, crate::problem::Problem::Internal { what }));
            d
        })
        .and_then(|result| result)
}

/// `content/personas/ana.md changed`, or `3 files changed`.
fn describe(changes: &[Change]) -> String {
    match changes {
        [one] => {
            let verb = match one.kind {
                super::ChangeKind::Added => "added",
                super::ChangeKind::Modified => "changed",
                super::ChangeKind::Removed => "removed",
            };
            format!("{} {verb}", one.path)
        }
        many => format!("{} files changed", many.len()),
    }
}
