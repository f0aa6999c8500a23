//! `import`, `export`, `duplicates`, `merge`, `unmerge`.

use super::args::{FormatArg, KindArg, ShapeArg};
use super::output::pad;
use crate::domain::text::sanitize_for_terminal as clean;
use crate::domain::Kind;
use crate::interchange::{self, Action, ExportOptions, Format, ImportOptions};
use crate::store::Store;
use anyhow::{anyhow, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How many rejected rows and row lines are printed (the JSON report has all rejections).
const SHOW: usize = 200;

pub fn import(
    store: &mut Store,
    file: &Path,
    kind: Option<KindArg>,
    (maps, encoding, no_header): (Vec<String>, Option<String>, bool),
    (dry_run, defer_classify): (bool, bool),
    json: bool,
) -> Result<ExitCode> {
    let opts = ImportOptions {
        kind: kind.map(Kind::from).unwrap_or(Kind::Customer),
        maps,
        encoding,
        no_header,
        dry_run,
        progress: !json,
        defer_classify,
    };
    let started = std::time::Instant::now();
    let report = interchange::import_file(store, file, &opts).map_err(|e| anyhow!("{e}"))?;
    if json {
        println!("{}", super::output::to_json_pretty(&report)?);
    } else {
        if let Some(enc) = report.encoding.as_deref().filter(|e| *e != "UTF-8") {
            println!("{}", crate::tr!("import-read-as", encoding = enc));
        }
        if !report.ignored_columns.is_empty() {
            println!(
                "{}",
                crate::tr!(
                    "import-columns-ignored",
                    columns = clean(&report.ignored_columns.join(", "))
                )
            );
        }
        if dry_run {
            for action in [Action::Created, Action::Updated] {
                for r in report.rows.iter().filter(|r| r.action == action).take(SHOW) {
                    let line = format!("{:>6}", r.line);
                    let label = clean(&r.label);
                    println!(
                        "{}",
                        match (action, r.id > 0) {
                            (Action::Created, _) => {
                                crate::tr!("import-would-create", line = line, label = label)
                            }
                            (_, true) => crate::tr!(
                                "import-would-update-id",
                                line = line,
                                label = label,
                                id = r.id
                            ),
                            (_, false) => {
                                crate::tr!("import-would-update", line = line, label = label)
                            }
                        }
                    );
                }
            }
        }
        for r in report.rejected.iter().take(SHOW) {
            if r.line == 0 {
                // Not a line of the file: a backup's record (a clash).
                println!(
                    "{}",
                    crate::tr!("import-not-restored", reason = clean(&r.reason))
                );
            } else {
                println!(
                    "{}",
                    crate::tr!(
                        "import-rejected",
                        line = format!("{:>6}", r.line),
                        reason = clean(&r.reason)
                    )
                );
            }
        }
        if report.rejected.len() > SHOW {
            println!(
                "{}",
                crate::tr!("import-more-rejected", count = report.rejected.len() - SHOW)
            );
        }
        if !report.kept_properties.is_empty() {
            let names: Vec<&str> = report.kept_properties.iter().map(String::as_str).collect();
            println!(
                "{}",
                crate::tr!("import-vcard-kept", names = clean(&names.join(", ")))
            );
        }
        for w in report.warnings.iter().take(SHOW) {
            println!(
                "{}",
                crate::tr!(
                    "import-warning",
                    line = format!("{:>6}", w.line),
                    message = clean(&w.message)
                )
            );
        }
        if report.warnings.len() > SHOW {
            println!(
                "{}",
                crate::tr!("import-more-warnings", count = report.warnings.len() - SHOW)
            );
        }
        let total = started.elapsed().as_secs_f64();
        match report.classified_by_sweep_ms {
            Some(ms) => {
                let sweep = ms as f64 / 1000.0;
                let took = format!("{:.1}", total - sweep);
                println!(
                    "{}",
                    crate::tr!("import-took", summary = summary(&report), seconds = took)
                );
                println!(
                    "{}",
                    crate::tr!("import-swept", seconds = format!("{sweep:.1}"))
                );
            }
            None => println!(
                "{}",
                crate::tr!(
                    "import-took",
                    summary = summary(&report),
                    seconds = format!("{total:.1}")
                )
            ),
        }
        if defer_classify && !dry_run {
            println!("{}", crate::tr!("import-deferred"));
        }
    }
    // 2: rows were rejected; 3: every row is in, but some need a look
    // (values kept aside, likely duplicates) — scripts can tell both apart.
    Ok(if !report.rejected.is_empty() {
        ExitCode::from(2)
    } else if report.needs_attention() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn export(
    store: &Store,
    (format, shape): (FormatArg, Option<ShapeArg>),
    kind: Option<KindArg>,
    tags: Vec<String>,
    (output, force): (Option<PathBuf>, bool),
) -> Result<ExitCode> {
    let opts = ExportOptions {
        format: match (format, shape) {
            (FormatArg::Csv, None | Some(ShapeArg::Dossier)) => Format::Csv,
            (FormatArg::Csv, Some(ShapeArg::Google)) => Format::GoogleCsv,
            (FormatArg::Csv, Some(ShapeArg::Outlook)) => Format::OutlookCsv,
            (_, Some(_)) => return Err(anyhow!("--shape is for --format csv")),
            (FormatArg::Vcf, None) => Format::Vcf,
            (FormatArg::Json, None) => Format::Json,
        },
        kind: kind.map(Kind::from),
        tags: tags_in_ids(kind.map_or(Kind::Customer, Kind::from), tags),
    };
    let n = match &output {
        Some(path) => {
            // A temporary file renamed into place: a failed export leaves no
            // partial file, and the book itself can never be the target.
            let mut file = store.output_file(path, force).map_err(|e| {
                anyhow!("{}", crate::tr!("cli-not-exported", error = e.to_string()))
            })?;
            let mut w = std::io::BufWriter::new(file.file());
            let n = interchange::export(store, &opts, &mut w).map_err(|e| export_error(path, e))?;
            w.flush()
                .map_err(|e| export_error(path, interchange::InterchangeError::from(e)))?;
            drop(w);
            file.commit().map_err(|e| {
                anyhow!("{}", crate::tr!("cli-not-exported", error = e.to_string()))
            })?;
            n
        }
        None if std::io::IsTerminal::is_terminal(&std::io::stdout()) => {
            // Shown to a person: record text must not drive the terminal.
            // (A file or a pipe gets the exact data.)
            let mut buf = Vec::new();
            let n = interchange::export(store, &opts, &mut buf).map_err(|e| anyhow!("{e}"))?;
            let text = String::from_utf8_lossy(&buf);
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "{}",
                crate::domain::text::sanitize_multiline(text.trim_end_matches('\n'))
            )?;
            out.flush()?;
            n
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            let n = interchange::export(store, &opts, &mut w).map_err(|e| anyhow!("{e}"))?;
            w.flush()?;
            n
        }
    };
    let to = output
        .map(|p| crate::tr!("cli-exported-to", path = p.display().to_string()))
        .unwrap_or_default();
    eprintln!("{}", crate::tr!("cli-exported", count = n, to = to));
    Ok(ExitCode::SUCCESS)
}

/// One message for a failed export; a full disk is worded like every
/// other full-disk message.
fn export_error(path: &Path, e: interchange::InterchangeError) -> anyhow::Error {
    if let interchange::InterchangeError::Write(io) = &e {
        if crate::store::is_out_of_space(io) {
            return anyhow!(
                "{}",
                crate::tr!("cli-export-disk-full", path = path.display().to_string())
            );
        }
    }
    anyhow!("{}", crate::tr!("cli-not-exported", error = e.to_string()))
}

pub fn duplicates(store: &Store, limit: usize, json: bool) -> Result<ExitCode> {
    let pairs = store.duplicate_pairs()?;
    for p in pairs.iter().take(limit) {
        if json {
            println!("{}", super::output::to_json(p)?);
            continue;
        }
        let name = |id: i64| {
            store
                .customer(id)
                .map(|c| format!("{} / {}", c.name, c.company))
                .unwrap_or_default()
        };
        println!(
            "{:>7} {}  ~ {:>7} {}  {}",
            p.a,
            pad(&name(p.a), 30),
            p.b,
            pad(&name(p.b), 30),
            clean(&p.reason)
        );
    }
    if !json {
        if pairs.is_empty() {
            println!("{}", crate::tr!("cli-no-duplicates"));
        } else {
            println!(
                "{}",
                crate::tr!(
                    "cli-duplicates-found",
                    count = pairs.len(),
                    shown = pairs.len().min(limit)
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn merge(store: &mut Store, keep: i64, duplicate: i64) -> Result<ExitCode> {
    let m = store
        .merge_customers(keep, duplicate)
        .map_err(|e| anyhow!("{}", crate::tr!("cli-not-merged", error = e.to_string())))?;
    println!(
        "{}",
        crate::tr!(
            "cli-merged",
            duplicate = duplicate,
            keep = keep,
            deals = m.opportunities.len(),
            activities = m.activities.len(),
            merge = m.id
        )
    );
    Ok(ExitCode::SUCCESS)
}

pub fn unmerge(store: &mut Store, merge: Option<i64>) -> Result<ExitCode> {
    let id = match merge {
        Some(id) => id,
        None => store
            .last_merge()?
            .map(|m| m.id)
            .ok_or_else(|| anyhow!("{}", crate::tr!("cli-no-merge-to-undo")))?,
    };
    let m = store
        .unmerge(id)
        .map_err(|e| anyhow!("{}", crate::tr!("cli-not-undone", error = e.to_string())))?;
    println!(
        "{}",
        crate::tr!(
            "cli-unmerged",
            merge = id,
            kept = m.kept_id,
            merged = m.merged_id
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// `--tag` filters typed in labels (`价值:高`) as the `DIM=VALUE` ids the
/// export reads; a filter the rules do not know is passed on as typed.
fn tags_in_ids(kind: Kind, tags: Vec<String>) -> Vec<String> {
    let (rules, _) = crate::classify::RuleSet::load(crate::classify::config_dir().as_deref());
    let subject = super::people::subject_of(kind);
    tags.into_iter()
        .map(|t| match rules.parse_tag_filter(subject, &t) {
            Some((d, v)) => format!("{d}={v}"),
            None => t,
        })
        .collect()
}

/// "created 3, updated 1, unchanged 0, rejected 0, warnings 0" in the
/// language in force.
fn summary(report: &crate::interchange::ImportReport) -> String {
    let counts = crate::tr!(
        "import-summary",
        created = report.created,
        updated = report.updated,
        unchanged = report.unchanged,
        rejected = report.rejected.len(),
        warnings = report.warnings.len()
    );
    let mut out = if report.dry_run {
        crate::tr!("import-dry-run", counts = counts)
    } else {
        counts
    };
    if report.blank > 0 {
        out.push_str(&crate::tr!("import-blank", count = report.blank));
    }
    out
}
