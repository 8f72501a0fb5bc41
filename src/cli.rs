//! The command line: argument parsing with clap and one function per verb.
//! Each verb calls the library and prints what it returns; an error is
//! printed, with its exit code, in one place ([`run`]). No pipeline logic
//! lives here.

use clap::{Parser, Subcommand, ValueEnum};
use personabook::Error;
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
}

/// How a command that ran to its end went.
enum Outcome {
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
fn require_root(root: &Path) -> Result<(), Error> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(Error::Usage(format!("{} is not a folder (--root)", root.display())))
    }
}

/// `serve`: until Ctrl-C (or a termination signal, as a container stop
/// sends), printing what the server tells; a second Ctrl-C leaves at once.
fn serve(root: &Path, port: u16, bind: &str, open: bool, drafts: bool, poll: bool) -> Result<Outcome, Error> {
    use personabook::pipeline::{BuildOptions, Incremental};
    use personabook::serve::{self, ServeOptions, Server};
    let bind = serve::parse_bind(bind).map_err(Error::Usage)?;
    if let Some(warning) = serve::exposure_warning(bind) {
        eprintln!("{warning}");
    }
    let (events, told) = std::sync::mpsc::channel();
    let opts = ServeOptions { bind, port, poll, events: Some(events), ..ServeOptions::new(root) };
    let server = Server::start(opts, Incremental::new(BuildOptions { drafts, ..BuildOptions::new(root) }))?;
    // What the first build told comes before the address, then the rest as it happens.
    for event in told.try_iter() {
        eprintln!("{event}");
    }
    std::thread::spawn(move || told.iter().for_each(|event| eprintln!("{event}")));
    let (stop, stopped) = std::sync::mpsc::channel();
    let mut signals = 0;
    let handler = ctrlc::set_handler(move || {
        signals += 1;
        if signals > 1 {
            // A second Ctrl-C while a long build finishes: leave now.
            std::process::exit(130);
        }
        let _ = stop.send(());
    });
    if let Err(e) = handler {
        eprintln!("warning: cannot catch Ctrl-C ({e}); it will stop the server abruptly");
    }
    eprintln!("serving {} at {} (Ctrl-C to stop)", server.root_display(), server.url());
    if open {
        open_browser(&server.url());
    }
    let _ = stopped.recv();
    eprintln!("stopping");
    server.stop();
    Ok(Outcome::Done)
}

/// Opens `url` in the desktop's browser; a failure is only a warning.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = cmd.arg(url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn();
    if let Err(e) = spawned {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}

fn import(root: &Path, format: &str, src: &Path, into: Option<PathBuf>) -> Result<Outcome, Error> {
    use personabook::import;
    let format = import::Format::parse(format)?;
    let into = into.unwrap_or_else(|| root.join("content").join("personas"));
    let report = import::import(format, src, root, &into)?;
    println!("{report}");
    Ok(if report.failed() > 0 { Outcome::Problems } else { Outcome::Done })
}

fn check(root: &Path, format: Format) -> Result<Outcome, Error> {
    require_root(root)?;
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
            eprintln!("{}", personabook::pipeline::check_summary(&hb, &diags));
        }
    }
    // The process ends now: freeing the whole model first would only cost time.
    std::mem::forget(hb);
    Ok(if diags.has_errors() { Outcome::Problems } else { Outcome::Done })
}

fn init(dir: &Path) -> Result<Outcome, Error> {
    let files = personabook::scaffold::init(dir)?;
    for f in &files {
        println!("created {}", f.display());
    }
    println!("\nA new handbook is ready. Next:\n  cd {}\n  personabook serve", dir.display());
    Ok(Outcome::Done)
}

fn new(root: &Path, what: NewKind) -> Result<Outcome, Error> {
    use personabook::scaffold::{new_file, NewKind as Kind};
    let (kind, name) = match &what {
        NewKind::Persona { name } => (Kind::Persona, name),
        NewKind::Asset { title } => (Kind::Asset, title),
    };
    let path = new_file(root, kind, name, personabook::pipeline::today())?;
    println!("created {}", path.display());
    Ok(Outcome::Done)
}

fn build(root: &Path, drafts: bool, output: Option<PathBuf>, base_url: Option<String>) -> Result<Outcome, Error> {
    use personabook::pipeline::{self, BuildOptions};
    require_root(root)?;
    let started = std::time::Instant::now();
    let opts = BuildOptions { drafts, base_url, ..BuildOptions::new(root) };
    let written = pipeline::build_to_disk(&opts, output.as_deref())?;
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
    Ok(Outcome::Done)
}
