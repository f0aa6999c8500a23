//! Live team view: colleagues' commits to a team book, as PostgreSQL
//! notifies them (`LISTEN dossier_changes`; the book's statement triggers
//! send one notification per changed table at commit, see `pg_schema`).

use super::{connect, server_error};
use crate::store::Result;
use fallible_iterator::FallibleIterator;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::time::Duration;

/// The channel the book's triggers notify on.
pub const CHANNEL: &str = "dossier_changes";

/// What a listener sends after it lost its connection and listens again:
/// changes may have been missed, so everything is news.
pub const MISSED: &str = "*";

/// A connection listening for changes to a team book.
pub struct ChangeListener {
    client: postgres::Client,
    url: String,
    /// Our own writing session (it changes when that session connects
    /// again): its changes are not news.
    own_pid: Arc<AtomicI32>,
}

fn listening(url: &str) -> Result<postgres::Client> {
    let mut client = connect(url)?;
    client
        .batch_execute(&format!("LISTEN {CHANNEL}"))
        .map_err(server_error)?;
    Ok(client)
}

impl ChangeListener {
    /// Listens on the book at `url`, ignoring what the session whose
    /// process is `own_pid` commits.
    pub fn start(url: &str, own_pid: Arc<AtomicI32>) -> Result<ChangeListener> {
        Ok(ChangeListener {
            client: listening(url)?,
            url: url.to_string(),
            own_pid,
        })
    }

    /// Waits up to `timeout` for others' commits; the tables they changed
    /// (empty when nothing came).
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<String>> {
        let own = self.own_pid.clone();
        let mut tables: Vec<String> = Vec::new();
        // Read as each arrives: our session may have connected again while
        // we waited.
        let mut take = |n: postgres::Notification| {
            if n.process_id() != own.load(Ordering::Relaxed)
                && !tables.iter().any(|t| t == n.payload())
            {
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
    /// dropped. A lost connection (a server restart, the network) is
    /// connected again every second or two, and then [`MISSED`] is sent:
    /// whatever was committed meanwhile was not heard.
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
                    tracing::warn!("live view of the team book interrupted: {e}");
                    loop {
                        std::thread::sleep(Duration::from_millis(1500));
                        if tx.send(Vec::new()).is_err() {
                            return;
                        }
                        if let Ok(client) = listening(&self.url) {
                            self.client = client;
                            tracing::info!("live view of the team book listening again");
                            if tx.send(vec![MISSED.to_string()]).is_err() {
                                return;
                            }
                            break;
                        }
                    }
                }
            }
        });
        rx
    }
}
