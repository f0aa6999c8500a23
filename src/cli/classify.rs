//! `classify`, `why` and `list --tag`: the classification engine on the
//! command line.

use super::output::{pad, AnyRecord};
use crate::classify::{format_num, FactValue, RuleSet};
use crate::domain::text::sanitize_for_terminal as clean;
use crate::domain::Kind;
use crate::store::{Page, Store, SweepReport, Visibility};
use anyhow::{anyhow, bail, Result};
use std::path::Path;
use std::process::ExitCode;

/// Says so on stderr when the user's rule file was refused.
fn warn_rules(store: &mut Store) -> Result<()> {
    store.rules()?;
    if let Some(problem) = store.rules_problem() {
        eprintln!(
            "warning: {} — your rules file was not used; the built-in rules are in force",
            clean(&problem.to_string())
        );
    }
    Ok(())
}

/// Brings time-driven tags up to date before showing tags (one sweep a
/// day, or after the rules changed).
pub fn refresh(store: &mut Store) -> Result<()> {
    warn_rules(store)?;
    if !store.sweep_due()? {
        return Ok(());
    }
    let customers = store.counts()?.customers;
    if customers > 50_000 {
        eprintln!(
            "(classifying the book for today: {} customers — a first classification of a large book takes a while)",
            format_num(customers as f64)
        );
    }
    if let Some(report) = store.sweep_if_stale()? {
        if report.changed > 0 {
            eprintln!(
                "(re-classified the book for today: {} record(s) changed tags)",
                format_num(report.changed as f64)
            );
        }
    }
    Ok(())
}

pub fn classify(
    store: &mut Store,
    dry_run: bool,
    rules: Option<&Path>,
    json: bool,
) -> Result<ExitCode> {
    let report = match rules {
        Some(path) => {
            if !dry_run {
                bail!(
                    "--rules tries a file without applying it, so it needs --dry-run; to apply it, copy it to {}",
                    crate::classify::config_dir()
                        .map(|d| d.join("rules.toml").display().to_string())
                        .unwrap_or_else(|| "your config dir as rules.toml".into())
                );
            }
            let rules = RuleSet::with_user_file(path)
                .map_err(|e| anyhow!("{e} — the rule file was refused"))?;
            store.sweep_with(&rules, true)?
        }
        None => {
            warn_rules(store)?;
            store.sweep(dry_run)?
        }
    };
    if json {
        println!("{}", super::output::to_json_pretty(&report)?);
    } else {
        print_report(&report);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(r: &SweepReport) {
    let counted: Vec<String> = r
        .evaluated
        .iter()
        .map(|(kind, n)| format!("{} {kind}", format_num(*n as f64)))
        .collect();
    println!(
        "classified {} in {:.1} s",
        counted.join(", "),
        r.elapsed_ms as f64 / 1000.0
    );
    let verb = if r.dry_run { "would change" } else { "changed" };
    println!("{} record(s) {verb} tags", format_num(r.changed as f64));
    if !r.moves.is_empty() {
        println!(
            "\n{}  {}  {:>9}  {:>9}",
            pad("record", 11),
            pad("tag", 34),
            "gain",
            "lose"
        );
    }
    for m in &r.moves {
        println!(
            "{}  {}  {:>9}  {:>9}",
            pad(m.kind.as_str(), 11),
            pad(&clean(&format!("{}={}", m.dimension, m.value)), 34),
            format!("+{}", format_num(m.gained as f64)),
            format!("-{}", format_num(m.lost as f64))
        );
    }
    if r.dry_run {
        println!("\n(dry run: nothing was written)");
    }
}

pub fn why(store: &mut Store, kind: Kind, id: i64, json: bool) -> Result<ExitCode> {
    let record = super::output::load_record(store, kind, id)?;
    let tags = store.tags(kind, id)?;
    let history = store.tag_history(kind, id)?;
    if json {
        let v = serde_json::json!({
            "kind": kind,
            "id": id,
            "label": record.label(),
            "tags": tags,
            "history": history,
        });
        println!("{}", super::output::to_json_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{kind} {id} — {}", clean(&record.label()));
    if tags.is_empty() {
        println!(
            "\nNo tags{}.",
            if kind == Kind::Activity {
                " (touches carry none; campaigns do)"
            } else {
                ""
            }
        );
    } else {
        println!("\nTags");
        for t in &tags {
            println!(
                "  {}  {}  {}",
                pad(&clean(&t.dimension), 13),
                pad(&clean(&t.value), 16),
                clean(&t.reason)
            );
        }
    }
    if let Some(facts) = store.facts(kind, id)? {
        let names = facts.subject().fact_names();
        let shown: Vec<String> = (0..names.len())
            .filter_map(|i| {
                facts.get(i).map(|v| match v {
                    FactValue::Num(n) => format!("{} {}", names[i], format_num(*n)),
                    FactValue::Text(t) => format!("{} \"{}\"", names[i], clean(t)),
                })
            })
            .collect();
        println!("\nFacts today\n  {}", shown.join(" · "));
    }
    if !history.is_empty() {
        println!("\nHistory");
        for h in &history {
            println!(
                "  {}  {}  {} → {}  {}",
                h.at.format("%Y-%m-%d %H:%M"),
                pad(&clean(&h.dimension), 13),
                clean(h.old.as_deref().unwrap_or("–")),
                clean(h.new.as_deref().unwrap_or("–")),
                clean(&h.reason)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Records of `kind` carrying every `DIM=VALUE` in `filters`, a page at a time.
pub fn tagged(store: &Store, kind: Kind, filters: &[String], page: Page) -> Result<Vec<AnyRecord>> {
    let mut ids: Option<Vec<i64>> = None;
    for f in filters {
        let (dim, value) = f
            .split_once('=')
            .map(|(d, v)| (d.trim(), v.trim()))
            .filter(|(d, v)| !d.is_empty() && !v.is_empty())
            .ok_or_else(|| {
                anyhow!(
                    "--tag '{}' is not DIMENSION=VALUE (e.g. value=high)",
                    clean(f)
                )
            })?;
        let found = store.ids_with_tag(kind, dim, value)?;
        ids = Some(match ids {
            None => found,
            Some(prev) => prev
                .into_iter()
                .filter(|i| found.binary_search(i).is_ok())
                .collect(),
        });
    }
    let mut out = Vec::new();
    for id in ids
        .unwrap_or_default()
        .into_iter()
        .filter(|i| *i > page.after)
    {
        if out.len() == page.limit {
            break;
        }
        let record = super::output::load_record(store, kind, id)?;
        let trashed = record.meta().deleted_at.is_some();
        let wanted = match page.visibility {
            Visibility::Live => !trashed,
            Visibility::Trash => trashed,
            Visibility::All => true,
        };
        if wanted {
            out.push(record);
        }
    }
    Ok(out)
}
