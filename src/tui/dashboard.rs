//! The Dashboard: what needs doing today, what may close or leave soon, and
//! the book in numbers — every listed item jumps to its record with Enter.

use crate::domain::{Kind, Totals};
use crate::store::{ChurnRisk, ClosingDeal, FollowUp, ProductSales, StageTotal, Store, StoreError};
use chrono::{Duration, NaiveDate};

/// Deals closing within this many days are listed.
pub const CLOSING_DAYS: i64 = 14;
/// Rows read per list: the list scrolls through them and its title gives
/// the real total (a book can have thousands overdue; `dossier agenda
/// --json` lists them all).
const LIST_ROWS: usize = 500;
/// Churn rows cost a reason each (read from today's facts), so fewer.
const CHURN_ROWS: usize = 100;

/// What the dashboard shows, read in one go.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DashboardData {
    pub follow_ups: Vec<FollowUp>,
    /// How many rows each list has in all (it may show fewer).
    pub follow_ups_total: i64,
    pub closing_total: i64,
    pub churn_total: usize,
    pub closing: Vec<ClosingDeal>,
    pub churn: Vec<ChurnRisk>,
    pub pipeline: Vec<StageTotal>,
    pub value: Vec<(String, i64)>,
    pub lifecycle: Vec<(String, i64)>,
    /// Best sellers of the last 90 days with their sales-status tag.
    pub top: Vec<(ProductSales, String)>,
}

impl DashboardData {
    pub fn load(store: &Store, today: NaiveDate) -> Result<DashboardData, StoreError> {
        let sales = store.tag_map(Kind::Product)?;
        let top = store
            .top_products(today - Duration::days(90), 8)?
            .into_iter()
            .map(|p| {
                let status = sales
                    .get(&p.product_id)
                    .and_then(|t| t.iter().find(|(d, _)| d == "sales"))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                (p, status)
            })
            .collect();
        let (churn, churn_total) = store.churn_risk(CHURN_ROWS)?;
        Ok(DashboardData {
            follow_ups: store.follow_ups_due(today, LIST_ROWS)?,
            follow_ups_total: store.count_follow_ups_due(today)?,
            closing: store.deals_closing(today, CLOSING_DAYS, LIST_ROWS)?,
            closing_total: store.count_deals_closing(today, CLOSING_DAYS)?,
            churn,
            churn_total,
            pipeline: store.pipeline()?,
            value: store.tag_distribution(Kind::Customer, "value")?,
            lifecycle: store.tag_distribution(Kind::Customer, "lifecycle")?,
            top,
        })
    }

    /// Every item that Enter can open, in screen order.
    pub fn targets(&self) -> Vec<Target> {
        let mut out: Vec<Target> = Vec::new();
        out.extend(
            self.follow_ups
                .iter()
                .map(|f| Target::Customer(f.customer_id)),
        );
        out.extend(self.closing.iter().map(|d| Target::Deal(d.opportunity_id)));
        out.extend(self.churn.iter().map(|c| Target::Customer(c.customer_id)));
        out.extend(self.top.iter().map(|(p, _)| Target::Product(p.product_id)));
        out
    }

    /// Total amounts of the open pipeline, per currency.
    pub fn open_amount(&self) -> Totals {
        let mut out = Totals::default();
        for t in self.pipeline.iter().filter(|t| !t.stage.is_closed()) {
            out.merge(&t.amounts);
        }
        out
    }
}

/// A record a dashboard item opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Customer(i64),
    Deal(i64),
    Product(i64),
}

#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    pub data: Option<DashboardData>,
    /// Index into `data.targets()`.
    pub cursor: usize,
    pub stale: bool,
    /// A load is on its way; answers for an older `generation` are dropped.
    pub loading: bool,
    pub generation: u64,
}

impl Dashboard {
    /// Starts a load: returns the generation to tag it with.
    pub fn begin_load(&mut self) -> u64 {
        self.generation += 1;
        self.stale = false;
        self.loading = true;
        self.generation
    }

    /// The tab was left while loading: the answer is dropped, and the
    /// dashboard loads again when shown.
    pub fn abandon(&mut self) {
        if self.loading {
            self.loading = false;
            self.generation += 1;
            self.stale = true;
        }
    }

    /// Data arrived; false when it was stale and dropped.
    pub fn set(&mut self, generation: u64, data: DashboardData) -> bool {
        if generation != self.generation || !self.loading {
            return false;
        }
        self.loading = false;
        self.data = Some(data);
        self.move_by(0);
        true
    }

    pub fn move_by(&mut self, delta: isize) {
        let n = self.data.as_ref().map(|d| d.targets().len()).unwrap_or(0);
        let last = n.saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize).saturating_add(delta).clamp(0, last) as usize;
    }

    /// The touch whose reminder the cursor is on (the follow-ups come first).
    pub fn selected_follow_up(&self) -> Option<i64> {
        let data = self.data.as_ref()?;
        data.follow_ups.get(self.cursor).map(|f| f.activity_id)
    }

    pub fn selected(&self) -> Option<Target> {
        self.data.as_ref()?.targets().get(self.cursor).copied()
    }
}
