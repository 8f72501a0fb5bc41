/* personabook built-in theme: library filters and pages, persona index
   and content-map filters, persona comparison and the print button (search
   is search.js). No dependencies, no network: everything this needs is in
   the page or in a script next to it, so it also works from file://.

   Filter state lives in the URL fragment (#format=blog&page=2): a change
   adds a history entry, so Back restores the view before it, and a shared
   or reloaded link shows exactly the view it was copied from. Every
   control is set from the fragment, those it does not name to their
   default, so following a second filter link never keeps stale values. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function hashParams() { return new URLSearchParams(location.hash.replace(/^#/, "")); }

  /* Data scripts call PERSONABOOK_ADD(kind, data); search.js chains its own kinds. */
  var handlers = {};
  var previous = window.PERSONABOOK_ADD;
  window.PERSONABOOK_ADD = function (kind, a, b) {
    if (handlers[kind]) handlers[kind](a);
    else if (previous) previous(kind, a, b);
  };
  function loadData(kind, src, fn) {
    handlers[kind] = fn;
    var s = document.createElement("script");
    s.src = src;
    document.body.appendChild(s);
  }

  /* The URL state of a form: one entry per named control that is not at its default. */
  function formState(controls, extra) {
    var p = new URLSearchParams();
    each(controls, function (c) {
      var v = c.type === "checkbox" ? (c.checked ? "1" : "") : c.value.trim();
      var dflt = c.getAttribute("data-default") || "";
      if (v && v !== dflt) p.set(c.name, v);
    });
    Object.keys(extra || {}).forEach(function (k) { if (extra[k]) p.set(k, extra[k]); });
    return p;
  }
  /* Sets every control from the URL (a value it cannot take: the default). */
  function setControls(controls, params) {
    each(controls, function (c) {
      var v = params.get(c.name), dflt = c.getAttribute("data-default") || "";
      if (c.tagName === "SELECT") {
        var ok = v !== null && Array.prototype.some.call(c.options, function (o) { return o.value === v; });
        c.value = ok ? v : dflt;
      } else if (c.type === "checkbox") {
        c.checked = v === "1";
      } else {
        c.value = v || "";
      }
    });
  }
  /* Writes the state into the URL: a new history entry, or the same one while typing. */
  function commit(params, replace) {
    var s = params.toString();
    var url = s ? "#" + s : location.pathname + location.search;
    if (("#" + s) === location.hash || (!s && !location.hash)) return;
    if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
  }
  /* Calls apply on every change of the URL's state, and wires the form's controls. */
  function wire(form, controls, apply) {
    var typing = false;
    each(controls, function (c) {
      if (c.tagName === "INPUT" && c.type !== "checkbox") {
        c.addEventListener("input", function () { apply(null, typing); typing = true; });
        c.addEventListener("change", function () { typing = false; });
      } else {
        c.addEventListener("change", function () { typing = false; apply(null, false); });
      }
    });
    form.addEventListener("reset", function (e) {
      e.preventDefault();
      setControls(controls, new URLSearchParams());
      typing = false;
      apply(null, false);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    window.addEventListener("popstate", function () { apply(hashParams()); });
    window.addEventListener("hashchange", function () { apply(hashParams()); });
  }

  /* Items matching every facet and word; per facet, how many items each
     value would give with the other filters as they are. */
  function facetCounts(items, facets, selected, words) {
    var counts = {}, matched = [];
    facets.forEach(function (f) { counts[f] = {}; });
    items.forEach(function (it, i) {
      var text = words.every(function (w) { return it.text.indexOf(w) !== -1; });
      if (!text) return;
      var failed = [];
      facets.forEach(function (f) {
        if (selected[f] !== "" && it.facets[f].indexOf(selected[f]) === -1) failed.push(f);
      });
      if (failed.length > 1) return;
      facets.forEach(function (f) {
        if (failed.length === 1 && failed[0] !== f) return;
        it.facets[f].forEach(function (v) { counts[f][v] = (counts[f][v] || 0) + 1; });
      });
      if (!failed.length) matched.push(i);
    });
    return { matched: matched, counts: counts };
  }
  /* Option texts get the counts; an option that would show nothing is disabled. */
  function showCounts(select, counts) {
    each(select.options, function (o) {
      if (!o.value) return;
      if (!o.hasAttribute("data-label")) o.setAttribute("data-label", o.textContent.replace(/ \(\d+\)$/, ""));
      var n = counts[o.value] || 0;
      o.textContent = o.getAttribute("data-label") + " (" + n + ")";
      o.disabled = n === 0 && select.value !== o.value;
    });
  }
  function wordsOf(q) { return q.toLowerCase().split(/\s+/).filter(Boolean); }

  /* Library: the page holds the newest assets; search/library.js holds
     them all, for filters with counts, text, sort and pages. */
  function library(form) {
    var list = document.getElementById(form.getAttribute("data-library"));
    var status = document.getElementById("library-status");
    var empty = document.getElementById("library-empty");
    var pager = document.getElementById("library-pager");
    var controls = form.querySelectorAll("select, input");
    var facetSelects = form.querySelectorAll("select[data-facet]");
    var facets = Array.prototype.map.call(facetSelects, function (s) { return s.name; });
    var D = null, items = null, page = 1, pristine = true;

    function prepare(data) {
      D = data;
      items = data.items.map(function (a, i) {
        var f = a[2] >= 0 ? data.formats[a[2]] : null;
        var names = [a[0], a[4], f ? f[0] : ""]
          .concat(a[5].map(function (s) { return data.stages[s][1]; }))
          .concat(a[6].map(function (p) { return data.personas[p][1]; }))
          .concat(a[7].map(function (t) { return data.topics[t]; }));
        return {
          a: a, order: i, format: f ? f[0] : "",
          text: names.join(" ").toLowerCase(),
          facets: {
            persona: a[6].map(function (p) { return data.personas[p][0]; }),
            stage: a[5].map(function (s) { return data.stages[s][0]; }),
            format: f ? [f[0]] : [],
            topic: a[7].map(function (t) { return data.topics[t]; })
          }
        };
      });
    }

    function card(it) {
      var a = it.a, li = el("li", "library-item");
      var h = el("h2", "library-title"), link = el("a", "", a[0]);
      link.href = a[1];
      h.appendChild(link);
      li.appendChild(h);
      var meta = el("p", "library-meta");
      if (a[2] >= 0) {
        var chip = el("a", "chip chip-format", D.formats[a[2]][0]);
        chip.href = D.formats[a[2]][1];
        meta.appendChild(chip);
      }
      a[5].forEach(function (s) {
        var c = el("a", "chip chip-stage", D.stages[s][1]);
        c.href = D.stages[s][2];
        meta.appendChild(document.createTextNode(" "));
        meta.appendChild(c);
      });
      if (a[3]) {
        var t = el("time", "muted", a[3]);
        t.setAttribute("datetime", a[3]);
        meta.appendChild(document.createTextNode(" "));
        meta.appendChild(t);
      }
      li.appendChild(meta);
      if (a[4]) li.appendChild(el("p", "library-summary", a[4]));
      if (a[6].length) {
        var who = el("p", "library-personas", "For ");
        a[6].forEach(function (p, i) {
          if (i) who.appendChild(document.createTextNode(", "));
          var pl = el("a", "", D.personas[p][1]);
          pl.href = D.personas[p][2];
          who.appendChild(pl);
        });
        li.appendChild(who);
      }
      return li;
    }

    function sorted(matched) {
      var key = form.querySelector("select[name=sort]").value;
      var list = matched.map(function (i) { return items[i]; });
      if (key === "title") list.sort(function (x, y) { return x.a[0].localeCompare(y.a[0]) || x.order - y.order; });
      else if (key === "format") list.sort(function (x, y) { return x.format.localeCompare(y.format) || x.a[0].localeCompare(y.a[0]) || x.order - y.order; });
      return list;
    }

    function pagerLink(text, n, params) {
      var a = el("a", "button button-quiet", text);
      var p = new URLSearchParams(params);
      if (n > 1) p.set("page", String(n)); else p.delete("page");
      var s = p.toString();
      a.href = s ? "#" + s : location.pathname + location.search;
      return a;
    }

    function render(res, state) {
      var shown = sorted(res.matched), size = D.size;
      var pages = Math.max(1, Math.ceil(shown.length / size));
      page = Math.min(Math.max(1, page), pages);
      var from = (page - 1) * size, slice = shown.slice(from, from + size);
      // The page as written is the first page unfiltered: keep its cards until the view changes.
      if (state.toString() !== "" || !pristine) {
        pristine = false;
        var frag = document.createDocumentFragment();
        slice.forEach(function (it) { frag.appendChild(card(it)); });
        list.textContent = "";
        list.appendChild(frag);
      }
      empty.hidden = shown.length !== 0;
      var filtered = state.toString().replace(/(^|&)(sort|page)=[^&]*/g, "") !== "";
      status.textContent = shown.length === 0 ? "Showing 0 of " + items.length + " assets."
        : (filtered ? shown.length + " of " + items.length + " assets" : "All " + items.length + " assets")
          + (pages > 1 ? ", " + (from + 1) + "\u2013" + (from + slice.length) + " shown." : ".");
      pager.textContent = "";
      if (pages > 1) {
        if (page > 1) pager.appendChild(pagerLink("Previous page", page - 1, state));
        pager.appendChild(el("span", "pager-at", "Page " + page + " of " + pages));
        if (page < pages) pager.appendChild(pagerLink("Next page", page + 1, state));
      }
    }

    function apply(params, replace) {
      if (params) {
        setControls(controls, params);
        page = parseInt(params.get("page"), 10) || 1;
      } else {
        page = 1;
      }
      var state = formState(controls, {});
      if (!params) commit(state, replace);
      if (!D) return;
      var selected = {};
      each(facetSelects, function (s) { selected[s.name] = s.value; });
      var res = facetCounts(items, facets, selected, wordsOf(form.querySelector("input[name=q]").value));
      each(facetSelects, function (s) { showCounts(s, res.counts[s.name]); });
      if (page > 1) state.set("page", String(page));
      render(res, state);
    }

    wire(form, controls, apply);
    setControls(controls, hashParams());
    // The page as written needs no data: load it after the page is shown,
    // or at once when the URL asks for another view or the reader starts.
    var asked = false;
    function need() {
      if (asked) return;
      asked = true;
      loadData("library", form.getAttribute("data-src"), function (data) {
        prepare(data);
        apply(hashParams());
      });
    }
    if (location.hash.length > 1) need();
    form.addEventListener("focusin", need);
    window.addEventListener("hashchange", need);
    if (document.readyState === "complete") setTimeout(need, 0);
    else window.addEventListener("load", function () { setTimeout(need, 0); });
  }

  /* Persona index: cards carry what the filters match (data-*). */
  function personaFilters(form) {
    var cells = document.querySelectorAll(form.getAttribute("data-cards"));
    var status = document.getElementById("personas-status");
    var controls = form.querySelectorAll("select, input");
    var facetSelects = form.querySelectorAll("select[data-facet]");
    var facets = Array.prototype.map.call(facetSelects, function (s) { return s.name; });
    var items = Array.prototype.map.call(cells, function (c) {
      var f = {};
      facets.forEach(function (name) { f[name] = [c.getAttribute("data-" + name) || ""]; });
      return { el: c, text: (c.textContent || "").toLowerCase(), facets: f };
    });

    function apply(params, replace) {
      if (params) setControls(controls, params); else commit(formState(controls, {}), replace);
      var selected = {};
      each(facetSelects, function (s) { selected[s.name] = s.value; });
      var res = facetCounts(items, facets, selected, wordsOf(form.querySelector("input[name=q]").value));
      each(facetSelects, function (s) { showCounts(s, res.counts[s.name]); });
      var on = {};
      res.matched.forEach(function (i) { on[i] = true; });
      // Only what changes is touched: a first load with no filter changes nothing.
      items.forEach(function (it, i) { if (it.el.hidden !== !on[i]) it.el.hidden = !on[i]; });
      each(document.querySelectorAll("[data-group]"), function (g) {
        var n = g.querySelectorAll("[data-status]:not([hidden])").length;
        if (g.hidden !== (n === 0)) g.hidden = n === 0;
        var count = g.querySelector(".count");
        if (count && count.textContent !== String(n)) count.textContent = n;
      });
      status.textContent = res.matched.length === items.length ? "Showing all " + items.length + " personas."
        : "Showing " + res.matched.length + " of " + items.length + " personas.";
    }
    wire(form, controls, apply);
    apply(hashParams());
  }

  /* Content map: sort and filter the rows (data-* on each row). */
  function mapControls(form) {
    var table = document.getElementById(form.getAttribute("data-map"));
    var body = table && table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var status = document.getElementById("map-status");
    var controls = form.querySelectorAll("select");
    var num = function (r, k) { return parseFloat(r.getAttribute("data-" + k)) || 0; };
    var orders = {
      order: function (a, b) { return num(a, "order") - num(b, "order"); },
      gaps: function (a, b) { return num(b, "gaps") - num(a, "gaps") || num(a, "coverage") - num(b, "coverage") || num(a, "order") - num(b, "order"); },
      "coverage-low": function (a, b) { return num(a, "coverage") - num(b, "coverage") || num(a, "order") - num(b, "order"); },
      "coverage-high": function (a, b) { return num(b, "coverage") - num(a, "coverage") || num(a, "order") - num(b, "order"); },
      name: function (a, b) { return a.getAttribute("data-name").localeCompare(b.getAttribute("data-name")) || num(a, "order") - num(b, "order"); }
    };
    function apply(params, replace) {
      if (params) setControls(controls, params); else commit(formState(controls, {}), replace);
      var v = {};
      each(controls, function (c) { v[c.name] = c.value; });
      var shown = 0, sorted = rows.slice().sort(orders[v.sort] || orders.order);
      var moved = sorted.some(function (r, i) { return body.rows[i] !== r; });
      sorted.forEach(function (r) {
        var cov = num(r, "coverage");
        var ok = (!v.segment || r.getAttribute("data-segment") === v.segment)
          && (v.show !== "gaps" || num(r, "gaps") > 0)
          && (v.show !== "full" || cov >= 100)
          && (v.show !== "low" || cov < 50);
        if (r.hidden === ok) r.hidden = !ok;
        if (ok) shown++;
        if (moved) body.appendChild(r);
      });
      status.textContent = shown === rows.length ? "Showing all " + rows.length + " personas."
        : "Showing " + shown + " of " + rows.length + " personas.";
    }
    wire(form, controls, apply);
    apply(hashParams());
  }

  /* Compare: 2 to 4 personas, their ids in the URL (#p=ana&p=bo). The page
     shows the first ones; search/compare.js has every active persona. */
  function compare(form) {
    var table = document.getElementById(form.getAttribute("data-compare"));
    var selects = form.querySelectorAll("select[name=p]");
    var defaults = Array.prototype.map.call(selects, function (s) { return s.value; });
    var labels = Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[0].textContent; });
    var D = null, shown = defaults.filter(Boolean).join("|");

    /* The ids the URL names that the page knows, at most four, topped up to two. */
    function chosen(params) {
      var known = {}, ids = [];
      each(selects[0].options, function (o) { known[o.value] = true; });
      params.getAll("p").forEach(function (id) {
        if (known[id] && ids.indexOf(id) === -1 && ids.length < selects.length) ids.push(id);
      });
      if (!ids.length) return defaults.filter(Boolean);
      defaults.forEach(function (id) { if (ids.length < 2 && id && ids.indexOf(id) === -1) ids.push(id); });
      return ids;
    }

    function cell(c) {
      var td = el("td");
      if (c.link) { var a = el("a", "", c.link.text); a.href = c.link.href; td.appendChild(a); }
      else if (c.text) td.textContent = c.text;
      else if (c.items && c.items.length) {
        var ul = el("ul");
        c.items.forEach(function (i) { ul.appendChild(el("li", "", i)); });
        td.appendChild(ul);
      } else td.appendChild(el("span", "muted", "\u2013"));
      return td;
    }

    function head(col) {
      var th = el("th");
      th.setAttribute("scope", "col");
      th.setAttribute("data-col", col.id);
      var av = col.avatar, img;
      if (av.src) {
        img = el("img", "avatar avatar-sm");
        img.src = av.src; img.alt = ""; img.width = 32; img.height = 32; img.loading = "lazy";
      } else {
        img = el("span", "avatar avatar-sm avatar-initials hue-" + av.hue, av.initials || "?");
        img.setAttribute("aria-hidden", "true");
      }
      var a = el("a", "", col.name);
      a.href = col.href;
      th.appendChild(img);
      th.appendChild(document.createTextNode(" "));
      th.appendChild(a);
      return th;
    }

    function draw(ids) {
      if (ids.join("|") === shown || !D) return;
      var cols = ids.map(function (id) { return D.filter(function (c) { return c.id === id; })[0]; }).filter(Boolean);
      var hr = el("tr");
      hr.appendChild(el("td"));
      cols.forEach(function (c) { hr.appendChild(head(c)); });
      table.tHead.textContent = "";
      table.tHead.appendChild(hr);
      var body = document.createDocumentFragment();
      labels.forEach(function (label, r) {
        var tr = el("tr"), th = el("th", "", label);
        th.setAttribute("scope", "row");
        tr.appendChild(th);
        cols.forEach(function (c) { tr.appendChild(cell(c.cells[r])); });
        body.appendChild(tr);
      });
      table.tBodies[0].textContent = "";
      table.tBodies[0].appendChild(body);
      shown = ids.join("|");
    }

    function apply(params) {
      var ids = params ? chosen(params) : Array.prototype.map.call(selects, function (s) { return s.value; }).filter(function (v, i, all) { return v && all.indexOf(v) === i; });
      each(selects, function (s, i) { s.value = ids[i] || ""; });
      each(selects, function (s) {
        each(s.options, function (o) { o.disabled = o.value !== "" && o.value !== s.value && ids.indexOf(o.value) !== -1; });
      });
      if (!params) {
        var p = new URLSearchParams();
        ids.forEach(function (id) { p.append("p", id); });
        commit(p, false);
      }
      draw(ids);
    }

    /* The data is loaded only once the reader asks for other personas than the page shows. */
    var asked = false;
    function update(params) {
      apply(params);
      var ids = Array.prototype.map.call(selects, function (s) { return s.value; }).filter(Boolean);
      if (!D && !asked && ids.join("|") !== shown) {
        asked = true;
        loadData("compare", form.getAttribute("data-src"), function (data) { D = data; apply(hashParams()); });
      }
    }
    each(selects, function (s) { s.addEventListener("change", function () { update(null); }); });
    window.addEventListener("popstate", function () { update(hashParams()); });
    window.addEventListener("hashchange", function () { update(hashParams()); });
    update(hashParams());
  }

  each(document.querySelectorAll("form[data-library]"), library);
  each(document.querySelectorAll("form[data-cards]"), personaFilters);
  each(document.querySelectorAll("form[data-map]"), mapControls);
  each(document.querySelectorAll("form[data-compare]"), compare);
})();
