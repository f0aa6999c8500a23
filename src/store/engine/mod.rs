//! The backend seam: one way to run the book's SQL on either engine.
//!
//! A book is a SQLite file (the default, through rusqlite) or a team book on
//! a PostgreSQL server (through the `postgres` crate, TLS through
//! `postgres-native-tls`). SQL is written once, in a spelling both engines
//! accept (`?N` placeholders, `ON CONFLICT … DO NOTHING`, row values), and
//! [`Engine`] translates it for PostgreSQL in one place ([`to_pg`]). Values
//! cross the seam as SQLite's own [`Value`] (integer, real, text, blob,
//! null): the PostgreSQL schema stores integers as BIGINT and dates as TEXT,
//! exactly as the SQLite one does, so a record reads back the same from
//! both.
//!
//! What runs on this seam today: the PostgreSQL schema and its migrations
//! ([`pg_schema`]), the team setup with row-level security ([`team`]) and
//! copying a whole book between engines ([`copy`]). The rest of the store
//! still talks to rusqlite directly and opens SQLite books only.
//!
//! How the store moves onto it (not done yet): `Store` holds an `Engine`
//! instead of a `rusqlite::Connection`; the per-kind modules keep their SQL
//! and their line shapes, reading rows through a row type that converts a
//! column to any `rusqlite::types::FromSql` through [`Value`] (so the
//! domain's column conversions serve both engines) and binding `ToSql`
//! parameters the same way; `last_insert_rowid` becomes `RETURNING id`; the
//! SQLite-only spellings still in the store (`randomblob` UUIDs, `rowid`,
//! `json_each`, `strftime`, `group_concat`, `WHERE 1`) get a shared
//! spelling or a per-engine variant here. The SQLite engine keeps calling
//! rusqlite directly, so its speed does not change.

pub mod conn;
pub mod copy;
mod lazy_tls;
pub mod listen;
pub mod pg_schema;
pub mod pg_sweep;
pub mod team;

use super::{Result, Store, StoreError};
use postgres::types::{IsNull, ToSql, Type};
use std::borrow::Cow;
use std::time::Duration;

pub use rusqlite::types::Value;

impl Store {
    /// Where another connection opens this book: its file, or a team book's
    /// URL (as a path: `Store::open` and `open_reader` take either). For
    /// work off the connection that writes (background reads, the sweep,
    /// the search index build). None for a book in memory.
    pub fn target(&self) -> Option<std::path::PathBuf> {
        self.path().map(|p| p.to_path_buf()).or_else(|| {
            self.conn()
                .server()
                .map(|s| std::path::PathBuf::from(s.url()))
        })
    }
}

/// How long connecting to a server may take before it is reported as
/// unreachable (when the URL does not say `connect_timeout=`).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Which engine a book runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    Sqlite,
    Postgres,
}

/// True when `target` names a PostgreSQL server rather than a file.
pub fn is_server_url(target: &str) -> bool {
    target.starts_with("postgres://") || target.starts_with("postgresql://")
}

/// An open book on either engine.
pub enum Engine {
    Sqlite(Box<Store>),
    Postgres(Box<postgres::Client>),
}

impl Engine {
    /// Opens `target`: a `postgres://` URL (schema migrated) or a book file
    /// (created and migrated as [`Store::open`] does).
    pub fn open(target: &str) -> Result<Engine> {
        if is_server_url(target) {
            let mut client = connect(target)?;
            pg_schema::migrate(&mut client)?;
            Ok(Engine::Postgres(Box::new(client)))
        } else {
            Ok(Engine::Sqlite(Box::new(Store::open(
                std::path::Path::new(target),
            )?)))
        }
    }

    pub fn kind(&self) -> EngineKind {
        match self {
            Engine::Sqlite(_) => EngineKind::Sqlite,
            Engine::Postgres(_) => EngineKind::Postgres,
        }
    }

