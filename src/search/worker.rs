//! Off the UI thread: building the index in the background, and a query
//! worker that always answers the newest query and drops stale ones.

use super::{Hit, Kind, Narrowing, QueryError, SearchIndex, SkimMatcher};
use crate::store::{Result, Store, StoreError};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, RwLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The index shared by the UI (writes) and the query worker (reads).
pub type SharedIndex = Arc<RwLock<SearchIndex>>;

/// An index being built on a background thread. Dropping the handle stops
/// the build (a rebuild that replaces it, a bench iteration that ends), so
/// abandoned builds never pile up threads and memory.
pub struct BuildHandle {
    rx: Receiver<Result<SearchIndex>>,
    /// Records written while the build ran; refreshed when it lands.
    changed: Vec<(Kind, i64)>,
    thread: Option<JoinHandle<()>>,
    stop: Arc<AtomicBool>,
}

/// Starts building the index of the database at `path` on its own thread
/// (with its own connection), so the first frame never waits for it.
pub fn spawn_build(path: PathBuf) -> BuildHandle {
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let thread = thread::Builder::new()
        .name("search-index".into())
        .spawn(move || {
            let built =
                Store::open(&path).and_then(|store| super::open_index_until(&store, &stopped));
            let _ = tx.send(built);
        })
        .ok();
    BuildHandle {
        rx,
        changed: Vec::new(),
        thread,
        stop,
    }
}

impl Drop for BuildHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl BuildHandle {
    /// Stops the build and waits for its thread to end.
    pub fn cancel(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl BuildHandle {
    /// Remembers a write made while the build runs, to apply afterwards.
    pub fn note_change(&mut self, kind: Kind, id: i64) {
        self.changed.push((kind, id));
    }

    /// The built index once it is ready (with the changes noted meanwhile
    /// applied from `store`); `None` while it is still building.
    pub fn try_finish(&mut self, store: &Store) -> Option<Result<SearchIndex>> {
        let built = match self.rx.try_recv() {
            Ok(built) => built,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Err(StoreError::Refused(
                "the search index could not be built (its thread stopped)".into(),
            )),
        };
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        Some(built.and_then(|mut index| {
            for (kind, id) in self.changed.drain(..) {
                super::refresh_record(&mut index, store, kind, id)?;
            }
            Ok(index)
        }))
    }

    /// Blocks until the index is built (CLI use).
    pub fn wait(mut self, store: &Store) -> Result<SearchIndex> {
        loop {
            if let Some(done) = self.try_finish(store) {
                return done;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }
}

/// The answer to one submitted query.
#[derive(Debug)]
pub struct SearchResults {
    /// Which submission this answers (see [`QueryWorker::submit`]).
    pub generation: u64,
    /// The query text as typed.
    pub input: String,
    pub hits: std::result::Result<Vec<Hit>, QueryError>,
    /// How many records match in all, when there are more than the hits
    /// (sent in a second answer with the same hits, once counted).
    pub total: Option<usize>,
    pub elapsed: Duration,
}

struct Request {
    generation: u64,
    input: String,
    kind: Option<Kind>,
    limit: usize,
}

/// Runs queries on its own thread. Submitting never blocks; results of a
/// query overtaken by a newer one are never delivered.
pub struct QueryWorker {
    tx: Option<Sender<Request>>,
    results: Receiver<SearchResults>,
    latest: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl QueryWorker {
    /// Starts a worker over `index`.
    pub fn spawn(index: SharedIndex) -> QueryWorker {
        Self::spawn_with_notify(index, || {})
    }

    /// Like [`QueryWorker::spawn`]; `notify` is called after each delivered
    /// result (e.g. to wake the UI's event loop).
    pub fn spawn_with_notify(
        index: SharedIndex,
        notify: impl Fn() + Send + 'static,
    ) -> QueryWorker {
        let (tx, rx) = mpsc::channel::<Request>();
        let (out, results) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let seen = latest.clone();
        let thread = thread::Builder::new()
            .name("search-query".into())
            .spawn(move || {
                let mut narrowing = Narrowing::new();
                let mut pending: Option<Request> = None;
                loop {
                    let mut req = match pending.take() {
                        Some(r) => r,
                        None => match rx.recv() {
                            Ok(r) => r,
                            Err(_) => break,
                        },
                    };
                    // Skip to the newest request waiting.
                    while let Ok(newer) = rx.try_recv() {
                        req = newer;
                    }
                    if req.generation < seen.load(Ordering::Acquire) {
                        continue;
                    }
                    let started = Instant::now();
                    let read = || match index.read() {
                        Ok(i) => i,
                        Err(poisoned) => poisoned.into_inner(),
                    };
                    let query = read().parse_query(&req.input).map(|q| match req.kind {
                        Some(k) => q.with_kind(k),
                        None => q,
                    });
                    let hits = query.clone().map(|q| {
                        read().search_with(&q, req.limit, &SkimMatcher, Some(&mut narrowing))
                    });
                    if req.generation < seen.load(Ordering::Acquire) {
                        continue; // overtaken while running
                    }
                    let full = hits.as_ref().is_ok_and(|h| h.len() >= req.limit);
                    let result = SearchResults {
                        generation: req.generation,
                        input: req.input.clone(),
                        hits,
                        total: None,
                        elapsed: started.elapsed(),
                    };
                    let again = full.then(|| (result.hits.clone(), result.input.clone()));
                    if out.send(result).is_err() {
                        break;
                    }
                    notify();
                    // A full list: count every match too ("200 of 12,345"),
                    // unless the person has typed on meanwhile.
                    let (Some((hits, input)), Ok(q)) = (again, query) else {
                        continue;
                    };
                    if let Ok(newer) = rx.try_recv() {
                        pending = Some(newer);
                        continue;
                    }
                    let total = read().count(&q);
                    if req.generation < seen.load(Ordering::Acquire) {
                        continue;
                    }
                    let sent = out.send(SearchResults {
                        generation: req.generation,
                        input,
                        hits,
                        total: Some(total),
                        elapsed: started.elapsed(),
                    });
                    if sent.is_err() {
                        break;
                    }
                    notify();
                }
            })
            .ok();
        QueryWorker {
            tx: Some(tx),
            results,
            latest,
            thread,
        }
    }

    /// Queues a query (`kind` restricts it to one tab); returns its
    /// generation. Any earlier query still pending becomes stale.
    pub fn submit(&self, input: &str, kind: Option<Kind>, limit: usize) -> u64 {
        let generation = self.latest.fetch_add(1, Ordering::AcqRel) + 1;
        if let Some(tx) = &self.tx {
            let _ = tx.send(Request {
                generation,
                input: input.to_string(),
                kind,
                limit,
            });
        }
        generation
    }

    /// The generation of the newest submission.
    pub fn latest(&self) -> u64 {
        self.latest.load(Ordering::Acquire)
    }

    /// The newest delivered result for the newest query, if it has arrived;
    /// older results waiting in the channel are dropped.
    pub fn try_recv(&self) -> Option<SearchResults> {
        let mut newest = None;
        while let Ok(r) = self.results.try_recv() {
            if r.generation == self.latest() {
                newest = Some(r);
            }
        }
        newest
    }

    /// Waits up to `timeout` for the result of the newest query.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<SearchResults> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.results.recv_timeout(left) {
                Ok(r) if r.generation == self.latest() => return Some(r),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }
}

impl Drop for QueryWorker {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
