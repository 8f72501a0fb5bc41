//! The reload channel: Server-Sent Events on the same port as the pages, so
//! it works wherever the pages work (behind a reverse proxy, in a container).
//!
//! Each open channel is a task that waits for a new build status and sends
//! it. A channel first gets the current status, so a tab that (re)connects
//! learns at once whether the page it shows is out of date.

use super::conn::{stopped, Body};
use super::state::Shared;
use hyper::body::Bytes;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONNECTION, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// More open channels than this are refused; a tab retries by itself.
const MAX_CHANNELS: usize = 256;

/// Frees a channel's place when its task ends, however it ends.
struct Slot(Arc<Shared>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.open_channels.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The channel's response; a task of its own feeds its body. A comment
/// every `keepalive` finds closed tabs and keeps proxies from timing out.
///
/// The response says `Connection: close`: when the server stops, the body
/// ends with the last chunk of a complete response and the browser
/// reconnects on a fresh connection, instead of reusing a socket of a
/// server that is gone.
pub(crate) fn open(shared: &Arc<Shared>, keepalive: Duration) -> Response<Body> {
    if shared.open_channels.fetch_add(1, Ordering::SeqCst) >= MAX_CHANNELS {
        shared.open_channels.fetch_sub(1, Ordering::SeqCst);
        let mut resp = Response::new(Body::Full(Some(Bytes::from_static(b"too many open reload channels\n"))));
        *resp.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        return resp;
    }
    let slot = Slot(Arc::clone(shared));
    // A small queue: a tab that stops reading holds a few events, not all.
    let (tx, rx) = mpsc::channel::<Bytes>(4);
    tokio::spawn(async move {
        let slot = slot;
        let mut status = slot.0.watch_status();
        let mut stop = slot.0.watch_stop();
        if tx.send(Bytes::from_static(b"retry: 1000\n\n")).await.is_err() {
            return;
        }
        let mut seen = 0;
        loop {
            let current = status.borrow_and_update().clone();
            if current.generation > seen {
                seen = current.generation;
                if tx.send(Bytes::from(format!("event: status\ndata: {}\n\n", current.json))).await.is_err() {
                    return;
                }
            }
            tokio::select! {
                changed = status.changed() => if changed.is_err() { return },
                // Dropping `tx` ends the body: the last chunk goes out.
                () = stopped(&mut stop) => return,
                _ = tx.closed() => return,
                _ = tokio::time::sleep(keepalive) => {
                    if tx.send(Bytes::from_static(b": keep-alive\n\n")).await.is_err() {
                        return;
                    }
                }
            }
        }
    });
    let mut resp = Response::new(Body::Events(rx));
    let h = resp.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache, no-store"));
    // Keeps nginx from holding events back.
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    h.insert(CONNECTION, HeaderValue::from_static("close"));
    resp
}