    /// Runs one statement; returns how many rows it changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        match self {
            Engine::Sqlite(s) => {
                let mut st = s.conn().prepare_cached(sql)?;
                Ok(st.execute(conn::params_from_iter(params.iter()))? as u64)
            }
            Engine::Postgres(c) => {
                let st = c.prepare(&to_pg(sql)).map_err(server_error)?;
                let p = pg_params(params);
                c.execute(&st, &p.as_params()).map_err(server_error)
            }
        }
    }

    /// Runs a query; returns every row as values.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>> {
        match self {
            Engine::Sqlite(s) => {
                let mut st = s.conn().prepare_cached(sql)?;
                let n = st.column_count();
                let rows = st.query_map(conn::params_from_iter(params.iter()), |r| {
                    (0..n).map(|i| r.get::<_, Value>(i)).collect()
                })?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            }
            Engine::Postgres(c) => {
                let st = c.prepare(&to_pg(sql)).map_err(server_error)?;
                let p = pg_params(params);
                let rows = c.query(&st, &p.as_params()).map_err(server_error)?;
                rows.iter().map(from_pg_row).collect()
            }
        }
    }

    /// Adds rows to a table with PostgreSQL's `COPY … FROM STDIN` (the bulk
    /// path); on SQLite, one insert per row.
    pub fn copy_in(&mut self, table: &str, cols: &[&str], rows: &[Vec<Value>]) -> Result<()> {
        let cols = cols.join(", ");
        match self {
            Engine::Sqlite(_) => {
                for row in rows {
                    let marks: Vec<String> = (1..=row.len()).map(|i| format!("?{i}")).collect();
                    self.execute(
                        &format!("INSERT INTO {table} ({cols}) VALUES ({})", marks.join(", ")),
                        row,
                    )?;
                }
                Ok(())
            }
            Engine::Postgres(c) => {
                use std::io::Write;
                let mut text = Vec::with_capacity(rows.len() * 128);
                for row in rows {
                    for (i, v) in row.iter().enumerate() {
                        if i > 0 {
                            text.push(b'\t');
                        }
                        copy_text(&mut text, v);
                    }
                    text.push(b'\n');
                }
                let mut w = c
                    .copy_in(&format!("COPY {table} ({cols}) FROM STDIN"))
                    .map_err(server_error)?;
                w.write_all(&text)
                    .map_err(|e| StoreError::Server(e.to_string()))?;
                w.finish().map_err(server_error)?;
                Ok(())
            }
        }
    }

    /// Runs statements without parameters (schema, transaction control).
    pub fn batch(&mut self, sql: &str) -> Result<()> {
        match self {
            Engine::Sqlite(s) => Ok(s.conn().execute_batch(sql)?),
            Engine::Postgres(c) => c.batch_execute(sql).map_err(server_error),
        }
    }

    /// Runs `f` in one transaction: committed when it succeeds, rolled back
    /// when it fails.
    pub fn transaction<R>(&mut self, f: impl FnOnce(&mut Engine) -> Result<R>) -> Result<R> {
        self.batch(match self.kind() {
            EngineKind::Sqlite => "BEGIN IMMEDIATE",
            EngineKind::Postgres => "BEGIN",
        })?;
        match f(self) {
            Ok(r) => match self.batch("COMMIT") {
                Ok(()) => Ok(r),
                Err(e) => {
                    let _ = self.batch("ROLLBACK");
                    Err(e)
                }
            },
            Err(e) => {
                let _ = self.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// The column names of a table, in table order (empty when it does not
    /// exist).
    pub fn columns(&mut self, table: &str) -> Result<Vec<String>> {
        let sql = match self.kind() {
            EngineKind::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
            EngineKind::Postgres => {
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position"
            }
        };
        let rows = self.query(sql, &[Value::Text(table.to_string())])?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match r.into_iter().next() {
                Some(Value::Text(t)) => Some(t),
                _ => None,
            })
            .collect())
    }

    /// One integer from a query (a count, a flag); None for no row or NULL.
    pub fn query_i64(&mut self, sql: &str, params: &[Value]) -> Result<Option<i64>> {
        Ok(self
            .query(sql, params)?
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
            .and_then(|v| match v {
                Value::Integer(i) => Some(i),
                _ => None,
            }))
    }
}

