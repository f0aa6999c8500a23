//! The Activities tab: touches and marketing campaigns in one list, shown
//! all together or one kind at a time.

use super::list::{Column, Listed, RecordList};
use crate::domain::Activity;
use crate::store::{ActivityFile, ListEntry, ListSort};
use ratatui::layout::Constraint;

impl Listed for Activity {
    fn id(&self) -> i64 {
        self.meta.id
    }
}

/// Which activities the tab shows (`m` cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KindView {
    #[default]
    All,
    Touches,
    Campaigns,
}

impl KindView {
    pub fn next(self) -> KindView {
        match self {
            KindView::All => KindView::Touches,
            KindView::Touches => KindView::Campaigns,
            KindView::Campaigns => KindView::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            KindView::All => "all activities",
            KindView::Touches => "touches",
            KindView::Campaigns => "campaigns",
        }
    }

    pub fn shows(self, a: &Activity) -> bool {
        match self {
            KindView::All => true,
            KindView::Touches => a.kind.is_touch(),
            KindView::Campaigns => !a.kind.is_touch(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ActivityTab {
    pub list: RecordList<ListEntry, Activity, ActivityFile>,
    pub kinds: KindView,
}

/// The table's columns, in order; `s` cycles through them.
pub fn columns() -> Vec<Column<Activity>> {
    vec![
        Column {
            title: "Date",
            width: Constraint::Length(10),
            text: |a, _| a.date.to_string(),
            sort: ListSort::Date,
            chip: None,
        },
        Column {
            title: "Kind",
            width: Constraint::Length(8),
            text: |a, _| a.kind.to_string(),
            sort: ListSort::ActivityKind,
            chip: None,
        },
        Column {
            title: "Customer / region",
            width: Constraint::Fill(2),
            text: |a, c| match &a.campaign {
                Some(camp) => format!("{} · {}", camp.region, camp.channel),
                None => c.name(a.customer_id).to_string(),
            },
            sort: ListSort::Customer,
            chip: None,
        },
        Column {
            title: "Summary",
            width: Constraint::Fill(3),
            text: |a, _| a.summary.replace('\n', " "),
            sort: ListSort::Summary,
            chip: None,
        },
        Column {
            title: "Mood",
            width: Constraint::Length(8),
            text: |a, _| a.sentiment.map(|s| s.to_string()).unwrap_or_default(),
            sort: ListSort::Sentiment,
            chip: None,
        },
        Column {
            title: "Follow-up",
            width: Constraint::Length(10),
            text: |a, _| a.next_follow_up.map(|d| d.to_string()).unwrap_or_default(),
            sort: ListSort::FollowUp,
            chip: None,
        },
    ]
}

impl KindView {
    /// The store's selection: `Some(true)` campaigns only.
    pub fn campaigns(self) -> Option<bool> {
        match self {
            KindView::All => None,
            KindView::Touches => Some(false),
            KindView::Campaigns => Some(true),
        }
    }
}
