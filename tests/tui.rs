//! The terminal UI without a terminal: actions fed to the app against a real
//! in-memory store, and screens drawn on a `TestBackend` for snapshots.

use chrono::NaiveDate;
use dossier::domain::{Activity, ActivityKind, Clock, Customer, CustomerKind, Money, Opportunity};
use dossier::domain::{Kind, Sentiment, Stage};
use dossier::store::Store;
use dossier::tui::app::Tab;
use dossier::tui::keymap::KeyMap;
use dossier::tui::theme::Theme;
use dossier::tui::{Action, App, Effect, Runtime};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;

mod support;
use support::Harness;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn store() -> Store {
    Store::open_in_memory_with_clock(Clock::at_date(today())).unwrap()
}

/// A small book: Latin and Chinese names; the first customer has deals and a
/// timeline, so the classifier gives it tags with reasons.
fn seeded() -> Store {
    let mut s = store();
    let people = [
        ("张伟", "上海未来科技有限公司", "上海"),
        ("Alice Martin", "Martin & Fils", "Lyon"),
        ("王芳", "杭州云端电子商务", "杭州"),
        ("Bob Stone", "", "Leeds"),
        ("李娜", "北京星河贸易", "北京"),
    ];
    for i in 0..30 {
        let (name, company, city) = people[i % people.len()];
        let mut c = Customer::named(&if i < people.len() {
            name.to_string()
        } else {
            format!("{name} {i}")
        });
        c.company = company.into();
        c.city = city.into();
        if i == 0 {
            c.kind = CustomerKind::Enterprise;
            c.title = "采购经理".into();
            c.phones = vec!["+86 138 0000 1234".into()];
            c.emails = vec!["zhang.wei@example.cn".into()];
            c.country = "China".into();
            c.province = "上海".into();
            c.industry = "tech".into();
            c.size = Some(120);
            c.source = "exhibition".into();
            c.needs = vec!["quality-first".into()];
        }
        s.add_customer(&c).unwrap();
    }
    // A won deal last autumn: the classifier tags customer 1 from it.
    s.add_opportunity(&Opportunity {
        customer_id: 1,
        title: "打印机 20 台".into(),
        amount: Money::from_units(182_000),
        stage: Stage::Won,
        expected_close: NaiveDate::from_ymd_opt(2025, 10, 10),
        closed_on: NaiveDate::from_ymd_opt(2025, 10, 10),
        ..Default::default()
    })
    .unwrap();
    s.add_opportunity(&Opportunity {
        customer_id: 1,
        title: "年度框架协议".into(),
        amount: Money::from_units(120_000),
        stage: Stage::Negotiation,
        expected_close: NaiveDate::from_ymd_opt(2026, 4, 15),
        ..Default::default()
    })
    .unwrap();
    s.add_activity(&Activity {
        kind: ActivityKind::Visit,
        customer_id: Some(1),
        date: NaiveDate::from_ymd_opt(2026, 2, 20).unwrap(),
        summary: "现场拜访，确认需求".into(),
        sentiment: Some(Sentiment::Positive),
        ..Default::default()
    })
    .unwrap();
    s
}

#[test]
fn lists_scrolls_and_shows_the_selected_file() {
    let mut h = Harness::open(seeded(), 120, 40);
    assert_eq!(h.app.customers.entries.len(), 30);
    assert_eq!(h.app.customers.selected_id(), Some(1));
    let file = h.app.customers.selected_file().unwrap();
    assert!(file.tags.iter().any(|t| t.dimension == "value"));
    assert_eq!(file.opportunities.len(), 2);
    h.act(Action::Bottom);
    assert_eq!(h.app.customers.selected_id(), Some(30));
    assert_eq!(
        h.app.customers.selected_file().unwrap().customer.meta.id,
        30
    );
    h.act(Action::PageUp).act(Action::Top).act(Action::Down);
    assert_eq!(h.app.customers.selected_id(), Some(2));
}

#[test]
fn sorts_by_name_and_reverses() {
    let mut h = Harness::open(seeded(), 120, 40);
    h.act(Action::SortNext); // id → name
    let first = h.app.customers.selected().map(|r| r.name.clone());
    // The selection stays on the same customer after a sort.
    assert_eq!(h.app.customers.selected_id(), Some(1));
    h.act(Action::Top);
    assert_eq!(
        h.app.customers.selected().unwrap().name,
        "Alice Martin",
        "was {first:?}"
    );
    // Chinese names sort by pinyin: 张 (zhang) last, after 王 (wang).
    h.act(Action::SortReverse).act(Action::Top);
    assert!(h.app.customers.selected().unwrap().name.starts_with('张'));
}

