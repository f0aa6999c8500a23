//! The runtime: owns the store, performs [`Effect`]s and hands each
//! [`Outcome`] back to the [`Model`]. It never sees the app's state.

use super::action::Action;
use super::effect::{DetailFile, DoneTarget, Effect, IdList, IdQuery, LoadedRows, Model, Outcome};
use super::search::SearchEngine;
use crate::domain::{AnyRecord, Customer, Kind};
use crate::store::{
    likely_duplicates, sorted_customer_ids_of, CustomerSort, Store, StoreError, TagChange, Written,
};
use std::collections::{HashMap, VecDeque};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::{Duration, Instant};

/// Loads the demo book into an empty store; returns a one-line summary.
pub type DemoLoader = fn(&mut Store) -> anyhow::Result<String>;

/// Books with more customers than this sort in a background thread.
const BACKGROUND_SORT_ABOVE: i64 = 20_000;

/// Ids shown while a big book's full list loads.
const FIRST_PAGE: usize = 200;

/// Owns the store and performs effects.
pub struct Runtime {
    pub store: Store,
    demo: Option<DemoLoader>,
    tx: Sender<Outcome>,
    rx: Receiver<Outcome>,
    search: SearchEngine,
    /// The tabs' slow reads on a file book (started on first use).
    pub(super) reader: Option<super::reader::Reader>,
    /// Work started on its own thread that may still run (the integrity
    /// check and the day's sweep of a big book), for [`Runtime::shutdown`].
    background: Vec<Background>,
    /// Reads of a big book's sorted lists and duplicate pairs, on threads
    /// of their own: joined by [`Runtime::shutdown`].
    detached: Vec<std::thread::JoinHandle<()>>,
    /// A sweep runs on its own thread; its `Swept` has not arrived yet.
    sweeping: bool,
    /// On a team book: the tables colleagues' commits changed (LISTEN).
    team_changes: Option<Receiver<Vec<String>>>,
    /// On a file book: SQLite's data version last seen, and when it was
    /// read (another process's commit moves it; checked twice a second).
    data_version: Option<(i64, Instant)>,
}

/// A background thread and the way to interrupt its SQL.
struct Background {
    thread: std::thread::JoinHandle<()>,
    interrupt: crate::store::engine::conn::InterruptHandle,
}

impl Background {
    /// Runs `work` on `store` on its own thread.
    fn start(store: Store, work: impl FnOnce(Store) + Send + 'static) -> Background {
        let interrupt = store.conn().get_interrupt_handle();
        Background {
            thread: std::thread::spawn(move || work(store)),
            interrupt,
        }
    }
}

impl Runtime {
    pub fn new(store: Store, demo: Option<DemoLoader>) -> Runtime {
        let (tx, rx) = channel();
        let search = SearchEngine::start(&store);
        let team_changes = match store.listen_for_changes() {
            Ok(listener) => listener.map(|l| l.spawn()),
            Err(e) => {
                tracing::warn!("no live view of the team book: {e}");
                None
            }
        };
        // Others' commits are news from now on.
        let data_version = match store.data_version() {
            Ok(Some(v)) => Some((v, Instant::now())),
            _ => None,
        };
        Runtime {
            team_changes,
            data_version,
            store,
            demo,
            tx,
            rx,
            search,
            reader: None,
            background: Vec::new(),
            detached: Vec::new(),
            sweeping: false,
        }
    }

    /// Stops the work this runtime started in the background (an integrity
    /// check or sweep still running is interrupted and rolled back, an index
    /// build stopped) and waits for its threads: for benchmarks and tests
    /// that start many runtimes on one big book.
    pub fn shutdown(mut self) {
        for b in self.background.drain(..) {
            // A statement not started yet cannot be interrupted: keep at it.
            while !b.thread.is_finished() {
                b.interrupt.interrupt();
                std::thread::sleep(Duration::from_millis(2));
            }
            let _ = b.thread.join();
        }
        self.search.cancel_build();
        if let Some(r) = self.reader.take() {
            r.stop();
        }
        for t in self.detached.drain(..) {
            let _ = t.join();
        }
    }

