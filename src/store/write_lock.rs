//! Holding the book's write lock across a read and the write that follows,
//! so a blind edit (no `--if-version`) applies to the latest version
//! instead of failing as "changed elsewhere" when another writer got in
//! between its read and its write.

use super::engine::conn::{Conn, Transaction};
use super::{Result, Store, StoreError};

/// A write transaction, or a savepoint inside the one held by
/// [`Store::with_write_lock`] (SQLite has no nested transactions).
pub(crate) type WriteTx<'c> = Transaction<'c>;

/// Begins a write: its own transaction, or a savepoint when the lock is held.
pub(crate) fn write_tx(conn: &mut Conn) -> rusqlite::Result<WriteTx<'_>> {
    if conn.is_autocommit() {
        conn.transaction()
    } else {
        conn.savepoint()
    }
}

impl Store {
    /// Runs `f` holding the write lock (`BEGIN IMMEDIATE`): no other writer
    /// can commit between what `f` reads and what it writes. Committed when
    /// `f` succeeds, rolled back when it fails.
    pub fn with_write_lock<R, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Store) -> std::result::Result<R, E>,
    ) -> std::result::Result<R, E> {
        let begin: Result<()> = self.conn.begin_write().map_err(StoreError::from);
        begin?;
        match f(self) {
            Ok(r) => {
                let done: Result<()> = self.conn.end(true).map_err(StoreError::from);
                if let Err(e) = done {
                    let _ = self.conn.end(false);
                    return Err(e.into());
                }
                Ok(r)
            }
            Err(e) => {
                if !self.conn.is_autocommit() {
                    let _ = self.conn.end(false);
                }
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_only_book_is_a_clear_message_not_a_database_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        drop(Store::open(&path).unwrap());
        // What a book without write permission gives (root ignores file
        // modes, so the test opens it read-only instead).
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let e = conn
            .execute("INSERT INTO classify_state VALUES ('k', 'v')", [])
            .unwrap_err();
        let shown = StoreError::from(e).to_string();
        assert!(
            shown.contains("read-only") && shown.contains("nothing was saved"),
            "{shown}"
        );
        assert!(!shown.contains("database error"), "{shown}");
    }
}