#[test]
fn adds_a_customer_through_the_form() {
    let mut h = Harness::open(store(), 80, 24);
    h.act(Action::Add);
    assert!(h.app.form().is_some());
    h.typed("陈静");
    h.key(KeyCode::Tab).key(KeyCode::Right); // kind: enterprise
    h.key_mod(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(h.app.form().is_none(), "form closes after save");
    let status = h.app.status.clone().unwrap();
    assert!(status.text.starts_with("Added 陈静"), "{}", status.text);
    let c = h.rt.store.customer(1).unwrap();
    assert_eq!(c.kind, CustomerKind::Enterprise);
    assert_eq!(h.app.customers.entries, vec![1]);
}

#[test]
fn bad_input_is_shown_at_the_field_and_nothing_is_written() {
    let mut h = Harness::open(store(), 80, 24);
    h.act(Action::Add);
    h.typed("Ann");
    for _ in 0..11 {
        h.act(Action::NextField);
    }
    assert_eq!(
        h.app.form().unwrap().fields[h.app.form().unwrap().focus].key,
        "size"
    );
    h.typed("lots");
    h.act(Action::Save);
    let form = h.app.form().unwrap();
    assert!(form.error_for("size").unwrap().contains("not a number"));
    assert!(h.app.status.as_ref().unwrap().error);
    assert!(h.rt.store.is_empty().unwrap());
}

#[test]
fn escape_asks_before_discarding_changes() {
    let mut h = Harness::open(store(), 80, 24);
    h.act(Action::Add).act(Action::Cancel);
    assert!(h.app.form().is_none(), "an untouched form just closes");
    h.act(Action::Add).typed("x").act(Action::Cancel);
    assert!(h.app.confirm().is_some());
    h.act(Action::Deny);
    assert!(h.app.form().is_some(), "no keeps the form");
    h.act(Action::Cancel).act(Action::Confirm);
    assert!(h.app.form().is_none());
    // Ctrl-C with changes asks too, then quits.
    h.act(Action::Add).typed("y").act(Action::Quit);
    assert!(!h.app.quit);
    h.act(Action::Confirm);
    assert!(h.app.quit);
}

#[test]
fn deletes_with_confirmation_and_undoes() {
    let mut h = Harness::open(seeded(), 120, 40);
    h.act(Action::Delete);
    assert!(h.app.confirm().is_some());
    h.act(Action::Confirm);
    assert_eq!(h.app.customers.entries.len(), 29);
    assert!(h.app.status.as_ref().unwrap().text.contains("u to undo"));
    h.act(Action::Undo);
    assert_eq!(h.app.customers.entries.len(), 30);
    assert_eq!(h.app.customers.selected_id(), Some(1));
    assert!(h.rt.store.customer(1).unwrap().meta.deleted_at.is_none());
}

#[test]
fn logs_a_touch_in_three_keys_plus_text() {
    let mut h = Harness::open(seeded(), 120, 40);
    h.key(KeyCode::Char('t'))
        .key(KeyCode::Char('c'))
        .typed("报价已发")
        .key(KeyCode::Enter);
    assert!(h.app.touch().is_none());
    let timeline = h.rt.store.activities_of_customer(1).unwrap();
    assert_eq!(timeline.len(), 2);
    let call = timeline.iter().find(|a| a.summary == "报价已发").unwrap();
    assert_eq!(call.kind, ActivityKind::Call);
    assert_eq!(call.date, today());
    assert_eq!(h.app.customers.selected_file().unwrap().activities.len(), 2);
    // A leading minus marks a negative touch.
    h.key(KeyCode::Char('t'))
        .key(KeyCode::Char('v'))
        .typed("- 交期不满意")
        .key(KeyCode::Enter);
    let timeline = h.rt.store.activities_of_customer(1).unwrap();
    let visit = timeline.iter().find(|a| a.summary == "交期不满意").unwrap();
    assert_eq!(visit.sentiment, Some(Sentiment::Negative));
}

#[test]
fn a_conflict_is_a_message_not_a_crash() {
    let mut h = Harness::open(seeded(), 120, 40);
    h.act(Action::Edit);
    // Another instance saves the same customer first.
    let mut other = h.rt.store.customer(1).unwrap();
    other.notes = "changed elsewhere".into();
    h.rt.store.update_customer(&other).unwrap();
    h.typed("!").act(Action::Save);
    let status = h.app.status.clone().unwrap();
    assert!(status.error);
    assert!(status.text.contains("changed elsewhere"), "{}", status.text);
    assert!(
        h.app.form().is_some(),
        "the form stays open with the typed text"
    );
}

#[test]
fn tabs_switch_by_number_and_tab_key() {
    let mut h = Harness::open(seeded(), 80, 24);
    h.act(Action::TabOpportunities);
    assert_eq!(h.app.tab, Tab::Opportunities);
    assert_eq!(h.app.tabs.deals.list.len(), 2);
    h.act(Action::NextTab)
        .act(Action::NextTab)
        .act(Action::NextTab);
    assert_eq!(h.app.tab, Tab::Dashboard);
    assert_eq!(h.app.counts.customers, 30);
    h.act(Action::PrevTab);
    assert_eq!(h.app.tab, Tab::Activities);
}

#[test]
fn the_empty_book_offers_the_demo() {
    fn demo(store: &mut Store) -> anyhow::Result<String> {
        store.add_customer(&Customer::named("Demo Person"))?;
        Ok("Demo book loaded".into())
    }
    let mut app = App::new(KeyMap::defaults(), Theme::plain(), today());
    let mut rt = Runtime::new(store(), Some(demo));
    rt.dispatch(&mut app, Action::Resize(80, 24));
    let start = app.start(true);
    rt.run_all(&mut app, start);
    assert!(app.confirm().is_some());
    rt.dispatch(&mut app, Action::Confirm);
    assert_eq!(app.customers.entries.len(), 1);
    assert_eq!(app.status.unwrap().text, "Demo book loaded");
}

#[test]
fn moving_asks_only_for_the_rows_on_screen() {
    let mut h = Harness::open(seeded(), 80, 24);
    let fx = h.app.update(Action::Bottom);
    let rows: Vec<usize> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::LoadRows { ids, .. } => Some(ids.len()),
            _ => None,
        })
        .collect();
    assert!(
        rows.iter().all(|n| *n <= 3 * h.app.table_rows()),
        "{rows:?}"
    );
    assert!(fx.contains(&Effect::LoadDetail(Kind::Customer, 30)));
}

