//! What number a cell of an export holds, as the tools write them:
//! `1234`, `"1,234"`, `1234.5`, `12.5%`, `$1,234.00`, `-3`; a blank cell,
//! `-`, `(not set)` and `n/a` count as zero. A comma must separate groups
//! of three digits (a decimal comma, `1,5`, is refused rather than read
//! as fifteen).

/// The number in `cell`, or `None` when it is not one.
pub fn parse(cell: &str) -> Option<f64> {
    let t = cell.trim().trim_start_matches('\u{feff}');
    if t.is_empty()
        || matches!(t, "-" | "—" | "–")
        || t.eq_ignore_ascii_case("(not set)")
        || t.eq_ignore_ascii_case("n/a")
    {
        return Some(0.0);
    }
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let t = t.trim_start_matches(['$', '€', '£', '¥']).trim();
    let (percent, t) = match t.strip_suffix('%') {
        Some(rest) => (true, rest.trim_end()),
        None => (false, t),
    };
    let plain = ungroup(t)?;
    let mut value: f64 = plain.parse().ok().filter(|v: &f64| v.is_finite())?;
    if percent {
        value /= 100.0;
    }
    Some(if negative { -value } else { value })
}

/// The number in a cell as the CSV reader gives it: the whole numbers
/// most cells hold (`1234`, `1,234`, `41.00`) read from the bytes, the
/// rest as [`parse`] reads them. The same value either way.
pub fn parse_bytes(cell: &[u8]) -> Option<f64> {
    whole_number(cell).or_else(|| parse(&String::from_utf8_lossy(cell)))
}

/// Digits, in groups of three behind a first group of one to three when
/// there are commas, and a fraction of zeros; `None` for anything else or
/// a value past 2^53 (where an `f64` stops holding every whole number).
fn whole_number(cell: &[u8]) -> Option<f64> {
    let (int, frac) = match cell.iter().position(|&b| b == b'.') {
        Some(i) => (&cell[..i], &cell[i + 1..]),
        None => (cell, &[][..]),
    };
    if !frac.iter().all(|&b| b == b'0') {
        return None;
    }
    let (mut value, mut run, mut grouped) = (0u64, 0usize, false);
    for &b in int {
        match b {
            b'0'..=b'9' => {
                value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
                run += 1;
            }
            b',' if run == 3 || (!grouped && (1..=3).contains(&run)) => {
                grouped = true;
                run = 0;
            }
            _ => return None,
        }
    }
    let whole = if grouped { run == 3 } else { run > 0 };
    (whole && value <= 1 << 53).then_some(value as f64)
}

/// `1,234,567.8` -> `1234567.8`; `None` for a misplaced comma or any
/// character that is no digit or dot. Borrows when there is no comma.
fn ungroup(t: &str) -> Option<std::borrow::Cow<'_, str>> {
    if t.is_empty() || !t.bytes().all(|c| c.is_ascii_digit() || c == b'.' || c == b',') {
        return None;
    }
    if !t.contains(',') {
        return Some(std::borrow::Cow::Borrowed(t));
    }
    let (int, frac) = t.split_once('.').map_or((t, None), |(i, f)| (i, Some(f)));
    let mut groups = int.split(',');
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    if !first_ok || groups.any(|g| g.len() != 3) || frac.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let mut out: String = int.chars().filter(|&c| c != ',').collect();
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(std::borrow::Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_exports_write_them() {
        for (cell, want) in [
            ("1234", 1234.0),
            ("1,234", 1234.0),
            (" 1,234,567.5 ", 1_234_567.5),
            ("12.5%", 0.125),
            ("$1,200.00", 1200.0),
            ("-3", -3.0),
            ("", 0.0),
            ("(not set)", 0.0),
            ("-", 0.0),
        ] {
            assert_eq!(parse(cell), Some(want), "{cell:?}");
        }
    }

    #[test]
    fn bytes_read_as_text_is_read() {
        for cell in [
            "0",
            "7",
            "1234",
            "1,234",
            "12,345,678",
            "41.00",
            "5.",
            "007",
            "0,123",
            "1,2345",
            "12,34",
            ",123",
            "1,",
            "1.5",
            ".00",
            "1.2.3",
            "-3",
            " 12 ",
            "9007199254740993",
            "99999999999999999999",
            "",
        ] {
            assert_eq!(parse_bytes(cell.as_bytes()), parse(cell), "{cell:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_cell_reads_as_its_text(cell in "[0-9,.]{0,24}") {
            proptest::prop_assert_eq!(parse_bytes(cell.as_bytes()), parse(&cell));
        }
    }

    #[test]
    fn what_is_no_number() {
        for cell in ["abc", "1,5", "12,34", "1.2.3", "1e400", "12 apples", "1,234,5"] {
            assert_eq!(parse(cell), None, "{cell:?}");
        }
    }
}
