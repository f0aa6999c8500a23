//! The search index saved beside the book (issue 15): reused by the next
//! process, caught up with writes made by other processes, and rebuilt —
//! never trusted — when it is damaged or a process died writing it.

use dossier::domain::Customer;
use dossier::search::{catch_up, index_path, open_index, SearchIndex};
use dossier::store::Store;
use std::path::Path;
use std::process::Command;

fn dossier(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// The ids `dossier search` prints for a customer query.
fn cli_ids(db: &Path, query: &str) -> Vec<i64> {
    let out = dossier(
        db,
        &["search", query, "--kind", "customer", "--limit", "100"],
    );
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1)?.parse().ok())
        .collect()
}

fn ids(index: &SearchIndex, query: &str) -> Vec<i64> {
    let q = index.parse_query(query).unwrap();
    index.search(&q, 50).into_iter().map(|h| h.id).collect()
}

fn book(dir: &Path) -> (std::path::PathBuf, i64) {
    let path = dir.join("book.db");
    let mut store = Store::open(&path).unwrap();
    let c = Customer {
        name: "刘洋".into(),
        company: "重庆华信科技有限公司".into(),
        ..Default::default()
    };
    let id = store.add_customer(&c).unwrap().meta.id;
    for n in 0..30 {
        store
            .add_customer(&Customer::named(&format!("Filler {n}")))
            .unwrap();
    }
    (path, id)
}

#[test]
fn the_index_file_is_written_once_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = book(dir.path());
    let file = index_path(&path);
    assert!(!file.exists());
    assert_eq!(cli_ids(&path, "chongqing"), vec![id]);
    assert!(file.exists(), "the first search saves the index");
    let written = std::fs::metadata(&file).unwrap().modified().unwrap();
    assert_eq!(cli_ids(&path, "liuyang"), vec![id]);
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        written,
        "an index that is current is not written again"
    );
}

#[test]
fn writes_by_another_process_reach_the_next_search_and_an_open_index() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = book(dir.path());
    assert_eq!(cli_ids(&path, "huaxin"), vec![id]);
    // This process holds the index open (like the terminal UI).
    let store = Store::open(&path).unwrap();
    let mut open = open_index(&store).unwrap();
    assert_eq!(ids(&open, "huaxin"), vec![id]);

    // Another process adds, renames and deletes.
    let out = dossier(
        &path,
        &["add", "customer", "--name", "王芳", "--company", "厦门远航"],
    );
    assert!(out.status.success(), "{out:?}");
    let out = dossier(
        &path,
        &["edit", "customer", &id.to_string(), "--company", "长沙明达"],
    );
    assert!(out.status.success(), "{out:?}");
    let wang = cli_ids(&path, "xiamen");
    assert_eq!(wang.len(), 1, "a new customer is found by the next search");
    assert_eq!(cli_ids(&path, "changsha"), vec![id]);
    assert!(
        cli_ids(&path, "huaxin").is_empty(),
        "the old company is gone"
    );

    // The open index has not seen them until it catches up.
    assert!(ids(&open, "xiamen").is_empty());
    let n = catch_up(&mut open, &store, 1000).unwrap();
    assert!(n.is_some_and(|n| n >= 2), "{n:?}");
    assert_eq!(ids(&open, "xiamen"), wang);
    assert_eq!(ids(&open, "changsha"), vec![id]);
    assert!(ids(&open, "huaxin").is_empty());

    let out = dossier(&path, &["delete", "customer", &wang[0].to_string()]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        cli_ids(&path, "xiamen").is_empty(),
        "a deleted customer is gone"
    );
    catch_up(&mut open, &store, 1000).unwrap().unwrap();
    assert!(ids(&open, "xiamen").is_empty());
}

