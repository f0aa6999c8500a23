//! The SQLite store: opening, migrations, and one module per record kind.
//!
//! Every write runs in one transaction and names the version it read; a
//! stale version is a [`StoreError::Conflict`], never a silent overwrite.
//! Deletes are soft: records go to the trash and can be restored or purged.

mod activities;
mod backup;
mod book;
mod browse;
mod browse_catalog;
mod browse_deals;
mod browse_lists;
mod browse_owner;
mod bulk;
mod customers;
mod doctor;
pub mod engine;
mod fast_hash;
mod merge;
mod online_backup;
mod open;
mod opportunities;
mod products;
mod reports;
mod restore;
mod retag;
mod rows;
mod safe_file;
mod schema;
mod sweep;
mod sweep_light;
mod sweep_write;
mod tags;
mod trash;
mod write;
mod write_lock;

pub use activities::FollowUpClosed;
pub use backup::{Backup, RestoreCounts, StoredMerge, StoredTag, StoredTagHistory, BACKUP_FORMAT};
pub use browse::{
    sorted_customer_ids, sorted_customer_ids_of, CustomerFile, CustomerRow, CustomerSort,
};
pub use browse_catalog::{ActivityFile, Buyer, ChurnRisk, ProductFile};
pub use browse_deals::{Choice, DealFile, PickKind, TagMap};
pub use browse_lists::{ListEntry, ListQuery, ListRows, ListSort, TAG_ORDER};
pub use bulk::{CustomerImport, PreparedCustomer, UpsertError, Upserted, BATCH_ROWS};
pub use customers::Occasion;
pub use doctor::{doctor_check_name, DoctorCheck, DoctorReport};
pub use merge::{likely_duplicates, DuplicatePair, MergeRecord};
pub use open::{default_db_path, open_reader, FULL_CHECK_AT_OPEN_MAX};
pub use reports::{ClosingDeal, FollowUp, ProductSales, StageTotal};
pub use restore::RestoreOutcome;
pub use safe_file::{is_out_of_space, OutputFile};
pub use schema::SCHEMA_VERSION;
pub use sweep::{SweepReport, TagMove};
pub use tags::{decode_tags, ids_with_tag, Tag, TagChange, TagHistoryEntry};
pub use trash::TrashEntry;
pub use write::{Retag, StoredRecord, Written};

pub use self::engine::conn::{Conn, Row};
use crate::domain::{Clock, Kind, ValidationErrors};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// SQLite's expression for a new UUID, which a team book spells its own way.
pub(crate) fn rows_new_uuid_sql() -> &'static str {
    rows::new_uuid_sql!()
}

/// What can go wrong with the store, worded for the person using dossier.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{kind} {id} not found")]
    NotFound { kind: Kind, id: i64 },

    #[error("{kind} {id} is in the trash — restore it first (dossier restore {kind} {id})")]
    InTrash { kind: Kind, id: i64 },

    #[error(
        "{kind} {id} was changed elsewhere (you read version {expected}, it is now at version {found}) — reload it and make your change again"
    )]
    Conflict {
        kind: Kind,
        id: i64,
        expected: i64,
        found: i64,
    },

    #[error("{0}")]
    Invalid(ValidationErrors),

    #[error(
        "the database {path} was written by a newer dossier (schema version {found}, this build knows up to {supported}) — upgrade dossier to open it"
    )]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },

    #[error("{path} is not a dossier database or is damaged: {reason} — it was left untouched")]
    Corrupt { path: String, reason: String },

    #[error("{0}")]
    Refused(String),

    #[error("cannot use {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "the disk is full — nothing was saved by this change, and everything saved before is intact; free some space and try again"
    )]
    DiskFull,

    #[error(
        "the book is busy (another dossier, or the daily tag refresh, is writing) — nothing was saved by this change; try again in a moment"
    )]
    Busy,

    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),

    /// A team book's server said no, or cannot be reached.
    #[error("team book: {0}")]
    Server(String),

    /// The connection to a team book's server was lost during a change
    /// (`committing`: while its commit was on the way, so it may or may not
    /// have been saved; before that, it was not). The next action connects
    /// again.
    #[error("{}", connection_lost_text(*.committing))]
    ConnectionLost { committing: bool },
}

