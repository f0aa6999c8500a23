//! The store's connection on either engine, with the rusqlite-shaped calls
//! the store makes (`execute`, `query_row`, `prepare`/`query_map`,
//! `transaction`, `last_insert_rowid`), so the store's modules keep their
//! SQL and their row readers and run on both engines.
//!
//! SQLite: every call goes straight to rusqlite (one `match` on top), so the
//! local book's speed does not change. PostgreSQL: the SQL is translated in
//! one place ([`pg_sql`]: `?N` and `:name` placeholders become `$N`,
//! `COLLATE NOCASE` the book's case-blind collation), parameters cross as
//! [`Value`]s and rows come back as values that the same `FromSql`
//! conversions read.
//!
//! Errors stay `rusqlite::Error` inside the store (so `?`, `.optional()` and
//! the row readers are the same for both engines): a server's error rides
//! inside one as a [`ServerFailure`] and becomes the store error it names
//! again in `From<rusqlite::Error> for StoreError`.

use super::{from_pg_row, pg_params, AsParams, EngineKind};
use crate::store::StoreError;
use rusqlite::types::{FromSql, FromSqlError, ToSql, ToSqlOutput, Value, ValueRef};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

type SqlResult<T> = rusqlite::Result<T>;

/// A server's error carried through `rusqlite::Error` (see the module
/// comment).
#[derive(Debug)]
pub struct ServerFailure(pub Box<StoreError>);

impl std::fmt::Display for ServerFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ServerFailure {}

fn failure(e: StoreError) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(ServerFailure(Box::new(e))))
}

fn server_failure(e: postgres::Error) -> rusqlite::Error {
    failure(super::server_error(e))
}

/// Turns a carried server error back into its store error.
pub(crate) fn unwrap_server_failure(e: rusqlite::Error) -> Result<StoreError, rusqlite::Error> {
    match e {
        rusqlite::Error::ToSqlConversionFailure(b) if b.is::<ServerFailure>() => {
            match b.downcast::<ServerFailure>() {
                Ok(f) => Ok(*f.0),
                Err(b) => Err(rusqlite::Error::ToSqlConversionFailure(b)),
            }
        }
        e => Err(e),
    }
}

/// The key of the advisory lock every write on a team book holds: one
/// writer at a time, as on a SQLite book, so a cascade never reads what a
/// concurrent one is half-way through changing.
const WRITE_LOCK_KEY: i64 = 0x0064_6f73_7369_6572; // "dossier"

/// A prepared statement on the server, its `:name` parameters in order, the
/// table of an `INSERT`, and its text as sent (for a cursor over it).
type Prepared = (
    postgres::Statement,
    Arc<[String]>,
    Option<Arc<str>>,
    Arc<str>,
);

/// Rows fetched per round trip when reads are streamed
/// ([`Conn::stream_reads`]).
const FETCH_ROWS: usize = 10_000;

/// A connection to a team book.
pub struct ServerConn {
    client: RefCell<postgres::Client>,
    cache: RefCell<HashMap<String, Prepared>>,
    /// Open transactions and savepoints (0: autocommit).
    depth: Cell<u32>,
    /// Where the book is (for a second connection: the live view).
    url: String,
    /// This session's server process, whose own commits are not news
    /// (shared with the live view's listener; it changes when the session
    /// connects again).
    pid: Arc<std::sync::atomic::AtomicI32>,
    /// The table of the last `INSERT`, for `last_insert_rowid` (triggers
    /// use other sequences, so `lastval()` would not do).
    last_insert: RefCell<Option<String>>,
    /// Rows per fetch while reads are streamed through cursors (0: a query
    /// returns its rows at once); see [`Conn::stream_reads`].
    stream: Cell<usize>,
    /// Cursors opened so far, for their names.
    cursors: Cell<u64>,
}

impl ServerConn {
    pub fn new(mut client: postgres::Client, url: &str) -> Result<ServerConn, StoreError> {
        let pid: i32 = client
            .query_one("SELECT pg_backend_pid()", &[])
            .map_err(super::server_error)?
            .get(0);
        Ok(ServerConn {
            url: url.to_string(),
            pid: Arc::new(pid.into()),
            client: RefCell::new(client),
            cache: RefCell::new(HashMap::new()),
            depth: Cell::new(0),
            last_insert: RefCell::new(None),
            stream: Cell::new(0),
            cursors: Cell::new(0),
        })
    }

    /// Starts listening for colleagues' commits to this book.
    pub fn listen(&self) -> Result<super::listen::ChangeListener, StoreError> {
        super::listen::ChangeListener::start(&self.url, self.pid.clone())
    }

