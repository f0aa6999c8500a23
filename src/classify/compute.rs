//! From a record and its related rows to its facts. The store loads the
//! rows (one record for the cascade, the whole book for the sweep); the
//! arithmetic lives here so both paths agree and every fact is unit-tested.

use super::facts::{CampaignFact, CustomerFact, Facts, OpportunityFact, ProductFact, Subject};
use crate::domain::{channel_of_source, source_group};
use crate::domain::{Campaign, CustomerKind, Sentiment, Stage};
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;

/// Days in the "last 12 months" and "last 90 days" windows.
const YEAR: i64 = 365;
const QUARTER: i64 = 90;

/// The customer fields rules read. The texts are shared (`Arc<str>`): a
/// sweep holds a million profiles, and a book has few distinct countries,
/// cities, industries and sources.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomerProfile {
    pub kind: CustomerKind,
    pub country: Arc<str>,
    pub province: Arc<str>,
    pub city: Arc<str>,
    pub industry: Arc<str>,
    pub source: Arc<str>,
    pub size: Option<u32>,
    /// When the customer file was created.
    pub since: NaiveDate,
}

/// A deal of the customer, as far as purchase behaviour goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DealRow {
    pub stage: Stage,
    /// Close date of a won or lost deal.
    pub closed_on: Option<NaiveDate>,
    /// Minor units (cents).
    pub amount: i64,
    /// The day the deal was entered.
    pub opened: Option<NaiveDate>,
}

/// A touch with the customer. Slices of touches are in date order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TouchRow {
    pub date: NaiveDate,
    pub sentiment: Option<Sentiment>,
    /// The touch's follow-up date while its reminder is open (not marked
    /// done, not answered by a later contact); `None` otherwise.
    pub open_follow_up: Option<NaiveDate>,
    /// A real contact (call, visit, meeting, email); a note is not.
    pub contact: bool,
}

fn units(cents: i64) -> f64 {
    cents as f64 / 100.0
}

fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// Median of a non-empty, unsorted list of day counts.
fn median(values: &mut [i64]) -> f64 {
    values.sort_unstable();
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0
    }
}

/// A customer's facts (without the RFM scores, which need the whole
/// book's cut points: see [`super::CutPoints::add_rfm_scores`]).
pub fn customer_facts(
    c: &CustomerProfile,
    deals: &[DealRow],
    touches: &[TouchRow],
    today: NaiveDate,
) -> Facts {
    use CustomerFact as F;
    let mut f = Facts::new(Subject::Customer);
    f.set_text(F::Kind, c.kind.as_str());
    f.set_text(F::Country, &c.country);
    f.set_text(F::Province, &c.province);
    f.set_text(F::City, &c.city);
    f.set_text(F::Industry, &c.industry);
    // A source the rules do not know is `other` with an unknown channel,
    // never guessed to be offline.
    if let Some(source) = source_group(&c.source) {
        f.set_text(F::Source, &source);
        f.set_text(F::Channel, channel_of_source(&c.source).as_str());
    }
    f.set_opt_num(F::Size, c.size.map(f64::from));
    // The relationship began with the first contact or deal, not when the
    // file was entered (an imported customer may go back years, a new file
    // may be a stranger); no contact and no deal: no tenure yet.
    let first_contact = touches.iter().filter(|t| t.contact).map(|t| t.date).min();
    let first_deal = deals
        .iter()
        .flat_map(|d| [d.opened, d.closed_on])
        .flatten()
        .min();
    if let Some(first) = first_contact.into_iter().chain(first_deal).min() {
        f.set_num(F::TenureDays, days(first, today).max(0) as f64);
    }

    purchase_facts(&mut f, deals, today);

    let (mut t90, mut pos, mut neg, mut contacts) = (0u32, 0u32, 0u32, 0u32);
    let mut last_contact: Option<NaiveDate> = None;
    let mut last_rated: Option<Sentiment> = None;
    // Every open reminder counts, not only the latest touch's: a later
    // touch without a date must not cancel a promise.
    let mut next_follow_up: Option<NaiveDate> = None;
    for t in touches {
        let recent = days(t.date, today) < QUARTER;
        if recent {
            match t.sentiment {
                Some(Sentiment::Positive) => pos += 1,
                Some(Sentiment::Negative) => neg += 1,
                _ => {}
            }
        }
        // A note is written for oneself: it is not contact.
        if t.contact {
            contacts += 1;
            if recent {
                t90 += 1;
            }
            if last_contact.is_none_or(|l| t.date >= l) {
                last_contact = Some(t.date);
            }
        }
        if t.sentiment.is_some() {
            last_rated = t.sentiment;
        }
        if let Some(due) = t.open_follow_up {
            if next_follow_up.is_none_or(|n| due < n) {
                next_follow_up = Some(due);
            }
        }
    }
    f.set_num(F::Touches90d, t90.into());
    f.set_num(F::TouchesTotal, contacts.into());
    f.set_num(F::PositiveTouches90d, pos.into());
    f.set_num(F::NegativeTouches90d, neg.into());
    if let Some(s) = last_rated {
        f.set_text(F::LastSentiment, s.as_str());
    }
    if let Some(on) = last_contact {
        f.set_num(F::DaysSinceLastTouch, days(on, today).max(0) as f64);
    }
    // The most overdue open reminder decides.
    if let Some(next) = next_follow_up {
        f.set_num(F::FollowUpInDays, days(today, next) as f64);
    }
    f
}

