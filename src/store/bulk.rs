//! Bulk customer writes for import: rows are matched against the book in
//! memory (email, phone, name + company), validated one by one, and
//! written with cached statements in batches, one transaction per batch.
//! A row is either fully written or not at all; an interrupted import keeps
//! the batches already committed and nothing of the one in progress.
//!
//! Classification: with `classify_each`, every written customer is re-tagged
//! in the same transaction as its row (the store's re-tag cascade). For a
//! very large import the caller turns that off and sweeps once at the end,
//! which classifies the whole book set-based and in parallel.

use super::customers::{self, from_row, tidy};
use super::fast_hash::FastMap;
use super::retag::{affected, ClassifyState};
use super::rows::{self, from_json_list, to_json_list, to_json_map};
use super::{Result, Store};
use crate::domain::identity::{email_key, name_company_key, phone_key};
use crate::domain::{absorb, Customer, Kind, ValidationErrors};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};

/// The customer columns written by an import, in statement order.
const INSERT: &str = concat!(
    "INSERT INTO customers (created_at, updated_at, version, name, kind, company, title, \
    phones, emails, country, province, city, address, industry, size, source, needs, notes, owner, custom, uuid) \
    VALUES (?1, ?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ",
    super::rows::new_uuid_sql!(),
    ")"
);

const UPDATE: &str = "UPDATE customers SET updated_at = ?1, name = ?2, kind = ?3, company = ?4, \
    title = ?5, phones = ?6, emails = ?7, country = ?8, province = ?9, city = ?10, address = ?11, \
    industry = ?12, size = ?13, source = ?14, needs = ?15, notes = ?16, owner = ?17, custom = ?18 \
    WHERE id = ?19";

/// A customer's list and map columns as stored (JSON text).
struct JsonColumns {
    phones: String,
    emails: String,
    needs: String,
    custom: String,
}

impl JsonColumns {
    fn of(c: &Customer) -> JsonColumns {
        JsonColumns {
            phones: to_json_list(&c.phones),
            emails: to_json_list(&c.emails),
            needs: to_json_list(&c.needs),
            custom: to_json_map(&c.custom),
        }
    }
}

/// Writes a customer with a cached positional statement (the store's
/// named-parameter path costs more than the insert itself at a million rows).
fn write(
    conn: &Connection,
    sql: &str,
    c: &Customer,
    json: &JsonColumns,
    now: &str,
    id: Option<i64>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let fields: [&dyn rusqlite::ToSql; 18] = [
        &now,
        &c.name,
        &c.kind.as_str(),
        &c.company,
        &c.title,
        &json.phones,
        &json.emails,
        &c.country,
        &c.province,
        &c.city,
        &c.address,
        &c.industry,
        &c.size,
        &c.source,
        &json.needs,
        &c.notes,
        &c.owner,
        &json.custom,
    ];
    match id {
        None => stmt.execute(&fields[..])?,
        Some(id) => {
            let mut all: Vec<&dyn rusqlite::ToSql> = fields.to_vec();
            all.push(&id);
            stmt.execute(all.as_slice())?
        }
    };
    Ok(())
}

/// An incoming customer with the work that needs no book done: tidied,
/// its identity keys, its validation and its stored columns. An import
/// prepares rows on another thread while the writer matches and writes.
pub struct PreparedCustomer {
    customer: Customer,
    keys: Keys,
    valid: std::result::Result<(), ValidationErrors>,
    json: JsonColumns,
}

impl PreparedCustomer {
    pub fn new(mut incoming: Customer) -> PreparedCustomer {
        incoming.meta = Default::default();
        tidy(&mut incoming);
        let keys = Keys::of(
            &incoming.name,
            &incoming.company,
            &incoming.phones,
            &incoming.emails,
        );
        PreparedCustomer {
            valid: incoming.validate(),
            json: JsonColumns::of(&incoming),
            keys,
            customer: incoming,
        }
    }

    pub fn customer(&self) -> &Customer {
        &self.customer
    }
}

/// Rows per transaction.
pub const BATCH_ROWS: usize = 10_000;

/// What happened to one imported customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created(i64),
    Updated(i64),
    Unchanged(i64),
}

/// Live customers by their identity keys.
#[derive(Debug, Default)]
struct CustomerIndex {
    by_email: FastMap<i64>,
    by_phone: FastMap<i64>,
    by_name_company: FastMap<i64>,
}

/// A customer's identity keys, worked out once per row.
struct Keys {
    emails: Vec<String>,
    phones: Vec<String>,
    name_company: Option<String>,
}

impl Keys {
    fn of(name: &str, company: &str, phones: &[String], emails: &[String]) -> Keys {
        Keys {
            emails: emails.iter().filter_map(|e| email_key(e)).collect(),
            phones: phones.iter().filter_map(|p| phone_key(p)).collect(),
            name_company: name_company_key(name, company),
        }
    }
}