    /// The book's URL as it was opened.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The client, for what only a server does (COPY, LISTEN).
    pub fn client(&self) -> std::cell::RefMut<'_, postgres::Client> {
        self.client.borrow_mut()
    }

    /// Connects again when the server ended this session (a restart, a
    /// dropped network, an administrator) — outside a transaction only
    /// (`force`: the last call said the session is gone, which the client
    /// may not have noticed yet).
    fn revive(&self, force: bool) -> SqlResult<()> {
        if self.depth.get() != 0 || !(force || self.client.borrow().is_closed()) {
            return Ok(());
        }
        let mut client = super::connect(&self.url).map_err(failure)?;
        let pid: i32 = client
            .query_one("SELECT pg_backend_pid()", &[])
            .map_err(server_failure)?
            .get(0);
        *self.client.borrow_mut() = client;
        // Statements prepared on the old session are gone with it.
        self.cache.borrow_mut().clear();
        self.pid.store(pid, std::sync::atomic::Ordering::Relaxed);
        tracing::info!("connected to the team book again after a lost connection");
        Ok(())
    }

    /// Runs `call` on the client; outside a transaction, a session found
    /// gone is connected again and `call` tried once more — nothing was done
    /// on the lost one. Inside a transaction a lost session is the
    /// transaction's failure ([`StoreError::ConnectionLost`]), and the next
    /// action connects again.
    fn call<T>(
        &self,
        call: impl Fn(&mut postgres::Client) -> Result<T, postgres::Error>,
    ) -> SqlResult<T> {
        self.revive(false)?;
        let first = call(&mut self.client.borrow_mut());
        match first {
            Err(e) if self.depth.get() == 0 && super::connection_lost(&e) => {
                self.revive(true)?;
                call(&mut self.client.borrow_mut()).map_err(server_failure)
            }
            r => r.map_err(server_failure),
        }
    }

    fn prepare(&self, sql: &str, cached: bool) -> SqlResult<Prepared> {
        self.revive(false)?;
        if cached {
            if let Some(hit) = self.cache.borrow().get(sql) {
                return Ok(hit.clone());
            }
        }
        let (text, names) = pg_sql(sql);
        let st = self.call(|c| c.prepare(&text)).inspect_err(|e| {
            tracing::warn!(sql = %text, "the team book refused a statement: {e}");
            if std::env::var_os("DOSSIER_DEBUG_SQL").is_some() {
                eprintln!("refused: {text}: {e}");
            }
        })?;
        let names: Arc<[String]> = names.into();
        let insert: Option<Arc<str>> = insert_table(sql).map(Into::into);
        let text: Arc<str> = text.into();
        let prepared = (st, names, insert, text);
        if cached {
            self.cache
                .borrow_mut()
                .insert(sql.to_string(), prepared.clone());
        }
        Ok(prepared)
    }

    /// Runs `sql` (the store's spelling, no parameters) as one
    /// `COPY (…) TO STDOUT` and hands each row to `f`: a whole table
    /// crosses in one stream, without a round trip or a buffered result
    /// per batch. Columns read as [`Conn`]'s rows do (by the statement's
    /// types: integers, reals, booleans as integers, the rest as text).
    pub fn copy_rows(
        &self,
        sql: &str,
        mut f: impl FnMut(&Row<'_>) -> SqlResult<()>,
    ) -> SqlResult<()> {
        use std::io::BufRead;
        let (stmt, _, _, text) = self.prepare(sql, false)?;
        let columns: Arc<[String]> = stmt
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        let types: Vec<CopyType> = stmt
            .columns()
            .iter()
            .map(|c| copy_type(c.type_()))
            .collect();
        let mut client = self.client.borrow_mut();
        let mut reader = std::io::BufReader::with_capacity(
            1 << 16,
            client
                .copy_out(&format!("COPY ({text}) TO STDOUT"))
                .map_err(server_failure)?,
        );
        let mut line = Vec::with_capacity(1024);
        let mut row = ServerRow {
            columns,
            values: Vec::with_capacity(types.len()),
        };
        loop {
            line.clear();
            let n = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| failure(StoreError::Server(e.to_string())))?;
            if n == 0 {
                break;
            }
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            row.values.clear();
            for (i, field) in line.split(|b| *b == b'\t').enumerate() {
                let ty = types.get(i).copied().unwrap_or(CopyType::Text);
                row.values.push(copy_value(field, ty)?);
            }
            f(&Row::Server(&row))?;
        }
        Ok(())
    }

    fn batch(&self, sql: &str) -> SqlResult<()> {
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(server_failure)
    }
}

/// A statement prepared on the server (`cached`: kept for reuse).
fn server_statement<'c>(s: &'c ServerConn, sql: &str, cached: bool) -> SqlResult<Statement<'c>> {
    let (stmt, names, insert, text) = s.prepare(sql, cached)?;
    Ok(Statement(Stmt::Server {
        conn: s,
        stmt,
        names,
        insert,
        text,
    }))
}

/// How a `COPY` text field becomes a value.
#[derive(Clone, Copy)]
enum CopyType {
    Integer,
    Real,
    Bool,
    Text,
}

fn copy_type(ty: &postgres::types::Type) -> CopyType {
    use postgres::types::Type;
    match *ty {
        Type::INT8 | Type::INT4 | Type::INT2 => CopyType::Integer,
        Type::FLOAT8 | Type::FLOAT4 | Type::NUMERIC => CopyType::Real,
        Type::BOOL => CopyType::Bool,
        _ => CopyType::Text,
    }
}

