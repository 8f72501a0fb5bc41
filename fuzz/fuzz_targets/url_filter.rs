//! The URL filter: never panics, and nothing it lets through reads, once
//! decoded the simplest way a browser would, as a script or data scheme.
#![no_main]

use libfuzzer_sys::fuzz_target;
use personabook::parsers as safe_url;

fuzz_target!(|data: &[u8]| {
    let Ok(url) = std::str::from_utf8(data) else { return };
    let allowed = safe_url::allow(url);
    if let Some(kept) = allowed {
        assert!(safe_url::refused_scheme(kept).is_none(), "allowed but refused: {url:?}");
        let plain: String =
            kept.chars().filter(|c| !c.is_control() && !c.is_whitespace()).flat_map(char::to_lowercase).collect();
        for bad in ["javascript:", "vbscript:", "data:", "file:"] {
            assert!(!plain.starts_with(bad), "let through: {url:?}");
        }
    }
});
