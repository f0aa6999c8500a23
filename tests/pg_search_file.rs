//! A team book's search index file: built once from the server (one COPY
//! per kind), kept in the member's cache folder, and caught up from the
//! server's change log at the next start instead of read again — with the
//! same hits as an index built from scratch.

mod pg_support;

use chrono::NaiveDate;
use dossier::domain::{Clock, Customer};
use dossier::search::{load_index, open_index, SearchIndex};
use dossier::store::Store;
use std::path::Path;

fn ids(index: &SearchIndex, query: &str) -> Vec<i64> {
    let q = index.parse_query(query).unwrap();
    let mut v: Vec<i64> = index.search(&q, 50).into_iter().map(|h| h.id).collect();
    v.sort_unstable();
    v
}

#[test]
fn a_team_books_index_file_is_kept_and_caught_up() {
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The only test in this binary: the variable is not raced.
    std::env::set_var("DOSSIER_TEAM_INDEX_DIR", dir.path().join("team-search"));
    let url = pg_support::fresh_database(pg, "search_file");
    let clock = Clock::at_date(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let mut s = Store::open_with_clock(Path::new(&url), clock).unwrap();
    s.add_customer(&Customer {
        name: "刘洋".into(),
        company: "重庆华信科技有限公司".into(),
        ..Default::default()
    })
    .unwrap();
    for n in 0..30 {
        s.add_customer(&Customer::named(&format!("Filler {n}")))
            .unwrap();
    }
    let first = open_index(&s).unwrap();
    let files: Vec<_> = std::fs::read_dir(dir.path().join("team-search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one index file: {files:?}");
    let file = &files[0];
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700, "the folder is private");
    }
    assert_eq!(ids(&first, "liuyang").len(), 1);
    let written = std::fs::metadata(file).unwrap().modified().unwrap();

    // A colleague adds a customer; the next start catches up from the log.
    let mut colleague = Store::open_with_clock(Path::new(&url), clock).unwrap();
    let new = colleague
        .add_customer(&Customer::named("Zhang Wei Liuyang"))
        .unwrap()
        .meta
        .id;
    let again = open_index(&s).unwrap();
    assert!(ids(&again, "liuyang").contains(&new));
    assert_eq!(
        ids(&again, "liuyang"),
        ids(&load_index(&s).unwrap(), "liuyang")
    );
    assert_eq!(
        std::fs::metadata(file).unwrap().modified().unwrap(),
        written,
        "caught up, not rebuilt and saved again"
    );
    // The shared log is not pruned at one member's position.
    let pruned: Option<i64> = s
        .conn()
        .query_row("SELECT pruned FROM search_state WHERE only = 1", [], |r| {
            r.get(0)
        })
        .ok();
    assert!(pruned.unwrap_or(0) == 0, "pruned: {pruned:?}");
}