/// One field of `COPY`'s text format as a value: `\N` is NULL, and
/// backslash escapes (`\n`, `\t`, `\\`, octal and `\x` bytes) are undone.
fn copy_value(field: &[u8], ty: CopyType) -> SqlResult<Value> {
    if field == b"\\N" {
        return Ok(Value::Null);
    }
    let bad = |what: &str| {
        failure(StoreError::Server(format!(
            "the server sent {what} where a {} was expected",
            match ty {
                CopyType::Integer => "whole number",
                CopyType::Real => "number",
                CopyType::Bool => "true/false",
                CopyType::Text => "text",
            }
        )))
    };
    match ty {
        CopyType::Integer => {
            let s = std::str::from_utf8(field).map_err(|_| bad("bytes"))?;
            // A NUMERIC without fraction is read as SQLite would: an integer.
            s.parse().map(Value::Integer).map_err(|_| bad(s))
        }
        CopyType::Real => {
            let s = std::str::from_utf8(field).map_err(|_| bad("bytes"))?;
            match s.parse::<i64>() {
                Ok(i) if !s.contains('.') => Ok(Value::Integer(i)),
                _ => s.parse().map(Value::Real).map_err(|_| bad(s)),
            }
        }
        CopyType::Bool => Ok(Value::Integer(i64::from(field == b"t"))),
        CopyType::Text => {
            if !field.contains(&b'\\') {
                return String::from_utf8(field.to_vec())
                    .map(Value::Text)
                    .map_err(|_| bad("bytes that are not UTF-8"));
            }
            let mut out = Vec::with_capacity(field.len());
            let mut i = 0;
            while i < field.len() {
                let b = field[i];
                i += 1;
                if b != b'\\' || i == field.len() {
                    out.push(b);
                    continue;
                }
                let e = field[i];
                i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'v' => out.push(11),
                    b'0'..=b'7' => {
                        let mut v = u32::from(e - b'0');
                        for _ in 0..2 {
                            match field.get(i) {
                                Some(d @ b'0'..=b'7') => {
                                    v = v * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(v as u8);
                    }
                    b'x' => {
                        let mut v = 0u32;
                        for _ in 0..2 {
                            match field.get(i).and_then(|d| (*d as char).to_digit(16)) {
                                Some(d) => {
                                    v = v * 16 + d;
                                    i += 1;
                                }
                                None => break,
                            }
                        }
                        out.push(v as u8);
                    }
                    other => out.push(other),
                }
            }
            String::from_utf8(out)
                .map(Value::Text)
                .map_err(|_| bad("bytes that are not UTF-8"))
        }
    }
}

/// An open book's connection: SQLite or a PostgreSQL server.
pub enum Conn {
    Sqlite(rusqlite::Connection),
    Server(Box<ServerConn>),
}

impl From<rusqlite::Connection> for Conn {
    fn from(c: rusqlite::Connection) -> Self {
        Conn::Sqlite(c)
    }
}

impl Conn {
    pub fn kind(&self) -> EngineKind {
        match self {
            Conn::Sqlite(_) => EngineKind::Sqlite,
            Conn::Server(_) => EngineKind::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite does (pragmas, online
    /// backup, interrupting a query); None on a team book.
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Conn::Sqlite(c) => Some(c),
            Conn::Server(_) => None,
        }
    }

    pub fn sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match self {
            Conn::Sqlite(c) => Some(c),
            Conn::Server(_) => None,
        }
    }

    /// The server connection; None on a SQLite book.
    pub fn server(&self) -> Option<&ServerConn> {
        match self {
            Conn::Sqlite(_) => None,
            Conn::Server(s) => Some(s),
        }
    }

    pub fn execute<P: Params>(&self, sql: &str, params: P) -> SqlResult<usize> {
        match self {
            Conn::Sqlite(c) => c.execute(sql, params.sqlite()),
            Conn::Server(_) => self.prepare(sql)?.execute(params),
        }
    }

    pub fn query_row<T, P: Params, F>(&self, sql: &str, params: P, f: F) -> SqlResult<T>
    where
        F: FnOnce(&Row<'_>) -> SqlResult<T>,
    {
        match self {
            Conn::Sqlite(c) => c.query_row(sql, params.sqlite(), |r| f(&Row::Sqlite(r))),
            Conn::Server(_) => self.prepare(sql)?.query_row(params, f),
        }
    }

    pub fn prepare(&self, sql: &str) -> SqlResult<Statement<'_>> {
        match self {
            Conn::Sqlite(c) => Ok(Statement(Stmt::Sqlite(c.prepare(sql)?))),
            Conn::Server(s) => server_statement(s, sql, false),
        }
    }

    pub fn prepare_cached(&self, sql: &str) -> SqlResult<Statement<'_>> {
        match self {
            Conn::Sqlite(c) => Ok(Statement(Stmt::Cached(c.prepare_cached(sql)?))),
            Conn::Server(s) => server_statement(s, sql, true),
        }
    }

    /// Statements without parameters, run as they are (schema, settings).
    pub fn execute_batch(&self, sql: &str) -> SqlResult<()> {
        match self {
            Conn::Sqlite(c) => c.execute_batch(sql),
            Conn::Server(s) => s.batch(sql),
        }
    }

    /// The id the last insert gave (PostgreSQL: the identity sequence's
    /// last value in this session).
    pub fn last_insert_rowid(&self) -> SqlResult<i64> {
        match self {
            Conn::Sqlite(c) => Ok(c.last_insert_rowid()),
            Conn::Server(s) => {
                let table = s.last_insert.borrow().clone().unwrap_or_default();
                self.query_row(
                    "SELECT currval(pg_get_serial_sequence(?1, 'id'))",
                    [table],
                    |r| r.get(0),
                )
            }
        }
    }

    /// True outside a transaction.
    pub fn is_autocommit(&self) -> bool {
        match self {
            Conn::Sqlite(c) => c.is_autocommit(),
            Conn::Server(s) => s.depth.get() == 0,
        }
    }

    /// Begins a write transaction holding the book's write lock (SQLite:
    /// `BEGIN IMMEDIATE`; PostgreSQL: `BEGIN` and the book's advisory lock).
    pub fn begin_write(&self) -> SqlResult<()> {
        match self {
            Conn::Sqlite(c) => c.execute_batch("BEGIN IMMEDIATE"),
            Conn::Server(s) => {
                let begin = format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})");
                s.call(|c| c.batch_execute(&begin))?;
                s.depth.set(s.depth.get() + 1);
                Ok(())
            }
        }
    }

    /// Ends what [`Conn::begin_write`] began.
    pub fn end(&self, commit: bool) -> SqlResult<()> {
        let sql = if commit { "COMMIT" } else { "ROLLBACK" };
        match self {
            Conn::Sqlite(c) => c.execute_batch(sql),
            Conn::Server(s) => {
                s.depth.set(s.depth.get().saturating_sub(1));
                s.client.borrow_mut().batch_execute(sql).map_err(|e| {
                    match super::server_error(e) {
                        // The commit was sent: the server may have applied it.
                        StoreError::ConnectionLost { .. } if commit => {
                            failure(StoreError::ConnectionLost { committing: true })
                        }
                        other => failure(other),
                    }
                })
            }
        }
    }

    /// A transaction: committed by [`Transaction::commit`], rolled back
    /// when dropped. SQLite: with the connection's transaction behaviour;
    /// PostgreSQL: a write transaction (see [`Conn::begin_write`]).
    pub fn transaction(&mut self) -> SqlResult<Transaction<'_>> {
        self.unchecked_transaction()
    }

    pub fn unchecked_transaction(&self) -> SqlResult<Transaction<'_>> {
        match self {
            Conn::Sqlite(c) => Ok(Transaction {
                conn: self,
                sqlite: Some(c.unchecked_transaction()?),
                savepoint: false,
                done: false,
            }),
            Conn::Server(_) => {
                self.begin_write()?;
                Ok(Transaction {
                    conn: self,
                    sqlite: None,
                    savepoint: false,
                    done: false,
                })
            }
        }
    }

    /// A transaction with SQLite's behaviour named (a team book: a write
    /// transaction whatever it is).
    pub fn transaction_with_behavior(
        &mut self,
        behavior: rusqlite::TransactionBehavior,
    ) -> SqlResult<Transaction<'_>> {
        match &*self {
            Conn::Sqlite(c) => Ok(Transaction {
                conn: self,
                sqlite: Some(rusqlite::Transaction::new_unchecked(c, behavior)?),
                savepoint: false,
                done: false,
            }),
            Conn::Server(_) => self.unchecked_transaction(),
        }
    }

    /// Sets a SQLite pragma. Pragmas tune SQLite (cache, sync, memory
    /// map); a team book's server is tuned by its administrator, so on a
    /// team book this does nothing.
    pub fn pragma_update<V: ToSql>(
        &self,
        schema: Option<&str>,
        name: &str,
        value: V,
    ) -> SqlResult<()> {
        match self {
            Conn::Sqlite(c) => c.pragma_update(schema, name, value),
            // The one pragma that changes meaning, not speed.
            Conn::Server(s) if name == "defer_foreign_keys" => {
                s.batch("SET CONSTRAINTS ALL DEFERRED")
            }
            Conn::Server(_) => Ok(()),
        }
    }

    /// After rows were written with ids of their own (a restore): the
    /// next id a team book gives is past them (SQLite finds it itself).
    pub fn ids_written(&self, tables: &[&str]) -> SqlResult<()> {
        if let Conn::Server(s) = self {
            for t in tables {
                s.batch(&format!(
                    "SELECT setval(pg_get_serial_sequence('{t}', 'id'), greatest(coalesce(max(id), 0), 1), max(id) IS NOT NULL) FROM {t}"
                ))?;
            }
        }
        Ok(())
    }

    /// A SQLite pragma's number (0 on a team book, where pragmas do nothing).
    pub fn pragma_i64(&self, name: &str) -> SqlResult<i64> {
        match self {
            Conn::Sqlite(c) => c.pragma_query_value(None, name, |r| r.get(0)),
            Conn::Server(_) => Ok(0),
        }
    }

    /// A handle that stops a long query from another thread.
    pub fn get_interrupt_handle(&self) -> InterruptHandle {
        match self {
            Conn::Sqlite(c) => InterruptHandle::Sqlite(c.get_interrupt_handle()),
            Conn::Server(s) => InterruptHandle::Server(s.client.borrow().cancel_token()),
        }
    }

    /// Streams the reads made until the guard is dropped: on a team book a
    /// query's rows come through a server-side cursor, [`FETCH_ROWS`] at a
    /// time, instead of all at once (a whole-table read of a million
    /// records never sits in memory as one result). For the sweep, the
    /// search index build and exports. SQLite reads row by row already.
    pub fn stream_reads(&self) -> StreamReads<'_> {
        let before = self.server().map(|s| s.stream.replace(FETCH_ROWS));
        StreamReads { conn: self, before }
    }

    /// A savepoint inside the transaction in progress.
    pub fn savepoint(&mut self) -> SqlResult<Transaction<'_>> {
        self.execute_batch("SAVEPOINT dossier_nested")?;
        if let Conn::Server(s) = self {
            s.depth.set(s.depth.get() + 1);
        }
        Ok(Transaction {
            conn: self,
            sqlite: None,
            savepoint: true,
            done: false,
        })
    }
}

