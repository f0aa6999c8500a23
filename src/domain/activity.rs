use super::validate::{check_text, MAX_LONG, MAX_SHORT};
use super::{labelled_enum, Meta, Money, ValidationErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

labelled_enum!(
    /// What an activity is: a touch with a customer, or a marketing campaign.
    ActivityKind {
        Call => "call" | "phone" | "电话",
        Visit => "visit" | "拜访",
        Meeting => "meeting" | "会议",
        Email => "email" | "mail" | "邮件",
        Note => "note" | "备注",
        Campaign => "campaign" | "marketing" | "市场活动",
    }
);

// The enum is declared by labelled_enum!, which derives no Default.
#[allow(clippy::derivable_impls)]
impl Default for ActivityKind {
    fn default() -> Self {
        ActivityKind::Call
    }
}

impl ActivityKind {
    /// A touch is any activity with a customer (everything but campaigns).
    pub fn is_touch(self) -> bool {
        self != ActivityKind::Campaign
    }

    /// Real contact with the customer: a call, visit, meeting or email. A
    /// note is written for oneself, so it never counts as contact and never
    /// answers a follow-up.
    pub fn is_contact(self) -> bool {
        matches!(
            self,
            ActivityKind::Call | ActivityKind::Visit | ActivityKind::Meeting | ActivityKind::Email
        )
    }
}

labelled_enum!(
    /// How a touch went.
    Sentiment {
        Positive => "positive" | "good" | "+" | "积极",
        Neutral => "neutral" | "ok" | "0" | "中性",
        Negative => "negative" | "bad" | "-" | "消极",
    }
);

labelled_enum!(
    /// The form a marketing campaign takes; the first four are online.
    CampaignChannel {
        LiveStream => "live_stream" | "livestream" | "直播",
        Social => "social" | "social_media" | "社交",
        Webinar => "webinar" | "网络研讨会",
        Ads => "ads" | "ad" | "advertising" | "广告",
        Exhibition => "exhibition" | "expo" | "trade_show" | "展会",
        Seminar => "seminar" | "研讨会",
        StoreEvent => "store_event" | "store" | "门店活动",
    }
);

impl CampaignChannel {
    pub fn is_online(self) -> bool {
        matches!(
            self,
            CampaignChannel::LiveStream
                | CampaignChannel::Social
                | CampaignChannel::Webinar
                | CampaignChannel::Ads
        )
    }
}

labelled_enum!(
    /// Reach of a campaign.
    Region {
        Local => "local" | "本地",
        Regional => "regional" | "区域",
        National => "national" | "全国",
        International => "international" | "国际",
    }
);

labelled_enum!(
    /// What a campaign is for.
    Goal {
        BrandAwareness => "brand_awareness" | "brand" | "awareness" | "品牌",
        Sales => "sales" | "销售",
        LeadCollection => "lead_collection" | "leads" | "lead" | "线索",
    }
);

/// The fields only a marketing campaign (市场活动) has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Campaign {
    pub channel: CampaignChannel,
    pub end_date: Option<NaiveDate>,
    pub region: Region,
    pub goal: Goal,
    pub participants: u32,
    pub cost: Money,
    pub leads: u32,
}

impl Default for Campaign {
    fn default() -> Self {
        Campaign {
            channel: CampaignChannel::Exhibition,
            end_date: None,
            region: Region::Local,
            goal: Goal::LeadCollection,
            participants: 0,
            cost: Money(0),
            leads: 0,
        }
    }
}

/// A touch with a customer (call, visit, meeting, email, note) or a
/// marketing campaign, in one table told apart by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Activity {
    #[serde(flatten)]
    pub meta: Meta,
    pub kind: ActivityKind,
    /// The customer touched; required for touches, none for campaigns.
    pub customer_id: Option<i64>,
    pub opportunity_id: Option<i64>,
    /// The touch date, or a campaign's start date.
    pub date: NaiveDate,
    /// What happened (a touch) or the campaign's name.
    pub summary: String,
    pub sentiment: Option<Sentiment>,
    pub next_follow_up: Option<NaiveDate>,
    /// When the follow-up reminder was closed: marked done, or answered by
    /// a later real contact. `None` while it is open (or there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up_done: Option<NaiveDate>,
    /// The later contact that closed the reminder (none when marked done).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up_closed_by: Option<i64>,
    /// Present exactly when `kind` is campaign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign: Option<Campaign>,
}

