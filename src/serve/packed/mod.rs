//! The served site's files as they sit in memory: each compressed once, as
//! it is rendered (raw deflate at a fast level), so a large handbook's site
//! takes a fraction of its size; inflated again for each request that does
//! not take gzip, sent as it is (with a gzip header) to one that does.
//!
//! Compression is deterministic: the same bytes always pack the same way,
//! so comparing two packed files compares their contents, and an unchanged
//! file keeps its old allocation across builds. Files that do not shrink
//! (images, fonts) are kept as they are. A file can also be kept plain for
//! now ("pending"): a page made on demand, or a rebuilt file being
//! compared with the one served before it is compressed.
//!
//! A packed file is one buffer: the data, then a small trailer (the plain
//! bytes' CRC-32, a 64-bit hash and length, the form, and where the reload
//! script goes), so it travels through the renderer's
//! [`crate::render::Site`] as plain bytes do. A rebuilt file is told
//! unchanged by its trailer alone: a rebuild returns thousands of files,
//! and inflating each to compare would cost more than the rebuild.
//!
//! A page goes to the browser with the preview's reload script in it. The
//! data is compressed as two runs of pieces, the plain bytes before the
//! script's place (the "head", ending byte-aligned, the stream left open)
//! and after it (the "tail", ending the stream), so a gzip response is the
//! head, the script compressed alone, the tail, and a checksum combined
//! from the parts': no page is inflated or compressed again per request.

use hyper::header::{HeaderMap, ACCEPT_ENCODING};
use rayon::prelude::*;
use std::borrow::Cow;
use zlib_rs::{Deflate, DeflateConfig, DeflateFlush, InflateConfig, ReturnCode, Status};

/// zlib-rs's level 2: about 4x on the handbook's HTML and scripts at close
/// to 200 MB/s a core; level 1 is half again as fast but keeps a third
/// more bytes, and the levels above gain a few percent for twice the time.
const LEVEL: i32 = 2;
/// Files over a piece (`handbook.json`, the library's data) change with
/// most edits and are compressed again on each: level 1, for the time.
const LARGE_LEVEL: i32 = 1;
/// Raw deflate (no zlib header): the gzip response adds its own.
const WINDOW_BITS: i32 = -15;
/// CRC-32 (4), hash (8), plain length (8), form (1), then the cut (see
/// [`Cut`]): plain offset (8), data offset (8), the head's and the tail's
/// CRC-32 (4 + 4).
const TRAILER: usize = 45;
/// Plain: not worth compressing.
const STORED: u8 = 0;
const DEFLATED: u8 = 1;
/// Plain: not compressed yet.
const PENDING: u8 = 2;

/// One served file, packed (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Packed(Vec<u8>);

/// A packed file that does not inflate: a bug, answered with a 500.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a served file is corrupt in memory")]
pub(crate) struct Corrupt;

/// Packs `bytes`: compressed when that saves at least an eighth, else kept
/// as they are. The [`crate::render::Pack`] that `serve` gives the builder.
pub(crate) fn pack(mut bytes: Vec<u8>) -> Vec<u8> {
    let (sums, cut) = Sums::of(&bytes, reload_point(&bytes));
    if let Some(data) = deflated(&bytes, sums, cut) {
        return data;
    }
    bytes.reserve_exact(TRAILER);
    push_trailer(&mut bytes, sums, STORED, cut);
    bytes
}

/// `bytes` compressed, with its trailer, when that saves at least an eighth.
fn deflated(bytes: &[u8], sums: Sums, mut cut: Cut) -> Option<Vec<u8>> {
    let at = usize::try_from(cut.plain_at).ok()?;
    let (mut data, data_at) = deflate(bytes.get(..at)?, bytes.get(at..)?)?;
    if data.len() + data.len() / 8 >= bytes.len() {
        return None;
    }
    cut.data_at = data_at as u64;
    data.reserve_exact(TRAILER);
    push_trailer(&mut data, sums, DEFLATED, cut);
    Some(data)
}

