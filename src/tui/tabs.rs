//! State and effects of the Dashboard, Opportunities, Products and
//! Activities tabs, kept apart from the Customers tab's machinery: the app
//! holds one [`TabsState`], and the runtime performs [`TabEffect`]s with
//! the same store calls the CLI uses (every save re-tags in its own
//! transaction; the tag changes come back for the status line).

use super::activities::ActivityTab;
use super::dashboard::{Dashboard, DashboardData};
use super::opportunities::DealTab;
use super::products::ProductTab;
use super::record_form::{PickRequest, RecordForm};
use crate::domain::{Activity, AnyRecord, Kind, Opportunity, Stage, ValidationErrors};
use crate::store::{
    ActivityFile, Choice, Counts, DealFile, ListEntry, ListQuery, ListRows, ProductFile, Store,
    StoreError, TagChange, TagMap, Written,
};
use chrono::NaiveDate;
use std::collections::HashMap;
use tui_input::Input;

/// Which list a tab effect is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Deals,
    Products,
    Activities,
}

/// Asking why a deal was won or lost before saving it.
#[derive(Debug, Clone)]
pub struct ReasonPrompt {
    pub deal: Opportunity,
    pub to: Stage,
    pub input: Input,
    pub problem: Option<String>,
}

pub use super::tag_filter::TagFilter;

/// A delete waiting for its yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDelete {
    pub list: ListKind,
    pub id: i64,
    pub version: i64,
    pub name: String,
}

#[derive(Debug, Clone, Default)]
pub struct TabsState {
    pub deals: DealTab,
    pub products: ProductTab,
    pub activities: ActivityTab,
    pub dashboard: Dashboard,
    pub reason: Option<ReasonPrompt>,
    pub filter: Option<TagFilter>,
    /// Deleted records, most recent last, for undo.
    /// A stage move on its way to the store: the deal as it was, so the
    /// move can be undone once it is saved.
    pub stage_before: Option<Opportunity>,
}

impl TabsState {
    /// A form or overlay of these tabs has the keys.
    pub fn modal(&self) -> bool {
        self.reason.is_some() || self.filter.is_some()
    }

