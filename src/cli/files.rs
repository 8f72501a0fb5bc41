//! The verbs that write files for a user: `init`, `new` and `import`.

use super::{NewKind, Outcome};
use personabook::Error;
use std::path::{Path, PathBuf};

pub(super) fn init(dir: &Path) -> Result<Outcome, Error> {
    let files = personabook::scaffold::init(dir)?;
    for f in &files {
        println!("created {}", f.display());
    }
    println!("\nA new handbook is ready. Next:\n  cd {}\n  personabook serve", dir.display());
    Ok(Outcome::Done)
}

pub(super) fn new(root: &Path, what: NewKind) -> Result<Outcome, Error> {
    use personabook::scaffold::{new_file, NewKind as Kind};
    let (kind, name) = match &what {
        NewKind::Persona { name } => (Kind::Persona, name),
        NewKind::Asset { title } => (Kind::Asset, title),
    };
    let path = new_file(root, kind, name, personabook::pipeline::today())?;
    println!("created {}", path.display());
    Ok(Outcome::Done)
}

pub(super) fn import(root: &Path, format: &str, src: &Path, into: Option<PathBuf>) -> Result<Outcome, Error> {
    use personabook::import;
    let format = import::Format::parse(format)?;
    let into = into.unwrap_or_else(|| root.join("content").join("personas"));
    let report = import::import(format, src, root, &into)?;
    println!("{report}");
    Ok(if report.failed() > 0 { Outcome::Problems } else { Outcome::Done })
}
