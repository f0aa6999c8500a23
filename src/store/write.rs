//! The one write path. Every save, delete, restore, merge and unmerge runs
//! through [`Store::transact`]: one transaction holding the write and the
//! re-tag cascade of everything it touched, committed together. The tags it
//! changed come back with the result as a [`Written`] — nothing is left on
//! the store for a later caller to pick up by mistake.

use super::engine::conn::Conn;
use super::retag::affected;
use super::rows;
use super::{Result, Store, TagChange};
use crate::domain::{Kind, Meta, ValidationErrors};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeSet;
use std::ops::{Deref, DerefMut};

/// What a write did: the record as stored, and every tag change it made —
/// the record's own and those of the records the cascade re-tagged.
#[derive(Debug, Clone, PartialEq)]
pub struct Written<T> {
    pub record: T,
    pub changes: Vec<TagChange>,
}

impl<T> Written<T> {
    /// The record, without its tag changes.
    pub fn into_record(self) -> T {
        self.record
    }

    /// The same changes with another result.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Written<U> {
        Written {
            record: f(self.record),
            changes: self.changes,
        }
    }
}

/// A write result reads as its record (`store.add_customer(&c)?.meta.id`).
impl<T> Deref for Written<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.record
    }
}

/// So a test or a caller can edit what it saved and save it again.
impl<T> DerefMut for Written<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.record
    }
}

/// Which records a write re-tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retag {
    /// The record, what it touched before the write and what it touches
    /// after (its customer, products, campaign…).
    Cascade,
    /// The record alone: nothing the others' tags read has changed.
    RecordOnly,
}

/// What the body of a write touched, for the re-tag that follows it.
pub(crate) struct Touched {
    pub record: (Kind, i64),
    /// Records linked to it before the write (a deal's old customer…).
    pub before: BTreeSet<(Kind, i64)>,
    pub retag: Retag,
}

impl Touched {
    pub(crate) fn cascade(record: (Kind, i64), before: BTreeSet<(Kind, i64)>) -> Touched {
        Touched {
            record,
            before,
            retag: Retag::Cascade,
        }
    }
}

/// The per-kind part of saving a record: its SQL and its checks. The
/// protocol around them (validate, version check, bump, re-tag, commit,
/// read back) is written once, in [`Store::save_new`] and
/// [`Store::save_existing`].
pub trait StoredRecord: Clone + crate::domain::fields::Fields {
    const KIND: Kind;

    fn meta(&self) -> &Meta;

    /// Normalises what a person typed; `today` stamps derived dates.
    fn tidy(&mut self, today: NaiveDate);

    fn validate(&self) -> std::result::Result<(), ValidationErrors>;

    /// Checks that need the book (links to live records, unique keys).
    fn check(&self, _conn: &Conn) -> Result<()> {
        Ok(())
    }

    /// Inserts a new record; returns its id.
    fn insert(&self, conn: &Conn, now: DateTime<Utc>) -> Result<i64>;

    /// Writes the fields of a stored record (the version is checked before
    /// and bumped after); says what the change re-tags.
    fn update(&mut self, conn: &Conn, now: DateTime<Utc>, today: NaiveDate) -> Result<Retag>;

    /// Reads a record back by id.
    fn read(conn: &Conn, id: i64) -> Result<Self>;
}

/// The [`StoredRecord`] of a kind whose save is its own row: the module's
/// `tidy`, an optional book check, `write_fields` with its `INSERT` and
/// `UPDATE`, and a `read` by id over its `COLUMNS` and `from_row`.
macro_rules! plain_stored_record {
    ($ty:ident, $table:literal $(, check: $check:path)?) => {
        impl StoredRecord for $ty {
            const KIND: Kind = Kind::$ty;

            fn meta(&self) -> &Meta {
                &self.meta
            }

            fn tidy(&mut self, _today: NaiveDate) {
                tidy(self);
            }

            fn validate(&self) -> std::result::Result<(), ValidationErrors> {
                $ty::validate(self)
            }

            $(fn check(&self, conn: &Conn) -> Result<()> {
                $check(conn, self)
            })?

            fn insert(&self, conn: &Conn, now: DateTime<Utc>) -> Result<i64> {
                write_fields(conn, INSERT, self, now)?;
                Ok(conn.last_insert_rowid()?)
            }

            fn update(
                &mut self,
                conn: &Conn,
                now: DateTime<Utc>,
                _: NaiveDate,
            ) -> Result<Retag> {
                write_fields(conn, UPDATE, self, now)?;
                Ok(Retag::Cascade)
            }

            fn read(conn: &Conn, id: i64) -> Result<Self> {
                read(conn, id)
            }
        }

        fn read(conn: &Conn, id: i64) -> Result<$ty> {
            conn.query_row(
                &format!("SELECT {COLUMNS} FROM {} WHERE id = ?1", $table),
                [id],
                from_row,
            )
            .optional()?
            .ok_or(StoreError::NotFound {
                kind: Kind::$ty,
                id,
            })
        }
    };
}
pub(crate) use plain_stored_record;

