//! The packed files' forms, the reload script's place and gzip members.

use super::*;

fn page() -> Vec<u8> {
    let row = "<li><a href=\"../../personas/ana/index.html\">Ana</a></li>\n";
    format!("<!doctype html><body><ul>{}</ul></body>", row.repeat(200)).into_bytes()
}

#[test]
fn gzip_is_taken_when_named_or_starred_with_weight() {
    let takes = |value: &str| {
        let mut h = HeaderMap::new();
        h.insert(
            ACCEPT_ENCODING,
            hyper::header::HeaderValue::from_str(value).unwrap_or(hyper::header::HeaderValue::from_static("")),
        );
        accepts_gzip(&h)
    };
    assert!(takes("gzip, deflate, br"));
    assert!(takes("br;q=1.0, GZIP;q=0.5"));
    assert!(takes("*"));
    assert!(!takes("gzip;q=0"));
    assert!(!takes("*, gzip;q=0.000"));
    assert!(!takes("identity"));
    assert!(!takes("deflate, br"));
    assert!(!accepts_gzip(&HeaderMap::new()));
}

#[test]
fn compressible_files_shrink_and_come_back_whole() {
    let packed = Packed::new(page());
    assert!(packed.held() < page().len() / 4);
    assert_eq!(packed.plain().as_deref(), Ok(&page()[..]));
    assert!(packed.gzip().is_some());
}

#[test]
fn large_files_are_compressed_in_pieces_that_make_one_stream() {
    let large: Vec<u8> = page().into_iter().cycle().take(3 * PIECE + 12345).collect();
    let packed = Packed::new(large.clone());
    assert!(packed.compressed());
    assert_eq!(packed.plain().as_deref(), Ok(&large[..]));
    assert_eq!(packed, Packed::new(large));
}

#[test]
fn packing_is_deterministic_and_tells_files_apart() {
    assert_eq!(Packed::new(page()), Packed::new(page()));
    let mut other = page();
    other[40] = b'X';
    assert_ne!(Packed::new(page()), Packed::new(other));
}

#[test]
fn incompressible_and_empty_files_stay_as_they_are() {
    let mut x = 0x9e37_79b9_7f4a_7c15_u64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect();
    let packed = Packed::new(noise.clone());
    assert_eq!(packed.plain().as_deref(), Ok(&noise[..]));
    assert!(packed.gzip().is_none());
    assert_eq!(Packed::new(Vec::new()).plain().as_deref(), Ok(&[][..]));
}

#[test]
fn pending_files_pack_later_and_compare_by_content() {
    let pending = Packed::pending(page());
    assert!(!pending.compressed());
    assert_eq!(pending.plain().as_deref(), Ok(&page()[..]));
    let packed = pending.packed().unwrap_or_else(|| Packed::new(Vec::new()));
    assert_eq!(packed, Packed::new(page()));
    assert!(packed.same(&pending) && pending.same(&packed));
    let mut other = page();
    other[40] = b'X';
    assert!(!packed.same(&Packed::pending(other.clone())));
    assert!(!packed.same(&Packed::new(other)));
    assert_eq!(packed.packed(), None);
}

#[test]
fn bytes_not_packed_here_are_kept_plain() {
    for odd in [vec![], vec![1, 2, 3], b"plain text that has no trailer at all".to_vec()] {
        assert_eq!(Packed::from_packed(odd.clone()).plain().as_deref(), Ok(&odd[..]));
    }
}

#[test]
fn gzip_members_have_the_plain_bytes_checksum_and_length() {
    let member = Packed::new(page()).gzip().unwrap_or_default();
    assert_eq!(member[..3], [0x1f, 0x8b, 8]);
    let n = member.len();
    assert_eq!(member[n - 8..n - 4], zlib_rs::crc32::crc32(0, &page()).to_le_bytes());
    assert_eq!(member[n - 4..], (page().len() as u32).to_le_bytes());
    assert_eq!(gunzip(&member), page());
}

/// A gzip member, inflated; zlib checks its CRC-32 and length.
fn gunzip(member: &[u8]) -> Vec<u8> {
    let n = member.len();
    let len = u32::from_le_bytes(member[n - 4..].try_into().unwrap_or_default()) as usize;
    let mut out = vec![0u8; len];
    let (plain, rc) = zlib_rs::decompress_slice(&mut out, member, InflateConfig { window_bits: 16 + 15 });
    assert_eq!((rc, plain.len()), (ReturnCode::Ok, len));
    out
}

#[test]
fn the_reload_point_is_before_the_last_body_end_tag_near_the_end() {
    assert_eq!(reload_point(b"<p>x</p></BODY></html>"), 8);
    assert_eq!(reload_point(b"<p>no body</p>"), 14);
    assert_eq!(reload_point(b"</body></body>\n"), 7);
    let far = [&b"<p></body>"[..], &[b' '; 5000]].concat();
    assert_eq!(reload_point(&far), far.len());
}

#[test]
fn the_script_goes_in_at_the_reload_point_compressed_or_not() {
    let script = b"<script src=\"__personabook/livereload.js\"></script>";
    let large: Vec<u8> = page().into_iter().cycle().take(2 * PIECE + 999).chain(b"</body></html>".to_vec()).collect();
    let no_body = page().iter().copied().filter(|&b| b != b'/').collect::<Vec<u8>>();
    for file in [page(), large, no_body, b"<body></body>".to_vec(), Vec::new()] {
        let at = reload_point(&file);
        let want = [&file[..at], &script[..], &file[at..]].concat();
        let packed = Packed::new(file.clone());
        let got = match packed.with_script(script, true) {
            Ok(Scripted::Gzip(member)) => gunzip(&member),
            Ok(Scripted::Plain(plain)) => plain,
            Err(Corrupt) => Vec::new(),
        };
        assert_eq!(got, want, "{} bytes", file.len());
        assert_eq!(packed.with_script(script, false), Ok(Scripted::Plain(want.clone())));
        assert_eq!(Packed::pending(file).with_script(script, true), Ok(Scripted::Plain(want)));
    }
    assert!(matches!(Packed::new(page()).with_script(script, true), Ok(Scripted::Gzip(_))));
}
