//! Every screen of the terminal UI in both languages, at 80×24 and 120×40:
//! each tab's list, detail, form, the board, the dashboard, help, search,
//! trash, tag filter, a question, the touch entry and the message log.
//!
//! The language is process-wide, so the tests of this file take turns.

use dossier::i18n::{self, Lang};
use dossier::tui::Action;
use ratatui::crossterm::event::KeyCode;
use std::sync::Mutex;
use unicode_width::UnicodeWidthStr;

mod support;
use support::{demo, Harness};

static LANG: Mutex<()> = Mutex::new(());

/// Closes whatever overlay is open (help and the message log close on any
/// key, the others on Esc).
fn close(h: &mut Harness) {
    h.key(KeyCode::Esc);
}

/// Every screen, in `lang`, at `w`×`hgt`: (name, screen).
fn screens(lang: Lang, w: u16, hgt: u16) -> Vec<(&'static str, String)> {
    i18n::set(lang);
    let mut h = Harness::new(demo(), w, hgt);
    let mut out = Vec::new();

    h.act(Action::TabCustomers);
    out.push(("customers", h.screen()));
    h.act(Action::ToggleDetail);
    out.push(("customer_detail", h.screen()));
    h.act(Action::ToggleDetail);
    h.act(Action::Edit);
    out.push(("customer_form", h.screen()));
    close(&mut h);
    h.act(Action::LogTouch).key(KeyCode::Char('c'));
    out.push(("touch", h.screen()));
    close(&mut h);
    h.act(Action::Help);
    out.push(("help", h.screen()));
    close(&mut h);
    h.act(Action::Filter);
    out.push(("tag_filter", h.screen()));
    close(&mut h);
    h.ctrl('k').typed("上海").settle();
    out.push(("search", h.screen()));
    close(&mut h);
    h.act(Action::Delete);
    out.push(("question", h.screen()));
    h.act(Action::Confirm);
    h.act(Action::Trash);
    out.push(("trash", h.screen()));
    close(&mut h);
    h.act(Action::Messages);
    out.push(("messages", h.screen()));
    close(&mut h);

    h.act(Action::TabDashboard);
    out.push(("dashboard", h.screen()));
    h.act(Action::TabOpportunities);
    out.push(("opportunities", h.screen()));
    h.act(Action::ToggleDetail);
    out.push(("deal_detail", h.screen()));
    h.act(Action::ToggleDetail);
    h.act(Action::Edit);
    out.push(("deal_form", h.screen()));
    close(&mut h);
    h.act(Action::Board);
    out.push(("board", h.screen()));
    h.act(Action::Board);
    h.act(Action::TabProducts);
    out.push(("products", h.screen()));
    h.act(Action::ToggleDetail);
    out.push(("product_detail", h.screen()));
    h.act(Action::ToggleDetail);
    h.act(Action::TabActivities);
    out.push(("activities", h.screen()));
    h.act(Action::CycleKind).act(Action::CycleKind);
    out.push(("campaigns", h.screen()));
    h.act(Action::ToggleDetail);
    out.push(("campaign_detail", h.screen()));
    out
}

/// Words of the English UI that must not be left on a Chinese screen.
const ENGLISH: &[&str] = &[
    "Loading",
    "Customers",
    "Opportunities",
    "Detail",
    "Tags (",
    "Timeline",
    "Why these",
    " help",
    " quit",
    "Last contact",
    "Company",
    "Pipeline",
    "Follow-up",
    "Filter by",
    "Search everything",
    "Trash",
    "Messages",
    "any key",
    "Confirm",
    "restore",
    "Next row",
    "lifecycle:",
    "value:",
    "negotiation",
    "prospect",
];

fn check(lang: Lang, w: u16, hgt: u16) {
    let _turn = LANG.lock().unwrap_or_else(|e| e.into_inner());
    let tag = match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    };
    for (name, screen) in screens(lang, w, hgt) {
        // Nothing drawn past the edge: every row is exactly the width.
        for line in screen.lines() {
            // TestBackend notes the cells a wide character covers after
            // the row's closing quote.
            let line = line.split("\" Hidden by").next().unwrap_or(line);
            let line = line.trim_start_matches('"').trim_end_matches('"');
            assert!(line.width() <= w as usize, "{tag} {name}: {line}");
        }
        if lang == Lang::Zh {
            for word in ENGLISH {
                assert!(
                    !screen.contains(word),
                    "{tag} {name} at {w}×{hgt} still says {word:?}:\n{screen}"
                );
            }
        }
        insta::assert_snapshot!(format!("{tag}_{name}_{w}x{hgt}"), screen);
    }
    i18n::set(Lang::En);
}

#[test]
fn english_80x24() {
    check(Lang::En, 80, 24);
}

#[test]
fn english_120x40() {
    check(Lang::En, 120, 40);
}

#[test]
fn chinese_80x24() {
    check(Lang::Zh, 80, 24);
}

#[test]
fn chinese_120x40() {
    check(Lang::Zh, 120, 40);
}

/// A tag shows as its labels under zh (`客户价值:高`) and as its ids in
/// English, on the list and in the detail.
#[test]
fn tags_show_their_labels_in_chinese() {
    let _turn = LANG.lock().unwrap_or_else(|e| e.into_inner());
    i18n::set(Lang::Zh);
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabCustomers);
    let screen = h.screen();
    i18n::set(Lang::En);
    assert!(screen.contains("生命周期"), "{screen}");
    assert!(screen.contains("客户价值:"), "{screen}");
    assert!(
        ["高", "中", "低"].iter().any(|v| screen.contains(v)),
        "{screen}"
    );
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabCustomers);
    let screen = h.screen();
    assert!(screen.contains("value:"), "{screen}");
    assert!(!screen.contains("客户价值"), "{screen}");
}

/// A field's message longer than the pane wraps under the field instead of
/// being cut at the pane's edge (80 columns, both languages).
#[test]
fn a_long_field_message_wraps_in_the_form() {
    let _turn = LANG.lock().unwrap_or_else(|e| e.into_inner());
    for (lang, end) in [
        (Lang::En, "name@example.com"),
        (Lang::Zh, "name@example.com"),
    ] {
        i18n::set(lang);
        let mut h = Harness::new(demo(), 80, 24);
        h.act(Action::TabCustomers).act(Action::Edit);
        h.tab_to("emails");
        h.ctrl('u')
            .typed("zhang.wei.at.huaxin-tech.example.with.a.long.name@");
        h.act(Action::Save);
        let screen = h.screen();
        i18n::set(Lang::En);
        let joined: String = screen
            .lines()
            .map(|l| l.trim_matches(|c| c == '"' || c == '│' || c == ' '))
            .collect();
        assert!(joined.contains(end), "{screen}");
    }
}
