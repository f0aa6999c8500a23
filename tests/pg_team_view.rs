//! The team view on a team book (see `pg_support` for the throwaway
//! server): who owns each record in the lists, the "mine / team" filter in
//! the CLI and the TUI, and a form that says its record was saved by
//! someone else before it is saved over. The last also on a file book,
//! where another dossier's save is noticed by SQLite's data version.

mod pg_support;
mod support;

use dossier::domain::{Clock, Customer, Opportunity};
use dossier::store::engine::team;
use dossier::store::Store;
use ratatui::crossterm::event::KeyCode;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use support::Harness;

/// A team book with two reps of team east (ann, bob) and their manager
/// (meg); each member's URL. Role names are unique in this run (roles are
/// the server's, not the database's).
struct Team {
    ann: String,
    bob: String,
    meg: String,
    ann_role: String,
    bob_role: String,
}

fn team_book(pg: &pg_support::PgServer, label: &str) -> Team {
    let url = pg_support::fresh_database(pg, label);
    team::init(&url).unwrap();
    let tag = format!("{}_{}", std::process::id(), url.rsplit('_').next().unwrap());
    let member = |who: &str, manager: bool| {
        let name = format!("{who}_{tag}");
        let pw = team::add_user(
            &url,
            &team::NewMember {
                name: &name,
                team: "east",
                manager,
            },
        )
        .unwrap()
        .unwrap();
        (pg_support::as_user(&url, &format!("{name}:{pw}")), name)
    };
    let (ann, ann_role) = member("ann", false);
    let (bob, bob_role) = member("bob", false);
    let (meg, _) = member("meg", true);
    Team {
        ann,
        bob,
        meg,
        ann_role,
        bob_role,
    }
}

fn open(url: &str) -> Store {
    Store::open_with_clock(Path::new(url), Clock::at_date(support::today())).unwrap()
}

/// Ann's two customers (one with a deal) and Bob's one.
fn fill(t: &Team) -> (Vec<i64>, i64) {
    let (mut ann, mut bob) = (open(&t.ann), open(&t.bob));
    let a1 = ann.add_customer(&Customer::named("Ann One")).unwrap();
    let a2 = ann.add_customer(&Customer::named("Ann Two")).unwrap();
    ann.save(&Opportunity {
        title: "Ann's deal".into(),
        customer_id: a1.meta.id,
        ..Default::default()
    })
    .unwrap();
    let b = bob.add_customer(&Customer::named("Bob One")).unwrap();
    bob.save(&Opportunity {
        title: "Bob's deal".into(),
        customer_id: b.meta.id,
        ..Default::default()
    })
    .unwrap();
    (vec![a1.meta.id, a2.meta.id], b.meta.id)
}

fn dossier(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DOSSIER_DB")
        .env("LC_ALL", "en_US.UTF-8")
        .env("DOSSIER_NOW", support::today().to_string())
        .env(
            "XDG_DATA_HOME",
            std::env::temp_dir().join("dossier-pg-team-view-unused"),
        )
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn list_mine_shows_only_ones_own_and_the_owner_column_names_them() {
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let t = team_book(pg, "view_cli");
    let (anns, bobs) = fill(&t);

    let mine = stdout(&dossier(&t.ann, &["list", "customer", "--mine"]));
    assert!(
        mine.contains("Ann One") && mine.contains("Ann Two"),
        "{mine}"
    );
    assert!(!mine.contains("Bob One"), "{mine}");
    let deals = stdout(&dossier(&t.ann, &["list", "opportunity", "--mine"]));
    assert!(
        deals.contains("Ann's deal") && !deals.contains("Bob's deal"),
        "{deals}"
    );

    // The team view: everyone's, each line naming its owner.
    let all = stdout(&dossier(&t.ann, &["list", "customer"]));
    let line = |name: &str| all.lines().find(|l| l.contains(name)).unwrap().to_string();
    assert!(line("Ann One").contains(&t.ann_role), "{all}");
    assert!(line("Bob One").contains(&t.bob_role), "{all}");
    assert!(!line("Bob One").contains(&t.ann_role), "{all}");

    let bobs_list = stdout(&dossier(
        &t.ann,
        &["list", "customer", "--owner", &t.bob_role],
    ));
    assert!(
        bobs_list.contains("Bob One") && !bobs_list.contains("Ann"),
        "{bobs_list}"
    );

    // JSON and Markdown carry it as a field.
    let json = stdout(&dossier(&t.ann, &["list", "customer", "--json"]));
    for l in json.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let want = if v["id"] == bobs {
            &t.bob_role
        } else {
            &t.ann_role
        };
        assert_eq!(v["owned_by"], want.as_str(), "{l}");
    }
    let id = anns[0].to_string();
    let shown = stdout(&dossier(&t.bob, &["show", "customer", &id, "--json"]));
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(v["owned_by"], t.ann_role.as_str());
    let md = stdout(&dossier(
        &t.bob,
        &["show", "customer", &id, "--format", "md"],
    ));
    assert!(md.contains(&format!("owned by {}", t.ann_role)), "{md}");
    let text = stdout(&dossier(&t.bob, &["show", "customer", &id]));
    assert!(text.contains(&format!("owned by {}", t.ann_role)), "{text}");

    // With a tag filter, mine still keeps to mine.
    let tagged = stdout(&dossier(
        &t.ann,
        &["list", "customer", "--mine", "--tag", "lifecycle=new"],
    ));
    assert!(!tagged.contains("Bob One"), "{tagged}");
}

