//! One imported row → one record, through the same `Fields::set` the
//! forms and the CLI use; and the per-record write path for products,
//! opportunities and activities (matched, then added or updated).

use super::columns::Target;
use super::report::{Action, ImportReport};
use super::salvage;
use super::{unguard_cell, ImportOptions, Result};
use crate::domain::fields::{FieldType, Fields};
use crate::domain::{Activity, Customer, Kind, Opportunity, Product, ValidationErrors};
use crate::store::{Page, Store, StoreError, StoredRecord, Visibility};
use chrono::NaiveDate;
use std::collections::HashMap;

/// The non-empty cells of one row, by target.
#[derive(Debug, Default)]
pub(crate) struct RowValues {
    fields: Vec<(&'static str, String)>,
    custom: Vec<(String, String)>,
    given: Vec<String>,
    family: Vec<String>,
    middle: Vec<String>,
}

impl RowValues {
    /// Collects a row's cells; several columns for one list field are
    /// joined, for a text field the first filled one wins.
    /// `specs` are the kind's fields (`columns::specs`), passed in so a large
    /// import works them out once.
    pub(crate) fn collect<'a>(
        specs: &[crate::domain::fields::FieldSpec],
        mapping: &[Target],
        cells: impl Iterator<Item = &'a str>,
    ) -> RowValues {
        let mut v = RowValues::default();
        for (target, cell) in mapping.iter().zip(cells) {
            let cell = unguard_cell(cell.trim());
            if cell.is_empty() {
                continue;
            }
            let cell = cell.to_string();
            match target {
                Target::Field(f) => {
                    let is_list = specs
                        .iter()
                        .any(|s| s.name == *f && s.ty == FieldType::List);
                    match v.fields.iter_mut().find(|(name, _)| name == f) {
                        Some((_, old)) if is_list => {
                            // Phones and emails are split by the salvage
                            // rules, where a comma can be part of a value.
                            old.push_str(if matches!(*f, "phones" | "emails") {
                                "\n"
                            } else {
                                ", "
                            });
                            old.push_str(&cell);
                        }
                        // Address line 2 (Thunderbird, Salesforce): one
                        // street address over several lines.
                        Some((_, old)) if *f == "address" => {
                            old.push('\n');
                            old.push_str(&cell);
                        }
                        Some(_) => {}
                        None => v.fields.push((f, cell)),
                    }
                }
                Target::Custom(k) => v.custom.push((k.clone(), cell)),
                Target::GivenName => v.given.push(cell),
                Target::FamilyName => v.family.push(cell),
                Target::MiddleName => v.middle.push(cell),
                Target::Ignore => {}
            }
        }
        // Fields in form order, so an activity's kind is set before the rest.
        v.fields
            .sort_by_key(|(f, _)| specs.iter().position(|s| s.name == *f));
        v
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.fields.is_empty()
            && self.custom.is_empty()
            && self.given.is_empty()
            && self.family.is_empty()
            && self.middle.is_empty()
    }

