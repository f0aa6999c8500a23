//! Issue 13: an import of more than 20,000 rows (whole batches committed,
//! the book classified by one sweep at the end) killed with SIGKILL at
//! random points leaves a consistent book: whole batches only; any customer
//! without tags means the book is marked for a sweep (so the next start
//! tags it) and `doctor` fails; re-running the import completes it without
//! duplicates and every customer carries its tags.
//!
//! `DOSSIER_IMPORT_KILLS=N` runs N kills instead of the default 4.

use rusqlite::Connection;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

const ROWS: usize = 25_000;
/// Customers are committed in batches of this many rows (store::BATCH_ROWS).
const BATCH: usize = dossier::store::BATCH_ROWS;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn command(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
    c.arg("--db")
        .arg(db)
        .args(args)
        .env("DOSSIER_NOW", "2026-11-23")
        .env("DOSSIER_LOG_DIR", db.with_extension("logs"))
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_LOG");
    c
}

fn dossier(db: &Path, args: &[&str]) -> Output {
    command(db, args).output().expect("run dossier")
}

fn write_csv(path: &Path) {
    let cities = ["上海", "北京", "广州", "深圳", "杭州"];
    let mut s = String::from("name,email,city,source\n");
    for i in 0..ROWS {
        s.push_str(&format!(
            "Person {i},p{i}@example.com,{},exhibition\n",
            cities[i % cities.len()]
        ));
    }
    std::fs::write(path, s).unwrap();
}

/// (customers, customers without a tag set) read straight from the file.
fn census(db: &Path) -> (usize, usize) {
    let c = Connection::open(db).unwrap();
    c.query_row(
        "SELECT count(*), (SELECT count(*) FROM customers r WHERE NOT EXISTS
            (SELECT 1 FROM tag_sets s WHERE s.record_kind = 'customer' AND s.record_id = r.id))
         FROM customers",
        [],
        |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize)),
    )
    .unwrap()
}

fn integrity_ok(db: &Path) -> bool {
    let c = Connection::open(db).unwrap();
    let r: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    r == "ok"
}

/// The book is set up the way that lost tags before: one customer, today's
/// sweep already run.
fn seeded_book(db: &Path) {
    assert!(dossier(db, &["add", "customer", "--name", "Seed"])
        .status
        .success());
    assert!(dossier(db, &["classify"]).status.success());
}

#[cfg(unix)]
#[test]
fn an_import_killed_at_random_points_leaves_whole_batches_with_their_tags() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("big.csv");
    write_csv(&csv);
    let csv = csv.to_str().unwrap().to_string();

    // One uninterrupted run, to spread the kills over its whole length.
    let reference = dir.path().join("reference.db");
    seeded_book(&reference);
    let started = Instant::now();
    let out = dossier(&reference, &["import", &csv]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full = started.elapsed();
    assert_eq!(census(&reference), (ROWS + 1, 0));

    let kills: usize = std::env::var("DOSSIER_IMPORT_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut batches_seen, mut untagged_states) = (0, 0);
    for i in 0..kills {
        let db = dir.path().join(format!("book-{i}.db"));
        seeded_book(&db);
        let mut child = command(&db, &["import", &csv])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Anywhere from start-up to just past the usual end, one kill in
        // each slice of that span so a few kills cover every stage.
        let slice = (i as f64 + rng.below(1_000) as f64 / 1_000.0) / kills as f64;
        let wait = full.mul_f64(1.1 * slice);
        std::thread::sleep(wait);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert!(integrity_ok(&db), "kill {i}: integrity_check failed");
        let (customers, untagged) = census(&db);
        // Whole batches only, never a partial one.
        let imported = customers - 1;
        assert!(
            imported % BATCH == 0 || imported == ROWS,
            "kill {i} after {wait:?}: {imported} customers is not whole batches"
        );
        batches_seen += imported.div_ceil(BATCH);
        if untagged > 0 {
            untagged_states += 1;
            // The book knows it needs a sweep, and doctor says so.
            let out = dossier(&db, &["doctor"]);
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                !out.status.success() && text.contains("has no tags"),
                "kill {i} after {wait:?}: {untagged} untagged customers but doctor passed:\n{text}"
            );
            // Listing by tag refreshes first: the sweep tags them all.
            let out = dossier(
                &db,
                &["list", "customers", "--tag", "source=exhibition", "--json"],
            );
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                census(&db).1,
                0,
                "kill {i}: the refresh left customers untagged"
            );
        }
        // Re-running completes the import without duplicates.
        let out = dossier(&db, &["import", &csv]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            census(&db),
            (ROWS + 1, 0),
            "kill {i}: records lost or duplicated"
        );
        if i + 1 == kills {
            // Once (it takes a while in a debug build): doctor and the tag
            // list agree with the completed import.
            let out = dossier(&db, &["doctor"]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stdout)
            );
            let out = dossier(
                &db,
                &[
                    "list",
                    "customers",
                    "--tag",
                    "source=exhibition",
                    "--json",
                    "--limit",
                    "100000",
                ],
            );
            assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), ROWS);
        }
        std::fs::remove_dir_all(db.with_extension("logs")).ok();
        for suffix in ["", "-wal", "-shm"] {
            std::fs::remove_file(format!("{}{suffix}", db.display())).ok();
        }
    }
    eprintln!(
        "{kills} kills, {batches_seen} committed batches checked, {untagged_states} states with untagged customers re-swept, 0 records lost (full run {full:?})"
    );
}
