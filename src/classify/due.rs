//! When a record's tags can next change with time alone: the light daily
//! sweep (`store/sweep_light.rs`) evaluates only the records whose day has
//! come, the ones a write touched, and the ones whose percentile
//! comparisons the day's cut points move.
//!
//! A record's facts are a function of the day. Between its *kinks* (a
//! deal's close date and the days it leaves the 12- and 24-month windows,
//! a touch's date and the day it leaves the 90-day window, the day a deal
//! was opened) every fact moves linearly: days since a purchase up by one
//! a day, days to close down by one, counts not at all. So the first day a
//! rule's comparison with a fixed number can flip is found from today's
//! value and tomorrow's: the line's crossing of the threshold. Taken
//! rounded down (a day early costs one evaluation, a day late a wrong
//! tag). Percentile comparisons are left to the sweep, which compares each
//! record's value with the day's cut points (a floor in force is a fixed
//! number, and counted here).

use super::cuts::CutPoints;
use super::facts::{CustomerFact, Facts, Subject};
use super::rules::{Piece, Rhs, RuleSet, ValueSpec};
use chrono::{Days, NaiveDate};

/// "No time-driven change ahead."
pub const NEVER: NaiveDate = NaiveDate::MAX;

/// Customer facts computed from the customer's deals alone: the light
/// sweep computes the population's percentiles from the deals table.
pub const DEAL_ONLY_CUSTOMER_FACTS: [CustomerFact; 12] = [
    CustomerFact::OrdersTotal,
    CustomerFact::WonDeals12m,
    CustomerFact::LostDeals12m,
    CustomerFact::OpenDeals,
    CustomerFact::Revenue12m,
    CustomerFact::RevenuePrev12m,
    CustomerFact::RevenueTotal,
    CustomerFact::DaysSinceFirstPurchase,
    CustomerFact::DaysSinceLastPurchase,
    CustomerFact::MedianPurchaseInterval,
    CustomerFact::PurchaseGapRatio,
    CustomerFact::RevenueGrowth,
];

/// The scores computed from the cut points (compared by the sweep, not here).
const SCORES: [CustomerFact; 3] = [
    CustomerFact::RecencyScore,
    CustomerFact::FrequencyScore,
    CustomerFact::MonetaryScore,
];

/// The numbers a subject's rules compare facts with: `(fact, threshold)`.
#[derive(Debug, Clone, Default)]
pub struct Thresholds(Vec<(usize, f64)>);