// ---- screens ----

#[test]
fn snapshot_list_80x24() {
    let h = Harness::open(seeded(), 80, 24);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn snapshot_list_and_detail_120x40() {
    let h = Harness::open(seeded(), 120, 40);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn snapshot_detail_80x24() {
    let mut h = Harness::open(seeded(), 80, 24);
    h.act(Action::ToggleDetail);
    insta::assert_snapshot!(h.screen());
}

fn form_with_errors(w: u16, hgt: u16) -> String {
    let mut h = Harness::open(seeded(), w, hgt);
    h.act(Action::Edit);
    for _ in 0..5 {
        h.act(Action::NextField);
    }
    h.key_mod(KeyCode::Char('u'), KeyModifiers::CONTROL)
        .typed("zhang@");
    h.act(Action::Save);
    h.screen()
}

#[test]
fn snapshot_form_with_error_80x24() {
    insta::assert_snapshot!(form_with_errors(80, 24));
}

#[test]
fn snapshot_form_with_error_120x40() {
    insta::assert_snapshot!(form_with_errors(120, 40));
}

#[test]
fn snapshot_help_80x24() {
    let mut h = Harness::open(seeded(), 80, 24);
    h.act(Action::Help);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn snapshot_help_120x40() {
    let mut h = Harness::open(seeded(), 120, 40);
    h.act(Action::Help);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn the_status_names_the_saved_records_tag_changes() {
    use dossier::store::TagChange;
    use dossier::tui::app::describe_changes;
    let change = |kind, id, old: Option<&str>, new: &str| TagChange {
        kind,
        id,
        dimension: "value".into(),
        old: old.map(String::from),
        new: Some(new.into()),
        reason: String::new(),
    };
    let changes = vec![
        change(Kind::Customer, 7, Some("low"), "high"),
        change(Kind::Product, 3, None, "hot"),
    ];
    assert_eq!(
        describe_changes(&changes, 7),
        " · value: low → high (+1 on related records)"
    );
    assert_eq!(describe_changes(&[], 7), " · no tag changed");
    let added = vec![
        change(Kind::Customer, 7, None, "low"),
        TagChange {
            dimension: "industry".into(),
            ..change(Kind::Customer, 7, None, "tech")
        },
    ];
    assert_eq!(
        dossier::tui::app::describe_new_tags(&added, 7),
        " · value: low, 1 more tag"
    );
}

#[test]
fn a_busy_book_is_a_message_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.db");
    let mut s = Store::open_with_clock(&path, Clock::at_date(today())).unwrap();
    s.add_customer(&Customer::named("Ann")).unwrap();
    s.conn()
        .sqlite()
        .unwrap()
        .busy_timeout(std::time::Duration::from_millis(50))
        .unwrap();
    let mut h = Harness::open(s, 80, 24);
    // Another process holds the write lock.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    h.act(Action::Edit).typed("!").act(Action::Save);
    let status = h.app.status.clone().unwrap();
    assert!(status.error);
    assert!(status.text.contains("busy"), "{}", status.text);
    assert!(h.app.form().is_some());
    other.execute_batch("ROLLBACK").unwrap();
    h.act(Action::Save);
    assert!(h.app.form().is_none(), "{:?}", h.app.status);
}

#[test]
fn snapshot_empty_book_offers_the_demo_80x24() {
    fn demo(_: &mut Store) -> anyhow::Result<String> {
        Ok(String::new())
    }
    let mut app = App::new(KeyMap::defaults(), Theme::plain(), today());
    let mut rt = Runtime::new(store(), Some(demo));
    rt.dispatch(&mut app, Action::Resize(80, 24));
    let start = app.start(true);
    rt.run_all(&mut app, start);
    let term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let h = Harness { app, rt, term };
    insta::assert_snapshot!(h.screen());
}

#[test]
fn snapshot_touch_entry_120x40() {
    let mut h = Harness::open(seeded(), 120, 40);
    h.key(KeyCode::Char('t'))
        .key(KeyCode::Char('m'))
        .typed("+ 签约意向强");
    insta::assert_snapshot!(h.screen());
}

/// The tags an unmerge moved belong to the unmerge: a later save of another
/// customer reports its own changes only (they used to wait in a mailbox on
/// the store and were reported by the next save).
#[test]
fn after_an_unmerge_a_save_reports_only_its_own_tag_changes() {
    let mut s = seeded();
    let mut carl = Customer::named("Carl Berg");
    carl.emails = vec!["carl@berg.example".into()];
    let carl = s.add_customer(&carl).unwrap().meta.id;
    let mut twin = Customer::named("Carl Berg");
    twin.emails = vec!["carl@berg.example".into()];
    twin.city = "Lyon".into();
    twin.industry = "finance".into();
    twin.kind = CustomerKind::Enterprise;
    let twin = s.add_customer(&twin).unwrap().meta.id;
    let merge = s.merge_customers(carl, twin).unwrap().id;
    let mut h = Harness::open(s, 120, 40);
    h.rt.run_all(
        &mut h.app,
        vec![Effect::Unmerge {
            merge_id: merge,
            label: "Carl Berg into Carl Berg".into(),
        }],
    );
    // Bob Stone (customer 4): a change of notes moves none of his tags.
    let mut bob = h.rt.store.customer(4).unwrap();
    bob.notes = "prefers email".into();
    h.rt.run_all(&mut h.app, vec![Effect::Save(Box::new(bob.into()))]);
    let status = h.app.status.as_ref().map(|s| s.text.clone()).unwrap();
    assert!(status.contains("no tag changed"), "{status}");
}

/// `T` opens the trash (every kind); `r` restores, `D` then `y` deletes for
/// good; the lists are read again after each.
#[test]
fn the_trash_restores_and_deletes_for_good() {
    let mut s = seeded();
    s.delete(Kind::Customer, 4, None).unwrap();
    s.delete(Kind::Opportunity, 2, None).unwrap();
    let mut h = Harness::open(s, 120, 40);
    h.key(KeyCode::Char('T'));
    let screen = h.screen();
    assert!(screen.contains("Trash (2)"), "{screen}");
    assert!(screen.contains("Bob Stone"), "{screen}");
    assert!(screen.contains("年度框架协议"), "{screen}");
    // Both went at the same (fixed) time: find Bob.
    for _ in 0..2 {
        if h.app.trash().unwrap().selected().unwrap().label != "Bob Stone" {
            h.key(KeyCode::Char('j'));
        }
    }
    h.key(KeyCode::Char('r'));
    assert!(h.rt.store.customer(4).unwrap().meta.deleted_at.is_none());
    assert!(h.screen().contains("Trash (1)"));
    assert!(h
        .app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("Bob Stone restored"));
    h.key(KeyCode::Char('D'));
    assert!(h.screen().contains("for good?"));
    h.key(KeyCode::Char('y'));
    assert!(h.rt.store.opportunity(2).is_err(), "purged");
    assert!(h.screen().contains("The trash is empty"));
    h.key(KeyCode::Esc);
    assert!(h.app.trash().is_none());
}

/// Ctrl-C in the quick touch prompt closes the prompt; it never quits.
#[test]
fn ctrl_c_in_the_touch_prompt_closes_it() {
    let mut h = Harness::open(seeded(), 120, 40);
    h.typed("tc").typed("called about the quote");
    assert!(h.app.touch().is_some());
    h.key_mod(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(h.app.touch().is_none());
    assert!(!h.app.quit && h.app.confirm().is_none());
}

/// The most important change leads the status line (it may be cut at 80
/// columns), and `H` shows every message whole.
#[test]
fn the_status_line_leads_with_the_important_change_and_h_shows_the_log() {
    use dossier::store::TagChange;
    let change = |dimension: &str, old: &str, new: &str| TagChange {
        kind: Kind::Customer,
        id: 7,
        dimension: dimension.into(),
        old: Some(old.into()),
        new: Some(new.into()),
        reason: String::new(),
    };
    let changes = vec![
        change("location", "–", "Lyon"),
        change("rfm", "hibernating", "new"),
        change("status", "prospect", "existing"),
        change("value", "low", "high"),
    ];
    assert_eq!(
        dossier::tui::app::describe_changes(&changes, 7),
        " · status: prospect → existing, value: low → high, location: – → Lyon, rfm: hibernating → new"
    );

    let mut h = Harness::open(seeded(), 80, 24);
    let long = format!("Saved {}", "x".repeat(150));
    h.app.info(long.clone());
    h.app.error("second");
    h.key(KeyCode::Char('H'));
    let screen = h.screen();
    assert!(screen.contains("Messages"), "{screen}");
    // Newest first, the long one wrapped whole.
    let second = screen.find("second").unwrap();
    let first = screen.find("Saved").unwrap();
    assert!(second < first, "{screen}");
    assert!(screen.matches('x').count() >= 150, "{screen}");
    h.key(KeyCode::Char('j'));
    assert!(!h.app.messages_open, "any key closes");
}

/// The rows of a `TestBackend` screen, without its quotes and notes.
fn screen_rows(screen: &str) -> Vec<&str> {
    screen
        .lines()
        .map(|l| l.get(1..l.rfind('"').unwrap_or(l.len())).unwrap_or(""))
        .collect()
}

#[test]
fn a_message_wider_than_the_screen_wraps_instead_of_being_cut() {
    let mut h = Harness::open(seeded(), 80, 24);
    // "Mine / team" on a local book: a message longer than 80 columns.
    h.act(Action::ToggleMine);
    let status = h.status();
    assert!(status.chars().count() > 80, "{status}");
    let screen = h.screen();
    let rows = screen_rows(&screen);
    let (first, last) = (rows[rows.len() - 2], rows[rows.len() - 1]);
    let words: Vec<&str> = status.split(' ').collect();
    // It starts on the row above the last and ends on the last, whole.
    assert!(first.starts_with(words[0]), "{screen}");
    assert!(
        last.trim_end().ends_with(words[words.len() - 1]),
        "{screen}"
    );
    // The list gave up a row for it and kept its frame.
    assert!(rows[rows.len() - 3].starts_with('└'), "{screen}");
    // Once the message goes, the key hints take one row again.
    h.key(KeyCode::Down);
    let screen = h.screen();
    let rows = screen_rows(&screen);
    assert!(rows[rows.len() - 2].starts_with('└'), "{screen}");
}