/// Where the preview's reload script goes in a file: before the last
/// `</body` (any case) in its last 4 KiB, else at the end. A page's body
/// ends a few bytes before the file does; looking no further keeps this
/// cheap for the site's other files.
pub(crate) fn reload_point(bytes: &[u8]) -> usize {
    const TAG: &[u8] = b"</body";
    const NEAR_END: usize = 4096;
    let from = bytes.len().saturating_sub(NEAR_END + TAG.len());
    bytes[from..].windows(TAG.len()).rposition(|w| w.eq_ignore_ascii_case(TAG)).map_or(bytes.len(), |at| from + at)
}

/// What the trailer says of the plain bytes. Two files with equal sums
/// hold the same bytes but for a chance of about 2^-96 (a CRC-32 and an
/// independent 64-bit hash over the same length).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sums {
    crc: u32,
    hash: u64,
    len: u64,
}

/// Where the reload script goes (see [`reload_point`]), in the plain bytes
/// and in the data (where the head's pieces end; for plain data the same),
/// with the CRC-32 of the plain bytes before and after it, for a gzip
/// member's checksum with the script in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cut {
    plain_at: u64,
    data_at: u64,
    head_crc: u32,
    tail_crc: u32,
}

impl Sums {
    /// The sums of `bytes`, and its cut at `plain_at` (in plain data).
    fn of(bytes: &[u8], plain_at: usize) -> (Sums, Cut) {
        // A fixed seed: the same bytes hash the same in every build.
        let hash = std::hash::BuildHasher::hash_one(&foldhash::quality::FixedState::with_seed(0x7062), bytes);
        let (head, tail) = bytes.split_at(plain_at);
        let (head_crc, tail_crc) = (zlib_rs::crc32::crc32(0, head), zlib_rs::crc32::crc32(0, tail));
        let crc = zlib_rs::crc32::crc32_combine(head_crc, tail_crc, tail.len() as u64);
        let at = plain_at as u64;
        (Sums { crc, hash, len: bytes.len() as u64 }, Cut { plain_at: at, data_at: at, head_crc, tail_crc })
    }
}

/// Large files are compressed in pieces of this size, in parallel (the
/// search index and `handbook.json` change with most edits); each piece
/// ends on a full flush, so the pieces make one stream.
const PIECE: usize = 1 << 20;

/// The raw deflate stream of `head` then `tail`, and where the head's
/// pieces end in it (the head's last ends byte-aligned, the tail's ends the
/// stream), in a buffer of its own size; `None` if the compressor fails
/// (then the file is kept as it is).
fn deflate(head: &[u8], tail: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut pieces: Vec<(&[u8], DeflateFlush)> = head.chunks(PIECE).map(|p| (p, DeflateFlush::FullFlush)).collect();
    let heads = pieces.len();
    pieces.extend(tail.chunks(PIECE).map(|p| (p, DeflateFlush::FullFlush)));
    if tail.is_empty() {
        pieces.push((&[], DeflateFlush::Finish));
    } else if let Some(last) = pieces.last_mut() {
        last.1 = DeflateFlush::Finish;
    }
    let level = if head.len() + tail.len() <= PIECE { LEVEL } else { LARGE_LEVEL };
    let done: Vec<Vec<u8>> = if pieces.len() <= 2 {
        pieces.into_iter().map(|(piece, flush)| deflate_piece(piece, flush, level)).collect::<Option<_>>()?
    } else {
        pieces.into_par_iter().map(|(piece, flush)| deflate_piece(piece, flush, level)).collect::<Option<_>>()?
    };
    let data_at = done[..heads].iter().map(Vec::len).sum();
    let mut data = Vec::with_capacity(done.iter().map(Vec::len).sum::<usize>() + TRAILER);
    done.iter().for_each(|piece| data.extend_from_slice(piece));
    Some((data, data_at))
}

/// One piece: the last ends the stream, the others end byte-aligned with
/// nothing referring back across them.
fn deflate_piece(bytes: &[u8], flush: DeflateFlush, level: i32) -> Option<Vec<u8>> {
    let config = DeflateConfig { level, window_bits: WINDOW_BITS, ..DeflateConfig::default() };
    let mut z = Deflate::new_with_config(config);
    let mut out = vec![0u8; zlib_rs::compress_bound(bytes.len()) + 64];
    let want = if flush == DeflateFlush::Finish { Status::StreamEnd } else { Status::Ok };
    match z.compress(bytes, &mut out, flush) {
        Ok(status) if status == want && z.total_in() == bytes.len() as u64 => {}
        _ => return None,
    }
    let n = usize::try_from(z.total_out()).ok()?;
    let mut data = Vec::with_capacity(n + TRAILER);
    data.extend_from_slice(out.get(..n)?);
    Some(data)
}

