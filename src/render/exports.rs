//! Files for machines: the search index, `handbook.json`, `content-map.csv`
//! and `sitemap.xml`. Each is written straight into one buffer.

use super::markdown::escape_into;
use super::{url, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::{site_path, Collection, Handbook};
use crate::problem::RenderProblem;
use serde::Serialize;
use std::io::Write;

/// The global the search script reads (`search/index.js` sets it).
pub const SEARCH_GLOBAL: &str = "PERSONABOOK_SEARCH";

/// One searchable page. Short keys keep the index small (the search script reads them).
#[derive(Serialize)]
struct SearchEntry<'a> {
    #[serde(rename = "t")]
    title: &'a str,
    /// URL relative to the site root.
    #[serde(rename = "u")]
    url: String,
    #[serde(rename = "k")]
    kind: SearchKind,
    #[serde(rename = "d")]
    description: &'a str,
    /// More words to match (role, segment, tags, topics, format).
    #[serde(rename = "x")]
    words: String,
}

/// What a search result is, as the search page shows it.
#[derive(Debug, Clone, Copy, Serialize)]
enum SearchKind {
    Persona,
    Asset,
    Page,
    Stage,
}

/// A serialisation error as a diagnostic at the export it broke.
fn export_error(file: &str, e: &serde_json::Error) -> Diagnostic {
    Diagnostic::error(file, 1, 1, RenderProblem::Export { error: e.to_string() })
}

/// `search/index.js`: a script that sets `window.PERSONABOOK_SEARCH` to every
/// page's title, URL and summary. A script (not JSON fetched at runtime)
/// so search works from disk, where browsers refuse `fetch` of local files.
pub(crate) fn search_index(r: &Renderer<'_>) -> Result<Vec<u8>, Diagnostic> {
    let hb = r.hb;
    let mut out = Vec::with_capacity(256 * (hb.personas.len() + hb.assets.len() + hb.pages.len()) + 64);
    let _ = write!(out, "window.{SEARCH_GLOBAL} = [");
    let mut first = true;
    let mut push = |e: SearchEntry<'_>| -> Result<(), Diagnostic> {
        if !first {
            out.push(b',');
        }
        first = false;
        out.push(b'\n');
        serde_json::to_writer(&mut out, &e).map_err(|e| export_error(site_path::SEARCH_INDEX_FILE, &e))
    };
    for p in &hb.personas {
        let mut x = Vec::new();
        x.extend(p.role.as_deref());
        x.extend(p.segment.as_deref());
        x.extend(p.location.as_deref());
        x.extend(p.tags.iter().map(String::as_str));
        push(SearchEntry {
            title: &p.name,
            url: url::href("", &url::dir_of(Collection::Persona, &p.id)),
            kind: SearchKind::Persona,
            description: p.summary.as_deref().or(p.role.as_deref()).unwrap_or(""),
            words: x.join(" "),
        })?;
    }
    for (i, a) in hb.assets.iter().enumerate() {
        let mut x = Vec::new();
        x.extend(a.format.as_deref());
        x.extend(a.topics.iter().map(String::as_str));
        x.extend(a.tags.iter().map(String::as_str));
        push(SearchEntry {
            title: &a.title,
            url: url::href("", &url::dir_of(Collection::Asset, &a.id)),
            kind: SearchKind::Asset,
            description: &r.asset_summaries[i],
            words: x.join(" "),
        })?;
    }
    for (i, g) in hb.pages.iter().enumerate() {
        push(SearchEntry {
            title: &g.title,
            url: url::href("", &url::dir_of(Collection::Page, &g.id)),
            kind: SearchKind::Page,
            description: &r.page_summaries[i],
            words: String::new(),
        })?;
    }
    for s in &hb.config.stages {
        push(SearchEntry {
            title: &s.name,
            url: url::href("", &url::stage_dir(&s.id)),
            kind: SearchKind::Stage,
            description: &s.description,
            words: s.id.clone(),
        })?;
    }
    out.extend_from_slice(b"\n];\n");
    Ok(out)
}

