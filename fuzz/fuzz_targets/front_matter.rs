//! One content file of any text, as a persona, an asset or a guide page,
//! beside a known persona: front-matter splitting, YAML reading, every typed
//! field, resolving and rendering the whole site. The same text is also
//! read as `handbook.yaml`. Nothing may panic, whatever the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use personabook::load::{Collection, Loaded, SourceFile};

const KNOWN: &str = "---\nname: Ana Costa\nrelated: [fuzz]\njourney:\n  awareness: {goal: \"[[fuzz]]\", emotion: 1}\n---\nSee [[fuzz]].\n";

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let mut diagnostics = Vec::new();
    let config = personabook::config::Config::parse(text, &mut diagnostics);
    let _ = config.stages.len();
    let (collection, path) = match pick % 3 {
        0 => (Collection::Persona, "content/personas/fuzz.md"),
        1 => (Collection::Asset, "content/assets/fuzz.md"),
        _ => (Collection::Page, "content/fuzz.md"),
    };
    let files = vec![
        SourceFile::parse(path.to_string(), collection, text.to_string()),
        SourceFile::parse("content/personas/ana-costa.md".to_string(), Collection::Persona, KNOWN.to_string()),
    ];
    let loaded = Loaded {
        root: ".".into(),
        config: Default::default(),
        files,
        unreadable: Vec::new(),
        diagnostics: Vec::new(),
        analytics: Vec::new(),
    };
    let today = jiff::civil::date(2026, 12, 1);
    let opts = personabook::model::ResolveOptions { include_drafts: pick & 4 == 0, today };
    let (hb, diags) = personabook::model::resolve(loaded, opts);
    for d in diags.iter() {
        let _ = d.to_string();
    }
    if !diags.has_errors() {
        let theme = personabook::theme::Theme::built_in();
        let _ = personabook::render::render(&hb, &theme, Vec::new());
    }
});
