//! The terminal UI's duplicate warning while a new customer is typed, and
//! merging a likely duplicate from the selected customer (with undo) —
//! actions fed to the app against a real in-memory store.

use chrono::NaiveDate;
use dossier::domain::{Clock, Customer, Kind, Opportunity};
use dossier::store::Store;
use dossier::tui::Action;
use ratatui::crossterm::event::KeyCode;

mod support;
use support::Harness;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// 张伟 at 上海华信 with a deal, and 章伟 at 华信科技 (pinyin-equal name,
/// similar company) with its own deal.
fn book() -> Store {
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(today())).unwrap();
    for (name, company, phone) in [
        ("张伟", "上海华信科技有限公司", "+86 138 0013 8000"),
        ("章伟", "华信科技", ""),
        ("Alice Martin", "Martin & Fils", ""),
    ] {
        let mut c = Customer::named(name);
        c.company = company.into();
        if !phone.is_empty() {
            c.phones = vec![phone.into()];
        }
        s.add_customer(&c).unwrap();
    }
    s.add_opportunity(&Opportunity {
        customer_id: 2,
        title: "打印机".into(),
        ..Default::default()
    })
    .unwrap();
    s
}

#[test]
fn typing_a_known_phone_warns_before_saving() {
    let mut h = Harness::open(book(), 120, 40);
    h.act(Action::Add).typed("Wei Zhang");
    assert!(h.app.form().unwrap().duplicate.is_none());
    // Down to the phones field, type the known number, leave the field.
    for _ in 0..4 {
        h.act(Action::NextField);
    }
    h.typed("13800138000").act(Action::NextField);
    let warning = h.app.form().unwrap().duplicate.clone().unwrap();
    assert!(warning.contains("#1 张伟"), "{warning}");
    assert!(warning.contains("same phone"), "{warning}");
    assert!(h.screen().contains("Looks like #1"));
    // Saving is still allowed: the warning does not block.
    h.act(Action::Save);
    assert!(h.app.form().is_none());
    assert_eq!(h.rt.store.customer(4).unwrap().name, "Wei Zhang");
}

#[test]
fn merge_from_the_selected_customer_and_undo() {
    let mut h = Harness::open(book(), 120, 40);
    assert_eq!(h.app.customers.selected_id(), Some(1));
    h.key(KeyCode::Char('M'));
    let q = h.app.confirm().cloned().expect("asks before merging");
    assert!(q.question.contains("#2 章伟"), "{}", q.question);
    h.key(KeyCode::Char('y'));
    let status = h.app.status.clone().unwrap().text;
    assert!(status.starts_with("Merged 章伟 into 张伟"), "{status}");
    assert_eq!(h.rt.store.opportunity(1).unwrap().customer_id, 1);
    assert!(h.rt.store.customer(2).unwrap().meta.deleted_at.is_some());
    assert_eq!(h.app.customers.entries, vec![1, 3]);

    h.key(KeyCode::Char('u'));
    let status = h.app.status.clone().unwrap().text;
    assert!(status.starts_with("Merge undone"), "{status}");
    assert_eq!(h.rt.store.opportunity(1).unwrap().customer_id, 2);
    assert_eq!(h.app.customers.entries, vec![1, 2, 3]);
}

#[test]
fn merge_says_so_when_there_is_no_duplicate() {
    let mut h = Harness::open(book(), 120, 40);
    h.act(Action::Bottom).key(KeyCode::Char('M'));
    assert!(h.app.confirm().is_none());
    assert_eq!(
        h.app.status.clone().unwrap().text,
        "No likely duplicate of Alice Martin"
    );
}

#[test]
fn merge_and_undo_keep_the_search_index_current() {
    let mut h = Harness::open(book(), 120, 40);
    assert_eq!(
        h.global_search("打印机"),
        vec![(Kind::Opportunity, 1, "章伟".to_string())]
    );
    h.key(KeyCode::Char('M')).key(KeyCode::Char('y'));
    // The deal moved to 张伟, and 章伟 is gone from the index.
    assert_eq!(
        h.global_search("打印机"),
        vec![(Kind::Opportunity, 1, "张伟".to_string())]
    );
    let found = h.global_search("华信科技");
    assert!(
        !found.iter().any(|h| h.0 == Kind::Customer && h.1 == 2),
        "{found:?}"
    );
    h.key(KeyCode::Char('u'));
    assert_eq!(
        h.global_search("打印机"),
        vec![(Kind::Opportunity, 1, "章伟".to_string())]
    );
    let found = h.global_search("华信科技");
    assert!(
        found.iter().any(|h| h.0 == Kind::Customer && h.1 == 2),
        "{found:?}"
    );
}
