//! Concurrent writers through the store, on both engines: every update
//! names the version it read, a stale one is a conflict that the writer
//! retries after reading again, and no update is lost.

mod pg_support;

use dossier::domain::{Clock, Customer};
use dossier::store::engine::EngineKind;
use dossier::store::{Store, StoreError};
use rstest::rstest;
use std::path::PathBuf;

const WRITERS: usize = 20;
const OPS: usize = 500;
const RECORDS: usize = 50;

fn clock() -> Clock {
    Clock::at_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
}

/// 20 writers × 500 version-checked updates through `Store::save`, spread
/// over fifty customers: each update adds one to a customer's size; at the
/// end the sizes add up to every update made.
#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn twenty_writers_through_the_store_lose_no_update(#[case] engine: EngineKind) {
    let dir = tempfile::tempdir().unwrap();
    let target: PathBuf = match engine {
        EngineKind::Sqlite => dir.path().join("book.db"),
        EngineKind::Postgres => {
            let Some(pg) = pg_support::server_or_skip() else {
                return;
            };
            PathBuf::from(pg_support::fresh_database(pg, "writers"))
        }
    };
    let mut s = Store::open_with_clock(&target, clock()).unwrap();
    let ids: Vec<i64> = (0..RECORDS)
        .map(|i| {
            let mut c = Customer::named(&format!("Shared {i}"));
            c.size = Some(0);
            s.add_customer(&c).unwrap().meta.id
        })
        .collect();
    drop(s);

    let conflicts: usize = std::thread::scope(|sc| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (target, ids) = (&target, &ids);
                sc.spawn(move || {
                    let mut s = Store::open_with_clock(target, clock()).unwrap();
                    let mut conflicts = 0;
                    for op in 0..OPS {
                        let id = ids[(w * 7 + op) % RECORDS];
                        loop {
                            let mut c = s.customer(id).unwrap();
                            c.size = Some(c.size.unwrap_or(0) + 1);
                            match s.save(&c) {
                                Ok(_) => break,
                                Err(StoreError::Conflict { .. } | StoreError::Busy) => {
                                    conflicts += 1
                                }
                                Err(e) => panic!("writer {w}, update {op}: {e}"),
                            }
                        }
                    }
                    conflicts
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });

    let s = Store::open_with_clock(&target, clock()).unwrap();
    let mut total: u64 = 0;
    for id in &ids {
        let c = s.customer(*id).unwrap();
        // Every save bumped the version once: version 1 plus its updates.
        assert_eq!(
            c.meta.version,
            i64::from(c.size.unwrap()) + 1,
            "customer {id}"
        );
        total += u64::from(c.size.unwrap());
    }
    assert_eq!(total as usize, WRITERS * OPS, "no update lost");
    eprintln!("{engine:?}: {conflicts} conflicts retried");
}
