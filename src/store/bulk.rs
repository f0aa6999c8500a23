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
use super::engine::conn::Conn;
use super::fast_hash::{self, FastMap};
use super::retag::{affected, ClassifyState};
use super::rows::{self, from_json_list, to_json_list, to_json_map};
use super::{Result, Store};
use crate::domain::identity::{company_key, email_key, name_key, phone_key};
use crate::domain::{absorb, Customer, Kind, ValidationErrors};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::OptionalExtension;
use std::collections::HashSet;

/// Whether importing `row` onto `stored` would change nothing.
fn adds_nothing(stored: &Customer, row: &Customer) -> bool {
    let mut merged = stored.clone();
    absorb(&mut merged, row);
    tidy(&mut merged);
    merged == *stored
}

/// The customer columns written by an import, in statement order.
const INSERT: &str = concat!(
    "INSERT INTO customers (created_at, updated_at, version, name, kind, company, title, \
    phones, emails, country, province, city, address, industry, size, source, needs, notes, owner, custom, card, uuid) \
    VALUES (?1, ?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ",
    super::rows::new_uuid_sql!(),
    ")"
);

const UPDATE: &str = "UPDATE customers SET updated_at = ?1, name = ?2, kind = ?3, company = ?4, \
    title = ?5, phones = ?6, emails = ?7, country = ?8, province = ?9, city = ?10, address = ?11, \
    industry = ?12, size = ?13, source = ?14, needs = ?15, notes = ?16, owner = ?17, custom = ?18, card = ?19 \
    WHERE id = ?20";

/// A customer's list and map columns as stored (JSON text).
struct JsonColumns {
    phones: String,
    emails: String,
    needs: String,
    custom: String,
    card: String,
}

impl JsonColumns {
    fn of(c: &Customer) -> JsonColumns {
        JsonColumns {
            phones: to_json_list(&c.phones),
            emails: to_json_list(&c.emails),
            needs: to_json_list(&c.needs),
            custom: to_json_map(&c.custom),
            card: c.card.to_json(),
        }
    }
}

