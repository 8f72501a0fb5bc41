//! A Markdown body through every scanner that reads links from it (the
//! resolver's, the URL warnings', the journey-text one) and through the
//! renderer: no panic, and with raw HTML escaped, no `href` or `src` on the
//! page that the URL filter would refuse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use personabook::model::links;
use personabook::model::resolve::ResolveOptions;
use personabook::render::markdown::{body_html, LinkContext};
use std::sync::OnceLock;

fn handbook() -> &'static personabook::model::Handbook {
    static HB: OnceLock<personabook::model::Handbook> = OnceLock::new();
    HB.get_or_init(|| {
        let loaded = personabook::load::Loaded {
            root: ".".into(),
            config: Default::default(),
            files: Vec::new(),
            unreadable: Vec::new(),
            diagnostics: Vec::new(),
            analytics: Vec::new(),
        };
        let today = personabook::pipeline::today();
        personabook::model::resolve::resolve(loaded, ResolveOptions { include_drafts: true, today }).0
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let _ = links::extract(body);
    let _ = links::refused_urls(body);
    let _ = links::extract_from_text(body);
    let cx = LinkContext { hb: handbook(), root: "../../", content_path: "personas/fuzz.md" };
    let _ = body_html(&cx, body, true, &["goals"]);
    let html = body_html(&cx, body, false, &["goals"]);
    // With raw HTML escaped, every `<` on the page opens a tag the renderer wrote.
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        for attr in [" href=\"", " src=\""] {
            for (i, _) in tag.match_indices(attr) {
                let value = &tag[i + attr.len()..];
                let value = &value[..value.find('"').unwrap_or(value.len())];
                assert!(personabook::parsers::refused_scheme(value).is_none(), "live URL {value:?} from {body:?}");
            }
        }
    }
});
