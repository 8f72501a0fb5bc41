//! On paper, as a workshop prints it: headless Chromium prints pages to PDF
//! (DevTools `Page.printToPDF`) on A4 and on Letter, and the pages are
//! counted. A persona profile is a one-page portrait sheet (the example's
//! personas, and the persona with the longest lists of a generated corpus);
//! "Print full profile" adds the narrative on the following pages; a
//! journey map is one landscape page of whichever paper was chosen.

use crate::browser::Browser;
use crate::harness::fixtures;
use crate::phone::{build, built_example, html_pages, open_file, Built};
use serde_json::{json, Value};
use std::path::Path;

/// Paper sizes in inches, portrait, as a print dialog offers them.
const A4: (f64, f64) = (8.27, 11.69);
const LETTER: (f64, f64) = (8.5, 11.0);
const PAPERS: [(&str, (f64, f64)); 2] = [("A4", A4), ("Letter", LETTER)];

/// What a printed PDF is: its page count and the first page's size in inches.
struct Printed {
    pages: usize,
    width: f64,
    height: f64,
}

/// Prints the open page on `paper` (the page's own `@page` size wins where
/// it names one, as in a browser's print dialog) and reads the PDF.
fn print(b: &mut Browser, paper: (f64, f64)) -> Printed {
    let r = b.call(
        "Page.printToPDF",
        json!({"paperWidth": paper.0, "paperHeight": paper.1, "preferCSSPageSize": true, "printBackground": false}),
    );
    let pdf = base64(r["data"].as_str().expect("PDF data"));
    let text = String::from_utf8_lossy(&pdf);
    // Every page object says `/Type /Page`; the page tree says `/Type /Pages`.
    let pages = text.match_indices("/Type /Page").filter(|(at, m)| !text[at + m.len()..].starts_with('s')).count();
    let media = text.split("/MediaBox [").nth(1).and_then(|s| s.split(']').next()).expect("a MediaBox");
    let n: Vec<f64> = media.split_whitespace().filter_map(|v| v.parse().ok()).collect();
    assert_eq!(n.len(), 4, "MediaBox {media}");
    Printed { pages, width: (n[2] - n[0]) / 72.0, height: (n[3] - n[1]) / 72.0 }
}

/// Standard base64 (what DevTools sends binary data as).
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()).map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let bits = chunk.iter().enumerate().fold(0u32, |acc, (i, d)| acc | u32::from(*d) << (18 - 6 * i));
        out.extend(bits.to_be_bytes()[1..chunk.len()].iter());
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.02
}

/// The persona profiles and journey maps of a built site.
fn profiles_and_journeys(out: &Path) -> (Vec<String>, Vec<String>) {
    let pages = html_pages(out);
    let profiles: Vec<String> =
        pages.iter().filter(|p| p.starts_with("personas/") && *p != "personas/index.html").cloned().collect();
    let journeys: Vec<String> = pages.iter().filter(|p| p.starts_with("journeys/")).cloned().collect();
    assert!(!profiles.is_empty() && profiles.len() == journeys.len(), "{profiles:?} {journeys:?}");
    (profiles, journeys)
}

/// The persona with the longest lists of a generated `medium` corpus.
fn longest_persona() -> Built {
    build(&fixtures().join("print/longest"))
}

fn assert_one_sheet(b: &mut Browser, out: &Path, page: &str, landscape: bool) {
    open_file(b, out, page);
    for (name, paper) in PAPERS {
        let printed = print(b, paper);
        assert_eq!(printed.pages, 1, "{page} prints on {} pages on {name}", printed.pages);
        let (w, h) = if landscape { (paper.1, paper.0) } else { paper };
        assert!(
            close(printed.width, w) && close(printed.height, h),
            "{page} on {name} is {:.2} x {:.2} in, not {w} x {h}",
            printed.width,
            printed.height
        );
    }
}

#[test]
fn a_persona_profile_prints_as_one_portrait_page_on_a4_and_on_letter() {
    let site = built_example();
    let (profiles, _) = profiles_and_journeys(&site.out);
    let longest = longest_persona();
    let mut b = Browser::launch();
    for page in &profiles {
        assert_one_sheet(&mut b, &site.out, page, false);
    }
    assert_one_sheet(&mut b, &longest.out, "personas/diego-sato/index.html", false);
}