/// Writes a customer with a cached positional statement (the store's
/// named-parameter path costs more than the insert itself at a million rows).
fn write(
    conn: &Conn,
    sql: &str,
    c: &Customer,
    json: &JsonColumns,
    now: &str,
    id: Option<i64>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let fields: [&dyn rusqlite::ToSql; 19] = [
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
        &json.card,
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

/// Live customers by their identity keys. Matching asks for strong
/// evidence (see [`CustomerIndex::find`]): a shared office switchboard or a
/// common name alone must never fold two people into one file.
#[derive(Debug, Default)]
struct CustomerIndex {
    by_email: FastMap<i64>,
    /// `name|phone` → the customer and whether it has an email.
    by_name_phone: FastMap<(i64, bool)>,
    /// `name|company` → the customer and whether it has an email.
    by_name_company: FastMap<(i64, bool)>,
    /// Names of customers with no email, phone or company: a bare row of
    /// that name is only "unchanged" when it adds nothing to one of them.
    by_bare_name: FastMap<i64>,
    /// Any customer holding a phone, for the "shares a phone" warning.
    by_phone: FastMap<i64>,
    /// Any customer of a name and whether it has an email, for the
    /// "same name" warning.
    by_name: FastMap<(i64, bool)>,
}

/// A customer's identity keys, worked out once per row.
struct Keys {
    emails: Vec<String>,
    phones: Vec<String>,
    /// The name as compared (pinyin-equal names are equal).
    name: Option<String>,
    company: Option<String>,
}

impl Keys {
    fn of(name: &str, company: &str, phones: &[String], emails: &[String]) -> Keys {
        let mut phone_keys: Vec<String> = phones.iter().filter_map(|p| phone_key(p)).collect();
        phone_keys.dedup();
        Keys {
            emails: emails.iter().filter_map(|e| email_key(e)).collect(),
            phones: phone_keys,
            name: name_key(name),
            company: company_key(company),
        }
    }

    fn is_bare(&self) -> bool {
        self.emails.is_empty() && self.phones.is_empty() && self.company.is_none()
    }
}

/// How a row found the customer it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// The same email.
    Email(i64),
    /// The same name with the same phone or company.
    NameAnd(i64),
    /// A customer of the same name with nothing else to tell: the row
    /// counts as that customer only if it adds nothing to it.
    BareName(i64),
}

impl CustomerIndex {
    fn load(conn: &Conn) -> Result<Self> {
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
            index.add(id, &Keys::of(&name, &company, &phones, &emails));
        }
        Ok(index)
    }

    /// Records the keys of a customer; the first customer to hold a key keeps it.
    fn add(&mut self, id: i64, keys: &Keys) {
        let has_email = !keys.emails.is_empty();
        for e in &keys.emails {
            fast_hash::update(&mut self.by_email, e, |v| {
                if *v == 0 {
                    *v = id
                }
            });
        }
        for p in &keys.phones {
            fast_hash::update(&mut self.by_phone, p, |v| {
                if *v == 0 {
                    *v = id
                }
            });
        }
        let Some(name) = &keys.name else { return };
        fast_hash::update(&mut self.by_name, name, |v| {
            if v.0 == 0 {
                *v = (id, has_email)
            }
        });
        for p in &keys.phones {
            self.by_name_phone
                .entry(format!("{name}|{p}"))
                .or_insert((id, has_email));
        }
        if let Some(c) = &keys.company {
            self.by_name_company
                .entry(format!("{name}|{c}"))
                .or_insert((id, has_email));
        }
        if keys.is_bare() {
            self.by_bare_name.entry(name.clone()).or_insert(id);
        }
    }

    /// The customer these keys belong to, on strong evidence only: the
    /// same email; else the same name (pinyin-equal counts) with the same
    /// phone or the same company — unless both sides have emails and none
    /// is shared, which says they are two people.
    fn find(&self, keys: &Keys) -> Option<Found> {
        if let Some(id) = keys
            .emails
            .iter()
            .find_map(|e| self.by_email.get(e).copied())
        {
            return Some(Found::Email(id));
        }
        let name = keys.name.as_ref()?;
        let compatible = |(id, has_email): (i64, bool)| {
            (!has_email || keys.emails.is_empty()).then_some(Found::NameAnd(id))
        };
        let by_phone = keys.phones.iter().find_map(|p| {
            self.by_name_phone
                .get(&format!("{name}|{p}"))
                .copied()
                .and_then(compatible)
        });
        let by_company = || {
            keys.company.as_ref().and_then(|c| {
                self.by_name_company
                    .get(&format!("{name}|{c}"))
                    .copied()
                    .and_then(compatible)
            })
        };
        by_phone.or_else(by_company).or_else(|| {
            keys.is_bare()
                .then(|| self.by_bare_name.get(name).copied().map(Found::BareName))
                .flatten()
        })
    }

    /// Another customer of this name that nothing tells apart from these
    /// keys (two different emails do), if any.
    fn sharing_name(&self, keys: &Keys) -> Option<i64> {
        let (id, has_email) = *self.by_name.get(keys.name.as_ref()?)?;
        (!has_email || keys.emails.is_empty()).then_some(id)
    }

    /// Another customer holding one of these phones, if any.
    fn sharing_phone<'k>(&self, keys: &'k Keys) -> Option<(i64, &'k str)> {
        keys.phones
            .iter()
            .find_map(|p| self.by_phone.get(p).map(|&id| (id, p.as_str())))
    }
}

