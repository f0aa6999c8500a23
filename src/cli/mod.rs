//! The command line: `dossier [--db PATH] <command>`. Every write goes
//! through the same [`Store`] calls the TUI uses.

mod agenda;
mod args;
mod classify;
pub mod crash_writer;
mod fields;
pub mod help;
mod interchange;
mod labelled_csv;
pub mod log;
mod markdown;
mod output;
pub(crate) mod people;
mod run;
mod search;
mod team;

pub use args::{Cli, Command};
pub(crate) use people::field_label;
pub(crate) use search::field_name as search_field_name;

/// The catalog key of a field's label (`field-customer-city`), for the
/// catalog completeness test and the screens.
pub fn people_field_key(specs: &'static [crate::domain::fields::FieldSpec], name: &str) -> String {
    people::field_key(specs, name)
}

use clap::{CommandFactory, FromArgMatches};
use std::ffi::OsString;
use std::process::ExitCode;

/// The value of `--lang` on the command line, read before clap parses it
/// (the help clap prints must already be in that language).
fn lang_flag(args: &[OsString]) -> Option<String> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return it.next().map(|v| v.into_owned());
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Some(v.to_string());
        }
    }
    None
}

/// Chooses the language of this run: `--lang`, else `lang` in the config
/// file (`config.toml` in the config dir), else the locale.
pub fn choose_lang(args: &[OsString]) -> crate::i18n::Lang {
    let config = crate::classify::config_dir().map(|d| d.join("config.toml"));
    crate::i18n::choose(lang_flag(args).as_deref(), config.as_deref())
}

/// The command line's definition, with its help in the language in force.
pub fn command() -> clap::Command {
    help::localized(Cli::command(), crate::i18n::current())
}

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
    let args: Vec<OsString> = std::env::args_os().collect();
    crate::i18n::set(choose_lang(&args));
    let cli = match command()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
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
            let text = match err.downcast_ref::<crate::store::StoreError>() {
                Some(e) => people::store_error_text(e),
                None => format!("{err:#}"),
            };
            eprintln!(
                "{}",
                crate::tr!(
                    "cli-error",
                    message = crate::domain::text::sanitize_for_terminal(&text)
                )
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
