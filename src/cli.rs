//! Command line (placeholder until the clap CLI lands): `dossier [--db PATH]`
//! opens the terminal UI.

use std::path::PathBuf;
use std::process::ExitCode;

pub fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut db: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--db" => db = args.next().map(PathBuf::from),
            other => {
                eprintln!("dossier: unknown argument '{other}'");
                return ExitCode::from(2);
            }
        }
    }
    let path = db.unwrap_or_else(crate::store::default_db_path);
    let result = crate::store::Store::open(&path)
        .map_err(anyhow::Error::from)
        .and_then(|store| crate::tui::run(store, None));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dossier: {e:#}");
            ExitCode::FAILURE
        }
    }
}
