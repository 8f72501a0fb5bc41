//! The command line: argument parsing with clap and one function per verb.
//! Each verb calls the library and turns its result into output and an
//! exit code; no pipeline logic lives here.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
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
}

/// Runs the parsed command and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check { format } => check(&cli.root, format),
        Command::Build { drafts, output, base_url } => build(&cli.root, drafts, output, base_url),
        Command::Serve { port, bind, open, drafts, poll } => serve(&cli.root, port, &bind, open, drafts, poll),
        Command::Init { dir } => init(dir.as_deref().unwrap_or(&cli.root)),
        Command::New { what } => new(&cli.root, what),
        Command::Import { format, src, into } => import(&cli.root, &format, &src, into),
    }
}

/// `serve`: exit 0 after Ctrl-C, 1 when the server cannot start, 2 for bad arguments.
fn serve(root: &std::path::Path, port: u16, bind: &str, open: bool, drafts: bool, poll: bool) -> ExitCode {
    use personabook::serve::{self, PipelineBuilder, ServeOptions};
    let bind = match serve::parse_bind(bind) {
        Ok(ip) => ip,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let opts = ServeOptions { bind, port, poll, ..ServeOptions::new(root) };
    let builder = PipelineBuilder::new(personabook::pipeline::BuildOptions {
        drafts,
        ..personabook::pipeline::BuildOptions::new(root)
    });
    match serve::run(opts, builder, open) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn import(root: &std::path::Path, format: &str, src: &std::path::Path, into: Option<PathBuf>) -> ExitCode {
    use personabook::import;
    let result = import::Format::parse(format).and_then(|f| {
        let into = into.unwrap_or_else(|| root.join("content").join("personas"));
        import::import(f, src, root, &into)
    });
    match result {
        Ok(report) => {
            println!("{report}");
            if report.failed() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e @ import::ImportError::Invalid(_)) => {
            // Each problem already reads `path:line:col: error: ...`.
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn check(root: &std::path::Path, format: Format) -> ExitCode {
    if !root.is_dir() {
        eprintln!("error: {} is not a folder (--root)", root.display());
        return ExitCode::from(2);
    }
    let opts = personabook::model::ResolveOptions { include_drafts: true, today: personabook::pipeline::today() };
    let (hb, diags) = personabook::pipeline::check(root, opts);
    match format {
        Format::Json => match serde_json::to_string_pretty(&diags.items) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("error: {e}"),
        },
        Format::Human => {
            for d in diags.iter() {
                eprintln!("{d}\n");
            }
            eprintln!(
                "checked {}, {}, {}: {}, {}",
                count(hb.personas.len(), "persona"),
                count(hb.assets.len(), "asset"),
                count(hb.pages.len(), "page"),
                count(diags.error_count(), "error"),
                count(diags.warning_count(), "warning"),
            );
        }
    }
    // The process ends now: freeing the whole model first would only cost time.
    std::mem::forget(hb);
    if diags.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `1 persona`, `3 personas`.
fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn init(dir: &std::path::Path) -> ExitCode {
    match personabook::scaffold::init(dir) {
        Ok(files) => {
            for f in &files {
                println!("created {}", f.display());
            }
            println!("\nA new handbook is ready. Next:\n  cd {}\n  personabook serve", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string(), &e.hint()),
    }
}

fn new(root: &std::path::Path, what: NewKind) -> ExitCode {
    use personabook::scaffold::{new_file, NewKind as Kind};
    let (kind, name) = match &what {
        NewKind::Persona { name } => (Kind::Persona, name),
        NewKind::Asset { title } => (Kind::Asset, title),
    };
    match new_file(root, kind, name, personabook::pipeline::today()) {
        Ok(path) => {
            println!("created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string(), &e.hint()),
    }
}

/// Prints an error with a hint and returns exit code 1.
fn fail(message: &str, hint: &str) -> ExitCode {
    eprintln!("error: {message}\n  = hint: {hint}");
    ExitCode::from(1)
}

fn build(
    root: &std::path::Path,
    drafts: bool,
    output: Option<std::path::PathBuf>,
    base_url: Option<String>,
) -> ExitCode {
    if !root.is_dir() {
        eprintln!("error: {} is not a folder (--root)", root.display());
        return ExitCode::from(2);
    }
    let started = std::time::Instant::now();
    let mut opts = personabook::pipeline::BuildOptions::new(root);
    opts.drafts = drafts;
    opts.base_url = base_url;
    let written = match personabook::pipeline::build_to_disk(&opts, output.as_deref()) {
        Ok(written) => written,
        Err(personabook::pipeline::BuildError::Handbook(diags)) => {
            eprintln!("{diags}");
            eprintln!("build failed; the output folder was not changed");
            return ExitCode::from(1);
        }
        Err(personabook::pipeline::BuildError::Output(e)) => return fail(&e.to_string(), e.hint()),
    };
    for d in written.diagnostics.iter() {
        eprintln!("{d}\n");
    }
    let s = &written.summary;
    println!(
        "built {} pages ({} files, {:.1} MB) into {} in {:.2} s",
        s.pages,
        s.files,
        s.bytes as f64 / 1e6,
        written.out.display(),
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
