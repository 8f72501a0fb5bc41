//! The verbs that write files for a user: `init`, `new` and `import`.

use super::{NewKind, Outcome, Verbosity};
use personabook::Error;
use std::path::{Path, PathBuf};

pub(super) fn init(dir: &Path, say: Verbosity) -> Result<Outcome, Error> {
    let files = personabook::scaffold::init(dir, personabook::pipeline::today())?;
    if !say.tells() {
        return Ok(Outcome::Done);
    }
    for f in &files {
        println!("created {}", f.display());
    }
    println!("\nA new handbook is ready. Next:");
    if dir != Path::new(".") {
        println!("  cd {}", dir.display());
    }
    for (command, what) in [
        ("personabook serve", "preview it at http://127.0.0.1:3000/, reloading on every save"),
        ("personabook new persona \"Maria Lopez\"", "add a persona (also: new asset \"Title\")"),
        ("personabook check", "check every file and reference"),
        ("personabook build", "write the site into public/"),
    ] {
        println!("  {command:<38} {what}");
    }
    Ok(Outcome::Done)
}

pub(super) fn new(root: &Path, what: NewKind, say: Verbosity) -> Result<Outcome, Error> {
    use personabook::scaffold::{new_file, NewKind as Kind};
    let (kind, name) = match &what {
        NewKind::Persona { name } => (Kind::Persona, name),
        NewKind::Asset { title } => (Kind::Asset, title),
    };
    let created = new_file(root, kind, name, personabook::pipeline::today())?;
    if !say.tells() {
        return Ok(Outcome::Done);
    }
    // `./content/...` reads better as `content/...` in the folder it names.
    let shown = created.path.strip_prefix(".").unwrap_or(&created.path);
    println!("created {} ({} id \"{}\")", shown.display(), created.collection.word(), created.id);
    println!(
        "It is a draft (`status: draft`), left out of the site: `personabook serve --drafts` shows it, \
         and `status: active` in its front matter publishes it."
    );
    Ok(Outcome::Done)
}

pub(super) fn import(
    root: &Path,
    format: &str,
    src: &Path,
    into: Option<PathBuf>,
    say: Verbosity,
) -> Result<Outcome, Error> {
    use personabook::import;
    let format = import::Format::parse(format)?;
    let into = into.unwrap_or_else(|| {
        root.join(personabook::layout::CONTENT_DIR)
            .join(personabook::layout::Collection::Persona.folder().unwrap_or_default())
    });
    say.detail(format_args!("importing into {}", into.display()));
    let report = import::import(format, src, root, &into)?;
    let failed = report.failed() > 0;
    // Under --quiet, the report only when some files could not be imported.
    if failed || say.tells() {
        println!("{report}");
    }
    Ok(if failed { Outcome::Problems } else { Outcome::Done })
}
