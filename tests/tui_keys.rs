//! Keys, prompts and the one form, driven through the real main loop on a
//! `TestBackend` (the shared harness in `tests/support`).

use chrono::NaiveDate;
use dossier::domain::{Clock, Customer, Kind};
use dossier::store::Store;
use dossier::tui::app::Tab;
use dossier::tui::keymap::KeyMap;
use dossier::tui::Action;
use ratatui::crossterm::event::KeyCode;

mod support;
use support::{demo, Harness};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn book(customers: Vec<Customer>) -> Store {
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(day())).unwrap();
    for c in customers {
        s.add_customer(&c).unwrap();
    }
    s
}

#[test]
fn ctrl_c_in_the_link_picker_closes_the_picker_and_keeps_the_form() {
    let mut h = Harness::new(demo(), 120, 40);
    h.key(KeyCode::Char('3')).key(KeyCode::Char('a'));
    assert!(h.app.form().is_some(), "the deal form opened");
    h.typed("Printers").tab_to("customer").key(KeyCode::Enter);
    assert!(h.app.form().unwrap().picker.is_some());
    let footer = h.screen();
    assert!(
        footer.contains("Enter link the highlighted record"),
        "{footer}"
    );
    h.ctrl('c');
    let form = h.app.form().expect("the form is still open");
    assert!(form.picker.is_none(), "the picker closed");
    assert!(h.app.confirm().is_none(), "nothing asked");
    assert_eq!(form.fields[0].value(), "Printers", "nothing typed was lost");
}

#[test]
fn touch_kinds_come_from_the_key_map_and_can_be_rebound() {
    let mut keys = KeyMap::defaults();
    keys.merge_str("[[touch]]\non = [\"k\"]\nrun = \"touch_call\"\ndesc = \"Call\"\n")
        .unwrap();
    let mut h = Harness::open_with(book(vec![Customer::named("张伟")]), 120, 40, keys);
    h.key(KeyCode::Char('t'));
    let screen = h.screen();
    assert!(
        screen.contains("k call"),
        "the prompt shows the bound key: {screen}"
    );
    assert!(screen.contains("Esc do not log"), "the footer: {screen}");
    h.key(KeyCode::Char('k')).typed("asked for a quote");
    h.key(KeyCode::Enter);
    assert!(h.app.touch().is_none(), "{}", h.status());
    let touches = h.rt.store.activities_of_customer(1).unwrap();
    assert_eq!(touches.len(), 1);
    assert_eq!(touches[0].kind.to_string(), "call");
    assert_eq!(touches[0].summary, "asked for a quote");
}

#[test]
fn notes_take_several_lines_typed_or_pasted() {
    let mut h = Harness::open(book(vec![Customer::named("Ann")]), 120, 40);
    h.key(KeyCode::Char('e')).tab_to("notes");
    h.typed("first line").key(KeyCode::Enter).typed("second");
    h.paste("\nthird\r\nfourth");
    let screen = h.screen();
    for line in ["first line", "second", "third", "fourth"] {
        assert!(screen.contains(line), "{line} is on screen: {screen}");
    }
    h.ctrl('s');
    assert!(h.app.form().is_none(), "{}", h.status());
    let notes = h.rt.store.customer(1).unwrap().notes;
    assert_eq!(notes, "first line\nsecond\nthird\nfourth");
}

#[test]
fn custom_fields_are_edited_in_the_customer_form() {
    let mut c = Customer::named("张伟");
    c.custom.insert("微信".into(), "zhangwei_88".into());
    let mut h = Harness::open(book(vec![c]), 120, 40);
    h.key(KeyCode::Char('e'));
    let screen = h.screen();
    assert!(screen.contains("微信"), "{screen}");
    // Tab to the custom field (it follows the spec's fields) and retype it.
    while h.app.form().unwrap().fields[h.app.form().unwrap().focus].label != "微信" {
        h.act(Action::NextField);
    }
    h.typed("zw_99")
        .act(Action::NextField)
        .typed("税号: 91310000");
    h.ctrl('s');
    assert!(h.app.form().is_none(), "{}", h.status());
    let saved = h.rt.store.customer(1).unwrap().custom;
    assert_eq!(saved.get("微信").map(String::as_str), Some("zw_99"));
    assert_eq!(saved.get("税号").map(String::as_str), Some("91310000"));
}

#[test]
fn esc_on_a_changed_form_asks_the_same_on_every_tab() {
    for (tab, key) in [(Tab::Customers, '2'), (Tab::Products, '4')] {
        let mut h = Harness::new(demo(), 120, 40);
        h.key(KeyCode::Char(key)).key(KeyCode::Char('a')).typed("x");
        assert_eq!(h.app.tab, tab);
        h.key(KeyCode::Esc);
        let q = h.app.confirm().map(|c| c.question.clone());
        assert_eq!(q.as_deref(), Some("Discard your changes? (y/n)"), "{tab:?}");
        h.key(KeyCode::Char('n'));
        let form = h.app.form().expect("no keeps the form");
        assert_eq!(form.fields[0].value(), "x", "the answer is not typed in");
    }
}

#[test]
fn a_customer_form_has_the_same_kind_of_record_form_as_the_other_tabs() {
    let mut h = Harness::new(demo(), 120, 40);
    h.key(KeyCode::Char('a'));
    let form = h.app.form().unwrap();
    assert_eq!(form.base.kind(), Kind::Customer);
    let footer = h.screen();
    assert!(footer.contains("C-s save"), "{footer}");
}
