//! Issue 13, "no command can destroy a book": output files (export, backup)
//! never hit the book, its sidecars, a link or an existing file; `--db`
//! never creates a book through a dangling link.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dossier(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("DOSSIER_NOW", "2026-11-23")
        .env("DOSSIER_LOG_DIR", db.parent().unwrap().join("logs"))
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_LOG")
        .output()
        .expect("run dossier")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn book(dir: &Path) -> PathBuf {
    let db = dir.join("book.db");
    for name in ["Ann", "Bo", "Cy"] {
        let out = dossier(&db, &["add", "customer", "--name", name]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    db
}

fn customers(db: &Path) -> usize {
    let out = dossier(db, &["list", "customers", "--json", "--limit", "1000"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).lines().count()
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Files in `dir` whose names start with a dot (our temporary files).
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn export_and_backup_never_write_the_open_book_or_its_sidecars() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    for target in [db.clone(), sidecar(&db, "-wal"), sidecar(&db, "-shm")] {
        let t = target.to_str().unwrap();
        for args in [
            vec!["export", "--format", "csv", "-o", t, "--force"],
            vec!["export", "--format", "json", "-o", t],
            vec!["backup", t, "--force"],
        ] {
            let out = dossier(&db, &args);
            assert!(!out.status.success(), "{args:?} was allowed");
            assert!(
                text(&out.stderr).contains("is the open book"),
                "{args:?}: {}",
                text(&out.stderr)
            );
            assert_eq!(customers(&db), 3, "{args:?} damaged the book");
        }
    }
    // The same book named another way (through the folder's "..").
    let other = dir.path().join("sub");
    std::fs::create_dir(&other).unwrap();
    let roundabout = other.join("../book.db");
    let out = dossier(
        &db,
        &["export", "-o", roundabout.to_str().unwrap(), "--force"],
    );
    assert!(!out.status.success());
    assert_eq!(customers(&db), 3);
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[cfg(unix)]
#[test]
fn output_files_never_follow_links_and_never_replace_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    let precious = dir.path().join("passwd-copy");
    std::fs::write(&precious, b"root:x:0:0\n").unwrap();
    let link = dir.path().join("out.csv");
    std::os::unix::fs::symlink(&precious, &link).unwrap();
    let dangling = dir.path().join("dangling.db");
    std::os::unix::fs::symlink(dir.path().join("nowhere.db"), &dangling).unwrap();
    for args in [
        vec!["export", "-o", link.to_str().unwrap(), "--force"],
        vec!["backup", link.to_str().unwrap(), "--force"],
        vec!["backup", dangling.to_str().unwrap()],
    ] {
        let out = dossier(&db, &args);
        assert!(!out.status.success(), "{args:?} was allowed");
        assert!(
            text(&out.stderr).contains("symbolic link"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    assert_eq!(std::fs::read(&precious).unwrap(), b"root:x:0:0\n");
    assert!(!dir.path().join("nowhere.db").exists());

    // An existing file: refused, then replaced with --force; private either way.
    let plain = dir.path().join("plain.csv");
    std::fs::write(&plain, b"keep me").unwrap();
    let out = dossier(&db, &["export", "-o", plain.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("already exists"));
    assert!(text(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read(&plain).unwrap(), b"keep me");
    let out = dossier(&db, &["export", "-o", plain.to_str().unwrap(), "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&std::fs::read(&plain).unwrap()).contains("Ann"));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&plain).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let copy = dir.path().join("copy.db");
    assert!(dossier(&db, &["backup", copy.to_str().unwrap()])
        .status
        .success());
    let out = dossier(&db, &["backup", copy.to_str().unwrap(), "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[cfg(unix)]
#[test]
fn a_failed_export_leaves_no_file_and_says_the_disk_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    let csv = dir.path().join("many.csv");
    let mut rows = String::from("name,email,notes\n");
    for i in 0..400 {
        rows.push_str(&format!(
            "Person {i},p{i}@example.com,{}\n",
            "n".repeat(200)
        ));
    }
    std::fs::write(&csv, rows).unwrap();
    assert!(dossier(&db, &["import", csv.to_str().unwrap()])
        .status
        .success());
    let target = dir.path().join("big.json");
    // A file size limit (64 blocks) below the export's size but above the
    // book's shared-memory file makes the write fail the way a full disk
    // does (EFBIG with SIGXFSZ ignored); the book itself is only read.
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 64; trap '' XFSZ; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(&db)
        .args(["export", "--format", "json", "-o"])
        .arg(&target)
        .env("DOSSIER_LOG_DIR", dir.path().join("logs"))
        .env_remove("DOSSIER_DB")
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("disk is full") && err.contains("was not written"),
        "{err}"
    );
    assert!(!target.exists(), "a partial file was left");
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
    assert_eq!(customers(&db), 403);
}

#[cfg(unix)]
#[test]
fn db_through_a_dangling_link_is_refused_and_an_empty_file_is_made_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("book.db");
    std::os::unix::fs::symlink(dir.path().join("elsewhere.db"), &link).unwrap();
    let out = dossier(&link, &["list", "customers"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("symbolic link"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("elsewhere.db").exists());

    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = dossier(&empty, &["add", "customer", "--name", "Ann"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mode = std::fs::metadata(&empty).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    let out = dossier(dir.path(), &["list", "customers"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("is a folder"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn search_json_carries_no_raw_c1_controls_or_bidi_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    // Validation refuses these at input; a file written by other means may
    // hold them.
    let name = "Ann\u{9b}31m\u{202E}evil\u{7f}x";
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute("UPDATE customers SET name = ?1 WHERE name = 'Ann'", [name])
            .unwrap();
    }
    let out = dossier(&db, &["search", "Ann", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(!shown.is_empty());
    for bad in ['\u{9b}', '\u{202E}', '\u{7f}', '\u{1b}'] {
        assert!(!shown.contains(bad), "raw {:?} in {shown}", bad);
    }
    // Escaped, not lost: a JSON reader gets the exact text back.
    let first: serde_json::Value = serde_json::from_str(shown.lines().next().unwrap()).unwrap();
    let exact = first
        .as_object()
        .unwrap()
        .values()
        .any(|v| v.as_str() == Some(name));
    assert!(exact, "the exact name is kept: {shown}");
}

#[test]
fn line_items_are_range_checked_and_overflow_never_reaches_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    assert!(
        dossier(&db, &["add", "product", "--name", "Pen", "--price", "10"])
            .status
            .success()
    );
    let cases = [
        // The line: quantity near i64::MAX.
        (
            vec!["--item", "1:9223372036854775807:9999999"],
            "quantity 9,223,372,036,854,775,807 is too large",
        ),
        // Each part allowed, their product not.
        (
            vec!["--item", "1:1000000:99999999"],
            "total 1,000,000 × 99,999,999 is too large",
        ),
        // Each line allowed, their sum not.
        (
            vec!["--item", "1:1000:999999999", "--item", "1:1000:999999999"],
            "the lines' total is too large — at most 1,000,000,000,000",
        ),
    ];
    for (items, expected) in cases {
        let mut args = vec!["add", "opportunity", "--customer", "1", "--title", "Big"];
        args.extend(items.iter().copied());
        let out = dossier(&db, &args);
        let err = text(&out.stderr);
        assert!(!out.status.success(), "{args:?} was accepted");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(err.contains("at most"), "{err}");
        assert!(!err.contains("overflow") && !err.contains("Real"), "{err}");
    }
    // A deal within the limits saves, and edits keep working.
    let out = dossier(
        &db,
        &[
            "add",
            "opportunity",
            "--customer",
            "1",
            "--title",
            "Ok",
            "--item",
            "1:1000:999999",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = dossier(&db, &["edit", "opportunity", "1", "--item", "1:2:10"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = dossier(&db, &["doctor"]);
    assert!(out.status.success(), "{}", text(&out.stdout));
}

#[test]
fn concurrent_blind_edits_all_apply_to_the_latest_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    let (writers, edits) = (4, 20);
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut failed = Vec::new();
                for e in 0..edits {
                    let city = format!("city-{w}-{e}");
                    let out = dossier(&db, &["edit", "customer", "1", "--city", &city]);
                    if !out.status.success() {
                        failed.push(text(&out.stderr));
                    }
                }
                failed
            })
        })
        .collect();
    let failed: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert!(
        failed.is_empty(),
        "{} blind edits failed: {:?}",
        failed.len(),
        failed.first()
    );
    let out = dossier(&db, &["show", "customer", "1", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1 + writers * edits, "{v}");
    // A named version still conflicts when it is stale.
    let out = dossier(
        &db,
        &["edit", "customer", "1", "--city", "x", "--if-version", "1"],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("changed elsewhere"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_panic_shows_only_the_friendly_message_and_the_log_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(&db)
        .arg("__panic")
        .env("DOSSIER_LOG_DIR", dir.path().join("logs"))
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(101), "{err}");
    assert!(err.contains("stopped because of a bug"), "{err}");
    assert!(err.contains("dossier.log"), "{err}");
    assert!(!err.contains("panicked at"), "raw panic text: {err}");
    assert!(!err.contains("stack backtrace"), "raw backtrace: {err}");
    assert_eq!(err.lines().count(), 2, "{err}");
}

#[test]
fn each_add_and_edit_subcommand_has_its_own_help_title() {
    for cmd in ["add", "edit"] {
        let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args([cmd, "--help"])
            .output()
            .unwrap();
        let help = text(&out.stdout);
        assert!(!help.contains("Output options"), "{help}");
        let titles: Vec<&str> = help
            .lines()
            .filter_map(|l| {
                let l = l.trim_start();
                ["customer ", "opportunity ", "product ", "activity "]
                    .iter()
                    .find(|k| l.starts_with(*k))
                    .map(|k| l[k.len()..].trim())
            })
            .collect();
        assert_eq!(titles.len(), 4, "{help}");
        let distinct: std::collections::HashSet<_> = titles.iter().collect();
        assert_eq!(distinct.len(), 4, "{help}");
    }
}

#[test]
fn long_values_are_cut_in_messages_and_far_dates_are_dates() {
    let dir = tempfile::tempdir().unwrap();
    let db = book(dir.path());
    let long = "x".repeat(120_000);
    let out = dossier(&db, &["add", "customer", "--name", "Zed", "--email", &long]);
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("is not an email address"),
        "{}",
        &err[..err.len().min(300)]
    );
    assert!(err.len() < 400, "{} bytes of message", err.len());
    assert!(err.contains(&format!("'{}…'", "x".repeat(80))), "{err}");
    for date in ["9999-12-31", "0001-01-01"] {
        let out = dossier(
            &db,
            &[
                "add",
                "activity",
                "--kind",
                "call",
                "--customer",
                "1",
                "--summary",
                "far",
                "--date",
                date,
            ],
        );
        assert!(out.status.success(), "{date}: {}", text(&out.stderr));
    }
    let out = dossier(&db, &["doctor"]);
    assert!(out.status.success(), "{}", text(&out.stdout));
}

/// `n` customers with 1 KB of notes each, as CSV.
fn notes_csv(n: usize) -> Vec<u8> {
    let mut s = String::from("name,email,notes\n");
    for i in 0..n {
        s.push_str(&format!("P{i},p{i}@example.com,{}\n", "n".repeat(1_000)));
    }
    s.into_bytes()
}

#[test]
fn an_import_stopped_by_a_full_disk_says_one_consistent_thing() {
    use dossier::interchange::{import_bytes, Format, ImportOptions};
    use dossier::store::Store;
    let pages = |s: &Store| -> i64 {
        s.conn()
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap()
    };
    // Classified later: keeps the test quick, and batches commit the same way.
    let opts = ImportOptions {
        defer_classify: true,
        ..Default::default()
    };
    // How much one batch takes, measured on a book without a limit.
    let mut reference = Store::open_in_memory().unwrap();
    let base = pages(&reference);
    import_bytes(&mut reference, &notes_csv(BATCH), Format::Csv, &opts).unwrap();
    let batch_pages = pages(&reference) - base;
    // A book that can hold one batch and a third, not two: the same
    // SQLITE_FULL a full disk gives.
    let mut s = Store::open_in_memory().unwrap();
    let limit = pages(&s) + batch_pages * 4 / 3;
    s.conn()
        .query_row(&format!("PRAGMA max_page_count = {limit}"), [], |_| Ok(()))
        .unwrap();
    let err = import_bytes(&mut s, &notes_csv(BATCH * 3 / 2), Format::Csv, &opts)
        .unwrap_err()
        .to_string();
    assert!(err.contains("the disk is full"), "{err}");
    assert!(
        err.contains("batches committed before it are saved"),
        "{err}"
    );
    assert!(
        !err.contains("nothing was saved"),
        "contradicts itself: {err}"
    );
    assert_eq!(
        s.counts().unwrap().customers as usize,
        BATCH,
        "whole batches only"
    );
}

const BATCH: usize = dossier::store::BATCH_ROWS;
