use super::*;

/// A raw tree of blobs: names sorted, each with its id.
fn raw(entries: &[(String, [u8; 20])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, id) in entries {
        out.extend(b"100644 ");
        out.extend(name.as_bytes());
        out.push(0);
        out.extend(id);
    }
    out
}

/// Where each entry of a raw tree starts, and its end.
fn boundaries(data: &[u8]) -> Vec<usize> {
    let mut at = vec![0];
    while let Some(end) = entry_end(data, *at.last().unwrap_or(&0), 20) {
        at.push(end);
    }
    at
}

proptest::proptest! {
    /// The shared start and end are whole, equal entries on both sides,
    /// whatever bytes the ids hold (zero bytes and digits included).
    #[test]
    fn shared_ends_are_whole_equal_entries(
        names in proptest::collection::btree_set("[a-c0 ]{1,6}", 0..40),
        ids in proptest::collection::vec(proptest::array::uniform20(proptest::sample::select(vec![0u8, b'0', b' ', b'a', 7, 255])), 40),
        edits in proptest::collection::vec((0usize..40, 0u8..3), 0..4),
        page in proptest::bool::ANY,
    ) {
        let a: Vec<(String, [u8; 20])> = names.iter().cloned().zip(ids.iter().copied()).collect();
        let mut b = a.clone();
        for (at, op) in edits {
            let at = if b.is_empty() { 0 } else { at % b.len() };
            match op {
                0 if !b.is_empty() => b[at].1[at % 20] ^= 1,
                1 if !b.is_empty() => { b.remove(at); }
                _ => {
                    let name = format!("{}~", b.get(at).map_or("z", |e| e.0.as_str()));
                    if !b.iter().any(|e| e.0 == name) {
                        b.push((name, [0; 20]));
                        b.sort();
                    }
                }
            }
        }
        // Long trees cross the 4 KiB pages the comparison starts with.
        let grow = |t: &mut Vec<(String, [u8; 20])>| {
            if page {
                for i in 0..80 {
                    t.push((format!("zz{i:03}"), [i as u8; 20]));
                }
            }
        };
        let (mut a, mut b) = (a, b);
        grow(&mut a);
        grow(&mut b);
        let (da, db) = (raw(&a), raw(&b));
        let (p, s) = shared_ends(&da, &db, 20);
        proptest::prop_assert!(p + s <= da.len().min(db.len()));
        proptest::prop_assert_eq!(&da[..p], &db[..p]);
        proptest::prop_assert_eq!(&da[da.len() - s..], &db[db.len() - s..]);
        let (ba, bb) = (boundaries(&da), boundaries(&db));
        proptest::prop_assert!(ba.contains(&p) && bb.contains(&p));
        proptest::prop_assert!(ba.contains(&(da.len() - s)) && bb.contains(&(db.len() - s)));
        if da == db {
            proptest::prop_assert_eq!(p, da.len());
        }
    }
}
