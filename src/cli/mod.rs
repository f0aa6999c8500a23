//! The command line: `dossier [--db PATH] <command>`. Every write goes
//! through the same [`Store`] calls the TUI uses.

mod agenda;
mod args;
mod classify;
pub mod crash_writer;
mod fields;
mod interchange;
pub mod log;
mod output;
mod run;
mod search;
mod team;

pub use args::{Cli, Command};

use clap::Parser;
use std::process::ExitCode;

/// Entry point of the `dossier` binary.
pub fn main() -> ExitCode {
    // `dossier list customers | head` should end quietly, like other Unix
    // tools, instead of panicking on a closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let log = log::init();
    log::install_panic_hook(log);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match run::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // The message may quote what was typed (an email, a name): only
            // at debug level.
            tracing::info!("command failed");
            tracing::debug!("command failed: {err:#}");
            eprintln!(
                "error: {}",
                crate::domain::text::sanitize_for_terminal(&format!("{err:#}"))
            );
            ExitCode::FAILURE
        }
    }
}

/// Prints a usage error (or help) with anything typed stripped of escape
/// sequences, since clap repeats the offending value.
fn usage_error(e: clap::Error) -> ExitCode {
    let text = crate::domain::text::sanitize_multiline(&e.render().to_string());
    if e.use_stderr() {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    ExitCode::from(e.exit_code().clamp(0, 255) as u8)
}
