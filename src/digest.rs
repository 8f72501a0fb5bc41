//! The one hash of file bytes: how the preview tells a real change from a
//! save of the same bytes, and how the output writer tells a file it may
//! keep from one it must rewrite.

/// A hash of `bytes` (SipHash, keyed the same in every run, so a record
/// written by one build is read by the next; a collision would only skip
/// a rebuild or a write).
pub fn hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}