/// A value in COPY's text format: `\N` for NULL, backslash escapes for
/// the separators, bytea as `\\x…`.
pub(crate) fn copy_text(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Null => out.extend_from_slice(b"\\N"),
        Value::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Value::Real(f) => out.extend_from_slice(f.to_string().as_bytes()),
        Value::Text(t) => {
            for b in t.bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    _ => out.push(b),
                }
            }
        }
        Value::Blob(b) => {
            out.extend_from_slice(b"\\\\x");
            for byte in b {
                out.extend_from_slice(format!("{byte:02x}").as_bytes());
            }
        }
    }
}

/// SQL in the shared spelling, for PostgreSQL: `?N` becomes `$N` and a bare
/// `?` the next number, outside quoted strings and identifiers.
pub fn to_pg(sql: &str) -> Cow<'_, str> {
    if !sql.contains('?') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 1;
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), c) => out.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '?') => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                out.push('$');
                if digits.is_empty() {
                    out.push_str(&next.to_string());
                    next += 1;
                } else {
                    out.push_str(&digits);
                }
            }
            (None, c) => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Connects to a team book: TLS when the server offers it (as `sslmode`
/// says; `sslmode=require` refuses a server without it), a connect timeout,
/// and an error that says what to check instead of hanging.
pub fn connect(url: &str) -> Result<postgres::Client> {
    let mut config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
        StoreError::Refused(crate::tr!(
            "err-server-url",
            url = redact(url),
            error = e.to_string()
        ))
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    config.keepalives(true);
    if config.get_application_name().is_none() {
        config.application_name("dossier");
    }
    let connected = if config.get_ssl_mode() == postgres::config::SslMode::Disable {
        // No TLS asked for: the system's certificates are not even loaded
        // (tens of milliseconds at every start).
        config.connect(postgres::NoTls)
    } else if std::env::var_os("PGSSLROOTCERT").is_some_and(|p| !p.is_empty()) {
        // A CA named on purpose: a wrong file is reported before connecting.
        let tls = postgres_native_tls::MakeTlsConnector::new(tls_connector()?);
        config.connect(tls)
    } else {
        // The system's roots are loaded only if the server accepts TLS.
        config.connect(lazy_tls::LazyTls)
    };
    connected.map_err(|e| {
        StoreError::Server(crate::tr!(
            "err-server-unreachable",
            url = redact(url),
            error = error_text(&e)
        ))
    })
}

/// TLS that verifies the server's certificate against the system's roots,
/// plus the CA in `PGSSLROOTCERT` (as libpq names it) when set: managed
/// servers (RDS, Cloud SQL…) sign with their own CA, downloadable from the
/// provider.
fn tls_connector() -> Result<native_tls::TlsConnector> {
    let mut b = native_tls::TlsConnector::builder();
    if let Some(path) = std::env::var_os("PGSSLROOTCERT").filter(|p| !p.is_empty()) {
        let pem = std::fs::read(&path).map_err(|e| StoreError::Io {
            path: std::path::Path::new(&path).display().to_string(),
            source: e,
        })?;
        let cert = native_tls::Certificate::from_pem(&pem).map_err(|e| {
            StoreError::Refused(format!(
                "PGSSLROOTCERT={} is not a PEM certificate: {e}",
                std::path::Path::new(&path).display()
            ))
        })?;
        b.add_root_certificate(cert);
    }
    b.build()
        .map_err(|e| StoreError::Refused(format!("TLS is not available here: {e}")))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((user, host)) => {
                let user = user.split(':').next().unwrap_or("");
                format!("{scheme}://{user}@{host}")
            }
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// A PostgreSQL error in a sentence: the server's message when there is one.
fn error_text(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut s = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        s = format!("{s}: {inner}");
        source = inner.source();
    }
    s
}

/// Whether `e` says the session is gone: the connection closed, a
/// connection exception, or the server ending this session (shutdown, an
/// administrator's `pg_terminate_backend`).
pub(crate) fn connection_lost(e: &postgres::Error) -> bool {
    e.is_closed()
        // The socket itself failed (reset, broken pipe).
        || std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
        || e.as_db_error().is_some_and(|db| {
            let code = db.code().code();
            code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03")
        })
}

/// A server error as a store error: a lost connection says so; the rest carry the server's message.
pub(crate) fn server_error(e: postgres::Error) -> StoreError {
    if connection_lost(&e) {
        return StoreError::ConnectionLost { committing: false };
    }
    if let Some(db) = e.as_db_error() {
        use postgres::error::SqlState;
        let code = db.code();
        if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED
        {
            return StoreError::Busy;
        }
        if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            return StoreError::Refused(format!(
                "the team book refused this: {} — your database role may not do it",
                db.message()
            ));
        }
        return StoreError::Server(db.message().to_string());
    }
    StoreError::Server(error_text(&e))
}

