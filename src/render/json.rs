//! `handbook.json`: the resolved model as the model types serialise it,
//! written item by item. Each persona, asset and guide page is serialised
//! on its own (in parallel), so the preview keeps the items of the last
//! render ([`Items`]) and serialises again only those an edit reached. The
//! bytes are those of `serde_json::to_writer(&handbook)`: the object's keys
//! are written here in the order `Handbook` declares them (a test holds
//! the two together).

use crate::diagnostic::Diagnostic;
use crate::model::{site_path, Collection, Handbook, ItemRef};
use crate::problem::RenderProblem;
use rayon::prelude::*;
use serde::Serialize;

/// Each item's JSON, by collection, in model order.
#[derive(Debug, Default)]
pub(crate) struct Items {
    personas: Vec<Vec<u8>>,
    assets: Vec<Vec<u8>>,
    pages: Vec<Vec<u8>>,
}

impl Items {
    /// Every item of `hb` serialised.
    pub(crate) fn of(hb: &Handbook) -> Result<Items, Diagnostic> {
        Items::default().update(hb, |_| true)
    }

    /// These items (of a handbook with the same items under the same ids)
    /// with those `again` names serialised anew from `hb`; the rest kept.
    pub(crate) fn update(self, hb: &Handbook, again: impl Fn(ItemRef) -> bool + Sync) -> Result<Items, Diagnostic> {
        let again = &again;
        let renew = |collection| move |index| again(ItemRef { collection, index });
        Ok(Items {
            personas: each(self.personas, &hb.personas, renew(Collection::Persona))?,
            assets: each(self.assets, &hb.assets, renew(Collection::Asset))?,
            pages: each(self.pages, &hb.pages, renew(Collection::Page))?,
        })
    }
}

/// `items` serialised, reusing `kept[i]` where `again(i)` is false.
fn each<T: Serialize + Sync>(
    kept: Vec<Vec<u8>>,
    items: &[T],
    again: impl Fn(usize) -> bool + Sync,
) -> Result<Vec<Vec<u8>>, Diagnostic> {
    let mut kept: Vec<Option<Vec<u8>>> = kept.into_iter().map(Some).collect();
    kept.resize_with(items.len(), || None);
    kept.into_par_iter()
        .zip(items)
        .enumerate()
        .map(|(i, (old, item))| match old {
            Some(bytes) if !again(i) => Ok(bytes),
            _ => serde_json::to_vec(item).map_err(|e| error(&e)),
        })
        .collect()
}

/// `handbook.json` from the model and its items' JSON. The fields around
/// the items are serialised first, so the file is written into a buffer
/// of its final size: growing one of 10 MB would copy it.
pub(crate) fn handbook_json(hb: &Handbook, items: &Items) -> Result<Vec<u8>, Diagnostic> {
    let mut head = b"{".to_vec();
    field(&mut head, "config", &hb.config)?;
    head.push(b',');
    field(&mut head, "today", &hb.today)?;
    let mut tail = b",".to_vec();
    field(&mut tail, "content_map", &hb.content_map)?;
    tail.push(b',');
    field(&mut tail, "drafts", &hb.drafts)?;
    if let Some(evidence) = &hb.evidence {
        tail.push(b',');
        field(&mut tail, "evidence", evidence)?;
    }
    if let Some(history) = &hb.history {
        tail.push(b',');
        field(&mut tail, "history", history)?;
    }
    tail.extend_from_slice(b"}\n");
    let lists = [("personas", &items.personas), ("assets", &items.assets), ("pages", &items.pages)];
    let size: usize =
        lists.iter().map(|(key, list)| key.len() + 5 + list.iter().map(|b| b.len() + 1).sum::<usize>()).sum();
    let mut out = Vec::with_capacity(head.len() + size + tail.len());
    out.extend_from_slice(&head);
    for (key, list) in lists {
        out.extend_from_slice(format!(",\"{key}\":[").as_bytes());
        for (i, bytes) in list.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(bytes);
        }
        out.push(b']');
    }
    out.extend_from_slice(&tail);
    Ok(out)
}

fn field<T: Serialize>(out: &mut Vec<u8>, key: &str, value: &T) -> Result<(), Diagnostic> {
    serde_json::to_writer(&mut *out, key).map_err(|e| error(&e))?;
    out.push(b':');
    serde_json::to_writer(&mut *out, value).map_err(|e| error(&e))
}

/// A serialisation error as a diagnostic at `handbook.json`.
fn error(e: &serde_json::Error) -> Diagnostic {
    Diagnostic::error(site_path::JSON_FILE, 1, 1, RenderProblem::Export { error: e.to_string() })
}
