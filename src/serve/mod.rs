//! `personabook serve`: build into memory, serve over HTTP, watch the
//! handbook, rebuild on every change, swap the new site in and tell the
//! browsers.
//!
//! Serving never renders: the site comes from a [`Builder`] it is given (the
//! pipeline's [`Incremental`] in the binary, a small fake in tests), and it
//! is never written to disk. It never prints either: what the terminal
//! should say goes to [`ServeOptions::events`] as [`Event`]s. All shared
//! state lives in one `Arc` handed to each thread; nothing here is global.
//!
//! Threads: a small tokio runtime (two worker threads) owned by the
//! [`Server`] runs every connection and reload channel (Server-Sent Events)
//! as a task, so no number of slow or stalled clients can occupy a fixed
//! pool (see [`conn`]); one rebuild thread owns the watcher and the builder.

mod access;
mod conn;
mod events;
mod git;
mod http;
mod inputs;
mod packed;
mod rebuild;
mod report;
mod state;
mod watch;

/// The request-path check, public for the fuzz target (`fuzz/`).
#[doc(hidden)]
pub use http::decode_path;

pub use crate::pipeline::{Change, ChangeKind, Fresh, Incremental, OnDemand};
pub use report::Event;

use crate::diagnostic::Diagnostics;
use crate::render::{Pack, Site};
use state::Shared;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// What a build returns: the site, or every error that stopped it.
pub type BuildResult = Result<Fresh, Diagnostics>;

/// Produces the site. `serve` calls `build` once, then `rebuild` with the
/// input files whose bytes really changed (never with an empty list: a save
/// of the same bytes does no build work at all).
pub trait Builder: Send + 'static {
    /// Builds the whole site.
    fn build(&mut self) -> BuildResult;

    /// Builds again after `changes`. A builder that keeps state between
    /// builds can redo only what the changes affect; the default builds all.
    fn rebuild(&mut self, changes: &[Change]) -> BuildResult {
        let _ = changes;
        self.build()
    }

    /// Optional first step of a rebuild: the few files that show the change
    /// (the edited persona's own pages), exactly as the full build will
    /// render them. They are served at once, over the current site, while
    /// `rebuild` is called with the same changes for everything else. `None`
    /// (the default, or when the change breaks the build) skips the step.
    fn preview(&mut self, changes: &[Change]) -> Option<Site> {
        let _ = changes;
        None
    }

    /// The first build. A builder that can make single pages before the
    /// whole site is done hands them to `early` as soon as it can (once);
    /// they are served, each when first asked for, until this returns. The
    /// default only builds.
    fn first_build(&mut self, early: &mut dyn FnMut(Arc<dyn Pages>)) -> BuildResult {
        let _ = early;
        self.build()
    }

    /// Called once, before the first build, with what `serve` does to each
    /// file it keeps (compresses it). A builder that renders the whole site
    /// into memory can pack each file as it is made and return the site
    /// `packed`, so the whole site is never held uncompressed; the default
    /// returns plain sites, and `serve` packs them itself.
    fn pack_with(&mut self, pack: Pack) {
        let _ = pack;
    }
}

/// The pages of a site whose first build is under way, each made when asked
/// for (the pipeline's [`OnDemand`], a fake in tests).
pub trait Pages: Send + Sync {
    /// The file at `path` (`personas/ana/index.html`, no leading slash)
    /// exactly as the finished build will have it; `None` when only the
    /// finished build can tell (then the request waits for it).
    fn file(&self, path: &str) -> Option<Vec<u8>>;
}

impl Pages for OnDemand {
    fn file(&self, path: &str) -> Option<Vec<u8>> {
        OnDemand::file(self, path)
    }
}

impl<F: FnMut() -> BuildResult + Send + 'static> Builder for F {
    fn build(&mut self) -> BuildResult {
        self()
    }
}

