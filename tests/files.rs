//! Files on disk: private modes (database, WAL, SHM, log, backup), damaged
//! files left untouched, disk full, backup and doctor.

use dossier::domain::Customer;
use dossier::store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dossier(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("DOSSIER_NOW", "2026-11-23")
        .env("DOSSIER_LOG_DIR", log_dir(db))
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_LOG")
        .output()
        .expect("run dossier")
}

fn log_dir(db: &Path) -> PathBuf {
    db.parent().unwrap().join("state/logs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

#[cfg(unix)]
#[test]
fn wal_and_shm_files_are_private_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data/book.db");
    let mut s = Store::open(&db).unwrap();
    s.add_customer(&Customer::named("Ann")).unwrap();
    // While the store is open, SQLite keeps the write-ahead log and the
    // shared-memory index beside the database.
    let wal = sidecar(&db, "-wal");
    let shm = sidecar(&db, "-shm");
    assert!(wal.exists() && shm.exists());
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&wal), 0o600, "WAL file");
    assert_eq!(mode(&shm), 0o600, "SHM file");
    assert_eq!(mode(db.parent().unwrap()), 0o700);
}

/// Overwrites one page in the middle of the file with garbage.
fn damage(path: &Path) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    let len = f.metadata().unwrap().len();
    assert!(len > 4 * 4096, "a file of several pages");
    f.seek(SeekFrom::Start(len / 2 / 4096 * 4096)).unwrap();
    f.write_all(&[0xA5; 4096]).unwrap();
}

fn book_with_customers(db: &Path, n: usize) {
    let mut s = Store::open(db).unwrap();
    for i in 0..n {
        s.add_customer(&Customer {
            notes: "some notes to fill pages ".repeat(40),
            ..Customer::named(&format!("customer {i}"))
        })
        .unwrap();
    }
}

#[test]
fn a_damaged_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    book_with_customers(&db, 60);
    damage(&db);
    let before = std::fs::read(&db).unwrap();
    let err = Store::open(&db).err().expect("a damaged file is refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("left untouched"), "{err}");
    // The command line says so too, and so does doctor, with a failing exit.
    for args in [&["list", "customers"][..], &["doctor"]] {
        let out = dossier(&db, args);
        assert!(!out.status.success(), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("damaged") && err.contains("left untouched"),
            "{err}"
        );
    }
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the file was changed"
    );
}

#[test]
fn disk_full_is_a_clear_error_and_loses_nothing_committed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let mut s = Store::open(&db).unwrap();
    let first = s.add_customer(&Customer::named("Ann")).unwrap();
    // A database that may not grow: the same SQLITE_FULL a full disk gives.
    let pages: i64 = s
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    s.conn()
        .query_row(
            &format!("PRAGMA max_page_count = {}", pages + 2),
            [],
            |_| Ok(()),
        )
        .unwrap();
    let mut saved = vec![first.meta.id];
    let err = loop {
        let c = Customer {
            notes: "x".repeat(19_000),
            ..Customer::named("Bo")
        };
        match s.add_customer(&c) {
            Ok(c) => saved.push(c.meta.id),
            Err(e) => break e,
        }
        assert!(saved.len() < 100, "the limit never hit");
    };
    assert!(matches!(err, StoreError::DiskFull), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("disk is full") && msg.contains("nothing was saved"),
        "{msg}"
    );
    // An edit of an existing record fails the same way and leaves it as it was.
    let mut ann = s.customer(first.meta.id).unwrap();
    ann.notes = "y".repeat(19_000);
    assert!(matches!(s.update_customer(&ann), Err(StoreError::DiskFull)));
    drop(s);
    let mut s = Store::open(&db).unwrap();
    assert_eq!(s.counts().unwrap().customers as usize, saved.len());
    let ann = s.customer(first.meta.id).unwrap();
    assert_eq!((ann.meta.version, ann.notes.as_str()), (1, ""));
    assert!(s.doctor().unwrap().is_healthy());
}

#[test]
fn backup_command_writes_a_private_checked_copy_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    book_with_customers(&db, 3);
    let copy = dir.path().join("copies/monday.db");
    std::fs::create_dir(copy.parent().unwrap()).unwrap();
    let out = dossier(&db, &["backup", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("checked"));
    #[cfg(unix)]
    assert_eq!(mode(&copy), 0o600);
    let s = Store::open(&copy).unwrap();
    assert_eq!(s.counts().unwrap().customers, 3);
    drop(s);
    let before = std::fs::read(&copy).unwrap();
    let out = dossier(&db, &["backup", copy.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("already exists"));
    assert!(std::fs::read(&copy).unwrap() == before);
}

#[test]
fn backup_while_another_instance_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let mut writer = Store::open(&db).unwrap();
    writer.add_customer(&Customer::named("Ann")).unwrap();
    let reader = Store::open(&db).unwrap();
    let copy = dir.path().join("copy.db");
    reader.backup_to(&copy).unwrap();
    writer.add_customer(&Customer::named("Bo")).unwrap();
    assert_eq!(Store::open(&copy).unwrap().counts().unwrap().customers, 1);
}