/// Reads streamed while it lives ([`Conn::stream_reads`]).
pub struct StreamReads<'c> {
    conn: &'c Conn,
    before: Option<usize>,
}

impl Drop for StreamReads<'_> {
    fn drop(&mut self) {
        if let (Some(s), Some(before)) = (self.conn.server(), self.before) {
            s.stream.set(before);
        }
    }
}

/// Stops a query in progress on a [`Conn`] from another thread.
pub enum InterruptHandle {
    Sqlite(rusqlite::InterruptHandle),
    Server(postgres::CancelToken),
}

impl InterruptHandle {
    pub fn interrupt(&self) {
        match self {
            InterruptHandle::Sqlite(h) => h.interrupt(),
            InterruptHandle::Server(t) => {
                let _ = t.cancel_query(postgres::NoTls);
            }
        }
    }
}

/// A transaction or savepoint on a [`Conn`]; reads as the connection.
pub struct Transaction<'c> {
    conn: &'c Conn,
    sqlite: Option<rusqlite::Transaction<'c>>,
    savepoint: bool,
    done: bool,
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl Transaction<'_> {
    pub fn commit(mut self) -> SqlResult<()> {
        self.finish(true)
    }

    pub fn rollback(mut self) -> SqlResult<()> {
        self.finish(false)
    }

    fn finish(&mut self, commit: bool) -> SqlResult<()> {
        if self.done {
            return Ok(());
        }
        self.done = true;
        if let Some(tx) = self.sqlite.take() {
            return if commit { tx.commit() } else { tx.rollback() };
        }
        if self.savepoint {
            if let Conn::Server(s) = self.conn {
                s.depth.set(s.depth.get().saturating_sub(1));
            }
            return self.conn.execute_batch(if commit {
                "RELEASE dossier_nested"
            } else {
                "ROLLBACK TO dossier_nested; RELEASE dossier_nested"
            });
        }
        self.conn.end(commit)
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        let _ = self.finish(false);
    }
}

