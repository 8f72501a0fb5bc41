// The content map's heat switch (only on sites with analytics): shows each
// cell's views, conversions or conversion rate instead of its asset count,
// and colours the cell by that measure. Without JavaScript the switch stays
// hidden and the cells show their counts. No network, no inline script.
(function () {
  "use strict";
  var map = document.querySelector("[data-heat-map]");
  if (!map) return;
  var sw = map.querySelector(".heat-switch");
  if (!sw) return;
  sw.hidden = false;
  var words = { count: "assets", views: "views", conversions: "conversions", rate: "conversion rate" };
  function show(key) {
    var cells = document.querySelectorAll("td.heat");
    for (var i = 0; i < cells.length; i++) {
      var td = cells[i];
      var text = td.getAttribute("data-" + key);
      var level = td.getAttribute("data-" + key + "-level");
      if (text === null || level === null) continue;
      td.className = td.className.replace(/\bheat-\d\b/, "heat-" + level);
      var a = td.querySelector("a");
      if (a) {
        a.textContent = text;
        var word = key === "count" && text === "1" ? "asset" : words[key];
        a.setAttribute("aria-label", text + " " + word + " for " + td.getAttribute("data-where"));
      }
    }
    var max = map.querySelector("[data-max-" + key + "]");
    var out = map.querySelector("[data-heat-max]");
    if (max && out) out.textContent = max.textContent;
    document.documentElement.setAttribute("data-heat", key);
  }
  sw.addEventListener("change", function (e) {
    if (e.target && e.target.name === "heat-measure") show(e.target.value);
  });
})();