    pub fn has_demo(&self) -> bool {
        self.demo.is_some()
    }

    /// Feeds an action to the app and performs every effect that follows.
    pub fn dispatch(&mut self, app: &mut dyn Model, action: Action) {
        let effects = app.update(action);
        self.run_all(app, effects);
    }

    /// Hands background outcomes (finished sorts) to the app.
    pub fn poll(&mut self, app: &mut dyn Model) -> bool {
        let mut any = false;
        while let Ok(o) = self.rx.try_recv() {
            any = true;
            let swept = matches!(o, Outcome::Swept { .. });
            if swept {
                self.sweeping = false;
            }
            // A background sweep re-tags records too: the index must follow.
            let wrote = self.keep_index_current(&o);
            let effects = app.apply(o);
            self.run_all(app, effects);
            // A write made while the sweep ran may have moved a cut point.
            if wrote || swept {
                self.retag_if_cuts_stale(app);
            }
        }
        for o in self.search.poll(&self.store) {
            any = true;
            let effects = app.apply(o);
            self.run_all(app, effects);
        }
        // A colleague saved: the index catches up from the book's change
        // log, and rows, detail, dashboard and counts load again.
        let colleague_saved = self
            .team_changes
            .as_ref()
            .is_some_and(|rx| rx.try_iter().fold(false, |any, t| any | !t.is_empty()));
        if colleague_saved {
            self.search.catch_up(&self.store);
            let effects = app.apply(Outcome::ChangedElsewhere { lists: true });
            self.run_all(app, effects);
            any = true;
        }
        if self.other_process_wrote() {
            // An open form learns whether its record was among the changes.
            let effects = app.apply(Outcome::ChangedElsewhere { lists: false });
            self.run_all(app, effects);
            any = true;
        }
        any | self.take_reads(app, None)
    }

    /// On a file book: whether another connection (another dossier, a
    /// CLI command) committed since the last look, checked at most twice a
    /// second by SQLite's data version, which moves only for others'
    /// commits.
    fn other_process_wrote(&mut self) -> bool {
        let now = Instant::now();
        if self
            .data_version
            .is_some_and(|(_, at)| now.duration_since(at) < Duration::from_millis(500))
        {
            return false;
        }
        let Ok(Some(v)) = self.store.data_version() else {
            return false;
        };
        let before = self.data_version.replace((v, now));
        before.is_some_and(|(old, _)| old != v)
    }

    /// Blocks (up to `timeout`) until the search index is built and the
    /// answer to the app's newest query has been applied. For tests, which
    /// must not race the worker thread; true when nothing is left waiting.
    pub fn wait_search(&mut self, app: &mut dyn Model, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        for o in self.search.wait(&self.store, timeout, false) {
            let effects = app.apply(o);
            self.run_all(app, effects);
        }
        while app.search_waiting() {
            let left = deadline.saturating_duration_since(Instant::now());
            let got = self.search.wait(&self.store, left, true);
            if got.is_empty() {
                return false;
            }
            for o in got {
                let effects = app.apply(o);
                self.run_all(app, effects);
            }
        }
        app.search_ready()
    }

    pub fn run_all(&mut self, app: &mut dyn Model, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        let mut wrote = false;
        while let Some(e) = queue.pop_front() {
            if let Some(o) = self.perform(e) {
                wrote |= self.keep_index_current(&o);
                queue.extend(app.apply(o));
            }
        }
        if wrote {
            self.retag_if_cuts_stale(app);
        }
    }

    /// A write on a book too big to recompute its cut points (value, price,
    /// RFM) inside the save marks the day's sweep stale when it may have
    /// moved one; the sweep re-tags the records that cross it — in the
    /// background on a big book, with the status line saying so.
    fn retag_if_cuts_stale(&mut self, app: &mut dyn Model) {
        if self.sweeping || !self.store.sweep_due().unwrap_or(false) {
            return;
        }
        // On its own thread: say so now, and again when it is done.
        let outcome = self.start_sweep(false, true).unwrap_or(Outcome::Retagging);
        self.keep_index_current(&outcome);
        let effects = app.apply(outcome);
        self.run_all(app, effects);
    }

