//! Review fixes of the Dashboard, Opportunities, Products and Activities
//! tabs: lists past 5,000 records, loads that never block and drop stale
//! answers, the typeable tag filter, the touch form's deal picker, date
//! fields that take `+1w`, and CJK at a popup's edge.

use chrono::Duration;
use dossier::domain::{Clock, Kind, Opportunity};
use dossier::sample::demo::load_demo;
use dossier::sample::gen::generate;
use dossier::store::Store;
use dossier::tui::effect::{Effect, Outcome};
use dossier::tui::keymap::KeyMap;
use dossier::tui::theme::Theme;
use dossier::tui::{views, Action, App};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::Terminal;

mod support;
use support::{demo, today, Harness};

#[test]
fn lists_page_past_five_thousand_and_sort_and_filter_all_rows() {
    let mut store = Store::open_in_memory_with_clock(Clock::at_date(today())).unwrap();
    generate(&mut store, 9_000, 7).unwrap();
    store.sweep(false).unwrap();
    let total = store.counts().unwrap().opportunities as usize;
    assert!(total > 5_000, "{total} deals");
    let max_amount: i64 = store
        .conn()
        .query_row(
            "SELECT max(amount) FROM opportunities WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // A tag some deals carry and others not.
    let (d, v, n) = store
        .tag_counts(Kind::Opportunity)
        .unwrap()
        .into_iter()
        .find(|(_, _, n)| *n > 100 && *n < total)
        .expect("a tag on some deals");
    let mut h = Harness::new(store, 120, 40);
    h.act(Action::TabOpportunities);
    assert_eq!(h.app.tabs.deals.list.len(), total);
    // Only the rows around the screen are held.
    assert!(h.app.tabs.deals.list.rows.len() < 200);
    // The last deal is reachable and read.
    h.act(Action::Bottom);
    let last = h.app.tabs.deals.list.selected().expect("last row loaded");
    assert_eq!(Some(last.meta.id), h.app.tabs.deals.list.selected_id());
    // Sort by amount, biggest first: the top row is the book's biggest.
    h.act(Action::SortNext)
        .act(Action::SortNext)
        .act(Action::SortNext);
    assert!(h.status().contains("Amount"), "{}", h.status());
    h.act(Action::SortReverse).act(Action::Top);
    let top: &Opportunity = h.app.tabs.deals.list.selected().unwrap();
    assert_eq!(top.amount.0, max_amount);
    // Filter by that tag over every deal, typed into the filter.
    h.act(Action::Filter)
        .typed(&format!("{d}:{v}"))
        .key(KeyCode::Enter);
    assert_eq!(h.app.tabs.deals.list.len(), n);
    let tagged = h.rt.store.ids_with_tag(Kind::Opportunity, &d, &v).unwrap();
    let id = h.app.tabs.deals.list.selected_id().unwrap();
    assert!(tagged.contains(&id));
}

#[test]
fn dashboard_loads_in_the_background_and_stale_answers_are_dropped() {
    let mut app = App::new(KeyMap::defaults(), Theme::plain(), today());
    app.update(Action::Resize(120, 40));
    let fx = app.update(Action::TabDashboard);
    let generation = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadDashboard(g) => Some(*g),
            _ => None,
        })
        .expect("the dashboard is asked for");
    assert!(app.tabs.dashboard.loading);
    // Left before the answer came: the answer is dropped…
    app.update(Action::TabProducts);
    let data = dossier::tui::dashboard::DashboardData::default();
    app.apply(Outcome::Dashboard(generation, Box::new(data)));
    assert!(app.tabs.dashboard.data.is_none());
    // …and the dashboard is asked for again when shown.
    let fx = app.update(Action::TabDashboard);
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::LoadDashboard(g) if *g > generation)));
}

#[test]
fn a_file_book_loads_tabs_on_the_background_reader() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    let mut s = Store::open_with_clock(&path, Clock::at_date(today())).unwrap();
    load_demo(&mut s, false).unwrap();
    let mut h = Harness::new(s, 120, 40);
    h.act(Action::TabDashboard);
    // The switch itself returned without the data.
    assert!(h.app.tabs.dashboard.loading);
    assert!(h
        .rt
        .wait_tabs(&mut h.app, std::time::Duration::from_secs(60)));
    assert!(h.app.tabs.dashboard.data.is_some());
    h.act(Action::TabOpportunities);
    assert!(h
        .rt
        .wait_tabs(&mut h.app, std::time::Duration::from_secs(60)));
    assert_eq!(h.app.tabs.deals.list.len(), 70);
}

#[test]
fn touch_form_deal_picker_lists_the_customers_deals_and_none() {
    let store = demo();
    let (customer, deals): (i64, Vec<i64>) = {
        let c: i64 = store
            .conn()
            .query_row(
                "SELECT customer_id FROM opportunities GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (
            c,
            store
                .opportunities_of_customer(c)
                .unwrap()
                .iter()
                .map(|o| o.meta.id)
                .collect(),
        )
    };
    let name = store.customer(customer).unwrap().name;
    let mut h = Harness::new(store, 120, 40);
    h.act(Action::TabActivities).act(Action::Add);
    h.tab_to("customer").key(KeyCode::Enter);
    let form = h.app.form_mut().unwrap();
    let picker = form.picker.as_mut().unwrap();
    let i = picker
        .choices
        .iter()
        .position(|c| c.label == name)
        .expect("customer listed");
    picker.cursor = i;
    h.key(KeyCode::Enter);
    h.tab_to("opportunity").key(KeyCode::Enter);
    let picker = h.app.form().unwrap().picker.as_ref().unwrap();
    let ids: Vec<i64> = picker.choices.iter().map(|c| c.id).collect();
    assert_eq!(ids[0], 0, "first: no deal");
    let mut listed = ids[1..].to_vec();
    listed.sort();
    let mut want = deals.clone();
    want.sort();
    assert_eq!(listed, want);
    // Picking "no deal" leaves the link empty.
    h.key(KeyCode::Enter);
    let form = h.app.form().unwrap();
    let i = form
        .fields
        .iter()
        .position(|f| f.key == "opportunity")
        .unwrap();
    assert_eq!(form.links[i], None);
}