#[test]
fn doctor_passes_a_healthy_book_and_names_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let ok = dossier(&db, &["demo"]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let out = dossier(&db, &["doctor"]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(!text(&out.stdout).contains("FAIL"));
    {
        // Damage the book the way a bug or another tool could.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "INSERT INTO tag_sets VALUES ('customer', 99999, char(10) || 'value=high' || char(10));
             UPDATE opportunities SET amount = amount + 1
               WHERE id = (SELECT opportunity_id FROM line_items LIMIT 1);
             PRAGMA foreign_keys = OFF;
             INSERT INTO activities (created_at, updated_at, kind, customer_id, date)
               VALUES ('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'call', 88888, '2026-01-01');",
        )
        .unwrap();
    }
    let out = dossier(&db, &["doctor"]);
    assert!(!out.status.success());
    let report = text(&out.stdout);
    assert!(report.contains("ok    integrity"), "{report}");
    assert!(
        report.contains("tags of customer 99999, which does not exist"),
        "{report}"
    );
    assert!(report.contains("but its lines add up to"), "{report}");
    assert!(report.contains("activities row"), "{report}");
    assert!(text(&out.stderr).contains("problems found"));
    let out = dossier(&db, &["doctor", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["checks"][0]["name"], "integrity");
}

const SECRET_NAME: &str = "Zebulon Quux";
const SECRET_EMAIL: &str = "zq@secret.example";
const SECRET_PHONE: &str = "139 8765 4321";

#[test]
fn the_log_is_private_and_holds_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let out = dossier(
        &db,
        &[
            "add",
            "customer",
            "--name",
            SECRET_NAME,
            "--email",
            SECRET_EMAIL,
            "--phone",
            SECRET_PHONE,
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A refused edit quotes what was typed on screen, never in the log.
    let out = dossier(
        &db,
        &["edit", "customer", "1", "--email", "Zebulon-at-home"],
    );
    assert!(!out.status.success());
    let log = log_dir(&db).join("dossier.log");
    #[cfg(unix)]
    {
        assert_eq!(mode(&log), 0o600);
        assert_eq!(mode(log.parent().unwrap()), 0o700);
    }
    let content = std::fs::read_to_string(&log).unwrap();
    assert!(content.contains("command=\"add\""), "{content}");
    for secret in [SECRET_NAME, "Zebulon", SECRET_EMAIL, SECRET_PHONE] {
        assert!(
            !content.contains(secret),
            "the log holds {secret}: {content}"
        );
    }
}

#[test]
fn a_panic_shows_its_message_and_the_log_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let out = dossier(&db, &["__panic"]);
    assert_eq!(out.status.code(), Some(101));
    let err = text(&out.stderr);
    let log = log_dir(&db).join("dossier.log");
    assert!(err.contains("stopped because of a bug"), "{err}");
    assert!(err.contains("a test panic"), "{err}");
    assert!(err.contains(&log.display().to_string()), "{err}");
    let content = std::fs::read_to_string(&log).unwrap();
    assert!(content.contains("panic: a test panic"), "{content}");
}

/// A book past FULL_CHECK_AT_OPEN_MAX, written quickly with plain SQL.
fn big_book(db: &Path) {
    drop(Store::open(db).unwrap());
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9000)
         INSERT INTO customers (created_at, updated_at, name, notes)
         SELECT '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'c' || i, printf('%.4000c', 'n') FROM n;",
    )
    .unwrap();
    drop(conn);
    let size = std::fs::metadata(db).unwrap().len();
    assert!(size > dossier::store::FULL_CHECK_AT_OPEN_MAX, "{size}");
}

#[test]
fn a_big_book_is_checked_cheaply_at_open_and_fully_on_demand() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    big_book(&db);
    let s = Store::open(&db).unwrap();
    s.quick_check().unwrap();
    drop(s);
    damage(&db);
    let before = std::fs::read(&db).unwrap();
    // Start-up does not read every page of a big book…
    let s = Store::open(&db).expect("a big book opens without the page-by-page check");
    // …the full check (run in the background by the terminal UI) finds it…
    let err = s.quick_check().expect_err("damage found");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    drop(s);
    // …and so does doctor, with a failing exit.
    let out = dossier(&db, &["doctor"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stdout).contains("FAIL  integrity"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the file was changed"
    );
    // A damaged header is refused at open, big or not.
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
        f.seek(SeekFrom::Start(0)).unwrap();
        f.write_all(b"definitely not sqlite").unwrap();
    }
    let err = Store::open(&db).err().expect("refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
}

#[test]
fn a_big_log_is_rotated_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let logs = log_dir(&db);
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(logs.join("dossier.log"), vec![b'x'; 9 << 20]).unwrap();
    let out = dossier(&db, &["list", "customers"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let old = std::fs::metadata(logs.join("dossier.log.1")).unwrap().len();
    let new = std::fs::metadata(logs.join("dossier.log")).unwrap().len();
    assert_eq!(old, 9 << 20);
    assert!(new < 4096, "{new}");
}