/// A prepared statement on either engine.
pub struct Statement<'c>(Stmt<'c>);

enum Stmt<'c> {
    Sqlite(rusqlite::Statement<'c>),
    Cached(rusqlite::CachedStatement<'c>),
    Server {
        conn: &'c ServerConn,
        stmt: postgres::Statement,
        names: Arc<[String]>,
        /// The table when it is an `INSERT`.
        insert: Option<Arc<str>>,
        /// The statement as sent (a cursor is declared over it).
        text: Arc<str>,
    },
}

impl<'c> Statement<'c> {
    fn sqlite(&mut self) -> Option<&mut rusqlite::Statement<'c>> {
        match &mut self.0 {
            Stmt::Sqlite(s) => Some(s),
            Stmt::Cached(s) => Some(s),
            Stmt::Server { .. } => None,
        }
    }

    /// Runs the statement on the server; the rows as values: all at once,
    /// or, while reads are streamed ([`Conn::stream_reads`]), through a
    /// cursor a batch at a time.
    fn run_server<P: Params>(&self, params: P, stream: bool) -> SqlResult<ServerRows<'c>> {
        let Stmt::Server {
            conn,
            stmt,
            names,
            insert,
            text,
        } = &self.0
        else {
            unreachable!("run_server on a SQLite statement")
        };
        if let Some(table) = insert {
            *conn.last_insert.borrow_mut() = Some(table.to_string());
        }
        let values = params.bind()?.ordered(names)?;
        let p = pg_params(&values);
        let columns: Arc<[String]> = stmt
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        let fetch = conn.stream.get();
        if stream && fetch > 0 && insert.is_none() && is_select(text) {
            let n = conn.cursors.get() + 1;
            conn.cursors.set(n);
            let name = format!("dossier_rows_{n}");
            // Outside a transaction a cursor must outlive the statement's
            // own: WITH HOLD (the server keeps the rows, not this process).
            let hold = if conn.depth.get() == 0 {
                " WITH HOLD"
            } else {
                ""
            };
            conn.client
                .borrow_mut()
                .execute(
                    &format!("DECLARE {name} NO SCROLL CURSOR{hold} FOR {text}"),
                    &p.as_params(),
                )
                .map_err(server_failure)?;
            let mut cursor = Cursor {
                conn,
                name,
                fetch,
                done: false,
            };
            let first = cursor.next_batch()?;
            return Ok(ServerRows {
                columns,
                rows: first.into_iter(),
                cursor: Some(cursor),
            });
        }
        let rows = conn
            .client
            .borrow_mut()
            .query(stmt, &p.as_params())
            .map_err(server_failure)?;
        let rows = rows
            .iter()
            .map(from_pg_row)
            .collect::<Result<Vec<_>, _>>()
            .map_err(failure)?;
        Ok(ServerRows {
            columns,
            rows: rows.into_iter(),
            cursor: None,
        })
    }

    pub fn execute<P: Params>(&mut self, params: P) -> SqlResult<usize> {
        if let Some(s) = self.sqlite() {
            return s.execute(params.sqlite());
        }
        let Stmt::Server {
            conn,
            stmt,
            names,
            insert,
            ..
        } = &self.0
        else {
            unreachable!()
        };
        let values = params.bind()?.ordered(names)?;
        if let Some(table) = insert {
            *conn.last_insert.borrow_mut() = Some(table.to_string());
        }
        let p = pg_params(&values);
        let n = conn
            .client
            .borrow_mut()
            .execute(stmt, &p.as_params())
            .map_err(server_failure)?;
        Ok(n as usize)
    }

    pub fn query<P: Params>(&mut self, params: P) -> SqlResult<Rows<'_>> {
        self.query_streamed(params, true)
    }

    /// `stream`: whether the rows may come through a cursor (not for a
    /// query that reads one row).
    fn query_streamed<P: Params>(&mut self, params: P, stream: bool) -> SqlResult<Rows<'_>> {
        if matches!(self.0, Stmt::Server { .. }) {
            let rows = self.run_server(params, stream)?;
            return Ok(Rows(RowsInner::Server { rows, cur: None }));
        }
        match &mut self.0 {
            Stmt::Sqlite(s) => Ok(Rows(RowsInner::Sqlite(s.query(params.sqlite())?))),
            Stmt::Cached(s) => Ok(Rows(RowsInner::Sqlite(s.query(params.sqlite())?))),
            Stmt::Server { .. } => unreachable!(),
        }
    }

    pub fn query_map<T, P: Params, F>(&mut self, params: P, f: F) -> SqlResult<MappedRows<'_, F>>
    where
        F: FnMut(&Row<'_>) -> SqlResult<T>,
    {
        Ok(MappedRows {
            rows: self.query(params)?,
            f,
        })
    }

    pub fn query_row<T, P: Params, F>(&mut self, params: P, f: F) -> SqlResult<T>
    where
        F: FnOnce(&Row<'_>) -> SqlResult<T>,
    {
        let mut rows = self.query_streamed(params, false)?;
        match rows.next()? {
            Some(r) => f(&r),
            None => Err(rusqlite::Error::QueryReturnedNoRows),
        }
    }

    pub fn exists<P: Params>(&mut self, params: P) -> SqlResult<bool> {
        let mut rows = self.query_streamed(params, false)?;
        Ok(rows.next()?.is_some())
    }

    pub fn column_count(&self) -> usize {
        match &self.0 {
            Stmt::Sqlite(s) => s.column_count(),
            Stmt::Cached(s) => s.column_count(),
            Stmt::Server { stmt, .. } => stmt.columns().len(),
        }
    }
}

/// The table an `INSERT` writes to (None for other statements).
fn insert_table(sql: &str) -> Option<String> {
    let rest = sql.trim_start().strip_prefix("INSERT INTO ")?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

struct ServerRows<'c> {
    columns: Arc<[String]>,
    rows: std::vec::IntoIter<Vec<Value>>,
    /// The cursor the next batch comes from, when streamed.
    cursor: Option<Cursor<'c>>,
}

/// True for a statement that only reads (a cursor can be declared over it).
fn is_select(text: &str) -> bool {
    let t = text.trim_start();
    t.get(..6).is_some_and(|w| w.eq_ignore_ascii_case("SELECT"))
        || t.get(..4).is_some_and(|w| w.eq_ignore_ascii_case("WITH"))
}

/// A server-side cursor a streamed query's rows are fetched from; closed
/// when dropped.
struct Cursor<'c> {
    conn: &'c ServerConn,
    name: String,
    fetch: usize,
    done: bool,
}

