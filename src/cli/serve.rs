//! `serve`: start the preview, print what it tells, stop on Ctrl-C.

use super::{Look, Outcome, Verbosity};
use personabook::diagnostic::{Render, Role, Style};
use personabook::Error;
use std::path::Path;

/// What `serve` takes on the command line.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
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
}

/// `serve`: until Ctrl-C (or a termination signal, as a container stop
/// sends), printing what the server tells; a second Ctrl-C leaves at once.
pub(super) fn serve(root: &Path, args: ServeArgs, say: Verbosity, look: Look) -> Result<Outcome, Error> {
    use personabook::pipeline::{BuildOptions, Incremental};
    use personabook::serve::{self, ServeOptions, Server};
    let ServeArgs { port, bind, open, drafts, poll } = args;
    let bind = serve::parse_bind(&bind).map_err(Error::Usage)?;
    if let Some(warning) = serve::exposure_warning(bind).filter(|_| say.tells()) {
        eprintln!("{warning}");
    }
    say.detail(if poll { "watching by polling" } else { "watching with file-system events" });
    let (events, told) = std::sync::mpsc::channel();
    let opts = ServeOptions { bind, port, poll, events: Some(events), ..ServeOptions::new(root) };
    let server = Server::start(opts, Incremental::new(BuildOptions { drafts, ..BuildOptions::new(root) }))?;
    // What the server told before it could serve (the first build's, or that
    // its pages come on demand) comes before the address, then the rest as it happens.
    // Under --quiet, only failed builds.
    let style = look.style;
    let tell = move |event: serve::Event| {
        if say.tells() || matches!(event, serve::Event::Failed { .. }) {
            eprintln!("{}", event.styled(style));
        }
    };
    told.try_iter().for_each(tell);
    std::thread::spawn(move || told.iter().for_each(tell));
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
        eprintln!("{}: cannot catch Ctrl-C ({e}); it will stop the server abruptly", warning(style));
    }
    if say.tells() {
        eprintln!("serving {} at {} (Ctrl-C to stop)", super::root::full(root).display(), server.url());
    }
    if open {
        open_browser(&server.url(), style);
    }
    let _ = stopped.recv();
    if say.tells() {
        eprintln!("stopping");
    }
    server.stop();
    Ok(Outcome::Done)
}

/// Opens `url` in the desktop's browser; a failure is only a warning.
fn open_browser(url: &str, style: Style) {
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
        eprintln!("{}: cannot open a browser ({e}); open {url} yourself", warning(style));
    }
}

fn warning(style: Style) -> impl std::fmt::Display {
    style.paint(Role::Warning, "warning")
}