    /// After a write, the records it touched are indexed again. True when
    /// `o` reports a write.
    fn keep_index_current(&mut self, o: &Outcome) -> bool {
        let mut touched: Vec<(Kind, i64)> = Vec::new();
        let note =
            |changes: &[TagChange]| changes.iter().map(|c| (c.kind, c.id)).collect::<Vec<_>>();
        match o {
            Outcome::Saved {
                record,
                changes,
                customer,
                ..
            } => {
                touched.push((record.kind(), record.id()));
                if let Some((c, _)) = customer {
                    touched.push((Kind::Customer, *c));
                }
                touched.extend(note(changes));
            }
            Outcome::Deleted {
                kind, id, changes, ..
            }
            | Outcome::Restored {
                kind, id, changes, ..
            } => {
                touched.push((*kind, *id));
                touched.extend(note(changes));
            }
            Outcome::TouchLogged { changes, .. } | Outcome::FollowUpDone { changes, .. } => {
                touched.extend(note(changes))
            }
            Outcome::Merged {
                touched: t,
                changes,
                ..
            } => {
                touched.extend_from_slice(t);
                touched.extend(note(changes));
            }
            Outcome::Unmerged { touched: t, .. } => touched.extend_from_slice(t),
            Outcome::TrashRestored {
                kind, id, changes, ..
            } => {
                touched.push((*kind, *id));
                touched.extend(note(changes));
            }
            // A purged record's dependents went with it: index again.
            Outcome::TrashPurged { .. } => {
                self.search.rebuild(&self.store);
                return true;
            }
            Outcome::DemoLoaded(_) => {
                self.search.rebuild(&self.store);
                return false;
            }
            Outcome::Swept { changed, .. } if *changed > 0 => {
                // Every re-tag is in the book's change log: the index
                // catches up from it (and is built again only when too many
                // records changed at once).
                self.search.catch_up(&self.store);
                return false;
            }
            _ => return false,
        }
        touched.sort_unstable();
        touched.dedup();
        for (kind, id) in touched {
            self.search.changed(&self.store, kind, id);
        }
        true
    }

    /// Brings the tags up to date (one sweep a day, or now when `force`): on
    /// a big file book on its own connection, so the list shows at once and
    /// reloads when it is done (`None`: the `Swept` comes from `poll`).
    /// `after_write`: started because a write may have moved a cut point
    /// (else it is the day's sweep, with the background integrity check of
    /// a big file).
    fn start_sweep(&mut self, force: bool, after_write: bool) -> Option<Outcome> {
        let _ = self.store.rules();
        let rules_warning = self
            .store
            .rules_problem()
            .map(|p| crate::tr!("status-rules-not-used", problem = p.to_string()));
        let big = self
            .store
            .max_customer_id()
            .map(|n| n > BACKGROUND_SORT_ABOVE)
            .unwrap_or(false);
        match self.store.target() {
            Some(path) if big => {
                if !after_write {
                    if let Some(c) = check_in_background(&path, self.tx.clone()) {
                        self.background.push(c);
                    }
                }
                let tx = self.tx.clone();
                let store = match Store::open_with_clock(&path, self.store.clock()) {
                    Ok(s) => s,
                    Err(e) => {
                        return Some(Outcome::Failed(crate::tr!(
                            "status-refresh-failed",
                            error = e.to_string()
                        )))
                    }
                };
                self.sweeping = true;
                self.background.push(Background::start(store, move |mut s| {
                    let _ = tx.send(match sweep(&mut s, force) {
                        Ok(report) => Outcome::Swept {
                            changed: report.map(|r| r.changed).unwrap_or(0),
                            rules_warning,
                            after_write,
                        },
                        // Still a `Swept`: the runtime knows the sweep ended.
                        Err(e) => Outcome::Swept {
                            changed: 0,
                            rules_warning: Some(crate::tr!(
                                "status-refresh-failed",
                                error = e.to_string()
                            )),
                            after_write,
                        },
                    });
                }));
                None
            }
            _ => Some(match sweep(&mut self.store, force) {
                Ok(report) => Outcome::Swept {
                    changed: report.map(|r| r.changed).unwrap_or(0),
                    rules_warning,
                    after_write,
                },
                Err(e) => {
                    Outcome::Failed(crate::tr!("status-refresh-failed", error = e.to_string()))
                }
            }),
        }
    }

