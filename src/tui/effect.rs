//! Effects: what `App::update` asks the outside world to do, and what
//! comes back — one effect type and one outcome type for every kind of
//! record, over domain, store and search types only. The runtime
//! (`runtime.rs`) performs them against the store.
//!
//! Every write goes through the same `Store` methods the CLI uses, so the
//! re-tag cascade runs in the write's transaction; its tag changes come back
//! here for the status line.

use super::action::Action;
use super::dashboard::DashboardData;
use super::record_form::{PickRequest, RecordForm};
use crate::domain::{Activity, AnyRecord, Customer, Kind, Opportunity, ValidationErrors};
use crate::store::{
    ActivityFile, Choice, Counts, CustomerFile, CustomerRow, CustomerSort, DealFile, ListEntry,
    ListQuery, ListRows, ProductFile, TagChange, TagMap, TrashEntry,
};
use std::collections::HashMap;

/// What the runtime needs of the application: hand it an action or an
/// outcome, take the effects that follow. The runtime never sees the app's
/// state (this is the narrow interface the app implements).
pub trait Model {
    /// The person did something.
    fn update(&mut self, action: Action) -> Vec<Effect>;
    /// An effect's answer came back.
    fn apply(&mut self, outcome: Outcome) -> Vec<Effect>;
    /// An answer to the newest search is still awaited.
    fn search_waiting(&self) -> bool;
    /// The search index has been built.
    fn search_ready(&self) -> bool;
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// The trash, every kind.
    LoadTrash,
    /// Take a record out of the trash.
    RestoreTrashed {
        kind: Kind,
        id: i64,
        label: String,
    },
    /// Delete a record in the trash for good.
    PurgeTrashed {
        kind: Kind,
        id: i64,
        label: String,
    },
    /// A list's ids in display order (in the background on a big or file
    /// book); the answer carries `generation` so a stale one is dropped.
    LoadIds {
        kind: Kind,
        generation: u64,
        query: IdQuery,
    },
    /// The records on screen.
    LoadRows {
        kind: Kind,
        generation: u64,
        ids: Vec<i64>,
    },
    /// The selected record's file for the detail pane.
    LoadDetail(Kind, i64),
    /// How many records the book holds (a scan of every table).
    LoadCounts,
    /// The dashboard (in the background on a file book).
    LoadDashboard(u64),
    /// The tag filter's options: every tag of the list's kind, counted.
    TagCounts(Kind),
    /// A form's picker: records matching what is typed.
    Pick(PickRequest),
    /// Opens the form for a record: loads the labels of its links.
    OpenForm(Box<AnyRecord>),
    /// Save a record of any kind (the store re-tags in the same write).
    Save(Box<AnyRecord>),
    /// To the trash (re-tags what it touched)…
    Delete {
        kind: Kind,
        id: i64,
        version: i64,
        name: String,
    },
    /// …and back (`u`).
    Restore {
        kind: Kind,
        id: i64,
        name: String,
    },
    /// Put a deal back at the stage (close date, reason) it had.
    UndoStage(Box<Opportunity>),
    LogTouch(Box<Activity>, String),
    /// Mark a follow-up reminder done.
    FollowUpDone(DoneTarget),
    LoadDemo,
    /// Look for customers like the one being typed (warning in the form).
    CheckDuplicates(Box<Customer>),
    /// Find likely duplicates of a stored customer, to offer a merge.
    FindDuplicates {
        id: i64,
        name: String,
    },
    /// Fold customer `duplicate` into `keep`.
    Merge {
        keep: i64,
        duplicate: i64,
    },
    /// Undo a merge.
    Unmerge {
        merge_id: i64,
        label: String,
    },
    /// Bring time-driven tags up to date: one sweep a day, or now when
    /// `force` (after the demo book arrives, its cut points are computed).
    Sweep {
        force: bool,
    },
    /// Who the connection works as on a team book (for "mine" and the
    /// owner column).
    LoadTeam,
    /// The form again on the record as stored now (Ctrl-R after someone
    /// else saved it).
    ReloadForm {
        kind: Kind,
        id: i64,
    },
    /// Read the version of the record open in a form now (others may have
    /// saved it).
    CheckFormRecord {
        kind: Kind,
        id: i64,
    },
    /// Queue a search on the worker (`kind`: one tab's kind, or all).
    Search {
        input: String,
        kind: Option<Kind>,
    },
}

/// Whose follow-up reminder a "done" key closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoneTarget {
    /// The reminder set on this touch.
    Touch(i64),
    /// This customer's earliest-due open reminder.
    Customer(i64),
}