/// The facts [`purchase_facts`] takes from deals other than won ones:
/// without them, the won deals alone give every other purchase fact.
pub const FACTS_OF_OPEN_AND_LOST_DEALS: [CustomerFact; 2] =
    [CustomerFact::LostDeals12m, CustomerFact::OpenDeals];

/// The facts a customer's deals give (orders, revenue, purchase days and
/// intervals, won, lost and open deals): what the customers' cut points
/// are taken over. Part of [`customer_facts`]; alone for the light sweep.
pub fn purchase_facts(f: &mut Facts, deals: &[DealRow], today: NaiveDate) {
    use CustomerFact as F;
    let mut purchase_days: Vec<i64> = Vec::new();
    let (mut rev12, mut prev12, mut total) = (0i64, 0i64, 0i64);
    let (mut won12, mut lost12, mut open) = (0u32, 0u32, 0u32);
    for d in deals {
        match (d.stage, d.closed_on) {
            (Stage::Won, Some(on)) => {
                let ago = days(on, today);
                purchase_days.push(on.num_days_from_ce() as i64);
                total += d.amount;
                if ago < YEAR {
                    rev12 += d.amount;
                    won12 += 1;
                } else if ago < 2 * YEAR {
                    prev12 += d.amount;
                }
            }
            (Stage::Lost, Some(on)) if days(on, today) < YEAR => lost12 += 1,
            (s, _) if !s.is_closed() => open += 1,
            _ => {}
        }
    }
    f.set_num(F::OrdersTotal, purchase_days.len() as f64);
    f.set_num(F::WonDeals12m, won12.into());
    f.set_num(F::LostDeals12m, lost12.into());
    f.set_num(F::OpenDeals, open.into());
    f.set_num(F::Revenue12m, units(rev12));
    f.set_num(F::RevenuePrev12m, units(prev12));
    f.set_num(F::RevenueTotal, units(total));
    if prev12 > 0 {
        f.set_num(F::RevenueGrowth, rev12 as f64 / prev12 as f64);
    }
    let today_n = today.num_days_from_ce() as i64;
    if let (Some(first), Some(last)) = (
        purchase_days.iter().min().copied(),
        purchase_days.iter().max().copied(),
    ) {
        let since_last = (today_n - last).max(0);
        f.set_num(F::DaysSinceFirstPurchase, (today_n - first).max(0) as f64);
        f.set_num(F::DaysSinceLastPurchase, since_last as f64);
        if purchase_days.len() >= 2 {
            purchase_days.sort_unstable();
            let mut gaps: Vec<i64> = purchase_days.windows(2).map(|w| w[1] - w[0]).collect();
            let m = median(&mut gaps);
            f.set_num(F::MedianPurchaseInterval, m);
            if m > 0.0 {
                f.set_num(F::PurchaseGapRatio, since_last as f64 / m);
            }
        }
    }
}

