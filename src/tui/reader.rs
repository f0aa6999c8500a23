//! A background reader for the slow reads (a list's id order, the
//! dashboard, the tag filter's counts, the book's counts): its own
//! connection to the book, so switching tabs on a big book never waits.
//! Requests that a newer one of the same sort has superseded are skipped;
//! answers the app no longer wants are dropped by their generation (see
//! `lists.rs`).

use super::effect::{Effect, Model, Outcome};
use super::runtime::{read, Runtime};
use crate::domain::Clock;
use crate::store::Store;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// What the reader sends back per request: None for a skipped one.
type Answer = Option<Result<Outcome, String>>;

pub struct Reader {
    tx: Sender<Effect>,
    thread: std::thread::JoinHandle<()>,
    rx: Receiver<Answer>,
    /// Requests sent and not answered yet.
    pending: usize,
}

/// Whether `newer` makes `older` pointless.
fn supersedes(newer: &Effect, older: &Effect) -> bool {
    match (newer, older) {
        (Effect::LoadIds { kind: a, .. }, Effect::LoadIds { kind: b, .. }) => a == b,
        (Effect::LoadDashboard(_), Effect::LoadDashboard(_)) => true,
        (Effect::TagCounts(a), Effect::TagCounts(b)) => a == b,
        (Effect::LoadCounts, Effect::LoadCounts) => true,
        _ => false,
    }
}

impl Reader {
    /// Stops taking requests and waits for the read in progress to end.
    pub fn stop(self) {
        drop(self.tx);
        let _ = self.thread.join();
    }

    pub fn start(path: PathBuf, clock: Clock) -> Reader {
        let (tx, requests) = channel::<Effect>();
        let (answers, rx) = channel::<Answer>();
        let thread = std::thread::spawn(move || {
            let mut store: Option<Store> = None;
            while let Ok(first) = requests.recv() {
                let mut batch = vec![first];
                batch.extend(requests.try_iter());
                for i in 0..batch.len() {
                    if batch[i + 1..].iter().any(|n| supersedes(n, &batch[i])) {
                        if answers.send(None).is_err() {
                            return;
                        }
                        continue;
                    }
                    if store.is_none() {
                        match Store::open_with_clock(&path, clock) {
                            Ok(s) => store = Some(s),
                            Err(e) => {
                                let _ = answers.send(Some(Err(e.to_string())));
                                continue;
                            }
                        }
                    }
                    let Some(s) = store.as_mut() else { continue };
                    let answer = read(s, batch[i].clone()).map_err(|e| e.to_string());
                    if answers.send(Some(answer)).is_err() {
                        return;
                    }
                }
            }
        });
        Reader {
            tx,
            thread,
            rx,
            pending: 0,
        }
    }

    pub fn submit(&mut self, effect: Effect) {
        if self.tx.send(effect).is_ok() {
            self.pending += 1;
        }
    }

    /// Answers that arrived (waiting up to `timeout` for the first).
    pub fn take(&mut self, timeout: Option<Duration>) -> Vec<Result<Outcome, String>> {
        let mut out = Vec::new();
        if let (Some(t), true) = (timeout, self.pending > 0) {
            match self.rx.recv_timeout(t) {
                Ok(a) => {
                    self.pending -= 1;
                    out.extend(a);
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return out,
            }
        }
        while let Ok(a) = self.rx.try_recv() {
            self.pending -= 1;
            out.extend(a);
        }
        out
    }

    pub fn pending(&self) -> usize {
        self.pending
    }
}

impl Runtime {
    /// Hands the background reader's answers to the app.
    pub(super) fn take_reads(&mut self, app: &mut dyn Model, wait: Option<Duration>) -> bool {
        let Some(reader) = self.reader.as_mut() else {
            return false;
        };
        let answers = reader.take(wait);
        let any = !answers.is_empty();
        for a in answers {
            let o = match a {
                Ok(o) => o,
                Err(e) => Outcome::Failed(e),
            };
            let effects = app.apply(o);
            self.run_all(app, effects);
        }
        any
    }

    /// Blocks (up to `timeout`) until the tabs' background reads are all
    /// answered and applied. For tests; true when nothing is left waiting.
    pub fn wait_tabs(&mut self, app: &mut dyn Model, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.reader.as_ref().is_some_and(|r| r.pending() > 0) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            self.take_reads(app, Some(left));
        }
        true
    }
}