#[test]
fn a_journey_map_prints_on_one_landscape_page_of_either_paper() {
    let site = built_example();
    let (_, journeys) = profiles_and_journeys(&site.out);
    let longest = longest_persona();
    let mut b = Browser::launch();
    for page in &journeys {
        assert_one_sheet(&mut b, &site.out, page, true);
    }
    assert_one_sheet(&mut b, &longest.out, "journeys/diego-sato/index.html", true);
}

/// Whether the element `selector` is rendered in the print layout.
fn printed(b: &mut Browser, selector: &str) -> Value {
    b.eval(&format!(
        "(() => {{ const e = document.querySelector('{selector}'); return !!e && e.checkVisibility(); }})()"
    ))
}

/// The sheet holds what persona tools export: portrait or initials, role,
/// quote, fact sheet, metrics, confidence and every list; not the narrative.
/// "Print full profile" prints it all, and the next print is a sheet again.
#[test]
fn the_sheet_holds_the_essentials_and_print_full_profile_adds_the_narrative() {
    let longest = longest_persona();
    let mut b = Browser::launch();
    open_file(&mut b, &longest.out, "personas/diego-sato/index.html");
    b.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
    for s in [".avatar-initials", ".profile-role", ".quote", ".fact-sheet", ".metrics", ".badge-info", ".print-footer"]
    {
        assert_eq!(printed(&mut b, s), json!(true), "{s} is on the sheet");
    }
    let lists = b.eval("[...document.querySelectorAll('.list-card')].filter(e => e.checkVisibility()).length");
    assert_eq!(lists, json!(8), "every list is on the sheet");
    for s in [".narrative", ".journey-section", "#content", ".source", ".site-header", ".profile-actions"] {
        assert_eq!(printed(&mut b, s), json!(false), "{s} is not on the sheet");
    }

    // The buttons (shown by print.js) set the mode, then open the print dialog.
    b.call("Emulation.setEmulatedMedia", json!({"media": ""}));
    b.eval("window.print = () => { window.__printedAs = document.documentElement.className; }; true");
    b.eval("document.querySelector('[data-print-mode=full]').click(); true");
    assert_eq!(b.eval("window.__printedAs"), json!("print-full"));
    b.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
    assert_eq!(printed(&mut b, ".narrative"), json!(true), "the full profile has the narrative");
    b.call("Emulation.setEmulatedMedia", json!({"media": ""}));
    let full = print(&mut b, A4);
    assert!(full.pages >= 2, "the full profile prints on {} page(s)", full.pages);
    b.eval("window.dispatchEvent(new Event('afterprint')); true");
    assert_eq!(b.eval("document.documentElement.className"), json!(""), "after printing, a sheet again");
    b.eval("document.querySelector('[data-print-mode=sheet]').click(); true");
    assert_eq!(b.eval("window.__printedAs"), json!(""));
    assert_eq!(print(&mut b, LETTER).pages, 1);
}

/// The Print buttons work opened from disk under the theme's strict
/// Content-Security-Policy (no inline handlers), and are hidden on paper.
#[test]
fn the_print_buttons_work_from_disk_and_stay_off_paper() {
    let longest = longest_persona();
    let mut b = Browser::launch();
    for (page, buttons) in [("personas/diego-sato/index.html", 2), ("journeys/diego-sato/index.html", 1)] {
        open_file(&mut b, &longest.out, page);
        let shown =
            b.eval("[...document.querySelectorAll('[data-print-mode]')].filter(e => e.checkVisibility()).length");
        assert_eq!(shown, json!(buttons), "{page}: the Print buttons show");
        b.eval("window.__prints = 0; window.print = () => { window.__prints += 1; }; true");
        b.eval("document.querySelector('[data-print-mode]').click(); true");
        assert_eq!(b.eval("window.__prints"), json!(1), "{page}: Print opens the print dialog");
        b.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
        assert_eq!(printed(&mut b, "[data-print-mode]"), json!(false), "{page}: no Print button on paper");
        b.call("Emulation.setEmulatedMedia", json!({"media": ""}));
    }
}