    /// Performs one effect; `None` when the answer will come from `poll`.
    pub fn perform(&mut self, effect: Effect) -> Option<Outcome> {
        let failed = |e: StoreError| Some(Outcome::Failed(explain(&e)));
        match effect {
            Effect::LoadTrash => match self.store.trash() {
                Ok(entries) => Some(Outcome::Trash(entries)),
                Err(e) => failed(e),
            },
            Effect::RestoreTrashed { kind, id, label } => match self.store.restore(kind, id) {
                Ok(w) => Some(Outcome::TrashRestored {
                    kind,
                    id,
                    label,
                    changes: w.changes,
                }),
                Err(e) => failed(e),
            },
            Effect::PurgeTrashed { kind, id, label } => match self.store.purge(kind, id) {
                Ok(()) => Some(Outcome::TrashPurged { label }),
                Err(e) => failed(e),
            },
            Effect::LoadIds {
                kind,
                generation,
                query:
                    IdQuery::Customers {
                        sort,
                        descending,
                        tag,
                        first_load,
                        owner,
                    },
            } => {
                let big = self
                    .store
                    .max_customer_id()
                    .map(|n| n > BACKGROUND_SORT_ABOVE)
                    .unwrap_or(false);
                let ids = move |ids: Vec<i64>, partial| Outcome::Ids {
                    kind,
                    generation,
                    ids: IdList::Customers(ids),
                    partial,
                };
                let order = move |mut ids: Vec<i64>| {
                    if descending {
                        ids.reverse();
                    }
                    ids
                };
                match self.store.target() {
                    Some(path) if big => {
                        let tx = self.tx.clone();
                        let filtered = tag.is_some() || owner.is_some();
                        self.detached.retain(|t| !t.is_finished());
                        self.detached.push(std::thread::spawn(move || {
                            let outcome = crate::store::open_reader(&path).and_then(|conn| {
                                let found = sorted_customer_ids_of(&conn, sort, owner.as_deref())?;
                                keep_tagged(&conn, found, &tag)
                            });
                            let _ = tx.send(match outcome {
                                Ok(found) => ids(order(found), false),
                                Err(e) => Outcome::Failed(e.to_string()),
                            });
                        }));
                        // In id order the first screen is ready at once.
                        if first_load && sort == CustomerSort::Id && !filtered && !descending {
                            match self.store.first_customer_ids(FIRST_PAGE) {
                                Ok(found) => Some(ids(found, true)),
                                Err(e) => failed(e),
                            }
                        } else {
                            None
                        }
                    }
                    _ => match self
                        .store
                        .customer_ids_of(sort, owner.as_deref())
                        .and_then(|found| keep_tagged(self.store.conn(), found, &tag))
                    {
                        Ok(found) => Some(ids(order(found), false)),
                        Err(e) => failed(e),
                    },
                }
            }
            Effect::LoadRows {
                kind: Kind::Customer,
                generation,
                ids,
            } => match self
                .store
                .customer_rows(&ids)
                .and_then(|rows| Ok((rows, self.store.owners(Kind::Customer, &ids)?)))
            {
                Ok((rows, owners)) => Some(Outcome::Rows {
                    kind: Kind::Customer,
                    generation,
                    rows: LoadedRows::Customers(rows),
                    owners,
                }),
                Err(e) => failed(e),
            },
            Effect::ReloadForm { kind, id } => {
                let now = match kind {
                    Kind::Customer => self.store.customer(id).map(AnyRecord::Customer),
                    Kind::Opportunity => self.store.opportunity(id).map(AnyRecord::Opportunity),
                    Kind::Product => self.store.product(id).map(AnyRecord::Product),
                    Kind::Activity => self.store.activity(id).map(AnyRecord::Activity),
                };
                match now.and_then(|r| read(&mut self.store, Effect::OpenForm(Box::new(r)))) {
                    Ok(o) => Some(o),
                    Err(e) => failed(e),
                }
            }
            Effect::LoadTeam => match self.store.team_role() {
                Ok(role) => Some(Outcome::Team(role)),
                Err(e) => failed(e),
            },
            Effect::CheckFormRecord { kind, id } => match self.store.stored_version(kind, id) {
                Ok(now) => Some(Outcome::FormRecordNow {
                    kind,
                    id,
                    version: now.as_ref().map(|(v, _)| *v),
                    owner: now.and_then(|(_, o)| o),
                }),
                Err(e) => failed(e),
            },
            Effect::LoadDetail(Kind::Customer, id) => match self.store.customer_file(id) {
                Ok(f) => Some(Outcome::Detail(Box::new(DetailFile::Customer(f)))),
                Err(e) => failed(e),
            },
            Effect::Save(record) => Some(save(&mut self.store, *record)),
            Effect::LogTouch(a, name) => {
                let result = self.store.add_activity(&a);
                if let Ok(a) = &result {
                    // The new activity is indexed here: the outcome names the customer.
                    self.search.changed(&self.store, Kind::Activity, a.meta.id);
                }
                match result {
                    Ok(Written { record: a, changes }) => Some(Outcome::TouchLogged {
                        id: a.customer_id.unwrap_or(0),
                        name,
                        changes,
                        answered: self
                            .store
                            .follow_ups_closed_by(a.meta.id)
                            .unwrap_or_default(),
                    }),
                    Err(e) => failed(e),
                }
            }
            Effect::FollowUpDone(target) => {
                let touch = match target {
                    DoneTarget::Touch(id) => Ok(Some(id)),
                    DoneTarget::Customer(c) => self.store.first_open_follow_up_of(c),
                };
                let id = match touch {
                    Ok(Some(id)) => id,
                    Ok(None) => {
                        return Some(Outcome::Failed(super::labels::t(
                            "status-no-open-follow-up",
                        )))
                    }
                    Err(e) => return failed(e),
                };
                match self.store.mark_follow_up_done(id) {
                    Ok(Written { record: a, changes }) => Some(Outcome::FollowUpDone {
                        customer: a.customer_id.unwrap_or(0),
                        what: crate::tr!(
                            "status-follow-up-done",
                            due = a.next_follow_up.map(|d| d.to_string()).unwrap_or_default()
                        ),
                        changes,
                    }),
                    Err(e) => failed(e),
                }
            }
            Effect::Sweep { force } => self.start_sweep(force, false),
            Effect::CheckDuplicates(c) => {
                let typed = c.name.clone();
                self.duplicates_of(*c, move |found| Outcome::DuplicateWarning {
                    typed,
                    warning: warning(&found),
                })
            }
            Effect::FindDuplicates { id, name } => match self.store.customer(id) {
                Ok(c) => {
                    self.duplicates_of(c, move |found| Outcome::DuplicatesOf { id, name, found })
                }
                Err(e) => failed(e),
            },
            Effect::Merge { keep, duplicate } => {
                let label = match (self.store.customer(keep), self.store.customer(duplicate)) {
                    (Ok(a), Ok(b)) => crate::tr!("merge-label", from = b.name, into = a.name),
                    _ => crate::tr!("merge-label-ids", from = duplicate, into = keep),
                };
                match self.store.merge_customers(keep, duplicate) {
                    Ok(Written { record: m, changes }) => Some(Outcome::Merged {
                        keep,
                        merge_id: m.id,
                        label,
                        changes,
                        touched: merge_touched(&m),
                    }),
                    Err(e) => Some(Outcome::Failed(crate::tr!(
                        "status-not-merged",
                        error = explain(&e)
                    ))),
                }
            }
            Effect::Unmerge { merge_id, label } => match self.store.unmerge(merge_id) {
                Ok(Written { record: m, changes }) => Some(Outcome::Unmerged {
                    keep: m.kept_id,
                    label,
                    changes,
                    touched: merge_touched(&m),
                }),
                Err(e) => Some(Outcome::Failed(crate::tr!(
                    "status-not-undone",
                    error = explain(&e)
                ))),
            },
            Effect::Search { input, kind } => {
                self.search.submit(&input, kind);
                None
            }
            // Customers, products and campaigns are picked with the search
            // index's matcher once it is built.
            Effect::Pick(req)
                if matches!(
                    req.kind,
                    crate::store::PickKind::Customer
                        | crate::store::PickKind::Product
                        | crate::store::PickKind::Campaign
                ) =>
            {
                match self.search.pick(&self.store, req.kind, &req.query, 50) {
                    Some(choices) => Some(Outcome::Picked(req, choices)),
                    None => match read(&mut self.store, Effect::Pick(req)) {
                        Ok(o) => Some(o),
                        Err(e) => failed(e),
                    },
                }
            }
            e if e.is_slow_read() && self.store.target().is_some() => {
                let clock = self.store.clock();
                let path = self.store.target()?;
                self.reader
                    .get_or_insert_with(|| super::reader::Reader::start(path, clock))
                    .submit(e);
                None
            }
            Effect::LoadDemo => match self.demo {
                Some(load) => match load(&mut self.store) {
                    Ok(summary) => Some(Outcome::DemoLoaded(summary)),
                    Err(e) => Some(Outcome::Failed(crate::tr!(
                        "status-demo-failed",
                        error = format!("{e:#}")
                    ))),
                },
                None => Some(Outcome::Failed(super::labels::t("status-no-demo"))),
            },
            e => match read(&mut self.store, e) {
                Ok(o) => Some(o),
                Err(e) => failed(e),
            },
        }
    }
}

