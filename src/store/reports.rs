//! Read-only queries behind the dashboard: follow-ups, deals closing soon,
//! the pipeline funnel, tag distributions and top products.

use super::fast_hash::{update, FastMap};
use super::{Result, Store};
use crate::domain::{Kind, Money, Stage, Totals};
use chrono::{Duration, NaiveDate};
use rusqlite::params;
use serde::Serialize;

/// An open follow-up reminder: a touch's next follow-up date, not yet
/// marked done nor answered by a later real contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUp {
    /// The touch that set the reminder (`dossier done ID` closes it).
    pub activity_id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub due: NaiveDate,
    pub summary: String,
    /// The touch's kind (call, visit, …) and date.
    pub kind: String,
    pub touched_on: NaiveDate,
}

/// An open deal and when it is expected to close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClosingDeal {
    pub opportunity_id: i64,
    pub title: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub stage: Stage,
    pub amount: Money,
    pub expected_close: NaiveDate,
}

/// Count and total amounts (per currency) of the deals in one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageTotal {
    pub stage: Stage,
    pub count: i64,
    pub amounts: Totals,
}

/// Units of a product sold (won deals) in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductSales {
    pub product_id: i64,
    pub name: String,
    pub units: i64,
    pub revenue: Money,
}

/// Open reminders due by `?1`, from live touches of live customers.
const OPEN_FOLLOW_UPS: &str = "FROM activities a JOIN customers c ON c.id = a.customer_id
    WHERE a.next_follow_up IS NOT NULL AND a.follow_up_done_on IS NULL AND a.next_follow_up <= ?1
      AND a.deleted_at IS NULL AND c.deleted_at IS NULL AND a.kind != 'campaign'";