#[test]
fn typing_over_a_prefilled_date_replaces_it() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabActivities).act(Action::Add);
    h.tab_to("customer").typed("Laura");
    h.key(KeyCode::Enter);
    h.tab_to("summary").typed("called back");
    h.tab_to("date");
    assert_eq!(
        h.app.form().unwrap().fields[h.app.form().unwrap().focus].value(),
        today().to_string()
    );
    h.typed("+1w");
    h.tab_to("next_follow_up").typed("+2w");
    h.act(Action::Save);
    assert!(
        h.status().starts_with("Added touch"),
        "{} {:?}",
        h.status(),
        h.app.form().map(|f| f.errors.clone())
    );
    let id = h.app.tabs.activities.list.selected_id().unwrap();
    let a = h.rt.store.activity(id).unwrap();
    assert_eq!(a.date, today() + Duration::days(7));
    assert_eq!(a.next_follow_up, Some(today() + Duration::days(14)));
}

#[test]
fn a_popup_over_cjk_text_keeps_its_border() {
    for w in [80u16, 83, 120, 121] {
        let store = demo();
        // Every deal's title is CJK, so wide characters run under the
        // confirm popup's left and right edges.
        store
            .conn()
            .execute(
                "UPDATE opportunities SET title = '上海华信科技有限公司年度框架协议续签第二期采购项目上海华信科技'",
                [],
            )
            .unwrap();
        let mut h = Harness::new(store, w, 24);
        h.act(Action::TabOpportunities)
            .act(Action::Down)
            .act(Action::Delete);
        assert!(h.app.confirm().is_some());
        let mut t = Terminal::new(TestBackend::new(w, 24)).unwrap();
        t.draw(|f| views::draw(f, &h.app)).unwrap();
        let buf = t.backend().buffer();
        // What a terminal shows: a wide character covers the next cell, and
        // that cell is never drawn (ratatui's diff skips it). Every border
        // cell of the popup must be one that is drawn.
        let left = (w - 60) / 2;
        let mut borders = 0;
        for y in 0..24u16 {
            let mut shown = std::collections::HashSet::new();
            let mut x = 0;
            while x < w {
                shown.insert(x);
                let sym = buf[(x, y)].symbol();
                x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
            }
            for x in [left, left + 59] {
                if "│┌└┐┘".contains(buf[(x, y)].symbol()) {
                    borders += 1;
                    assert!(
                        shown.contains(&x),
                        "at {w} cols, row {y}: the popup's border at {x} is hidden"
                    );
                }
            }
        }
        // The question popup is as tall as its wrapped text (5 rows at least).
        assert!(
            borders >= 10 && borders % 2 == 0,
            "at {w} cols: both borders of every popup row drawn ({borders})"
        );
    }
}

fn ids_asked(fx: &[Effect]) -> Option<u64> {
    fx.iter().find_map(|e| match e {
        Effect::LoadIds { generation, .. } => Some(*generation),
        _ => None,
    })
}

fn entries(ids: impl Iterator<Item = i64>) -> Vec<dossier::store::ListEntry> {
    ids.map(|id| dossier::store::ListEntry {
        id,
        stage: 0,
        amount: 0,
        currency: [0; 3],
    })
    .collect()
}

#[test]
fn a_list_keeps_the_row_moved_to_while_a_sort_loads_and_drops_old_orders() {
    use dossier::domain::Kind;
    use dossier::tui::effect::IdList;
    let mut app = App::new(KeyMap::defaults(), Theme::plain(), today());
    app.update(Action::Resize(120, 40));
    let first = ids_asked(&app.update(Action::TabOpportunities)).expect("ids asked for");
    let ids = |kind, generation, e| Outcome::Ids {
        kind,
        generation,
        ids: IdList::Records(e),
        partial: false,
    };
    app.apply(ids(Kind::Opportunity, first, entries(1..=100)));
    assert_eq!(app.tabs.deals.list.len(), 100);
    let sorted = ids_asked(&app.update(Action::SortNext)).expect("sorted ids asked for");
    assert!(sorted > first);
    // Moving while the sort runs: the row moved to stays selected.
    for _ in 0..5 {
        app.update(Action::Down);
    }
    assert_eq!(app.tabs.deals.list.selected_id(), Some(6));
    // An answer for the old order is dropped…
    app.apply(ids(Kind::Opportunity, first, entries(1..=3)));
    assert_eq!(app.tabs.deals.list.len(), 100);
    // …the new one is taken, with deal 6 still selected.
    app.apply(ids(Kind::Opportunity, sorted, entries((1..=100).rev())));
    assert_eq!(app.tabs.deals.list.selected_id(), Some(6));
    assert_eq!(app.tabs.deals.list.cursor, 94);
}