impl Thresholds {
    /// Every fixed number (and percentile floor) the rules of `subject`
    /// compare a number fact with; the scores are left out.
    pub fn of(rules: &RuleSet, subject: Subject) -> Thresholds {
        let mut out = Vec::new();
        for dim in rules.dimensions(subject) {
            for c in dim.conditions() {
                if subject.fact_is_text(c.fact) {
                    continue;
                }
                if subject == Subject::Customer && SCORES.iter().any(|s| usize::from(*s) == c.fact)
                {
                    continue;
                }
                match (&c.rhs, &c.floor) {
                    (Rhs::Num { value, .. }, _) => out.push((c.fact, *value)),
                    (Rhs::Percentile(_), Some((floor, _))) => out.push((c.fact, *floor)),
                    _ => {}
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        out.dedup();
        Thresholds(out)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether the light sweep can stand in for the full one with these rules:
/// percentiles of customers only over facts of their deals, none of deals,
/// and no tag value showing a number (a value "{tenure_days}" changes daily).
pub fn light_supported(rules: &RuleSet) -> bool {
    let deal_only = |f: usize| {
        DEAL_ONLY_CUSTOMER_FACTS
            .iter()
            .any(|d| usize::from(*d) == f)
    };
    if !rules
        .percentiles_needed(Subject::Customer)
        .iter()
        .all(|(f, _)| deal_only(*f))
    {
        return false;
    }
    if !rules.percentiles_needed(Subject::Opportunity).is_empty() {
        return false;
    }
    [Subject::Customer, Subject::Opportunity]
        .into_iter()
        .all(|s| {
            rules.dimensions(s).iter().all(|d| {
                d.rules.iter().all(|r| match &r.value {
                    ValueSpec::Fixed(_) => true,
                    ValueSpec::Template(pieces) => pieces.iter().all(|p| match p {
                        Piece::Lit(_) => true,
                        Piece::Fact(f) => s.fact_is_text(*f),
                    }),
                }) && d.default.as_deref().is_none_or(|v| !v.contains('{'))
            })
        })
}

/// The first day after `today` on which the record's tags can change with
/// time alone (never later than the true day; [`NEVER`] when nothing ahead).
/// `facts`: today's; `tomorrow`: the facts a day later (asked for only when
/// no kink comes first); `next_kink`: the record's first kink after today.
pub fn due_day(
    thresholds: &Thresholds,
    facts: &Facts,
    tomorrow: impl FnOnce() -> Facts,
    next_kink: Option<NaiveDate>,
    today: NaiveDate,
) -> NaiveDate {
    let Some(day_after) = today.checked_add_days(Days::new(1)) else {
        return NEVER;
    };
    let mut due = next_kink.unwrap_or(NEVER);
    if due <= day_after || thresholds.is_empty() {
        return due.max(day_after);
    }
    let next = tomorrow();
    for &(fact, t) in &thresholds.0 {
        let (a, b) = (facts.num(fact), next.num(fact));
        let (a, b) = match (a, b) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(a), Some(b)) => (a, b),
            (None, None) => continue,
            // Present one day, absent the next: a kink not listed.
            _ => return day_after,
        };
        if a == t {
            return day_after;
        }
        let slope = b - a;
        let days = (t - a) / slope;
        if days <= 0.0 || !days.is_finite() {
            continue; // moving away from the threshold
        }
        // A whole slope (±1 a day) lands on the day exactly; any other
        // (a ratio) is taken a day earlier against rounding.
        let whole = slope.fract() == 0.0;
        let mut ahead = days.floor();
        if !whole {
            ahead -= 1.0;
        }
        let ahead = ahead.clamp(1.0, 1e6) as u64;
        if let Some(d) = today.checked_add_days(Days::new(ahead)) {
            due = due.min(d);
        }
    }
    due.max(day_after)
}

/// Where a value stands against a cut point: the light sweep evaluates a
/// record again when this differs between the last sweep's day (its value
/// then, the cut points then) and today.
pub fn standing(value: Option<f64>, cut: Option<f64>) -> u8 {
    match (value, cut) {
        (None, _) => 0,
        (Some(_), None) => 1,
        (Some(v), Some(c)) => match v.total_cmp(&c) {
            std::cmp::Ordering::Less => 2,
            std::cmp::Ordering::Equal => 3,
            std::cmp::Ordering::Greater => 4,
        },
    }
}

/// Whether a record's comparisons with the cut points `needed` can differ
/// between `then` (its facts and the cut points on the last sweep's day)
/// and `now`.
pub fn percentiles_moved(
    needed: &[(usize, u8)],
    subject: Subject,
    then: (&Facts, &CutPoints),
    now: (&Facts, &CutPoints),
) -> bool {
    needed.iter().any(|&(fact, p)| {
        standing(then.0.num(fact), then.1.get(subject, fact, p))
            != standing(now.0.num(fact), now.1.get(subject, fact, p))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::facts::OpportunityFact;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn facts(v: f64) -> Facts {
        let mut f = Facts::new(Subject::Opportunity);
        f.set_num(OpportunityFact::DaysToClose, v);
        f
    }

    #[test]
    fn the_crossing_day_of_a_falling_count() {
        let th = Thresholds(vec![(OpportunityFact::DaysToClose.into(), 7.0)]);
        let today = d("2026-01-01");
        // 10 days to close today, 9 tomorrow: ≤ 7 on the 4th.
        let due = due_day(&th, &facts(10.0), || facts(9.0), None, today);
        assert_eq!(due, d("2026-01-04"));
        // On the threshold: tomorrow.
        let due = due_day(&th, &facts(7.0), || facts(6.0), None, today);
        assert_eq!(due, d("2026-01-02"));
        // Moving away: never, or the next kink.
        assert_eq!(due_day(&th, &facts(5.0), || facts(4.0), None, today), NEVER);
        let kink = Some(d("2026-03-01"));
        assert_eq!(
            due_day(&th, &facts(5.0), || facts(4.0), kink, today),
            d("2026-03-01")
        );
    }

    #[test]
    fn a_ratio_is_taken_a_day_early() {
        let th = Thresholds(vec![(OpportunityFact::DaysToClose.into(), 2.0)]);
        let today = d("2026-01-01");
        // 1.0 rising by 1/3 a day reaches 2.0 after 3 days: due on day 2.
        let due = due_day(&th, &facts(1.0), || facts(1.0 + 1.0 / 3.0), None, today);
        assert_eq!(due, d("2026-01-03"));
    }
}
