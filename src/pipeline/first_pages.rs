//! The preview's first build with pages on demand: as soon as the model is
//! resolved, [`OnDemand`] renders any page asked for alone, from the same
//! model and theme, while the whole site renders beside it. A page asked for
//! comes first: the full render pauses between its files while one renders
//! (for a bounded time in all, so a flood of requests cannot stall it).
//! When the full render is done, `OnDemand` is closed and the model goes
//! back to the caller.

use super::{prepare, BuildOptions, Built, Prepared};
use crate::diagnostic::Diagnostics;
use crate::model::Handbook;
use crate::render::{self, MemorySink, Progress, RenderError, Single};
use crate::theme::Theme;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// How long, in all, the full render's threads may wait for pages asked for
/// (thread time: two threads waiting 100 ms spend 200 ms).
const BUDGET: Duration = Duration::from_secs(2);

/// The pages of a site still being rendered, each made when asked for.
pub struct OnDemand {
    /// `None` once the full render is done: ask the full site then.
    ready: RwLock<Option<Ready>>,
    gate: Arc<Gate>,
}

/// What rendering one page takes.
struct Ready {
    hb: Arc<Handbook>,
    theme: Arc<Theme>,
    /// The site's static files, the theme's (`static/style.css`) and the handbook's.
    statics: HashMap<String, Vec<u8>>,
    /// The handbook's `static/` files, for avatars.
    static_names: Vec<String>,
    /// Compiled on the first request.
    single: OnceLock<Option<Single>>,
}

impl OnDemand {
    /// The file at `path` of the site (`personas/ana/index.html`,
    /// `static/style.css`), exactly as the full render makes it; `None` when
    /// only the full site can tell (an export, the search index, a page that
    /// is not there, or the full render is done).
    pub fn file(&self, path: &str) -> Option<Vec<u8>> {
        let ready = self.ready.read().unwrap_or_else(PoisonError::into_inner);
        let ready = ready.as_ref()?;
        if let Some(bytes) = ready.statics.get(path) {
            return Some(bytes.clone());
        }
        let _first = self.gate.enter();
        let single = ready.single.get_or_init(|| Single::new(&ready.hb, &ready.theme)).as_ref()?;
        let names: HashSet<&str> = ready.static_names.iter().map(String::as_str).collect();
        single.render(&ready.hb, &ready.theme, &names, path)
    }

    /// Waits for the renders under way, then answers `None` to every request.
    fn close(&self) {
        *self.ready.write().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

/// Renders a resolved model's site, handing `early` its pages on demand
/// before the full render starts: `render_resolved`, with the same result.
pub(super) fn render_beside(
    hb: Handbook,
    diagnostics: Diagnostics,
    opts: &BuildOptions,
    early: impl FnOnce(Arc<OnDemand>),
) -> Result<Built, Diagnostics> {
    let (Prepared { theme, static_files }, mut diagnostics) = prepare(&hb, diagnostics, opts)?;
    let (hb, theme) = (Arc::new(hb), Arc::new(theme));
    let mut statics: HashMap<String, Vec<u8>> =
        render::theme_statics(&hb, &theme).map(|(path, bytes)| (path, bytes.to_vec())).collect();
    statics.extend(static_files.iter().cloned());
    let ready = Ready {
        hb: Arc::clone(&hb),
        theme: Arc::clone(&theme),
        static_names: static_files.iter().map(|(path, _)| path.clone()).collect(),
        statics,
        single: OnceLock::new(),
    };
    let gate = Arc::new(Gate::default());
    let pages = Arc::new(OnDemand { ready: RwLock::new(Some(ready)), gate: Arc::clone(&gate) });
    early(Arc::clone(&pages));
    let sink = MemorySink::default();
    let progress = Progress::new(move |_, _| gate.yield_to_pages());
    let rendered = render::render_into(&hb, &theme, static_files, &sink, Some(&progress));
    pages.close();
    let summary = rendered.map_err(|e| match e {
        RenderError::Diagnostics(d) => d,
        RenderError::Sink(never) => match never {},
    })?;
    diagnostics.extend(summary.warnings);
    diagnostics.sort();
    Ok(Built { site: sink.into_site(), handbook: Arc::unwrap_or_clone(hb), diagnostics })
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