impl Default for Activity {
    fn default() -> Self {
        Activity {
            meta: Meta::default(),
            kind: ActivityKind::Call,
            customer_id: None,
            opportunity_id: None,
            date: NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date"),
            summary: String::new(),
            sentiment: None,
            next_follow_up: None,
            follow_up_done: None,
            follow_up_closed_by: None,
            campaign: None,
        }
    }
}

impl Activity {
    /// The follow-up date of a reminder still open (not done, not answered).
    pub fn open_follow_up(&self) -> Option<NaiveDate> {
        self.next_follow_up
            .filter(|_| self.follow_up_done.is_none())
    }

    /// The reminder in words for a timeline: "follow-up 2026-12-04 open",
    /// "… overdue", "… done 2026-12-01", "… answered by #31 on 2026-12-02".
    pub fn follow_up_note(&self, today: NaiveDate) -> Option<String> {
        let due = self.next_follow_up?;
        Some(match (self.follow_up_done, self.follow_up_closed_by) {
            (Some(on), Some(by)) => crate::tr!(
                "follow-up-answered",
                due = due.to_string(),
                by = by,
                on = on.to_string()
            ),
            (Some(on), None) => {
                crate::tr!("follow-up-done", due = due.to_string(), on = on.to_string())
            }
            (None, _) if due < today => crate::tr!("follow-up-overdue", due = due.to_string()),
            (None, _) => crate::tr!("follow-up-open", due = due.to_string()),
        })
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        // A touch's summary is free text; a campaign's is its one-line name.
        let max = if self.kind.is_touch() {
            MAX_LONG
        } else {
            MAX_SHORT
        };
        check_text(&mut e, "summary", &self.summary, max);
        if self.kind.is_touch() {
            if self.customer_id.unwrap_or(0) <= 0 {
                e.add(
                    "customer",
                    "is required — pick the customer this touch was with",
                );
            }
            if self.campaign.is_some() {
                e.add(
                    "kind",
                    "campaign details belong to an activity of kind campaign",
                );
            }
            if let Some(f) = self.next_follow_up {
                if f < self.date {
                    e.add("next_follow_up", "is before the touch itself");
                }
            }
        } else {
            if self.summary.trim().is_empty() {
                e.add("summary", "is required — name the campaign");
            }
            match &self.campaign {
                None => e.add("campaign", "campaign details are missing"),
                Some(c) => {
                    if let Some(m) = c.cost.range_error() {
                        e.add("cost", m);
                    }
                    if let Some(end) = c.end_date {
                        if end < self.date {
                            e.add("end_date", "is before the start date");
                        }
                    }
                }
            }
        }
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reminder_says_where_it_stands() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let mut a = Activity {
            next_follow_up: Some(d("2026-12-04")),
            ..Default::default()
        };
        let note = |a: &Activity, on: &str| a.follow_up_note(d(on));
        assert_eq!(
            note(&a, "2026-12-01").as_deref(),
            Some("follow-up 2026-12-04 open")
        );
        assert_eq!(
            note(&a, "2026-12-05").as_deref(),
            Some("follow-up 2026-12-04 overdue")
        );
        a.follow_up_done = Some(d("2026-12-02"));
        assert_eq!(
            note(&a, "2026-12-05").as_deref(),
            Some("follow-up 2026-12-04 done 2026-12-02")
        );
        a.follow_up_closed_by = Some(31);
        assert_eq!(
            note(&a, "2026-12-05").as_deref(),
            Some("follow-up 2026-12-04 answered by #31 on 2026-12-02")
        );
        a.next_follow_up = None;
        assert_eq!(note(&a, "2026-12-05"), None);
    }
}