/// The first day after `after` on which a customer's facts stop moving
/// in a straight line (see [`super::due`]): a deal's open and close days,
/// the days a close leaves the 12- and 24-month windows, a touch's day and
/// the day it leaves the 90-day window.
pub fn customer_next_kink(
    deals: &[DealRow],
    touches: &[TouchRow],
    after: NaiveDate,
) -> Option<NaiveDate> {
    let mut next: Option<NaiveDate> = None;
    let mut see = |d: Option<NaiveDate>| {
        if let Some(d) = d.filter(|d| *d > after) {
            if next.is_none_or(|n| d < n) {
                next = Some(d);
            }
        }
    };
    let plus = |d: NaiveDate, n: u64| d.checked_add_days(chrono::Days::new(n));
    for d in deals {
        see(d.opened);
        if let Some(on) = d.closed_on {
            see(Some(on));
            see(plus(on, YEAR as u64));
            see(plus(on, 2 * YEAR as u64));
        }
    }
    for t in touches {
        see(Some(t.date));
        see(plus(t.date, QUARTER as u64));
    }
    next
}

/// Like [`customer_next_kink`] for a deal: the day of its last activity,
/// when that is still ahead (days idle stay 0 until then).
pub fn opportunity_next_kink(o: &OpportunityProfile, after: NaiveDate) -> Option<NaiveDate> {
    let active = o.last_touch.map_or(o.updated, |t| t.max(o.updated));
    (active > after).then_some(active)
}

/// The opportunity fields rules read, with its customer's industry and
/// its latest touch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OpportunityProfile {
    pub stage: Stage,
    pub amount: i64,
    pub source: String,
    pub competitors: usize,
    pub probability: Option<u8>,
    pub expected_close: Option<NaiveDate>,
    pub next_step_date: Option<NaiveDate>,
    /// Day the deal last moved: entered, or its stage or expected close
    /// date changed (other edits do not count).
    pub updated: NaiveDate,
    pub industry: String,
    /// Latest touch logged against this deal.
    pub last_touch: Option<NaiveDate>,
}

pub fn opportunity_facts(o: &OpportunityProfile, today: NaiveDate) -> Facts {
    use OpportunityFact as F;
    let mut f = Facts::new(Subject::Opportunity);
    let open = !o.stage.is_closed();
    f.set_text(F::Stage, o.stage.as_str());
    f.set_num(F::Open, if open { 1.0 } else { 0.0 });
    f.set_num(F::Amount, units(o.amount));
    f.set_text(F::Source, &o.source);
    f.set_text(F::Industry, &o.industry);
    f.set_num(F::Competitors, o.competitors as f64);
    f.set_opt_num(F::Probability, o.probability.map(f64::from));
    if open {
        if let Some(d) = o.expected_close {
            f.set_num(F::DaysToClose, days(today, d) as f64);
        }
        if let Some(d) = o.next_step_date {
            f.set_num(F::NextStepOverdueDays, days(d, today) as f64);
        }
        let active = o.last_touch.map_or(o.updated, |t| t.max(o.updated));
        f.set_num(F::DaysIdle, days(active, today).max(0) as f64);
    }
    f
}

/// The product fields rules read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProductProfile {
    pub category: String,
    pub brand: String,
    pub audience: Vec<String>,
    pub price: i64,
    pub active: bool,
}

/// Units and revenue of won deals closed in the last 90 days.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ProductSales {
    pub units_90d: i64,
    pub revenue_90d: i64,
}