impl Cursor<'_> {
    fn next_batch(&mut self) -> SqlResult<Vec<Vec<Value>>> {
        if self.done {
            return Ok(Vec::new());
        }
        let rows = self
            .conn
            .client
            .borrow_mut()
            .query(
                &format!("FETCH FORWARD {} FROM {}", self.fetch, self.name),
                &[],
            )
            .map_err(server_failure)?;
        self.done = rows.len() < self.fetch;
        rows.iter()
            .map(from_pg_row)
            .collect::<Result<Vec<_>, _>>()
            .map_err(failure)
    }
}

impl Drop for Cursor<'_> {
    fn drop(&mut self) {
        // In a failed transaction the cursor is gone with it: nothing to do.
        if let Ok(mut c) = self.conn.client.try_borrow_mut() {
            let _ = c.batch_execute(&format!("CLOSE {}", self.name));
        }
    }
}

/// A server's row: its values and the statement's column names.
pub struct ServerRow {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

/// The rows of a query, one at a time.
pub struct Rows<'s>(RowsInner<'s>);

enum RowsInner<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Server {
        rows: ServerRows<'s>,
        cur: Option<ServerRow>,
    },
}

impl Rows<'_> {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> SqlResult<Option<Row<'_>>> {
        match &mut self.0 {
            RowsInner::Sqlite(r) => Ok(r.next()?.map(Row::Sqlite)),
            RowsInner::Server { rows, cur } => {
                let mut next = rows.rows.next();
                if next.is_none() {
                    if let Some(c) = rows.cursor.as_mut() {
                        rows.rows = c.next_batch()?.into_iter();
                        next = rows.rows.next();
                    }
                }
                *cur = next.map(|values| ServerRow {
                    columns: rows.columns.clone(),
                    values,
                });
                Ok(cur.as_ref().map(Row::Server))
            }
        }
    }
}