/// `handbook.json`: the resolved model as the model types serialise it.
pub fn handbook_json(hb: &Handbook) -> Result<Vec<u8>, Diagnostic> {
    let mut out = Vec::with_capacity(1024 * (hb.personas.len() + hb.assets.len()) + 4096);
    serde_json::to_writer(&mut out, hb).map_err(|e| export_error(site_path::JSON_FILE, &e))?;
    out.push(b'\n');
    Ok(out)
}

/// `content-map.csv`: one `persona,stage,asset` row per mapping (ids), in
/// content-map order; fields quoted when they need it (RFC 4180). With
/// analytics, each row also carries the asset's joined figures.
pub fn content_map_csv(hb: &Handbook) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * hb.assets.len() + 32);
    let evidence = hb.evidence.as_ref();
    out.extend_from_slice(if evidence.is_some() { EVIDENCE_HEADER } else { b"persona,stage,asset\r\n" });
    for (&pi, cells) in hb.content_map.rows.iter().zip(&hb.content_map.cells) {
        let persona = &hb.personas[pi].id;
        for (stage, assets) in hb.config.stages.iter().zip(cells) {
            for &ai in assets {
                csv_field(&mut out, persona);
                out.push(b',');
                csv_field(&mut out, &stage.id);
                out.push(b',');
                csv_field(&mut out, &hb.assets[ai].id);
                if let Some(ev) = evidence {
                    evidence_fields(&mut out, &ev.assets[ai].total);
                }
                out.extend_from_slice(b"\r\n");
            }
        }
    }
    out
}

/// The header of `content-map.csv` with analytics.
const EVIDENCE_HEADER: &[u8] = b"persona,stage,asset,views,sessions,users,conversions,revenue,conversion_rate\r\n";

/// An asset's joined figures as CSV cells (plain numbers; the rate a
/// fraction, empty without visits).
fn evidence_fields(out: &mut Vec<u8>, m: &crate::analytics::Metrics) {
    for v in [m.views, m.sessions, m.users, m.conversions, m.revenue] {
        let _ = write!(out, ",{v}");
    }
    out.push(b',');
    if let Some(r) = m.rate() {
        let _ = write!(out, "{r:.6}");
    }
}

/// Writes one CSV cell. A cell a spreadsheet would read as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading
/// `'` and quotes, as OWASP advises against CSV injection; ids are the
/// writer's file names, so one could start with any of these.
fn csv_field(out: &mut Vec<u8>, field: &str) {
    let formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let needs_quotes =
        formula || field.contains([',', '"', '\n', '\r']) || field.starts_with(' ') || field.ends_with(' ');
    if needs_quotes {
        out.push(b'"');
        if formula {
            out.push(b'\'');
        }
        out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

/// `sitemap.xml`: every page's folder URL under `base_url`.
pub fn sitemap(hb: &Handbook, paths: &[String]) -> Vec<u8> {
    let mut base = hb.config.base_url.clone();
    if !base.ends_with('/') {
        base.push('/');
    }
    let mut out = String::with_capacity(64 * paths.len() + 128);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        let Some(dir) = path.strip_suffix("index.html") else { continue };
        if !(dir.is_empty() || dir.ends_with('/')) {
            continue;
        }
        let mut loc = base.clone();
        url::push_encoded(&mut loc, dir);
        out.push_str("  <url><loc>");
        escape_into(&mut out, &loc);
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        let mut out = Vec::new();
        csv_field(&mut out, "a,b \"c\"");
        assert_eq!(out, b"\"a,b \"\"c\"\"\"");
        let mut out = Vec::new();
        csv_field(&mut out, "plain/id");
        assert_eq!(out, b"plain/id");
    }

    #[test]
    fn csv_neutralises_formulas() {
        for (cell, want) in [
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("+1", "\"'+1\""),
            ("-2+3", "\"'-2+3\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("\tx", "\"'\tx\""),
            ("\rx", "\"'\rx\""),
            ("a-b", "a-b"),
        ] {
            let mut out = Vec::new();
            csv_field(&mut out, cell);
            assert_eq!(String::from_utf8_lossy(&out), want, "{cell:?}");
        }
    }
}
