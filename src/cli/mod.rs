//! The command line: argument parsing with clap and one function per verb.
//! Each verb calls the library and prints what it returns; an error is
//! printed, with its exit code, in one place ([`run`]). No pipeline logic
//! lives here.

mod build;
mod check;
mod diff;
mod files;
mod generate;
mod progress;
mod root;
mod say;
mod schema;
mod serve;
mod style;

use build::build;
use check::check;
use clap::{Parser, Subcommand, ValueEnum};
use files::{import, init, new};
use personabook::diagnostic::Render;
use personabook::Error;
use say::Verbosity;
use schema::{schema, SchemaKind};
use serve::serve;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use style::{ColorWhen, Look};

/// A static site generator for customer persona handbooks.
#[derive(Debug, Parser)]
#[command(name = "personabook", version, about)]
pub struct Cli {
    /// The handbook folder (holds handbook.yaml and content/); default: the
    /// nearest one from the current folder up.
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print which handbook is used, where the output went, and counts.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// When to colour errors and warnings (auto: on a terminal; NO_COLOR and CLICOLOR_FORCE are obeyed).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
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
    Serve(serve::ServeArgs),
    /// Create a new handbook with a small working example.
    Init {
        /// Folder to create (default: the --root folder).
        dir: Option<PathBuf>,
    },
    /// Create a draft persona or asset file from a template.
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
    /// Print a shell completion script on stdout (see the README for where to put it).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout: `personabook man > personabook.1`.
    Man,
    /// Print a JSON Schema for handbook.yaml or front matter (editors, CI); no KIND lists them.
    Schema {
        /// What the schema describes.
        #[arg(value_enum, value_name = "KIND")]
        kind: Option<SchemaKind>,
    },
    /// What changed in personas, assets and the content map between two revisions (exit 0; 2 on errors).
    Diff {
        /// The base revision (default: the merge base of HEAD and the default branch).
        base: Option<String>,
        /// The revision to compare (default: the working tree).
        head: Option<String>,
        /// How to print it.
        #[arg(long, value_enum, default_value_t = diff::DiffFormat::Human)]
        format: diff::DiffFormat,
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
    let say = Verbosity::from_flags(cli.quiet, cli.verbose);
    let look = Look::detect(cli.color);
    let (given, needed) = (cli.root, |given| root::required(given, say));
    let result = match cli.command {
        Command::Check { format } => needed(given).and_then(|root| check(&root, format, say, look)),
        Command::Build { drafts, output, base_url } => {
            needed(given).and_then(|root| build(&root, drafts, output, base_url, say, look))
        }
        Command::Serve(args) => needed(given).and_then(|root| serve(&root, args, say, look)),
        Command::Init { dir } => init(&dir.or(given).unwrap_or_else(|| PathBuf::from(".")), say),
        Command::New { what } => new(&root::or_here(given, say), what, say),
        Command::Import { format, src, into } => import(&root::or_here(given, say), &format, &src, into, say),
        Command::Completions { shell } => generate::completions(shell),
        Command::Man => generate::man(),
        Command::Schema { kind } => schema(&root::or_here(given, say), kind),
        Command::Diff { base, head, format } => {
            needed(given).and_then(|root| diff::diff(&root, base.as_deref(), head.as_deref(), format, say))
        }
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(e) => {
            eprintln!("{}", e.styled(look.style));
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
