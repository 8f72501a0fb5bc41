//! Files for machines: `content-map.csv` and `sitemap.xml` (`handbook.json`
//! is `json.rs`, the search index `search.rs`). Each is written straight into one buffer.

use super::markdown::escape_into;
use super::url;
use crate::model::Handbook;
use std::io::Write;

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