impl Runtime {
    /// Runs the duplicate check for `c` and wraps the answer with `done`:
    /// inline on small books, on a read-only connection in the background
    /// on big ones (it reads every customer's keys).
    fn duplicates_of(
        &mut self,
        c: Customer,
        done: impl FnOnce(Vec<(i64, String, String)>) -> Outcome + Send + 'static,
    ) -> Option<Outcome> {
        let big = self
            .store
            .max_customer_id()
            .map(|n| n > BACKGROUND_SORT_ABOVE)
            .unwrap_or(false);
        let find =
            move |conn: &crate::store::Conn| -> Result<Vec<(i64, String, String)>, StoreError> {
                let pairs = likely_duplicates(conn, &c)?;
                let mut out = Vec::new();
                for p in pairs.into_iter().take(20) {
                    let label: String = conn.query_row(
                    "SELECT name || CASE WHEN company != '' THEN ' / ' || company ELSE '' END FROM customers WHERE id = ?1",
                    [p.b],
                    |r| r.get(0),
                )?;
                    out.push((p.b, label, p.reason));
                }
                Ok(out)
            };
        match self.store.target() {
            Some(path) if big => {
                let tx = self.tx.clone();
                self.detached.retain(|t| !t.is_finished());
                self.detached.push(std::thread::spawn(move || {
                    let result = crate::store::open_reader(&path).and_then(|conn| find(&conn));
                    let _ = tx.send(match result {
                        Ok(found) => done(found),
                        Err(e) => Outcome::Failed(crate::tr!(
                            "status-duplicate-check-failed",
                            error = e.to_string()
                        )),
                    });
                }));
                None
            }
            _ => Some(match find(self.store.conn()) {
                Ok(found) => done(found),
                Err(e) => Outcome::Failed(crate::tr!(
                    "status-duplicate-check-failed",
                    error = explain(&e)
                )),
            }),
        }
    }
}

