//! Follow-ups as reminders in the terminal UI (issue 18): a note never takes
//! one off the Dashboard, `x` marks one done, the quick touch sets one with
//! `@fri` and shows the date it means, and the Dashboard lists them all,
//! oldest first, with the real total in the title.

use dossier::tui::app::Tab;
use dossier::tui::Action;
use ratatui::crossterm::event::KeyCode;

mod support;
use support::{demo, today, Harness};

fn follow_up_ids(h: &Harness) -> Vec<i64> {
    let data = h
        .app
        .tabs
        .dashboard
        .data
        .as_ref()
        .expect("dashboard loaded");
    data.follow_ups.iter().map(|f| f.activity_id).collect()
}

#[test]
fn a_note_does_not_take_a_follow_up_off_the_dashboard() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabDashboard);
    let before = follow_up_ids(&h);
    let first = h.app.tabs.dashboard.data.as_ref().unwrap().follow_ups[0].clone();
    // Enter opens the customer; a note is logged there.
    h.act(Action::Edit);
    assert_eq!(h.app.customers.selected_id(), Some(first.customer_id));
    h.key(KeyCode::Char('t'))
        .key(KeyCode::Char('n'))
        .typed("internal: ask the warehouse about stock")
        .key(KeyCode::Enter);
    assert!(h.status().starts_with("Touch logged"), "{}", h.status());
    h.act(Action::TabDashboard);
    assert_eq!(follow_up_ids(&h), before, "the note changed the follow-ups");
    let screen = h.screen();
    assert!(screen.contains(&first.customer_name), "{screen}");
}

#[test]
fn the_dashboard_lists_every_follow_up_oldest_first_with_its_total() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabDashboard);
    let data = h.app.tabs.dashboard.data.clone().unwrap();
    let total = h.rt.store.count_follow_ups_due(today()).unwrap();
    assert!(
        total > 12,
        "the demo book has more than a screenful due: {total}"
    );
    assert_eq!(data.follow_ups.len() as i64, total);
    assert_eq!(data.follow_ups_total, total);
    assert!(data.follow_ups.windows(2).all(|w| w[0].due <= w[1].due));
    assert!(h.screen().contains(&format!("Follow-ups due {total} ")));
    // The cursor scrolls down to the last (newest) one.
    for _ in 1..total {
        h.act(Action::Down);
    }
    let last = data.follow_ups.last().unwrap();
    assert!(h.screen().contains(&last.customer_name));
}

#[test]
fn x_marks_the_selected_follow_up_done() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabDashboard);
    let before = follow_up_ids(&h);
    h.key(KeyCode::Char('x'));
    assert!(h.status().contains("marked done"), "{}", h.status());
    h.act(Action::TabDashboard);
    let after = follow_up_ids(&h);
    assert_eq!(after, before[1..]);
    let done = h.rt.store.activity(before[0]).unwrap();
    assert_eq!(done.follow_up_done, Some(today()));
}

#[test]
fn the_quick_touch_takes_a_follow_up_and_previews_its_date() {
    let mut h = Harness::new(demo(), 120, 40);
    assert_eq!(h.app.tab, Tab::Customers);
    let customer = h.app.customers.selected_id().unwrap();
    h.key(KeyCode::Char('t'))
        .key(KeyCode::Char('c'))
        .typed("+sent the quote @fri");
    // 2026-11-23 is a Monday: the next Friday is the 27th.
    assert!(
        h.screen().contains("follow-up → 2026-11-27 Fri"),
        "{}",
        h.screen()
    );
    h.key(KeyCode::Enter);
    let logged = h.rt.store.activities_of_customer(customer).unwrap();
    let call = logged
        .iter()
        .find(|a| a.summary == "sent the quote")
        .unwrap();
    assert_eq!(
        call.next_follow_up,
        today().checked_add_days(chrono::Days::new(4))
    );
    // A date that is not one is refused, and nothing is logged.
    h.key(KeyCode::Char('t'))
        .key(KeyCode::Char('c'))
        .typed("call back @fry")
        .key(KeyCode::Enter);
    assert!(
        h.app.touch().is_some(),
        "the entry stays open to fix the date"
    );
    assert!(h.screen().contains("'fry' is not a date"));
}
