//! A team book whose connection is lost: a session the server ended while
//! dossier was idle is connected again without the user noticing; a change
//! cut off in the middle says so, saved nothing, and the next action works.
//! On the throwaway server of `pg_support`.

mod pg_support;

use dossier::domain::{Clock, Customer};
use dossier::store::{Store, StoreError};
use std::time::{Duration, Instant};

fn open(server: &pg_support::PgServer, label: &str) -> (Store, String) {
    let url = pg_support::fresh_database(server, label);
    let clock = Clock::at_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let store = Store::open_with_clock(std::path::Path::new(&url), clock).expect("open");
    let db = url.rsplit_once('/').unwrap().1.to_string();
    (store, db)
}

fn admin(server: &pg_support::PgServer) -> postgres::Client {
    postgres::Client::connect(&server.admin_url, postgres::NoTls).expect("admin connection")
}

/// The server process of dossier's session on `db` (the store's own).
fn dossier_backend(admin: &mut postgres::Client, db: &str) -> i32 {
    let rows = admin
        .query(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'dossier'",
            &[&db],
        )
        .unwrap();
    assert_eq!(rows.len(), 1, "one dossier session on {db}");
    rows[0].get(0)
}

fn terminate(admin: &mut postgres::Client, pid: i32) {
    let done: bool = admin
        .query_one("SELECT pg_terminate_backend($1)", &[&pid])
        .unwrap()
        .get(0);
    assert!(done, "the session {pid} was ended");
}

#[test]
fn a_session_ended_while_idle_is_connected_again_without_an_error() {
    let Some(server) = pg_support::server_or_skip() else {
        return;
    };
    let (mut store, db) = open(server, "reconnect_idle");
    store.add_customer(&Customer::named("Ann Lee")).unwrap();
    let mut admin = admin(server);
    let before = dossier_backend(&mut admin, &db);
    terminate(&mut admin, before);

    // A write, then a read, each on a session the server ended.
    store.add_customer(&Customer::named("Bob Wu")).unwrap();
    assert_ne!(dossier_backend(&mut admin, &db), before, "a new session");
    let after = dossier_backend(&mut admin, &db);
    terminate(&mut admin, after);
    assert_eq!(store.counts().unwrap().customers, 2);
}

#[test]
fn a_change_cut_off_mid_transaction_says_so_saves_nothing_and_the_next_works() {
    let Some(server) = pg_support::server_or_skip() else {
        return;
    };
    let (mut store, db) = open(server, "reconnect_mid");
    store.add_customer(&Customer::named("Ann Lee")).unwrap();
    let mut admin = admin(server);
    // Advisory locks belong to a database: held from a session on the book's.
    let mut book = postgres::Client::connect(
        &pg_support::with_database(&server.admin_url, &db),
        postgres::NoTls,
    )
    .unwrap();
    {
        // A trigger that waits for a lock the test holds, so the insert
        // stops inside dossier's transaction until the session is ended.
        book.batch_execute(
            "CREATE FUNCTION wait_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NEW; END $$;
             CREATE TRIGGER wait_for_test BEFORE INSERT ON customers
                 FOR EACH ROW EXECUTE FUNCTION wait_for_test();",
        )
        .unwrap();
    }
    book.query_one("SELECT pg_advisory_lock(4242)", &[])
        .unwrap();
    let pid = dossier_backend(&mut admin, &db);

    let writer = std::thread::spawn(move || {
        let r = store.add_customer(&Customer::named("Cut Off"));
        (store, r.map(|w| w.record.meta.id))
    });
    // Wait until the insert waits on the lock, inside the transaction.
    let started = Instant::now();
    loop {
        let waiting: bool = admin
            .query_one(
                "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1",
                &[&pid],
            )
            .unwrap()
            .get::<_, Option<bool>>(0)
            .unwrap_or(false);
        if waiting {
            break;
        }
        assert!(
            !writer.is_finished() && started.elapsed() < Duration::from_secs(30),
            "the insert never reached the trigger: {:?}",
            writer.is_finished().then(|| writer.join().unwrap().1)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    terminate(&mut admin, pid);
    let (mut store, result) = writer.join().unwrap();
    match result {
        Err(StoreError::ConnectionLost { committing: false }) => {}
        other => panic!("expected a lost connection before the commit, got {other:?}"),
    }
    let shown = StoreError::ConnectionLost { committing: false }.to_string();
    assert!(shown.contains("nothing was saved"), "{shown}");

    book.query_one("SELECT pg_advisory_unlock(4242)", &[])
        .unwrap();
    // Nothing of the cut-off change is there, and the next change works on
    // a new session.
    assert_eq!(store.counts().unwrap().customers, 1);
    store.add_customer(&Customer::named("Next One")).unwrap();
    assert_eq!(store.counts().unwrap().customers, 2);
    assert_ne!(dossier_backend(&mut admin, &db), pid);
}

/// Waits up to 15 s for a non-empty batch from the live view.
fn next_news(rx: &std::sync::mpsc::Receiver<Vec<String>>) -> Vec<String> {
    let until = Instant::now() + Duration::from_secs(15);
    while Instant::now() < until {
        if let Ok(t) = rx.recv_timeout(Duration::from_millis(200)) {
            if !t.is_empty() {
                return t;
            }
        }
    }
    Vec::new()
}

#[test]
fn the_live_view_listens_again_after_its_session_ends_and_own_saves_stay_quiet() {
    let Some(server) = pg_support::server_or_skip() else {
        return;
    };
    let (mut mine, db) = open(server, "reconnect_live");
    let url = pg_support::with_database(&server.admin_url, &db);
    let clock = Clock::at_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let mut colleague = Store::open_with_clock(std::path::Path::new(&url), clock).unwrap();
    let rx = mine
        .listen_for_changes()
        .unwrap()
        .expect("a team book")
        .spawn();
    let mut admin = admin(server);
    let listener: i32 = admin
        .query_one(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN%'",
            &[&db],
        )
        .unwrap()
        .get(0);
    terminate(&mut admin, listener);
    assert_eq!(
        next_news(&rx),
        vec![dossier::store::engine::listen::MISSED.to_string()],
        "after listening again, everything is news"
    );
    colleague
        .add_customer(&Customer::named("From a colleague"))
        .unwrap();
    let news = next_news(&rx);
    assert!(news.iter().any(|t| t == "customers"), "{news:?}");

    // My own session ends and connects again: my saves are still not news.
    let rows = admin
        .query(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'dossier'
             AND query NOT LIKE 'LISTEN%' AND pid <> $2",
            &[&db, &listener],
        )
        .unwrap();
    for r in rows {
        terminate(&mut admin, r.get(0));
    }
    mine.add_customer(&Customer::named("Mine")).unwrap();
    let quiet_until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < quiet_until {
        if let Ok(t) = rx.recv_timeout(Duration::from_millis(200)) {
            assert!(t.is_empty(), "my own save came back as news: {t:?}");
        }
    }
    colleague.add_customer(&Customer::named("Again")).unwrap();
    let news = next_news(&rx);
    assert!(news.iter().any(|t| t == "customers"), "{news:?}");
}
