/* personabook built-in theme: library filters, persona comparison, search
   and the print button. No dependencies, no network: everything this needs
   is in the page or in a script next to it, so it also works from file://. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* Library: filter items by their data-* lists ("|id|id|"). The state is
     kept in the URL hash, so a filtered view can be shared or bookmarked. */
  function libraryFilters(form) {
    var list = document.getElementById(form.getAttribute("data-filter-list"));
    if (!list) return;
    var items = list.children;
    var status = document.getElementById("library-status");
    var empty = document.getElementById("library-empty");
    var selects = form.querySelectorAll("select[data-attr]");

    function readHash() {
      var params = new URLSearchParams(location.hash.replace(/^#/, ""));
      each(selects, function (s) {
        var v = params.get(s.name);
        if (v !== null && Array.prototype.some.call(s.options, function (o) { return o.value === v; })) s.value = v;
      });
    }

    function apply() {
      var active = [];
      var params = new URLSearchParams();
      each(selects, function (s) {
        if (s.value) {
          active.push({ attr: "data-" + s.getAttribute("data-attr"), value: s.value, exact: s.getAttribute("data-attr") === "format" });
          params.set(s.name, s.value);
        }
      });
      var shown = 0;
      each(items, function (li) {
        var ok = active.every(function (f) {
          var v = li.getAttribute(f.attr) || "";
          return f.exact ? v === f.value : v.indexOf("|" + f.value + "|") !== -1;
        });
        li.hidden = !ok;
        if (ok) shown++;
      });
      if (status) {
        status.textContent = active.length
          ? "Showing " + shown + " of " + items.length + " assets."
          : "Showing all " + items.length + " assets.";
      }
      if (empty) empty.hidden = shown !== 0;
      var hash = params.toString();
      if (history.replaceState) {
        history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
      }
    }

    each(selects, function (s) { s.addEventListener("change", apply); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    window.addEventListener("hashchange", function () { readHash(); apply(); });
    if (location.hash) { readHash(); apply(); }
  }

  /* Compare: show only the persona columns whose name, role or segment match. */
  function compareFilter(form) {
    var table = document.getElementById(form.getAttribute("data-compare"));
    var input = form.querySelector("input");
    if (!table || !input) return;
    var heads = table.querySelectorAll("thead th[data-col]");
    var cells = table.querySelectorAll("[data-col]");
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var hide = {};
      each(heads, function (th) {
        hide[th.getAttribute("data-col")] = q !== "" && th.getAttribute("data-match").toLowerCase().indexOf(q) === -1;
      });
      each(cells, function (c) { c.hidden = hide[c.getAttribute("data-col")]; });
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
  }

  /* Search over the prebuilt index (search/index.js sets the global). */
  function search(form) {
    var index = window.PERSONABOOK_SEARCH || [];
    var input = form.querySelector("input");
    var results = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var root = results.getAttribute("data-root") || "";
    var prepared = index.map(function (e) {
      return { e: e, t: e.t.toLowerCase(), x: (e.x || "").toLowerCase(), d: (e.d || "").toLowerCase() };
    });

    function score(p, terms) {
      var s = 0;
      for (var i = 0; i < terms.length; i++) {
        var term = terms[i], ts = 0;
        var at = p.t.indexOf(term);
        if (at === 0) ts += 12; else if (at > 0) ts += 8;
        if (p.x.indexOf(term) !== -1) ts += 4;
        if (p.d.indexOf(term) !== -1) ts += 2;
        if (ts === 0) return 0;
        s += ts;
      }
      return s;
    }

    function run() {
      var q = input.value.trim().toLowerCase();
      results.textContent = "";
      if (!q) { status.textContent = index.length + " pages indexed. Type to search."; return; }
      var terms = q.split(/\s+/);
      var hits = [];
      for (var i = 0; i < prepared.length; i++) {
        var s = score(prepared[i], terms);
        if (s > 0) hits.push({ s: s, e: prepared[i].e });
      }
      hits.sort(function (a, b) { return b.s - a.s || a.e.t.localeCompare(b.e.t); });
      var shown = hits.slice(0, 100);
      status.textContent = hits.length === 0 ? "No results for \u201c" + input.value.trim() + "\u201d."
        : hits.length + " result" + (hits.length === 1 ? "" : "s") + (hits.length > shown.length ? ", showing the first " + shown.length : "") + ".";
      var frag = document.createDocumentFragment();
      shown.forEach(function (h) {
        var li = document.createElement("li");
        var kind = document.createElement("span");
        kind.className = "chip";
        kind.textContent = h.e.k;
        var a = document.createElement("a");
        a.href = root + h.e.u;
        a.textContent = h.e.t;
        li.appendChild(a);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(kind);
        if (h.e.d) {
          var p = document.createElement("p");
          p.textContent = h.e.d;
          li.appendChild(p);
        }
        frag.appendChild(li);
      });
      results.appendChild(frag);
    }

    var q = new URLSearchParams(location.search).get("q");
    if (q) input.value = q;
    input.addEventListener("input", run);
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    run();
  }

  each(document.querySelectorAll("form[data-filter-list]"), libraryFilters);
  each(document.querySelectorAll("form[data-compare]"), compareFilter);
  var sf = document.getElementById("search-form");
  if (sf) search(sf);
  each(document.querySelectorAll("[data-print]"), function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
