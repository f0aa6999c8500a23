//! Team books on PostgreSQL, against a real server (see `pg_support`): the
//! schema on both engines, copying books between them, version-checked
//! writes under 20 concurrent writers, and row-level security.
//!
//! The engine-parameterised tests run once per engine (rstest cases): the
//! SQLite case always, the PostgreSQL case against the harness's server.

mod pg_support;

use dossier::domain::{Clock, Customer, Kind};
use dossier::store::engine::{self, copy, team, Engine, EngineKind, Value};
use dossier::store::{Store, SCHEMA_VERSION};
use rstest::rstest;
use std::collections::BTreeMap;
use std::path::Path;

/// The PostgreSQL suite ran, or skipping it was asked for: it never passes
/// silently on a machine without a server.
#[test]
fn postgres_suite_ran() {
    if let Some(why) = pg_support::why_not() {
        assert!(
            pg_support::skip_allowed(),
            "the PostgreSQL tests did NOT run: {why}\n(install the postgresql package, \
             or set DOSSIER_TEST_PG_URL, or set DOSSIER_SKIP_PG=1 to skip them knowingly)"
        );
        eprintln!("PostgreSQL tests skipped (DOSSIER_SKIP_PG=1)");
    }
}

/// A new, empty book on the engine asked for; None when that engine is
/// PostgreSQL and there is no server (the test returns early —
/// `postgres_suite_ran` reports it).
fn new_book(kind: EngineKind, dir: &Path, label: &str) -> Option<(Engine, String)> {
    match kind {
        EngineKind::Sqlite => {
            let path = dir.join(format!("{label}.db"));
            let target = path.to_string_lossy().into_owned();
            Some((Engine::open(&target).unwrap(), target))
        }
        EngineKind::Postgres => {
            let pg = pg_support::server_or_skip()?;
            let url = pg_support::fresh_database(pg, label);
            Some((Engine::open(&url).unwrap(), url))
        }
    }
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A book with a bit of everything: the demo (customers, deals with line
/// items and campaigns, touches, tags and tag history), a merge, and
/// records in the trash.
fn sample_book(path: &Path) -> Store {
    let mut s = Store::open_with_clock(path, Clock::at_date(day("2026-11-23"))).unwrap();
    dossier::sample::demo::load_demo(&mut s, false).unwrap();
    let a = s
        .add_customer(&Customer::named("Twin Tan"))
        .unwrap()
        .meta
        .id;
    let b = s
        .add_customer(&Customer::named("Twin Tan"))
        .unwrap()
        .meta
        .id;
    s.merge_customers(a, b).unwrap();
    // Text that would split a row of PostgreSQL's COPY, written past the
    // forms' checks: it must still go over byte for byte.
    let odd = s.add_customer(&Customer::named("Odd")).unwrap().meta.id;
    s.conn()
        .execute(
            "UPDATE customers SET name = ?1, notes = ?2 WHERE id = ?3",
            rusqlite::params![
                "Tab\tNew\nLine \\N back\\slash",
                "first line\r\nsecond\tcolumn \\. end",
                odd
            ],
        )
        .unwrap();
    s.delete(Kind::Customer, 3, None).unwrap();
    s.delete(Kind::Opportunity, 2, None).unwrap();
    s.sweep(false).unwrap();
    s
}

/// Every row of every table of a book, by primary key, without the team
/// columns a SQLite book does not have.
fn dump(e: &mut Engine) -> BTreeMap<String, Vec<Vec<Value>>> {
    let mut out = BTreeMap::new();
    for (table, keys) in copy::TABLES {
        let cols: Vec<String> = e
            .columns(table)
            .unwrap()
            .into_iter()
            .filter(|c| c != "owned_by" && c != "team")
            .collect();
        let rows = e
            .query(
                &format!(
                    "SELECT {} FROM {table} ORDER BY {}",
                    cols.join(", "),
                    keys.join(", ")
                ),
                &[],
            )
            .unwrap();
        out.insert(table.to_string(), rows);
    }
    out
}

fn never_stop(_: &str, _: u64) -> bool {
    true
}

#[test]
fn both_engines_have_the_same_tables_and_columns_at_this_version() {
    let dir = tempfile::tempdir().unwrap();
    let Some((mut pg, _)) = new_book(EngineKind::Postgres, dir.path(), "schema") else {
        return;
    };
    let (mut lite, _) = new_book(EngineKind::Sqlite, dir.path(), "schema").unwrap();
    for (table, _) in copy::TABLES {
        let a = lite.columns(table).unwrap();
        let b = pg.columns(table).unwrap();
        assert!(!a.is_empty(), "{table}");
        assert_eq!(a, b, "columns of {table}");
    }
    let v = pg
        .query_i64("SELECT max(version) FROM dossier_schema", &[])
        .unwrap();
    assert_eq!(v, Some(SCHEMA_VERSION));
    // Opening again migrates nothing and keeps the version.
    drop(pg);
}

/// A book copied onto either engine and back is the same book, row for
/// row: ids, UUIDs, versions, tags, tag history, merges, trash.
#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn a_book_copied_there_and_back_is_the_same_book(#[case] middle: EngineKind) {
    let dir = tempfile::tempdir().unwrap();
    let Some((mut there, _)) = new_book(middle, dir.path(), "middle") else {
        return;
    };
    let orig = sample_book(&dir.path().join("orig.db"));
    let mut orig = Engine::Sqlite(Box::new(orig));
    let want = dump(&mut orig);
    assert!(want["merges"].len() == 1 && want["tag_history"].len() > 10);
    let campaign_links = orig
        .query_i64(
            "SELECT count(*) FROM opportunities WHERE campaign_id IS NOT NULL",
            &[],
        )
        .unwrap();
    assert!(
        campaign_links > Some(0),
        "the demo links deals to campaigns"
    );

    let up = copy::copy_between(&mut orig, &mut there, "orig", None, 40, &mut never_stop).unwrap();
    assert!(up.complete && !up.resumed);
    assert_eq!(dump(&mut there), want);
    assert!(there.columns("dossier_copy").unwrap().is_empty());

    let (mut back, back_path) = new_book(EngineKind::Sqlite, dir.path(), "back").unwrap();
    copy::copy_between(&mut there, &mut back, "there", None, 40, &mut never_stop).unwrap();
    assert_eq!(dump(&mut back), want);
    drop(back);
    // The copy is a working book: it opens, reads and takes new records
    // with new ids.
    let mut s = Store::open(Path::new(&back_path)).unwrap();
    let next = s.add_customer(&Customer::named("After Copy")).unwrap();
    let max: i64 = want["customers"]
        .iter()
        .filter_map(|r| match r[0] {
            Value::Integer(i) => Some(i),
            _ => None,
        })
        .max()
        .unwrap();
    assert_eq!(next.meta.id, max + 1);
}

/// Stopped after a few batches (as by Ctrl-C or a lost connection), the
/// same copy run again goes on and ends with the same book; a copy into a
/// book that holds other records is refused.
#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn an_interrupted_copy_resumes_where_it_stopped(#[case] target: EngineKind) {
    let dir = tempfile::tempdir().unwrap();
    let Some((mut dst, _)) = new_book(target, dir.path(), "resume") else {
        return;
    };
    let mut src = Engine::Sqlite(Box::new(sample_book(&dir.path().join("src.db"))));
    let want = dump(&mut src);
    let mut batches = 0;
    let first = copy::copy_between(&mut src, &mut dst, "src", None, 25, &mut |_, _| {
        batches += 1;
        batches < 3
    })
    .unwrap();
    assert!(!first.complete);
    let copied: u64 = first.tables.iter().map(|(_, n)| n).sum();
    let total: usize = want.values().map(Vec::len).sum();
    assert!(
        copied > 25 && (copied as usize) < total,
        "{copied} of {total}"
    );
    // Another source is refused while this copy is unfinished.
    let mut other = Engine::Sqlite(Box::new(Store::open_in_memory().unwrap()));
    let e = copy::copy_between(&mut other, &mut dst, "other", None, 25, &mut never_stop)
        .unwrap_err()
        .to_string();
    assert!(e.contains("interrupted copy of src"), "{e}");

    let second = copy::copy_between(&mut src, &mut dst, "src", None, 25, &mut never_stop).unwrap();
    assert!(second.complete && second.resumed);
    assert_eq!(dump(&mut dst), want);

    // Now a full book: a new copy into it is refused.
    let e = copy::copy_between(&mut src, &mut dst, "src", None, 25, &mut never_stop)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not empty"), "{e}");
}