/// The form's warning for what the duplicate check found.
fn warning(found: &[(i64, String, String)]) -> Option<String> {
    let (id, label, reason) = found.first()?;
    let more = if found.len() > 1 {
        format!(" {}", crate::tr!("duplicate-more", count = found.len() - 1))
    } else {
        String::new()
    };
    Some(crate::tr!(
        "duplicate-warning",
        id = *id,
        label = label.as_str(),
        reason = reason.as_str(),
        more = more
    ))
}

/// A book too big for the page-by-page check at open gets it here, on its
/// own connection; damage is reported in the status line. The check only
/// reads.
fn check_in_background(path: &std::path::Path, tx: Sender<Outcome>) -> Option<Background> {
    let big = std::fs::metadata(path)
        .map(|m| m.len() > crate::store::FULL_CHECK_AT_OPEN_MAX)
        .unwrap_or(false);
    if !big {
        return None;
    }
    let failed = |e: StoreError| {
        Outcome::Failed(format!(
            "{e} — make a copy now with `dossier backup PATH`, then run `dossier doctor`"
        ))
    };
    match Store::open(path) {
        Ok(store) => Some(Background::start(store, move |s| {
            // (Interrupted only by a shutdown, whose receiver is gone.)
            if let Err(e) = s.quick_check() {
                let _ = tx.send(failed(e));
            }
        })),
        Err(e) => {
            let _ = tx.send(failed(e));
            None
        }
    }
}

