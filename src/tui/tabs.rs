//! The lists of the Opportunities, Products and Activities tabs and the
//! dashboard, next to the customer list on [`super::app::App`]; all four
//! lists are the one [`super::list::RecordList`].

use super::activities::ActivityTab;
use super::dashboard::Dashboard;
use super::opportunities::DealTab;
use super::products::ProductTab;
use crate::domain::{Activity, Opportunity, Stage};
use chrono::NaiveDate;
use tui_input::Input;

/// Asking why a deal was won or lost before saving it.
#[derive(Debug, Clone)]
pub struct ReasonPrompt {
    pub deal: Opportunity,
    pub to: Stage,
    pub input: Input,
    pub problem: Option<String>,
}

pub use super::tag_filter::TagFilter;

#[derive(Debug, Clone, Default)]
pub struct TabsState {
    pub deals: DealTab,
    pub products: ProductTab,
    pub activities: ActivityTab,
    pub dashboard: Dashboard,
    /// A stage move on its way to the store: the deal as it was, so the
    /// move can be undone once it is saved.
    pub stage_before: Option<Opportunity>,
}

impl TabsState {
    /// Everything shown may be out of date (a write happened).
    pub fn invalidate(&mut self) {
        self.deals.list.invalidate();
        self.products.invalidate();
        self.activities.list.invalidate();
        self.dashboard.stale = true;
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
