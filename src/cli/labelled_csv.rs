//! `dossier export --labels`: a CSV for people, in the language in force —
//! the fields' labels as headers, then one column per tag dimension with
//! the value's label (客户价值: 高). The plain CSV keeps ids and imports
//! back; this one is for reading and spreadsheets.

use super::output::AnyRecord;
use super::people::{field_label, subject_of, Labels};
use crate::domain::fields::{FieldSpec, CAMPAIGN_FIELDS, TOUCH_FIELDS};
use crate::domain::Kind;
use crate::interchange::guard_cell;
use crate::store::{Page, Store, Visibility};
use anyhow::Result;
use std::collections::HashSet;
use std::io::Write;

/// The fields of `kind`, each with the list it belongs to (activities:
/// touches' fields, then the campaign fields touches lack).
fn columns(kind: Kind) -> Vec<(&'static [FieldSpec], &'static FieldSpec)> {
    let lists: Vec<&'static [FieldSpec]> = match kind {
        Kind::Customer => vec![crate::domain::fields::CUSTOMER_FIELDS],
        Kind::Opportunity => vec![crate::domain::fields::OPPORTUNITY_FIELDS],
        Kind::Product => vec![crate::domain::fields::PRODUCT_FIELDS],
        Kind::Activity => vec![TOUCH_FIELDS, CAMPAIGN_FIELDS],
    };
    let mut out: Vec<(&'static [FieldSpec], &'static FieldSpec)> = Vec::new();
    for list in lists {
        for spec in list {
            if !out.iter().any(|(_, s)| s.name == spec.name) {
                out.push((list, spec));
            }
        }
    }
    out
}

/// Writes the live records of `kind` carrying every tag in `filters`
/// (`(dimension, value)` ids); returns how many.
pub fn write(
    store: &mut Store,
    kind: Kind,
    filters: &[(String, String)],
    out: &mut dyn Write,
) -> Result<u64> {
    let labels = Labels::load(store)?;
    let mut allowed: Option<HashSet<i64>> = None;
    for (dim, value) in filters {
        let ids: HashSet<i64> = store.ids_with_tag(kind, dim, value)?.into_iter().collect();
        allowed = Some(match allowed {
            None => ids,
            Some(prev) => prev.intersection(&ids).copied().collect(),
        });
    }
    let cols = columns(kind);
    let dims: Vec<(String, String)> = labels
        .rules
        .dimensions(subject_of(kind))
        .iter()
        .map(|d| (d.name.clone(), d.label(labels.lang).to_string()))
        .collect();
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["id".to_string()];
    header.extend(cols.iter().map(|(list, spec)| field_label(list, spec)));
    header.extend(dims.iter().map(|(_, label)| label.clone()));
    w.write_record(header.iter().map(|h| guard_cell(h).into_owned()))?;
    let mut n = 0;
    let mut after = 0;
    loop {
        let page = Page {
            after,
            limit: 500,
            visibility: Visibility::Live,
        };
        let records: Vec<AnyRecord> = match kind {
            Kind::Customer => store
                .customers(page)?
                .into_iter()
                .map(AnyRecord::Customer)
                .collect(),
            Kind::Opportunity => store
                .opportunities(page)?
                .into_iter()
                .map(AnyRecord::Opportunity)
                .collect(),
            Kind::Product => store
                .products(page)?
                .into_iter()
                .map(AnyRecord::Product)
                .collect(),
            Kind::Activity => store
                .activities(page)?
                .into_iter()
                .map(AnyRecord::Activity)
                .collect(),
        };
        let Some(last) = records.last() else { break };
        after = last.meta().id;
        for r in &records {
            let id = r.meta().id;
            if allowed.as_ref().is_some_and(|a| !a.contains(&id)) {
                continue;
            }
            let tags = store.tags(kind, id)?;
            let mut row = vec![id.to_string()];
            let fields = r.fields();
            let own: Vec<&str> = fields.specs().iter().map(|s| s.name).collect();
            for (_, spec) in &cols {
                row.push(if own.contains(&spec.name) {
                    fields.get(spec.name)
                } else {
                    String::new()
                });
            }
            for (dim, _) in &dims {
                row.push(
                    tags.iter()
                        .filter(|t| &t.dimension == dim)
                        .map(|t| labels.tag(kind, dim, &t.value).1)
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
            w.write_record(row.iter().map(|c| guard_cell(c).into_owned()))?;
            n += 1;
        }
    }
    w.flush()?;
    Ok(n)
}

/// `dossier export --labels [--kind K] [--tag …] [-o FILE]`.
pub fn export(
    store: &mut Store,
    format: super::args::FormatArg,
    kind: Option<super::args::KindArg>,
    tags: &[String],
    (output, force): (Option<std::path::PathBuf>, bool),
) -> Result<std::process::ExitCode> {
    use anyhow::{anyhow, bail};
    if format != super::args::FormatArg::Csv {
        bail!("{}", crate::tr!("cli-labels-csv-only"));
    }
    let kind = kind.map_or(Kind::Customer, Kind::from);
    let labels = Labels::load(store)?;
    let filters = tags
        .iter()
        .map(|t| {
            labels
                .filter(kind, t)
                .ok_or_else(|| anyhow!("{}", crate::tr!("cli-bad-tag-filter", filter = t)))
        })
        .collect::<Result<Vec<_>>>()?;
    let not_exported = |e: &dyn std::fmt::Display| {
        anyhow!("{}", crate::tr!("cli-not-exported", error = e.to_string()))
    };
    let n = match &output {
        Some(path) => {
            let mut file = store
                .output_file(path, force)
                .map_err(|e| not_exported(&e))?;
            let n = write(
                store,
                kind,
                &filters,
                &mut std::io::BufWriter::new(file.file()),
            )?;
            file.commit().map_err(|e| not_exported(&e))?;
            n
        }
        None => {
            use std::io::IsTerminal;
            let mut buf = Vec::new();
            let n = write(store, kind, &filters, &mut buf)?;
            let text = String::from_utf8_lossy(&buf);
            let mut out = std::io::stdout().lock();
            if out.is_terminal() {
                // Record text must not drive the terminal.
                out.write_all(crate::domain::text::sanitize_multiline(&text).as_bytes())?;
            } else {
                out.write_all(&buf)?;
            }
            out.flush()?;
            n
        }
    };
    let to = output
        .map(|p| crate::tr!("cli-exported-to", path = p.display().to_string()))
        .unwrap_or_default();
    eprintln!("{}", crate::tr!("cli-exported", count = n, to = to));
    Ok(std::process::ExitCode::SUCCESS)
}
