//! The re-tag cascade on a real SQLite: edits re-tag the records they
//! touch, in the same transaction, with history.

use chrono::NaiveDate;
use dossier::classify::RuleSet;
use dossier::domain::{
    Activity, ActivityKind, Campaign, Clock, Customer, Kind, LineItem, Money, Opportunity, Product,
    Sentiment, Stage,
};
use dossier::store::Store;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn store() -> Store {
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(day("2026-06-01"))).unwrap();
    // The built-in rules, whatever the machine's config dir holds.
    s.set_rules(RuleSet::builtin()).unwrap();
    s
}

fn tag(s: &Store, kind: Kind, id: i64, dim: &str) -> Option<String> {
    s.tags(kind, id)
        .unwrap()
        .into_iter()
        .find(|t| t.dimension == dim)
        .map(|t| t.value)
}

fn won_deal(customer: i64, units: i64) -> Opportunity {
    Opportunity {
        customer_id: customer,
        title: "Deal".into(),
        amount: Money::from_units(units),
        stage: Stage::Won,
        ..Default::default()
    }
}

#[test]
fn won_deal_makes_a_customer_existing_and_deleting_it_undoes_that() {
    let mut s = store();
    let c = s.add_customer(&Customer::named("Ann")).unwrap();
    let id = c.meta.id;
    assert_eq!(
        tag(&s, Kind::Customer, id, "status").as_deref(),
        Some("prospect")
    );
    assert_eq!(
        tag(&s, Kind::Customer, id, "amount").as_deref(),
        Some("low")
    );
    assert!(tag(&s, Kind::Customer, id, "lifecycle").is_none());

    let deal = s.add_opportunity(&won_deal(id, 150_000)).unwrap();
    assert_eq!(
        tag(&s, Kind::Customer, id, "status").as_deref(),
        Some("existing")
    );
    assert_eq!(
        tag(&s, Kind::Customer, id, "amount").as_deref(),
        Some("high")
    );
    assert_eq!(
        tag(&s, Kind::Customer, id, "lifecycle").as_deref(),
        Some("new")
    );
    assert_eq!(
        tag(&s, Kind::Opportunity, deal.meta.id, "size").as_deref(),
        Some("medium")
    );
    let changes = &deal.changes;
    let shown: Vec<String> = changes
        .iter()
        .filter(|c| c.kind == Kind::Customer)
        .map(|c| c.to_string())
        .collect();
    assert!(
        shown.contains(&"status: prospect → existing".to_string()),
        "{shown:?}"
    );
    assert!(
        shown.contains(&"amount: low → high".to_string()),
        "{shown:?}"
    );
    let reason = s
        .tags(Kind::Customer, id)
        .unwrap()
        .into_iter()
        .find(|t| t.dimension == "amount")
        .unwrap()
        .reason;
    assert_eq!(
        reason,
        "Won 150,000 in the last 12 months — high starts at 100,000"
    );

    s.delete(Kind::Opportunity, deal.meta.id, None).unwrap();
    assert_eq!(
        tag(&s, Kind::Customer, id, "status").as_deref(),
        Some("prospect")
    );
    assert_eq!(
        tag(&s, Kind::Customer, id, "amount").as_deref(),
        Some("low")
    );
    assert!(tag(&s, Kind::Customer, id, "lifecycle").is_none());

    s.restore(Kind::Opportunity, deal.meta.id).unwrap();
    assert_eq!(
        tag(&s, Kind::Customer, id, "status").as_deref(),
        Some("existing")
    );

    // History: when, old, new, why — oldest first.
    let history: Vec<(Option<String>, Option<String>)> = s
        .tag_history(Kind::Customer, id)
        .unwrap()
        .into_iter()
        .filter(|h| h.dimension == "status")
        .map(|h| (h.old, h.new))
        .collect();
    let v = |x: &str| Some(x.to_string());
    assert_eq!(
        history,
        [
            (None, v("prospect")),
            (v("prospect"), v("existing")),
            (v("existing"), v("prospect")),
            (v("prospect"), v("existing")),
        ]
    );
}

#[test]
fn a_negative_call_flips_feedback() {
    let mut s = store();
    let c = s.add_customer(&Customer::named("Bo")).unwrap().meta.id;
    let call = |sentiment, date: &str| Activity {
        kind: ActivityKind::Call,
        customer_id: Some(c),
        date: day(date),
        sentiment: Some(sentiment),
        ..Default::default()
    };
    assert!(tag(&s, Kind::Customer, c, "feedback").is_none());
    s.add_activity(&call(Sentiment::Positive, "2026-05-20"))
        .unwrap();
    assert_eq!(
        tag(&s, Kind::Customer, c, "feedback").as_deref(),
        Some("positive")
    );
    s.add_activity(&call(Sentiment::Negative, "2026-05-30"))
        .unwrap();
    assert_eq!(
        tag(&s, Kind::Customer, c, "feedback").as_deref(),
        Some("negative")
    );
    let last = s.tag_history(Kind::Customer, c).unwrap().pop().unwrap();
    assert_eq!(last.dimension, "feedback");
    // A sentence, not `last_sentiment "negative" = "negative"` (issue 18).
    assert_eq!(last.reason, "The last touch went badly");
}

