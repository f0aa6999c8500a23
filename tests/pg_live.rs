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

/// A rep works on the team book through the store (not hand-written SQL):
/// adds and edits their own customer, with its tags and the search log
/// written by the book's triggers, and cannot change a colleague's.
#[test]
fn a_rep_works_through_the_store_on_their_own_records() {
    use dossier::store::engine::team;
    use dossier::store::StoreError;
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let url = pg_support::fresh_database(pg, "rep_store");
    team::init(&url).unwrap();
    let tag = format!("{}_{}", std::process::id(), url.rsplit('_').next().unwrap());
    let member = |who: &str| {
        let name = format!("{who}_{tag}");
        let pw = team::add_user(
            &url,
            &team::NewMember {
                name: &name,
                team: "east",
                manager: false,
            },
        )
        .unwrap()
        .unwrap();
        let url = pg_support::as_user(&url, &format!("{name}:{pw}"));
        Store::open_with_clock(Path::new(&url), Clock::from_env()).unwrap()
    };
    let (mut ann, mut bob) = (member("ann"), member("bob"));
    let mut mine = ann.add_customer(&Customer::named("Ann's client")).unwrap();
    assert!(!mine.changes.is_empty(), "tagged in the same transaction");
    mine.city = "上海".into();
    let edited = ann.update_customer(&mine).unwrap();
    assert_eq!(edited.meta.version, 2);

    // Bob reads his teammate's customer but may not change it.
    let mut theirs = bob.customer(mine.meta.id).unwrap();
    theirs.city = "北京".into();
    let e = bob.update_customer(&theirs).unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::Refused(_) | StoreError::NotFound { .. } | StoreError::Conflict { .. }
        ),
        "{e:?}"
    );
    assert_eq!(ann.customer(mine.meta.id).unwrap().city, "上海");
}