/// An import in progress. Dropping it without [`CustomerImport::finish`]
/// rolls back the batch in progress.
pub struct CustomerImport<'s> {
    conn: &'s Conn,
    /// The re-tag cascade, when each row is classified as it is written.
    classify: Option<&'s mut ClassifyState>,
    index: CustomerIndex,
    /// Ids from here on were created by this import.
    first_new_id: i64,
    /// Customers of the book this import updated.
    updated_here: HashSet<i64>,
    /// What the last row's outcome should tell the user (see
    /// [`CustomerImport::take_notice`]).
    notice: Option<String>,
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
        let first_new_id: i64 =
            self.conn
                .query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM customers", [], |r| {
                    r.get(0)
                })?;
        // A bigger page cache while the import runs; restored by `finish`.
        self.conn.pragma_update(None, "cache_size", -262_144)?;
        Ok(CustomerImport {
            conn: &self.conn,
            classify: classify_each.then_some(&mut self.classify),
            index,
            first_new_id,
            updated_here: HashSet::new(),
            notice: None,
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
            self.conn.begin_write()?;
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
        self.notice = None;
        let target = match self.index.find(&p.keys) {
            Some(Found::Email(id)) if self.touched(id) && !self.same_name(id, &p.keys)? => {
                // Two people of one file sharing an address (a team inbox):
                // never one record; the duplicate check offers the pair.
                self.notice = Some(crate::tr!("import-shared-email", id = id));
                None
            }
            Some(Found::Email(id) | Found::NameAnd(id)) => Some(id),
            Some(Found::BareName(id)) => match self.load(id)? {
                Some(stored) if adds_nothing(&stored, &p.customer) => {
                    self.count_row()?;
                    return Ok(Upserted::Unchanged(id));
                }
                _ => {
                    self.notice = Some(crate::tr!("import-same-name-only", id = id));
                    None
                }
            },
            None => {
                if let Some((other, phone)) = self.index.sharing_phone(&p.keys) {
                    self.notice = Some(crate::tr!(
                        "import-shared-phone",
                        phone = phone.to_string(),
                        id = other
                    ));
                } else if let Some(other) = self.index.sharing_name(&p.keys) {
                    self.notice = Some(crate::tr!("import-same-name-nothing-shared", id = other));
                }
                None
            }
        };
        let outcome = match target {
            Some(id) => {
                let done = self.update(id, &p.customer)?;
                if matches!(done, Upserted::Updated(_)) && id < self.first_new_id {
                    self.updated_here.insert(id);
                }
                done
            }
            None => {
                if let Err(e) = p.valid {
                    self.notice = None;
                    return Err(e.into());
                }
                write(
                    self.conn,
                    INSERT,
                    &p.customer,
                    &p.json,
                    &self.now_text,
                    None,
                )?;
                let id = self.conn.last_insert_rowid()?;
                self.index.add(id, &p.keys);
                self.retag(id, Default::default())?;
                Upserted::Created(id)
            }
        };
        self.count_row()?;
        Ok(outcome)
    }

    /// What the last upserted row should tell the user beside its outcome
    /// (a likely duplicate that was kept apart), once.
    pub fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    fn count_row(&mut self) -> Result<()> {
        self.in_batch += 1;
        if self.in_batch >= BATCH_ROWS && !self.dry_run {
            self.commit()?;
        }
        Ok(())
    }

    /// Whether this import created or changed the customer.
    fn touched(&self, id: i64) -> bool {
        id >= self.first_new_id || self.updated_here.contains(&id)
    }

    /// Whether the stored customer's name equals (pinyin aside) the row's;
    /// a blank name on either side does not disagree.
    fn same_name(&self, id: i64, keys: &Keys) -> Result<bool> {
        let stored: Option<String> = self
            .conn
            .prepare_cached("SELECT name FROM customers WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(match (stored.as_deref().and_then(name_key), &keys.name) {
            (Some(a), Some(b)) => a == *b,
            _ => true,
        })
    }

    fn load(&self, id: i64) -> Result<Option<Customer>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM customers WHERE id = ?1",
                customers::COLUMNS
            ))?
            .query_row([id], from_row)
            .optional()?)
    }

    fn update(&mut self, id: i64, incoming: &Customer) -> Result<Upserted, UpsertError> {
        let Some(stored) = self.load(id)? else {
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
            &Keys::of(
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
            self.conn.end(true)?;
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
            if let Err(e) = self.conn.end(false) {
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

    fn with(name: &str, company: &str, phone: &str, email: &str) -> Customer {
        let mut c = person(name, email);
        c.company = company.into();
        if !phone.is_empty() {
            c.phones = vec![phone.into()];
        }
        c
    }

    /// Imports the rows into `s` (which may hold customers already) and
    /// returns what each row did and the notices given.
    fn run(s: &mut Store, rows: &[Customer]) -> (Vec<Upserted>, Vec<Option<String>>) {
        let mut imp = s.customer_import(false, false).unwrap();
        let mut out = (vec![], vec![]);
        for r in rows {
            out.0.push(imp.upsert(r.clone()).unwrap());
            out.1.push(imp.take_notice());
        }
        imp.finish().unwrap();
        out
    }

    fn created(u: &Upserted) -> bool {
        matches!(u, Upserted::Created(_))
    }

    #[test]
    fn a_shared_switchboard_phone_never_merges_two_people() {
        let mut s = Store::open_in_memory().unwrap();
        let (done, notes) = run(
            &mut s,
            &[
                with("Ann Lee", "Acme", "+44 20 7946 0000", ""),
                with("Bob Stone", "Acme Ltd", "+44 20 7946 0000", ""),
            ],
        );
        assert!(done.iter().all(created), "{done:?}");
        assert!(notes[1].as_deref().unwrap_or("").contains("shares phone"));
        assert_eq!(s.counts().unwrap().customers, 2);
        // … and the duplicate check offers the pair.
        assert_eq!(s.duplicate_pairs().unwrap().len(), 1);
    }

    #[test]
    fn the_same_name_without_company_is_a_new_customer_offered_as_duplicate() {
        let mut s = Store::open_in_memory().unwrap();
        let mut a = with("张伟", "", "", "");
        a.city = "上海".into();
        let mut b = with("张伟", "", "", "");
        b.city = "北京".into();
        let (done, notes) = run(&mut s, &[a.clone(), b]);
        assert!(done.iter().all(created), "{done:?}");
        assert!(notes[1].as_deref().unwrap_or("").contains("same name"));
        let pairs = s.duplicate_pairs().unwrap();
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        // Importing the first row again adds nothing: unchanged, not a third.
        let (again, _) = run(&mut s, &[a]);
        assert!(matches!(again[0], Upserted::Unchanged(_)), "{again:?}");
        assert_eq!(s.counts().unwrap().customers, 2);
    }

    #[test]
    fn strong_evidence_updates() {
        let mut s = Store::open_in_memory().unwrap();
        let (first, _) = run(
            &mut s,
            &[
                with("张伟", "华信科技", "13800138000", ""),
                with("Ann Lee", "", "", "ann@x.com"),
                with("Bob Stone", "", "020 7946 0958", ""),
            ],
        );
        let id = |u: &Upserted| match u {
            Upserted::Created(i) | Upserted::Updated(i) | Upserted::Unchanged(i) => *i,
        };
        let mut title = with("张伟", "华信科技有限公司", "", "");
        title.title = "经理".into();
        let mut city = with("章伟", "", "+86 138 0013 8000", "");
        city.city = "上海".into();
        let mut renamed = with("Ann Lee-Smith", "", "", "ANN@x.com");
        renamed.notes = "married".into();
        let (then, _) = run(
            &mut s,
            &[
                title,
                city,
                renamed,
                with("Bob Stone", "", "020 7946 0958", "bob@y.com"),
            ],
        );
        assert_eq!(
            then.iter().map(id).collect::<Vec<_>>(),
            vec![id(&first[0]), id(&first[0]), id(&first[1]), id(&first[2])]
        );
        assert!(then.iter().all(|u| matches!(u, Upserted::Updated(_))));
        assert_eq!(s.counts().unwrap().customers, 3);
    }

    #[test]
    fn same_name_and_company_with_different_emails_are_two_people() {
        let mut s = Store::open_in_memory().unwrap();
        let (done, _) = run(
            &mut s,
            &[
                with("Yuki Martinez", "Initech", "", "yuki1@initech.example"),
                with("Yuki Martinez", "Initech", "", "yuki2@initech.example"),
            ],
        );
        assert!(done.iter().all(created), "{done:?}");
    }

    #[test]
    fn two_names_in_one_file_never_become_one_record() {
        let mut s = Store::open_in_memory().unwrap();
        let (done, notes) = run(
            &mut s,
            &[
                with("Ann Lee", "Acme", "", "sales@acme.example"),
                with("Bob Stone", "Acme", "", "sales@acme.example"),
                with("Ann Lee", "Acme", "", "sales@acme.example"),
            ],
        );
        assert!(created(&done[0]) && created(&done[1]), "{done:?}");
        assert!(matches!(done[2], Upserted::Unchanged(_)), "{done:?}");
        assert!(notes[1].as_deref().unwrap_or("").contains("email"));
        let names: Vec<String> = s
            .customers(Default::default())
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, vec!["Ann Lee", "Bob Stone"]);
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