#[test]
fn a_touch_sets_the_follow_up() {
    let mut s = store();
    let c = s.add_customer(&Customer::named("Cy")).unwrap().meta.id;
    assert_eq!(
        tag(&s, Kind::Customer, c, "follow_up").as_deref(),
        Some("none_planned")
    );
    let mut touch = s
        .add_activity(&Activity {
            kind: ActivityKind::Visit,
            customer_id: Some(c),
            date: day("2026-05-01"),
            next_follow_up: Some(day("2026-05-15")),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        tag(&s, Kind::Customer, c, "follow_up").as_deref(),
        Some("overdue")
    );
    touch.next_follow_up = Some(day("2026-06-01"));
    s.update_activity(&touch).unwrap();
    assert_eq!(
        tag(&s, Kind::Customer, c, "follow_up").as_deref(),
        Some("due_today")
    );
}

#[test]
fn a_won_deal_re_tags_its_products_and_its_campaign() {
    let mut s = store();
    let c = s.add_customer(&Customer::named("Di")).unwrap().meta.id;
    let p = s.add_product(&Product::named("Widget")).unwrap().meta.id;
    assert_eq!(tag(&s, Kind::Product, p, "sales").as_deref(), Some("slow"));
    let campaign = s
        .add_activity(&Activity {
            kind: ActivityKind::Campaign,
            date: day("2026-04-01"),
            summary: "Spring expo".into(),
            campaign: Some(Campaign {
                cost: Money::from_units(10_000),
                ..Default::default()
            }),
            ..Default::default()
        })
        .unwrap()
        .meta
        .id;
    assert_eq!(
        tag(&s, Kind::Activity, campaign, "roi").as_deref(),
        Some("negative")
    );
    let mut deal = won_deal(c, 0);
    deal.campaign_id = Some(campaign);
    deal.items = vec![LineItem {
        product_id: p,
        quantity: 150,
        unit_price: Money::from_units(400),
    }];
    let deal = s.add_opportunity(&deal).unwrap();
    assert_eq!(tag(&s, Kind::Product, p, "sales").as_deref(), Some("hot"));
    // 60,000 won against 10,000 spent: ROI 5.
    assert_eq!(
        tag(&s, Kind::Activity, campaign, "roi").as_deref(),
        Some("high")
    );

    // Moving the deal off the campaign re-tags the campaign it left.
    let mut moved = deal.clone();
    moved.campaign_id = None;
    s.update_opportunity(&moved).unwrap();
    assert_eq!(
        tag(&s, Kind::Activity, campaign, "roi").as_deref(),
        Some("negative")
    );
}

#[test]
fn a_customer_edit_re_tags_its_deals_industry() {
    let mut s = store();
    let mut c = s.add_customer(&Customer::named("Ed")).unwrap();
    let deal = s.add_opportunity(&won_deal(c.meta.id, 10)).unwrap().meta.id;
    assert!(tag(&s, Kind::Opportunity, deal, "industry").is_none());
    c.industry = "finance".into();
    s.update_customer(&c).unwrap();
    assert_eq!(
        tag(&s, Kind::Opportunity, deal, "industry").as_deref(),
        Some("finance")
    );
    assert_eq!(
        tag(&s, Kind::Customer, c.meta.id, "industry").as_deref(),
        Some("finance")
    );
}

#[test]
fn a_failed_write_leaves_tags_alone() {
    let mut s = store();
    let c = s.add_customer(&Customer::named("Flo")).unwrap().record;
    let mut stale = c.clone();
    stale.meta.version = 99;
    stale.size = Some(5000);
    stale.kind = dossier::domain::CustomerKind::Enterprise;
    assert!(s.update_customer(&stale).is_err());
    assert!(tag(&s, Kind::Customer, c.meta.id, "size").is_none());
}

#[test]
fn purging_a_customer_takes_its_deals_tags_with_it() {
    let mut s = store();
    let c = s.add_customer(&Customer::named("Ann")).unwrap().meta.id;
    let deal = s.add_opportunity(&won_deal(c, 5_000)).unwrap().meta.id;
    assert!(!s.tag_values(Kind::Opportunity, deal).unwrap().is_empty());
    s.delete(Kind::Customer, c, None).unwrap();
    s.purge(Kind::Customer, c).unwrap();
    assert!(s.tag_values(Kind::Opportunity, deal).unwrap().is_empty());
    assert!(s.tag_values(Kind::Customer, c).unwrap().is_empty());
    let report = s.doctor().unwrap();
    let orphans = report
        .checks
        .iter()
        .find(|c| c.name == "orphan tags")
        .unwrap();
    assert!(orphans.problems.is_empty(), "{:?}", orphans.problems);
}
