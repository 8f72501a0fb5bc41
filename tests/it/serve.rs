//! `serve` through real HTTP on a free loopback port: pages, the injected
//! reload script, every kind of save showing up, the error channel, path
//! safety and many clients at once.
//!
//! The server takes its builder as an argument; these tests give it a small
//! fake one (Markdown files -> plain HTML) so they test serving, watching
//! and reloading, not rendering. `serve_real_*` tests run the real binary.

use crate::harness::Handbook;
use personabook::diagnostic::{Diagnostic, Diagnostics};
use personabook::render::Site;
use personabook::serve::{BuildResult, Fresh, Limits, ServeError, ServeOptions, Server};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a change may take to show up before a test fails.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// A stand-in for the real pipeline: every `content/**/*.md` becomes
/// `<id>/index.html` with the site title and the body; `static/` is copied.
/// A file containing `BROKEN` fails the build with its line and column.
pub fn fake_build(root: &Path) -> BuildResult {
    let config = std::fs::read_to_string(root.join("handbook.yaml")).unwrap_or_default();
    let title = config.lines().find_map(|l| l.strip_prefix("title:")).unwrap_or("Handbook").trim().to_string();
    let mut site = Site::default();
    let mut errors = Diagnostics::default();
    let mut index = format!("<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1><ul>");
    for entry in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let rel = path.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if let Some((n, line)) = text.lines().enumerate().find(|(_, l)| l.contains("BROKEN")) {
            let col = line.find("BROKEN").unwrap_or(0) + 1;
            errors.push(
                Diagnostic::error(
                    &rel,
                    n + 1,
                    col,
                    personabook::problem::Problem::Internal { what: "this file is broken on purpose".into() },
                )
                .with_source(&text, 6),
            );
            continue;
        }
        let id = rel.trim_start_matches("content/").trim_end_matches(".md");
        index.push_str(&format!("<li><a href=\"{id}/\">{id}</a></li>"));
        let html = format!("<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1><main>{text}</main></body></html>");
        site.files.insert(format!("{id}/index.html"), html.into_bytes());
    }
    index.push_str("</ul></body></html>");
    site.files.insert("index.html".into(), index.into_bytes());
    site.files.insert("404.html".into(), b"<html><body><p>No such page in this handbook.</p></body></html>".to_vec());
    for entry in walkdir::WalkDir::new(root.join("static")).into_iter().flatten() {
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(root.join("static"))
                .expect("under static")
                .to_string_lossy()
                .replace('\\', "/");
            site.files.insert(rel, std::fs::read(entry.path()).unwrap_or_default());
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    Ok(Fresh { site, warnings: Diagnostics::default(), ..Fresh::default() })
}

/// A fixture served with the fake builder; counts the builds it runs.
pub struct Served {
    pub hb: Handbook,
    pub server: Server,
    pub builds: Arc<AtomicUsize>,
}

impl Served {
    pub fn fixture(name: &str) -> Served {
        let hb = Handbook::fixture(name);
        Served::handbook(hb)
    }

    pub fn handbook(hb: Handbook) -> Served {
        let builds = Arc::new(AtomicUsize::new(0));
        let root = hb.root().to_path_buf();
        let counter = Arc::clone(&builds);
        let builder = move || {
            counter.fetch_add(1, Ordering::SeqCst);
            fake_build(&root)
        };
        let server = Server::start(options(hb.root()), builder).expect("server starts");
        Served { hb, server, builds }
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    pub fn get(&self, path: &str) -> Reply {
        get(self.addr(), path)
    }

    /// Waits until `path` answers with a body for which `ok` holds.
    pub fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if ok(&r) {
                return r;
            }
            assert!(start.elapsed() < DEADLINE, "{what}: {path} still answers {} {:?}", r.status, r.body);
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.hb.root().join(rel)
    }
}

/// Options for a test server: a free loopback port.
pub fn options(root: &Path) -> ServeOptions {
    ServeOptions { port: 0, ..ServeOptions::new(root) }
}

/// One HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A plain HTTP/1.1 GET with `Connection: close`, the path sent as given.
/// Reads `Content-Length` bytes when given, else to the end.
pub fn get(addr: SocketAddr, path: &str) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(DEADLINE)).expect("timeout");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
    let mut reader = BufReader::new(s);
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    let status = line.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("header") == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let reply = Reply { status, headers, body: String::new() };
    let mut raw = Vec::new();
    match reply.header("Content-Length").and_then(|l| l.parse::<usize>().ok()) {
        Some(len) => {
            raw.resize(len, 0);
            reader.read_exact(&mut raw).expect("body");
        }
        None => {
            reader.read_to_end(&mut raw).expect("body");
        }
    }
    Reply { body: String::from_utf8_lossy(&raw).into_owned(), ..reply }
}

/// A reload channel read as a test client: one JSON status per event.
pub struct Channel {
    reader: BufReader<TcpStream>,
}

impl Channel {
    pub fn open(addr: SocketAddr) -> Channel {
        let mut s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(DEADLINE)).expect("timeout");
        write!(s, "GET /__personabook/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n")
            .expect("send");
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        reader.read_line(&mut line).expect("status line");
        assert!(line.starts_with("HTTP/1.1 200"), "events answered {line}");
        Channel { reader }
    }

    /// The next status event's JSON.
    pub fn next(&mut self) -> serde_json::Value {
        let mut event = String::new();
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).expect("event line (timed out?)");
            assert!(n > 0, "reload channel closed");
            let line = line.trim_end();
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(data) = line.strip_prefix("data: ") {
                if event == "status" {
                    return serde_json::from_str(data).expect("status JSON");
                }
            }
        }
    }

    /// Reads to the end of the channel; true when it ended with the last
    /// chunk of a complete response (not a dropped connection).
    pub fn ends_cleanly(&mut self) -> bool {
        let mut previous_blank = true;
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return false,
                Ok(_) if line == "0\r\n" && previous_blank => return true,
                Ok(_) => previous_blank = line.trim().is_empty(),
            }
        }
    }

    /// Reads events until one satisfies `ok`.
    pub fn until(&mut self, what: &str, ok: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let v = self.next();
            if ok(&v) {
                return v;
            }
            assert!(start.elapsed() < DEADLINE, "{what}: last status {v}");
        }
    }
}