#[test]
fn a_damaged_index_file_is_rebuilt_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = book(dir.path());
    assert_eq!(cli_ids(&path, "chongqing"), vec![id]);
    let file = index_path(&path);
    let good = std::fs::read(&file).unwrap();
    // Cut short, garbage, a flipped header byte, empty.
    let mut flipped = good.clone();
    flipped[20] ^= 0x55;
    for bad in [
        good[..good.len() / 2].to_vec(),
        vec![0x42; good.len()],
        flipped,
        Vec::new(),
    ] {
        std::fs::write(&file, &bad).unwrap();
        assert_eq!(cli_ids(&path, "chongqing"), vec![id]);
        assert_eq!(cli_ids(&path, "Filler").len(), 30);
        assert_ne!(std::fs::read(&file).unwrap(), bad, "rebuilt and saved");
    }
}

#[test]
fn a_process_killed_while_writing_the_index_leaves_no_wrong_results() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = book(dir.path());
    assert_eq!(cli_ids(&path, "chongqing"), vec![id]);
    // A write, then a search that dies in the middle of saving a rebuilt
    // index (the old file is stale, then missing).
    let out = dossier(
        &path,
        &["edit", "customer", &id.to_string(), "--company", "长沙明达"],
    );
    assert!(out.status.success(), "{out:?}");
    std::fs::remove_file(index_path(&path)).unwrap();
    let died = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(&path)
        .args(["search", "changsha"])
        .env("DOSSIER_TEST_CRASH_INDEX_SAVE", "1")
        .output()
        .unwrap();
    assert!(!died.status.success(), "the hook kills the save");
    assert!(
        !index_path(&path).exists(),
        "no half-written index in place"
    );
    assert_eq!(cli_ids(&path, "changsha"), vec![id]);
    assert!(cli_ids(&path, "chongqing").is_empty());

    // Killed while saving over an older, valid file: the old file stays and
    // is caught up from the change log.
    let out = dossier(
        &path,
        &["edit", "customer", &id.to_string(), "--company", "厦门远航"],
    );
    assert!(out.status.success(), "{out:?}");
    let store = Store::open(&path).unwrap();
    let mut index = open_index(&store).unwrap();
    drop(store);
    let died = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(&path)
        .args(["search", "xiamen"])
        .env("DOSSIER_TEST_CRASH_INDEX_SAVE", "1")
        .env("DOSSIER_SEARCH_RESAVE_AFTER", "0")
        .output()
        .unwrap();
    assert!(!died.status.success());
    assert_eq!(cli_ids(&path, "xiamen"), vec![id]);
    assert!(cli_ids(&path, "changsha").is_empty());
    let store = Store::open(&path).unwrap();
    catch_up(&mut index, &store, 1000).unwrap().unwrap();
    assert_eq!(ids(&index, "xiamen"), vec![id]);
}

#[test]
fn a_book_replaced_by_a_copy_with_another_history_is_reindexed() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = book(dir.path());
    assert_eq!(cli_ids(&path, "chongqing"), vec![id]);
    let copy = dir.path().join("copy.db");
    let out = dossier(&path, &["backup", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    // The book moves on and its index file is saved at the new position.
    let out = dossier(
        &path,
        &["edit", "customer", &id.to_string(), "--company", "长沙明达"],
    );
    assert!(out.status.success(), "{out:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(&path)
        .args(["search", "changsha"])
        .env("DOSSIER_SEARCH_RESAVE_AFTER", "0")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // The copy takes other writes (more of them: its log passes the
    // index's position), then replaces the book.
    let other = (id + 1).to_string();
    for company in ["厦门远航", "厦门远航贸易", "厦门远航物流"] {
        let out = dossier(&copy, &["edit", "customer", &other, "--company", company]);
        assert!(out.status.success(), "{out:?}");
    }
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(side);
    }
    std::fs::copy(&copy, &path).unwrap();
    assert_eq!(cli_ids(&path, "xiamen"), vec![id + 1]);
    assert!(
        cli_ids(&path, "changsha").is_empty(),
        "not the other history"
    );
    assert_eq!(cli_ids(&path, "chongqing"), vec![id]);
}
