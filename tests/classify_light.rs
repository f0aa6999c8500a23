//! The light daily sweep against the full one: two copies of one book get
//! the same writes day after day (touches with follow-ups, won and lost
//! deals, follow-ups done, edits, trash and restore); one is swept as
//! dossier sweeps (light whenever it can), the other fully. Their tags and
//! tag history must be identical on every day. A due day computed one day
//! late leaves a follow-up `planned` on the day it is `due_today` (or a
//! deal not yet `urgent`), and this test fails.

use chrono::{Days, NaiveDate};
use dossier::classify::RuleSet;
use dossier::domain::{Activity, ActivityKind, Clock, Kind, Money, Opportunity, Sentiment, Stage};
use dossier::store::Store;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick(&mut self, ids: &[i64]) -> Option<i64> {
        (!ids.is_empty()).then(|| ids[self.below(ids.len() as u64) as usize])
    }
}

fn ids(s: &Store, sql: &str) -> Vec<i64> {
    let conn = s.conn().sqlite().expect("sqlite");
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn rows(s: &Store, sql: &str) -> Vec<String> {
    let conn = s.conn().sqlite().expect("sqlite");
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        let mut line = String::new();
        for i in 0..n {
            let v: rusqlite::types::Value = r.get(i)?;
            line.push_str(&format!("{v:?}|"));
        }
        Ok(line)
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn tag_sets(s: &Store) -> Vec<String> {
    rows(
        s,
        "SELECT record_kind, record_id, tags FROM tag_sets ORDER BY record_kind, record_id",
    )
}

fn history(s: &Store) -> Vec<String> {
    rows(
        s,
        "SELECT at, record_kind, record_id, dimension, old_value, new_value, reason
         FROM tag_history ORDER BY 1, 2, 3, 4, 5, 6, 7",
    )
}

/// One day's writes, the same on both books.
fn writes(s: &mut Store, rng: &mut Rng, today: NaiveDate, n: usize) {
    let customers = ids(
        s,
        "SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY id",
    );
    let open_deals = ids(
        s,
        "SELECT id FROM opportunities WHERE deleted_at IS NULL AND stage NOT IN ('won', 'lost')
         AND customer_id IN (SELECT id FROM customers WHERE deleted_at IS NULL) ORDER BY id",
    );
    let reminders = ids(
        s,
        "SELECT id FROM activities WHERE deleted_at IS NULL AND next_follow_up IS NOT NULL
         AND follow_up_done_on IS NULL AND kind != 'campaign'
         AND customer_id IN (SELECT id FROM customers WHERE deleted_at IS NULL) ORDER BY id",
    );
    let trashed = ids(
        s,
        "SELECT id FROM customers WHERE deleted_at IS NOT NULL ORDER BY id",
    );
    let day = |offset: i64| -> NaiveDate {
        if offset >= 0 {
            today + Days::new(offset as u64)
        } else {
            today - Days::new((-offset) as u64)
        }
    };
    for _ in 0..n {
        let Some(c) = rng.pick(&customers) else {
            return;
        };
        match rng.below(100) {
            // A touch, often with a follow-up a few days ahead (or behind).
            0..=34 => {
                let kind = match rng.below(4) {
                    0 => ActivityKind::Note,
                    1 => ActivityKind::Visit,
                    _ => ActivityKind::Call,
                };
                let sentiment = match rng.below(4) {
                    0 => Some(Sentiment::Positive),
                    1 => Some(Sentiment::Negative),
                    2 => Some(Sentiment::Neutral),
                    _ => None,
                };
                let date = day(-(rng.below(3) as i64));
                let follow = (rng.below(3) > 0).then(|| date + Days::new(rng.below(12)));
                let deal = if rng.below(3) == 0 {
                    rng.pick(&open_deals)
                        .filter(|d| s.opportunity(*d).is_ok_and(|o| o.customer_id == c))
                } else {
                    None
                };
                s.add_activity(&Activity {
                    kind,
                    customer_id: Some(c),
                    opportunity_id: deal,
                    date,
                    summary: "touch".into(),
                    sentiment,
                    next_follow_up: follow,
                    ..Default::default()
                })
                .unwrap();
            }
            // A purchase, closed today or a few days ago.
            35..=49 => {
                s.add_opportunity(&Opportunity {
                    customer_id: c,
                    title: "order".into(),
                    amount: Money::from_units(1_000 + rng.below(400_000) as i64),
                    stage: Stage::Won,
                    closed_on: Some(day(-(rng.below(4) as i64))),
                    ..Default::default()
                })
                .unwrap();
            }
            // A new open deal closing soon, with a next step.
            50..=57 => {
                s.add_opportunity(&Opportunity {
                    customer_id: c,
                    title: "lead".into(),
                    amount: Money::from_units(500 + rng.below(50_000) as i64),
                    stage: Stage::Qualified,
                    expected_close: Some(day(rng.below(40) as i64 - 5)),
                    next_step_date: (rng.below(2) == 0).then(|| day(rng.below(10) as i64)),
                    ..Default::default()
                })
                .unwrap();
            }
            // An open deal won, lost or moved.
            58..=71 => {
                let Some(d) = rng.pick(&open_deals) else {
                    continue;
                };
                let mut o = s.opportunity(d).unwrap();
                match rng.below(3) {
                    0 => o.stage = Stage::Won,
                    1 => o.stage = Stage::Lost,
                    _ => o.expected_close = Some(day(rng.below(30) as i64)),
                }
                let _ = s.update_opportunity(&o);
            }
            // A reminder done.
            72..=81 => {
                if let Some(a) = rng.pick(&reminders) {
                    let _ = s.mark_follow_up_done(a);
                }
            }
            // An edit of the customer (industry: its deals carry it).
            82..=89 => {
                let mut cu = s.customer(c).unwrap();
                cu.industry = ["Retail", "Manufacturing", "Software", "Logistics"]
                    [rng.below(4) as usize]
                    .into();
                s.update_customer(&cu).unwrap();
            }
            // The trash and back.
            90..=93 => {
                s.delete(Kind::Customer, c, None).unwrap();
            }
            94..=96 => {
                if let Some(t) = rng.pick(&trashed) {
                    s.restore(Kind::Customer, t).unwrap();
                }
            }
            // A new customer.
            _ => {
                let mut cu = dossier::domain::Customer::named("New one");
                cu.industry = "Retail".into();
                s.add_customer(&cu).unwrap();
            }
        }
    }
}

fn book(start: NaiveDate, customers: u64, rules: &RuleSet) -> Store {
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(start)).unwrap();
    s.set_rules(rules.clone()).unwrap();
    dossier::sample::gen::generate(&mut s, customers, 11).unwrap();
    s
}

/// Runs the light sweep (on one book) and the full sweep (on its twin)
/// for `days` simulated days of random writes, asserting the same tags,
/// history, moves and counts every day.
fn light_and_full_agree(rules: &RuleSet, days: u64) {
    let start = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    // Over 2,000 customers: the cascade leaves the cut points to the sweep
    // (a smaller book moves them on every purchase, and the light sweep
    // then steps aside).
    let mut light = book(start, 2_300, rules);
    let mut full = book(start, 2_300, rules);
    light.sweep(false).unwrap();
    full.sweep_full(false).unwrap();
    assert_eq!(tag_sets(&light), tag_sets(&full));

    let mut rng_light = Rng(0x9e37_79b9_7f4a_7c15);
    let mut rng_full = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut sweeps, mut light_days, mut skipped_total, mut changed_total) = (0, 0, 0usize, 0usize);
    for d in 1..=days {
        let today = start + Days::new(d);
        light.set_clock(Clock::at_date(today));
        full.set_clock(Clock::at_date(today));
        // Some writes come before the day's sweep, some after it.
        let n = 6 + (d % 5) as usize * 3;
        writes(&mut light, &mut rng_light, today, n / 2);
        writes(&mut full, &mut rng_full, today, n / 2);
        // Some days nobody opens the book: no sweep.
        if d % 9 != 4 {
            sweeps += 1;
            let dry = light.sweep(true).unwrap();
            let report = light.sweep(false).unwrap();
            let reference = full.sweep_full(false).unwrap();
            assert_eq!(report.changed, reference.changed, "day {today}");
            assert_eq!(report.moves, reference.moves, "day {today}");
            assert_eq!(dry.changed, reference.changed, "dry run, day {today}");
            assert_eq!(dry.moves, reference.moves, "dry run, day {today}");
            if !report.skipped.is_empty() {
                light_days += 1;
                skipped_total += report.skipped.values().sum::<usize>();
            }
            changed_total += reference.changed;
            // Every record the full sweep evaluates is evaluated or left
            // as it was, counted once.
            for (kind, n) in &reference.evaluated {
                let seen = report.evaluated.get(kind).copied().unwrap_or(0)
                    + report.skipped.get(kind).copied().unwrap_or(0);
                assert_eq!(seen, *n, "day {today}: {kind}");
            }
        }
        assert_eq!(tag_sets(&light), tag_sets(&full), "tags, day {today}");
        assert_eq!(history(&light), history(&full), "history, day {today}");
        writes(&mut light, &mut rng_light, today, n - n / 2);
        writes(&mut full, &mut rng_full, today, n - n / 2);
    }
    // The light sweep did run (and skipped most of the book), and the days
    // did change tags.
    assert!(
        light_days * 4 >= sweeps * 3,
        "light sweeps: {light_days} of {sweeps}"
    );
    assert!(
        skipped_total > light_days * 1_000,
        "skipped {skipped_total}"
    );
    assert!(changed_total > 50, "changed {changed_total}");
}

