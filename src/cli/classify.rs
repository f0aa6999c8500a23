//! `classify`, `why` and `list --tag`: the classification engine on the
//! command line.

use super::output::{pad, AnyRecord};
use super::people::{live_reasons, stored_reason, Labels};
use crate::classify::{format_num, FactValue, RuleSet};
use crate::domain::text::sanitize_for_terminal as clean;
use crate::domain::Kind;
use crate::store::{Page, Store, SweepReport, Visibility};
use crate::tr;
use anyhow::{anyhow, bail, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

/// Says so on stderr when the user's rule file was refused.
fn warn_rules(store: &mut Store) -> Result<()> {
    store.rules()?;
    if let Some(problem) = store.rules_problem() {
        eprintln!(
            "{}",
            tr!("cli-rules-refused", problem = clean(&problem.to_string()))
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
            "{}",
            tr!(
                "cli-classifying-large",
                customers = format_num(customers as f64)
            )
        );
    }
    if let Some(report) = store.sweep_if_stale()? {
        if report.changed > 0 {
            eprintln!("{}", tr!("cli-reclassified", count = report.changed));
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
                    "{}",
                    tr!(
                        "cli-rules-needs-dry-run",
                        path = crate::classify::config_dir()
                            .map(|d| d.join("rules.toml").display().to_string())
                            .unwrap_or_else(|| "rules.toml".into())
                    )
                );
            }
            let rules = RuleSet::with_user_file(path).map_err(|e| {
                anyhow!("{}", tr!("cli-rule-file-refused", problem = e.to_string()))
            })?;
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
        print_report(&report, &Labels::load(store)?);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(r: &SweepReport, labels: &Labels) {
    // "1,000 customers" for each kind counted.
    let per_kind = |counts: &std::collections::BTreeMap<String, usize>, all: bool| -> Vec<String> {
        counts
            .iter()
            .filter(|(_, n)| all || **n > 0)
            .map(|(kind, n)| {
                format!(
                    "{} {}",
                    format_num(*n as f64),
                    kind.parse::<Kind>()
                        .map(Kind::name)
                        .unwrap_or_else(|_| kind.clone())
                )
            })
            .collect()
    };
    let counted = per_kind(&r.evaluated, true);
    println!(
        "{}",
        tr!(
            "cli-classified",
            counted = counted.join(&tr!("cli-list-separator")),
            seconds = format!("{:.1}", r.elapsed_ms as f64 / 1000.0)
        )
    );
    // A light sweep: the records nothing touched since the last sweep.
    let skipped = per_kind(&r.skipped, false);
    if !skipped.is_empty() {
        println!(
            "{}",
            tr!(
                "cli-classify-skipped",
                counted = skipped.join(&tr!("cli-list-separator"))
            )
        );
    }
    if r.dry_run {
        println!("{}", tr!("cli-classify-would-change", count = r.changed));
    } else {
        println!("{}", tr!("cli-classify-changed", count = r.changed));
    }
    if !r.moves.is_empty() {
        println!(
            "\n{}  {}  {:>9}  {:>9}",
            pad(&tr!("cli-col-record"), 11),
            pad(&tr!("cli-col-tag"), 34),
            tr!("cli-col-gain"),
            tr!("cli-col-lose")
        );
    }
    for m in &r.moves {
        let (dim, value) = labels.tag(m.kind, &m.dimension, &m.value);
        println!(
            "{}  {}  {:>9}  {:>9}",
            pad(&m.kind.name(), 11),
            pad(&clean(&format!("{dim}: {value}")), 34),
            format!("+{}", format_num(m.gained as f64)),
            format!("-{}", format_num(m.lost as f64))
        );
    }
    if r.dry_run {
        println!("\n{}", tr!("cli-dry-run-nothing-written"));
    }
}

pub fn why(store: &mut Store, kind: Kind, id: i64, json: bool) -> Result<ExitCode> {
    let record = super::output::load_record(store, kind, id)?;
    let tags = store.tags(kind, id)?;
    let history = store.tag_history(kind, id)?;
    let reasons = live_reasons(store, kind, id)?;
    if json {
        // Ids and rule names for scripts; the reasons as stored.
        let rules: BTreeMap<&str, Option<&str>> = tags
            .iter()
            .filter_map(|t| {
                let r = reasons.get(&(t.dimension.clone(), t.value.clone()))?;
                Some((t.dimension.as_str(), r.rule.as_deref()))
            })
            .collect();
        let v = serde_json::json!({
            "kind": kind,
            "id": id,
            "label": super::output::record_label(&record),
            "tags": tags,
            "rules": rules,
            "history": history,
        });
        println!("{}", super::output::to_json_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    let labels = Labels::load(store)?;
    println!(
        "{} {id} — {}",
        kind.name(),
        clean(&super::output::record_label(&record))
    );
    if tags.is_empty() {
        if kind == Kind::Activity {
            println!("\n{}", tr!("cli-why-no-tags-touch"));
        } else {
            println!("\n{}", tr!("cli-why-no-tags"));
        }
    } else {
        println!("\n{}", tr!("cli-heading-tags"));
        for t in &tags {
            let (dim, value) = labels.tag(kind, &t.dimension, &t.value);
            let reason = reasons
                .get(&(t.dimension.clone(), t.value.clone()))
                .map_or_else(|| stored_reason(&t.reason).to_string(), |r| r.text.clone());
            println!(
                "  {}  {}  {}",
                pad(&clean(&dim), 19),
                pad(&clean(&value), 14),
                clean(&reason)
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
        println!("\n{}\n  {}", tr!("cli-heading-facts"), shown.join(" · "));
    }
    if !history.is_empty() {
        println!("\n{}", tr!("cli-heading-history"));
        for h in &history {
            let label = |v: &Option<String>| match v {
                Some(v) => labels.tag(kind, &h.dimension, v).1,
                None => "–".to_string(),
            };
            let (dim, _) = labels.tag(kind, &h.dimension, "");
            println!(
                "  {}  {}  {} → {}  {}",
                h.at.format("%Y-%m-%d %H:%M"),
                pad(&clean(&dim), 19),
                clean(&label(&h.old)),
                clean(&label(&h.new)),
                clean(stored_reason(&h.reason))
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Records of `kind` carrying every `DIM=VALUE` in `filters`, a page at a time.
/// A filter is `DIM=VALUE` or `DIM:VALUE`, in ids or in labels of either
/// language (`value=high`, `价值:高`, `生命周期:流失`).
pub fn tagged(
    store: &mut Store,
    kind: Kind,
    filters: &[String],
    page: Page,
    owner: Option<&str>,
) -> Result<Vec<AnyRecord>> {
    let labels = Labels::load(store)?;
    let mut ids: Option<Vec<i64>> = None;
    for f in filters {
        let (dim, value) = match labels.filter(kind, f) {
            Some(found) => found,
            // A dimension the rules do not know may still be stored (a
            // user's rule since removed): look it up as typed.
            None => f
                .split_once(['=', ':'])
                .map(|(d, v)| (d.trim().to_string(), v.trim().to_string()))
                .filter(|(d, v)| !d.is_empty() && !v.is_empty())
                .ok_or_else(|| anyhow!("{}", tr!("cli-bad-tag-filter", filter = clean(f))))?,
        };
        let found = store.ids_with_tag(kind, &dim, &value)?;
        ids = Some(match ids {
            None => found,
            Some(prev) => prev
                .into_iter()
                .filter(|i| found.binary_search(i).is_ok())
                .collect(),
        });
    }
    let mut ids = ids.unwrap_or_default();
    if let Some(owner) = owner {
        // Keyset-paged on the server too: only ids past `after` are read.
        let all = Page {
            limit: usize::MAX,
            ..page
        };
        let owned: std::collections::HashSet<i64> =
            store.owned_ids(kind, owner, all)?.into_iter().collect();
        ids.retain(|id| owned.contains(id));
    }
    let mut out = Vec::new();
    for id in ids.into_iter().filter(|i| *i > page.after) {
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
