//! A team book at scale, the paths behind it: reads streamed through server
//! cursors, whole kinds read by `COPY … TO STDOUT`, and the sweep written
//! set-based on the server — giving exactly what the SQLite sweep gives.

mod pg_support;

use chrono::NaiveDate;
use dossier::domain::{Clock, Customer};
use dossier::store::engine::{copy, Value};
use dossier::store::Store;
use std::path::Path;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn rows(s: &Store, sql: &str) -> Vec<Vec<Value>> {
    let mut st = s.conn().prepare(sql).unwrap();
    let n = st.column_count();
    let out = st
        .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<Vec<Vec<Value>>>>()
        .unwrap();
    out
}

#[test]
fn streamed_reads_come_in_batches_with_parameters_and_side_by_side() {
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let s = pg_support::store_on_server(pg, "stream", Clock::at_date(day("2026-11-23")));
    let conn = s.conn();
    let sql = "SELECT x FROM generate_series(1, ?1) x ORDER BY x";
    let read_all = |n: i64| -> Vec<i64> {
        let mut st = conn.prepare(sql).unwrap();
        let v = st
            .query_map([n], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<Vec<i64>>>()
            .unwrap();
        v
    };
    let want: Vec<i64> = (1..=25_001).collect();
    let plain = read_all(25_001);
    {
        let _stream = conn.stream_reads();
        // Outside a transaction (a cursor WITH HOLD) …
        assert_eq!(read_all(25_001), want);
        // … and inside one, two cursors read side by side.
        conn.begin_write().unwrap();
        let mut a = conn.prepare(sql).unwrap();
        let mut b = conn.prepare(sql).unwrap();
        let mut ra = a.query([25_001]).unwrap();
        let mut rb = b.query([12_345]).unwrap();
        let cursors: i64 = conn
            .query_row(
                "SELECT count(*) FROM pg_cursors WHERE name LIKE 'dossier_rows_%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(cursors, 2, "both reads come through cursors");
        let (mut got_a, mut got_b) = (Vec::new(), Vec::new());
        loop {
            let x = ra.next().unwrap().map(|r| r.get::<_, i64>(0).unwrap());
            let y = rb.next().unwrap().map(|r| r.get::<_, i64>(0).unwrap());
            if x.is_none() && y.is_none() {
                break;
            }
            got_a.extend(x);
            got_b.extend(y);
        }
        drop((ra, rb));
        drop((a, b));
        conn.end(true).unwrap();
        assert_eq!(got_a, want);
        assert_eq!(got_b, (1..=12_345).collect::<Vec<i64>>());
        // A one-row read in streaming mode is a plain query.
        let one: i64 = conn.query_row("SELECT 41 + ?1", [1], |r| r.get(0)).unwrap();
        assert_eq!(one, 42);
    }
    assert_eq!(plain, want);
    // Every cursor was closed.
    let open: i64 = conn
        .query_row(
            "SELECT count(*) FROM pg_cursors WHERE name LIKE 'dossier_rows_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(open, 0);
}

#[test]
fn copy_rows_reads_types_nulls_and_escaped_text() {
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let s = pg_support::store_on_server(pg, "copyrows", Clock::at_date(day("2026-11-23")));
    let server = s.conn().server().unwrap();
    let mut got = Vec::new();
    server
        .copy_rows(
            "SELECT x::bigint AS a, E'tab\\there\\nnew\\r \\\\N back\\\\slash \\\\. 中文' AS b, \
             NULL::text AS c, (x % 2 = 0) AS d, 2.5::float8 AS e, 7::int4 AS f, '' AS g \
             FROM generate_series(1, 2) x ORDER BY x",
            |r| {
                got.push(
                    (0..r.column_count())
                        .map(|i| r.get::<_, Value>(i).unwrap())
                        .collect::<Vec<_>>(),
                );
                Ok(())
            },
        )
        .unwrap();
    let row = |a: i64, d: i64| {
        vec![
            Value::Integer(a),
            Value::Text("tab\there\nnew\r \\N back\\slash \\. 中文".into()),
            Value::Null,
            Value::Integer(d),
            Value::Real(2.5),
            Value::Integer(7),
            Value::Text(String::new()),
        ]
    };
    assert_eq!(got, vec![row(1, 0), row(2, 1)]);
}

/// The demo book, classified on 2026-11-23, with a record whose text would
/// split a COPY row.
fn sample_book(path: &Path) {
    let mut s = Store::open_with_clock(path, Clock::at_date(day("2026-11-23"))).unwrap();
    dossier::sample::demo::load_demo(&mut s, false).unwrap();
    let odd = s.add_customer(&Customer::named("Odd")).unwrap().meta.id;
    s.conn()
        .execute(
            "UPDATE customers SET notes = ?1 WHERE id = ?2",
            rusqlite::params!["tab\there\nnew line \\N", odd],
        )
        .unwrap();
    s.sweep(false).unwrap();
}

const SETS: &str =
    "SELECT record_kind, record_id, tags FROM tag_sets ORDER BY record_kind, record_id";
const HISTORY: &str = "SELECT at, record_kind, record_id, dimension, old_value, new_value, reason \
     FROM tag_history ORDER BY record_kind, record_id, dimension, at, id";

#[test]
fn the_sweep_gives_the_same_tags_and_history_on_both_engines() {
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    sample_book(&path);
    let url = pg_support::fresh_database(pg, "sweep_same");
    copy::copy(&path.to_string_lossy(), &url, None, &mut |_, _| true).unwrap();

    // Seven months on: churn, lifecycle, follow-ups move. Some records lost
    // their stored set (as after a bulk load): they get their first one.
    let later = Clock::at_date(day("2027-06-30"));
    let mut lite = Store::open_with_clock(&path, later).unwrap();
    let mut team = Store::open_with_clock(Path::new(&url), later).unwrap();
    for s in [&lite, &team] {
        s.conn()
            .execute(
                "DELETE FROM tag_sets WHERE record_kind = 'customer' AND record_id % 3 = 0",
                [],
            )
            .unwrap();
    }
    let before = rows(&lite, HISTORY).len();
    assert_eq!(rows(&team, SETS), rows(&lite, SETS), "the same book");

    let a = lite.sweep(false).unwrap();
    let b = team.sweep(false).unwrap();
    assert!(a.changed > 0, "the sweep changed something: {a:?}");
    assert_eq!(
        (a.changed, &a.moves, &a.evaluated),
        (b.changed, &b.moves, &b.evaluated)
    );
    assert_eq!(rows(&team, SETS), rows(&lite, SETS));
    let history = rows(&lite, HISTORY);
    assert!(history.len() > before, "the sweep wrote history");
    assert_eq!(rows(&team, HISTORY), history);
    // No set is missing: the deleted ones were written again.
    let missing = "SELECT count(*) FROM customers c WHERE NOT EXISTS \
         (SELECT 1 FROM tag_sets t WHERE t.record_kind = 'customer' AND t.record_id = c.id)";
    let n: i64 = team.conn().query_row(missing, [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0);
    // A second sweep on the same day changes nothing on either.
    assert_eq!(lite.sweep(false).unwrap().changed, 0);
    assert_eq!(team.sweep(false).unwrap().changed, 0);
}
