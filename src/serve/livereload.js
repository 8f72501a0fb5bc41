// personabook serve: live reload and the error overlay. Added to HTML pages
// by the preview server only; a built site never contains it.
//
// The server sends a `status` event whenever a build finishes, and once on
// connecting: {build, previous, changed, errors}. A page reloads when the
// build being served is not the one it came from, unless the server says
// exactly what changed since then and neither this page nor any file it
// loaded is among it. It shows the errors, if any, over the last good page.
//
// It runs under a strict Content-Security-Policy: no inline script, no eval,
// no inline styles (the overlay's look is the file overlay.css beside it).
(() => {
  "use strict";
  const me = document.currentScript;
  if (!me || window.__personabookLive) return;
  const build = me.dataset.build;
  const page = me.dataset.page || "";
  const siteRoot = new URL("../", me.src);
  let current = build;
  if (performance.setResourceTimingBufferSize) performance.setResourceTimingBufferSize(2000);
  // What this script last heard, for anyone curious (and the browser tests).
  const live = (window.__personabookLive = { build, status: null });
  const events = new URL("events", me.src);
  const scrollKey = "personabook:scroll:" + location.pathname;
  const OVERLAY = "personabook-overlay";

  // Put the page back where it was before the reload we asked for.
  const saved = sessionStorage.getItem(scrollKey);
  if (saved) {
    sessionStorage.removeItem(scrollKey);
    let pos = null;
    try { pos = JSON.parse(saved); } catch (e) { pos = null; }
    if (Array.isArray(pos)) {
      const restore = () => window.scrollTo(pos[0], pos[1]);
      restore();
      document.addEventListener("DOMContentLoaded", restore);
      window.addEventListener("load", restore);
    }
  }

  function reload() {
    sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  }

  function hideOverlay() {
    const old = document.getElementById(OVERLAY);
    if (old) old.remove();
  }

  // textContent only: error messages quote the user's files and must never
  // be parsed as HTML.
  function showOverlay(errors) {
    hideOverlay();
    const host = document.createElement("div");
    host.id = OVERLAY;
    const root = host.attachShadow({ mode: "open" });
    // A stylesheet, not a <style> element: a strict Content-Security-Policy
    // (styles from the site only) blocks inline styles, not this file.
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = new URL("overlay.css", me.src).href;
    const box = document.createElement("div");
    box.className = "box";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "Build error");
    const title = document.createElement("h2");
    title.textContent = errors.length === 1 ? "The last save has an error" : `The last save has ${errors.length} errors`;
    const note = document.createElement("p");
    note.textContent = "This page shows the last good build. Fix the file and save: this message goes away by itself.";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.addEventListener("click", hideOverlay);
    box.append(close, title, note);
    for (const e of errors) {
      const pre = document.createElement("pre");
      pre.textContent = e.text;
      box.append(pre);
    }
    root.append(style, box);
    document.documentElement.append(host);
  }

  // This page's own file, or a file it loaded (style, script, image, data).
  function affected(changed) {
    if (!page || changed.includes(page)) return true;
    const loaded = new Set(performance.getEntriesByType("resource").map((e) => e.name.split(/[?#]/)[0]));
    return changed.some((p) => loaded.has(new URL(p, siteRoot).href));
  }

  function onStatus(msg) {
    let status;
    try { status = JSON.parse(msg.data); } catch (e) { return; }
    live.status = status;
    if (status.build !== current) {
      const known = status.previous === current && Array.isArray(status.changed);
      if (known && !affected(status.changed)) {
        current = status.build;
      } else {
        reload();
        return;
      }
    }
    if (status.errors && status.errors.length) {
      showOverlay(status.errors);
    } else {
      hideOverlay();
    }
  }

  // One connection per visible tab: browsers allow only a few connections
  // per server, and a tab in the background must not starve page loads.
  // A tab that comes back reconnects, gets the current status and catches up.
  let source = null;
  let retry = null;
  function connect() {
    if (source || document.hidden) return;
    source = new EventSource(events);
    source.addEventListener("status", onStatus);
    source.addEventListener("error", () => {
      // The browser retries by itself unless it gave up (server gone for
      // good or answered with an error); then try again, forever, calmly.
      if (source && source.readyState === EventSource.CLOSED) {
        disconnect();
        retry = setTimeout(connect, 1000);
      }
    });
  }
  function disconnect() {
    if (source) source.close();
    source = null;
    clearTimeout(retry);
  }
  document.addEventListener("visibilitychange", () => (document.hidden ? disconnect() : connect()));
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", connect);
  connect();
})();
