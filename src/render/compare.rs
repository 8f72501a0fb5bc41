//! The comparison of personas: the page shows the first `DEFAULT` active
//! personas side by side; `search/compare.js` holds every active persona's
//! column, so the compare script can show any 2 to 4 the reader picks
//! (their ids in the page's URL).

use super::library::data_script;
use super::taxonomy::Kind;
use super::url;
use super::view::{Avatar, Link, PersonaCard};
use super::{Meta, Renderer, Template};
use crate::diagnostic::Diagnostic;
use crate::model::persona::Status;
use crate::model::{site_path, Persona};
use serde::Serialize;

type Output = Result<super::OutFile, Diagnostic>;

/// How many personas the page shows before the reader picks.
pub const DEFAULT: usize = 4;

const COMPARE_TEXT: &str = "Active personas side by side, field by field: pick two to four.";

/// One cell: a text, a list or a link (all empty: a dash).
#[derive(Serialize)]
struct CompareCell<'a> {
    text: Option<&'a str>,
    items: &'a [String],
    link: Option<Link<'a>>,
}

#[derive(Serialize)]
struct CompareRow<'a> {
    label: &'static str,
    cells: Vec<CompareCell<'a>>,
}

/// A persona the reader can pick.
#[derive(Serialize)]
struct Pick<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct ComparePage<'a> {
    personas: Vec<PersonaCard<'a>>,
    rows: Vec<CompareRow<'a>>,
    /// Every active persona, for the pickers.
    choices: Vec<Pick<'a>>,
    data_src: String,
}

/// One persona's column for the script: its head and a cell per row.
#[derive(Serialize)]
struct DataColumn<'a> {
    id: &'a str,
    name: &'a str,
    href: String,
    avatar: Avatar,
    cells: Vec<CompareCell<'a>>,
}

/// The rows of the table: a label and what each persona shows in it.
type Field<'a> = (&'static str, fn(&'a Persona) -> Cell<'a>);

/// What a persona shows in a row, before links are made.
enum Cell<'a> {
    Text(Option<&'a str>),
    Items(&'a [String]),
    Segment(Option<&'a str>),
}

fn fields<'a>() -> [Field<'a>; 15] {
    [
        ("Role", |p| Cell::Text(p.role.as_deref())),
        ("Segment", |p| Cell::Segment(p.segment.as_deref())),
        ("Age", |p| Cell::Text(p.age.as_deref())),
        ("Location", |p| Cell::Text(p.location.as_deref())),
        ("Purchasing role", |p| Cell::Text(p.purchasing_role.as_deref())),
        ("Quote", |p| Cell::Text(p.quote.as_deref())),
        ("Goals", |p| Cell::Items(&p.goals)),
        ("Challenges", |p| Cell::Items(&p.challenges)),
        ("Attitudes", |p| Cell::Items(&p.attitudes)),
        ("Values", |p| Cell::Items(&p.values)),
        ("Interests", |p| Cell::Items(&p.interests)),
        ("Tools and devices", |p| Cell::Items(&p.preferred_tech)),
        ("Channels", |p| Cell::Items(&p.channels)),
        ("What we offer them", |p| Cell::Items(&p.key_benefits)),
        ("Owner", |p| Cell::Text(p.owner.as_deref())),
    ]
}

impl<'a> Renderer<'a> {
    fn active_personas(&self) -> Vec<usize> {
        (0..self.hb.personas.len()).filter(|&i| self.hb.personas[i].status == Status::Active).collect()
    }

    fn compare_cell(&self, root: &str, cell: Cell<'a>) -> CompareCell<'a> {
        let empty = CompareCell { text: None, items: &[], link: None };
        match cell {
            Cell::Text(text) => CompareCell { text, ..empty },
            Cell::Items(items) => CompareCell { items, ..empty },
            Cell::Segment(s) => CompareCell { link: s.map(|s| self.term_link(root, Kind::Segment, s)), ..empty },
        }
    }

    pub(super) fn compare(&self) -> Output {
        let hb = self.hb;
        let dir = &url::section_dir(site_path::COMPARE);
        let root = self.root_for(dir);
        let root: &str = &root;
        let active = self.active_personas();
        let shown = &active[..active.len().min(DEFAULT)];
        let rows = fields()
            .into_iter()
            .map(|(label, f)| CompareRow {
                label,
                cells: shown.iter().map(|&i| self.compare_cell(root, f(&hb.personas[i]))).collect(),
            })
            .collect();
        let view = ComparePage {
            personas: shown.iter().map(|&i| self.persona_card(root, i)).collect(),
            rows,
            choices: active.iter().map(|&i| Pick { id: &hb.personas[i].id, name: &hb.personas[i].name }).collect(),
            data_src: url::file_href(root, site_path::COMPARE_DATA_FILE),
        };
        let meta = Meta { dir, title: "Compare personas", section: "compare", description: COMPARE_TEXT };
        self.render_page(root, &meta, Template("compare.html", "compare"), &view)
    }

    /// `search/compare.js`: every active persona's column, hrefs relative
    /// to the comparison page.
    pub(super) fn compare_data(&self) -> Output {
        let hb = self.hb;
        let root = self.root_for(&url::section_dir(site_path::COMPARE));
        let root: &str = &root;
        let columns: Vec<DataColumn<'a>> = self
            .active_personas()
            .into_iter()
            .map(|i| {
                let p = &hb.personas[i];
                DataColumn {
                    id: &p.id,
                    name: &p.name,
                    href: self.persona_link(root, i).href,
                    avatar: self.avatar(root, i),
                    cells: fields().into_iter().map(|(_, f)| self.compare_cell(root, f(p))).collect(),
                }
            })
            .collect();
        data_script(site_path::COMPARE_DATA_FILE, "compare", &columns)
    }
}
