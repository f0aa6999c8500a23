//! One imported row → one record, through the same `Fields::set` the
//! forms and the CLI use; and the per-record write path for products,
//! opportunities and activities (matched, then added or updated).

use super::columns::Target;
use super::report::{Action, ImportReport};
use super::salvage;
use super::{unguard_cell, ImportOptions, Result};
use crate::domain::fields::{FieldType, Fields};
use crate::domain::{
    Activity, AnyRecord, Customer, Kind, Opportunity, Product, Record, ValidationErrors,
};
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
    /// Labelled values: field, label, cell.
    labelled: Vec<(&'static str, String, String)>,
    /// Address parts by group, in column order: group, part, cell.
    address_parts: Vec<(String, &'static str, String)>,
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
        let cells: Vec<&str> = cells.collect();
        // Labels of numbered groups (`Phone 1 - Type`), for their values.
        let group_label = |group: &str| -> String {
            mapping
                .iter()
                .zip(&cells)
                .find(|(t, _)| matches!(t, Target::GroupLabel(g) if g == group))
                .map(|(_, c)| crate::domain::card::normalise_label(c))
                .unwrap_or_default()
        };
        for (target, cell) in mapping.iter().zip(cells.iter().copied()) {
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
                Target::Labelled(f, label) => v.labelled.push((f, label.to_string(), cell)),
                Target::Grouped(f, group) => v.labelled.push((f, group_label(group), cell)),
                Target::AddressPart(group, part) => {
                    v.address_parts.push((group.clone(), part, cell))
                }
                Target::GroupLabel(_) => {}
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
            && self.labelled.is_empty()
            && self.address_parts.is_empty()
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
                "phones" | "emails" | "ims" | "websites" => {
                    add_labelled(c, field, None, value);
                    Ok(())
                }
                "needs" => c.set(field, &value.replace(":::", ",").replace('\n', ","), today),
                "groups" => {
                    add_groups(c, value);
                    Ok(())
                }
                _ => c.set(field, value, today),
            };
            if let Err(m) = set {
                let key = salvage::keep(c, field, value);
                warnings.push(crate::tr!(
                    "import-kept-in-custom",
                    field = *field,
                    problem = m.to_string(),
                    key = key
                ));
            }
        }
        // Fax and pager numbers after the numbers one calls.
        let mut labelled: Vec<&(&'static str, String, String)> = self.labelled.iter().collect();
        labelled.sort_by_key(|(f, l, _)| *f == "phones" && matches!(l.as_str(), "fax" | "pager"));
        for (field, label, value) in labelled {
            if *field == "events" {
                let day_field = match label.as_str() {
                    "anniversary" | "纪念日" => "anniversary",
                    "birthday" | "生日" => "birthday",
                    _ => {
                        let key = format!("event {label}").trim().to_string();
                        c.custom.insert(key, value.clone());
                        continue;
                    }
                };
                if let Err(m) = c.set(day_field, value, today) {
                    let key = salvage::keep(c, day_field, value);
                    warnings.push(crate::tr!(
                        "import-kept-in-custom",
                        field = day_field,
                        problem = m.to_string(),
                        key = key
                    ));
                }
                continue;
            }
            add_labelled(c, field, Some(label.as_str()), value);
        }
        self.apply_addresses(c);
        for (k, v) in &self.custom {
            c.custom.insert(k.clone(), v.clone());
        }
        // Thunderbird's birthday in three columns.
        if let (Some(m), Some(d)) = (c.custom.get("birth month"), c.custom.get("birth day")) {
            let y = c.custom.get("birth year").cloned().unwrap_or_default();
            let text = if y.trim().is_empty() {
                format!("--{:0>2}-{:0>2}", m.trim(), d.trim())
            } else {
                format!("{}-{:0>2}-{:0>2}", y.trim(), m.trim(), d.trim())
            };
            if let Ok(day) = crate::domain::card::parse_day(&text) {
                c.card.birthday = day;
                for k in ["birth year", "birth month", "birth day"] {
                    c.custom.remove(k);
                }
            }
        }
        if c.name.trim().is_empty() && self.given.is_empty() && self.family.is_empty() {
            // Only the name-part fields (given_name, family_name) were given.
            c.settle_name_parts();
        }
        if c.name.trim().is_empty() {
            let given = self.given.join(" ");
            let family = self.family.join(" ");
            let middle = self.middle.join(" ");
            c.card.given_name = given.clone();
            c.card.family_name = family.clone();
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

/// Adds the values of one cell to a labelled list field: each value may
/// carry its own `label: ` (dossier's own export), else `label` applies.
fn add_labelled(c: &mut Customer, field: &str, label: Option<&str>, cell: &str) {
    let items = match field {
        "phones" => salvage::split_phones(cell),
        "emails" => salvage::split_emails(cell),
        _ => cell
            .split(":::")
            .flat_map(|p| p.split(['\n', ',']))
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
    };
    let label = label.filter(|l| !l.is_empty());
    for item in items {
        let (own, value) = crate::domain::card::split_label(&item);
        let value = value.to_string();
        let label = own.or_else(|| label.map(str::to_string));
        match field {
            "phones" => {
                if let Some(l) = label {
                    c.card.phone_labels.insert(value.clone(), l);
                }
                c.phones.push(value);
            }
            "emails" => {
                if let Some(l) = label {
                    c.card.email_labels.insert(value.clone(), l);
                }
                c.emails.push(value);
            }
            "ims" => {
                // An IM value written `service: handle` keeps its service.
                let text = crate::domain::card::with_label(label.as_deref(), &value);
                if !c.card.ims.contains(&text) {
                    c.card.ims.push(text);
                }
            }
            _ => {
                // A website is written whole (`https://…` is no label).
                if !c.card.websites.contains(&item) {
                    c.card.websites.push(item.trim().to_string());
                }
            }
        }
    }
}

/// Groups of a cell: Google's `* myContacts ::: Friends` (the system group
/// every contact is in is left out), or a list.
fn add_groups(c: &mut Customer, cell: &str) {
    for g in cell.split(":::").flat_map(|p| p.split([',', ';', '\n'])) {
        let g = g.trim().trim_start_matches('*').trim();
        if g.is_empty() || g.eq_ignore_ascii_case("myContacts") {
            continue;
        }
        if !c.card.groups.iter().any(|x| x == g) {
            c.card.groups.push(g.to_string());
        }
    }
}

impl RowValues {
    /// Addresses named by group (Google's `Address 2 - …`, Outlook's
    /// Business/Home/Other): the first becomes the main address when the
    /// row has none, the others further addresses.
    fn apply_addresses(&self, c: &mut Customer) {
        let mut groups: Vec<(&str, crate::domain::Address, String)> = Vec::new();
        for (group, part, cell) in &self.address_parts {
            let i = match groups.iter().position(|(g, _, _)| g == group) {
                Some(i) => i,
                None => {
                    let label = match group.as_str() {
                        "business" | "work" => "work",
                        "home" => "home",
                        "other" => "other",
                        _ => "",
                    };
                    groups.push((
                        group.as_str(),
                        crate::domain::Address {
                            label: label.into(),
                            ..Default::default()
                        },
                        String::new(),
                    ));
                    groups.len() - 1
                }
            };
            let (_, a, formatted) = &mut groups[i];
            let slot = match *part {
                "street" => &mut a.street,
                "city" => &mut a.city,
                "region" => &mut a.region,
                "postcode" => &mut a.postcode,
                "country" => &mut a.country,
                "label" => {
                    a.label = crate::domain::card::normalise_label(cell);
                    continue;
                }
                _ => formatted,
            };
            if !slot.is_empty() {
                slot.push('\n');
            }
            slot.push_str(cell);
        }
        for (_, mut a, formatted) in groups {
            if a.street.is_empty() {
                a.street = formatted;
            }
            if a.is_empty() {
                continue;
            }
            let main_empty = [&c.address, &c.city, &c.province, &c.country]
                .iter()
                .all(|s| s.is_empty())
                && c.card.postcode.is_empty();
            if main_empty {
                c.address = a.street;
                c.city = a.city;
                c.province = a.region;
                c.card.postcode = a.postcode;
                c.country = a.country;
                c.card.address_label = a.label;
            } else {
                c.card.addresses.push(a);
            }
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
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
        let index = index_of(store, kind)?;
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

    fn one<T: Record + StoredRecord + PartialEq>(
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
        let existing = fresh.import_key().and_then(|k| self.index.get(&k).copied());
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
                let id = Record::meta(&saved).id;
                if let Some(k) = saved.import_key() {
                    self.index.entry(k).or_insert(id);
                }
                report.done(line, action, id, &saved.label());
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

/// The import keys of the live records of `kind`, read page by page.
fn index_of(store: &Store, kind: Kind) -> Result<HashMap<String, i64>> {
    let mut index = HashMap::new();
    let mut after = 0;
    loop {
        let page = Page {
            after,
            limit: 5_000,
            visibility: Visibility::Live,
        };
        let batch: Vec<AnyRecord> = match kind {
            Kind::Product => store.products(page)?.into_iter().map(Into::into).collect(),
            Kind::Opportunity => store
                .opportunities(page)?
                .into_iter()
                .map(Into::into)
                .collect(),
            Kind::Activity => store
                .activities(page)?
                .into_iter()
                .map(Into::into)
                .collect(),
            Kind::Customer => Vec::new(),
        };
        let Some(last) = batch.last() else { break };
        after = last.id();
        for r in &batch {
            if let Some(k) = r.import_key() {
                index.entry(k).or_insert(r.id());
            }
        }
    }
    Ok(index)
}
