//! The command line: `dossier [--db PATH] <command>`. Every write goes
//! through the same [`Store`] calls the TUI uses.

mod args;
mod fields;
mod output;
mod run;

pub use args::{Cli, Command};

use clap::Parser;
use std::process::ExitCode;

/// Entry point of the `dossier` binary.
pub fn main() -> ExitCode {
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