    /// Sets every collected field; all problems are reported together.
    pub(crate) fn apply(
        &self,
        record: &mut dyn Fields,
        today: NaiveDate,
    ) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::new();
        for (field, value) in &self.fields {
            if let Err(m) = record.set(field, value, today) {
                errs.add(field, m);
            }
        }
        errs.into_result()
    }

    /// Sets a customer's fields the way a real address book needs: phones
    /// and emails split by [`salvage::split_phones`] and
    /// [`salvage::split_emails`] (Google's ` ::: ` included); a value its
    /// field refuses (a size of "about 50") is kept in a custom field with a
    /// warning instead of costing the row. Then custom fields and a name
    /// made of first/middle/last name columns when there is no name column.
    pub(crate) fn apply_customer(
        &self,
        c: &mut Customer,
        today: NaiveDate,
        warnings: &mut Vec<String>,
    ) {
        for (field, value) in &self.fields {
            let set = match *field {
                "phones" => {
                    c.phones.extend(salvage::split_phones(value));
                    Ok(())
                }
                "emails" => {
                    c.emails.extend(salvage::split_emails(value));
                    Ok(())
                }
                "needs" => c.set(field, &value.replace(":::", ",").replace('\n', ","), today),
                _ => c.set(field, value, today),
            };
            if let Err(m) = set {
                let key = salvage::keep(c, field, value);
                warnings.push(format!("{field}: {m} — kept in custom field '{key}'"));
            }
        }
        for (k, v) in &self.custom {
            c.custom.insert(k.clone(), v.clone());
        }
        if c.name.trim().is_empty() {
            let given = self.given.join(" ");
            let family = self.family.join(" ");
            let middle = self.middle.join(" ");
            let cjk = given.chars().chain(family.chars()).any(is_cjk);
            c.name = if cjk {
                format!("{family}{given}")
            } else {
                [given, middle, family]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// What the per-record path needs of a kind.
trait Importable: Fields + StoredRecord + PartialEq + Sized {
    fn fresh(today: NaiveDate) -> Self;
    /// What makes two rows the same record; `None` never matches.
    fn key(&self) -> Option<String>;
    fn label(&self) -> String;
    fn page(store: &Store, page: Page) -> crate::store::Result<Vec<Self>>;
}

fn low(s: &str) -> String {
    s.trim().to_lowercase()
}

impl Importable for Product {
    fn fresh(_: NaiveDate) -> Self {
        Product::default()
    }
    fn key(&self) -> Option<String> {
        if !self.sku.trim().is_empty() {
            Some(format!("sku:{}", low(&self.sku)))
        } else {
            Some(format!("name:{}", low(&self.name)))
        }
    }
    fn label(&self) -> String {
        self.name.clone()
    }
    fn page(store: &Store, page: Page) -> crate::store::Result<Vec<Self>> {
        store.products(page)
    }
}

impl Importable for Opportunity {
    fn fresh(_: NaiveDate) -> Self {
        Opportunity::default()
    }
    fn key(&self) -> Option<String> {
        Some(format!("{}|{}", self.customer_id, low(&self.title)))
    }
    fn label(&self) -> String {
        self.title.clone()
    }
    fn page(store: &Store, page: Page) -> crate::store::Result<Vec<Self>> {
        store.opportunities(page)
    }
}

impl Importable for Activity {
    fn fresh(today: NaiveDate) -> Self {
        Activity {
            date: today,
            ..Default::default()
        }
    }
    fn key(&self) -> Option<String> {
        Some(format!(
            "{}|{:?}|{}|{}",
            self.kind,
            self.customer_id,
            self.date,
            low(&self.summary)
        ))
    }
    fn label(&self) -> String {
        format!("{} {}: {}", self.date, self.kind, self.summary)
    }
    fn page(store: &Store, page: Page) -> crate::store::Result<Vec<Self>> {
        store.activities(page)
    }
}

/// Rows of a non-customer kind, one store write per row (each its own
/// transaction, so a row is whole or absent).
pub(crate) struct OtherKinds {
    kind: Kind,
    index: HashMap<String, i64>,
    today: NaiveDate,
}

impl OtherKinds {
    pub(crate) fn new(store: &Store, kind: Kind) -> Result<Self> {
        let index = match kind {
            Kind::Product => index_of::<Product>(store)?,
            Kind::Opportunity => index_of::<Opportunity>(store)?,
            Kind::Activity => index_of::<Activity>(store)?,
            Kind::Customer => HashMap::new(),
        };
        Ok(OtherKinds {
            kind,
            index,
            today: store.clock().today(),
        })
    }

    /// Imports one row; a store failure other than a problem with the row
    /// stops the import.
    pub(crate) fn row(
        &mut self,
        store: &mut Store,
        values: &RowValues,
        line: u64,
        opts: &ImportOptions,
        report: &mut ImportReport,
    ) -> Result<()> {
        match self.kind {
            Kind::Product => self.one::<Product>(store, values, line, opts, report),
            Kind::Opportunity => self.one::<Opportunity>(store, values, line, opts, report),
            Kind::Activity => self.one::<Activity>(store, values, line, opts, report),
            Kind::Customer => Ok(()),
        }
    }

    fn one<T: Importable>(
        &mut self,
        store: &mut Store,
        values: &RowValues,
        line: u64,
        opts: &ImportOptions,
        report: &mut ImportReport,
    ) -> Result<()> {
        let mut fresh = T::fresh(self.today);
        if let Err(e) = values.apply(&mut fresh, self.today) {
            report.reject(line, e.to_string());
            return Ok(());
        }
        let existing = fresh.key().and_then(|k| self.index.get(&k).copied());
        let outcome = match existing {
            Some(id) => {
                let stored = T::read(store.conn(), id)?;
                let mut changed = stored.clone();
                if let Err(e) = values.apply(&mut changed, self.today) {
                    report.reject(line, e.to_string());
                    return Ok(());
                }
                if changed == stored {
                    Ok((Action::Unchanged, stored))
                } else if opts.dry_run {
                    StoredRecord::validate(&changed)
                        .map(|_| (Action::Updated, changed))
                        .map_err(StoreError::Invalid)
                } else {
                    store
                        .save_existing(&changed)
                        .map(|w| (Action::Updated, w.record))
                }
            }
            None if opts.dry_run => StoredRecord::validate(&fresh)
                .map(|_| (Action::Created, fresh.clone()))
                .map_err(StoreError::Invalid),
            None => store.save_new(&fresh).map(|w| (Action::Created, w.record)),
        };
        match outcome {
            Ok((action, saved)) => {
                if let Some(k) = saved.key() {
                    self.index.entry(k).or_insert(saved.meta().id);
                }
                report.done(line, action, saved.meta().id, &saved.label());
            }
            Err(
                e @ (StoreError::Sqlite(_) | StoreError::Io { .. } | StoreError::Corrupt { .. }),
            ) => return Err(e.into()),
            Err(StoreError::Invalid(v)) => report.reject(line, v.to_string()),
            Err(e) => report.reject(line, e.to_string()),
        }
        Ok(())
    }
}

fn index_of<T: Importable>(store: &Store) -> Result<HashMap<String, i64>> {
    let mut index = HashMap::new();
    let mut after = 0;
    loop {
        let batch = T::page(
            store,
            Page {
                after,
                limit: 5_000,
                visibility: Visibility::Live,
            },
        )?;
        let Some(last) = batch.last() else { break };
        after = last.meta().id;
        for r in &batch {
            if let Some(k) = r.key() {
                index.entry(k).or_insert(r.meta().id);
            }
        }
    }
    Ok(index)
}