fn push_trailer(data: &mut Vec<u8>, sums: Sums, form: u8, cut: Cut) {
    data.extend_from_slice(&sums.crc.to_le_bytes());
    data.extend_from_slice(&sums.hash.to_le_bytes());
    data.extend_from_slice(&sums.len.to_le_bytes());
    data.push(form);
    data.extend_from_slice(&cut.plain_at.to_le_bytes());
    data.extend_from_slice(&cut.data_at.to_le_bytes());
    data.extend_from_slice(&cut.head_crc.to_le_bytes());
    data.extend_from_slice(&cut.tail_crc.to_le_bytes());
}

impl Packed {
    /// Takes what [`pack`] made (a `packed` site's files). Bytes too short
    /// for that, or of no known form, are kept as plain bytes.
    pub fn from_packed(bytes: Vec<u8>) -> Packed {
        let packed = Packed(bytes);
        if packed.parts().is_some() {
            return packed;
        }
        Packed::pending(packed.0)
    }

    /// Packs plain bytes.
    #[cfg(test)]
    pub fn new(bytes: Vec<u8>) -> Packed {
        Packed(pack(bytes))
    }

    /// Keeps plain bytes as they are for now, to be packed later.
    pub fn pending(mut bytes: Vec<u8>) -> Packed {
        let (sums, cut) = Sums::of(&bytes, reload_point(&bytes));
        bytes.reserve_exact(TRAILER);
        push_trailer(&mut bytes, sums, PENDING, cut);
        Packed(bytes)
    }

    /// A pending file, packed, read in place (a rebuilt `handbook.json`
    /// is 10 MB: no copy of it first); `None` for any other.
    pub fn packed(&self) -> Option<Packed> {
        let (data, PENDING, sums, cut) = self.parts()? else { return None };
        if let Some(data) = deflated(data, sums, cut) {
            return Some(Packed(data));
        }
        let mut bytes = Vec::with_capacity(data.len() + TRAILER);
        bytes.extend_from_slice(data);
        push_trailer(&mut bytes, sums, STORED, cut);
        Some(Packed(bytes))
    }

    /// Whether the two hold the same bytes, told by their sums (see
    /// [`Sums`]): never inflated, whatever their forms.
    pub fn same(&self, other: &Packed) -> bool {
        match (self.parts(), other.parts()) {
            (Some((_, _, a, _)), Some((_, _, b, _))) => a == b,
            _ => self.0 == other.0,
        }
    }

    /// The data, its form, the plain bytes' sums and the cut.
    fn parts(&self) -> Option<(&[u8], u8, Sums, Cut)> {
        let at = self.0.len().checked_sub(TRAILER)?;
        let (data, t) = self.0.split_at(at);
        let u32_at = |i: usize| t.get(i..i + 4).and_then(|b| b.try_into().ok()).map(u32::from_le_bytes);
        let u64_at = |i: usize| t.get(i..i + 8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
        let sums = Sums { crc: u32_at(0)?, hash: u64_at(4)?, len: u64_at(12)? };
        let form = *t.get(20)?;
        let cut = Cut { plain_at: u64_at(21)?, data_at: u64_at(29)?, head_crc: u32_at(37)?, tail_crc: u32_at(41)? };
        let fits = match form {
            STORED | PENDING => data.len() as u64 == sums.len && cut.data_at == cut.plain_at,
            DEFLATED => true,
            _ => false,
        } && cut.plain_at <= sums.len
            && cut.data_at <= data.len() as u64;
        fits.then_some((data, form, sums, cut))
    }

    /// The plain bytes: borrowed when stored, inflated when compressed.
    pub fn plain(&self) -> Result<Cow<'_, [u8]>, Corrupt> {
        let (data, form, Sums { len, .. }, _) = self.parts().ok_or(Corrupt)?;
        if form != DEFLATED {
            return Ok(Cow::Borrowed(data));
        }
        let mut out = vec![0u8; usize::try_from(len).map_err(|_| Corrupt)?];
        let (plain, rc) = zlib_rs::decompress_slice(&mut out, data, InflateConfig { window_bits: WINDOW_BITS });
        if rc != ReturnCode::Ok || plain.len() != out.len() {
            return Err(Corrupt);
        }
        Ok(Cow::Owned(out))
    }