/// The connection to the team book dropped in the middle of a copy: the
/// copy says so, nothing half-written is left, and running it again ends
/// with the same book.
#[test]
fn a_copy_cut_off_from_the_server_says_so_and_resumes() {
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let url = pg_support::fresh_database(pg, "dropped");
    let dir = tempfile::tempdir().unwrap();
    let mut src = Engine::Sqlite(Box::new(sample_book(&dir.path().join("src.db"))));
    let want = dump(&mut src);
    let mut dst = Engine::open(&url).unwrap();
    let pid = dst
        .query_i64("SELECT pg_backend_pid()", &[])
        .unwrap()
        .unwrap();
    let mut admin = engine::connect(&url).unwrap();
    let mut batches = 0;
    let e = copy::copy_between(&mut src, &mut dst, "src", None, 20, &mut |_, _| {
        batches += 1;
        if batches == 2 {
            let gone: bool = admin
                .query_one("SELECT pg_terminate_backend(($1::bigint)::int)", &[&pid])
                .unwrap()
                .get(0);
            assert!(gone);
        }
        true
    })
    .unwrap_err()
    .to_string();
    assert!(e.contains("connection to the team book was lost"), "{e}");
    let mut dst = Engine::open(&url).unwrap();
    let again = copy::copy_between(&mut src, &mut dst, "src", None, 20, &mut never_stop).unwrap();
    assert!(again.complete && again.resumed);
    assert_eq!(dump(&mut dst), want);
}

