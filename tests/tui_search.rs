//! Search in the terminal UI: `/` narrows a tab's list as you type, Ctrl-K
//! searches everything. The queries run on a worker thread, so each test
//! waits for the answer to the newest query (`Runtime::wait_search`).

use chrono::NaiveDate;
use dossier::domain::{Clock, Customer, Product};
use dossier::store::Store;
use dossier::tui::app::Tab;
use dossier::tui::search::SearchMode;
use dossier::tui::{views, Action};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui::style::Modifier;
use ratatui::Terminal;
use std::time::Duration;

mod support;
use support::Harness;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn fill(s: &mut Store) {
    for (name, company, city) in [
        ("Alice Martin", "Martin & Fils", "Lyon"),
        ("王芳", "杭州云端电子商务", "杭州"),
        ("张伟", "上海未来科技有限公司", "上海"),
        ("Bob Stone", "", "Leeds"),
        ("李娜", "北京星河贸易", "北京"),
    ] {
        let mut c = Customer::named(name);
        c.company = company.into();
        c.city = city.into();
        s.add_customer(&c).unwrap();
    }
    s.add_product(&Product {
        name: "红星打印机".into(),
        category: "office".into(),
        ..Default::default()
    })
    .unwrap();
}

fn memory_store() -> Store {
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(today())).unwrap();
    fill(&mut s);
    s
}

/// Whether the list (the left half of the screen; the detail pane's
/// title is bold anyway) shows `symbol` highlighted (bold) somewhere,
/// and whether it shows it plain somewhere.
fn highlighted(h: &Harness, symbol: &str) -> (bool, bool) {
    let (w, hh) = h.app.size;
    let mut t = Terminal::new(TestBackend::new(w, hh)).unwrap();
    t.draw(|f| views::draw(f, &h.app)).unwrap();
    let cells = t.backend().buffer().content.iter().enumerate();
    let found: Vec<bool> = cells
        .filter(|(i, c)| i % w as usize <= w as usize / 2 && c.symbol() == symbol)
        .map(|(_, c)| c)
        .map(|c| c.modifier.contains(Modifier::BOLD))
        .collect();
    (found.contains(&true), found.contains(&false))
}

fn slash_zw_narrows_then_esc_restores(store: Store) {
    let mut h = Harness::open(store, 120, 30);
    assert_eq!(h.app.customers.entries.len(), 5);
    h.typed("/").settle();
    assert_eq!(h.app.search.mode, Some(SearchMode::Tab(Tab::Customers)));
    h.typed("zw").settle();
    let names = h.names();
    assert_eq!(names.first().map(String::as_str), Some("张伟"), "{names:?}");
    assert!(!names.contains(&"Bob Stone".to_string()), "{names:?}");
    assert_eq!(h.app.customers.selected_id(), Some(3));
    let screen = h.screen();
    assert!(screen.contains("/zw"), "{screen}");

    // Enter keeps the filtered list and gives the keys back to it.
    h.key(KeyCode::Enter);
    assert_eq!(h.app.search.mode, None);
    assert_eq!(h.names().first().map(String::as_str), Some("张伟"));
    h.key(KeyCode::Char('j'));
    assert!(h.app.search.input == "zw");

    // Esc: the whole list again.
    h.key(KeyCode::Esc);
    assert_eq!(h.app.customers.entries.len(), 5);
    assert!(h.app.search.filter.is_none());
}

#[test]
fn slash_search_narrows_the_customer_list_and_esc_restores_it() {
    slash_zw_narrows_then_esc_restores(memory_store());
}

#[test]
fn the_index_is_built_in_the_background_for_a_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    let mut s = Store::open_with_clock(&path, Clock::at_date(today())).unwrap();
    fill(&mut s);
    slash_zw_narrows_then_esc_restores(s);
}

#[test]
fn esc_while_typing_restores_the_full_list() {
    let mut h = Harness::open(memory_store(), 120, 30);
    h.typed("/").typed("bob").settle();
    assert_eq!(h.names(), vec!["Bob Stone".to_string()]);
    h.key(KeyCode::Esc);
    assert_eq!(h.app.search.mode, None);
    assert_eq!(h.app.customers.entries.len(), 5);
}

#[test]
fn ctrl_k_then_enter_jumps_to_the_record() {
    let mut h = Harness::open(memory_store(), 120, 30);
    h.key_mod(KeyCode::Char('k'), KeyModifiers::CONTROL)
        .settle();
    assert_eq!(h.app.search.mode, Some(SearchMode::Global));
    h.typed("hx").settle();
    let first = h.app.search.hits.first().expect("a hit for hx");
    assert_eq!(first.label, "红星打印机");
    let screen = h.screen();
    assert!(screen.contains("product"), "{screen}");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.search.mode, None);
    assert_eq!(h.app.tab, Tab::Products);
    let selected = h.app.tabs.products.selected().map(|p| p.name.clone());
    assert_eq!(selected.as_deref(), Some("红星打印机"));
}

#[test]
fn ctrl_k_finds_a_customer_and_selects_it() {
    let mut h = Harness::open(memory_store(), 120, 30);
    h.key(KeyCode::Char(':')).typed("李娜").settle();
    h.key(KeyCode::Enter);
    assert_eq!(h.app.tab, Tab::Customers);
    assert_eq!(h.app.customers.selected_id(), Some(5));
    assert_eq!(h.app.customers.entries.len(), 5);
}

