//! `schema`: prints a JSON Schema for editors and CI, or, with no kind,
//! the list of kinds. The schemas come from `personabook::schema`.

use super::Outcome;
use clap::ValueEnum;
use personabook::schema::{schema as schema_of, stages_at, Kind};
use personabook::Error;
use std::io::Write;
use std::path::Path;

/// The files a schema can describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    Handbook,
    Persona,
    Asset,
    Page,
}

impl SchemaKind {
    fn kind(self) -> Kind {
        match self {
            SchemaKind::Handbook => Kind::Handbook,
            SchemaKind::Persona => Kind::Persona,
            SchemaKind::Asset => Kind::Asset,
            SchemaKind::Page => Kind::Page,
        }
    }
}

pub(super) fn schema(root: &Path, which: Option<SchemaKind>) -> Result<Outcome, Error> {
    let Some(which) = which else {
        let mut list = String::from("personabook schema KIND prints a JSON Schema (draft 2020-12) for:\n");
        for kind in Kind::ALL {
            list.push_str(&format!("  {:<9} {}\n", kind.word(), kind.files()));
        }
        list.push_str("\ne.g. personabook schema handbook > .vscode/handbook.schema.json (see docs/editors.md)");
        return Ok(print(&list));
    };
    let kind = which.kind();
    let stages = if kind.uses_stages() { stages_at(root) } else { None };
    match &stages {
        Some((_, problems)) if problems.iter().any(|d| d.is_error()) => eprintln!(
            "note: handbook.yaml has errors (`personabook check` shows them); the schema names the stages that could be read"
        ),
        None if kind.uses_stages() => eprintln!(
            "note: no handbook in {}: journey keys and asset stages accept any stage id (give --root to name its stages)",
            root.display()
        ),
        _ => {}
    }
    let schema = schema_of(kind, stages.as_ref().map(|(s, _)| s.as_slice()));
    // `{:#}` is serde_json's pretty printing, which cannot fail on a `Value`.
    Ok(print(&format!("{schema:#}")))
}

/// Prints `text` on stdout. A reader that went away (`| head`) ends the
/// output quietly; any other failure (a full disk) is said, with exit 1.
fn print(text: &str) -> Outcome {
    match writeln!(std::io::stdout().lock(), "{text}") {
        Ok(()) => Outcome::Done,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Outcome::Done,
        Err(e) => {
            eprintln!("error: cannot write the schema: {e}");
            Outcome::Problems
        }
    }
}
