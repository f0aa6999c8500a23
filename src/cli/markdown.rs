//! `dossier show KIND ID --format md`: a record's whole file as one
//! Markdown page to share or print — fields, tags with reasons, and for a
//! customer the deals and the timeline — in the language in force.

use super::output::{activity_kind, field_rows, kind_of, tag_rows};
use super::people::{live_reasons, Labels};
use crate::domain::text::sanitize_multiline;
use crate::domain::Kind;
use crate::store::Store;
use crate::tr;
use anyhow::Result;
use std::fmt::Write;
use std::process::ExitCode;

/// Text safe inside a Markdown table cell: one line, no `|`, no escape
/// sequences.
fn cell(s: &str) -> String {
    sanitize_multiline(s)
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
        .trim()
        .to_string()
}

/// The page for one record.
pub fn page(store: &mut Store, kind: Kind, id: i64) -> Result<String> {
    let record = super::output::load_record(store, kind, id)?;
    let tags = store.tags(kind, id)?;
    let labels = Labels::load(store)?;
    let reasons = live_reasons(store, kind, id)?;
    let meta = record.meta();
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", cell(&super::output::record_label(&record)));
    let _ = writeln!(
        md,
        "*{} #{} · {}*\n",
        kind_of(&record).name(),
        meta.id,
        tr!(
            "cli-version-line",
            version = meta.version,
            created = meta.created_at.format("%Y-%m-%d %H:%M").to_string(),
            updated = meta.updated_at.format("%Y-%m-%d %H:%M").to_string()
        )
    );
    if let Some(owner) = store.owner_of(kind, id)? {
        let _ = writeln!(md, "*{}*\n", cell(&tr!("cli-owned-by", owner = owner)));
    }
    let _ = writeln!(
        md,
        "| {} | {} |\n|---|---|",
        tr!("md-field"),
        tr!("md-value")
    );
    for (label, value) in field_rows(&record, &labels) {
        let _ = writeln!(md, "| {} | {} |", cell(&label), cell(&value));
    }
    let rows = tag_rows(kind, &tags, &labels, &reasons);
    if !rows.is_empty() {
        let _ = writeln!(md, "\n## {}\n", tr!("cli-heading-tags"));
        for (dim, value, reason) in rows {
            let _ = writeln!(
                md,
                "- **{}**: {} — {}",
                cell(&dim),
                cell(&value),
                cell(&reason)
            );
        }
    }
    if kind == Kind::Customer {
        let deals = store.opportunities_of_customer(id)?;
        if !deals.is_empty() {
            let _ = writeln!(md, "\n## {}\n", tr!("cli-heading-deals"));
            let _ = writeln!(
                md,
                "| # | {} | {} | {} | {} |\n|---|---|---|---|---|",
                tr!("md-deal-title"),
                tr!("md-deal-stage"),
                tr!("md-deal-amount"),
                tr!("md-deal-close")
            );
            for o in deals {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} | {} |",
                    o.meta.id,
                    cell(&o.title),
                    cell(&labels.stage(o.stage.as_str())),
                    cell(&o.amount.display_with(&o.currency)),
                    o.close_date().map(|d| d.to_string()).unwrap_or_default()
                );
            }
        }
        let timeline = store.activities_of_customer(id)?;
        if !timeline.is_empty() {
            let _ = writeln!(md, "\n## {}\n", tr!("cli-heading-timeline"));
            let today = store.clock().today();
            for a in timeline {
                let note = a
                    .follow_up_note(today)
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default();
                let _ = writeln!(
                    md,
                    "- {} **{}** {}{note}",
                    a.date,
                    activity_kind(a.kind.as_str()),
                    cell(&a.summary)
                );
            }
        }
    }
    Ok(md)
}

/// Prints the page.
pub fn show(store: &mut Store, kind: Kind, id: i64) -> Result<ExitCode> {
    print!("{}", page(store, kind, id)?);
    Ok(ExitCode::SUCCESS)
}
