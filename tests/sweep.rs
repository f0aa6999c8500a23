//! The sweep on a real SQLite: time-driven tags, dry runs, and agreement
//! with the per-record cascade.

use chrono::NaiveDate;
use dossier::classify::RuleSet;
use dossier::domain::{
    Activity, ActivityKind, Campaign, Clock, Customer, Kind, LineItem, Money, Opportunity, Product,
    Sentiment, Stage,
};
use dossier::store::{Store, SweepReport};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn tag(s: &Store, kind: Kind, id: i64, dim: &str) -> Option<String> {
    s.tags(kind, id)
        .unwrap()
        .into_iter()
        .find(|t| t.dimension == dim)
        .map(|t| t.value)
}

fn moved(r: &SweepReport, dim: &str, value: &str) -> (usize, usize) {
    r.moves
        .iter()
        .find(|m| m.dimension == dim && m.value == value)
        .map_or((0, 0), |m| (m.gained, m.lost))
}

/// A small book: customers with and without purchases, touches, a
/// product, a campaign.
fn book() -> (Store, Vec<i64>) {
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(day("2026-06-01"))).unwrap();
    s.set_rules(RuleSet::builtin()).unwrap();
    let p = s.add_product(&Product::named("Widget")).unwrap().meta.id;
    let camp = s
        .add_activity(&Activity {
            kind: ActivityKind::Campaign,
            date: day("2026-01-10"),
            summary: "Expo".into(),
            campaign: Some(Campaign {
                cost: Money::from_units(1_000),
                ..Default::default()
            }),
            ..Default::default()
        })
        .unwrap()
        .meta
        .id;
    let mut ids = Vec::new();
    for i in 0..12i64 {
        let mut c = Customer::named(&format!("C{i}"));
        c.country = if i % 4 == 0 {
            "Japan".into()
        } else {
            "China".into()
        };
        c.size = Some((i * 150) as u32);
        let c = s.add_customer(&c).unwrap().meta.id;
        ids.push(c);
        for k in 0..(i % 4) {
            s.add_opportunity(&Opportunity {
                customer_id: c,
                title: format!("D{i}-{k}"),
                stage: Stage::Won,
                closed_on: Some(day("2026-05-01") - chrono::Days::new((k * 40) as u64)),
                campaign_id: (k == 0).then_some(camp),
                items: vec![LineItem {
                    product_id: p,
                    quantity: 10 * (i + 1),
                    unit_price: Money::from_units(100 * (i + 1)),
                }],
                ..Default::default()
            })
            .unwrap();
        }
        s.add_opportunity(&Opportunity {
            customer_id: c,
            title: format!("Open {i}"),
            amount: Money::from_units(60_000),
            expected_close: Some(day("2026-06-05")),
            competitors: vec!["X".into(); (i % 4) as usize],
            ..Default::default()
        })
        .unwrap();
        if i % 3 == 0 {
            s.add_activity(&Activity {
                kind: ActivityKind::Call,
                customer_id: Some(c),
                date: day("2026-05-25"),
                sentiment: Some(Sentiment::Positive),
                next_follow_up: Some(day("2026-06-10")),
                ..Default::default()
            })
            .unwrap();
        }
    }
    (s, ids)
}