impl Builder for Incremental {
    fn build(&mut self) -> BuildResult {
        Incremental::build(self)
    }

    fn rebuild(&mut self, changes: &[Change]) -> BuildResult {
        Incremental::rebuild(self, changes)
    }

    fn preview(&mut self, changes: &[Change]) -> Option<Site> {
        Incremental::preview(self, changes)
    }

    fn first_build(&mut self, early: &mut dyn FnMut(Arc<dyn Pages>)) -> BuildResult {
        self.build_early(|pages| early(pages))
    }

    fn pack_with(&mut self, pack: Pack) {
        Incremental::pack_with(self, pack);
    }
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The handbook folder to watch.
    pub root: PathBuf,
    /// Address to listen on; loopback unless the user asks otherwise.
    pub bind: IpAddr,
    /// Port; 0 picks a free one (tests).
    pub port: u16,
    /// Poll the file system instead of using its change events.
    pub poll: bool,
    /// How long the file system must be quiet before a rebuild starts, so an
    /// editor's write-temp-then-rename or a `git checkout` is one rebuild.
    pub debounce: Duration,
    /// What one connection may take.
    pub limits: Limits,
    /// Where to send what the terminal should say (builds, errors,
    /// warnings); `None`: nothing is told.
    pub events: Option<Sender<Event>>,
}

/// What one connection may take, so that a slow, stalled or hostile client
/// holds its own connection and nothing else.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A request head (request line and headers) must arrive whole within this.
    pub header_timeout: Duration,
    /// A connection on which no byte moves either way for this long is
    /// closed: a client that stopped reading, an idle keep-alive. The
    /// reload channel sends a comment every half of it.
    pub idle_timeout: Duration,
    /// The largest request head read, in bytes (at least 8 KiB); a larger
    /// one gets 431 and is never buffered further.
    pub max_head: usize,
}

impl Default for Limits {
    /// 10 s for a head, 30 s without progress, 16 KiB of head.
    fn default() -> Self {
        Limits { header_timeout: Duration::from_secs(10), idle_timeout: Duration::from_secs(30), max_head: 16 * 1024 }
    }
}

impl ServeOptions {
    /// Loopback, port 3000, native change events, a 30 ms debounce.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeOptions {
            root: root.into(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 3000,
            poll: false,
            debounce: Duration::from_millis(30),
            limits: Limits::default(),
            events: None,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("port {port} on {bind} is already in use; stop the other server or pick another port with --port")]
    PortInUse { bind: IpAddr, port: u16 },
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("cannot start the server's threads: {0}")]
    Runtime(std::io::Error),
    #[error("cannot watch {path} for changes: {message}")]
    Watch { path: String, message: String },
    #[error("{0} is not a folder (--root)")]
    NoRoot(String),
}

/// A running server. Dropping it (or calling [`Server::stop`]) stops every
/// thread it started and closes the port; it leaves no file behind.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    accept: Option<tokio::task::JoinHandle<()>>,
    live: Arc<conn::Live>,
    rebuild: Option<(rebuild::StopHandle, JoinHandle<()>)>,
}