pub fn product_facts(p: &ProductProfile, sales: ProductSales) -> Facts {
    use ProductFact as F;
    let mut f = Facts::new(Subject::Product);
    f.set_text(F::Category, &p.category);
    f.set_text(F::Brand, &p.brand);
    f.set_text(F::Audience, &p.audience.join(", "));
    f.set_num(F::Price, units(p.price));
    f.set_num(F::Active, if p.active { 1.0 } else { 0.0 });
    f.set_num(F::UnitsSold90d, sales.units_90d as f64);
    f.set_num(F::Revenue90d, units(sales.revenue_90d));
    f
}

/// Deals a campaign sourced.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CampaignResults {
    pub sourced_deals: i64,
    /// Minor units of the won ones.
    pub won_revenue: i64,
}

pub fn campaign_facts(c: &Campaign, start: NaiveDate, results: CampaignResults) -> Facts {
    use CampaignFact as F;
    let mut f = Facts::new(Subject::Campaign);
    f.set_text(F::Channel, c.channel.as_str());
    f.set_text(
        F::Mode,
        if c.channel.is_online() {
            "online"
        } else {
            "offline"
        },
    );
    f.set_text(F::Region, c.region.as_str());
    f.set_text(F::Goal, c.goal.as_str());
    f.set_num(F::Participants, c.participants.into());
    f.set_num(F::Leads, c.leads.into());
    f.set_num(F::Cost, units(c.cost.0));
    let end = c.end_date.unwrap_or(start);
    f.set_num(F::DurationDays, (days(start, end) + 1).max(1) as f64);
    f.set_num(F::SourcedDeals, results.sourced_deals as f64);
    f.set_num(F::WonRevenue, units(results.won_revenue));
    if c.cost.0 > 0 {
        f.set_num(
            F::Roi,
            (results.won_revenue - c.cost.0) as f64 / c.cost.0 as f64,
        );
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn won(on: &str, units: i64) -> DealRow {
        DealRow {
            stage: Stage::Won,
            closed_on: Some(d(on)),
            amount: units * 100,
            opened: None,
        }
    }

    #[test]
    fn purchase_behaviour() {
        let today = d("2026-06-01");
        let c = CustomerProfile {
            since: d("2024-01-01"),
            source: "website".into(),
            ..Default::default()
        };
        let deals = [
            won("2024-09-01", 1_000), // previous 12 months
            won("2025-09-01", 2_000),
            won("2026-03-01", 3_000),
            DealRow {
                stage: Stage::Negotiation,
                closed_on: None,
                amount: 50,
                opened: Some(d("2023-05-01")),
            },
        ];
        let f = customer_facts(&c, &deals, &[], today);
        use CustomerFact as F;
        assert_eq!(f.num(F::OrdersTotal), Some(3.0));
        assert_eq!(f.num(F::WonDeals12m), Some(2.0));
        assert_eq!(f.num(F::Revenue12m), Some(5_000.0));
        assert_eq!(f.num(F::RevenuePrev12m), Some(1_000.0));
        assert_eq!(f.num(F::RevenueGrowth), Some(5.0));
        assert_eq!(f.num(F::OpenDeals), Some(1.0));
        assert_eq!(f.num(F::DaysSinceLastPurchase), Some(92.0));
        // gaps 365 and 181 days → median 273
        assert_eq!(f.num(F::MedianPurchaseInterval), Some(273.0));
        assert_eq!(f.text(F::Channel), Some("online"));
        assert_eq!(f.num(F::FollowUpInDays), None);
    }

    #[test]
    fn touches_and_follow_up() {
        let today = d("2026-06-01");
        let t = |on: &str, s: Option<Sentiment>, next: Option<&str>| TouchRow {
            date: d(on),
            sentiment: s,
            open_follow_up: next.map(d),
            contact: true,
        };
        let touches = [
            t("2025-01-01", Some(Sentiment::Negative), None),
            t("2026-05-01", Some(Sentiment::Positive), Some("2026-05-10")),
            t("2026-05-20", None, Some("2026-05-30")),
        ];
        let f = customer_facts(&CustomerProfile::default(), &[], &touches, today);
        use CustomerFact as F;
        assert_eq!(f.num(F::Touches90d), Some(2.0));
        assert_eq!(f.num(F::PositiveTouches90d), Some(1.0));
        assert_eq!(f.text(F::LastSentiment), Some("positive"));
        // The earliest open reminder (05-10) decides, not the latest touch's.
        assert_eq!(f.num(F::FollowUpInDays), Some(-22.0));
        assert_eq!(f.num(F::DaysSinceLastTouch), Some(12.0));
        assert_eq!(f.num(F::DaysSinceLastPurchase), None);
    }

    /// A note after a promised follow-up neither cancels the reminder nor
    /// counts as contact (issue 18: `follow_up: overdue → none_planned`).
    #[test]
    fn a_note_is_not_contact_and_keeps_the_reminder() {
        let today = d("2026-06-01");
        let call = TouchRow {
            date: d("2026-05-01"),
            sentiment: None,
            open_follow_up: Some(d("2026-05-20")),
            contact: true,
        };
        let note = TouchRow {
            date: d("2026-05-25"),
            sentiment: None,
            open_follow_up: None,
            contact: false,
        };
        let f = customer_facts(&CustomerProfile::default(), &[], &[call, note], today);
        use CustomerFact as F;
        assert_eq!(f.num(F::FollowUpInDays), Some(-12.0));
        assert_eq!(f.num(F::DaysSinceLastTouch), Some(31.0));
        assert_eq!(f.num(F::TouchesTotal), Some(1.0));
        assert_eq!(f.num(F::Touches90d), Some(1.0));
    }

    /// Issue 18: a source the rules do not know (抖音) counted as offline.
    #[rstest::rstest]
    #[case("抖音", Some("other"), Some("unknown"))]
    #[case("Radio ad", Some("other"), Some("unknown"))]
    #[case("Website", Some("website"), Some("online"))]
    #[case("referral", Some("referral"), Some("offline"))]
    #[case("展会", Some("展会"), Some("offline"))]
    #[case("", None, None)]
    fn unknown_sources_are_other_with_an_unknown_channel(
        #[case] source: &str,
        #[case] tag: Option<&str>,
        #[case] channel: Option<&str>,
    ) {
        let c = CustomerProfile {
            source: source.into(),
            ..Default::default()
        };
        let f = customer_facts(&c, &[], &[], d("2026-06-01"));
        use CustomerFact as F;
        assert_eq!(f.text(F::Source), tag);
        assert_eq!(f.text(F::Channel), channel);
    }

    /// Issue 18: tenure counted from the file's creation, so an imported
    /// customer of years was a stranger for 180 days.
    #[rstest::rstest]
    #[case::from_the_first_contact(Some("2024-06-01"), None, Some(730.0))]
    #[case::from_the_first_deal(None, Some("2025-06-01"), Some(365.0))]
    #[case::the_earlier_of_both(Some("2026-05-01"), Some("2025-06-01"), Some(365.0))]
    #[case::none_yet(None, None, None)]
    fn tenure_counts_from_the_first_contact_or_deal(
        #[case] contact: Option<&str>,
        #[case] deal: Option<&str>,
        #[case] tenure: Option<f64>,
    ) {
        let c = CustomerProfile {
            since: d("2026-05-31"),
            ..Default::default()
        };
        let touches: Vec<TouchRow> = contact
            .map(|on| TouchRow {
                date: d(on),
                sentiment: None,
                open_follow_up: None,
                contact: true,
            })
            .into_iter()
            .collect();
        let deals: Vec<DealRow> = deal.map(|on| won(on, 10)).into_iter().collect();
        let f = customer_facts(&c, &deals, &touches, d("2026-06-01"));
        assert_eq!(f.num(CustomerFact::TenureDays), tenure);
    }
}