#[test]
fn a_second_sweep_changes_nothing_and_agrees_with_the_cascade() {
    let (mut s, ids) = book();
    let first = s.sweep(false).unwrap();
    assert_eq!(first.evaluated["customer"], 12);
    // Saves kept the cut points current (a small book), so the sweep finds
    // every tier already right.
    assert_eq!(first.changed, 0, "{:?}", first.moves);
    let second = s.sweep(false).unwrap();
    assert_eq!(second.changed, 0, "{:?}", second.moves);
    assert!(second.moves.is_empty());

    // The per-record cascade sees the same facts as the set-based sweep.
    let mut changes = Vec::new();
    for id in &ids {
        let c = s.customer(*id).unwrap();
        changes.extend(s.update_customer(&c).unwrap().changes);
    }
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn time_moves_tags_and_dry_run_writes_nothing() {
    let (mut s, ids) = book();
    s.sweep(false).unwrap();
    let with_purchases = ids[1];
    assert_eq!(
        tag(&s, Kind::Customer, with_purchases, "lifecycle").as_deref(),
        Some("new")
    );
    assert_eq!(
        tag(&s, Kind::Customer, ids[0], "follow_up").as_deref(),
        Some("planned")
    );
    let history = s.tag_history(Kind::Customer, with_purchases).unwrap().len();

    // Two years on: buyers churn, follow-ups are overdue, deals urgent.
    s.set_clock(Clock::at_date(day("2028-06-01")));
    let dry = s.sweep(true).unwrap();
    assert!(dry.dry_run);
    let (gained, _) = moved(&dry, "lifecycle", "churned");
    assert_eq!(gained, 9, "{:?}", dry.moves);
    let (_, lost) = moved(&dry, "lifecycle", "new");
    assert_eq!(lost, 6); // the other three buyers were stable
    assert_eq!(moved(&dry, "follow_up", "overdue").0, 4);
    // Nothing written.
    assert_eq!(
        tag(&s, Kind::Customer, with_purchases, "lifecycle").as_deref(),
        Some("new")
    );
    assert_eq!(
        s.tag_history(Kind::Customer, with_purchases).unwrap().len(),
        history
    );
    let again = s.sweep(true).unwrap();
    assert_eq!(again.moves, dry.moves);

    let done = s.sweep(false).unwrap();
    assert_eq!(done.moves, dry.moves);
    assert_eq!(
        tag(&s, Kind::Customer, with_purchases, "lifecycle").as_deref(),
        Some("churned")
    );
    let h = s.tag_history(Kind::Customer, with_purchases).unwrap();
    let last = h.iter().rfind(|e| e.dimension == "lifecycle").unwrap();
    assert_eq!(last.old.as_deref(), Some("new"));
    assert!(last.reason.contains("No purchase for"), "{}", last.reason);
    assert!(s.sweep(false).unwrap().moves.is_empty());
}

#[test]
fn dry_run_with_other_rules_shows_what_would_move() {
    let (mut s, _) = book();
    s.sweep(false).unwrap();
    let before = s.sweep(true).unwrap();
    assert!(before.moves.is_empty());
    let mine = RuleSet::from_texts(&[
        ("built-in", dossier::classify::rules::BUILTIN_RULES),
        ("mine.toml", "[settings]\nsize_large = 1\nsize_medium = 0\n"),
    ])
    .unwrap();
    let r = s.sweep_with(&mine, true).unwrap();
    let (gained, _) = moved(&r, "size", "large");
    assert!(gained > 0, "{:?}", r.moves);
    // Still the built-in tags on disk.
    assert!(s.sweep(true).unwrap().moves.is_empty());
}

#[test]
fn deals_of_a_trashed_customer_keep_their_tags_in_sweep_and_cascade() {
    let (mut s, ids) = book();
    s.sweep(false).unwrap();
    let c = ids[5];
    let deal = s.opportunities_of_customer(c).unwrap()[0].meta.id;
    let before = s.tag_values(Kind::Opportunity, deal).unwrap();
    assert!(!before.is_empty());
    s.delete(Kind::Customer, c, None).unwrap();
    s.sweep(false).unwrap();
    assert_eq!(s.tag_values(Kind::Opportunity, deal).unwrap(), before);
    let kept = s.tags(Kind::Opportunity, deal).unwrap();
    assert!(
        kept.iter().all(|t| t.reason.contains("in the trash")),
        "{kept:?}"
    );
    assert_eq!(s.sweep(false).unwrap().changed, 0);
    s.restore(Kind::Customer, c).unwrap();
    assert_eq!(s.sweep(false).unwrap().changed, 0);
}
