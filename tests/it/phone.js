// What a reader of a 390 px phone would notice on the open page, for
// tests/it/phone.rs: the page's width against the screen's, the words
// split across two lines, and focusable elements whose tab order goes
// against where they sit on the screen.
(() => {
  const out = { scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth, broken: [], order: [] };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()); ) {
    const el = n.parentElement;
    if (!el || el.closest("pre, svg, script, .visually-hidden") || !el.checkVisibility()) continue;
    // The room a word has: its block's content box, less the padding of an
    // inline box (a chip) around it.
    let block = el;
    let inset = 0;
    while (block.parentElement && getComputedStyle(block).display.startsWith("inline")) {
      const s = getComputedStyle(block);
      if (s.display !== "inline") {
        inset += parseFloat(s.paddingLeft) + parseFloat(s.paddingRight) + parseFloat(s.borderLeftWidth) + parseFloat(s.borderRightWidth);
      }
      block = block.parentElement;
    }
    const cs = getComputedStyle(block);
    const room = block.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - inset;
    const rects = (a, b) => {
      const r = document.createRange();
      r.setStart(n, a);
      r.setEnd(n, b);
      return [...r.getClientRects()].filter((x) => x.width > 0);
    };
    const words = /\S+/g;
    for (let m; (m = words.exec(n.data)); ) {
      // A long word wider than its block (an id, a URL) has to break somewhere.
      const wide = rects(m.index, m.index + m[0].length).reduce((s, x) => s + x.width, 0) > room - 1;
      if (wide && m[0].length > 14) continue;
      // Otherwise no piece between slashes and hyphens is split ("ad-platform"
      // may break after its hyphen; a date keeps its hyphens: "2026-02-20").
      const pieces = /(?:[^\/\-]|(?<=\d)-(?=\d))+/gu;
      for (let p; (p = pieces.exec(m[0])); ) {
        const start = m.index + p.index;
        const lines = new Set(rects(start, start + p[0].length).map((x) => Math.round(x.top)));
        if (lines.size > 1) out.broken.push(p[0]);
      }
    }
  }
  // Tab order is document order (the theme sets no positive tabindex): each
  // next stop is lower on the screen, or on the same line to the right.
  const stops = [...document.querySelectorAll(
    "header a[href], header summary, header input, main a[href], main button, main input, main select, main summary, main [tabindex='0']"
  )].filter((e) => e.checkVisibility() && e.tabIndex >= 0 && !e.closest(".table-scroll, .journey-scroll"));
  for (let i = 1; i < stops.length; i++) {
    const a = stops[i - 1].getBoundingClientRect();
    const b = stops[i].getBoundingClientRect();
    if (!(b.top >= a.top - 2 || (b.top < a.bottom && b.left >= a.right - 2))) {
      out.order.push(stops[i - 1].outerHTML.slice(0, 80) + " before " + stops[i].outerHTML.slice(0, 80));
    }
  }
  return out;
})()
