/* personabook search. search/index.js (the manifest) says which term
   shards exist; a query loads the shards of its words and the page chunks
   of the results it shows, each a script calling PERSONABOOK_ADD, so it
   works from file:// (no fetch). Words are cut as the index cuts them:
   letters and digits, lower-cased, one-letter words and stop words left
   out; every word matches as a prefix, and a page must match them all. */
(function () {
  "use strict";
  var M = window.PERSONABOOK_SEARCH;
  var form = document.getElementById("search-form");
  if (!form || !M || !M.shards) return;
  var input = form.querySelector("input");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  var root = results.getAttribute("data-root") || "";
  var PAGE = 10;
  var terms = {}, docs = {}, loading = {};
  var stop = {};
  M.stop.forEach(function (w) { stop[w] = true; });

  var previous = window.PERSONABOOK_ADD;
  window.PERSONABOOK_ADD = function (kind, n, data) {
    if (kind === "t") terms[n] = data;
    else if (kind === "d") docs[n] = data;
    else if (previous) previous(kind, n, data);
  };

  /* A script next to the search page, loaded once. */
  function load(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = s.onerror = function () { resolve(); };
        document.head.appendChild(s);
      });
    }
    return loading[src];
  }

  /* Strings in code point order, as the index sorts them. */
  function cmp(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return (a.length - i) - (b.length - j);
  }

  function words(q) {
    var seen = {}, out = [];
    (q.toLowerCase().match(/[\p{Alphabetic}\p{N}]+/gu) || []).forEach(function (w) {
      var cps = Array.from(w);
      if (cps.length > 40) w = cps.slice(0, 40).join("");
      if (cps.length > 1 && !stop[w] && !seen[w]) { seen[w] = true; out.push(w); }
    });
    return out;
  }

  /* The shards that can hold terms starting with w. */
  function shardsFor(w) {
    var keys = M.shards, lo = 0, hi = keys.length - 1, k = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(keys[mid], w) <= 0) { k = mid; lo = mid + 1; } else hi = mid - 1;
    }
    var out = keys.length ? [k] : [];
    while (k + 1 < keys.length && keys[k + 1].indexOf(w) === 0) out.push(++k);
    return out;
  }

  /* Page number -> best score of any term w is a prefix of (an exact term counts double). */
  function matches(w) {
    var best = new Map();
    shardsFor(w).forEach(function (n) {
      var shard = terms[n] || {};
      Object.keys(shard).forEach(function (t) {
        if (t.indexOf(w) !== 0) return;
        var p = shard[t], doc = 0, boost = t === w ? 2 : 1;
        for (var i = 0; i < p.length; i += 2) {
          doc += p[i];
          var s = p[i + 1] * boost;
          if (!(best.get(doc) >= s)) best.set(doc, s);
        }
      });
    });
    return best;
  }

  function rank(ws) {
    var sets = ws.map(matches).sort(function (a, b) { return a.size - b.size; });
    var hits = [];
    sets[0].forEach(function (s, doc) {
      for (var i = 1; i < sets.length; i++) {
        var t = sets[i].get(doc);
        if (t === undefined) return;
        s += t;
      }
      hits.push([doc, s]);
    });
    return hits.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
  }

  function pattern(ws) {
    var esc = ws.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return new RegExp("(?<![\\p{Alphabetic}\\p{N}])(?:" + esc.join("|") + ")[\\p{Alphabetic}\\p{N}]*", "giu");
  }

  /* Appends text to el with every match of re in a <mark>. */
  function highlight(el, text, re) {
    var at = 0, m;
    re.lastIndex = 0;
    while ((m = re.exec(text)) !== null) {
      if (m[0] === "") { re.lastIndex++; continue; }
      el.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.appendChild(mark);
      at = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(at)));
  }

  /* The first part of the page with a match, cut around it. */
  function snippet(doc, re) {
    for (var i = 0; i < doc.p.length; i++) {
      var text = doc.p[i].x;
      re.lastIndex = 0;
      var m = re.exec(text);
      if (!m) continue;
      var start = Math.max(0, m.index - 60), end = Math.min(text.length, m.index + 160);
      if (start > 0) { var sp = text.indexOf(" ", start); start = sp !== -1 && sp < m.index ? sp + 1 : start; }
      if (end < text.length) { var ep = text.lastIndexOf(" ", end); end = ep > m.index ? ep : end; }
      return { label: doc.p[i].l, text: (start > 0 ? "\u2026" : "") + text.slice(start, end) + (end < text.length ? "\u2026" : "") };
    }
    var first = doc.p[0];
    if (!first || first.l) return null;
    return { label: "", text: first.x.length > 220 ? first.x.slice(0, 220).replace(/\s+\S*$/, "") + "\u2026" : first.x };
  }

  function item(doc, re) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + doc.u;
    highlight(a, doc.t, re);
    var kind = document.createElement("span");
    kind.className = "chip";
    kind.textContent = doc.k;
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(kind);
    var s = snippet(doc, re);
    if (s) {
      var p = document.createElement("p");
      p.className = "search-snippet";
      if (s.label) {
        var where = document.createElement("span");
        where.className = "search-where";
        where.textContent = s.label + ": ";
        p.appendChild(where);
      }
      highlight(p, s.text, re);
      li.appendChild(p);
    }
    return li;
  }

  var run = 0, current = null;

  /* Loads the chunks of the hits up to `to` and shows them (the first
     ones replace the results of the query before). */
  function show(state, to) {
    var slice = state.hits.slice(state.shown, to);
    var chunks = {};
    slice.forEach(function (h) { chunks[Math.floor(h[0] / M.chunk)] = true; });
    return Promise.all(Object.keys(chunks).map(function (c) { return load("d-" + c + ".js"); })).then(function () {
      if (state.run !== run) return;
      var frag = document.createDocumentFragment();
      slice.forEach(function (h) {
        var chunk = docs[Math.floor(h[0] / M.chunk)];
        var doc = chunk && chunk[h[0] % M.chunk];
        if (doc) frag.appendChild(item(doc, state.re));
      });
      if (state.shown === 0) results.textContent = "";
      results.appendChild(frag);
      state.shown += slice.length;
      if (more) more.hidden = state.shown >= state.hits.length;
    });
  }

  function search() {
    var t0 = performance.now();
    var raw = input.value.trim();
    var mine = ++run;
    var ws = words(raw);
    try { history.replaceState(null, "", raw ? "?q=" + encodeURIComponent(raw) : location.pathname); } catch (e) { /* some browsers refuse it on file:// */ }
    if (!ws.length) {
      results.textContent = "";
      if (more) more.hidden = true;
      status.textContent = raw ? "Type a longer word." : M.docs + " pages indexed. Type to search.";
      return Promise.resolve();
    }
    var need = {};
    ws.forEach(function (w) { shardsFor(w).forEach(function (n) { need[n] = true; }); });
    return Promise.all(Object.keys(need).map(function (n) { return load("t-" + n + ".js"); })).then(function () {
      if (mine !== run) return;
      current = { run: mine, hits: rank(ws), shown: 0, re: pattern(ws) };
      var n = current.hits.length;
      return show(current, PAGE).then(function () {
        if (mine !== run) return;
        status.textContent = n === 0 ? "No results for \u201c" + raw + "\u201d."
          : n + " result" + (n === 1 ? "" : "s") + " for \u201c" + raw + "\u201d.";
        results.setAttribute("data-took-ms", (performance.now() - t0).toFixed(1));
      });
    });
  }

  if (more) more.addEventListener("click", function () { if (current) show(current, current.shown + PAGE); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) input.value = q;
  input.addEventListener("input", search);
  form.addEventListener("submit", function (e) { e.preventDefault(); search(); });
  search();
})();
