//! The preview server's request-path check: never panics, and a path it
//! accepts can only name a file inside the site (no `..` or `.` segment,
//! no backslash or NUL, once %-decoded).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    if let Ok(path) = personabook::parsers::decode_path(raw) {
        assert!(path.starts_with('/'), "{raw:?} -> {path:?}");
        assert!(!path.contains(['\\', '\0']), "{raw:?} -> {path:?}");
        assert!(path.split('/').all(|seg| seg != ".." && seg != "."), "{raw:?} -> {path:?}");
        let joined = std::path::Path::new("/site").join(path.trim_start_matches('/'));
        assert!(joined.starts_with("/site"), "{raw:?} -> {joined:?}");
        assert!(joined.components().all(|c| !matches!(c, std::path::Component::ParentDir)), "{raw:?}");
    }
});