#[test]
fn a_local_book_has_no_owners_and_says_mine_needs_a_team_book() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.db");
    let book = book.to_str().unwrap();
    let mut s = Store::open(Path::new(book)).unwrap();
    s.add_customer(&Customer::named("Local One")).unwrap();
    drop(s);
    let o = dossier(book, &["list", "customer", "--mine"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("need a team book"), "{err}");
    let json = stdout(&dossier(book, &["list", "customer", "--json"]));
    assert!(
        json.contains("Local One") && !json.contains("owned_by"),
        "{json}"
    );

    // The TUI's key says so too, and the lists show no owner.
    let store = Store::open_with_clock(Path::new(book), Clock::at_date(support::today())).unwrap();
    let mut h = Harness::new(store, 120, 40);
    assert_eq!(h.app.team, None);
    h.key(KeyCode::Char('o'));
    assert!(h.status().contains("needs a team book"), "{}", h.status());
    assert!(!h.app.mine);
    assert!(!h.screen().contains("Owner"), "{}", h.screen());
}

/// Waits (up to 10 s) until `done` holds, polling the app's runtime as its
/// main loop does.
fn until(h: &mut Harness, what: &str, done: impl Fn(&Harness) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(h) {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
        h.events(Vec::new());
    }
}

#[test]
fn in_the_tui_mine_shows_only_ones_own_rows_and_toggles_back() {
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let t = team_book(pg, "view_tui");
    fill(&t);
    let mut h = Harness::new(open(&t.ann), 120, 40);
    assert_eq!(h.app.team.as_deref(), Some(t.ann_role.as_str()));
    let mut names = h.names();
    names.sort();
    assert_eq!(names, ["Ann One", "Ann Two", "Bob One"]);
    // The owner column names each row's owner.
    let screen = h.screen();
    assert!(screen.contains("Owner"), "{screen}");
    let row = |s: &str, name: &str| s.lines().find(|l| l.contains(name)).unwrap().to_string();
    assert!(
        row(&screen, "Bob One").contains(&t.bob_role[..8]),
        "{screen}"
    );
    assert!(screen.contains("team"), "{screen}");

    h.key(KeyCode::Char('o'));
    assert!(h.app.mine);
    let mut names = h.names();
    names.sort();
    assert_eq!(names, ["Ann One", "Ann Two"]);
    let screen = h.screen();
    assert!(
        screen.contains(&format!("mine ({}", t.ann_role)),
        "{screen}"
    );
    // The other lists keep to mine too.
    h.key(KeyCode::Char('3'));
    let deals: Vec<String> = h
        .app
        .tabs
        .deals
        .list
        .in_order()
        .map(|d| d.title.clone())
        .collect();
    assert_eq!(deals, ["Ann's deal"]);

    h.key(KeyCode::Char('o')).key(KeyCode::Char('2'));
    assert!(!h.app.mine);
    assert_eq!(h.names().len(), 3);

    // At 80 columns the owner column stays.
    h.events(vec![ratatui::crossterm::event::Event::Resize(80, 24)]);
    let screen = h.screen();
    assert!(screen.contains("Owner"), "{screen}");
    assert!(
        row(&screen, "Bob One").contains(&t.bob_role[..6]),
        "{screen}"
    );
}