/// 20 writers × 500 version-checked updates on the same ten records: every
/// update lands exactly once, none is lost. A writer that finds the record
/// changed since it read it (the store's Conflict) reads again and retries.
#[test]
fn twenty_concurrent_writers_lose_no_update() {
    const WRITERS: usize = 20;
    const OPS: usize = 500;
    const RECORDS: usize = 10;
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let url = pg_support::fresh_database(pg, "writers");
    let mut e = Engine::open(&url).unwrap();
    let mut ids = Vec::new();
    for i in 0..RECORDS {
        let row = e
            .query(
                "INSERT INTO customers (created_at, updated_at, name, size) VALUES ('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ?1, 0) RETURNING id",
                &[Value::Text(format!("C{i}"))],
            )
            .unwrap();
        ids.push(row[0][0].clone());
    }
    let conflicts = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for w in 0..WRITERS {
            let (url, ids, conflicts) = (&url, &ids, &conflicts);
            scope.spawn(move || {
                let mut e = Engine::open(url).unwrap();
                for op in 0..OPS {
                    let id = ids[(w * 7 + op) % RECORDS].clone();
                    loop {
                        let row = e
                            .query(
                                "SELECT version, size FROM customers WHERE id = ?1",
                                std::slice::from_ref(&id),
                            )
                            .unwrap();
                        let (Value::Integer(version), Value::Integer(size)) =
                            (&row[0][0], &row[0][1])
                        else {
                            panic!("{row:?}")
                        };
                        let n = e
                            .execute(
                                "UPDATE customers SET size = ?1, version = version + 1 WHERE id = ?2 AND version = ?3",
                                &[Value::Integer(size + 1), id.clone(), Value::Integer(*version)],
                            )
                            .unwrap();
                        if n == 1 {
                            break;
                        }
                        conflicts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let sizes = e
        .query_i64("SELECT sum(size)::bigint FROM customers", &[])
        .unwrap();
    let versions = e
        .query_i64("SELECT sum(version)::bigint FROM customers", &[])
        .unwrap();
    assert_eq!(sizes, Some((WRITERS * OPS) as i64));
    assert_eq!(versions, Some((RECORDS + WRITERS * OPS) as i64));
    eprintln!(
        "{} conflicts retried",
        conflicts.load(std::sync::atomic::Ordering::Relaxed)
    );
}

/// A team book with two teams: ann and bob are reps of east, mia its
/// manager, cat a rep of west. Returns the admin URL and each member's.
struct Team {
    admin: Engine,
    urls: BTreeMap<&'static str, String>,
}

fn team_book() -> Option<Team> {
    let pg = pg_support::server_or_skip()?;
    let url = pg_support::fresh_database(pg, "team");
    team::init(&url).unwrap();
    // Running it again changes nothing.
    team::init(&url).unwrap();
    let tag = format!("{}_{}", std::process::id(), url.rsplit('_').next().unwrap());
    let mut urls = BTreeMap::new();
    for (who, t, manager) in [
        ("ann", "east", false),
        ("bob", "east", false),
        ("mia", "east", true),
        ("cat", "west", false),
    ] {
        let name = format!("{who}_{tag}");
        let pw = team::add_user(
            &url,
            &team::NewMember {
                name: &name,
                team: t,
                manager,
            },
        )
        .unwrap()
        .expect("a new role gets a password");
        let member = pg_support::as_user(&url, &format!("{name}:{pw}"));
        urls.insert(who, member);
    }
    Some(Team {
        admin: Engine::open(&url).unwrap(),
        urls,
    })
}

fn member(t: &Team, who: &str) -> postgres::Client {
    engine::connect(&t.urls[who]).unwrap()
}

fn add(c: &mut postgres::Client, name: &str) -> i64 {
    c.query_one(
        "INSERT INTO customers (created_at, updated_at, name) VALUES ('x', 'x', $1) RETURNING id",
        &[&name],
    )
    .unwrap()
    .get(0)
}

/// The server's message of an error.
fn db_msg(e: &postgres::Error) -> String {
    e.as_db_error()
        .map_or_else(|| e.to_string(), |d| d.message().to_string())
}

fn names(c: &mut postgres::Client) -> Vec<String> {
    c.query("SELECT name FROM customers ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn a_rep_reads_the_team_and_writes_only_their_own() {
    let Some(t) = team_book() else { return };
    let (mut ann, mut bob, mut cat) = (member(&t, "ann"), member(&t, "bob"), member(&t, "cat"));
    let a = add(&mut ann, "Ann's customer");
    let b = add(&mut bob, "Bob's customer");
    let c = add(&mut cat, "Cat's customer");
    // Owner and team come from who added the record.
    let row = ann
        .query_one("SELECT owned_by, team FROM customers WHERE id = $1", &[&a])
        .unwrap();
    assert!(row.get::<_, String>(0).starts_with("ann_"));
    assert_eq!(row.get::<_, String>(1), "east");

    assert_eq!(names(&mut ann), ["Ann's customer", "Bob's customer"]);
    assert_eq!(names(&mut cat), ["Cat's customer"]);
    // Hand-written SQL at another team's record finds nothing to read or change.
    let seen = ann
        .query("SELECT * FROM customers WHERE id = $1", &[&c])
        .unwrap();
    assert!(seen.is_empty());
    for sql in [
        "UPDATE customers SET name = 'taken' WHERE id = $1",
        "DELETE FROM customers WHERE id = $1",
        "UPDATE customers SET team = 'east' WHERE id = $1",
    ] {
        assert_eq!(ann.execute(sql, &[&c]).unwrap(), 0, "{sql}");
        // A teammate's record: readable, not writable by a rep.
        assert_eq!(ann.execute(sql, &[&b]).unwrap(), 0, "{sql}");
    }
    assert_eq!(names(&mut cat), ["Cat's customer"]);
    assert_eq!(names(&mut bob), ["Ann's customer", "Bob's customer"]);
    // Her own: yes.
    assert_eq!(
        ann.execute(
            "UPDATE customers SET city = 'Hangzhou' WHERE id = $1",
            &[&a]
        )
        .unwrap(),
        1
    );
    // She cannot put a record into another team or give it to someone else.
    for sql in [
        "UPDATE customers SET team = 'west' WHERE id = $1",
        "UPDATE customers SET owned_by = 'somebody' WHERE id = $1",
    ] {
        let e = ann.execute(sql, &[&a]).unwrap_err();
        assert!(db_msg(&e).contains("row-level security"), "{sql}: {e:?}");
    }
    for sql in [
        "INSERT INTO customers (created_at, updated_at, name, team) VALUES ('x', 'x', 'sneak', 'west')",
        "INSERT INTO customers (created_at, updated_at, name, owned_by) VALUES ('x', 'x', 'sneak', 'bob')",
    ] {
        assert!(ann.batch_execute(sql).is_err(), "{sql}");
    }
    // Nor switch the policies off, or read the membership list.
    for sql in [
        "ALTER TABLE customers DISABLE ROW LEVEL SECURITY",
        "DROP POLICY dossier_read ON customers",
        "SELECT * FROM team_members",
        "UPDATE team_members SET team = 'west'",
        "INSERT INTO team_members VALUES ('x', 'west', true)",
    ] {
        assert!(ann.batch_execute(sql).is_err(), "{sql}");
    }
    ann.batch_execute("SET row_security = off").unwrap();
    assert!(
        ann.query("SELECT * FROM customers", &[]).is_err(),
        "with row security off, a query the policies would filter fails"
    );
}

#[test]
fn a_manager_reads_and_writes_the_whole_team_and_nothing_else() {
    let Some(t) = team_book() else { return };
    let (mut bob, mut mia, mut cat) = (member(&t, "bob"), member(&t, "mia"), member(&t, "cat"));
    let b = add(&mut bob, "Bob's customer");
    let c = add(&mut cat, "Cat's customer");
    assert_eq!(names(&mut mia), ["Bob's customer"]);
    assert_eq!(
        mia.execute("UPDATE customers SET city = 'Suzhou' WHERE id = $1", &[&b])
            .unwrap(),
        1
    );
    assert_eq!(
        mia.execute("UPDATE customers SET city = 'Suzhou' WHERE id = $1", &[&c])
            .unwrap(),
        0
    );
    assert_eq!(
        mia.execute("DELETE FROM customers WHERE id = $1", &[&c])
            .unwrap(),
        0
    );
    // She cannot move a record to another team.
    let e = mia
        .execute("UPDATE customers SET team = 'west' WHERE id = $1", &[&b])
        .unwrap_err();
    assert!(db_msg(&e).contains("row-level security"), "{e:?}");
    assert_eq!(names(&mut cat), ["Cat's customer"]);
}

#[test]
fn tags_and_line_items_follow_their_record() {
    let Some(mut t) = team_book() else { return };
    let (mut ann, mut cat) = (member(&t, "ann"), member(&t, "cat"));
    let a = add(&mut ann, "Ann's customer");
    let c = add(&mut cat, "Cat's customer");
    for id in [a, c] {
        t.admin
            .execute(
                "INSERT INTO tag_sets (record_kind, record_id, tags) VALUES ('customer', ?1, 'value=high')",
                &[Value::Integer(id)],
            )
            .unwrap();
    }
    let seen: Vec<i64> = ann
        .query("SELECT record_id FROM tag_sets ORDER BY record_id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(seen, [a]);
    assert_eq!(
        ann.execute("UPDATE tag_sets SET tags = 'x' WHERE record_id = $1", &[&c])
            .unwrap(),
        0
    );
    // A tag for a record she cannot see cannot be written either.
    assert!(ann
        .execute(
            "INSERT INTO tag_sets (record_kind, record_id, tags) VALUES ('product', $1, 'x')",
            &[&c]
        )
        .is_err());
}

#[test]
fn team_commands_need_a_set_up_book_and_plain_member_names() {
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let url = pg_support::fresh_database(pg, "names");
    let m = team::NewMember {
        name: "ann",
        team: "east",
        manager: false,
    };
    let e = team::add_user(&url, &m).unwrap_err().to_string();
    assert!(e.contains("team init"), "{e}");
    team::init(&url).unwrap();
    let bad = team::NewMember {
        name: "ann; DROP TABLE customers",
        ..m
    };
    assert!(team::add_user(&url, &bad).is_err());
    let mut admin = Engine::open(&url).unwrap();
    assert_eq!(admin.columns("customers").unwrap().last().unwrap(), "team");
}

/// `dossier copy` up into a team book gives every record an owner; the
/// owner's team then sees them and another team does not.
#[test]
fn a_book_copied_up_belongs_to_the_member_named() {
    let Some(t) = team_book() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.db");
    drop(sample_book(&path));
    let mut admin = t.admin;
    let ann_role: String = {
        let mut ann = engine::connect(&t.urls["ann"]).unwrap();
        ann.query_one("SELECT current_user::text", &[])
            .unwrap()
            .get(0)
    };
    let mut src = Engine::open(&path.to_string_lossy()).unwrap();
    let e = copy::copy_between(&mut src, &mut admin, "mine", None, 500, &mut never_stop)
        .unwrap_err()
        .to_string();
    assert!(e.contains("--owner"), "{e}");
    let report = copy::copy_between(
        &mut src,
        &mut admin,
        "mine",
        Some(&ann_role),
        500,
        &mut never_stop,
    )
    .unwrap();
    assert!(report.complete);
    let total = src
        .query_i64("SELECT count(*) FROM customers", &[])
        .unwrap();
    let mut bob = engine::connect(&t.urls["bob"]).unwrap();
    let mut cat = engine::connect(&t.urls["cat"]).unwrap();
    let count = |c: &mut postgres::Client| -> i64 {
        c.query_one("SELECT count(*) FROM customers", &[])
            .unwrap()
            .get(0)
    };
    assert_eq!(Some(count(&mut bob)), total);
    assert_eq!(count(&mut cat), 0);
    let owners: i64 = bob
        .query_one(
            "SELECT count(DISTINCT owned_by) FROM customers WHERE owned_by = $1",
            &[&ann_role],
        )
        .unwrap()
        .get(0);
    assert_eq!(owners, 1);
}
