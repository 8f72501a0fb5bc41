//! Answers HTTP requests from the in-memory site: safe path mapping,
//! folder URLs, the site's 404 page, content types, and the live-reload
//! script added to HTML responses (only here: `build` output never has it).
//!
//! Never touches the disk: a URL can only name a file of the current build.

use super::events;
use super::state::{Served, Shared};
use std::io::Write;
use std::sync::Arc;
use tiny_http::{Method, Request};

/// Where the preview's own files live; no handbook page can be there.
pub(crate) const PREFIX: &str = "/__personabook/";
const SCRIPT: &str = include_str!("livereload.js");

/// Takes requests until the server is unblocked for shutdown.
pub(crate) fn worker(http: &tiny_http::Server, shared: &Arc<Shared>) {
    loop {
        match http.recv() {
            Ok(req) => handle(req, shared),
            Err(_) if shared.is_stopping() => return,
            // tiny_http reports a failed accept once; keep serving the open connections.
            Err(e) => eprintln!("warning: {e}"),
        }
    }
}

/// One answer, written in a single piece (see [`send`]).
struct Reply {
    status: u16,
    content_type: &'static str,
    /// `Location` for redirects, `Allow` for 405.
    extra: Option<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn text(status: u16, body: &str) -> Reply {
        Reply { status, content_type: "text/plain; charset=utf-8", extra: None, body: body.as_bytes().to_vec() }
    }
}

/// Answers one request. Errors writing the answer mean the client went away.
fn handle(req: Request, shared: &Arc<Shared>) {
    if !matches!(req.method(), Method::Get | Method::Head) {
        let reply =
            Reply { extra: Some(("Allow", "GET, HEAD".into())), ..Reply::text(405, "only GET and HEAD are served\n") };
        return send(req, reply);
    }
    let url = req.url().to_string();
    let raw_path = url.split(['?', '#']).next().unwrap_or("");
    let query = url.find('?').map_or("", |i| &url[i..]);
    if let Some(own) = raw_path.strip_prefix(PREFIX) {
        match own {
            "events" => events::open(req, shared),
            "livereload.js" => {
                let body = SCRIPT.as_bytes().to_vec();
                send(req, Reply { status: 200, content_type: "text/javascript; charset=utf-8", extra: None, body });
            }
            _ => send(req, Reply::text(404, "not found\n")),
        }
        return;
    }
    let reply = match decode_path(raw_path) {
        Ok(path) => answer(&shared.site(), raw_path, &path, query),
        Err(why) => Reply::text(400, why),
    };
    send(req, reply);
}

/// The answer for a safe, decoded path.
fn answer(site: &Served, raw_path: &str, path: &str, query: &str) -> Reply {
    if !site.good {
        let script = script_tag(raw_path, &site.build, "");
        return Reply { status: 503, content_type: HTML, extra: None, body: format!("{WAITING}{script}").into_bytes() };
    }
    let key = path.strip_prefix('/').unwrap_or(path);
    let key = if key.is_empty() || key.ends_with('/') { format!("{key}index.html") } else { key.to_string() };
    if let Some(bytes) = site.files.get(&key) {
        return file(200, &key, bytes, &script_tag(raw_path, &site.build, &key));
    }
    if site.files.contains_key(&format!("{key}/index.html")) {
        // Relative, so it also works behind a proxy that mounts the preview under a sub-path.
        let last = raw_path.rsplit('/').next().unwrap_or("");
        let location = format!("{last}/{query}");
        return Reply { extra: Some(("Location", location)), ..Reply::text(302, "") };
    }
    match site.files.get("404.html") {
        // No page name: whatever changes, the tab reloads (the page may exist now).
        Some(bytes) => file(404, "404.html", bytes, &script_tag(raw_path, &site.build, "")),
        None => Reply::text(404, "not found\n"),
    }
}

/// A file of the site, with the reload script added when it is HTML.
fn file(status: u16, key: &str, bytes: &[u8], script: &str) -> Reply {
    let content_type = content_type_of(key);
    let body = if content_type == HTML {
        let at = injection_point(bytes);
        let mut body = Vec::with_capacity(bytes.len() + script.len());
        body.extend_from_slice(&bytes[..at]);
        body.extend_from_slice(script.as_bytes());
        body.extend_from_slice(&bytes[at..]);
        body
    } else {
        bytes.to_vec()
    };
    Reply { status, content_type, extra: None, body }
}

/// Writes status line, headers and body with one `write_all`. tiny_http's
/// own responses go out as several small writes, and Nagle's algorithm
/// then holds the last one back until the client's delayed ACK: 40 ms per
/// page on loopback. One write sends the page at once.
fn send(req: Request, reply: Reply) {
    let head_only = *req.method() == Method::Head;
    // tiny_http stops reading a connection after these; tell the client too.
    let asked_close =
        req.headers().iter().any(|h| h.field.equiv("Connection") && h.value.as_str().eq_ignore_ascii_case("close"));
    let closing = asked_close || (req.http_version().0 == 1 && req.http_version().1 == 0);
    let mut out = Vec::with_capacity(256 + reply.body.len());
    let _ = write!(
        out,
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache, no-store\r\n\
         X-Content-Type-Options: nosniff\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len()
    );
    if let Some((name, value)) = &reply.extra {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    if closing {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    if !head_only {
        out.extend_from_slice(&reply.body);
    }
    let mut w = req.into_writer();
    let _ = w.write_all(&out).and_then(|()| w.flush());
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Before the last `</body>` (any case), else at the end.
fn injection_point(html: &[u8]) -> usize {
    const TAG: &[u8] = b"</body";
    html.windows(TAG.len()).rposition(|w| w.eq_ignore_ascii_case(TAG)).unwrap_or(html.len())
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
    fn injects_before_the_last_body_end_tag() {
        assert_eq!(injection_point(b"<p>x</p></BODY></html>"), 8);
        assert_eq!(injection_point(b"<p>no body</p>"), 14);
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