impl CustomerIndex {
    fn load(conn: &Connection) -> Result<Self> {
        let mut index = CustomerIndex::default();
        let mut stmt = conn.prepare(
            "SELECT id, name, company, phones, emails FROM customers WHERE deleted_at IS NULL ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let name: String = r.get(1)?;
            let company: String = r.get(2)?;
            let phones = from_json_list(&r.get::<_, String>(3)?);
            let emails = from_json_list(&r.get::<_, String>(4)?);
            index.add(id, Keys::of(&name, &company, &phones, &emails));
        }
        Ok(index)
    }

    /// Records the keys of a customer; the first customer to hold a key keeps it.
    fn add(&mut self, id: i64, keys: Keys) {
        for e in keys.emails {
            self.by_email.entry(e).or_insert(id);
        }
        for p in keys.phones {
            self.by_phone.entry(p).or_insert(id);
        }
        if let Some(k) = keys.name_company {
            self.by_name_company.entry(k).or_insert(id);
        }
    }

    /// The customer these keys belong to: same email, else same phone,
    /// else same name at the same company.
    fn find(&self, keys: &Keys) -> Option<i64> {
        keys.emails
            .iter()
            .find_map(|e| self.by_email.get(e).copied())
            .or_else(|| {
                keys.phones
                    .iter()
                    .find_map(|p| self.by_phone.get(p).copied())
            })
            .or_else(|| {
                keys.name_company
                    .as_ref()
                    .and_then(|k| self.by_name_company.get(k).copied())
            })
    }
}

/// An import in progress. Dropping it without [`CustomerImport::finish`]
/// rolls back the batch in progress.
pub struct CustomerImport<'s> {
    conn: &'s Connection,
    /// The re-tag cascade, when each row is classified as it is written.
    classify: Option<&'s mut ClassifyState>,
    index: CustomerIndex,
    now: DateTime<Utc>,
    /// `now` as rusqlite stores a timestamp, formatted once.
    now_text: String,
    today: NaiveDate,
    dry_run: bool,
    in_batch: usize,
    open: bool,
}

impl Store {
    /// Starts a bulk customer import. With `dry_run`, everything runs in one
    /// transaction that is rolled back at the end, so the counts are exact
    /// and nothing is kept. With `classify_each`, each written customer is
    /// re-tagged inside its batch; otherwise the caller should sweep after.
    pub fn customer_import(
        &mut self,
        dry_run: bool,
        classify_each: bool,
    ) -> Result<CustomerImport<'_>> {
        let now = self.clock.now();
        let today = self.clock.today();
        let index = CustomerIndex::load(&self.conn)?;
        // A bigger page cache while the import runs; restored by `finish`.
        self.conn.pragma_update(None, "cache_size", -262_144)?;
        Ok(CustomerImport {
            conn: &self.conn,
            classify: classify_each.then_some(&mut self.classify),
            index,
            now,
            now_text: now.format("%F %T%.f%:z").to_string(),
            today,
            dry_run,
            in_batch: 0,
            open: false,
        })
    }
}

