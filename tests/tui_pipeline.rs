//! The one record pipeline, seen from the runtime: which effects a write
//! performs, and that the runtime drives the app through its narrow
//! interface only.

use chrono::NaiveDate;
use dossier::domain::{Clock, Customer};
use dossier::store::Store;
use dossier::tui::keymap::KeyMap;
use dossier::tui::theme::Theme;
use dossier::tui::{Action, App, Effect, Model, Runtime};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// The effect's name (its variant), for comparing sequences.
fn name(e: &Effect) -> String {
    let debug = format!("{e:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Feeds `action` to the app and performs what follows, one effect at a
/// time, recording each effect's name.
fn performed(app: &mut App, rt: &mut Runtime, action: Action) -> Vec<String> {
    let mut log = Vec::new();
    let mut queue: std::collections::VecDeque<Effect> = Model::update(app, action).into();
    while let Some(e) = queue.pop_front() {
        log.push(name(&e));
        if let Some(o) = rt.perform(e) {
            queue.extend(Model::apply(app, o));
        }
    }
    log
}

#[test]
fn one_customer_save_performs_save_then_one_read_of_ids_rows_and_file() {
    let mut store = Store::open_in_memory_with_clock(Clock::at_date(today())).unwrap();
    for n in ["张伟", "Alice Martin", "Bob Stone"] {
        store.add_customer(&Customer::named(n)).unwrap();
    }
    let mut app = App::new(KeyMap::defaults(), Theme::plain(), today());
    let mut rt = Runtime::new(store, None);
    rt.dispatch(&mut app, Action::Resize(120, 40));
    let start = app.start(false);
    rt.run_all(&mut app, start);
    assert!(
        app.customers.selected_file().is_some(),
        "the first file is read"
    );

    // Edit the selected customer: the form opens at once, from the list's
    // copy; its only effect checks that copy's version against the book's
    // (a form on an older copy says so at once).
    assert_eq!(
        performed(&mut app, &mut rt, Action::Edit),
        ["CheckFormRecord"]
    );
    let form = app.form_mut().expect("the form is open");
    form.fields[0].input = tui_input::Input::new("张伟 (Shanghai)".into());
    let log = performed(&mut app, &mut rt, Action::Save);
    assert_eq!(log, ["Save", "LoadIds", "LoadRows", "LoadDetail"]);
    assert!(app.form().is_none());
    assert_eq!(
        app.customers.selected_file().unwrap().customer.name,
        "张伟 (Shanghai)"
    );
}