#[test]
fn a_query_error_shows_in_the_status_line() {
    let mut h = Harness::open(memory_store(), 120, 30);
    h.typed("/").typed("value:").settle();
    let status = h.app.status.clone().expect("a status");
    assert!(status.error, "{status:?}");
    assert!(h.screen().contains(&status.text[..10]), "{}", h.screen());
    // Fixing the query clears it.
    h.key(KeyCode::Backspace);
    h.typed("nosuchfilter:x").settle();
    assert!(h.app.status.as_ref().is_some_and(|s| s.error));
}

#[test]
fn the_search_keys_are_in_the_help() {
    let h = Harness::open(memory_store(), 120, 30);
    let descs: Vec<String> = h
        .app
        .keymap
        .bindings(dossier::tui::keymap::Context::List)
        .iter()
        .map(|b| format!("{b:?}"))
        .collect();
    let all = descs.join("\n");
    assert!(all.contains("Search this list"), "{all}");
    assert!(all.contains("Search everything"), "{all}");
}

#[test]
fn a_kept_filter_on_the_products_tab_survives_a_reload() {
    let mut s = memory_store();
    s.add_product(&Product::named("智能手表")).unwrap();
    let mut h = Harness::open(s, 120, 30);
    while h.app.tab != Tab::Products {
        h.rt.dispatch(&mut h.app, Action::NextTab);
    }
    assert_eq!(h.app.tabs.products.in_order().count(), 2);
    h.typed("/").typed("hx").settle();
    h.key(KeyCode::Enter);
    let names = |h: &Harness| -> Vec<String> {
        h.app
            .tabs
            .products
            .in_order()
            .map(|p| p.name.clone())
            .collect()
    };
    assert_eq!(names(&h), vec!["红星打印机"]);
    // A write elsewhere makes the list load again.
    h.app.tabs.products.stale = true;
    h.rt.dispatch(&mut h.app, Action::Resize(120, 30));
    assert!(!h.app.tabs.products.stale, "the list was not reloaded");
    assert_eq!(names(&h), vec!["红星打印机"]);
    assert_eq!(h.app.search.filter, Some(Tab::Products));
    // Esc still shows everything.
    h.key(KeyCode::Esc);
    h.rt.dispatch(&mut h.app, Action::Resize(120, 30));
    assert_eq!(h.app.tabs.products.in_order().count(), 2);
}

#[test]
fn matched_chars_are_highlighted_in_companies_and_other_tabs() {
    let mut h = Harness::open(memory_store(), 120, 30);
    // A company hit: its matched chars are highlighted in the Company column.
    h.typed("/").typed("未来").settle();
    assert_eq!(h.names(), vec!["张伟"]);
    assert!(highlighted(&h, "未").0);
    assert_eq!(highlighted(&h, "科"), (false, true));
    h.key(KeyCode::Esc);
    // A product name matched by its pinyin initials.
    while h.app.tab != Tab::Products {
        h.rt.dispatch(&mut h.app, Action::NextTab);
    }
    h.typed("/").typed("hx").settle();
    assert!(highlighted(&h, "红").0);
    assert_eq!(highlighted(&h, "打"), (false, true));
}

#[test]
fn typing_before_the_index_is_built_keeps_the_list_and_waits() {
    let mut h = Harness::open(memory_store(), 120, 30);
    // Let the background build finish, then pretend it has not.
    h.typed("/").settle();
    h.key(KeyCode::Esc);
    let all = h.names();
    h.app.search.ready = false;
    h.typed("/").typed("zw");
    // No query runs on an index still being built: nothing answers, the
    // list is untouched and the status says why.
    assert!(!h.rt.wait_search(&mut h.app, Duration::from_millis(300)));
    assert_eq!(h.names(), all);
    assert!(h.app.search.waiting);
    let status = dossier::tui::views::search::status_line(&h.app)
        .map(|l| l.to_string())
        .unwrap_or_default();
    assert!(status.contains("indexing"), "{status}");
}

#[test]
fn a_search_narrowed_deal_list_keeps_stages_and_amounts_for_the_board() {
    let mut s = memory_store();
    for (title, units) in [
        ("Printer order", 1_200),
        ("Printer lease", 800),
        ("Desk", 50),
    ] {
        s.add_opportunity(&dossier::domain::Opportunity {
            customer_id: 1,
            title: title.into(),
            amount: dossier::domain::Money::from_units(units),
            stage: dossier::domain::Stage::Negotiation,
            ..Default::default()
        })
        .unwrap();
    }
    let mut h = Harness::open(s, 120, 30);
    while h.app.tab != Tab::Opportunities {
        h.rt.dispatch(&mut h.app, Action::NextTab);
    }
    h.rt.dispatch(&mut h.app, Action::Resize(120, 30));
    let amounts = |h: &Harness| -> Vec<i64> {
        let mut a: Vec<i64> = h
            .app
            .tabs
            .deals
            .list
            .entries
            .iter()
            .map(|e| e.amount)
            .collect();
        a.sort();
        a
    };
    assert_eq!(amounts(&h).len(), 3);
    // Narrow to the printers, then widen again with Backspace: every
    // entry the board groups still has its amount.
    h.typed("/").typed("printer").settle();
    h.rt.dispatch(&mut h.app, Action::Resize(120, 30));
    assert_eq!(amounts(&h), vec![80_000, 120_000]);
    h.typed(" order").settle();
    h.rt.dispatch(&mut h.app, Action::Resize(120, 30));
    assert_eq!(amounts(&h), vec![120_000]);
    // Widening brings back a deal the narrowed list no longer holds.
    for _ in 0.." order".len() {
        h.key(KeyCode::Backspace);
    }
    h.settle();
    h.rt.dispatch(&mut h.app, Action::Resize(120, 30));
    assert_eq!(amounts(&h), vec![80_000, 120_000]);
}