/// Rows read through a closure, as an iterator.
pub struct MappedRows<'s, F> {
    rows: Rows<'s>,
    f: F,
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row<'_>) -> SqlResult<T>,
{
    type Item = SqlResult<T>;

    fn next(&mut self) -> Option<SqlResult<T>> {
        let f = &mut self.f;
        match self.rows.next() {
            Ok(Some(r)) => Some(f(&r)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// One row, from either engine.
#[derive(Clone, Copy)]
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Server(&'a ServerRow),
}

impl<'a> Row<'a> {
    /// How many columns the row has.
    pub fn column_count(&self) -> usize {
        match self {
            Row::Sqlite(r) => r.as_ref().column_count(),
            Row::Server(r) => r.columns.len(),
        }
    }

    pub fn get<I: ColumnIndex, T: FromSql>(&self, idx: I) -> SqlResult<T> {
        match self {
            Row::Sqlite(r) => r.get(idx),
            Row::Server(r) => {
                let i = idx.server_idx(&r.columns)?;
                let v = ValueRef::from(&r.values[i]);
                T::column_result(v).map_err(|e| match e {
                    FromSqlError::InvalidType => {
                        rusqlite::Error::InvalidColumnType(i, r.columns[i].clone(), v.data_type())
                    }
                    FromSqlError::OutOfRange(n) => rusqlite::Error::IntegralValueOutOfRange(i, n),
                    FromSqlError::Other(err) => {
                        rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), err)
                    }
                    other => {
                        rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), Box::new(other))
                    }
                })
            }
        }
    }

    pub fn get_ref<I: ColumnIndex>(&self, idx: I) -> SqlResult<ValueRef<'a>> {
        match *self {
            Row::Sqlite(r) => r.get_ref(idx),
            Row::Server(r) => {
                let i = idx.server_idx(&r.columns)?;
                Ok(ValueRef::from(&r.values[i]))
            }
        }
    }

    /// The position of a column, when the query has it.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        match self {
            Row::Sqlite(r) => r.as_ref().column_index(name).ok(),
            Row::Server(r) => name.server_idx(&r.columns).ok(),
        }
    }

    pub fn get_unwrap<I: ColumnIndex, T: FromSql>(&self, idx: I) -> T {
        match self.get(idx) {
            Ok(v) => v,
            Err(e) => panic!("column read failed: {e}"),
        }
    }
}

/// A column by position or by name.
pub trait ColumnIndex: rusqlite::RowIndex {
    fn server_idx(&self, columns: &[String]) -> SqlResult<usize>;
}

impl ColumnIndex for usize {
    fn server_idx(&self, columns: &[String]) -> SqlResult<usize> {
        if *self < columns.len() {
            Ok(*self)
        } else {
            Err(rusqlite::Error::InvalidColumnIndex(*self))
        }
    }
}

impl ColumnIndex for &str {
    fn server_idx(&self, columns: &[String]) -> SqlResult<usize> {
        columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(self))
            .ok_or_else(|| rusqlite::Error::InvalidColumnName(self.to_string()))
    }
}

/// Parameters as the store writes them (`params![…]`, `[id]`,
/// `named_params!{…}`, `params_from_iter(…)`, `[]`), for either engine.
pub trait Params {
    type Sqlite: rusqlite::Params;
    fn sqlite(self) -> Self::Sqlite;
    fn bind(self) -> SqlResult<Bound>;
}

/// Parameters as values, by position or by name.
pub struct Bound {
    values: Vec<Value>,
    names: Option<Vec<String>>,
}

impl Bound {
    /// The values in the order of the statement's `$N`.
    fn ordered(self, names: &[String]) -> SqlResult<Vec<Value>> {
        let Some(given) = self.names else {
            return Ok(self.values);
        };
        let mut by_name: HashMap<String, Value> = given.into_iter().zip(self.values).collect();
        names
            .iter()
            .map(|n| {
                by_name
                    .remove(n)
                    .ok_or_else(|| rusqlite::Error::InvalidParameterName(n.clone()))
            })
            .collect()
    }
}

pub(crate) fn value_of(v: &dyn ToSql) -> SqlResult<Value> {
    Ok(match v.to_sql()? {
        ToSqlOutput::Borrowed(r) => match r {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        },
        ToSqlOutput::Owned(v) => v,
        _ => {
            return Err(rusqlite::Error::ToSqlConversionFailure(
                "a value the team book cannot store".into(),
            ))
        }
    })
}

fn positional<'v>(values: impl IntoIterator<Item = &'v dyn ToSql>) -> SqlResult<Bound> {
    Ok(Bound {
        values: values.into_iter().map(value_of).collect::<SqlResult<_>>()?,
        names: None,
    })
}

impl Params for [&(dyn ToSql + Send + Sync); 0] {
    type Sqlite = Self;
    fn sqlite(self) -> Self {
        self
    }
    fn bind(self) -> SqlResult<Bound> {
        positional([])
    }
}

impl Params for () {
    type Sqlite = Self;
    fn sqlite(self) -> Self {
        self
    }
    fn bind(self) -> SqlResult<Bound> {
        positional([])
    }
}

impl<'a> Params for &'a [&'a dyn ToSql] {
    type Sqlite = Self;
    fn sqlite(self) -> Self {
        self
    }
    fn bind(self) -> SqlResult<Bound> {
        positional(self.iter().copied())
    }
}

impl<'a> Params for &'a [(&'a str, &'a dyn ToSql)] {
    type Sqlite = Self;
    fn sqlite(self) -> Self {
        self
    }
    fn bind(self) -> SqlResult<Bound> {
        Ok(Bound {
            values: self
                .iter()
                .map(|(_, v)| value_of(*v))
                .collect::<SqlResult<_>>()?,
            names: Some(self.iter().map(|(n, _)| n.to_string()).collect()),
        })
    }
}

macro_rules! array_params {
    ($($n:literal)+) => {$(
        impl<T: ToSql> Params for [T; $n] {
            type Sqlite = Self;
            fn sqlite(self) -> Self {
                self
            }
            fn bind(self) -> SqlResult<Bound> {
                positional(self.iter().map(|v| v as &dyn ToSql))
            }
        }
        impl<'a, T: ToSql> Params for &'a [&'a T; $n] {
            type Sqlite = Self;
            fn sqlite(self) -> Self {
                self
            }
            fn bind(self) -> SqlResult<Bound> {
                positional(self.iter().map(|v| *v as &dyn ToSql))
            }
        }
    )+};
}