    /// Everything shown may be out of date (a write happened).
    pub fn invalidate(&mut self) {
        self.deals.list.invalidate();
        self.products.invalidate();
        self.activities.list.invalidate();
        self.dashboard.stale = true;
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TabEffect {
    /// A list's ids in display order (in the background on a file book).
    LoadIds {
        list: ListKind,
        generation: u64,
        query: ListQuery,
    },
    /// The records on screen.
    LoadRows {
        list: ListKind,
        generation: u64,
        ids: Vec<i64>,
    },
    LoadDetail(ListKind, i64),
    /// The dashboard (in the background on a file book).
    LoadDashboard(u64),
    /// The tag filter's options: every tag of the list's kind, counted.
    TagCounts(Kind),
    /// How many records the book holds (a scan of every table).
    Counts,
    Pick(PickRequest),
    /// Opens the form for a record: loads the labels of its links.
    OpenForm(Box<AnyRecord>),
    /// To the trash (re-tags what it touched), and back.
    Delete(PendingDelete),
    Restore(ListKind, i64, String),
    /// Put a deal back at the stage (close date, reason) it had.
    UndoStage(Box<Opportunity>),
}

#[derive(Debug)]
pub enum TabOutcome {
    Ids {
        list: ListKind,
        generation: u64,
        entries: Vec<ListEntry>,
    },
    Rows {
        list: ListKind,
        generation: u64,
        rows: ListRows,
        tags: TagMap,
        names: HashMap<i64, String>,
    },
    TagCounts(Kind, Vec<(String, String, usize)>),
    Counts(Counts),
    DealFile(Box<DealFile>),
    ProductFile(Box<ProductFile>),
    ActivityFile(Box<ActivityFile>),
    Dashboard(u64, Box<DashboardData>),
    Picked(PickRequest, Vec<Choice>),
    FormReady(Box<RecordForm>),
    Saved {
        list: ListKind,
        id: i64,
        /// `deal 年度框架协议` — for the status line.
        what: String,
        added: bool,
        changes: Vec<TagChange>,
        /// The deal's customer, whose tag changes are named too.
        customer: Option<(i64, String)>,
    },
    SaveFailed {
        message: String,
        fields: Option<ValidationErrors>,
    },
    Deleted(PendingDelete, Vec<TagChange>),
    Restored(ListKind, i64, String, Vec<TagChange>),
}

impl TabEffect {
    /// A read that may take long on a big book: done off the UI thread.
    pub fn is_slow_read(&self) -> bool {
        matches!(
            self,
            TabEffect::LoadIds { .. }
                | TabEffect::LoadDashboard(_)
                | TabEffect::TagCounts(_)
                | TabEffect::Counts
        )
    }
}

impl ListKind {
    pub fn kind(self) -> Kind {
        match self {
            ListKind::Deals => Kind::Opportunity,
            ListKind::Products => Kind::Product,
            ListKind::Activities => Kind::Activity,
        }
    }
}

/// Performs one effect against the store.
pub fn perform(store: &mut Store, effect: TabEffect) -> Result<TabOutcome, StoreError> {
    let today = store.clock().today();
    Ok(match effect {
        TabEffect::LoadIds {
            list,
            generation,
            query,
        } => TabOutcome::Ids {
            list,
            generation,
            entries: store.list_entries(&query)?,
        },
        TabEffect::LoadRows {
            list,
            generation,
            ids,
        } => {
            let (rows, tags, names) = store.list_rows(list.kind(), &ids)?;
            TabOutcome::Rows {
                list,
                generation,
                rows,
                tags,
                names,
            }
        }
        TabEffect::TagCounts(kind) => TabOutcome::TagCounts(kind, store.tag_counts(kind)?),
        TabEffect::Counts => TabOutcome::Counts(store.counts()?),
        TabEffect::LoadDetail(ListKind::Deals, id) => {
            TabOutcome::DealFile(Box::new(store.deal_file(id)?))
        }
        TabEffect::LoadDetail(ListKind::Products, id) => {
            TabOutcome::ProductFile(Box::new(store.product_file(id, today)?))
        }
        TabEffect::LoadDetail(ListKind::Activities, id) => {
            TabOutcome::ActivityFile(Box::new(store.activity_file(id)?))
        }
        TabEffect::LoadDashboard(generation) => {
            TabOutcome::Dashboard(generation, Box::new(DashboardData::load(store, today)?))
        }
        TabEffect::Pick(request) => {
            let choices = store.pick(request.kind, &request.query, 50)?;
            TabOutcome::Picked(request, choices)
        }
        TabEffect::OpenForm(draft) => {
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
            TabOutcome::FormReady(Box::new(RecordForm::new(*draft, &labels, &products, today)))
        }
        TabEffect::Delete(d) => {
            let changes = store.delete(d.list.kind(), d.id, Some(d.version))?.changes;
            TabOutcome::Deleted(d, changes)
        }
        TabEffect::UndoStage(before) => {
            let mut o = store.opportunity(before.meta.id)?;
            o.stage = before.stage;
            o.closed_on = before.closed_on;
            o.close_reason = before.close_reason.clone();
            save(store, AnyRecord::Opportunity(o))
        }
        TabEffect::Restore(list, id, name) => {
            let changes = store.restore(list.kind(), id)?.changes;
            TabOutcome::Restored(list, id, name, changes)
        }
    })
}

/// Saves a deal, product or activity (a customer's save has its own
/// outcome, [`super::effect::Outcome::Saved`]).
pub(super) fn save(store: &mut Store, draft: AnyRecord) -> TabOutcome {
    let added = draft.id() == 0;
    let noun = draft.noun();
    let result = match &draft {
        AnyRecord::Customer(_) => {
            return TabOutcome::SaveFailed {
                fields: None,
                message: "a customer is saved with its own effect".into(),
            }
        }
        AnyRecord::Opportunity(o) => store
            .save(o)
            .map(|w| w.map(|o| (ListKind::Deals, o.meta.id, o.title, Some(o.customer_id)))),
        AnyRecord::Product(p) => store
            .save(p)
            .map(|w| w.map(|p| (ListKind::Products, p.meta.id, p.name, None))),
        AnyRecord::Activity(a) => store
            .save(a)
            .map(|w| w.map(|a| (ListKind::Activities, a.meta.id, a.summary, a.customer_id))),
    };
    match result {
        Ok(Written {
            record: (list, id, title, customer),
            changes,
        }) => TabOutcome::Saved {
            list,
            id,
            what: format!("{noun} {title}"),
            added,
            changes,
            customer: customer.and_then(|c| store.customer(c).ok().map(|c| (c.meta.id, c.name))),
        },
        Err(e) => TabOutcome::SaveFailed {
            fields: e.validation().cloned(),
            message: super::effect::explain(&e),
        },
    }
}

/// A new touch dated today.
pub fn new_touch(today: NaiveDate) -> Activity {
    Activity {
        date: today,
        ..Default::default()
    }
}

/// A new campaign starting today.
pub fn new_campaign(today: NaiveDate) -> Activity {
    Activity {
        kind: crate::domain::ActivityKind::Campaign,
        date: today,
        campaign: Some(Default::default()),
        ..Default::default()
    }
}