/// A store error worded for the status line, in the language in force
/// (the store's own messages are written for a salesperson, busy,
/// disk-full and a lost team-book connection included).
pub fn explain(e: &StoreError) -> String {
    crate::cli::people::store_error_text(e)
}

fn sweep(store: &mut Store, force: bool) -> Result<Option<crate::store::SweepReport>, StoreError> {
    if force {
        store.sweep(false).map(Some)
    } else {
        store.sweep_if_stale()
    }
}

/// The records a merge (or its undo) changed: both customers, and the deals
/// and activities that moved (their customer's name is searched with them).
fn merge_touched(m: &crate::store::MergeRecord) -> Vec<(Kind, i64)> {
    let customers = [m.kept_id, m.merged_id].map(|id| (Kind::Customer, id));
    let deals = m.opportunities.iter().map(|&id| (Kind::Opportunity, id));
    let touches = m.activities.iter().map(|&id| (Kind::Activity, id));
    customers.into_iter().chain(deals).chain(touches).collect()
}

/// The ids (in their order) of customers carrying `tag`; all without one.
fn keep_tagged(
    conn: &crate::store::Conn,
    ids: Vec<i64>,
    tag: &Option<(String, String)>,
) -> Result<Vec<i64>, StoreError> {
    let Some((dimension, value)) = tag else {
        return Ok(ids);
    };
    let tagged: std::collections::HashSet<i64> =
        crate::store::ids_with_tag(conn, Kind::Customer, dimension, value)?
            .into_iter()
            .collect();
    Ok(ids.into_iter().filter(|id| tagged.contains(id)).collect())
}

