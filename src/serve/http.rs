//! Answers HTTP requests from the in-memory site: safe path mapping,
//! folder URLs, the site's 404 page, content types, the live-reload script
//! added to HTML responses (only here: `build` output never has it), and
//! gzip for clients that take it (files are kept compressed, see
//! [`super::packed`]).
//!
//! Never touches the disk: a URL can only name a file of the current build.
//! Requests for another host name get 403 first (see [`super::access`]).

use super::access::{host_allowed, origin_allowed};
use super::conn::Body;
use super::events;
use super::packed::{self, Packed, Scripted};
use super::state::{Asking, Early, Served, Shared};
use super::Limits;
use hyper::body::Bytes;
use hyper::header::{
    HeaderValue, ALLOW, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HOST, LOCATION, ORIGIN, VARY,
};
use hyper::{Method, Request, Response, StatusCode};
use std::net::IpAddr;
use std::sync::Arc;

/// Where the preview's own files live; no handbook page can be there.
pub(crate) const PREFIX: &str = "/__personabook/";
const SCRIPT: &str = include_str!("livereload.js");
const OVERLAY_CSS: &str = include_str!("overlay.css");

/// What every request handler needs: the site, where the server is bound
/// (for the `Host` check), and the limits.
pub(crate) struct Ctx {
    pub shared: Arc<Shared>,
    pub bound: IpAddr,
    pub limits: Limits,
}

/// One answer.
pub(crate) struct Reply {
    status: u16,
    content_type: &'static str,
    /// `Location` for redirects, `Allow` for 405.
    extra: Option<(hyper::header::HeaderName, String)>,
    /// How the body is encoded; `None`: never encoded (no `Vary` either).
    coding: Option<Coding>,
    body: Bytes,
}

/// The encoding of a site file's body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Coding {
    Identity,
    Gzip,
}

impl Reply {
    fn text(status: u16, body: &'static str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            extra: None,
            coding: None,
            body: Bytes::from_static(body.as_bytes()),
        }
    }
}

/// An answer now, or a site path to answer once the first build can.
pub(crate) enum Answer {
    Now(Response<Body>),
    Later(Wanted),
}

/// A safe site path asked for while the first build is under way.
pub(crate) struct Wanted {
    raw_path: String,
    path: String,
    query: String,
    gzip: bool,
}

/// Answers one request; the body of a request is never read.
pub(crate) fn respond<B>(ctx: &Ctx, req: &Request<B>) -> Answer {
    if !names_this_preview(req, ctx.bound) {
        return Answer::Now(build(Reply::text(403, FORBIDDEN_HOST)));
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return Answer::Now(build(Reply {
            extra: Some((ALLOW, "GET, HEAD".into())),
            ..Reply::text(405, "only GET and HEAD are served\n")
        }));
    }
    let raw_path = req.uri().path();
    let query = req.uri().query().map_or(String::new(), |q| format!("?{q}"));
    if let Some(own) = raw_path.strip_prefix(PREFIX) {
        return Answer::Now(own_file(ctx, req, own));
    }
    let gzip = packed::accepts_gzip(req.headers());
    let reply = match decode_path(raw_path) {
        Ok(path) => {
            let site = ctx.shared.site();
            if site.waits() {
                return Answer::Later(Wanted { raw_path: raw_path.to_string(), path, query, gzip });
            }
            answer(&site, &Asked { raw_path, path: &path, query: &query, gzip })
        }
        Err(why) => Reply::text(400, why),
    };
    Answer::Now(build(reply))
}

/// Answers a request that waited for the first build: from its pages on
/// demand while it renders, else from the site once it has landed.
pub(crate) async fn answer_later(shared: &Shared, wanted: Wanted) -> Response<Body> {
    let Wanted { raw_path, path, query, gzip } = wanted;
    let asked = Asked { raw_path: &raw_path, path: &path, query: &query, gzip };
    let key = key_of(&path);
    let mut status = shared.watch_status();
    let mut stop = shared.watch_stop();
    let mut asking = Some(Asking::new(shared));
    loop {
        let site = shared.site();
        match &site.early {
            Early::Over => return build(answer(&site, &asked)),
            Early::Pages(warm) => {
                let Ok(_turn) = warm.renders.acquire().await else { break };
                let (warm, wanted) = (Arc::clone(warm), key.clone());
                if let Ok(Some(bytes)) = tokio::task::spawn_blocking(move || warm.file(&wanted)).await {
                    return build(file(200, &key, &bytes, &script_tag(&raw_path, &site.build, &key), gzip));
                }
                // Only the whole site can answer: no reason to hold it back.
                asking = None;
            }
            Early::Starting => {}
        }
        // Until the next build status: the first pages, or the site.
        tokio::select! {
            changed = status.changed() => if changed.is_err() { break },
            () = super::conn::stopped(&mut stop) => break,
        }
    }
    drop(asking);
    build(Reply::text(503, "the preview is stopping\n"))
}

