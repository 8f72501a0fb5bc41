//! The command line: argument parsing with clap and one function per verb.
//! Each verb calls the library and prints what it returns; an error is
//! printed, with its exit code, in one place ([`run`]). No pipeline logic
//! lives here.

mod build;
mod check;
mod files;
mod serve;

use build::build;
use check::check;
use clap::{Parser, Subcommand, ValueEnum};
use files::{import, init, new};
use personabook::Error;
use serve::serve;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A static site generator for customer persona handbooks.
#[derive(Debug, Parser)]
#[command(name = "personabook", version, about)]
pub struct Cli {
    /// The handbook folder (holds handbook.yaml and content/).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build {
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Output folder (default: output_dir from handbook.yaml, else public/).
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Absolute URL the site is published at (for sitemap and canonical links).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Validate the handbook and write nothing; exit 1 on errors.
    Check {
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Serve a live preview that rebuilds and reloads on every save.
    Serve {
        #[arg(long, default_value_t = 3000)]
        port: u16,
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Poll for changes instead of using file-system events (network drives, containers).
        #[arg(long)]
        poll: bool,
    },
    /// Create a new handbook with a small working example.
    Init {
        /// Folder to create (default: the --root folder).
        dir: Option<PathBuf>,
    },
    /// Create a new persona or asset file from a template.
    New {
        #[command(subcommand)]
        what: NewKind,
    },
    /// Turn an existing persona collection into personabook files.
    Import {
        /// persona-library or pages.
        format: String,
        /// The file or folder to import from.
        src: PathBuf,
        /// Where to write (default: the handbook's content/personas/).
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewKind {
    /// A new persona: `new persona "Maria Lopez"`.
    Persona { name: String },
    /// A new content asset: `new asset "The ROI of Marketing Ops"`.
    Asset { title: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// A SARIF 2.1.0 log (code scanning).
    Sarif,
}

/// How a command that ran to its end went.
pub(crate) enum Outcome {
    /// All done: exit 0.
    Done,
    /// Done, and it found problems it has printed (`check` with errors, an
    /// import that skipped files): exit 1.
    Problems,
}

/// Runs the parsed command and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Check { format } => check(&cli.root, format),
        Command::Build { drafts, output, base_url } => build(&cli.root, drafts, output, base_url),
        Command::Serve { port, bind, open, drafts, poll } => serve(&cli.root, port, &bind, open, drafts, poll),
        Command::Init { dir } => init(dir.as_deref().unwrap_or(&cli.root)),
        Command::New { what } => new(&cli.root, what),
        Command::Import { format, src, into } => import(&cli.root, &format, &src, into),
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// The handbook folder must exist before anything reads it.
pub(crate) fn require_root(root: &Path) -> Result<(), Error> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(Error::Usage(format!("{} is not a folder (--root)", root.display())))
    }
}