impl Store {
    /// Open follow-up reminders due on or before `until`, oldest due date
    /// first: the longest-missed promise is the most urgent. A reminder stays
    /// until marked done or answered by a later real contact, whatever
    /// touches (notes) come after it.
    pub fn follow_ups_due(&self, until: NaiveDate, limit: usize) -> Result<Vec<FollowUp>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.id, a.customer_id, c.name, a.next_follow_up, a.summary, a.kind, a.date
             {OPEN_FOLLOW_UPS}
             ORDER BY a.next_follow_up, a.id LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![until, limit as i64], |r| {
            Ok(FollowUp {
                activity_id: r.get(0)?,
                customer_id: r.get(1)?,
                customer_name: r.get(2)?,
                due: r.get(3)?,
                summary: r.get(4)?,
                kind: r.get(5)?,
                touched_on: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The touch holding a customer's earliest-due open reminder, if any.
    pub fn first_open_follow_up_of(&self, customer_id: i64) -> Result<Option<i64>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM activities
                 WHERE customer_id = ?1 AND next_follow_up IS NOT NULL AND follow_up_done_on IS NULL
                   AND deleted_at IS NULL AND kind != 'campaign'
                 ORDER BY next_follow_up, id LIMIT 1",
                [customer_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// How many open reminders are due on or before `until` (all of them,
    /// however many a list shows).
    pub fn count_follow_ups_due(&self, until: NaiveDate) -> Result<i64> {
        let n = self.conn.query_row(
            &format!("SELECT count(*) {OPEN_FOLLOW_UPS}"),
            params![until],
            |r| r.get(0),
        )?;
        Ok(n)
    }

    /// Open deals expected to close within `days` of `today` (or already
    /// past their expected date), soonest first.
    pub fn deals_closing(
        &self,
        today: NaiveDate,
        days: i64,
        limit: usize,
    ) -> Result<Vec<ClosingDeal>> {
        let until = today + Duration::days(days);
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.id, o.title, o.customer_id, c.name, o.stage, o.amount, o.expected_close
             FROM opportunities o JOIN customers c ON c.id = o.customer_id
             WHERE o.deleted_at IS NULL AND c.deleted_at IS NULL
               AND o.stage NOT IN ('won', 'lost') AND o.expected_close IS NOT NULL
               AND o.expected_close <= ?1
             ORDER BY o.expected_close, o.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![until, limit as i64], |r| {
            Ok(ClosingDeal {
                opportunity_id: r.get(0)?,
                title: r.get(1)?,
                customer_id: r.get(2)?,
                customer_name: r.get(3)?,
                stage: r.get::<_, String>(4)?.parse().unwrap_or_default(),
                amount: Money(r.get(5)?),
                expected_close: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many open deals [`Store::deals_closing`] would list without a limit.
    pub fn count_deals_closing(&self, today: NaiveDate, days: i64) -> Result<i64> {
        let until = today + Duration::days(days);
        Ok(self.conn.query_row(
            "SELECT count(*) FROM opportunities o JOIN customers c ON c.id = o.customer_id
             WHERE o.deleted_at IS NULL AND c.deleted_at IS NULL
               AND o.stage NOT IN ('won', 'lost') AND o.expected_close IS NOT NULL
               AND o.expected_close <= ?1",
            params![until],
            |r| r.get(0),
        )?)
    }

    /// Count and amounts per stage, in pipeline order (every stage listed);
    /// amounts are summed per currency, never across currencies.
    pub fn pipeline(&self) -> Result<Vec<StageTotal>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT stage, currency, count(*), coalesce(sum(amount), 0) FROM opportunities
             WHERE deleted_at IS NULL GROUP BY stage, currency",
        )?;
        let mut totals: Vec<StageTotal> = Stage::ALL
            .iter()
            .map(|&stage| StageTotal {
                stage,
                count: 0,
                amounts: Totals::default(),
            })
            .collect();
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (stage, currency, count, amount) = row?;
            if let Some(t) = stage
                .parse::<Stage>()
                .ok()
                .and_then(|s| totals.iter_mut().find(|t| t.stage == s))
            {
                t.count += count;
                t.amounts.add(&currency, Money(amount));
            }
        }
        Ok(totals)
    }

    /// How many live records of `kind` carry each value of `dimension`,
    /// most common first.
    pub fn tag_distribution(&self, kind: Kind, dimension: &str) -> Result<Vec<(String, i64)>> {
        let finder = super::tags::DimFinder::new(dimension);
        let mut counts: FastMap<i64> = FastMap::default();
        super::tags::for_each_live_set(&self.conn, kind, |_, set| {
            if let Some(v) = finder.value_in(set) {
                update(&mut counts, v, |n| *n += 1);
            }
        })?;
        let mut out: Vec<(String, i64)> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(out)
    }

    /// Products by units sold on deals won since `since`, best first.
    pub fn top_products(&self, since: NaiveDate, limit: usize) -> Result<Vec<ProductSales>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.name, sum(li.quantity), sum(li.quantity * li.unit_price)
             FROM line_items li
             JOIN opportunities o INDEXED BY opportunities_won ON o.id = li.opportunity_id
             JOIN products p ON p.id = li.product_id
             WHERE o.stage = 'won' AND o.closed_on >= ?1
               AND o.deleted_at IS NULL AND p.deleted_at IS NULL
             GROUP BY p.id ORDER BY sum(li.quantity) DESC, p.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![since, limit as i64], |r| {
            Ok(ProductSales {
                product_id: r.get(0)?,
                name: r.get(1)?,
                units: r.get(2)?,
                revenue: Money(r.get(3)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Activity, ActivityKind, Clock, Customer, LineItem, Opportunity, Product};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn touch_of(
        s: &mut Store,
        kind: ActivityKind,
        customer: i64,
        date: &str,
        follow: Option<&str>,
    ) -> i64 {
        s.add_activity(&Activity {
            kind,
            customer_id: Some(customer),
            date: d(date),
            summary: format!("{kind} on {date}"),
            next_follow_up: follow.map(d),
            ..Default::default()
        })
        .unwrap()
        .meta
        .id
    }

    fn touch(s: &mut Store, customer: i64, date: &str, follow: Option<&str>) -> i64 {
        touch_of(s, ActivityKind::Call, customer, date, follow)
    }

    fn due_names(s: &Store, on: &str) -> Vec<(String, NaiveDate)> {
        s.follow_ups_due(d(on), 100)
            .unwrap()
            .into_iter()
            .map(|f| (f.customer_name, f.due))
            .collect()
    }

    #[test]
    fn a_later_contact_answers_a_reminder() {
        let mut s = Store::open_in_memory_with_clock(Clock::at_date(d("2026-11-23"))).unwrap();
        let a = s.add_customer(&Customer::named("A")).unwrap().meta.id;
        let b = s.add_customer(&Customer::named("B")).unwrap().meta.id;
        let first = touch(&mut s, a, "2026-11-01", Some("2026-11-10"));
        let answer = touch(&mut s, a, "2026-11-15", None); // called since: promise kept
        assert_eq!(
            s.follow_ups_closed_by(answer).unwrap(),
            [crate::store::FollowUpClosed {
                activity_id: first,
                due: d("2026-11-10")
            }]
        );
        let closed = s.activity(first).unwrap();
        assert_eq!(closed.follow_up_done, Some(d("2026-11-15")));
        assert_eq!(closed.follow_up_closed_by, Some(answer));
        assert_eq!(closed.meta.version, 2, "a closed reminder is a new version");
        touch(&mut s, b, "2026-11-20", Some("2026-11-23"));
        assert_eq!(due_names(&s, "2026-11-23"), [("B".into(), d("2026-11-23"))]);
        assert_eq!(s.count_follow_ups_due(d("2026-11-23")).unwrap(), 1);
    }

    /// Issue 18: any later touch, even a note, used to cancel a promise.
    #[rstest::rstest]
    #[case::note_keeps_it(ActivityKind::Note, "2026-11-15", true)]
    #[case::earlier_call_keeps_it(ActivityKind::Call, "2026-10-30", true)]
    #[case::later_call_closes_it(ActivityKind::Call, "2026-11-15", false)]
    #[case::later_visit_closes_it(ActivityKind::Visit, "2026-11-15", false)]
    #[case::later_meeting_closes_it(ActivityKind::Meeting, "2026-11-15", false)]
    #[case::later_email_closes_it(ActivityKind::Email, "2026-11-15", false)]
    fn what_closes_a_reminder(
        #[case] kind: ActivityKind,
        #[case] on: &str,
        #[case] still_open: bool,
    ) {
        let mut s = Store::open_in_memory_with_clock(Clock::at_date(d("2026-11-23"))).unwrap();
        let a = s.add_customer(&Customer::named("A")).unwrap().meta.id;
        let other = s.add_customer(&Customer::named("Other")).unwrap().meta.id;
        touch(&mut s, a, "2026-11-01", Some("2026-11-10"));
        touch_of(&mut s, ActivityKind::Call, other, "2026-11-20", None);
        touch_of(&mut s, kind, a, on, None);
        let open = !due_names(&s, "2026-11-23").is_empty();
        assert_eq!(open, still_open);
        let tag = s
            .tags(Kind::Customer, a)
            .unwrap()
            .into_iter()
            .find(|t| t.dimension == "follow_up")
            .map(|t| t.value);
        let expected = if still_open {
            "overdue"
        } else {
            "none_planned"
        };
        assert_eq!(tag.as_deref(), Some(expected));
    }

    /// `contact_closes_follow_ups = "no"`: each reminder is closed by hand.
    #[test]
    fn a_setting_keeps_reminders_open_until_done() {
        let mut s = Store::open_in_memory_with_clock(Clock::at_date(d("2026-11-23"))).unwrap();
        let rules = crate::classify::RuleSet::from_texts(&[
            ("built-in rules.toml", crate::classify::rules::BUILTIN_RULES),
            (
                "my.toml",
                "[settings]\ncontact_closes_follow_ups = \"no\"\n",
            ),
        ])
        .unwrap();
        s.set_rules(rules).unwrap();
        let a = s.add_customer(&Customer::named("A")).unwrap().meta.id;
        let first = touch(&mut s, a, "2026-11-01", Some("2026-11-10"));
        touch(&mut s, a, "2026-11-15", None);
        assert_eq!(due_names(&s, "2026-11-23"), [("A".into(), d("2026-11-10"))]);
        s.mark_follow_up_done(first).unwrap();
        assert!(due_names(&s, "2026-11-23").is_empty());
    }

    #[test]
    fn a_backdated_touch_already_answered_is_born_closed() {
        let mut s = Store::open_in_memory_with_clock(Clock::at_date(d("2026-11-23"))).unwrap();
        let a = s.add_customer(&Customer::named("A")).unwrap().meta.id;
        let later = touch(&mut s, a, "2026-11-15", None);
        let old = touch(&mut s, a, "2026-11-01", Some("2026-11-10"));
        let old = s.activity(old).unwrap();
        assert_eq!(old.follow_up_done, Some(d("2026-11-15")));
        assert_eq!(old.follow_up_closed_by, Some(later));
        // A note on file answers nothing.
        let b = s.add_customer(&Customer::named("B")).unwrap().meta.id;
        touch_of(&mut s, ActivityKind::Note, b, "2026-11-15", None);
        touch(&mut s, b, "2026-11-01", Some("2026-11-10"));
        assert_eq!(due_names(&s, "2026-11-23"), [("B".into(), d("2026-11-10"))]);
    }

    #[test]
    fn marked_done_by_hand_and_listed_oldest_first() {
        let mut s = Store::open_in_memory_with_clock(Clock::at_date(d("2026-11-23"))).unwrap();
        let a = s.add_customer(&Customer::named("A")).unwrap().meta.id;
        let b = s.add_customer(&Customer::named("B")).unwrap().meta.id;
        let newer = touch(&mut s, a, "2026-11-20", Some("2026-11-22"));
        touch_of(
            &mut s,
            ActivityKind::Note,
            b,
            "2026-11-01",
            Some("2026-11-05"),
        );
        assert_eq!(
            due_names(&s, "2026-11-23"),
            [("B".into(), d("2026-11-05")), ("A".into(), d("2026-11-22"))]
        );
        s.mark_follow_up_done(newer).unwrap();
        assert_eq!(due_names(&s, "2026-11-23"), [("B".into(), d("2026-11-05"))]);
        let again = s.mark_follow_up_done(newer).unwrap_err().to_string();
        assert!(again.contains("already closed on 2026-11-23"), "{again}");
        let none = touch(&mut s, a, "2026-11-23", None);
        let err = s.mark_follow_up_done(none).unwrap_err().to_string();
        assert!(err.contains("has no follow-up to mark done"), "{err}");
    }

    #[test]
    fn pipeline_closing_soon_and_top_products() {
        let mut s = Store::open_in_memory_with_clock(Clock::at_date(d("2026-11-23"))).unwrap();
        let c = s.add_customer(&Customer::named("C")).unwrap().meta.id;
        let p = s.add_product(&Product::named("P")).unwrap().meta.id;
        let deal = |title: &str, stage: Stage, close: &str| Opportunity {
            customer_id: c,
            title: title.into(),
            stage,
            expected_close: Some(d(close)),
            items: vec![LineItem {
                product_id: p,
                quantity: 2,
                unit_price: Money(1000),
            }],
            ..Default::default()
        };
        s.add_opportunity(&deal("soon", Stage::Negotiation, "2026-12-01"))
            .unwrap();
        s.add_opportunity(&deal("later", Stage::Qualified, "2027-03-01"))
            .unwrap();
        s.add_opportunity(&deal("done", Stage::Won, "2026-11-01"))
            .unwrap();
        let closing = s.deals_closing(d("2026-11-23"), 14, 10).unwrap();
        assert_eq!(closing.len(), 1);
        assert_eq!(closing[0].title, "soon");
        let funnel = s.pipeline().unwrap();
        assert_eq!(funnel.len(), Stage::ALL.len());
        let neg = funnel
            .iter()
            .find(|t| t.stage == Stage::Negotiation)
            .unwrap();
        assert_eq!((neg.count, neg.amounts.of("CNY")), (1, Money(2000)));
        // Another currency is summed apart, never added to CNY.
        s.add_opportunity(&Opportunity {
            currency: "EUR".into(),
            ..deal("euro", Stage::Negotiation, "2026-12-05")
        })
        .unwrap();
        let funnel = s.pipeline().unwrap();
        let neg = funnel
            .iter()
            .find(|t| t.stage == Stage::Negotiation)
            .unwrap();
        assert_eq!(neg.count, 2);
        assert_eq!(neg.amounts.display_short(), "CNY 20 + EUR 20");
        let top = s.top_products(d("2026-08-25"), 5).unwrap();
        assert_eq!((top[0].units, top[0].revenue), (2, Money(2000)));
    }
}