fn connection_lost_text(committing: bool) -> &'static str {
    if committing {
        "the connection to the team book was lost while the change was being committed — it may or may not have been saved; look at the record before trying again"
    } else {
        "the connection to the team book was lost — nothing was saved by this action; dossier connects again on your next one, so try again"
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        // A team book's error, carried through the store's rusqlite-shaped calls.
        let e = match engine::conn::unwrap_server_failure(e) {
            Ok(server) => return server,
            Err(e) => e,
        };
        match e.sqlite_error_code() {
            // SQLITE_FULL: the disk (or the page limit) is full; the
            // transaction was rolled back.
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull,
            // SQLITE_BUSY after the busy timeout.
            Some(rusqlite::ErrorCode::DatabaseBusy) => StoreError::Busy,
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::Refused(
                "the book is read-only (its file or folder cannot be written by you) — nothing was saved; check the permissions, or work on a copy made with dossier backup".into(),
            ),
            Some(rusqlite::ErrorCode::CannotOpen) => StoreError::Refused(
                "the book cannot be opened — check that its folder exists and that you may read and write there".into(),
            ),
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    /// The validation errors behind an `Invalid`, for showing at form fields.
    pub fn validation(&self) -> Option<&ValidationErrors> {
        match self {
            StoreError::Invalid(v) => Some(v),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> Self {
        StoreError::Invalid(ValidationErrors::single(field, message))
    }
}

impl From<ValidationErrors> for StoreError {
    fn from(v: ValidationErrors) -> Self {
        StoreError::Invalid(v)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which records a list returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Visibility {
    /// Live records only (the default).
    #[default]
    Live,
    /// Only records in the trash.
    Trash,
    /// Both.
    All,
}

impl Visibility {
    fn sql(self) -> &'static str {
        match self {
            Visibility::Live => "deleted_at IS NULL",
            Visibility::Trash => "deleted_at IS NOT NULL",
            Visibility::All => "TRUE",
        }
    }
}

/// A page of a list, by keyset on id: rows with `id > after`, up to `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub after: i64,
    pub limit: usize,
    pub visibility: Visibility,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            after: 0,
            limit: 100,
            visibility: Visibility::Live,
        }
    }
}

/// Record counts, live and in the trash.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub customers: i64,
    pub opportunities: i64,
    pub products: i64,
    pub activities: i64,
    pub trash: i64,
}

/// An open dossier database.
pub struct Store {
    conn: Conn,
    clock: Clock,
    path: Option<PathBuf>,
    /// Rules and cut points for the re-tag cascade.
    classify: retag::ClassifyState,
}

impl Store {
    /// Opens (creating if needed) the database at `path`: private file and
    /// directory, WAL, foreign keys, busy timeout, migrations.
    /// A `postgres://` URL opens a team book on that server instead.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with_clock(path, Clock::from_env())
    }

    /// Like [`Store::open`] with an explicit clock.
    pub fn open_with_clock(path: &Path, clock: Clock) -> Result<Store> {
        match open::server_url(path) {
            Some(url) => open::open_server(url, clock),
            None => open::open_file(path, clock),
        }
    }

    /// Colleagues' commits to a team book, as they happen (see
    /// [`engine::listen`]); None for a SQLite book.
    pub fn listen_for_changes(&self) -> Result<Option<engine::listen::ChangeListener>> {
        match self.conn.server() {
            Some(s) => Ok(Some(s.listen()?)),
            None => Ok(None),
        }
    }

    /// Which engine the book is on.
    pub fn engine(&self) -> engine::EngineKind {
        self.conn.kind()
    }

    /// A fresh database in memory (tests, dry runs).
    pub fn open_in_memory() -> Result<Store> {
        Self::open_in_memory_with_clock(Clock::from_env())
    }

    pub fn open_in_memory_with_clock(clock: Clock) -> Result<Store> {
        let mut conn = rusqlite::Connection::open_in_memory()?;
        open::configure(&mut conn)?;
        schema::migrate(&mut conn, "(memory)", None)?;
        Ok(Store {
            conn: conn.into(),
            clock,
            path: None,
            classify: Default::default(),
        })
    }

    /// Starts writing an output file (export, backup) that can never be
    /// this book or its sidecar files; see [`OutputFile`].
    pub fn output_file(&self, target: &Path, force: bool) -> Result<OutputFile> {
        OutputFile::create(target, force, self.path.as_deref())
    }

    /// The file behind this store, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Read access to the connection for modules that query directly
    /// (search index build, classification facts, export).
    pub fn conn(&self) -> &Conn {
        &self.conn
    }

    /// Write access for modules that run their own transactions.
    pub fn conn_mut(&mut self) -> &mut Conn {
        &mut self.conn
    }

    /// How many records there are, live and in the trash.
    pub fn counts(&self) -> Result<Counts> {
        let live = |t: &str| -> Result<i64> {
            Ok(self.conn.query_row(
                &format!("SELECT count(*) FROM {t} WHERE deleted_at IS NULL"),
                [],
                |r| r.get(0),
            )?)
        };
        let mut trash = 0;
        for k in Kind::ALL {
            trash += self.conn.query_row(
                &format!(
                    "SELECT count(*) FROM {} WHERE deleted_at IS NOT NULL",
                    k.table()
                ),
                [],
                |r| r.get::<_, i64>(0),
            )?;
        }
        Ok(Counts {
            customers: live("customers")?,
            opportunities: live("opportunities")?,
            products: live("products")?,
            activities: live("activities")?,
            trash,
        })
    }

    /// True when the book has no records at all (first run).
    /// Reads one row per table at most (counting would scan a big book).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM customers) AND NOT EXISTS (SELECT 1 FROM opportunities) \
             AND NOT EXISTS (SELECT 1 FROM products) AND NOT EXISTS (SELECT 1 FROM activities)",
            [],
            |r| r.get(0),
        )?)
    }
}