/// A value bound to a PostgreSQL parameter of whatever type the statement
/// needs there (BIGINT, INT, BOOLEAN, TEXT, DOUBLE PRECISION, BYTEA).
#[derive(Debug)]
pub(crate) struct PgValue<'a>(&'a Value);

impl ToSql for PgValue<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match (self.0, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Integer(i), &Type::INT8) => i.to_sql(ty, out),
            (Value::Integer(i), &Type::INT4) => i32::try_from(*i)?.to_sql(ty, out),
            (Value::Integer(i), &Type::INT2) => i16::try_from(*i)?.to_sql(ty, out),
            (Value::Integer(i), &Type::BOOL) => (*i != 0).to_sql(ty, out),
            (Value::Integer(i), &Type::FLOAT8) => (*i as f64).to_sql(ty, out),
            (Value::Integer(i), _) => i.to_string().to_sql(ty, out),
            (Value::Real(f), &Type::FLOAT8) => f.to_sql(ty, out),
            (Value::Real(f), &Type::FLOAT4) => (*f as f32).to_sql(ty, out),
            (Value::Real(f), _) => f.to_string().to_sql(ty, out),
            (Value::Text(t), &Type::INT8) => t.parse::<i64>()?.to_sql(ty, out),
            (Value::Text(t), _) => t.as_str().to_sql(ty, out),
            (Value::Blob(b), _) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

pub(crate) fn pg_params(params: &[Value]) -> Vec<PgValue<'_>> {
    params.iter().map(PgValue).collect()
}

/// Binds [`PgValue`]s as the `postgres` crate expects them.
pub(crate) trait AsParams {
    fn as_params(&self) -> Vec<&(dyn ToSql + Sync)>;
}

impl AsParams for Vec<PgValue<'_>> {
    fn as_params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
    }
}

/// A row of PostgreSQL values as SQLite values.
pub(crate) fn from_pg_row(row: &postgres::Row) -> Result<Vec<Value>> {
    let mut out = Vec::with_capacity(row.len());
    for (i, col) in row.columns().iter().enumerate() {
        let ty = col.type_();
        let get_err = |e: postgres::Error| server_error(e);
        let v = match *ty {
            Type::INT8 => row
                .try_get::<_, Option<i64>>(i)
                .map_err(get_err)?
                .map(Value::Integer),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(i)
                .map_err(get_err)?
                .map(|v| Value::Integer(v.into())),
            Type::INT2 => row
                .try_get::<_, Option<i16>>(i)
                .map_err(get_err)?
                .map(|v| Value::Integer(v.into())),
            Type::BOOL => row
                .try_get::<_, Option<bool>>(i)
                .map_err(get_err)?
                .map(|v| Value::Integer(v.into())),
            Type::FLOAT8 => row
                .try_get::<_, Option<f64>>(i)
                .map_err(get_err)?
                .map(Value::Real),
            Type::FLOAT4 => row
                .try_get::<_, Option<f32>>(i)
                .map_err(get_err)?
                .map(|v| Value::Real(v.into())),
            Type::BYTEA => row
                .try_get::<_, Option<Vec<u8>>>(i)
                .map_err(get_err)?
                .map(Value::Blob),
            Type::NUMERIC => row
                .try_get::<_, Option<Numeric>>(i)
                .map_err(get_err)?
                .map(|n| n.0),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row
                .try_get::<_, Option<String>>(i)
                .map_err(get_err)?
                .map(Value::Text),
            _ => {
                return Err(StoreError::Server(format!(
                "column {} has type {ty}, which dossier does not read (cast it to bigint or text)",
                col.name()
            )))
            }
        };
        out.push(v.unwrap_or(Value::Null));
    }
    Ok(out)
}

