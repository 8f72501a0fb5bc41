//! The schema of `handbook.yaml`: one property per setting `load::config`
//! knows, each with its default from `config::Config::default`.

use super::{boolean, mapping, object, or_null, set, text, whole_number, TEXT};
use crate::config::{Config, MAX_REVIEW_INTERVAL_DAYS, MAX_STAGES};
use crate::load::config::{KNOWN, MARKDOWN_KEYS, STAGE_KEYS};
use serde_json::{json, Value};

pub(super) fn schema() -> Value {
    let defaults = serde_json::to_value(Config::default()).unwrap_or(Value::Null);
    object(KNOWN, |key| {
        let mut property = setting(key)?;
        if let Some(default) = defaults.get(key) {
            set(&mut property, "default", default.clone());
        }
        Some(property)
    })
}

fn setting(key: &str) -> Option<Value> {
    Some(match key {
        "title" => text("The site's title."),
        "description" => text("Shown on the home page and in meta tags."),
        "base_url" => text(
            "The absolute URL where the site is published; used for the sitemap and canonical links only \
             (internal links are always relative).",
        ),
        "language" => text("The `lang` of every page."),
        "theme" => theme(),
        "output_dir" => text("Where `build` writes the site."),
        "stages" => stages(),
        "review_interval_days" => whole_number(
            "A persona whose `reviewed` date is older than this many days is overdue.",
            1,
            MAX_REVIEW_INTERVAL_DAYS,
        ),
        "markdown" => markdown(),
        "extra" => mapping("Free values for templates."),
        "analytics" => analytics(),
        "stale_after_days" => whole_number(
            "Content published longer ago than this many days, and losing visits, is listed as stale on the insights page (default 365).",
            1,
            MAX_REVIEW_INTERVAL_DAYS,
        ),
        _ => return None,
    })
}

fn markdown() -> Value {
    let mut section = or_null(object(MARKDOWN_KEYS, |key| {
        (key == "unsafe_html").then(|| boolean("false escapes raw HTML in Markdown bodies (default true)."))
    }));
    set(&mut section, "description", "How Markdown bodies are rendered.".into());
    section
}

/// A folder name under `themes/`: no path, not empty.
fn theme() -> Value {
    json!({
        "description": "The theme folder under themes/; files it lacks come from the built-in theme.",
        "type": TEXT,
        "pattern": "^[^/\\\\]+$",
        "not": { "enum": [".", ".."] },
    })
}

fn stages() -> Value {
    let mut stage = object(STAGE_KEYS, |key| {
        Some(match key {
            "id" => json!({
                "description": "The stage's id: journey keys and assets' `stages` name it (case is ignored).",
                "type": ["string", "number", "boolean"],
                "pattern": "\\S",
            }),
            "name" => text("Shown on pages; by default the id in title case."),
            "description" => text("What the buyer does at this stage."),
            _ => return None,
        })
    });
    set(&mut stage, "required", json!(["id"]));
    json!({
        "description": "The buying-journey stages, in order; each is a column of every journey map. \
                        Ids must be unique (ignoring case).",
        "type": ["array", "null"],
        "minItems": 1,
        "maxItems": MAX_STAGES,
        "items": stage,
    })
}

/// `analytics:`: the exports to join, each with an optional period and column mapping.
fn analytics() -> Value {
    use crate::analytics::Field;
    use crate::load::analytics_config::SOURCE_KEYS;
    let fields: Vec<&str> = Field::ALL.iter().map(|f| f.word()).collect();
    let mut entry = object(SOURCE_KEYS, |key| {
        Some(match key {
            "file" => json!({
                "description": "A CSV export inside the handbook (a data/ folder is the convention), e.g. data/ga4-pages-2026-q3.csv.",
                "type": TEXT,
                "pattern": "(?i)\\.csv$",
            }),
            "period" => json!({
                "description": "The days the export covers, YYYY-MM-DD..YYYY-MM-DD; else from a date column or the export's header lines.",
                "type": TEXT,
                "pattern": "^\\s*\\d{4}-\\d{2}-\\d{2}\\s*\\.\\.\\s*\\d{4}-\\d{2}-\\d{2}\\s*$",
            }),
            "columns" => json!({
                "description": "Which header name holds which field, for an export whose header is not recognised.",
                "type": ["object", "null"],
                "propertyNames": { "enum": fields },
                "additionalProperties": { "type": TEXT },
            }),
            _ => return None,
        })
    });
    set(&mut entry, "required", json!(["file"]));
    json!({
        "description": "Analytics exports (GA4, Search Console, HubSpot or generic CSV) joined to the library by URL.",
        "type": ["array", "null"],
        "items": entry,
    })
}
