// Time to first search results in headless Chromium, from disk (file://).
//
//   node --experimental-websocket bench/search_time.mjs SITE_DIR [QUERY ...]
//
// Opens SITE_DIR/search/index.html afresh for each query (no shard loaded
// yet), types the query, and reads what the search script measured with
// performance.now() from the query to its results on screen, shard and
// chunk loading included (`data-took-ms`). Prints one line per query:
// milliseconds, then the status line. The first query runs twice: once in
// a browser that has run no page yet (marked "cold"), then again. Needs
// Node 20+ (built-in WebSocket) and Chromium (CHROMIUM, else `chromium` on
// PATH). Nothing to install.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const [site, ...asked] = process.argv.slice(2);
if (!site) {
  console.error("usage: node --experimental-websocket bench/search_time.mjs SITE_DIR [QUERY ...]");
  process.exit(2);
}
const queries = asked.length ? asked : ["attribution cfo", "hubspot", "works council", "trail running", "ma"];
const profile = mkdtempSync(join(tmpdir(), "pb-chromium-"));
const browser = spawn(process.env.CHROMIUM || "chromium", [
  "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--remote-debugging-port=0", `--user-data-dir=${profile}`,
  "about:blank",
], { stdio: ["ignore", "ignore", "pipe"] });

const port = await new Promise((ok, fail) => {
  let text = "";
  browser.stderr.on("data", (d) => {
    text += d;
    const m = text.match(/ws:\/\/127\.0\.0\.1:(\d+)\//);
    if (m) ok(m[1]);
  });
  browser.on("exit", () => fail(new Error("chromium exited: " + text)));
});
const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const ws = new WebSocket(targets.find((t) => t.type === "page").webSocketDebuggerUrl);
await new Promise((ok) => ws.addEventListener("open", ok));
let next = 0;
const waiting = new Map();
ws.addEventListener("message", (e) => {
  const msg = JSON.parse(e.data);
  if (waiting.has(msg.id)) { waiting.get(msg.id)(msg); waiting.delete(msg.id); }
});
const call = (method, params = {}) => new Promise((ok) => {
  const id = ++next;
  waiting.set(id, ok);
  ws.send(JSON.stringify({ id, method, params }));
});
const evaluate = async (expression) =>
  (await call("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true })).result?.result?.value;
const until = async (expression) => {
  for (let i = 0; i < 400; i++) {
    if (await evaluate(expression)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("timed out: " + expression);
};

const url = "file://" + resolve(site, "search/index.html");
for (const [i, q] of [queries[0], ...queries].entries()) {
  // A fresh document each time, so no shard is cached in the page.
  await call("Page.navigate", { url: url + "?fresh=" + Date.now() });
  await until("document.readyState === 'complete' && !!document.getElementById('search-status').textContent");
  await evaluate(`(() => { const i = document.getElementById('search-q'); i.value = ${JSON.stringify(q)};
    document.getElementById('search-results').removeAttribute('data-took-ms');
    i.dispatchEvent(new Event('input')); return true; })()`);
  await until("document.getElementById('search-results').hasAttribute('data-took-ms')");
  const took = await evaluate("document.getElementById('search-results').getAttribute('data-took-ms')");
  const status = await evaluate("document.getElementById('search-status').textContent");
  console.log(`${took} ms\t${status}${i === 0 ? " (cold)" : ""}`);
}
ws.close();
await new Promise((ok) => { browser.on("exit", ok); browser.kill(); });
rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
