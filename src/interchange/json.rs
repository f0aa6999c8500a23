//! The JSON backup: the whole book (or a filtered part) as one document,
//! restored exactly by `import`.

use super::export::{allowed_ids, ExportOptions};
use super::report::ImportReport;
use super::{ImportOptions, InterchangeError, Result};
use crate::domain::Kind;
use crate::store::{Backup, Store};
use std::io::Write;

pub(super) fn export(store: &Store, opts: &ExportOptions, out: &mut dyn Write) -> Result<u64> {
    let mut b = store.backup_data()?;
    if let Some(kind) = opts.kind {
        if kind != Kind::Customer {
            b.customers.clear();
        }
        if kind != Kind::Product {
            b.products.clear();
        }
        if kind != Kind::Opportunity {
            b.opportunities.clear();
        }
        if kind != Kind::Activity {
            b.activities.clear();
        }
    }
    if !opts.tags.is_empty() {
        for kind in Kind::ALL {
            let allowed = allowed_ids(store, kind, &opts.tags)?.unwrap_or_default();
            match kind {
                Kind::Customer => b.customers.retain(|r| allowed.contains(&r.meta.id)),
                Kind::Product => b.products.retain(|r| allowed.contains(&r.meta.id)),
                Kind::Opportunity => b.opportunities.retain(|r| allowed.contains(&r.meta.id)),
                Kind::Activity => b.activities.retain(|r| allowed.contains(&r.meta.id)),
            }
        }
    }
    if opts.kind.is_some() || !opts.tags.is_empty() {
        // Keep only the tags of the records exported.
        let keep = |kind: &str, id: i64| match kind {
            "customer" => b.customers.iter().any(|r| r.meta.id == id),
            "product" => b.products.iter().any(|r| r.meta.id == id),
            "opportunity" => b.opportunities.iter().any(|r| r.meta.id == id),
            "activity" => b.activities.iter().any(|r| r.meta.id == id),
            _ => false,
        };
        let tags = std::mem::take(&mut b.tags);
        b.tags = tags
            .into_iter()
            .filter(|t| keep(&t.record_kind, t.record_id))
            .collect();
        let history = std::mem::take(&mut b.tag_history);
        b.tag_history = history
            .into_iter()
            .filter(|t| keep(&t.record_kind, t.record_id))
            .collect();
        b.merges.clear();
    }
    let n =
        (b.customers.len() + b.products.len() + b.opportunities.len() + b.activities.len()) as u64;
    serde_json::to_writer_pretty(&mut *out, &b).map_err(|e| {
        if e.is_io() {
            InterchangeError::Write(e.into())
        } else {
            InterchangeError::Format(format!("cannot write JSON: {e}"))
        }
    })?;
    out.write_all(b"\n")?;
    Ok(n)
}

/// Checks every record of a backup before anything is written, so a
/// damaged or hand-edited file is refused whole, with the record named.
fn check(b: &Backup, report: &mut ImportReport) {
    for c in &b.customers {
        if let Err(e) = c.validate() {
            report.reject(0, format!("customer {}: {e}", c.meta.id));
        }
    }
    for p in &b.products {
        if let Err(e) = p.validate() {
            report.reject(0, format!("product {}: {e}", p.meta.id));
        }
    }
    for o in &b.opportunities {
        if let Err(e) = o.validate() {
            report.reject(0, format!("opportunity {}: {e}", o.meta.id));
        }
    }
    for a in &b.activities {
        if let Err(e) = a.validate() {
            report.reject(0, format!("activity {}: {e}", a.meta.id));
        }
    }
}

pub(super) fn import(
    store: &mut Store,
    text: &str,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<()> {
    let backup: Backup = serde_json::from_str(text).map_err(|e| {
        InterchangeError::Format(format!(
            "not a dossier JSON backup (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    if backup.format != crate::store::BACKUP_FORMAT {
        return Err(InterchangeError::Format(
            "this JSON is not a dossier backup (no \"format\": \"dossier-backup\") — export one with dossier export --format json".into(),
        ));
    }
    check(&backup, report);
    if !report.rejected.is_empty() {
        return Err(InterchangeError::Format(format!(
            "the backup holds invalid records, nothing was restored: {}",
            report
                .rejected
                .iter()
                .take(5)
                .map(|r| r.reason.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    let n = store.restore_backup(&backup, opts.dry_run)?;
    report.created = n.created;
    report.updated = n.updated;
    report.unchanged = n.unchanged;
    Ok(())
}
