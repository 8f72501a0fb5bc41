//! `build`: the site on disk.

use super::progress::BuildProgress;
use super::{require_root, Look, Outcome, Verbosity};
use personabook::diagnostic::Render;
use personabook::Error;
use std::path::{Path, PathBuf};

pub(super) fn build(
    root: &Path,
    drafts: bool,
    output: Option<PathBuf>,
    base_url: Option<String>,
    say: Verbosity,
    look: Look,
) -> Result<Outcome, Error> {
    use personabook::pipeline::{self, BuildOptions};
    require_root(root)?;
    let started = std::time::Instant::now();
    let progress = BuildProgress::start(look.progress && say.tells());
    let opts = BuildOptions { drafts, base_url, progress: progress.progress(), ..BuildOptions::new(root) };
    let written = pipeline::build_to_disk(&opts, output.as_deref());
    // The line is gone before the warnings, the error or the summary.
    progress.finish();
    let written = written?;
    for d in written.diagnostics.iter().filter(|_| say.tells()) {
        eprintln!("{}\n", d.styled(look.style));
    }
    let s = &written.summary;
    say.detail(pipeline::build_counts(&written));
    say.detail(format_args!("output folder: {}", super::root::full(&written.out).display()));
    if !say.tells() {
        return Ok(Outcome::Done);
    }
    println!(
        "built {} pages ({} files, {:.1} MB) into {} in {:.2} s",
        s.pages,
        s.files,
        s.bytes as f64 / 1e6,
        written.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome::Done)
}