/// Performs an effect that needs nothing but the store: the reads the
/// background reader also performs on its own connection, and the writes
/// that answer with a plain outcome.
pub(super) fn read(store: &mut Store, effect: Effect) -> Result<Outcome, StoreError> {
    let today = store.clock().today();
    Ok(match effect {
        Effect::LoadIds {
            kind,
            generation,
            query: IdQuery::Records(query),
        } => Outcome::Ids {
            kind,
            generation,
            ids: IdList::Records(store.list_entries(&query)?),
            partial: false,
        },
        Effect::LoadIds {
            query: IdQuery::Customers {
                sort, tag, owner, ..
            },
            kind,
            generation,
        } => {
            let found = store.customer_ids_of(sort, owner.as_deref())?;
            let ids = keep_tagged(store.conn(), found, &tag)?;
            Outcome::Ids {
                kind,
                generation,
                ids: IdList::Customers(ids),
                partial: false,
            }
        }
        Effect::LoadRows {
            kind: Kind::Customer,
            generation,
            ids,
        } => Outcome::Rows {
            kind: Kind::Customer,
            generation,
            rows: LoadedRows::Customers(store.customer_rows(&ids)?),
            owners: store.owners(Kind::Customer, &ids)?,
        },
        Effect::LoadRows {
            kind,
            generation,
            ids,
        } => {
            let (rows, tags, names) = store.list_rows(kind, &ids)?;
            Outcome::Rows {
                kind,
                generation,
                rows: LoadedRows::Records { rows, tags, names },
                owners: store.owners(kind, &ids)?,
            }
        }
        Effect::TagCounts(kind) => Outcome::TagCounts(kind, store.tag_counts(kind)?),
        Effect::LoadCounts => Outcome::Counts(store.counts()?),
        Effect::LoadDetail(kind, id) => Outcome::Detail(Box::new(match kind {
            Kind::Customer => DetailFile::Customer(store.customer_file(id)?),
            Kind::Opportunity => DetailFile::Deal(store.deal_file(id)?),
            Kind::Product => DetailFile::Product(store.product_file(id, today)?),
            Kind::Activity => DetailFile::Activity(store.activity_file(id)?),
        })),
        Effect::LoadDashboard(generation) => Outcome::Dashboard(
            generation,
            Box::new(super::dashboard::DashboardData::load(store, today)?),
        ),
        Effect::Pick(request) => {
            let choices = store.pick(request.kind, &request.query, 50)?;
            Outcome::Picked(request, choices)
        }
        Effect::OpenForm(draft) => {
            let mut labels: Vec<(&str, String)> = Vec::new();
            let mut products = HashMap::new();
            let customer = match draft.as_ref() {
                AnyRecord::Opportunity(o) => Some(o.customer_id),
                AnyRecord::Activity(a) => a.customer_id,
                AnyRecord::Product(_) | AnyRecord::Customer(_) => None,
            };
            if let Some(name) = customer
                .and_then(|c| store.customer(c).ok())
                .map(|c| c.name)
            {
                labels.push(("customer", name));
            }
            match draft.as_ref() {
                AnyRecord::Opportunity(o) => {
                    if let Some(c) = o.campaign_id.and_then(|c| store.activity(c).ok()) {
                        labels.push(("campaign", c.summary));
                    }
                    for item in &o.items {
                        if let Ok(p) = store.product(item.product_id) {
                            products.insert(p.meta.id, p.name);
                        }
                    }
                }
                AnyRecord::Activity(a) => {
                    if let Some(o) = a.opportunity_id.and_then(|o| store.opportunity(o).ok()) {
                        labels.push(("opportunity", o.title));
                    }
                }
                AnyRecord::Product(_) | AnyRecord::Customer(_) => {}
            }
            Outcome::FormReady(Box::new(super::record_form::RecordForm::new(
                *draft, &labels, &products, today,
            )))
        }
        Effect::Delete {
            kind,
            id,
            version,
            name,
        } => Outcome::Deleted {
            changes: store.delete(kind, id, Some(version))?.changes,
            kind,
            id,
            name,
        },
        Effect::Restore { kind, id, name } => Outcome::Restored {
            changes: store.restore(kind, id)?.changes,
            kind,
            id,
            name,
        },
        Effect::UndoStage(before) => {
            let mut o = store.opportunity(before.meta.id)?;
            o.stage = before.stage;
            o.closed_on = before.closed_on;
            o.close_reason = before.close_reason.clone();
            save(store, AnyRecord::Opportunity(o))
        }
        other => Outcome::Failed(format!("not a store read: {other:?}")),
    })
}

/// Saves a record of any kind; the answer names its customer (a deal's,
/// a touch's), whose tag changes the status line names too.
pub(super) fn save(store: &mut Store, draft: AnyRecord) -> Outcome {
    let added = draft.id() == 0;
    let result = match &draft {
        AnyRecord::Customer(c) => store.save(c).map(|w| w.map(AnyRecord::Customer)),
        AnyRecord::Opportunity(o) => store.save(o).map(|w| w.map(AnyRecord::Opportunity)),
        AnyRecord::Product(p) => store.save(p).map(|w| w.map(AnyRecord::Product)),
        AnyRecord::Activity(a) => store.save(a).map(|w| w.map(AnyRecord::Activity)),
    };
    match result {
        Ok(Written { record, changes }) => {
            let customer = match &record {
                AnyRecord::Opportunity(o) => Some(o.customer_id),
                AnyRecord::Activity(a) => a.customer_id,
                _ => None,
            };
            Outcome::Saved {
                customer: customer
                    .and_then(|c| store.customer(c).ok().map(|c| (c.meta.id, c.name))),
                record: Box::new(record),
                added,
                changes,
            }
        }
        Err(e) => Outcome::SaveFailed {
            fields: e.validation().cloned(),
            message: explain(&e),
        },
    }
}