#[test]
fn light_and_full_sweeps_agree_day_after_day() {
    light_and_full_agree(&RuleSet::builtin(), 45);
}

/// Percentiles of open and lost deals: the light sweep reads every live
/// deal's figures for the cut points, not only the won ones'.
const OPEN_AND_LOST: &str = r#"
[customer.pipeline]
label = { en = "pipeline", zh = "在谈" }
values = { busy = { zh = "多" }, losing = { zh = "常丢" }, quiet = { zh = "少" } }
default = "quiet"
rules = [
  { value = "busy", when = [{ fact = "open_deals", op = ">=", percentile = 80 }],
    say = { en = "{open_deals} open deals", zh = "{open_deals} 个在谈" } },
  { value = "losing", when = [{ fact = "lost_deals_12m", op = ">=", percentile = 60 }],
    say = { en = "{lost_deals_12m} deals lost", zh = "丢单 {lost_deals_12m}" } },
]
"#;

#[test]
fn light_and_full_sweeps_agree_with_percentiles_of_open_and_lost_deals() {
    let rules = RuleSet::from_texts(&[
        ("built-in rules.toml", include_str!("../assets/rules.toml")),
        ("rules.toml", OPEN_AND_LOST),
    ])
    .unwrap();
    light_and_full_agree(&rules, 20);
}