/// Saves like many editors do: write a temp file beside it, then rename.
pub fn atomic_save(path: &Path, text: &str) {
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, text).expect("write temp");
    std::fs::rename(&tmp, path).expect("rename");
}

#[test]
fn serves_pages_and_adds_the_reload_script_to_html_only() {
    let s = Served::fixture("serve/basic");
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Serve Fixture"));
    assert!(home.header("Content-Type").is_some_and(|t| t.starts_with("text/html")));
    assert!(home.body.contains("src=\"__personabook/livereload.js\""), "{}", home.body);

    let ana = s.get("/personas/ana/");
    assert_eq!(ana.status, 200);
    assert!(ana.body.contains("Ana runs a small marketing team"));
    assert!(ana.body.contains("src=\"../../__personabook/livereload.js\""));
    let at = ana.body.find("livereload.js").expect("script");
    assert!(at < ana.body.rfind("</body>").expect("body end"), "script goes inside <body>");
    assert_eq!(ana.header("Content-Length").and_then(|l| l.parse().ok()), Some(ana.body.len()));

    let css = s.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert!(!css.body.contains("livereload"), "no script in CSS");

    let folder = s.get("/personas/ana?x=1");
    assert_eq!(folder.status, 302);
    assert_eq!(folder.header("Location"), Some("ana/?x=1"));

    let missing = s.get("/personas/nobody/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("No such page in this handbook."), "the site's own 404 page");
    assert!(missing.body.contains("livereload.js"));

    let head = {
        let mut t = TcpStream::connect(s.addr()).expect("connect");
        t.set_read_timeout(Some(DEADLINE)).expect("timeout");
        write!(t, "HEAD /personas/ana/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").expect("send");
        let mut out = String::new();
        let _ = t.read_to_string(&mut out);
        out
    };
    assert!(head.starts_with("HTTP/1.1 200") && head.ends_with("\r\n\r\n"), "HEAD has headers only: {head}");

    let script = s.get("/__personabook/livereload.js");
    assert_eq!(script.status, 200);
    assert!(script.body.contains("EventSource"));
    assert!(script.header("Content-Type").is_some_and(|t| t.starts_with("text/javascript")));
}

#[test]
fn every_kind_of_save_shows_up() {
    let s = Served::fixture("serve/basic");
    let ana = s.path("content/personas/ana.md");

    atomic_save(&ana, "---\nname: Ana Alves\n---\nSaved atomically.\n");
    s.wait_for("/personas/ana/", "atomic save", |r| r.body.contains("Saved atomically."));

    std::fs::write(&ana, "---\nname: Ana Alves\n---\nWritten in place.\n").expect("write");
    s.wait_for("/personas/ana/", "plain write", |r| r.body.contains("Written in place."));

    std::fs::remove_file(s.path("content/personas/ben.md")).expect("delete");
    s.wait_for("/personas/ben/", "delete", |r| r.status == 404);

    s.hb.write("content/research/2026/interviews.md", "---\ntitle: Interviews\n---\nTwelve calls.\n");
    s.wait_for("/research/2026/interviews/", "new file in a new folder", |r| r.body.contains("Twelve calls."));

    std::fs::write(s.path("handbook.yaml"), "title: Renamed Handbook\n").expect("config");
    s.wait_for("/", "config change", |r| r.body.contains("Renamed Handbook"));

    std::fs::rename(s.path("content/guides"), s.path("content/howto")).expect("rename folder");
    s.wait_for("/howto/start/", "renamed folder", |r| r.status == 200);
    s.wait_for("/guides/start/", "renamed folder's old address", |r| r.status == 404);

    std::fs::write(s.path("static/style.css"), "body { color: teal; }\n").expect("css");
    s.wait_for("/style.css", "static file", |r| r.body.contains("teal"));
}

#[test]
fn saving_the_same_bytes_does_no_build_work() {
    let s = Served::fixture("serve/basic");
    assert_eq!(s.builds.load(Ordering::SeqCst), 1, "the first build");
    let ana = s.path("content/personas/ana.md");
    let same = std::fs::read_to_string(&ana).expect("read");
    std::fs::write(&ana, &same).expect("same bytes");
    atomic_save(&ana, &same);
    std::fs::write(s.path("content/personas/.ana.md.swp"), "editor state").expect("swap file");
    std::fs::write(s.path("content/personas/ana.md~"), "backup").expect("backup file");
    // A real change afterwards: once it is served, every event before it was handled.
    atomic_save(&s.path("content/personas/ben.md"), "---\nname: Ben Brook\n---\nChanged for real.\n");
    s.wait_for("/personas/ben/", "real change", |r| r.body.contains("Changed for real."));
    assert_eq!(s.builds.load(Ordering::SeqCst), 2, "only the real change was built");
}

#[test]
fn a_broken_save_keeps_the_last_good_site_and_reports_the_error() {
    let s = Served::fixture("serve/basic");
    let mut channel = Channel::open(s.addr());
    let first = channel.next();
    assert_eq!(first["errors"].as_array().map(Vec::len), Some(0));
    let good_build = first["build"].as_str().expect("build id").to_string();

    let ana = s.path("content/personas/ana.md");
    atomic_save(&ana, "---\nname: Ana Alves\n---\nFirst line.\nThis is BROKEN now.\n");
    let failed = channel.until("error reported", |v| v["errors"].as_array().is_some_and(|e| !e.is_empty()));
    let err = &failed["errors"][0];
    assert_eq!(err["path"], "content/personas/ana.md");
    assert_eq!(err["line"], 5);
    assert_eq!(err["column"], 9);
    assert!(
        err["text"].as_str().is_some_and(|t| t.contains("broken on purpose") && t.contains("This is BROKEN now.")),
        "{err}"
    );
    assert_eq!(failed["build"], good_build.as_str(), "the last good build stays served");
    assert!(s.get("/personas/ana/").body.contains("Ana runs a small marketing team"), "old page still served");

    atomic_save(&ana, "---\nname: Ana Alves\n---\nFixed.\n");
    let fixed = channel.until("error cleared", |v| v["errors"].as_array().is_some_and(Vec::is_empty));
    assert_ne!(fixed["build"], good_build.as_str(), "a new build is announced");
    assert_eq!(fixed["previous"], good_build.as_str());
    assert_eq!(fixed["changed"], serde_json::json!(["personas/ana/index.html"]), "exactly what changed");
    assert!(s.get("/personas/ana/").body.contains("Fixed."), "announced only once in place");
}

#[test]
fn a_first_build_that_fails_still_serves_and_recovers() {
    let hb = Handbook::fixture("serve/basic");
    hb.write("content/personas/ana.md", "---\nname: Ana\n---\nBROKEN\n");
    let s = Served::handbook(hb);
    let waiting = s.get("/personas/ben/");
    assert_eq!(waiting.status, 503);
    assert!(waiting.body.contains("livereload.js"), "the overlay can show the error");
    let mut channel = Channel::open(s.addr());
    let status = channel.next();
    assert_eq!(status["errors"][0]["path"], "content/personas/ana.md");
    atomic_save(&s.path("content/personas/ana.md"), "---\nname: Ana\n---\nGood now.\n");
    s.wait_for("/personas/ana/", "recovery", |r| r.status == 200 && r.body.contains("Good now."));
}

#[test]
fn paths_outside_the_site_are_refused() {
    let s = Served::fixture("serve/basic");
    std::fs::write(s.path("secret.txt"), "TOP SECRET").expect("secret");
    for bad in [
        "/../secret.txt",
        "/personas/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/personas/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/personas\\..\\..\\secret.txt",
        "/./secret.txt",
        "/secret.txt%00.html",
        "/content/personas/ana.md",
        "/handbook.yaml",
        "/secret.txt",
    ] {
        let r = s.get(bad);
        assert!(r.status == 400 || r.status == 404, "{bad} answered {}", r.status);
        assert!(!r.body.contains("TOP SECRET") && !r.body.contains("name: Ana"), "{bad} leaked a file");
    }
    let post = {
        let mut t = TcpStream::connect(s.addr()).expect("connect");
        t.set_read_timeout(Some(DEADLINE)).expect("timeout");
        write!(t, "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .expect("send");
        let mut out = String::new();
        let _ = t.read_to_string(&mut out);
        out
    };
    assert!(post.starts_with("HTTP/1.1 405"), "{post}");
}

#[test]
fn forty_parallel_clients_get_no_errors() {
    let s = Served::fixture("serve/basic");
    let addr = s.addr();
    let mut channels: Vec<Channel> = (0..5).map(|_| Channel::open(addr)).collect();
    for c in &mut channels {
        c.next();
    }
    let clients: Vec<_> = (0..40)
        .map(|i| {
            std::thread::spawn(move || {
                let paths = ["/", "/personas/ana/", "/personas/ben/", "/style.css", "/guides/start/"];
                (0..25).map(|j| get(addr, paths[(i + j) % paths.len()]).status).filter(|&st| st != 200).count()
            })
        })
        .collect();
    let failures: usize = clients.into_iter().map(|c| c.join().expect("client thread")).sum();
    assert_eq!(failures, 0, "requests that did not answer 200");
}

#[test]
fn a_port_in_use_names_the_port_option() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let hb = Handbook::fixture("serve/basic");
    let root = hb.root().to_path_buf();
    let err = Server::start(ServeOptions { port, ..ServeOptions::new(hb.root()) }, move || fake_build(&root))
        .err()
        .expect("port in use is an error");
    assert!(matches!(err, ServeError::PortInUse { .. }));
    let msg = err.to_string();
    assert!(msg.contains(&port.to_string()) && msg.contains("--port"), "{msg}");
}

#[test]
fn stopping_closes_the_port() {
    let s = Served::fixture("serve/basic");
    let addr = s.addr();
    let mut channel = Channel::open(addr);
    channel.next();
    s.server.stop();
    assert!(channel.ends_cleanly(), "the reload channel ends with a complete response");
    assert!(
        TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err() || get_fails(addr),
        "port still answers"
    );
}

fn get_fails(addr: SocketAddr) -> bool {
    let Ok(mut s) = TcpStream::connect(addr) else { return true };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = write!(s, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let mut out = Vec::new();
    s.read_to_end(&mut out).map_or(true, |_| out.is_empty())
}

#[test]
fn reloading_changed_files_matches_a_fresh_load() {
    let hb = Handbook::fixture("serve/basic");
    let first = personabook::load::load(hb.root());
    hb.write("content/personas/ana.md", "---\nname: Ana Alves\nrole: [broken\n---\nNow with a YAML error.\n");
    hb.write("content/research/new/notes.md", "---\ntitle: Notes\n---\nNotes.\n");
    std::fs::remove_file(hb.root().join("content/personas/ben.md")).expect("delete");
    std::fs::rename(hb.root().join("content/guides"), hb.root().join("content/howto")).expect("rename");
    hb.write("handbook.yaml", "title: Other\ntitel: typo\n");
    let changed = ["content/personas/ana.md", "handbook.yaml"].map(String::from);
    let reloaded = personabook::load::reload(first, &changed);
    let fresh = personabook::load::load(hb.root());
    assert_eq!(format!("{reloaded:?}"), format!("{fresh:?}"));
    assert!(!fresh.diagnostics.is_empty(), "the YAML error and the typo are reported");
}

#[test]
fn a_builder_that_crashes_does_not_stop_the_preview() {
    let hb = Handbook::fixture("serve/basic");
    let root = hb.root().to_path_buf();
    let builder = move || {
        if root.join("content/crash.md").exists() {
            panic!("simulated bug");
        }
        fake_build(&root)
    };
    let server = Server::start(options(hb.root()), builder).expect("server starts");
    let mut channel = Channel::open(server.addr());
    channel.next();
    hb.write("content/crash.md", "---\ntitle: Crash\n---\n");
    let status = channel.until("crash reported", |v| v["errors"].as_array().is_some_and(|e| !e.is_empty()));
    assert!(status["errors"][0]["message"].as_str().is_some_and(|m| m.contains("simulated bug")), "{status}");
    std::fs::remove_file(hb.root().join("content/crash.md")).expect("delete");
    channel.until("recovered", |v| v["errors"].as_array().is_some_and(Vec::is_empty));
    assert_eq!(get(server.addr(), "/personas/ana/").status, 200);
}

/// A builder whose full rebuilds wait for the test's go, and whose preview
/// gives the pages of the changed files at once.
struct TwoStep {
    root: PathBuf,
    go: std::sync::mpsc::Receiver<()>,
}

impl personabook::serve::Builder for TwoStep {
    fn build(&mut self) -> BuildResult {
        fake_build(&self.root)
    }

    fn rebuild(&mut self, _changes: &[personabook::serve::Change]) -> BuildResult {
        let _ = self.go.recv_timeout(DEADLINE);
        // The full build also changes the home page, to tell the two apart.
        let mut fresh = fake_build(&self.root)?;
        fresh.site.files.insert("index.html".into(), b"<html><body>Full rebuild done.</body></html>".to_vec());
        Ok(fresh)
    }

    fn preview(&mut self, changes: &[personabook::serve::Change]) -> Option<Site> {
        let all = fake_build(&self.root).ok()?.site;
        let wanted: Vec<String> = changes
            .iter()
            .filter_map(|c| c.path.strip_prefix("content/")?.strip_suffix(".md").map(|id| format!("{id}/index.html")))
            .collect();
        Some(Site { files: all.files.into_iter().filter(|(k, _)| wanted.contains(k)).collect(), packed: false })
    }
}

#[test]
fn the_edited_page_is_served_before_the_full_rebuild_ends() {
    let hb = Handbook::fixture("serve/basic");
    let (go, wait) = std::sync::mpsc::channel();
    let server = Server::start(options(hb.root()), TwoStep { root: hb.root().to_path_buf(), go: wait }).expect("start");
    let mut channel = Channel::open(server.addr());
    let first = channel.next();
    atomic_save(&hb.root().join("content/personas/ana.md"), "---\nname: Ana Alves\n---\nPreviewed.\n");
    let preview = channel.until("the preview", |v| v["build"] != first["build"]);
    assert_eq!(preview["changed"], serde_json::json!(["personas/ana/index.html"]));
    assert!(get(server.addr(), "/personas/ana/").body.contains("Previewed."));
    assert!(!get(server.addr(), "/").body.contains("Full rebuild done."), "the rest waits for the full rebuild");
    go.send(()).expect("go");
    let full = channel.until("the full rebuild", |v| v["build"] != preview["build"]);
    assert_eq!(full["changed"], serde_json::json!(["index.html"]), "the previewed page is not announced twice");
    assert!(get(server.addr(), "/").body.contains("Full rebuild done."));
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port()
}

/// `personabook serve` run as a user runs it, with its terminal output kept.
struct Binary {
    child: std::process::Child,
    port: u16,
    lines: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Binary {
    fn start(root: &Path, port: u16) -> Binary {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_personabook"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", &port.to_string()])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start personabook serve");
        let lines = Arc::new(std::sync::Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().expect("lines").push(line);
            }
        });
        Binary { child, port, lines }
    }

    fn addr(&self) -> SocketAddr {
        ([127, 0, 0, 1], self.port).into()
    }

    fn output(&self) -> String {
        self.lines.lock().expect("lines").join("\n")
    }

    /// Waits until the terminal shows a line containing `text`.
    fn wait_line(&self, text: &str) {
        let start = Instant::now();
        while !self.output().contains(text) {
            assert!(start.elapsed() < DEADLINE, "no line with {text:?} in:\n{}", self.output());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn get(&self, path: &str) -> Reply {
        get(self.addr(), path)
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_real_binary_serves_rebuilds_reports_and_stops_on_ctrl_c() {
    let hb = Handbook::fixture("serve/basic");
    let s = Binary::start(hb.root(), free_port());
    s.wait_line(&format!("at http://127.0.0.1:{}/", s.port));
    s.wait_line("first build: ");
    let ana = s.get("/personas/ana/");
    assert_eq!(ana.status, 200);
    assert!(ana.body.contains("Ana Alves") && ana.body.contains("livereload.js"));

    let mut channel = Channel::open(s.addr());
    channel.next();
    let file = hb.root().join("content/personas/ana.md");
    atomic_save(
        &file,
        "---\nname: Ana Alves\nrole: Head of Marketing\nrelated: [bne]\n---\nAna wants fewer reports.\n",
    );
    let failed = channel.until("the error", |v| v["errors"].as_array().is_some_and(|e| !e.is_empty()));
    let err = &failed["errors"][0];
    assert_eq!(err["path"], "content/personas/ana.md");
    assert_eq!(err["line"], 4, "{err}");
    assert!(err["text"].as_str().is_some_and(|t| t.contains("bne")), "{err}");
    s.wait_line("build failed with 1 error; still serving the last good build");
    assert!(s.get("/personas/ana/").body.contains("Ana runs a small marketing team"), "the last good page");

    atomic_save(
        &file,
        "---\nname: Ana Alves\nrole: Head of Marketing\nrelated: [ben]\n---\nAna wants fewer reports.\n",
    );
    channel.until("the fix", |v| v["errors"].as_array().is_some_and(Vec::is_empty));
    assert!(s.get("/personas/ana/").body.contains("Ana wants fewer reports."));
    // The edited page comes first; pages that refer to it follow with the full rebuild.
    let start = Instant::now();
    while !s.get("/personas/ben/").body.contains("Ana Alves") {
        assert!(start.elapsed() < DEADLINE, "ben's page never got its backlink to ana");
        std::thread::sleep(Duration::from_millis(20));
    }

    let kill = std::process::Command::new("kill").args(["-INT", &s.child.id().to_string()]).status().expect("kill");
    assert!(kill.success());
    let mut s = s;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = s.child.try_wait().expect("wait") {
            break status;
        }
        assert!(start.elapsed() < DEADLINE, "serve did not stop on Ctrl-C:\n{}", s.output());
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "{}", s.output());
    assert!(channel.ends_cleanly(), "open tabs are told the stream ended");
    assert!(std::net::TcpListener::bind(s.addr()).is_ok(), "the port is free again");
}

#[test]
fn the_real_binary_names_the_port_option_when_the_port_is_taken() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let hb = Handbook::fixture("serve/basic");
    let run = hb.run(&["serve", "--port", &port.to_string()]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains(&format!("port {port}")) && run.stderr().contains("--port"), "{}", run.stderr());
}

#[test]
fn the_real_builder_announces_an_edit_in_two_steps_and_a_style_change_in_one() {
    use personabook::pipeline::BuildOptions;
    use personabook::pipeline::Incremental;
    let hb = Handbook::fixture("serve/basic");
    let server = Server::start(options(hb.root()), Incremental::new(BuildOptions::new(hb.root()))).expect("start");
    // Only the whole first build has the sitemap: after it, every status is an edit's.
    assert_eq!(get(server.addr(), "/sitemap.xml").status, 200);
    let mut channel = Channel::open(server.addr());
    channel.next();

    atomic_save(&hb.root().join("content/personas/ana.md"), "---\nname: Ana Renamed\n---\nShort now.\n");
    let first = channel.until("the edited pages", |v| v["changed"].is_array());
    let own = serde_json::json!(["journeys/ana/index.html", "personas/ana/index.html"]);
    assert_eq!(first["changed"], own, "the edited persona's own pages come first");
    let rest = channel.until("the rest", |v| v["previous"] == first["build"]);
    let rest: Vec<&str> = rest["changed"].as_array().expect("list").iter().filter_map(|v| v.as_str()).collect();
    assert!(rest.contains(&"personas/index.html") && rest.contains(&"index.html"), "{rest:?}");
    assert!(!rest.contains(&"personas/ana/index.html"), "not announced twice: {rest:?}");
    assert!(get(server.addr(), "/personas/index.html").body.contains("Ana Renamed"));

    std::fs::write(hb.root().join("static/style.css"), "body { color: teal; }\n").expect("css");
    let css = channel.until("the style change", |v| v["changed"] == serde_json::json!(["style.css"]));
    assert!(css["errors"].as_array().is_some_and(Vec::is_empty));
    assert!(get(server.addr(), "/style.css").body.contains("teal"));
}

#[test]
fn polling_sees_changes_too() {
    let hb = Handbook::fixture("serve/basic");
    let root = hb.root().to_path_buf();
    let opts = ServeOptions { poll: true, ..options(hb.root()) };
    let server = Server::start(opts, move || fake_build(&root)).expect("start");
    // Two saves within a second: file systems' second-granular clocks must not hide the second.
    for text in ["Seen by polling.", "Seen again, same second."] {
        std::fs::write(hb.root().join("content/personas/ana.md"), format!("---\nname: Ana\n---\n{text}\n"))
            .expect("save");
        let start = Instant::now();
        while !get(server.addr(), "/personas/ana/").body.contains(text) {
            assert!(start.elapsed() < DEADLINE, "polling missed {text:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn a_relative_root_is_watched_too() {
    let hb = Handbook::fixture("serve/basic");
    let port = free_port();
    let mut child =
        spawn_silent(std::process::Command::new(env!("CARGO_BIN_EXE_personabook")).current_dir(hb.root()).args([
            "serve",
            "--port",
            &port.to_string(),
        ]));
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let start = Instant::now();
    let mut seen = false;
    while start.elapsed() < DEADLINE && !seen {
        if TcpStream::connect(addr).is_ok() && get(addr, "/personas/ana/").status == 200 {
            atomic_save(&hb.root().join("content/personas/ana.md"), "---\nname: Ana\n---\nFrom a relative root.\n");
            while start.elapsed() < DEADLINE && !seen {
                seen = get(addr, "/personas/ana/").body.contains("From a relative root.");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen, "a change under `--root .` (the default) was not picked up");
}

/// The incremental path (`preview` over kept files, then `rebuild`) gives
/// exactly the site and the edited pages a fresh full build gives, after
/// each of several edits, including two previews in a row without a rebuild.
#[test]
fn incremental_builds_match_a_fresh_build_after_each_edit() {
    use personabook::pipeline::{self, BuildOptions};
    use personabook::serve::{Change, ChangeKind, Incremental};
    let hb = Handbook::fixture("serve/basic");
    let opts = BuildOptions::new(hb.root());
    let fresh = || pipeline::build(&opts).expect("fresh build").site;
    let mut builder = Incremental::new(opts.clone());
    let mut served = builder.build().expect("first build").site;
    assert_eq!(served, fresh());
    let change = |path: &str, kind| vec![Change { path: path.into(), kind }];
    let ana = "content/personas/ana.md";
    let edits: [(&str, Option<&str>, ChangeKind, bool); 5] = [
        (ana, Some("---\nname: Ana Alves\nrole: Buyer\n---\nFirst edit.\n"), ChangeKind::Modified, true),
        (ana, Some("---\nname: Ana Alves\nrole: Buyer\n---\nSecond edit.\n"), ChangeKind::Modified, false),
        (ana, Some("---\nname: Ana Alves\nrole: Lead buyer\n---\nThird edit.\n"), ChangeKind::Modified, true),
        ("content/personas/cleo.md", Some("---\nname: Cleo\nrole: Editor\n---\nNew.\n"), ChangeKind::Added, true),
        ("content/personas/ben.md", None, ChangeKind::Removed, true),
    ];
    for (path, text, kind, then_rebuild) in edits {
        match text {
            Some(text) => hb.write(path, text),
            None => std::fs::remove_file(hb.root().join(path)).expect("delete"),
        }
        let changes = change(path, kind);
        let expected = fresh();
        if let Some(quick) = builder.preview(&changes) {
            for (file, bytes) in &quick.files {
                assert_eq!(Some(bytes), expected.files.get(file), "preview of {path}: {file}");
            }
        }
        if then_rebuild {
            let fresh = builder.rebuild(&changes).expect("rebuild");
            let mut site = if fresh.partial { served.clone() } else { Default::default() };
            site.files.extend(fresh.site.files);
            assert_eq!(site, expected, "after {path}");
            served = site;
        }
    }
}

// ---- Trust: who may talk to the preview, and what one client can hold ----

/// A fixture served with short limits, so the tests that wait for them are quick.
fn served_with_limits(hb: Handbook) -> (Handbook, Server) {
    let root = hb.root().to_path_buf();
    let limits = Limits {
        header_timeout: Duration::from_millis(800),
        idle_timeout: Duration::from_millis(1500),
        ..Limits::default()
    };
    let server =
        Server::start(ServeOptions { limits, ..options(hb.root()) }, move || fake_build(&root)).expect("start");
    (hb, server)
}

/// Sends `request` as given and reads what comes back until the server
/// closes or `wait` passes; returns the text and whether it closed.
fn raw(addr: SocketAddr, request: &[u8], wait: Duration) -> (String, bool) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(wait)).expect("timeout");
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let closed = s.read_to_end(&mut out).is_ok();
    (String::from_utf8_lossy(&out).into_owned(), closed)
}

fn get_with(addr: SocketAddr, path: &str, headers: &str) -> String {
    let req = format!("GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n");
    raw(addr, req.as_bytes(), DEADLINE).0
}

#[test]
fn only_requests_for_this_preview_are_answered() {
    let s = Served::fixture("serve/basic");
    let port = s.addr().port();
    for host in [format!("evil.example:{port}"), "evil.example".into(), format!("localhost.evil.example:{port}")] {
        let r = get_with(s.addr(), "/personas/ana/", &format!("Host: {host}\r\n"));
        assert!(r.starts_with("HTTP/1.1 403"), "Host {host} answered {r}");
        assert!(!r.contains("Ana"), "no page for a rebound name");
    }
    let absolute = get_with(s.addr(), "http://evil.example/personas/ana/", &format!("Host: localhost:{port}\r\n"));
    assert!(absolute.starts_with("HTTP/1.1 403"), "{absolute}");
    let twice = get_with(s.addr(), "/", &format!("Host: localhost:{port}\r\nHost: evil.example\r\n"));
    assert!(twice.starts_with("HTTP/1.1 403") || twice.starts_with("HTTP/1.1 400"), "{twice}");
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}"), "localhost".into()]
    {
        let r = get_with(s.addr(), "/personas/ana/", &format!("Host: {host}\r\n"));
        assert!(r.starts_with("HTTP/1.1 200") && r.contains("Ana"), "Host {host} answered {r}");
    }
}

#[test]
fn the_reload_channel_refuses_other_origins() {
    let s = Served::fixture("serve/basic");
    let port = s.addr().port();
    let events = |origin: &str| {
        let req = format!(
            "GET /__personabook/events HTTP/1.1\r\nHost: localhost:{port}\r\n{origin}Accept: text/event-stream\r\n\r\n"
        );
        raw(s.addr(), req.as_bytes(), Duration::from_millis(500)).0
    };
    for bad in ["http://evil.example", &format!("http://evil.example:{port}"), "null", "https://localhost"] {
        let r = events(&format!("Origin: {bad}\r\n"));
        assert!(r.starts_with("HTTP/1.1 403") && !r.contains("event: status"), "Origin {bad}: {r}");
    }
    for good in
        [format!("Origin: http://localhost:{port}\r\n"), format!("Origin: http://127.0.0.1:{port}\r\n"), "".into()]
    {
        let r = events(&good);
        assert!(r.starts_with("HTTP/1.1 200") && r.contains("event: status"), "{good:?}: {r}");
    }
}

#[test]
fn a_client_that_sends_its_head_slowly_is_closed_while_others_are_served() {
    let (_hb, server) = served_with_limits(Handbook::fixture("serve/basic"));
    let addr = server.addr();
    let slow = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).expect("connect");
        let start = Instant::now();
        // One byte every 100 ms, never the end of the head.
        for b in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".iter().cycle() {
            if s.write_all(&[*b]).is_err() || start.elapsed() > DEADLINE {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        start.elapsed()
    });
    std::thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    assert_eq!(get(addr, "/personas/ana/").status, 200);
    assert!(start.elapsed() < Duration::from_secs(1), "served while a slow client is connected");
    let held = slow.join().expect("slow client");
    assert!(held < Duration::from_secs(4), "the slow client was cut off after {held:?}, not at the header timeout");
}

#[test]
fn a_huge_header_gets_431_and_is_not_buffered() {
    let s = Served::fixture("serve/basic");
    let mut req = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ".to_vec();
    req.resize(req.len() + 64 * 1024, b'a');
    let (reply, closed) = raw(s.addr(), &req, Duration::from_secs(5));
    assert!(reply.starts_with("HTTP/1.1 431"), "{reply}");
    assert!(closed, "the connection is closed after 431");
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn an_unsupported_http_version_gets_a_prompt_answer() {
    let s = Served::fixture("serve/basic");
    for req in ["GET / HTTP/2.0\r\nHost: localhost\r\n\r\n", "GET / HTTP/3\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"]
    {
        let start = Instant::now();
        let (reply, closed) = raw(s.addr(), req.as_bytes(), Duration::from_secs(5));
        assert!(closed && start.elapsed() < Duration::from_secs(2), "{req:?} held the connection");
        assert!(reply.is_empty() || reply.starts_with("HTTP/1.1 505") || reply.starts_with("HTTP/1.1 400"), "{reply}");
    }
    // hyper's parser answers a version it does not speak with 400 and closes.
    let (reply, _) = raw(s.addr(), b"GET / HTTP/2.0\r\nHost: localhost\r\n\r\n", Duration::from_secs(5));
    assert!(reply.starts_with("HTTP/1.1 400") || reply.starts_with("HTTP/1.1 505"), "{reply}");
}

#[test]
fn clients_that_stop_reading_a_large_file_block_nobody() {
    let hb = Handbook::fixture("serve/basic");
    hb.write("static/big.txt", &"x".repeat(16 << 20));
    let (_hb, server) = served_with_limits(hb);
    let addr = server.addr();
    // Three times the old pool of four workers, each asking twice and reading nothing.
    let stalled: Vec<TcpStream> = (0..12)
        .map(|_| {
            let mut s = TcpStream::connect(addr).expect("connect");
            s.write_all(
                b"GET /big.txt HTTP/1.1\r\nHost: localhost\r\n\r\nGET /big.txt HTTP/1.1\r\nHost: localhost\r\n\r\n",
            )
            .expect("send");
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..20 {
        let start = Instant::now();
        assert_eq!(get(addr, "/personas/ana/").status, 200);
        assert!(start.elapsed() < Duration::from_secs(1), "a page took {:?} while readers stall", start.elapsed());
    }
    // The idle limit closes the stalled connections: reading now finds the end.
    std::thread::sleep(Duration::from_secs(3));
    for mut s in stalled {
        s.set_read_timeout(Some(DEADLINE)).expect("timeout");
        let mut sink = vec![0; 1 << 20];
        let start = Instant::now();
        while let Ok(n) = s.read(&mut sink) {
            if n == 0 {
                break;
            }
        }
        assert!(start.elapsed() < DEADLINE, "a stalled connection was kept open");
    }
}

#[test]
fn running_out_of_file_descriptors_does_not_close_the_port() {
    let hb = Handbook::fixture("serve/basic");
    let port = free_port();
    // The binary under a low open-files limit, and more connections than it allows.
    let mut child = spawn_silent(
        std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -n 128 && exec \"$0\" --root \"$1\" serve --port \"$2\"")
            .arg(env!("CARGO_BIN_EXE_personabook"))
            .arg(hb.root())
            .arg(port.to_string()),
    );
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let start = Instant::now();
    while get_fails(addr) {
        assert!(start.elapsed() < DEADLINE, "serve did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let flood: Vec<TcpStream> =
        (0..400).filter_map(|_| TcpStream::connect_timeout(&addr, Duration::from_millis(200)).ok()).collect();
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().expect("wait").is_none(), "the server died");
    drop(flood);
    let start = Instant::now();
    while get_fails(addr) {
        assert!(start.elapsed() < DEADLINE, "the port never answered again after the fds ran out");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(get(addr, "/personas/ana/").status, 200);
    let _ = child.kill();
    let _ = child.wait();
}

/// Starts a server process with no terminal input or output.
fn spawn_silent(cmd: &mut std::process::Command) -> std::process::Child {
    use std::process::Stdio;
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("start")
}

/// Pages on demand from a site made in advance.
struct FakePages(Site);

impl personabook::serve::Pages for FakePages {
    fn file(&self, path: &str) -> Option<Vec<u8>> {
        self.0.files.get(path).cloned()
    }
}

/// A fake builder whose first build hands out `early` as pages on demand,
/// then holds the full site back until the test's go.
struct EarlyFake {
    root: PathBuf,
    early: Site,
    go: std::sync::mpsc::Receiver<()>,
}

impl personabook::serve::Builder for EarlyFake {
    fn build(&mut self) -> BuildResult {
        fake_build(&self.root)
    }

    fn first_build(&mut self, early: &mut dyn FnMut(Arc<dyn personabook::serve::Pages>)) -> BuildResult {
        early(Arc::new(FakePages(std::mem::take(&mut self.early))));
        let _ = self.go.recv_timeout(DEADLINE);
        fake_build(&self.root)
    }
}

#[test]
fn the_first_pages_are_served_before_the_first_build_ends() {
    let hb = Handbook::fixture("serve/basic");
    let mut early = fake_build(hb.root()).expect("fake site").site;
    // Only the full site can tell what is missing.
    early.files.remove("404.html");
    // An early page the full build makes differently: its tab must reload.
    early.files.insert("personas/ben/index.html".into(), b"<html><body>Ben, early.</body></html>".to_vec());
    let (go, wait) = std::sync::mpsc::channel();
    let builder = EarlyFake { root: hb.root().to_path_buf(), early, go: wait };
    let server = Server::start(options(hb.root()), builder).expect("starts before the first build ends");
    let addr = server.addr();
    let mut channel = Channel::open(addr);
    let warm = channel.next();
    let ana = get(addr, "/personas/ana/");
    assert_eq!(ana.status, 200);
    assert!(ana.body.contains("Ana runs a small marketing team"), "{}", ana.body);
    let build = warm["build"].as_str().expect("build id");
    assert!(ana.body.contains(&format!("data-build=\"{build}\"")), "the page is of the build announced: {}", ana.body);
    assert!(get(addr, "/style.css").body.contains("body"), "static files too");
    assert!(get(addr, "/personas/ben/").body.contains("Ben, early."));
    let missing = std::thread::spawn(move || get(addr, "/personas/nobody/"));

    go.send(()).expect("go");
    let full = channel.until("the full site", |v| v["build"] != warm["build"]);
    assert_eq!(full["previous"], warm["build"]);
    assert_eq!(full["changed"], serde_json::json!(["personas/ben/index.html"]), "only a page that came out different");
    let missing = missing.join().expect("the missing page's request");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("No such page in this handbook."), "answered by the full site: {}", missing.body);
    assert!(!get(addr, "/personas/ben/").body.contains("Ben, early."));
}

#[test]
fn a_first_build_that_fails_after_its_early_pages_shows_the_error() {
    let hb = Handbook::fixture("serve/basic");
    let early = fake_build(hb.root()).expect("fake site").site;
    let (go, wait) = std::sync::mpsc::channel();
    let server =
        Server::start(options(hb.root()), EarlyFake { root: hb.root().to_path_buf(), early, go: wait }).expect("start");
    let addr = server.addr();
    let mut channel = Channel::open(addr);
    let warm = channel.next();
    assert_eq!(get(addr, "/personas/ana/").status, 200);
    let waiting = std::thread::spawn(move || get(addr, "/sitemap.xml"));
    hb.write("content/personas/ana.md", "---\nname: Ana\n---\nBROKEN\n");
    go.send(()).expect("go");
    let failed = channel.until("the error", |v| v["errors"].as_array().is_some_and(|e| !e.is_empty()));
    assert_eq!(failed["build"], warm["build"], "tabs keep their page and show the error over it");
    assert_eq!(failed["errors"][0]["path"], "content/personas/ana.md");
    assert_eq!(waiting.join().expect("the waiting request").status, 503, "no site to answer from yet");
    assert_eq!(get(addr, "/personas/ana/").status, 503);
    atomic_save(&hb.root().join("content/personas/ana.md"), "---\nname: Ana\n---\nGood now.\n");
    channel.until("the recovery", |v| v["errors"].as_array().is_some_and(Vec::is_empty));
    assert!(get(addr, "/personas/ana/").body.contains("Good now."));
}

/// The real pipeline whose first build stops after handing out its pages on
/// demand until the test's go: what is answered before then was rendered
/// on demand.
pub struct HeldBack {
    pub inner: personabook::serve::Incremental,
    pub go: std::sync::mpsc::Receiver<()>,
}

impl HeldBack {
    pub fn new(root: &Path) -> (HeldBack, std::sync::mpsc::Sender<()>) {
        let (go, wait) = std::sync::mpsc::channel();
        let inner = personabook::serve::Incremental::new(personabook::pipeline::BuildOptions::new(root));
        (HeldBack { inner, go: wait }, go)
    }
}

impl personabook::serve::Builder for HeldBack {
    fn build(&mut self) -> BuildResult {
        self.inner.build()
    }

    fn rebuild(&mut self, changes: &[personabook::serve::Change]) -> BuildResult {
        self.inner.rebuild(changes)
    }

    fn first_build(&mut self, early: &mut dyn FnMut(Arc<dyn personabook::serve::Pages>)) -> BuildResult {
        let go = &self.go;
        personabook::serve::Builder::first_build(&mut self.inner, &mut |pages| {
            early(pages);
            let _ = go.recv_timeout(DEADLINE);
        })
    }
}

/// `/` and a site path, %-encoded as a browser sends it.
fn encoded(path: &str) -> String {
    let mut out = String::from("/");
    for b in path.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A page as served, without the reload script the server adds.
pub fn without_script(body: &str) -> String {
    let Some(at) = body.find("__personabook/livereload.js") else { return body.to_string() };
    let Some(start) = body[..at].rfind("<script") else { return body.to_string() };
    let end = body[start..].find("</script>").map_or(body.len(), |e| start + e + "</script>".len());
    format!("{}{}", &body[..start], &body[end..])
}

#[test]
fn pages_on_demand_are_the_pages_of_the_full_build() {
    let hb = Handbook::fixture("site/basic");
    let fresh = personabook::pipeline::build(&personabook::pipeline::BuildOptions::new(hb.root())).expect("builds");
    let (builder, go) = HeldBack::new(hb.root());
    let server = Server::start(options(hb.root()), builder).expect("start");
    let mut channel = Channel::open(server.addr());
    let warm = channel.next();
    // Every file but the exports and the search index, which wait for the full build.
    let later = ["sitemap.xml", "handbook.json", "content-map.csv", "search/index.js", "search/t-", "search/d-"];
    let early: Vec<(&String, &Vec<u8>)> =
        fresh.site.files.iter().filter(|(path, _)| !later.iter().any(|l| path.starts_with(l))).collect();
    assert!(early.len() > 30, "{} files", early.len());
    let of_warm = format!("data-build=\"{}\"", warm["build"].as_str().expect("build id"));
    for (path, bytes) in early {
        let served = get(server.addr(), &encoded(path));
        assert_eq!(served.status, 200, "{path}");
        assert!(!path.ends_with(".html") || served.body.contains(&of_warm), "{path} is an early page");
        assert_eq!(without_script(&served.body), String::from_utf8_lossy(bytes), "{path}");
    }
    go.send(()).expect("go");
    let full = channel.until("the full site", |v| v["build"] != warm["build"]);
    assert_eq!(full["changed"], serde_json::json!([]), "no tab reloads: {full}");
    assert_eq!(get(server.addr(), "/sitemap.xml").body, String::from_utf8_lossy(&fresh.site.files["sitemap.xml"]));
}

/// Sends a GET with `headers` (each ending in CRLF); returns the head as
/// text and the body as bytes.
fn get_bytes(addr: SocketAddr, path: &str, headers: &str) -> (String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(DEADLINE)).expect("timeout");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n").expect("send");
    let mut out = Vec::new();
    s.read_to_end(&mut out).expect("read");
    let at = out.windows(4).position(|w| w == b"\r\n\r\n").expect("a head") + 4;
    (String::from_utf8_lossy(&out[..at]).to_lowercase(), out[at..].to_vec())
}

/// A gzip member, inflated.
fn gunzip(member: &[u8]) -> Vec<u8> {
    let n = member.len();
    assert!(n >= 18 && member[..2] == [0x1f, 0x8b], "a gzip member");
    let len = u32::from_le_bytes(member[n - 4..].try_into().expect("isize")) as usize;
    let mut out = vec![0u8; len];
    let config = zlib_rs::InflateConfig { window_bits: 16 + 15 };
    let (plain, rc) = zlib_rs::decompress_slice(&mut out, member, config);
    assert_eq!(rc, zlib_rs::ReturnCode::Ok);
    assert_eq!(plain.len(), len);
    out
}

#[test]
fn files_are_gzip_encoded_when_asked_and_plain_when_not() {
    let s = Served::fixture("serve/basic");
    let long = "Ana runs a small marketing team and reads every page twice. ".repeat(80);
    atomic_save(&s.path("content/personas/ana.md"), &format!("---\nname: Ana Alves\n---\n{long}\n"));
    atomic_save(&s.path("static/style.css"), &"body { margin: 0 auto; color: #222; }\n".repeat(60));
    s.wait_for("/personas/ana/", "the long page", |r| r.body.contains(&long));
    s.wait_for("/style.css", "the long style", |r| r.body.len() > 2000);
    for path in ["/personas/ana/", "/style.css"] {
        let (plain_head, plain) = get_bytes(s.addr(), path, "");
        assert!(!plain_head.contains("content-encoding"), "{plain_head}");
        assert!(plain_head.contains("vary: accept-encoding"), "{plain_head}");
        let (gzip_head, gzip) = get_bytes(s.addr(), path, "Accept-Encoding: gzip, deflate, br\r\n");
        assert!(gzip_head.contains("content-encoding: gzip"), "{gzip_head}");
        assert!(gzip.len() < plain.len() / 4, "{path}: {} bytes for {}", gzip.len(), plain.len());
        assert_eq!(gunzip(&gzip), plain, "{path}");
        let (refused, _) = get_bytes(s.addr(), path, "Accept-Encoding: gzip;q=0, identity\r\n");
        assert!(!refused.contains("content-encoding"), "{refused}");
    }
    let (_, page) = get_bytes(s.addr(), "/personas/ana/", "");
    assert!(String::from_utf8_lossy(&page).contains("__personabook/livereload.js"));
}