/// A NUMERIC (what `sum` and `avg` of integers give on PostgreSQL) as
/// SQLite would give it: an integer when it has no fraction and fits, else
/// a real.
struct Numeric(Value);

impl<'a> postgres::types::FromSql<'a> for Numeric {
    fn from_sql(
        _: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        // Binary NUMERIC: ndigits, weight, sign, dscale (i16 each), then
        // ndigits base-10000 digits, the first at 10000^weight.
        let word =
            |i: usize| -> std::result::Result<i16, Box<dyn std::error::Error + Sync + Send>> {
                raw.get(i * 2..i * 2 + 2)
                    .map(|b| i16::from_be_bytes([b[0], b[1]]))
                    .ok_or_else(|| "short NUMERIC".into())
            };
        let (ndigits, weight, sign) = (word(0)?, word(1)?, word(2)? as u16);
        if sign == 0xC000 {
            return Ok(Numeric(Value::Real(f64::NAN)));
        }
        let mut int: Option<i64> = Some(0);
        let mut real = 0f64;
        let mut fraction = false;
        for d in 0..ndigits as usize {
            let digit = word(4 + d)? as i64;
            let power = weight as i32 - d as i32;
            real += digit as f64 * 10000f64.powi(power);
            if power < 0 {
                fraction |= digit != 0;
            } else {
                int = int.and_then(|v| {
                    10000i64
                        .checked_pow(power as u32)
                        .and_then(|p| p.checked_mul(digit))
                        .and_then(|x| v.checked_add(x))
                });
            }
        }
        let negative = sign == 0x4000;
        Ok(Numeric(match (int, fraction) {
            (Some(v), false) => Value::Integer(if negative { -v } else { v }),
            _ => Value::Real(if negative { -real } else { real }),
        }))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres_outside_quotes() {
        assert_eq!(
            to_pg("SELECT * FROM t WHERE a = ?1 AND b = ?2 OR c = ?1"),
            "SELECT * FROM t WHERE a = $1 AND b = $2 OR c = $1"
        );
        assert_eq!(to_pg("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
        assert_eq!(
            to_pg("SELECT '?1', \"a?\" FROM t WHERE x = ?3"),
            "SELECT '?1', \"a?\" FROM t WHERE x = $3"
        );
        assert!(matches!(to_pg("SELECT 1"), Cow::Borrowed(_)));
    }

    #[test]
    fn copy_text_escapes_what_would_split_a_row() {
        let mut out = Vec::new();
        for v in [
            Value::Text("a\tb\nc\\d\re".into()),
            Value::Null,
            Value::Integer(-7),
            Value::Blob(vec![0, 255]),
        ] {
            copy_text(&mut out, &v);
            out.push(b'|');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\\tb\\nc\\\\d\\re|\\N|-7|\\\\x00ff|"
        );
    }

    #[test]
    fn messages_never_show_the_password() {
        assert_eq!(
            redact("postgres://ann:s3cret@db.example.com:5432/sales"),
            "postgres://ann@db.example.com:5432/sales"
        );
        assert_eq!(redact("postgres://db/sales"), "postgres://db/sales");
    }

    #[test]
    fn a_server_that_is_not_there_is_a_clear_message() {
        // A port nothing listens on: refused at once.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("postgres://ann:pw@127.0.0.1:{port}/sales?connect_timeout=2");
        let shown = connect(&url)
            .err()
            .expect("nothing listens there")
            .to_string();
        assert!(shown.contains("cannot open the team book"), "{shown}");
        assert!(shown.contains("server is running"), "{shown}");
        assert!(!shown.contains(":pw@"), "{shown}");
    }

    #[test]
    fn only_postgres_urls_are_servers() {
        assert!(is_server_url("postgres://u@h/db"));
        assert!(is_server_url("postgresql://u@h/db"));
        assert!(!is_server_url("/home/ann/book.db"));
        assert!(!is_server_url("postgres.db"));
    }
}
