//! Live team view: colleagues' commits to a team book, as PostgreSQL
//! notifies them (`LISTEN dossier_changes`; the book's statement triggers
//! send one notification per changed table at commit, see `pg_schema`).

use super::{connect, server_error};
use crate::store::Result;
use fallible_iterator::FallibleIterator;
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// The channel the book's triggers notify on.
pub const CHANNEL: &str = "dossier_changes";

/// A connection listening for changes to a team book.
pub struct ChangeListener {
    client: postgres::Client,
    /// Our own writing session: its changes are not news.
    own_pid: i32,
}

impl ChangeListener {
    /// Listens on the book at `url`, ignoring what the session `own_pid`
    /// commits.
    pub fn start(url: &str, own_pid: i32) -> Result<ChangeListener> {
        let mut client = connect(url)?;
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(server_error)?;
        Ok(ChangeListener { client, own_pid })
    }

    /// Waits up to `timeout` for others' commits; the tables they changed
    /// (empty when nothing came).
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<String>> {
        let own = self.own_pid;
        let mut tables: Vec<String> = Vec::new();
        let mut take = |n: postgres::Notification| {
            if n.process_id() != own && !tables.iter().any(|t| t == n.payload()) {
                tables.push(n.payload().to_string());
            }
        };
        let mut notes = self.client.notifications();
        let first = notes.timeout_iter(timeout).next().map_err(server_error)?;
        if let Some(n) = first {
            take(n);
            // Whatever else has arrived with it.
            let mut rest = notes.iter();
            while let Some(n) = rest.next().map_err(server_error)? {
                take(n);
            }
        }
        Ok(tables)
    }

    /// Listens on its own thread; the receiver gets the tables of each
    /// batch of others' commits. The thread ends when the receiver is
    /// dropped or the connection is lost.
    pub fn spawn(mut self) -> Receiver<Vec<String>> {
        let (tx, rx) = channel();
        std::thread::spawn(move || loop {
            match self.wait(Duration::from_millis(500)) {
                Ok(t) if t.is_empty() => {
                    // Nothing: is anyone still listening to us?
                    if tx.send(Vec::new()).is_err() {
                        return;
                    }
                }
                Ok(t) => {
                    if tx.send(t).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    tracing::warn!("live view of the team book stopped: {e}");
                    return;
                }
            }
        });
        rx
    }
}
