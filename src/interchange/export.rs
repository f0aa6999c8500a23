//! `dossier export`: CSV (one kind, formula-guarded), vCard 3.0
//! (customers) and the JSON backup.

use super::columns::specs;
use super::{json, vcard, Format, InterchangeError, Result};
use crate::domain::fields::Fields;
use crate::domain::{Customer, Kind};
use crate::store::{Page, Store};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use std::io::Write;

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: Format,
    /// The kind of record for CSV (vCard: customers; JSON: all kinds unless given).
    pub kind: Option<Kind>,
    /// `dimension=value` tags a record must carry (all of them).
    pub tags: Vec<String>,
}

/// First characters a spreadsheet takes as the start of a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell reads as a formula, possibly behind guard quotes:
/// `'`×k followed by one of [`FORMULA_START`].
fn formula_like(s: &str) -> bool {
    s.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// Guards a cell against formula injection: a cell a spreadsheet would
/// read as a formula gets a leading `'`. Cells already made of quotes
/// before such a character get one more, so [`unguard_cell`] undoes
/// exactly this and nothing else.
pub fn guard_cell(s: &str) -> Cow<'_, str> {
    if formula_like(s) && !phone_numbers(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether a cell is one or more phone numbers in international form
/// (`+86 138 0013 8000`, `+1 415 555 0434, +44 20 7946 0958`, Google's
/// `a ::: b`): left as
/// written, for the programs that read the file back. Digits and
/// separators alone cannot call a function, so no formula harm is done.
fn phone_numbers(s: &str) -> bool {
    s.split(", ").flat_map(|p| p.split(" ::: ")).all(|p| {
        let body = p.strip_prefix('+').unwrap_or(p);
        !body.is_empty()
            && body.starts_with(|c: char| c.is_ascii_digit())
            && body
                .chars()
                .all(|c| c.is_ascii_digit() || " -().".contains(c))
            && crate::domain::phone_problem(p).is_none()
    })
}

/// Undoes [`guard_cell`] on import.
pub fn unguard_cell(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => s,
    }
}

/// Ids allowed by the tag filter; `None` when there is no filter.
fn tag_filter(store: &Store, kind: Kind, tags: &[String]) -> Result<Option<HashSet<i64>>> {
    let mut allowed: Option<HashSet<i64>> = None;
    for t in tags {
        let Some((dim, value)) = t.split_once('=') else {
            return Err(InterchangeError::Format(format!(
                "--tag '{t}' is not DIMENSION=VALUE (e.g. value=high)"
            )));
        };
        let ids: HashSet<i64> = store
            .ids_with_tag(kind, dim.trim(), value.trim())?
            .into_iter()
            .collect();
        allowed = Some(match allowed {
            None => ids,
            Some(a) => a.intersection(&ids).copied().collect(),
        });
    }
    Ok(allowed)
}

/// Every live record of `kind` passing the filter, a page at a time.
fn each_live<T>(
    mut page: impl FnMut(Page) -> crate::store::Result<Vec<T>>,
    id: impl Fn(&T) -> i64,
    allowed: &Option<HashSet<i64>>,
    mut f: impl FnMut(&T) -> Result<()>,
) -> Result<u64> {
    let mut after = 0;
    let mut n = 0;
    loop {
        let batch = page(Page {
            after,
            limit: 5_000,
            ..Default::default()
        })?;
        let Some(last) = batch.last() else { break };
        after = id(last);
        for r in &batch {
            if allowed.as_ref().is_none_or(|a| a.contains(&id(r))) {
                f(r)?;
                n += 1;
            }
        }
    }
    Ok(n)
}

/// Writes the export; returns how many records were written.
pub fn export(store: &Store, opts: &ExportOptions, out: &mut dyn Write) -> Result<u64> {
    match opts.format {
        Format::Json => json::export(store, opts, out),
        Format::Vcf => {
            if opts.kind.is_some_and(|k| k != Kind::Customer) {
                return Err(InterchangeError::Format(crate::tr!(
                    "export-vcard-customers-only"
                )));
            }
            let allowed = tag_filter(store, Kind::Customer, &opts.tags)?;
            each_live(
                |p| store.customers(p),
                |c| c.meta.id,
                &allowed,
                |c| Ok(out.write_all(vcard::write(c).as_bytes())?),
            )
        }
        Format::Csv => export_csv(store, opts.kind.unwrap_or(Kind::Customer), &opts.tags, out),
        Format::GoogleCsv | Format::OutlookCsv => {
            if opts.kind.is_some_and(|k| k != Kind::Customer) {
                return Err(InterchangeError::Format(crate::tr!(
                    "export-shape-customers-only"
                )));
            }
            let shape = if opts.format == Format::GoogleCsv {
                super::shaped::Shape::Google
            } else {
                super::shaped::Shape::Outlook
            };
            let allowed = tag_filter(store, Kind::Customer, &opts.tags)?;
            super::shaped::write(
                shape,
                &mut |f| each_live(|p| store.customers(p), |c| c.meta.id, &allowed, |c| f(c)),
                out,
            )
        }
    }
}

pub(super) fn allowed_ids(
    store: &Store,
    kind: Kind,
    tags: &[String],
) -> Result<Option<HashSet<i64>>> {
    tag_filter(store, kind, tags)
}

fn export_csv(store: &Store, kind: Kind, tags: &[String], out: &mut dyn Write) -> Result<u64> {
    let allowed = tag_filter(store, kind, tags)?;
    let fields: Vec<&'static str> = specs(kind).iter().map(|s| s.name).collect();
    // Custom field names become `custom.KEY` columns.
    let custom_keys: Vec<String> = if kind == Kind::Customer {
        let mut keys = BTreeSet::new();
        let mut stmt = store
            .conn()
            .prepare("SELECT custom FROM customers WHERE deleted_at IS NULL AND custom != '{}'")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let map: std::collections::BTreeMap<String, String> =
                serde_json::from_str(&r.get::<_, String>(0)?).unwrap_or_default();
            keys.extend(map.into_keys());
        }
        keys.into_iter().collect()
    } else {
        Vec::new()
    };
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> = vec!["id".into()];
    header.extend(fields.iter().map(|f| f.to_string()));
    header.extend(custom_keys.iter().map(|k| format!("custom.{k}")));
    w.write_record(header.iter().map(|h| guard_cell(h).into_owned()))?;
    let mut cells: Vec<String> = Vec::with_capacity(header.len());
    let mut row = |r: &dyn Fields, id: i64, custom: Option<&Customer>| -> Result<()> {
        cells.clear();
        cells.push(id.to_string());
        for f in &fields {
            cells.push(r.get(f));
        }
        if let Some(c) = custom {
            for k in &custom_keys {
                cells.push(c.custom.get(k).cloned().unwrap_or_default());
            }
        }
        for c in &cells {
            w.write_field(guard_cell(c).as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
        Ok(())
    };
    let n = match kind {
        Kind::Customer => each_live(
            |p| store.customers(p),
            |c| c.meta.id,
            &allowed,
            |c| row(c, c.meta.id, Some(c)),
        )?,
        Kind::Product => each_live(
            |p| store.products(p),
            |c| c.meta.id,
            &allowed,
            |c| row(c, c.meta.id, None),
        )?,
        Kind::Opportunity => each_live(
            |p| store.opportunities(p),
            |c| c.meta.id,
            &allowed,
            |c| row(c, c.meta.id, None),
        )?,
        Kind::Activity => each_live(
            |p| store.activities(p),
            |c| c.meta.id,
            &allowed,
            |c| row(c, c.meta.id, None),
        )?,
    };
    w.flush()?;
    Ok(n)
}

impl From<csv::Error> for InterchangeError {
    fn from(e: csv::Error) -> Self {
        // A failed write (full disk) stays an I/O error so it is worded as one.
        let message = format!("CSV: {e}");
        match e.into_kind() {
            csv::ErrorKind::Io(io) => InterchangeError::Write(io),
            _ => InterchangeError::Format(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_guard_round_trips() {
        for s in [
            "=1+1", "+86 13A", "-5", "@SUM(A1)", "'=x", "''x", "''=", "plain", "'quoted", "",
        ] {
            let g = guard_cell(s);
            assert!(!g.starts_with(FORMULA_START), "{s} → {g}");
            assert_eq!(unguard_cell(&g), s, "round trip of {s}");
        }
        assert_eq!(guard_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
    }

    #[test]
    fn phone_numbers_are_not_taken_for_formulas() {
        for phone in [
            "+86 138 0013 8000",
            "+1 (415) 555-0434",
            "+44 20 7946 0958, +44 7700 900123",
        ] {
            assert_eq!(guard_cell(phone), phone);
            assert_eq!(unguard_cell(phone), phone);
        }
        for formula in ["+1+cmd|'/c calc'!A0", "+SUM(1)", "-2+3", "+", "+86 138, =1"] {
            assert!(guard_cell(formula).starts_with('\''), "{formula}");
        }
    }
}