impl Store {
    /// Runs `body` and the re-tag of what it touched in one transaction.
    pub(crate) fn transact<R>(
        &mut self,
        body: impl FnOnce(&Conn, DateTime<Utc>, NaiveDate) -> Result<(R, Touched)>,
    ) -> Result<Written<R>> {
        let now = self.clock.now();
        let today = self.clock.today();
        // Its own transaction, or a savepoint inside a held write lock
        // (a blind edit reads and writes under one lock).
        let tx = super::write_lock::write_tx(&mut self.conn)?;
        let (record, touched) = body(&tx, now, today)?;
        let changes = match touched.retag {
            Retag::Cascade => {
                self.classify
                    .after_write(&tx, touched.record, touched.before, today, now)?
            }
            Retag::RecordOnly => {
                self.classify
                    .after_write_of_record_only(&tx, touched.record, today, now)?
            }
        };
        tx.commit()?;
        Ok(Written { record, changes })
    }

    /// Saves a new record; returns it with its id and version 1.
    pub(crate) fn save_new<T: StoredRecord>(&mut self, record: &T) -> Result<Written<T>> {
        let mut r = record.clone();
        self.fill_book_currency(&mut r)?;
        r.tidy(self.clock.today());
        r.validate()?;
        let written = self.transact(|tx, now, _| {
            r.check(tx)?;
            let id = r.insert(tx, now)?;
            Ok((id, Touched::cascade((T::KIND, id), BTreeSet::new())))
        })?;
        self.read_back(written)
    }

    /// Saves changes to a record read at `record.meta().version`; a record
    /// changed since is a conflict.
    pub(crate) fn save_existing<T: StoredRecord>(&mut self, record: &T) -> Result<Written<T>> {
        let mut r = record.clone();
        self.fill_book_currency(&mut r)?;
        r.tidy(self.clock.today());
        r.validate()?;
        let (id, version) = (r.meta().id, r.meta().version);
        let written = self.transact(|tx, now, today| {
            let before = affected(tx, T::KIND, id)?;
            rows::ensure_version(tx, T::KIND, id, version)?;
            r.check(tx)?;
            let retag = r.update(tx, now, today)?;
            rows::bump(tx, T::KIND, id, version, now)?;
            Ok((
                id,
                Touched {
                    record: (T::KIND, id),
                    before,
                    retag,
                },
            ))
        })?;
        self.read_back(written)
    }

    /// The book's currency (the `currency` setting of the rules in force;
    /// CNY unless set).
    pub fn book_currency(&self) -> Result<String> {
        Ok(self.classify.get(&self.conn)?.rules.rates().book)
    }

    /// A record with a currency field left empty takes the book's.
    fn fill_book_currency<T: StoredRecord>(&self, r: &mut T) -> Result<()> {
        if r.specs().iter().any(|s| s.name == "currency") && r.get("currency").trim().is_empty() {
            let book = self.book_currency()?;
            if let Err(e) = r.set("currency", &book, self.clock.today()) {
                let mut errors = crate::domain::ValidationErrors::new();
                errors.add("currency", e);
                return Err(super::StoreError::Invalid(errors));
            }
        }
        Ok(())
    }

    /// Saves a record: a new one when it has no id yet, else the changes
    /// to the version it was read at.
    pub fn save<T: StoredRecord>(&mut self, record: &T) -> Result<Written<T>> {
        if record.meta().id == 0 {
            self.save_new(record)
        } else {
            self.save_existing(record)
        }
    }

    fn read_back<T: StoredRecord>(&self, written: Written<i64>) -> Result<Written<T>> {
        let record = T::read(&self.conn, written.record)?;
        Ok(Written {
            record,
            changes: written.changes,
        })
    }
}
