//! Tiers are right at every moment on a big book too (issue 18): a book
//! over 2,000 customers is too big to recompute its cut points inside each
//! save, so a save that may move one marks the day's sweep stale, and the
//! terminal UI runs that sweep at once (in the background on a big book),
//! saying so on the status line; the records that cross a cut point are
//! re-tagged.

use chrono::NaiveDate;
use dossier::domain::{Clock, Money, Product};
use dossier::store::Store;
use dossier::tui::keymap::KeyMap;
use dossier::tui::theme::Theme;
use dossier::tui::{Action, App, Runtime};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Over the book size whose saves recompute the cut points themselves.
const CUSTOMERS: u64 = 2_100;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn classified_book(path: &std::path::Path) -> Store {
    let mut s = Store::open_with_clock(path, Clock::at_date(day())).unwrap();
    dossier::sample::gen::generate(&mut s, CUSTOMERS, 7).unwrap();
    s.sweep(false).unwrap();
    assert!(!s.sweep_due().unwrap());
    s
}

fn dear_product(n: usize) -> Product {
    Product {
        name: format!("Crane {n}"),
        price: Money::from_units(90_000_000),
        ..Product::default()
    }
}

#[test]
fn saves_that_move_a_cut_point_leave_no_tier_stale_after_the_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = classified_book(&dir.path().join("big.db"));
    // Dear products move the price tiers' cut points up: products that
    // were "high" are not any more.
    for n in 0..80 {
        s.add_product(&dear_product(n)).unwrap();
    }
    assert!(
        s.sweep_due().unwrap(),
        "a save that can move a cut point marks the sweep stale"
    );
    let pending = s.sweep(true).unwrap();
    assert!(
        pending.changed > 0,
        "the test needs records that cross a cut point"
    );
    let report = s.sweep_if_stale().unwrap().expect("the stale sweep runs");
    assert_eq!(report.changed, pending.changed);
    assert_eq!(s.sweep(true).unwrap().changed, 0, "nothing is left stale");

    // A touch or a contact without purchases cannot move a cut point.
    let c = s
        .add_customer(&dossier::domain::Customer {
            name: "Zhao Lei".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(!s.sweep_due().unwrap(), "{}", c.name);
}

#[test]
fn the_terminal_ui_re_tags_the_book_after_such_a_save_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.db");
    drop(classified_book(&path));

    let store = Store::open_with_clock(&path, Clock::at_date(day())).unwrap();
    let mut app = App::new(KeyMap::defaults(), Theme::plain(), day());
    let mut rt = Runtime::new(store, None);
    rt.dispatch(&mut app, Action::Resize(120, 40));
    let start = app.start(false);
    rt.run_all(&mut app, start);
    let key = |app: &mut App, rt: &mut Runtime, code: KeyCode, m: KeyModifiers| {
        if let Some(a) = app.key_action(&KeyEvent::new(code, m)) {
            rt.dispatch(app, a);
        } else {
            panic!("no action for {code:?}");
        }
    };
    let none = KeyModifiers::NONE;
    key(&mut app, &mut rt, KeyCode::Char('4'), none);
    key(&mut app, &mut rt, KeyCode::Char('a'), none);
    for ch in "Crane".chars() {
        key(&mut app, &mut rt, KeyCode::Char(ch), none);
    }
    // Name, SKU, Category, Price.
    for _ in 0..3 {
        key(&mut app, &mut rt, KeyCode::Tab, none);
    }
    for ch in "90000000".chars() {
        key(&mut app, &mut rt, KeyCode::Char(ch), none);
    }
    key(&mut app, &mut rt, KeyCode::Char('s'), KeyModifiers::CONTROL);
    for _ in 0..500 {
        rt.poll(&mut app);
        if !app.retagging {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let said: Vec<String> = app.messages.iter().map(|m| format!("{m:?}")).collect();
    assert!(
        said.iter().any(|m| m.contains("Added product Crane")),
        "{said:#?}"
    );
    // One dear product among two hundred moves the price tiers' cut point:
    // the product at the old cut point is re-tagged, and the UI says so.
    assert!(
        said.iter()
            .any(|m| m.contains("Tags brought up to date") && m.contains("changed")),
        "the status line says the book was re-tagged: {said:#?}"
    );
    assert!(!rt.store.sweep_due().unwrap());
    assert_eq!(
        rt.store.sweep(true).unwrap().changed,
        0,
        "no tier is left stale"
    );
    rt.shutdown();
}
