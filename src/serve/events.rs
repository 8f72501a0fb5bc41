//! The reload channel: Server-Sent Events on the same port as the pages, so
//! it works wherever the pages work (behind a reverse proxy, in a container).
//!
//! Each open channel gets its own thread, which waits for a new build status
//! and writes it. A channel first gets the current status, so a tab that
//! (re)connects learns at once whether the page it shows is out of date.

use super::state::{News, Shared};
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::Request;

/// More open channels than this are refused; a tab retries by itself.
const MAX_CHANNELS: usize = 64;
/// A comment line this often finds closed tabs and keeps proxies from timing out.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Takes over the request's connection and streams status events on it
/// from a thread of its own, so HTTP workers are never held by a tab.
pub(crate) fn open(req: Request, shared: &Arc<Shared>) {
    if shared.open_channels.fetch_add(1, Ordering::SeqCst) >= MAX_CHANNELS {
        shared.open_channels.fetch_sub(1, Ordering::SeqCst);
        let resp = tiny_http::Response::from_string("too many open reload channels\n").with_status_code(503);
        let _ = req.respond(resp);
        return;
    }
    let writer = req.into_writer();
    let shared_for_thread = Arc::clone(shared);
    let spawned = std::thread::Builder::new().name("serve-events".into()).spawn(move || {
        let _ = stream(writer, &shared_for_thread);
        shared_for_thread.open_channels.fetch_sub(1, Ordering::SeqCst);
    });
    if spawned.is_err() {
        shared.open_channels.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Writes the channel as a chunked response that says `Connection: close`:
/// when the server stops, the last chunk ends the response cleanly and the
/// browser drops the connection and reconnects on a fresh one, instead of
/// reusing a socket of a server that is gone.
fn stream(mut out: Box<dyn Write + Send>, shared: &Shared) -> std::io::Result<()> {
    // `X-Accel-Buffering` keeps nginx from holding events back.
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache, no-store\r\n\
          X-Accel-Buffering: no\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    )?;
    chunk(&mut out, "retry: 1000\n\n")?;
    let mut seen = 0;
    loop {
        match shared.wait_news(seen, KEEPALIVE) {
            News::Changed(status) => {
                seen = status.generation;
                chunk(&mut out, &format!("event: status\ndata: {}\n\n", status.json))?;
            }
            News::Quiet => chunk(&mut out, ": keep-alive\n\n")?,
            News::Stopping => {
                out.write_all(b"0\r\n\r\n")?;
                return out.flush();
            }
        }
    }
}

fn chunk(out: &mut dyn Write, data: &str) -> std::io::Result<()> {
    write!(out, "{:x}\r\n{data}\r\n", data.len())?;
    out.flush()
}
