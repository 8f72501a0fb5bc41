//! Live reload in a real browser: headless Chromium driven over the
//! DevTools protocol, against `personabook serve` itself. Open a persona page, scroll, save: the page reloads
//! with the change at the same scroll position. Save a broken file: the
//! overlay names the error. Fix it: the overlay goes. Restart the server:
//! the tab reconnects by itself.
//!
//! Chromium must be installed (`apt-get install -y chromium`; CI does it).
//! Without it this test fails and says so: a browser test that passes
//! without a browser would prove nothing.

use crate::harness::Handbook;
use crate::serve::{atomic_save, free_port, DEADLINE};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// The browser binary: `$PERSONABOOK_CHROMIUM`, else the first of the usual
/// names on `PATH`.
fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PERSONABOOK_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// A headless Chromium and a DevTools connection to its one tab (the
/// print, phone, search and scale tests drive it too).
pub(crate) struct Browser {
    child: Child,
    ws: WebSocket<TcpStream>,
    next_id: u64,
    _profile: tempfile::TempDir,
}

/// How every test starts chromium: headless, as root, and quiet on a
/// machine whose network is closed (no background connections).
pub(crate) const HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

impl Browser {
    pub(crate) fn launch() -> Browser {
        let exe = find_chromium().unwrap_or_else(|| {
            panic!(
                "chromium is not installed, so the live-reload browser test cannot run; \
                 install it with `apt-get install -y chromium` (CI does) or set PERSONABOOK_CHROMIUM"
            )
        });
        let profile = tempfile::tempdir().expect("profile dir");
        let mut child = Command::new(&exe)
            .args(HEADLESS)
            .args(["--window-size=1000,700", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
        let port = devtools_port(&mut child);
        let page = page_socket_url(port);
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to DevTools");
        stream.set_read_timeout(Some(DEADLINE)).expect("timeout");
        let (ws, _) = tungstenite::client(page.as_str(), stream).expect("DevTools handshake");
        Browser { child, ws, next_id: 0, _profile: profile }
    }

    /// Sends one DevTools command and returns its result; fails on an error.
    pub(crate) fn call(&mut self, method: &str, params: Value) -> Value {
        let v = self.send(method, params);
        assert!(v.get("error").is_none(), "{method} failed: {v}");
        v["result"].clone()
    }

    /// Sends one DevTools command and returns the whole answer.
    fn send(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!({"id": id, "method": method, "params": params}).to_string();
        self.ws.send(Message::text(msg)).expect("send to DevTools");
        loop {
            let msg = self.ws.read().expect("read from DevTools");
            let Message::Text(text) = msg else { continue };
            let v: Value = serde_json::from_str(text.as_str()).expect("DevTools JSON");
            if v["id"] == id {
                return v;
            }
        }
    }

    /// Evaluates a JavaScript expression in the page and returns its value
    /// (null while the page is between two documents, as during a reload).
    pub(crate) fn eval(&mut self, expr: &str) -> Value {
        let r = self.send("Runtime.evaluate", json!({"expression": expr, "returnByValue": true}));
        r["result"]["result"]["value"].clone()
    }

    /// Waits until `expr` is true in the page.
    pub(crate) fn wait(&mut self, what: &str, expr: &str) {
        let start = Instant::now();
        while self.eval(expr) != json!(true) {
            assert!(start.elapsed() < DEADLINE, "timed out waiting for {what} ({expr})");
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn open(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        self.wait("the page to load", "document.readyState === 'complete'");
        self.wait("the reload channel", "!!(window.__personabookLive && window.__personabookLive.status)");
    }

    /// Opens a page of a built site (a file:// URL) and waits for it to load.
    pub(crate) fn open_built(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        self.wait("the page to load", "document.readyState === 'complete'");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `DevTools listening on ws://127.0.0.1:PORT/...` from the browser.
fn devtools_port(child: &mut Child) -> u16 {
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let start = Instant::now();
    let port = loop {
        let line =
            lines.next().and_then(Result::ok).unwrap_or_else(|| panic!("chromium exited before DevTools was up"));
        if let Some(rest) = line.split("ws://127.0.0.1:").nth(1) {
            break rest.split('/').next().and_then(|p| p.parse().ok()).expect("DevTools port");
        }
        assert!(start.elapsed() < DEADLINE, "chromium did not start DevTools");
    };
    // Keep draining, so a chatty browser never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    port
}

/// The DevTools socket of the browser's first tab.
fn page_socket_url(port: u16) -> String {
    let addr = ([127, 0, 0, 1], port).into();
    let start = Instant::now();
    loop {
        let list: Value = serde_json::from_str(&crate::serve::get(addr, "/json/list").body).unwrap_or(Value::Null);
        let found = list.as_array().into_iter().flatten().find(|t| t["type"] == "page");
        if let Some(url) = found.and_then(|t| t["webSocketDebuggerUrl"].as_str()) {
            return url.to_string();
        }
        assert!(start.elapsed() < DEADLINE, "no page target in {list}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A persona long enough to scroll, with `marker` in its first paragraph.
fn long_persona(marker: &str) -> String {
    let mut text = format!("---\nname: Lena Long\n---\n<p id=\"top\">{marker}</p>\n");
    for i in 0..150 {
        text.push_str(&format!("<p>Paragraph {i}: Lena reads every report twice before she trusts it.</p>\n"));
    }
    text
}

/// `personabook serve` in a process of its own, so a restart is a real one.
struct ServerProcess(Child);

impl ServerProcess {
    fn start(root: &Path, port: u16) -> ServerProcess {
        let child = Command::new(env!("CARGO_BIN_EXE_personabook"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start personabook serve");
        let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
        let start = Instant::now();
        while TcpStream::connect(addr).is_err() {
            assert!(start.elapsed() < DEADLINE, "personabook serve did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        ServerProcess(child)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn live_reload_keeps_scroll_shows_errors_and_reconnects() {
    let hb = Handbook::fixture("serve/basic");
    let file = hb.root().join("content/personas/lena.md");
    std::fs::write(&file, long_persona("Version one.")).expect("write");
    let port = free_port();
    let server = ServerProcess::start(hb.root(), port);
    let url = format!("http://127.0.0.1:{port}/personas/lena/");

    let mut b = Browser::launch();
    b.open(&url);
    b.eval("window.scrollTo(0, 2500); window.__notReloaded = true; true");
    let before = b.eval("window.scrollY").as_f64().expect("scrollY");
    assert!(before > 2000.0, "the page is long enough to scroll (scrollY {before})");

    // A change: the page reloads by itself, at the same place.
    atomic_save(&file, &long_persona("Version two."));
    b.wait("the reloaded page", "document.body.innerText.includes('Version two.') && !window.__notReloaded");
    b.wait("the scroll position", &format!("Math.abs(window.scrollY - {before}) <= 2"));

    // A broken save: the overlay names the file and the error; the page stays.
    b.eval("window.__notReloaded = true; true");
    let broken =
        long_persona("Version three.").replacen("name: Lena Long\n", "name: Lena Long\nrelated: [nobody-here]\n", 1);
    atomic_save(&file, &broken);
    let overlay = "(document.getElementById('personabook-overlay')?.shadowRoot?.textContent || '')";
    b.wait("the error overlay", &format!("{overlay}.includes('nobody-here')"));
    let text = b.eval(overlay).as_str().unwrap_or_default().to_string();
    assert!(text.contains("content/personas/lena.md:3:"), "overlay names the file and line: {text}");
    assert!(text.contains("related: [nobody-here]"), "overlay shows the snippet: {text}");
    assert_eq!(b.eval("document.body.innerText.includes('Version two.')"), json!(true), "last good page stays");

    // The fix: the overlay goes and the fixed page is shown.
    atomic_save(&file, &long_persona("Version four."));
    b.wait("the fixed page", "document.body.innerText.includes('Version four.')");
    b.wait("the overlay to go", &format!("{overlay} === ''"));

    // A change elsewhere: a tab whose page did not change stays as it is.
    b.open(&format!("http://127.0.0.1:{port}/guides/start/"));
    b.eval("window.__notReloaded = true; true");
    let seen = b.eval("window.__personabookLive.status.build");
    atomic_save(&file, &long_persona("Version six."));
    b.wait("the new build to be announced", &format!("window.__personabookLive.status.build !== {seen}"));
    assert_eq!(b.eval("window.__notReloaded === true"), json!(true), "an unaffected page was reloaded");

    // The server dies and comes back: the tab reconnects and catches up by itself.
    drop(server);
    let guide = hb.root().join("content/guides/start.md");
    std::fs::write(&guide, "---\ntitle: Start here\n---\nWritten while the server was down.\n").expect("write");
    let _server = ServerProcess::start(hb.root(), port);
    b.wait("the page after a restart", "document.body.innerText.includes('Written while the server was down.')");
}

/// Not a check but a measurement, for BENCHMARKS.md: from a file save to
/// the reloaded page, in headless Chromium, against a running server:
///
/// ```text
/// cp -r HANDBOOK /tmp/hb-copy
/// target/release/personabook --root /tmp/hb-copy serve --port 3999 &
/// PERSONABOOK_BENCH_URL=http://127.0.0.1:3999/personas/ID/ \
/// PERSONABOOK_BENCH_FILE=/tmp/hb-copy/content/personas/ID.md \
///   cargo test --release --test it browser::save_to_screen_latency -- --ignored --nocapture
/// ```
///
/// Each round appends a line to the persona's body, saves it the way
/// editors do, and reads from the browser's own navigation timing when the
/// reloaded page had loaded (`loadEventEnd`, wall clock), minus the moment
/// of the save.
#[test]
#[ignore = "a measurement: needs a running server, see the doc comment"]
fn save_to_screen_latency() {
    let (Ok(url), Ok(file)) = (std::env::var("PERSONABOOK_BENCH_URL"), std::env::var("PERSONABOOK_BENCH_FILE")) else {
        panic!("set PERSONABOOK_BENCH_URL and PERSONABOOK_BENCH_FILE (see the doc comment)");
    };
    let file = PathBuf::from(file);
    let original = std::fs::read_to_string(&file).expect("read the persona");
    let mut b = Browser::launch();
    b.open(&url);
    let mut times = Vec::new();
    for round in 0..12 {
        let marker = format!("Latency probe {round} {}", std::process::id());
        b.wait("the channel", "!!(window.__personabookLive && window.__personabookLive.status)");
        // Pacing, not an assertion: let the previous full rebuild finish first.
        std::thread::sleep(Duration::from_millis(2500));
        let saved =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs_f64() * 1000.0;
        atomic_save(&file, &format!("{original}\n{marker}\n"));
        b.wait(
            "the reloaded page",
            &format!("document.readyState === 'complete' && document.body.innerText.includes('{marker}')"),
        );
        let timing = b.eval("[performance.timeOrigin, performance.getEntriesByType('navigation')[0].loadEventEnd]");
        let (origin, load_end) = (timing[0].as_f64().expect("timeOrigin"), timing[1].as_f64().expect("loadEventEnd"));
        println!(
            "round {round}: reload started {:.0} ms after the save, page loaded {load_end:.0} ms later",
            origin - saved
        );
        times.push(origin + load_end - saved);
    }
    std::fs::write(&file, &original).expect("restore the persona");
    let rounds = &mut times[2..]; // the first rounds warm the browser's caches
    rounds.sort_by(f64::total_cmp);
    let median = rounds[rounds.len() / 2];
    println!("save -> reloaded page (ms), sorted: {rounds:.0?}");
    println!("median {median:.0} ms, min {:.0} ms, max {:.0} ms", rounds[0], rounds[rounds.len() - 1]);
}

/// The live-reload script and its overlay work under the strict policy the
/// theme sends: scripts and styles from the site only, nothing inline.
#[test]
fn the_overlay_works_under_a_strict_content_security_policy() {
    use personabook::serve::Server;
    const CSP: &str = "<meta http-equiv=\"Content-Security-Policy\" \
        content=\"default-src 'self'; script-src 'self'; style-src 'self'\">";
    let hb = Handbook::fixture("serve/basic");
    let root = hb.root().to_path_buf();
    let builder = move || {
        let mut fresh = crate::serve::fake_build(&root)?;
        for bytes in fresh.site.files.values_mut() {
            let html = String::from_utf8_lossy(bytes).replace("<head>", &format!("<head>{CSP}"));
            *bytes = html.into_bytes();
        }
        Ok(fresh)
    };
    let server = Server::start(crate::serve::options(hb.root()), builder).expect("start");
    let mut b = Browser::launch();
    b.open(&format!("http://127.0.0.1:{}/personas/ana/", server.addr().port()));
    b.eval(
        "window.__violations = []; \
         document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective)); \
         true",
    );
    // The policy is in force: an inline style is refused.
    b.eval("const s = document.createElement('style'); s.textContent = 'body{color:rgb(1,2,3)}'; document.head.append(s); true");
    b.wait("the inline style to be refused", "window.__violations.length === 1");
    assert_ne!(b.eval("getComputedStyle(document.body).color"), json!("rgb(1, 2, 3)"));

    atomic_save(&hb.root().join("content/personas/ana.md"), "---\nname: Ana\n---\nBROKEN here.\n");
    let overlay = "document.getElementById('personabook-overlay')?.shadowRoot";
    b.wait("the error overlay", &format!("({overlay}?.textContent || '').includes('broken on purpose')"));
    b.wait(
        "the overlay's stylesheet",
        &format!("getComputedStyle({overlay}.querySelector('.box')).position === 'fixed'"),
    );
    assert_eq!(b.eval("window.__violations.length"), json!(1), "the overlay broke the policy");
}

/// A wide code block in a guide scrolls from the keyboard (axe:
/// scrollable-region-focusable): the `<pre>` is what scrolls, it takes the
/// focus, and the arrow key scrolls it. Opened from disk, as a reader may.
/// (Chromium focuses any scroller by itself; other browsers need the
/// `tabindex="0"` that `site::code_blocks_can_be_scrolled_from_the_keyboard`
/// checks.)
#[test]
fn a_wide_code_block_scrolls_from_the_keyboard() {
    let hb = Handbook::fixture("site/basic");
    hb.write("content/guides/code.md", &format!("---\ntitle: Code\n---\n```\n{}\n```\n", "wide ".repeat(300)));
    let out = hb.root().join("public");
    let built = hb.run(&["build", "--output", &out.display().to_string()]);
    assert_eq!(built.code(), 0, "{}", built.stderr());
    let mut b = Browser::launch();
    b.call("Page.navigate", json!({"url": format!("file://{}/guides/code/index.html", out.display())}));
    b.wait("the page to load", "document.readyState === 'complete'");
    let pre = "document.querySelector('.prose pre')";
    assert_eq!(
        b.eval(&format!("{pre}.scrollWidth > {pre}.clientWidth")),
        json!(true),
        "the block is wider than the page"
    );
    b.eval(&format!("{pre}.focus()"));
    assert_eq!(b.eval(&format!("document.activeElement === {pre}")), json!(true), "the block takes the focus");
    for kind in ["keyDown", "keyUp"] {
        let key = json!({"type": kind, "key": "ArrowRight", "code": "ArrowRight", "windowsVirtualKeyCode": 39});
        b.call("Input.dispatchKeyEvent", key);
    }
    b.wait("the block to scroll", &format!("{pre}.scrollLeft > 0"));
}

/// While the first build is held back, the home page and the pages it
/// links to come on demand with their styles, scripts and images; when the
/// full site lands the tab stays as it is (its page did not change).
#[test]
fn the_first_pages_work_before_the_first_build_ends() {
    use personabook::serve::Server;
    let hb = Handbook::fixture("site/basic");
    let (builder, go) = crate::serve::HeldBack::new(hb.root());
    let server = Server::start(crate::serve::options(hb.root()), builder).expect("start");
    let mut b = Browser::launch();
    b.open(&format!("http://127.0.0.1:{}/", server.addr().port()));
    let loaded = |file: &str| {
        format!(
            "performance.getEntriesByType('resource').some(e => e.name.endsWith('/{file}') && e.responseStatus === 200)"
        )
    };
    b.wait(
        "the stylesheet",
        "[...document.styleSheets].some(s => (s.href || '').endsWith('/static/style.css') && s.cssRules.length > 20)",
    );
    b.wait("the site's script", &loaded("static/app.js"));
    b.wait("the logo", "[...document.images].every(i => i.complete && i.naturalWidth > 0)");
    let warm = b.eval("window.__personabookLive.status.build");

    // Follow links, as a reader would, still before the full build.
    b.eval("document.querySelector('a[href=\"personas/index.html\"]').click(); true");
    b.wait("the persona index", "location.pathname === '/personas/index.html' && document.readyState === 'complete'");
    b.wait("its cards", "document.querySelectorAll('a[href*=\"maria-lopez\"]').length > 0");
    b.eval("document.querySelector('a[href*=\"maria-lopez\"]').click(); true");
    b.wait("a persona page", "document.readyState === 'complete' && document.body.innerText.includes('Maria')");
    b.wait("the reload channel", "!!(window.__personabookLive && window.__personabookLive.status)");
    assert_eq!(b.eval("window.__personabookLive.status.build"), warm, "still the early pages");
    b.eval("window.__notReloaded = true; true");

    go.send(()).expect("go");
    b.wait("the full site", &format!("window.__personabookLive.status.build !== {warm}"));
    assert_eq!(b.eval("window.__notReloaded === true"), json!(true), "the tab reloaded though its page did not change");
}
