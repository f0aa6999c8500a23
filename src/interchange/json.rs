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

/// How many problems a refused backup lists.
const SHOW_PROBLEMS: usize = 10;

/// Whether `s` is a UUID as dossier writes them (8-4-4-4-12 hex digits).
fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Checks a backup before anything is written, so a damaged or hand-edited
/// file is refused whole with each problem named: every record valid, ids
/// and versions from 1, UUIDs well formed and unique, every link pointing
/// at a record in the backup, every tag one the rules can give.
fn check(b: &Backup, rules: &crate::classify::RuleSet, report: &mut ImportReport) {
    use crate::classify::Subject;
    use crate::domain::Meta;
    use std::collections::HashSet;
    let mut problem = |s: String| report.reject(0, s);
    let mut ids: [HashSet<i64>; 4] = Default::default();
    let mut uuids = HashSet::new();
    let mut campaigns = HashSet::new();
    let slot = |k: Kind| Kind::ALL.iter().position(|&x| x == k).unwrap_or(0);
    let mut meta = |kind: Kind, m: &Meta, problem: &mut dyn FnMut(String)| {
        let who = format!("{} {}", kind.name(), m.id);
        if m.id < 1 {
            problem(crate::tr!("restore-bad-id", who = who.as_str()));
        } else if !ids[slot(kind)].insert(m.id) {
            problem(crate::tr!("restore-id-twice", who = who.as_str()));
        }
        if m.version < 1 {
            problem(crate::tr!(
                "restore-bad-version",
                who = who.as_str(),
                version = m.version
            ));
        }
        if !m.uuid.is_empty() {
            if !is_uuid(&m.uuid) {
                problem(crate::tr!(
                    "restore-bad-uuid",
                    who = who.as_str(),
                    uuid = crate::domain::text::cut_for_message(&m.uuid)
                ));
            } else if !uuids.insert(m.uuid.to_ascii_lowercase()) {
                problem(crate::tr!(
                    "restore-uuid-twice",
                    who = who.as_str(),
                    uuid = m.uuid.as_str()
                ));
            }
        }
    };
    for c in &b.customers {
        meta(Kind::Customer, &c.meta, &mut problem);
        if let Err(e) = c.validate() {
            problem(format!("{} {}: {e}", Kind::Customer.name(), c.meta.id));
        }
    }
    for p in &b.products {
        meta(Kind::Product, &p.meta, &mut problem);
        if let Err(e) = p.validate() {
            problem(format!("{} {}: {e}", Kind::Product.name(), p.meta.id));
        }
    }
    for o in &b.opportunities {
        meta(Kind::Opportunity, &o.meta, &mut problem);
        if let Err(e) = o.validate() {
            problem(format!("{} {}: {e}", Kind::Opportunity.name(), o.meta.id));
        }
    }
    for a in &b.activities {
        meta(Kind::Activity, &a.meta, &mut problem);
        if let Err(e) = a.validate() {
            problem(format!("{} {}: {e}", Kind::Activity.name(), a.meta.id));
        }
        if a.campaign.is_some() {
            campaigns.insert(a.meta.id);
        }
    }
    let has = |k: Kind, id: i64| ids[slot(k)].contains(&id);
    let missing = |from: String, k: Kind, id: i64| {
        crate::tr!(
            "restore-missing-link",
            from = from,
            kind = k.name(),
            id = id
        )
    };
    for o in &b.opportunities {
        let from = format!("{} {}", Kind::Opportunity.name(), o.meta.id);
        if !has(Kind::Customer, o.customer_id) {
            problem(missing(from.clone(), Kind::Customer, o.customer_id));
        }
        if let Some(c) = o.campaign_id.filter(|c| !campaigns.contains(c)) {
            problem(crate::tr!(
                "restore-not-a-campaign",
                from = from.as_str(),
                id = c
            ));
        }
        for item in o.items.iter().filter(|i| !has(Kind::Product, i.product_id)) {
            problem(missing(from.clone(), Kind::Product, item.product_id));
        }
    }
    for a in &b.activities {
        let from = format!("{} {}", Kind::Activity.name(), a.meta.id);
        if let Some(c) = a.customer_id.filter(|&c| !has(Kind::Customer, c)) {
            problem(missing(from.clone(), Kind::Customer, c));
        }
        if let Some(o) = a.opportunity_id.filter(|&o| !has(Kind::Opportunity, o)) {
            problem(missing(from, Kind::Opportunity, o));
        }
    }
    for t in &b.tags {
        let who = crate::tr!(
            "restore-tag-who",
            tag = format!("{}={}", t.dimension, t.value),
            kind = t.record_kind.as_str(),
            id = t.record_id
        );
        let subject = match t.record_kind.as_str() {
            "customer" => Subject::Customer,
            "opportunity" => Subject::Opportunity,
            "product" => Subject::Product,
            "activity" => Subject::Campaign,
            _ => {
                problem(crate::tr!("restore-tag-unknown-kind", who = who.as_str()));
                continue;
            }
        };
        if !has(subject.kind(), t.record_id) {
            problem(crate::tr!("restore-tag-no-record", who = who.as_str()));
            continue;
        }
        match rules
            .dimensions(subject)
            .iter()
            .find(|d| d.name == t.dimension)
        {
            None => problem(crate::tr!(
                "restore-tag-no-dimension",
                who = who.as_str(),
                dimension = t.dimension.as_str()
            )),
            Some(d) if !d.allows(&t.value) => problem(crate::tr!(
                "restore-tag-no-value",
                who = who.as_str(),
                dimension = t.dimension.as_str(),
                value = t.value.as_str()
            )),
            Some(_) => {}
        }
    }
    for h in &b.tag_history {
        if h.record_kind.parse::<Kind>().is_err() {
            problem(crate::tr!(
                "restore-history-unknown-kind",
                id = h.id,
                kind = h.record_kind.as_str()
            ));
        }
    }
}