/// What came of an effect.
#[derive(Debug)]
pub enum Outcome {
    Trash(Vec<TrashEntry>),
    TrashRestored {
        kind: Kind,
        id: i64,
        label: String,
        changes: Vec<TagChange>,
    },
    TrashPurged {
        label: String,
    },
    /// A list's ids arrived (`partial`: only its first page; the full
    /// list follows with the same generation).
    Ids {
        kind: Kind,
        generation: u64,
        ids: IdList,
        partial: bool,
    },
    Rows {
        kind: Kind,
        generation: u64,
        rows: LoadedRows,
        /// On a team book: the rows' owners by id.
        owners: HashMap<i64, String>,
    },
    Detail(Box<DetailFile>),
    Counts(Counts),
    TagCounts(Kind, Vec<(String, String, usize)>),
    Dashboard(u64, Box<DashboardData>),
    Picked(PickRequest, Vec<Choice>),
    FormReady(Box<RecordForm>),
    Saved {
        record: Box<AnyRecord>,
        added: bool,
        changes: Vec<TagChange>,
        /// A deal's or touch's customer, whose tag changes are named too.
        customer: Option<(i64, String)>,
    },
    SaveFailed {
        message: String,
        fields: Option<ValidationErrors>,
    },
    Deleted {
        kind: Kind,
        id: i64,
        name: String,
        changes: Vec<TagChange>,
    },
    Restored {
        kind: Kind,
        id: i64,
        name: String,
        changes: Vec<TagChange>,
    },
    TouchLogged {
        id: i64,
        name: String,
        changes: Vec<TagChange>,
        /// Earlier reminders this contact answered.
        answered: Vec<crate::store::FollowUpClosed>,
    },
    /// A reminder marked done: (customer id, what it was, tag changes).
    FollowUpDone {
        customer: i64,
        what: String,
        changes: Vec<TagChange>,
    },
    DemoLoaded(String),
    /// The form's duplicate warning: the customers the typed one looks like
    /// (for the typed name, so a late answer for older text is dropped).
    DuplicateWarning {
        typed: String,
        warning: Option<String>,
    },
    /// Likely duplicates of customer `id`: (their id, label, reason).
    DuplicatesOf {
        id: i64,
        name: String,
        found: Vec<(i64, String, String)>,
    },
    Merged {
        keep: i64,
        merge_id: i64,
        label: String,
        changes: Vec<TagChange>,
        /// Both customers and the deals and activities that moved.
        touched: Vec<(Kind, i64)>,
    },
    Unmerged {
        keep: i64,
        label: String,
        changes: Vec<TagChange>,
        /// Both customers and the deals and activities that moved back.
        touched: Vec<(Kind, i64)>,
    },
    /// A write may have moved the book's cut points: a sweep re-tags the
    /// book in the background.
    Retagging,
    /// A sweep finished: records whose tags changed, and a problem with
    /// the user's rules file, if any.
    Swept {
        changed: usize,
        rules_warning: Option<String>,
        /// Started by a write that may have moved a cut point, not by the
        /// start of a day.
        after_write: bool,
    },
    /// The search index is ready, or a query's hits arrived.
    Search(super::search::SearchOutcome),
    /// The role this connection works as on a team book; None on a local
    /// book.
    Team(Option<String>),
    /// Someone else committed to the book (a colleague on a team book,
    /// another dossier on a file book). `lists`: read the lists again too.
    ChangedElsewhere {
        lists: bool,
    },
    /// The record open in a form as stored now (None: gone or trashed).
    FormRecordNow {
        kind: Kind,
        id: i64,
        version: Option<i64>,
        owner: Option<String>,
    },
    /// A read or write failed; the message is for the status line.
    Failed(String),
}

/// Which ids a list wants.
#[derive(Debug, Clone, PartialEq)]
pub enum IdQuery {
    /// Customers: a sort the store keeps ready for a million rows, and a
    /// tag filter. `first_load`: nothing is shown yet, so a first page may
    /// come before the full list.
    Customers {
        sort: CustomerSort,
        descending: bool,
        tag: Option<(String, String)>,
        first_load: bool,
        /// On a team book: only this role's customers ("mine").
        owner: Option<String>,
    },
    /// Deals, products, activities.
    Records(ListQuery),
}

/// A list's ids in display order.
#[derive(Debug)]
pub enum IdList {
    /// A bare id per customer.
    Customers(Vec<i64>),
    Records(Vec<ListEntry>),
}

/// Records of a list's window.
#[derive(Debug)]
pub enum LoadedRows {
    Customers(Vec<CustomerRow>),
    Records {
        rows: ListRows,
        tags: TagMap,
        names: HashMap<i64, String>,
    },
}

/// A record's file for the detail pane (boxed in its outcome).
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum DetailFile {
    Customer(CustomerFile),
    Deal(DealFile),
    Product(ProductFile),
    Activity(ActivityFile),
}

impl Effect {
    /// A read that may take long on a big book: done off the UI thread on
    /// a file book.
    pub fn is_slow_read(&self) -> bool {
        matches!(
            self,
            Effect::LoadIds {
                query: IdQuery::Records(_),
                ..
            } | Effect::LoadDashboard(_)
                | Effect::TagCounts(_)
                | Effect::LoadCounts
        )
    }
}
