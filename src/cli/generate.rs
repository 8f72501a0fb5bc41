//! `completions` and `man`: the shell completion scripts and the man page,
//! generated from the same clap definition as the parser, so they never
//! fall behind the flags.

use super::{Cli, Outcome};
use clap::CommandFactory;
use personabook::Error;
use std::io::Write;

/// `completions SHELL`: the script on stdout.
pub(super) fn completions(shell: clap_complete::Shell) -> Result<Outcome, Error> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "personabook", &mut script);
    print_bytes(&script)
}

/// `man`: the roff man page on stdout.
pub(super) fn man() -> Result<Outcome, Error> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| Error::Usage(format!("cannot render the man page: {e}")))?;
    print_bytes(&page)
}

/// Writes to stdout; a closed pipe (`| head`) is no error worth a message.
fn print_bytes(bytes: &[u8]) -> Result<Outcome, Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Usage(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(Outcome::Done),
    }
}
