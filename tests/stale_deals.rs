//! A deal is stale after days without movement (issue 18): only a touch, a
//! stage change or a new expected close date restarts the count — fixing
//! its title or notes does not.

use chrono::NaiveDate;
use dossier::classify::RuleSet;
use dossier::domain::{Activity, ActivityKind, Clock, Customer, Kind, Money, Opportunity, Stage};
use dossier::store::Store;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn stale(s: &Store, id: i64) -> bool {
    s.tag_values(Kind::Opportunity, id)
        .unwrap()
        .get("stale")
        .map(String::as_str)
        == Some("stale")
}

enum Edit {
    Title,
    Amount,
    Stage,
    CloseDate,
    Touch,
}

#[rstest::rstest]
#[case::a_title_fix_does_not_reset(Edit::Title, true)]
#[case::an_amount_fix_does_not_reset(Edit::Amount, true)]
#[case::a_stage_change_resets(Edit::Stage, false)]
#[case::a_new_close_date_resets(Edit::CloseDate, false)]
#[case::a_touch_resets(Edit::Touch, false)]
fn what_restarts_the_stale_count(#[case] edit: Edit, #[case] still_stale: bool) {
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(day("2026-03-01"))).unwrap();
    s.set_rules(RuleSet::builtin()).unwrap();
    let c = s.add_customer(&Customer::named("A")).unwrap().meta.id;
    let deal = s
        .add_opportunity(&Opportunity {
            customer_id: c,
            title: "Printers".into(),
            amount: Money::from_units(10_000),
            stage: Stage::Qualified,
            expected_close: Some(day("2026-06-30")),
            ..Default::default()
        })
        .unwrap();
    // 40 days later (stale after 30): the sweep marks it stale.
    s.set_clock(Clock::at_date(day("2026-04-10")));
    s.sweep(false).unwrap();
    assert!(stale(&s, deal.meta.id));
    let mut o = s.opportunity(deal.meta.id).unwrap();
    match edit {
        Edit::Title => o.title = "Printers for HQ".into(),
        Edit::Amount => o.amount = Money::from_units(12_000),
        Edit::Stage => o.stage = Stage::Negotiation,
        Edit::CloseDate => o.expected_close = Some(day("2026-07-31")),
        Edit::Touch => {
            s.add_activity(&Activity {
                kind: ActivityKind::Call,
                customer_id: Some(c),
                opportunity_id: Some(deal.meta.id),
                date: day("2026-04-10"),
                summary: "checked in".into(),
                ..Default::default()
            })
            .unwrap();
        }
    }
    if !matches!(edit, Edit::Touch) {
        s.update_opportunity(&o).unwrap();
    }
    assert_eq!(stale(&s, deal.meta.id), still_stale);
}
