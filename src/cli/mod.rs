//! The command line: `dossier [--db PATH] <command>`. Every write goes
//! through the same [`Store`] calls the TUI uses.

mod args;
mod classify;
mod fields;
mod interchange;
mod output;
mod run;

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
    let cli = Cli::parse();
    match run::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!(
                "error: {}",
                crate::domain::text::sanitize_for_terminal(&format!("{err:#}"))
            );
            ExitCode::FAILURE
        }
    }
}
