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

    /// Which records the view shows, for people.
    pub fn label(self) -> String {
        super::labels::t(match self {
            KindView::All => "activities-all",
            KindView::Touches => "activities-touches",
            KindView::Campaigns => "activities-campaigns",
        })
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
            title: "col-activity-date",
            width: Constraint::Length(10),
            text: |a, _| a.date.to_string(),
            sort: ListSort::Date,
            chip: None,
        },
        Column {
            title: "col-activity-kind",
            width: Constraint::Length(8),
            text: |a, _| super::labels::activity_kind(a.kind),
            sort: ListSort::ActivityKind,
            chip: None,
        },
        Column {
            title: "col-activity-customer",
            width: Constraint::Fill(2),
            text: |a, c| match &a.campaign {
                Some(camp) => format!(
                    "{} · {}",
                    super::labels::region(camp.region),
                    super::labels::campaign_channel(camp.channel)
                ),
                None => c.name(a.customer_id).to_string(),
            },
            sort: ListSort::Customer,
            chip: None,
        },
        Column {
            title: "col-activity-summary",
            width: Constraint::Fill(3),
            text: |a, _| a.summary.replace('\n', " "),
            sort: ListSort::Summary,
            chip: None,
        },
        Column {
            title: "col-activity-mood",
            width: Constraint::Length(8),
            text: |a, _| {
                a.sentiment
                    .map(super::labels::sentiment)
                    .unwrap_or_default()
            },
            sort: ListSort::Sentiment,
            chip: None,
        },
        Column {
            title: "col-activity-follow-up",
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
