//! Live team view: a colleague's commit to a team book reaches an open
//! dossier through LISTEN/NOTIFY; one's own commits do not.

mod pg_support;

use dossier::domain::{Clock, Customer};
use dossier::store::Store;
use std::path::Path;
use std::time::Duration;

#[test]
fn a_colleagues_save_is_heard_and_ones_own_is_not() {
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let url = pg_support::fresh_database(pg, "live");
    let open = || Store::open_with_clock(Path::new(&url), Clock::from_env()).unwrap();
    let (mut mine, mut colleague) = (open(), open());
    let mut listener = mine.listen_for_changes().unwrap().expect("a team book");

    mine.add_customer(&Customer::named("Mine")).unwrap();
    let heard = listener.wait(Duration::from_millis(500)).unwrap();
    assert!(heard.is_empty(), "one's own save is not news: {heard:?}");

    let saved = colleague
        .add_customer(&Customer::named("From a colleague"))
        .unwrap();
    let heard = listener.wait(Duration::from_secs(10)).unwrap();
    assert!(heard.iter().any(|t| t == "customers"), "{heard:?}");
    // The change is there to read at once.
    assert_eq!(
        mine.customer(saved.meta.id).unwrap().name,
        "From a colleague"
    );

    // A SQLite book has no live view to listen to.
    let local = Store::open_in_memory().unwrap();
    assert!(local.listen_for_changes().unwrap().is_none());
}