impl Server {
    /// Binds the port, starts serving and watching, and starts the first
    /// build; returns once pages can be served (the builder's early pages,
    /// else the first build). Requests before then wait for it. A first
    /// build that fails still starts the server: the browser shows the
    /// errors and reloads once they are fixed.
    pub fn start(mut opts: ServeOptions, builder: impl Builder) -> Result<Server, ServeError> {
        if !opts.root.is_dir() {
            return Err(ServeError::NoRoot(opts.root.display().to_string()));
        }
        // Watchers report paths as they were asked for; an absolute root
        // makes every event comparable with it (`--root .` included).
        if let Ok(abs) = std::path::absolute(&opts.root) {
            opts.root = abs;
        }
        let listener = bind(opts.bind, opts.port)?;
        let addr = listener
            .local_addr()
            .map_err(|source| ServeError::Listen { addr: (opts.bind, opts.port).into(), source })?;
        listener.set_nonblocking(true).map_err(|source| ServeError::Listen { addr, source })?;
        // Two workers: the site is in memory, so a request is a lookup and a
        // write; more threads would only compete with the rebuild for cores.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("serve-http")
            .enable_io()
            .enable_time()
            .build()
            .map_err(ServeError::Runtime)?;
        let listener = {
            let _in_runtime = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(|source| ServeError::Listen { addr, source })?
        };
        let shared = Arc::new(Shared::new());
        let ctx = Arc::new(http::Ctx { shared: Arc::clone(&shared), bound: opts.bind, limits: opts.limits });
        let live = Arc::new(conn::Live::default());
        let accept = runtime.spawn(conn::accept_loop(listener, ctx, Arc::clone(&live)));
        let mut server = Server {
            addr,
            shared: Arc::clone(&shared),
            runtime: Some(runtime),
            accept: Some(accept),
            live,
            rebuild: None,
        };
        // On failure, dropping `server` stops what started.
        server.rebuild = Some(rebuild::start(&opts, Box::new(builder), shared)?);
        Ok(server)
    }

    /// The address the server listens on (with the real port when 0 was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The site's address for a browser.
    pub fn url(&self) -> String {
        let host = match self.addr.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
            ip if ip.is_unspecified() => "[::1]".to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        format!("http://{host}:{}/", self.addr.port())
    }

    /// Stops serving and watching; returns when every worker has finished.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stop();
        if let Some((stop, handle)) = self.rebuild.take() {
            stop.stop();
            let _ = handle.join();
        }
        let Some(runtime) = self.runtime.take() else { return };
        // The accept loop ends at once (closing the port); open responses
        // get a moment to finish, so reload channels end with a complete
        // response and tabs reconnect cleanly. Then everything is dropped.
        let (accept, live) = (self.accept.take(), Arc::clone(&self.live));
        runtime.block_on(async move {
            let drain = async {
                if let Some(accept) = accept {
                    let _ = accept.await;
                }
                while live.count() > 0 {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            };
            let _ = tokio::time::timeout(Duration::from_secs(2), drain).await;
        });
        runtime.shutdown_timeout(Duration::from_millis(500));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Binds the listening socket ourselves, so "port in use" is recognised and
/// named instead of surfacing as a generic error.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
    let addr = SocketAddr::new(ip, port);
    TcpListener::bind(addr).map_err(|source| match source.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortInUse { bind: ip, port },
        _ => ServeError::Listen { addr, source },
    })
}

/// Reads `--bind`: an IP address (`127.0.0.1`, `0.0.0.0`, `::1`, `[::1]`)
/// or `localhost`.
pub fn parse_bind(text: &str) -> Result<IpAddr, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    let t = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(t);
    t.parse().map_err(|_| format!("--bind expects an IP address such as 127.0.0.1 or 0.0.0.0, not \"{text}\""))
}

/// The warning printed when the preview is reachable from other machines.
pub fn exposure_warning(ip: IpAddr) -> Option<String> {
    if ip.is_loopback() {
        return None;
    }
    let reach = if ip.is_unspecified() { "every network interface" } else { "a non-loopback address" };
    Some(format!(
        "warning: serving on {ip} ({reach}): anyone who can reach this machine can read the handbook; \
         use --bind 127.0.0.1 to keep it private"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses() {
        assert_eq!(parse_bind("localhost"), Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(parse_bind("[::1]").map(|ip| ip.is_loopback()), Ok(true));
        assert!(parse_bind("0.0.0.0").is_ok_and(|ip| exposure_warning(ip).is_some()));
        assert!(parse_bind("127.0.0.1").is_ok_and(|ip| exposure_warning(ip).is_none()));
        assert!(parse_bind("example.com").is_err_and(|e| e.contains("--bind")));
    }
}
