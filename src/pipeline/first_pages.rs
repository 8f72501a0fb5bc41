//! The preview's first build with pages on demand: as soon as the model is
//! resolved, [`OnDemand`] renders any page asked for alone, from the same
//! model and theme, on a thread that borrows them while the whole site
//! renders beside it. A page asked for comes first: the full render pauses
//! between its files while one renders (for a bounded time in all, so a
//! flood of requests cannot stall it). When the full render is done, the
//! thread ends and `OnDemand` answers nothing more.

use crate::model::Handbook;
use crate::render::{self, Progress, Single};
use crate::theme::Theme;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long, in all, the full render's threads may wait for pages asked for
/// (thread time: two threads waiting 100 ms spend 200 ms).
const BUDGET: Duration = Duration::from_secs(2);

/// One page asked for, and where its bytes go.
type Ask = (String, Sender<Option<Vec<u8>>>);

/// The pages of a site still being rendered, each made when asked for, by
/// a thread that borrows the model for as long as the full render runs.
pub struct OnDemand {
    /// `None` once the full render is done: ask the full site then.
    asks: Mutex<Option<Sender<Ask>>>,
}

impl OnDemand {
    /// The file at `path` of the site (`personas/ana/index.html`,
    /// `static/style.css`), exactly as the full render makes it; `None` when
    /// only the full site can tell (an export, the search index, a page that
    /// is not there, or the full render is done).
    pub fn file(&self, path: &str) -> Option<Vec<u8>> {
        let asks = self.asks.lock().unwrap_or_else(PoisonError::into_inner).clone()?;
        let (reply, answer) = channel();
        asks.send((path.to_string(), reply)).ok()?;
        answer.recv().ok().flatten()
    }

    /// Answers `None` to every request from now on.
    fn close(&self) {
        self.asks.lock().unwrap_or_else(PoisonError::into_inner).take();
    }
}

/// Runs `render` (the whole site, telling its `Progress` after each file)
/// while pages of `hb` are rendered on demand for `early`; they answer
/// nothing once `render` returns. `static_files` are the handbook's.
pub(super) fn beside<R>(
    hb: &Handbook,
    theme: &Theme,
    static_files: Vec<(String, Vec<u8>)>,
    early: impl FnOnce(Arc<OnDemand>),
    render: impl FnOnce(&Progress) -> R,
) -> R {
    let gate = Arc::new(Gate::default());
    let (asks, asked) = channel();
    let pages = Arc::new(OnDemand { asks: Mutex::new(Some(asks)) });
    std::thread::scope(|s| {
        let answering = Arc::clone(&gate);
        let spawned = std::thread::Builder::new()
            .name("first-pages".into())
            .spawn_scoped(s, move || answer(hb, theme, static_files, &asked, &answering));
        if spawned.is_ok() {
            early(Arc::clone(&pages));
        }
        let progress = Progress::new(move |_, _| gate.yield_to_pages());
        let out = render(&progress);
        // The answering thread ends with the last sender.
        pages.close();
        out
    })
}

/// Answers the pages asked for, one at a time, until nobody can ask.
fn answer(hb: &Handbook, theme: &Theme, own: Vec<(String, Vec<u8>)>, asked: &Receiver<Ask>, gate: &Gate) {
    let static_names: HashSet<&str> = own.iter().map(|(path, _)| path.as_str()).collect();
    let mut statics: HashMap<String, &[u8]> = render::theme_statics(hb, theme).collect();
    statics.extend(own.iter().map(|(path, bytes)| (path.clone(), &bytes[..])));
    let mut single: Option<Option<Single>> = None;
    for (path, reply) in asked {
        if let Some(bytes) = statics.get(&path) {
            let _ = reply.send(Some(bytes.to_vec()));
            continue;
        }
        let _first = gate.enter();
        let made = single.get_or_insert_with(|| Single::new(hb, theme));
        let _ = reply.send(made.as_ref().and_then(|single| single.render(hb, theme, &static_names, &path)));
    }
}

/// Holds the full render back while pages asked for render.
#[derive(Default)]
struct Gate {
    /// Pages rendering on demand right now.
    busy: AtomicUsize,
    /// The time the full render's threads have waited so far.
    spent: Mutex<Duration>,
    idle: Condvar,
}

/// One page rendering on demand; the full render goes on when the last ends.
struct Busy<'a>(&'a Gate);

impl Gate {
    fn enter(&self) -> Busy<'_> {
        self.busy.fetch_add(1, Ordering::SeqCst);
        Busy(self)
    }

    /// Called by the full render after each file: waits while a page asked
    /// for renders, unless the budget is spent. One atomic load otherwise.
    fn yield_to_pages(&self) {
        if self.busy.load(Ordering::SeqCst) == 0 {
            return;
        }
        let spent = self.spent.lock().unwrap_or_else(PoisonError::into_inner);
        let left = BUDGET.saturating_sub(*spent);
        if left.is_zero() {
            return;
        }
        let started = Instant::now();
        let (mut spent, _) = self
            .idle
            .wait_timeout_while(spent, left, |_| self.busy.load(Ordering::SeqCst) > 0)
            .unwrap_or_else(PoisonError::into_inner);
        *spent += started.elapsed();
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
        // Under the lock, so a render thread between its check and its wait is not missed.
        let _spent = self.0.spent.lock().unwrap_or_else(PoisonError::into_inner);
        self.0.idle.notify_all();
    }
}
