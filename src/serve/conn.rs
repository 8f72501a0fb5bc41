//! Connections: the accept loop and one task per connection, on the
//! server's small tokio runtime, with hyper's HTTP/1 parser.
//!
//! Nothing a client does can hold anything but its own connection: a
//! connection is a task, not a thread, so stalled clients fill no pool; the
//! request head must arrive whole within [`Limits::header_timeout`] and fit
//! in [`Limits::max_head`] bytes (else 431, never buffered further); a
//! connection that moves no byte either way for [`Limits::idle_timeout`]
//! (a client that stopped reading, an idle keep-alive) is closed. The
//! accept loop never ends on an error: out of file descriptors it waits a
//! little and tries again, so the port answers again as soon as some close.

use super::http::{self, Ctx};
use super::Limits;
use hyper::body::{Body as HttpBody, Bytes, Frame, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// A response body: bytes known in full, or the reload channel's stream.
pub(crate) enum Body {
    Full(Option<Bytes>),
    Events(mpsc::Receiver<Bytes>),
}

impl HttpBody for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            // The sender dropped (the server stops): the stream ends cleanly.
            Body::Events(rx) => rx.poll_recv(cx).map(|next| next.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Events(_) => SizeHint::default(),
        }
    }
}

/// Counts live connections, so a stop can wait for them to finish.
#[derive(Debug, Default)]
pub(crate) struct Live(AtomicUsize);

impl Live {
    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

struct LiveGuard(Arc<Live>);

impl Drop for LiveGuard {
    fn drop(&mut self) {
        self.0 .0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Accepts until the server stops. Errors that concern one connection
/// (reset before accept) are skipped; others (`EMFILE`, `ENFILE`, no
/// memory) back off, up to a quarter of a second, and try again.
pub(crate) async fn accept_loop(listener: TcpListener, ctx: Arc<Ctx>, live: Arc<Live>) {
    let mut stop = ctx.shared.watch_stop();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(ctx.limits.header_timeout)
        .max_buf_size(ctx.limits.max_head.max(8192))
        .keep_alive(true);
    let builder = Arc::new(builder);
    let mut backoff = Duration::from_millis(5);
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            () = stopped(&mut stop) => return,
        };
        match accepted {
            Ok((stream, _)) => {
                backoff = Duration::from_millis(5);
                live.0.fetch_add(1, Ordering::SeqCst);
                let guard = LiveGuard(Arc::clone(&live));
                let (ctx, builder) = (Arc::clone(&ctx), Arc::clone(&builder));
                tokio::spawn(async move {
                    let _guard = guard;
                    serve(stream, &ctx, &builder).await;
                });
            }
            Err(e) if per_connection(&e) => {}
            Err(_) => {
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    () = stopped(&mut stop) => return,
                }
                backoff = (backoff * 2).min(Duration::from_millis(250));
            }
        }
    }
}

/// Accept errors that say only that one connection went away.
fn per_connection(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::Interrupted)
}

/// Serves one connection until it closes, idles past the limit or the
/// server stops (then open responses finish, idle keep-alives close).
async fn serve(stream: TcpStream, ctx: &Arc<Ctx>, builder: &hyper::server::conn::http1::Builder) {
    // Each answer is one write; without this, Nagle's algorithm holds the
    // last segment back until the client's delayed ACK (40 ms a page).
    let _ = stream.set_nodelay(true);
    let epoch = Instant::now();
    let last = Arc::new(AtomicU64::new(0));
    let io = TokioIo::new(Watched { io: stream, epoch, last: Arc::clone(&last) });
    let svc_ctx = Arc::clone(ctx);
    let svc = hyper::service::service_fn(move |req| {
        let answer = http::respond(&svc_ctx, &req);
        let ctx = Arc::clone(&svc_ctx);
        async move {
            Ok::<_, Infallible>(match answer {
                http::Answer::Now(reply) => reply,
                http::Answer::Later(wanted) => http::answer_later(&ctx.shared, wanted).await,
            })
        }
    });
    let conn = builder.serve_connection(io, svc);
    tokio::pin!(conn);
    let mut stop = ctx.shared.watch_stop();
    let mut stopping = false;
    let idle = ctx.limits.idle_timeout;
    loop {
        let quiet = epoch.elapsed().saturating_sub(Duration::from_millis(last.load(Ordering::Relaxed)));
        if quiet >= idle {
            return;
        }
        tokio::select! {
            _ = conn.as_mut() => return,
            () = stopped(&mut stop), if !stopping => {
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
            _ = tokio::time::sleep(idle - quiet) => {}
        }
    }
}

/// A TCP stream that notes when a byte last moved, in milliseconds since
/// `epoch`, for the idle limit.
struct Watched {
    io: TcpStream,
    epoch: Instant,
    last: Arc<AtomicU64>,
}

impl Watched {
    fn touch(&self) {
        let ms = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(ms, Ordering::Relaxed);
    }
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// The limits, with the reload channel's keep-alive derived from them: a
/// comment well inside the idle limit, so a healthy channel never trips it.
pub(crate) fn keepalive(limits: &Limits) -> Duration {
    (limits.idle_timeout / 2).max(Duration::from_millis(50))
}

/// Resolves once the server stops (or is gone).
pub(crate) async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    // The guard `wait_for` returns is not `Send`; drop it here.
    let _ = stop.wait_for(|s| *s).await.map(drop);
}