/// Opens the form on customer `id` (selected in the list, then `e`).
fn edit_customer(h: &mut Harness, id: i64) {
    let rows = h.app.table_rows();
    assert!(h.app.customers.select_id(id, rows));
    h.key(KeyCode::Char('e'));
    let form = h.app.form().expect("the form is open");
    assert_eq!(form.base.id(), id);
    assert!(form.changed_underneath.is_none());
}

/// The form names the colleague's save, Ctrl-S is refused without losing
/// it, and Ctrl-R shows their version, which then saves.
fn warned_then_refused_then_reloaded(h: &mut Harness, kept: impl Fn() -> String) {
    until(h, "the form's warning", |h| {
        h.app.form().is_some_and(|f| f.changed_underneath.is_some())
    });
    let screen = h.screen();
    assert!(
        screen.contains("Changed elsewhere since you opened it"),
        "{screen}"
    );
    h.focus("city").typed("Mine");
    h.ctrl('s');
    assert!(h.app.form().is_some(), "the form stays open");
    assert_eq!(kept(), "北京", "the colleague's change is kept");
    h.ctrl('r');
    let form = h.app.form().expect("the form again");
    assert!(form.changed_underneath.is_none());
    let city = form.fields.iter().find(|f| f.key == "city").unwrap();
    assert_eq!(city.value(), "北京");
    h.ctrl('s');
    assert!(h.app.form().is_none(), "saved over the version read now");
}

#[test]
fn a_form_on_a_record_a_colleague_saves_says_so_before_saving() {
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let t = team_book(pg, "view_form");
    let (anns, _) = fill(&t);
    let mut h = Harness::new(open(&t.ann), 120, 40);
    edit_customer(&mut h, anns[0]);

    // The manager saves Ann's customer meanwhile.
    let mut meg = open(&t.meg);
    let mut c = meg.customer(anns[0]).unwrap();
    c.city = "北京".into();
    meg.update_customer(&c).unwrap();

    let check = open(&t.ann);
    warned_then_refused_then_reloaded(&mut h, || check.customer(anns[0]).unwrap().city);
    assert_eq!(h.app.customers.owner(anns[0]), Some(t.ann_role.as_str()));
}

#[test]
fn on_a_file_book_another_dossiers_save_warns_the_form_too() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.db");
    let clock = || Clock::at_date(support::today());
    let mut other = Store::open_with_clock(&book, clock()).unwrap();
    let c = other.add_customer(&Customer::named("Shared One")).unwrap();
    let mut h = Harness::new(Store::open_with_clock(&book, clock()).unwrap(), 120, 40);
    edit_customer(&mut h, c.meta.id);

    let mut now = other.customer(c.meta.id).unwrap();
    now.city = "北京".into();
    other.update_customer(&now).unwrap();

    let check = Store::open_with_clock(&book, clock()).unwrap();
    let id = c.meta.id;
    warned_then_refused_then_reloaded(&mut h, || check.customer(id).unwrap().city);
}

#[test]
fn a_form_opened_on_a_copy_older_than_the_book_says_so_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.db");
    let clock = || Clock::at_date(support::today());
    let mut other = Store::open_with_clock(&book, clock()).unwrap();
    let c = other.add_customer(&Customer::named("Shared One")).unwrap();
    let mut h = Harness::new(Store::open_with_clock(&book, clock()).unwrap(), 120, 40);
    // The list and detail hold version 1 when another dossier saves.
    assert!(h.app.customers.select_id(c.meta.id, 10));
    h.events(Vec::new());
    let mut now = other.customer(c.meta.id).unwrap();
    now.city = "北京".into();
    other.update_customer(&now).unwrap();

    h.act(dossier::tui::Action::Edit);
    let form = h.app.form().expect("the form is open");
    assert_eq!(form.base.meta().version, 1, "opened on the list's copy");
    assert!(form.changed_underneath.is_some(), "named at once");
}
