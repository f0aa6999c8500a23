//! Import and export: CSV, vCard and the JSON backup.
//!
//! Imports go through the store's write paths (bulk customer upsert with
//! the same validation as a form, or the per-record functions), so a bad
//! row is reported with its line and never half written.

pub mod columns;
mod csv_import;
pub mod decode;
mod export;
pub mod ics;
mod json;
mod report;
mod rows;
mod salvage;
mod shaped;
mod vcard;
mod vcard_raw;

pub use export::{export, guard_cell, unguard_cell, ExportOptions};
pub use report::{Action, ImportReport, Rejected};

use crate::domain::Kind;
use crate::store::{Store, StoreError};
use std::path::Path;
use thiserror::Error;

/// The file formats dossier reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Vcf,
    Json,
    /// CSV in Google Contacts' column layout (export only; imports read it
    /// as any CSV).
    GoogleCsv,
    /// CSV in Outlook's column layout (export only).
    OutlookCsv,
}

impl Format {
    /// Guesses the format from the file name, else from the first bytes.
    pub fn detect(path: &Path, bytes: &[u8]) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("vcf" | "vcard") => return Format::Vcf,
            Some("json") => return Format::Json,
            Some("csv" | "tsv" | "txt") => return Format::Csv,
            _ => {}
        }
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]).to_ascii_uppercase();
        let head = head.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("BEGIN:VCARD") {
            Format::Vcf
        } else if head.starts_with('{') || head.starts_with('[') {
            Format::Json
        } else {
            Format::Csv
        }
    }
}

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The kind of record in a CSV file (vCards are always customers).
    pub kind: Kind,
    /// `COLUMN=FIELD` overrides of the automatic column mapping.
    pub maps: Vec<String>,
    /// Work out what would happen; write nothing.
    pub dry_run: bool,
    /// Show a progress bar on stderr for large files.
    pub progress: bool,
    /// The file's encoding (`gbk`, `windows-1252`, `shift_jis`, …) when
    /// detection gets it wrong.
    pub encoding: Option<String>,
    /// The CSV file has no header line: columns are named 1, 2, 3, … for
    /// `--map 1=name`.
    pub no_header: bool,
    /// Do not classify now: the book is marked for a sweep at the next
    /// start (or `dossier classify`). For very large imports.
    pub defer_classify: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            kind: Kind::Customer,
            maps: Vec::new(),
            encoding: None,
            no_header: false,
            dry_run: false,
            progress: false,
            defer_classify: false,
        }
    }
}

/// Why an import or export could not run at all (row problems are in the
/// report instead).
#[derive(Debug, Error)]
pub enum InterchangeError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
    #[error("{0}")]
    Format(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for InterchangeError {
    fn from(e: rusqlite::Error) -> Self {
        InterchangeError::Store(e.into())
    }
}

pub type Result<T, E = InterchangeError> = std::result::Result<T, E>;

/// Imports a file, guessing its format.
pub fn import_file(store: &mut Store, path: &Path, opts: &ImportOptions) -> Result<ImportReport> {
    let bytes = std::fs::read(path).map_err(|source| InterchangeError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let format = Format::detect(path, &bytes);
    import_bytes(store, &bytes, format, opts)
}

/// Imports bytes in a known format.
pub fn import_bytes(
    store: &mut Store,
    bytes: &[u8],
    format: Format,
    opts: &ImportOptions,
) -> Result<ImportReport> {
    let forced = match &opts.encoding {
        Some(name) => Some(decode::encoding_named(name).map_err(InterchangeError::Format)?),
        None => None,
    };
    let decoded = decode::decode(bytes, forced);
    let text = decoded.text;
    let mut report = ImportReport::default();
    report.dry_run = opts.dry_run;
    report.encoding = Some(decoded.encoding.name().to_string());
    for line in decoded.bad_lines {
        report.warn(
            line,
            format!(
                "bytes that are not valid {} (shown as �) — check this line's text, or name the file's encoding with --encoding",
                decoded.encoding.name()
            ),
        );
    }
    match format {
        Format::Csv | Format::GoogleCsv | Format::OutlookCsv => {
            csv_import::import(store, &text, opts, &mut report)?
        }
        Format::Vcf => {
            if opts.kind != Kind::Customer {
                return Err(InterchangeError::Format(crate::tr!(
                    "import-vcard-customers-only"
                )));
            }
            vcard::import(store, &text, opts, &mut report)?
        }
        Format::Json => json::import(store, &text, opts, &mut report)?,
    }
    Ok(report)
}

/// Imports up to this many rows classify each customer as it is written;
/// larger ones classify the whole book in one sweep at the end (set-based
/// and parallel, much faster than row by row at that size).
pub const CLASSIFY_EACH_UP_TO: usize = 20_000;

/// Whether an import of about `rows` rows classifies each row as it goes.
fn classify_each(opts: &ImportOptions, rows: usize) -> bool {
    !opts.defer_classify && rows <= CLASSIFY_EACH_UP_TO
}

/// Classifies the book after a large import (nothing to do on a dry run).
fn sweep_after(store: &mut Store, opts: &ImportOptions, report: &mut ImportReport) -> Result<()> {
    if !opts.dry_run && !opts.defer_classify {
        let sweep = store.sweep(false)?;
        report.classified_by_sweep_ms = Some(sweep.elapsed_ms);
    }
    Ok(())
}

/// A progress bar on stderr for `total` bytes, hidden for small inputs,
/// when not asked for, or when stderr is not a terminal.
pub(crate) fn progress_bar(total: u64, wanted: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !wanted || total < 512 * 1024 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} importing [{bar:40}] {percent}% {bytes}/{total_bytes} ({eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
