//! The resolver's view of links inside bodies and journey texts. The
//! grammar (what a wiki link, a `.md` link or a URL is) lives in
//! `crate::links`, which the renderer and `import` use too, so all three
//! agree on what a link is; what a link points at is `Handbook::lookup`'s
//! decision.

pub use crate::links::{
    file_target, has_empty_label, join_content_path, refused_urls, wiki_target, BodyLink, RefusedUrl, Target,
};

/// Every wiki link and `.md` link in a Markdown body, in order.
pub fn extract(body: &str) -> Vec<BodyLink> {
    crate::links::body_links(body)
}

/// Wiki links in a plain text field (journey entries), with each as written.
pub fn extract_from_text(text: &str) -> Vec<(Target, String)> {
    crate::links::text_links(text).filter_map(|l| Some((l.target.clone()?, l.written()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Collection;

    #[test]
    fn text_fields() {
        let t = extract_from_text("Read [[roi-guide|the guide]] then [[persona:ana]] and [[ ]]");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].1, "[[roi-guide|the guide]]");
        assert_eq!(t[1].0, Target::Wiki { collection: Some(Collection::Persona), id: "ana".into() });
    }
}
