//! Classification speed on a synthetic book from `dossier gen`.
//!
//! - `cascade/*`: one edit with its re-tag cascade (write, re-tag, commit)
//!   on a 100k-customer book that has been classified once.
//! - `sweep/*`: the sweep of that book when nothing changed: `unchanged
//!   book` and `dry run` are light sweeps (only what writes touched, what
//!   is due and what crosses a cut point), `full` evaluates every record.
//!   The 1M-customer daily sweep is measured with `dossier classify --json`
//!   on a copy of a classified `dossier gen --customers 1000000` book with
//!   `DOSSIER_NOW` set to the day after its last sweep (benches/README.md).
//!
//! `DOSSIER_BENCH_CUSTOMERS` changes the book size.
//!
//! Figures of 2026-11-23 (second session, tags stored one row per record):
//! cascade at 100k customers, criterion median at load ~5.6 from other
//! builds — edit customer 0.39 ms, edit touch sentiment 0.54 ms, edit won
//! deal (deal + customer + product) 0.89 ms (first session: 2.3–6.8 ms).
//! `time dossier classify` on the 1M book of `dossier gen --customers
//! 1000000` (674k deals, 1M touches), release, machine nearly idle (load
//! 1.4–2.5): the daily sweep (a new day, ~4,300 records change) 6.1 / 7.1 /
//! 5.6 / 6.0 / 5.5 s, median 6.0 s (an earlier build, same day: median
//! 5.2 s of six); the first classification of the untagged book (1.67M
//! records) 12.3 s, its tags taking 361 MB (first session: 828 s and +6.5 GB).

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use dossier::classify::RuleSet;
use dossier::domain::{Activity, ActivityKind, Clock, Kind, Sentiment};
use dossier::store::Store;
use std::hint::black_box;

fn book(dir: &std::path::Path) -> Store {
    let customers: u64 = std::env::var("DOSSIER_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let clock = Clock::at_date(NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date"));
    let mut store = Store::open_with_clock(&dir.join("bench.db"), clock).expect("open");
    store.set_rules(RuleSet::builtin()).expect("rules");
    dossier::sample::gen::generate(&mut store, customers, 42).expect("gen");
    store.sweep(false).expect("first sweep");
    store
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = book(dir.path());

    // A customer with a won deal that has a line item, so the cascade
    // reaches customer, deal and product.
    let won: i64 = store
        .conn()
        .query_row(
            "SELECT o.id FROM opportunities o JOIN line_items li ON li.opportunity_id = o.id
             WHERE o.stage = 'won' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a won deal");
    let customer = store.opportunity(won).expect("deal").customer_id;

    let mut g = c.benchmark_group("cascade");
    g.bench_function("edit customer", |b| {
        b.iter(|| {
            let mut c = store.customer(customer).expect("customer");
            c.notes = if c.notes.is_empty() {
                "x".into()
            } else {
                String::new()
            };
            black_box(store.update_customer(&c).expect("saved"))
        })
    });
    g.bench_function("edit won deal", |b| {
        b.iter(|| {
            let mut o = store.opportunity(won).expect("deal");
            o.probability = Some(if o.probability == Some(90) { 80 } else { 90 });
            black_box(store.update_opportunity(&o).expect("saved"))
        })
    });
    // One touch whose sentiment flips each time: the customer's feedback
    // follows it (adding touches instead would grow one customer's timeline
    // by thousands and measure that).
    let mut touch = store
        .add_activity(&Activity {
            kind: ActivityKind::Call,
            customer_id: Some(customer),
            date: NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date"),
            sentiment: Some(Sentiment::Negative),
            ..Default::default()
        })
        .expect("saved");
    g.bench_function("edit touch sentiment", |b| {
        b.iter(|| {
            touch.sentiment = Some(if touch.sentiment == Some(Sentiment::Negative) {
                Sentiment::Positive
            } else {
                Sentiment::Negative
            });
            touch = store.update_activity(&touch).expect("saved");
            black_box(&touch.changes);
        })
    });
    g.finish();
    let _ = store.delete(Kind::Activity, touch.meta.id, None);

    let mut g = c.benchmark_group("sweep");
    g.sample_size(10);
    g.bench_function("unchanged book", |b| {
        b.iter(|| black_box(store.sweep(false).expect("sweep")))
    });
    g.bench_function("dry run", |b| {
        b.iter(|| black_box(store.sweep(true).expect("sweep")))
    });
    // Every record evaluated (what a light sweep stands in for).
    g.bench_function("full", |b| {
        b.iter(|| black_box(store.sweep_full(false).expect("sweep")))
    });
    g.finish();
}

criterion_group!(classify, benches);
criterion_main!(classify);