impl CustomerImport<'_> {
    fn begin(&mut self) -> Result<()> {
        if !self.open {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.open = true;
            if self.classify.is_none() && !self.dry_run {
                // Each batch commits untagged customers (the sweep at the
                // end tags them): clear "today's sweep ran" in the same
                // transaction, so a kill before that sweep leaves the book
                // marked and the next start re-sweeps it.
                super::sweep::mark_stale(self.conn)?;
            }
        }
        Ok(())
    }

    /// Creates the customer, or updates the one it matches. Invalid rows
    /// come back as validation errors and write nothing.
    pub fn upsert(&mut self, incoming: Customer) -> Result<Upserted, UpsertError> {
        self.upsert_prepared(PreparedCustomer::new(incoming))
    }

    /// [`CustomerImport::upsert`] of a customer prepared beforehand.
    pub fn upsert_prepared(&mut self, p: PreparedCustomer) -> Result<Upserted, UpsertError> {
        self.begin()?;
        let outcome = match self.index.find(&p.keys) {
            Some(id) => self.update(id, &p.customer)?,
            None => {
                p.valid?;
                write(
                    self.conn,
                    INSERT,
                    &p.customer,
                    &p.json,
                    &self.now_text,
                    None,
                )?;
                let id = self.conn.last_insert_rowid();
                self.index.add(id, p.keys);
                self.retag(id, Default::default())?;
                Upserted::Created(id)
            }
        };
        self.in_batch += 1;
        if self.in_batch >= BATCH_ROWS && !self.dry_run {
            self.commit()?;
        }
        Ok(outcome)
    }

    fn update(&mut self, id: i64, incoming: &Customer) -> Result<Upserted, UpsertError> {
        let stored = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM customers WHERE id = ?1",
                customers::COLUMNS
            ))?
            .query_row([id], from_row)
            .optional()?;
        let Some(stored) = stored else {
            return Err(UpsertError::Store(super::StoreError::NotFound {
                kind: Kind::Customer,
                id,
            }));
        };
        let mut merged = stored.clone();
        absorb(&mut merged, incoming);
        tidy(&mut merged);
        if merged == stored {
            return Ok(Upserted::Unchanged(id));
        }
        merged.validate()?;
        let before = if self.classify.is_some() {
            affected(self.conn, Kind::Customer, id)?
        } else {
            Default::default()
        };
        write(
            self.conn,
            UPDATE,
            &merged,
            &JsonColumns::of(&merged),
            &self.now_text,
            Some(id),
        )?;
        rows::bump(self.conn, Kind::Customer, id, stored.meta.version, self.now)?;
        self.index.add(
            id,
            Keys::of(
                &merged.name,
                &merged.company,
                &merged.phones,
                &merged.emails,
            ),
        );
        self.retag(id, before)?;
        Ok(Upserted::Updated(id))
    }

    /// Re-tags a written customer (and what it touches) in its batch.
    fn retag(&mut self, id: i64, before: std::collections::BTreeSet<(Kind, i64)>) -> Result<()> {
        if let Some(cls) = self.classify.as_deref_mut() {
            cls.after_write(
                self.conn,
                (Kind::Customer, id),
                before,
                self.today,
                self.now,
            )?;
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        if self.open {
            self.conn.execute_batch("COMMIT")?;
            self.open = false;
        }
        self.in_batch = 0;
        Ok(())
    }

    /// Commits the last batch (or, for a dry run, rolls everything back).
    /// An import that did not classify row by row marks the book for a
    /// sweep, so its customers are tagged at the next start at the latest.
    pub fn finish(mut self) -> Result<()> {
        if self.dry_run {
            self.rollback();
        } else {
            if self.classify.is_none() {
                super::sweep::mark_stale(self.conn)?;
            }
            self.commit()?;
        }
        self.conn.pragma_update(None, "cache_size", -2_000)?;
        Ok(())
    }

    fn rollback(&mut self) {
        if self.open {
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::error!(error = %e, "rolling back an import batch failed");
            }
            self.open = false;
        }
    }
}

impl Drop for CustomerImport<'_> {
    fn drop(&mut self) {
        self.rollback();
    }
}

/// Why one row was not written.
#[derive(Debug, thiserror::Error)]
pub enum UpsertError {
    /// The row's values are not valid; the import goes on.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// The database failed; the import stops.
    #[error("{0}")]
    Store(#[from] super::StoreError),
}

impl From<ValidationErrors> for UpsertError {
    fn from(v: ValidationErrors) -> Self {
        UpsertError::Invalid(v)
    }
}

impl From<rusqlite::Error> for UpsertError {
    fn from(e: rusqlite::Error) -> Self {
        UpsertError::Store(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, email: &str) -> Customer {
        let mut c = Customer::named(name);
        if !email.is_empty() {
            c.emails = vec![email.into()];
        }
        c
    }

    #[test]
    fn second_import_updates_instead_of_duplicating() {
        let mut s = Store::open_in_memory().unwrap();
        let mut imp = s.customer_import(false, true).unwrap();
        let a = imp.upsert(person("Ann", "ann@x.com")).unwrap();
        assert!(matches!(a, Upserted::Created(_)));
        let again = imp.upsert(person("Ann", "ANN@x.com")).unwrap();
        assert!(matches!(again, Upserted::Unchanged(_)));
        let mut moved = person("Ann", "ann@x.com");
        moved.city = "Lyon".into();
        assert!(matches!(
            imp.upsert(moved.clone()).unwrap(),
            Upserted::Updated(_)
        ));
        assert!(matches!(
            imp.upsert(person("", "bad")),
            Err(UpsertError::Invalid(_))
        ));
        imp.finish().unwrap();
        assert_eq!(s.counts().unwrap().customers, 1);
        let c = s.customers(Default::default()).unwrap().remove(0);
        assert_eq!((c.city.as_str(), c.meta.version), ("Lyon", 2));
        // Classified on the way in.
        assert!(!s.tags(Kind::Customer, c.meta.id).unwrap().is_empty());
    }

    #[test]
    fn dry_run_writes_nothing() {
        let mut s = Store::open_in_memory().unwrap();
        let mut imp = s.customer_import(true, true).unwrap();
        imp.upsert(person("Ann", "")).unwrap();
        imp.finish().unwrap();
        assert_eq!(s.counts().unwrap().customers, 0);
    }

    #[test]
    fn dropped_import_keeps_no_partial_batch() {
        let mut s = Store::open_in_memory().unwrap();
        {
            let mut imp = s.customer_import(false, true).unwrap();
            imp.upsert(person("Ann", "")).unwrap();
        }
        assert_eq!(s.counts().unwrap().customers, 0);
    }
}