array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

/// Any iterator of values as parameters (rusqlite's `params_from_iter`).
pub struct FromIter<I>(I);

pub fn params_from_iter<I>(iter: I) -> FromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    FromIter(iter)
}

impl<I> Params for FromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    type Sqlite = rusqlite::ParamsFromIter<I>;
    fn sqlite(self) -> Self::Sqlite {
        rusqlite::params_from_iter(self.0)
    }
    fn bind(self) -> SqlResult<Bound> {
        let values = self
            .0
            .into_iter()
            .map(|v| value_of(&v))
            .collect::<SqlResult<_>>()?;
        Ok(Bound {
            values,
            names: None,
        })
    }
}

/// SQL in the store's spelling, for PostgreSQL: `?N`/`?` and `:name`
/// placeholders become `$N` (the names in order, for binding by name), and
/// `COLLATE NOCASE` the team book's case-blind collation; quoted strings and
/// identifiers are left alone.
pub fn pg_sql(sql: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut names: Vec<String> = Vec::new();
    let mut next = 1;
    let mut quote: Option<char> = None;
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
                i += 1;
            }
            '?' => {
                i += 1;
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                out.push('$');
                if i == start {
                    out.push_str(&next.to_string());
                    next += 1;
                } else {
                    out.extend(&chars[start..i]);
                }
            }
            ':' if chars.get(i + 1) == Some(&':') => {
                out.push_str("::");
                i += 2;
            }
            ':' if chars
                .get(i + 1)
                .is_some_and(|d| d.is_ascii_alphabetic() || *d == '_') =>
            {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                let n = match names.iter().position(|x| *x == name) {
                    Some(p) => p + 1,
                    None => {
                        names.push(name);
                        names.len()
                    }
                };
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    let out = replace_ci(&out, "COLLATE NOCASE", "COLLATE dossier_nocase");
    // SQLite's index hints: PostgreSQL's planner picks its own.
    let out = strip_index_hints(&out);
    // `only` is a column name to SQLite and a keyword to PostgreSQL.
    let out = out.replace(" only = 1", " \"only\" = 1");
    // SQLite's LIKE is case-blind for ASCII; PostgreSQL's ILIKE is that.
    let out = replace_ci(&out, " LIKE ", " ILIKE ");
    // A bulk insert's UUID expression (see `rows::new_uuid_sql`).
    let out = out.replace(crate::store::rows_new_uuid_sql(), "gen_random_uuid()::text");
    (out, names)
}

/// `sql` without SQLite's `INDEXED BY name` hints.
fn strip_index_hints(sql: &str) -> String {
    let mut out = sql.to_string();
    while let Some(at) = out.find(" INDEXED BY ") {
        let name_start = at + " INDEXED BY ".len();
        let name_end = out[name_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(out.len(), |n| name_start + n);
        out.replace_range(at..name_end, "");
    }
    out
}

/// `text` with every `from` (any case) replaced by `to`.
fn replace_ci(text: &str, from: &str, to: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let needle = from.to_ascii_lowercase();
    if !lower.contains(&needle) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in lower.match_indices(&needle) {
        out.push_str(&text[last..at]);
        out.push_str(to);
        last = at + from.len();
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_spellings_become_postgres_ones() {
        let (sql, _) = pg_sql(&format!(
            "INSERT INTO c (name, uuid) SELECT name, {} FROM d WHERE name LIKE ?1 ESCAPE '\\'",
            crate::store::rows_new_uuid_sql()
        ));
        assert_eq!(
            sql,
            "INSERT INTO c (name, uuid) SELECT name, gen_random_uuid()::text FROM d WHERE name ILIKE $1 ESCAPE '\\'"
        );
    }

    use super::*;

    #[test]
    fn named_and_numbered_placeholders_become_dollars() {
        let (sql, names) =
            pg_sql("UPDATE t SET a = :a, b = :b WHERE id = :id AND a = :a AND x::text = 'p:q'");
        assert_eq!(
            sql,
            "UPDATE t SET a = $1, b = $2 WHERE id = $3 AND a = $1 AND x::text = 'p:q'"
        );
        assert_eq!(names, [":a", ":b", ":id"]);
        let (sql, names) = pg_sql("SELECT name FROM c WHERE id > ?1 ORDER BY name COLLATE NOCASE");
        assert_eq!(
            sql,
            "SELECT name FROM c WHERE id > $1 ORDER BY name COLLATE dossier_nocase"
        );
        assert!(names.is_empty());
    }

    #[test]
    fn index_hints_are_left_to_the_server() {
        let (sql, _) = pg_sql("SELECT 1 FROM a JOIN o INDEXED BY o_won ON o.id = a.id");
        assert_eq!(sql, "SELECT 1 FROM a JOIN o ON o.id = a.id");
    }

    #[test]
    fn named_values_are_bound_in_the_statement_order() {
        let b = Params::bind(
            &[(":b", &2_i64 as &dyn ToSql), (":a", &1_i64 as &dyn ToSql)]
                as &[(&str, &dyn ToSql)],
        )
        .unwrap();
        let v = b.ordered(&[":a".to_string(), ":b".to_string()]).unwrap();
        assert_eq!(v, [Value::Integer(1), Value::Integer(2)]);
    }
}
