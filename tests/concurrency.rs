//! Two instances on one file: no crash, no lost update, a clear message
//! for the one that loses.

use dossier::domain::Customer;
use dossier::store::{Store, StoreError};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn dossier(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
    c.arg("--db")
        .arg(db)
        .env("DOSSIER_NOW", "2026-11-23")
        .env("DOSSIER_LOG_DIR", db.with_extension("logs"))
        .env_remove("DOSSIER_DB");
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn two_processes_editing_the_same_version_one_wins_one_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let added = dossier(&db)
        .args(["add", "customer", "--name", "Ann"])
        .output()
        .unwrap();
    assert!(added.status.success(), "{}", text(&added.stderr));
    let rounds = 15;
    for version in 1..=rounds {
        let spawn = |city: &str| {
            dossier(&db)
                .args(["edit", "customer", "1", "--if-version"])
                .arg(version.to_string())
                .args(["--city", city])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        // Started together, so they race for the same version.
        let (a, b) = (spawn("Shanghai"), spawn("Beijing"));
        let outs: Vec<Output> = [a, b]
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let won: Vec<&Output> = outs.iter().filter(|o| o.status.success()).collect();
        assert_eq!(won.len(), 1, "round {version}: exactly one edit wins");
        let lost = outs.iter().find(|o| !o.status.success()).unwrap();
        let err = text(&lost.stderr);
        assert!(
            err.contains("changed elsewhere") && err.contains("reload it"),
            "round {version}: the loser is told clearly: {err}"
        );
        for o in &outs {
            let err = text(&o.stderr).to_lowercase();
            assert!(
                !err.contains("locked") && !err.contains("busy") && !err.contains("panicked"),
                "round {version}: {err}"
            );
        }
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.customer(1).unwrap().meta.version, rounds + 1);
}

/// Two connections (as two instances would have) increment a counter kept
/// in a record, re-reading on every conflict: no increment is lost.
#[test]
fn concurrent_read_modify_write_loses_no_update() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let id = {
        let mut s = Store::open(&db).unwrap();
        s.add_customer(&Customer {
            notes: "0".into(),
            ..Customer::named("counter")
        })
        .unwrap()
        .meta
        .id
    };
    let per_writer = 40;
    let writers: Vec<_> = (0..2)
        .map(|_| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut s = Store::open(&db).unwrap();
                let mut conflicts = 0;
                for _ in 0..per_writer {
                    loop {
                        let mut c = s.customer(id).unwrap();
                        let n: i64 = c.notes.parse().unwrap();
                        c.notes = (n + 1).to_string();
                        match s.update_customer(&c) {
                            Ok(_) => break,
                            Err(StoreError::Conflict { .. }) => conflicts += 1,
                            Err(e) => panic!("a second writer must not cause {e:?}"),
                        }
                    }
                }
                conflicts
            })
        })
        .collect();
    let conflicts: i64 = writers.into_iter().map(|w| w.join().unwrap()).sum();
    let s = Store::open(&db).unwrap();
    let c = s.customer(id).unwrap();
    assert_eq!(c.notes, (2 * per_writer).to_string(), "an update was lost");
    assert_eq!(c.meta.version, 2 * per_writer + 1);
    eprintln!("{conflicts} conflicts detected and retried");
}
