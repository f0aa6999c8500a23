//! The one pipeline seen from the keyboard and the screen: the suspend key
//! lives in the key map, the footer shows the keys of whatever prompt is
//! open, a search filter keeps the order a sort asks for, and CJK text at
//! 80×24 never covers a border.

use chrono::NaiveDate;
use dossier::domain::{Clock, Customer, Product};
use dossier::store::Store;
use dossier::tui::app::Tab;
use dossier::tui::keymap::{Context, KeyMap};
use dossier::tui::{views, Action};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

mod support;
use support::Harness;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn store() -> Store {
    Store::open_in_memory_with_clock(Clock::at_date(day())).unwrap()
}

#[test]
fn the_suspend_key_is_in_the_key_map_and_can_be_rebound() {
    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    let mut map = KeyMap::defaults();
    assert_eq!(
        map.action(Context::Global, &ctrl('z')),
        Some(Action::Suspend)
    );
    assert!(
        map.bindings(Context::Global)
            .iter()
            .any(|b| b.action == Action::Suspend),
        "the help lists it"
    );
    map.merge_str("[[global]]\non = [\"ctrl-y\"]\nrun = \"suspend\"\ndesc = \"Suspend\"\n")
        .unwrap();
    assert_eq!(
        map.action(Context::Global, &ctrl('y')),
        Some(Action::Suspend)
    );
}

#[test]
fn the_footer_shows_the_keys_of_the_open_trash_and_question() {
    let mut s = store();
    let c = s.add_customer(&Customer::named("Bob Stone")).unwrap();
    s.delete(dossier::domain::Kind::Customer, c.meta.id, None)
        .unwrap();
    s.add_customer(&Customer::named("Alice Martin")).unwrap();
    let mut h = Harness::new(s, 100, 24);
    h.key(KeyCode::Char('T'));
    assert!(h.app.trash().is_some());
    let footer = |h: &Harness| h.screen().lines().last().unwrap_or_default().to_string();
    assert!(
        footer(&h).contains("Restore the record".to_lowercase().as_str()),
        "{}",
        footer(&h)
    );
    // A question over the trash: its keys, then the trash again on "no".
    h.key(KeyCode::Char('D'));
    assert!(h.app.confirm().is_some());
    assert!(footer(&h).contains("y yes · n no"), "{}", footer(&h));
    h.key(KeyCode::Char('n'));
    assert!(h.app.confirm().is_none());
    assert!(h.app.trash().is_some(), "the trash comes back after no");
}

#[test]
fn a_search_filter_keeps_the_order_a_sort_asks_for_on_every_list() {
    let mut s = store();
    for n in ["Beta printer", "Zeta printer", "Alpha printer", "Gamma pen"] {
        s.add_product(&Product::named(n)).unwrap();
    }
    let mut h = Harness::new(s, 120, 30);
    h.act(Action::TabProducts);
    assert_eq!(h.app.tab, Tab::Products);
    h.typed("/").typed("printer").settle();
    h.key(KeyCode::Enter);
    let names = |h: &Harness| -> Vec<String> {
        h.app
            .tabs
            .products
            .in_order()
            .map(|p| p.name.clone())
            .collect()
    };
    assert_eq!(names(&h).len(), 3, "{:?}", names(&h));
    // By name, then the other way round: the three matches, in that order.
    h.key(KeyCode::Char('s'));
    assert_eq!(
        names(&h),
        ["Alpha printer", "Beta printer", "Zeta printer"],
        "{}",
        h.status()
    );
    h.key(KeyCode::Char('S'));
    assert_eq!(names(&h), ["Zeta printer", "Beta printer", "Alpha printer"]);
    assert_eq!(h.app.search.filter, Some(Tab::Products));
}

fn cjk_book() -> Store {
    let mut s = store();
    let mut c = Customer::named("欧阳明月");
    c.company = "深圳前海微众国际供应链管理服务有限公司华南大区采购与物流中心".into();
    c.address = "广东省深圳市南山区粤海街道科技园高新南九道十号深圳湾科技生态园".into();
    c.notes = "每季度复盘一次供货周期，关注交付准时率与售后响应速度。".repeat(5);
    s.add_customer(&c).unwrap();
    s.add_customer(&Customer::named("张伟")).unwrap();
    s
}

fn buffer(h: &Harness) -> Buffer {
    let (w, hh) = h.app.size;
    let mut t = Terminal::new(TestBackend::new(w, hh)).unwrap();
    t.draw(|f| views::draw(f, &h.app)).unwrap();
    t.backend().buffer().clone()
}

/// Whether every row between a box's top and bottom edges has its left
/// and right border at `x0` and `x1` (cells, so wide characters count
/// two).
fn borders_hold(h: &Harness, top: u16, bottom: u16, x0: u16, x1: u16) -> Result<(), String> {
    let buf = buffer(h);
    for y in top + 1..bottom {
        let (l, r) = (buf[(x0, y)].symbol(), buf[(x1, y)].symbol());
        if l != "│" || r != "│" {
            return Err(format!("row {y}: {l:?} … {r:?}\n{}", h.screen()));
        }
    }
    Ok(())
}

#[test]
fn cjk_at_80x24_never_covers_the_detail_or_help_border() {
    let mut h = Harness::new(cjk_book(), 80, 24);
    // The detail, full screen on a narrow terminal, scrolled through.
    h.act(Action::ToggleDetail);
    assert!(h.screen().contains("深圳前海"), "{}", h.screen());
    for _ in 0..4 {
        borders_hold(&h, 1, 22, 0, 79).unwrap();
        h.act(Action::DetailDown);
    }
    // The help box over the list with the long company name.
    h.act(Action::ToggleDetail).act(Action::Help);
    let buf = buffer(&h);
    let (w, hh) = (buf.area.width, buf.area.height);
    let (x0, top) = (0..hh)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .find(|&(x, y)| buf[(x, y)].symbol() == "┌" && buf[(x + 2, y)].symbol() == "K")
        .expect("the help box");
    let x1 = (x0..w)
        .rev()
        .find(|&x| buf[(x, top)].symbol() == "┐")
        .unwrap();
    let bottom = (top + 1..hh)
        .find(|&y| buf[(x0, y)].symbol() == "└")
        .expect("the help box's bottom");
    borders_hold(&h, top, bottom, x0, x1).unwrap();
    assert_eq!(buf[(x1, bottom)].symbol(), "┘", "{}", h.screen());
}