/// The preview's own files under [`PREFIX`].
fn own_file<B>(ctx: &Ctx, req: &Request<B>, own: &str) -> Response<Body> {
    match own {
        "events" => {
            let origins = req.headers().get_all(ORIGIN);
            if origins.iter().any(|o| o.to_str().map_or(true, |o| !origin_allowed(o, ctx.bound))) {
                return build(Reply::text(403, FORBIDDEN_ORIGIN));
            }
            events::open(&ctx.shared, super::conn::keepalive(&ctx.limits))
        }
        "livereload.js" => build(Reply {
            content_type: "text/javascript; charset=utf-8",
            body: Bytes::from_static(SCRIPT.as_bytes()),
            ..Reply::text(200, "")
        }),
        "overlay.css" => build(Reply {
            content_type: "text/css; charset=utf-8",
            body: Bytes::from_static(OVERLAY_CSS.as_bytes()),
            ..Reply::text(200, "")
        }),
        _ => build(Reply::text(404, "not found\n")),
    }
}

const FORBIDDEN_HOST: &str = "forbidden: this preview answers only requests for localhost, 127.0.0.1, [::1] \
    or the address it is bound to; open it through one of those\n";
const FORBIDDEN_ORIGIN: &str = "forbidden: the reload channel answers only pages of this preview\n";

/// The `Host` check (see [`super::access`]): every `Host` header, and the
/// authority of an absolute-form request target, must name this preview.
fn names_this_preview<B>(req: &Request<B>, bound: IpAddr) -> bool {
    let hosts = req.headers().get_all(HOST);
    if hosts.iter().count() > 1 {
        return false;
    }
    let header_ok = hosts.iter().all(|h| h.to_str().is_ok_and(|h| host_allowed(h, bound)));
    let target_ok = req.uri().authority().is_none_or(|a| host_allowed(a.as_str(), bound));
    header_ok && target_ok
}

/// What one request for a site file asked.
struct Asked<'a> {
    raw_path: &'a str,
    /// Decoded and safe.
    path: &'a str,
    query: &'a str,
    /// Whether the client takes a gzip-encoded body.
    gzip: bool,
}

/// The answer for a safe, decoded path.
fn answer(site: &Served, asked: &Asked<'_>) -> Reply {
    let Asked { raw_path, path, query, gzip } = *asked;
    if !site.good {
        let script = script_tag(raw_path, &site.build, "");
        let body = Bytes::from(format!("{WAITING}{script}"));
        return Reply { content_type: HTML, body, ..Reply::text(503, "") };
    }
    let key = key_of(path);
    if let Some(bytes) = site.files.get(&key) {
        return file(200, &key, bytes, &script_tag(raw_path, &site.build, &key), gzip);
    }
    if site.files.contains_key(&format!("{key}/index.html")) {
        // Relative, so it also works behind a proxy that mounts the preview under a sub-path.
        let last = raw_path.rsplit('/').next().unwrap_or("");
        let location = format!("{last}/{query}");
        return Reply { extra: Some((LOCATION, location)), ..Reply::text(302, "") };
    }
    match site.files.get("404.html") {
        // No page name: whatever changes, the tab reloads (the page may exist now).
        Some(bytes) => file(404, "404.html", bytes, &script_tag(raw_path, &site.build, ""), gzip),
        None => Reply::text(404, "not found\n"),
    }
}

/// The site file a decoded path names: a folder's `index.html`.
fn key_of(path: &str) -> String {
    let key = path.strip_prefix('/').unwrap_or(path);
    if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.to_string()
    }
}

/// A site file's bytes kept plain (an image, a file not compressed yet),
/// shared with the served site rather than copied: fifty clients
/// downloading a large image hold one copy of it.
struct SharedBytes(Arc<Packed>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.stored_bytes().unwrap_or_default()
    }
}