    /// The file as a gzip member, when it is stored compressed: the header,
    /// the data as it is, the trailer. `None`: send it plain.
    pub fn gzip(&self) -> Option<Vec<u8>> {
        let (data, form, sums, _) = self.parts()?;
        (form == DEFLATED).then(|| gzip_member(&[data], sums.crc, sums.len))
    }

    /// The file with `script` at its reload point, as a gzip member when it
    /// is stored compressed (the script compressed alone between the head
    /// and the tail, never the page again), else plain.
    pub fn with_script(&self, script: &[u8], gzip: bool) -> Result<Scripted, Corrupt> {
        let (data, form, sums, cut) = self.parts().ok_or(Corrupt)?;
        if gzip && form == DEFLATED {
            let middle = deflate_piece(script, DeflateFlush::FullFlush, LEVEL).ok_or(Corrupt)?;
            let (head, tail) = data.split_at(usize::try_from(cut.data_at).map_err(|_| Corrupt)?);
            let tail_len = sums.len - cut.plain_at;
            let crc =
                zlib_rs::crc32::crc32_combine(cut.head_crc, zlib_rs::crc32::crc32(0, script), script.len() as u64);
            let crc = zlib_rs::crc32::crc32_combine(crc, cut.tail_crc, tail_len);
            return Ok(Scripted::Gzip(gzip_member(&[head, &middle, tail], crc, sums.len + script.len() as u64)));
        }
        let plain = self.plain()?;
        let at = usize::try_from(cut.plain_at).map_err(|_| Corrupt)?;
        let mut body = Vec::with_capacity(plain.len() + script.len());
        body.extend_from_slice(&plain[..at]);
        body.extend_from_slice(script);
        body.extend_from_slice(&plain[at..]);
        Ok(Scripted::Plain(body))
    }

    /// Whether the file is kept plain for now, to be packed later.
    pub fn is_pending(&self) -> bool {
        self.parts().is_some_and(|(_, form, _, _)| form == PENDING)
    }

    /// Whether the file is kept compressed (it was worth it).
    #[cfg(test)]
    pub fn compressed(&self) -> bool {
        self.parts().is_some_and(|(_, form, _, _)| form == DEFLATED)
    }

    /// The plain bytes when they are kept as they are.
    pub fn stored_bytes(&self) -> Option<&[u8]> {
        let (data, form, _, _) = self.parts()?;
        (form != DEFLATED).then_some(data)
    }

    /// Bytes held.
    #[cfg(test)]
    pub fn held(&self) -> usize {
        self.0.len()
    }
}

/// A file with the reload script in it, as [`Packed::with_script`] gives it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Scripted {
    /// A gzip member.
    Gzip(Vec<u8>),
    Plain(Vec<u8>),
}

/// Whether `Accept-Encoding` takes gzip: `gzip` (or `*`, when gzip is not
/// named) with a weight above zero.
pub(crate) fn accepts_gzip(headers: &HeaderMap) -> bool {
    let (mut gzip, mut any) = (None, None);
    for value in headers.get_all(ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim();
            let mut weighed = parts.filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")));
            let takes = weighed.next_back().is_none_or(|q| q.trim().parse::<f32>().is_ok_and(|q| q > 0.0));
            if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                gzip = Some(takes);
            } else if name == "*" {
                any = Some(takes);
            }
        }
    }
    gzip.or(any).unwrap_or(false)
}

/// RFC 1952: magic, deflate, no flags, no time, no extra flags, unknown OS.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];

/// A gzip member of raw deflate `data`, in parts that make one stream.
fn gzip_member(data: &[&[u8]], crc: u32, len: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(GZIP_HEADER.len() + data.iter().map(|d| d.len()).sum::<usize>() + 8);
    out.extend_from_slice(&GZIP_HEADER);
    data.iter().for_each(|d| out.extend_from_slice(d));
    out.extend_from_slice(&crc.to_le_bytes());
    // ISIZE is the length modulo 2^32.
    out.extend_from_slice(&(len as u32).to_le_bytes());
    out
}

#[cfg(test)]
mod tests;
