//! The known exports, recognised by their header row: which column holds
//! the page URL says which report a file is, and a table of header names
//! says which columns hold the metrics. docs/analytics.md lists the
//! headers matched, and the version of each report they come from.

use super::{ExportKind, Field};

/// The page-URL header of each known report (compared without case).
/// The generic form's `url` is matched first, and only in lower case, so a
/// HubSpot `URL` column is HubSpot's.
const URL_HEADERS: &[(ExportKind, &[&str])] = &[
    (
        ExportKind::Ga4Pages,
        &[
            "Page path and screen class",
            "Page path + query string and screen class",
            "Page path + query string",
            "Page path",
            "Page location",
        ],
    ),
    (ExportKind::Ga4Landing, &["Landing page", "Landing page + query string"]),
    (ExportKind::SearchConsolePages, &["Top pages"]),
    (ExportKind::HubspotAttribution, &["Asset URL", "Interaction URL"]),
    (ExportKind::HubspotContent, &["URL", "Page URL", "Content URL"]),
];

/// The header names of each field in the known reports, in order of
/// preference (a GA4 export of 2024 may hold both `Key events` and the
/// older `Conversions`: the first found is read).
const FIELD_HEADERS: &[(Field, &[&str])] = &[
    (Field::Views, &["Views", "Screen page views", "Page views", "Pageviews", "Clicks"]),
    (Field::Sessions, &["Sessions", "Entrances"]),
    (Field::Users, &["Active users", "Users", "Total users"]),
    (
        Field::Conversions,
        &[
            "Key events",
            "Conversions",
            "Contacts created",
            "New contacts",
            "Contacts",
            "Form submissions",
            "Submissions",
        ],
    ),
    (Field::Revenue, &["Total revenue", "Revenue", "Attributed revenue", "Purchase revenue"]),
    (Field::Date, &["Date", "Day"]),
    (Field::Segment, &["Content group", "Persona", "Segment", "Audience"]),
];

/// A header row read: the report it is and the column of each field found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub kind: ExportKind,
    /// (field, column index), at most one per field.
    pub columns: Vec<(Field, usize)>,
}

impl Shape {
    /// The column of `field`, if the file has one.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns.iter().find(|(f, _)| *f == field).map(|&(_, i)| i)
    }

    /// Sets (or replaces) the column of `field`.
    pub fn set(&mut self, field: Field, column: usize) {
        self.columns.retain(|(f, _)| *f != field);
        self.columns.push((field, column));
        self.columns.sort();
    }
}

fn position(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h.trim().eq_ignore_ascii_case(name))
}

/// Recognises a header row. `None` when no column names a page URL (the
/// caller may still map one with `columns:`).
pub fn recognise(header: &[String]) -> Shape {
    let generic = header.iter().position(|h| h.trim() == "url");
    let (kind, url) = match generic {
        Some(i) => (ExportKind::Generic, Some(i)),
        None => URL_HEADERS
            .iter()
            .find_map(|(kind, names)| names.iter().find_map(|n| position(header, n)).map(|i| (*kind, Some(i))))
            .unwrap_or((ExportKind::Generic, None)),
    };
    let mut columns: Vec<(Field, usize)> = url.map(|i| (Field::Url, i)).into_iter().collect();
    for &(field, names) in FIELD_HEADERS {
        let found = if kind == ExportKind::Generic {
            header.iter().position(|h| h.trim() == field.word())
        } else {
            names.iter().find_map(|n| position(header, n))
        };
        columns.extend(found.map(|i| (field, i)));
    }
    columns.sort();
    Shape { kind, columns }
}

/// The report whose URL header is `name`, or generic.
pub fn kind_of_url_header(name: &str) -> ExportKind {
    URL_HEADERS
        .iter()
        .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(name.trim())))
        .map_or(ExportKind::Generic, |(k, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ga4_pages_and_screens() {
        let h = header(&[
            "Page path and screen class",
            "Views",
            "Active users",
            "Views per active user",
            "Average engagement time per active user",
            "Event count",
            "Key events",
            "Total revenue",
        ]);
        let s = recognise(&h);
        assert_eq!(s.kind, ExportKind::Ga4Pages);
        assert_eq!(s.column(Field::Url), Some(0));
        assert_eq!(s.column(Field::Views), Some(1));
        assert_eq!(s.column(Field::Users), Some(2));
        assert_eq!(s.column(Field::Conversions), Some(6));
        assert_eq!(s.column(Field::Revenue), Some(7));
    }

    #[test]
    fn the_other_reports() {
        let sc = recognise(&header(&["Top pages", "Clicks", "Impressions", "CTR", "Position"]));
        assert_eq!((sc.kind, sc.column(Field::Views)), (ExportKind::SearchConsolePages, Some(1)));
        let lp = recognise(&header(&["Landing page", "Sessions", "Active users", "Key events"]));
        assert_eq!((lp.kind, lp.column(Field::Sessions)), (ExportKind::Ga4Landing, Some(1)));
        let hs = recognise(&header(&["Page title", "URL", "Page views", "Entrances", "New contacts"]));
        assert_eq!((hs.kind, hs.column(Field::Conversions)), (ExportKind::HubspotContent, Some(4)));
        let generic = recognise(&header(&["url", "views", "Views"]));
        assert_eq!((generic.kind, generic.column(Field::Views)), (ExportKind::Generic, Some(1)));
        assert_eq!(recognise(&header(&["a", "b"])).column(Field::Url), None);
    }
}