/// A file of the site, with the reload script added when it is HTML,
/// gzip-encoded when the client takes it and the file is kept compressed.
fn file(status: u16, key: &str, packed: &Arc<Packed>, script: &str, gzip: bool) -> Reply {
    let content_type = content_type_of(key);
    let reply = |coding, body| Reply { status, content_type, extra: None, coding: Some(coding), body };
    if content_type == HTML {
        return match packed.with_script(script.as_bytes(), gzip) {
            Ok(Scripted::Gzip(member)) => reply(Coding::Gzip, Bytes::from(member)),
            Ok(Scripted::Plain(body)) => reply(Coding::Identity, Bytes::from(body)),
            Err(_) => Reply::text(500, CORRUPT),
        };
    }
    if let Some(member) = packed.gzip().filter(|_| gzip) {
        return reply(Coding::Gzip, Bytes::from(member));
    }
    if packed.stored_bytes().is_some() {
        return reply(Coding::Identity, Bytes::from_owner(SharedBytes(Arc::clone(packed))));
    }
    match packed.plain() {
        Ok(plain) => reply(Coding::Identity, Bytes::from(plain.into_owned())),
        Err(_) => Reply::text(500, CORRUPT),
    }
}

const CORRUPT: &str = "internal error: this file is corrupt in the preview's memory; restart the preview\n";

/// The response for a reply. hyper leaves the body out for HEAD and keeps
/// the connection open or closes it as the request asked.
fn build(reply: Reply) -> Response<Body> {
    let mut resp = Response::new(Body::Full(Some(reply.body.clone()).filter(|b| !b.is_empty())));
    *resp.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    h.insert(CONTENT_LENGTH, HeaderValue::from(reply.body.len()));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache, no-store"));
    if let Some(coding) = reply.coding {
        h.insert(VARY, HeaderValue::from_static("accept-encoding"));
        if coding == Coding::Gzip {
            h.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
    }
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    if let Some((name, value)) = reply.extra {
        if let Ok(value) = HeaderValue::from_str(&value) {
            h.insert(name, value);
        }
    }
    resp
}

/// The tag that loads the reload script, with the build the page is from
/// and the site file it is (empty: reload on any change). Its URL is
/// relative to the page, like every link of the site, so a proxy may mount
/// the preview anywhere. Site paths never hold `"`, `<` or `&` unescaped
/// here: they come from the URL, where those are %-encoded.
fn script_tag(raw_path: &str, build: &str, page: &str) -> String {
    let depth = raw_path.matches('/').count().saturating_sub(1);
    let up = "../".repeat(depth);
    let page = page.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    format!("<script src=\"{up}__personabook/livereload.js\" data-build=\"{build}\" data-page=\"{page}\"></script>")
}

/// Percent-decodes a URL path and refuses anything that could name a file
/// outside the site: `..` or `.` segments (also encoded), backslashes, NUL,
/// and bytes that are not UTF-8.
pub fn decode_path(raw: &str) -> Result<String, &'static str> {
    if !raw.starts_with('/') {
        return Err("bad request: the path must start with /\n");
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let byte =
                hex.and_then(|h| u8::from_str_radix(h, 16).ok()).ok_or("bad request: broken %-escape in the path\n")?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).map_err(|_| "bad request: the path is not UTF-8\n")?;
    if path.contains(['\\', '\0']) || path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err("bad request: the path leaves the site\n");
    }
    Ok(path)
}

const HTML: &str = "text/html; charset=utf-8";

/// The content type for a site file, by extension.
pub(crate) fn content_type_of(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => HTML,
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// Shown while no build has succeeded yet; the overlay names the errors.
const WAITING: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>personabook: waiting for a good build</title></head>\
<body><h1>The handbook has errors</h1><p>Fix them and this page reloads by itself.</p></body></html>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_site() {
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/%2E%2E/x",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a/./b",
            "/x%00",
            "/%zz",
            "/%c3%28",
            "x",
        ] {
            assert!(decode_path(bad).is_err(), "{bad} should be refused");
        }
        assert_eq!(decode_path("/personas/ana%20b/").as_deref(), Ok("/personas/ana b/"));
        assert_eq!(decode_path("/a..b/c").as_deref(), Ok("/a..b/c"));
    }

    #[test]
    fn script_url_is_relative_to_the_page() {
        assert!(script_tag("/", "b1", "index.html").contains("src=\"__personabook/"));
        assert!(script_tag("/personas/ana/", "b1", "").contains("src=\"../../__personabook/"));
        assert!(script_tag("/personas/ana/index.html", "b1", "").contains("src=\"../../__personabook/"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type_of("a/index.html"), HTML);
        assert_eq!(content_type_of("x.WOFF2"), "font/woff2");
        assert_eq!(content_type_of("content-map.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type_of("noext"), "application/octet-stream");
    }
}
