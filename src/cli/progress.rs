//! The progress line of a long `build`: nothing for the first second, then
//! a spinner while the handbook is read and checked and a bar with the
//! count of rendered files, drawn on standard error and cleared before the
//! summary. Only on a terminal ([`super::style::Look::progress`]): a pipe or
//! a CI log never sees it.
//!
//! The library tells each rendered file through a [`Progress`] callback,
//! which only stores two numbers; a thread of ours reads them and draws ten
//! times a second, so rendering never waits on the terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use personabook::pipeline::Progress;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// A build shorter than this shows nothing.
const DELAY: Duration = Duration::from_secs(1);
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(100);
/// The line until the first file is rendered.
const READING: &str = "{spinner} {msg}";
/// The line while files are rendered: `rendering 1,204/12,000 files`.
const RENDERING: &str = "{spinner} rendering {human_pos}/{human_len} files {wide_bar}";

/// What the render threads have told so far.
#[derive(Debug, Default)]
struct Counts {
    done: AtomicUsize,
    total: AtomicUsize,
}

/// The progress line of one build; dropping it clears the line.
pub(super) struct BuildProgress {
    counts: Arc<Counts>,
    /// Dropping the sender stops the drawing thread.
    drawing: Option<(Sender<()>, JoinHandle<()>)>,
}

impl BuildProgress {
    /// Starts the clock; the line appears after [`DELAY`] if `show`.
    pub fn start(show: bool) -> BuildProgress {
        let counts = Arc::new(Counts::default());
        let drawing = show.then(|| {
            let (stop, stopped) = mpsc::channel();
            let counts = Arc::clone(&counts);
            (stop, std::thread::spawn(move || draw(&counts, &stopped)))
        });
        BuildProgress { counts, drawing }
    }

    /// The callback for `BuildOptions::progress`: none when nothing is drawn.
    pub fn progress(&self) -> Option<Progress> {
        self.drawing.as_ref()?;
        let counts = Arc::clone(&self.counts);
        Some(Progress::new(move |done, total| {
            if counts.total.load(Ordering::Relaxed) != total {
                counts.total.store(total, Ordering::Relaxed);
            }
            counts.done.fetch_max(done, Ordering::Relaxed);
        }))
    }

    /// Clears the line (if it was drawn) before anything else is printed.
    pub fn finish(self) {
        drop(self);
    }
}

impl Drop for BuildProgress {
    fn drop(&mut self) {
        if let Some((stop, thread)) = self.drawing.take() {
            drop(stop);
            let _ = thread.join();
        }
    }
}

/// Waits out [`DELAY`], then draws until told to stop, then clears.
fn draw(counts: &Counts, stopped: &Receiver<()>) {
    let go_on = || matches!(stopped.recv_timeout(TICK), Err(RecvTimeoutError::Timeout));
    if !matches!(stopped.recv_timeout(DELAY), Err(RecvTimeoutError::Timeout)) {
        return;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(style(READING));
    bar.set_message("reading and checking the handbook");
    let mut rendering = false;
    loop {
        let total = counts.total.load(Ordering::Relaxed);
        if total > 0 && !rendering {
            rendering = true;
            bar.set_style(style(RENDERING));
            bar.set_length(total as u64);
        }
        bar.set_position(counts.done.load(Ordering::Relaxed) as u64);
        bar.tick();
        if !go_on() {
            break;
        }
    }
    bar.finish_and_clear();
}

/// A line style from a template of ours (a plain spinner if it were wrong).
fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_valid() {
        for t in [READING, RENDERING] {
            assert!(ProgressStyle::with_template(t).is_ok(), "{t}");
        }
    }

    #[test]
    fn the_callback_keeps_the_highest_count_from_any_thread() {
        let p = BuildProgress::start(true);
        let tell = p.progress().expect("shown");
        std::thread::scope(|s| {
            for n in [3, 1, 2] {
                let tell = tell.clone();
                s.spawn(move || tell.tell(n, 3));
            }
        });
        assert_eq!(p.counts.done.load(Ordering::Relaxed), 3);
        assert_eq!(p.counts.total.load(Ordering::Relaxed), 3);
    }

    #[test]
    fn nothing_is_told_when_nothing_is_shown() {
        assert!(BuildProgress::start(false).progress().is_none());
    }
}