/// Collects the paths of fields in `input` that reading dropped: keys
/// missing from `read` (the backup written back out). A key left out only
/// because it is empty (an absent trash mark) is not a loss.
fn dropped_fields(
    input: &serde_json::Value,
    read: &serde_json::Value,
    path: &str,
    out: &mut Vec<String>,
) {
    use serde_json::Value;
    match (input, read) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match b.get(key) {
                    Some(kept) => dropped_fields(value, kept, &here, out),
                    None if value.is_null() || value.as_str() == Some("") => {}
                    None => out.push(here),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                dropped_fields(x, y, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Reads a backup, naming every field it does not know (a typo or a file
/// from another program must not be half understood).
fn parse(text: &str) -> Result<Backup> {
    let not_backup = |e: serde_json::Error| {
        InterchangeError::Format(format!(
            "not a dossier JSON backup (line {}, column {}): {e} — nothing was restored",
            e.line(),
            e.column()
        ))
    };
    let input: serde_json::Value = serde_json::from_str(text).map_err(not_backup)?;
    let backup: Backup = serde_json::from_str(text).map_err(not_backup)?;
    let read = serde_json::to_value(&backup).map_err(|e| {
        InterchangeError::Format(crate::tr!("restore-cannot-read", error = e.to_string()))
    })?;
    let mut unknown = Vec::new();
    dropped_fields(&input, &read, "", &mut unknown);
    if !unknown.is_empty() {
        let more = unknown.len().saturating_sub(SHOW_PROBLEMS);
        unknown.truncate(SHOW_PROBLEMS);
        return Err(InterchangeError::Format(format!(
            "the backup has fields dossier does not know, nothing was restored: {}{} — remove them or export a new backup",
            unknown.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        )));
    }
    Ok(backup)
}

pub(super) fn import(
    store: &mut Store,
    text: &str,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<()> {
    let backup = parse(text)?;
    if backup.format != crate::store::BACKUP_FORMAT {
        return Err(InterchangeError::Format(crate::tr!("restore-not-a-backup")));
    }
    if backup.schema_version < 1 || backup.schema_version > crate::store::SCHEMA_VERSION {
        return Err(InterchangeError::Format(format!(
            "the backup says schema version {}, this dossier knows versions 1 to {} — {}; nothing was restored",
            backup.schema_version,
            crate::store::SCHEMA_VERSION,
            if backup.schema_version > crate::store::SCHEMA_VERSION {
                "it was written by a newer dossier: upgrade dossier to restore it"
            } else {
                "the file is damaged"
            }
        )));
    }
    let rules = store.rules()?.clone();
    check(&backup, &rules, report);
    if !report.rejected.is_empty() {
        let n = report.rejected.len();
        return Err(InterchangeError::Format(format!(
            "the backup has {n} problem(s), nothing was restored: {}{}",
            report
                .rejected
                .iter()
                .take(SHOW_PROBLEMS)
                .map(|r| r.reason.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            if n > SHOW_PROBLEMS { " …" } else { "" }
        )));
    }
    let outcome = store.restore_backup(&backup, opts.dry_run)?;
    report.created = outcome.counts.created;
    report.updated = outcome.counts.updated;
    report.unchanged = outcome.counts.unchanged;
    for clash in outcome.clashes {
        report.reject(0, clash);
    }
    Ok(())
}
