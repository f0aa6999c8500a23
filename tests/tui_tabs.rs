//! The Dashboard, Opportunities, Products and Activities tabs without a
//! terminal: actions fed to the app on the demo book (fixed clock), and
//! their screens drawn on a `TestBackend` for snapshots.

use dossier::domain::{Customer, Kind, Stage};
use dossier::tui::app::Tab;
use dossier::tui::dashboard::Target;
use dossier::tui::Action;
use ratatui::crossterm::event::KeyCode;

mod tabs_harness;
use tabs_harness::{demo, today, Harness};

#[test]
fn opportunities_list_sorts_filters_and_moves_stages() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabOpportunities);
    let deals = &h.app.tabs.deals.list;
    assert_eq!(deals.len(), 70);
    assert!(deals.detail.is_some(), "the selected deal's file is loaded");

    // Sort by title, then by customer.
    h.act(Action::SortNext);
    assert!(h.status().contains("Title"), "{}", h.status());
    let titles: Vec<String> = h
        .app
        .tabs
        .deals
        .list
        .in_order()
        .map(|o| o.title.to_lowercase())
        .collect();
    // Chinese titles sort by pinyin among the Latin ones.
    let mut sorted = titles.clone();
    sorted.sort_by_cached_key(|t| dossier::search::sort_key(t));
    assert_eq!(titles, sorted);

    // Filter by a tag: only urgent deals.
    h.act(Action::Filter);
    let options = h.app.tabs.filter.as_ref().unwrap().options.clone();
    let urgent = options
        .iter()
        .position(|(d, v, _)| d == "urgency" && v == "urgent")
        .expect("some deal is urgent");
    for _ in 0..urgent {
        h.act(Action::NextField);
    }
    h.key(KeyCode::Enter);
    let list = &h.app.tabs.deals.list;
    assert_eq!(list.len(), options[urgent].2);
    assert!(list
        .in_order()
        .all(|o| list.ctx().tag(o.meta.id, "urgency") == Some("urgent")));

    // Clear the filter, pick an open deal and move it along.
    h.act(Action::Filter).key(KeyCode::Enter);
    assert_eq!(h.app.tabs.deals.list.len(), 70);
    let prospect = h
        .app
        .tabs
        .deals
        .list
        .in_order()
        .position(|o| o.stage == Stage::Prospect)
        .unwrap();
    h.act(Action::Top);
    for _ in 0..prospect {
        h.act(Action::Down);
    }
    let id = h.app.tabs.deals.list.selected_id().unwrap();
    h.act(Action::StageNext);
    assert!(
        h.status().contains("stage: prospect → qualified"),
        "{}",
        h.status()
    );
    assert_eq!(h.rt.store.opportunity(id).unwrap().stage, Stage::Qualified);
    assert_eq!(h.app.tabs.deals.list.selected_id(), Some(id));
    h.act(Action::StagePrev);
    assert_eq!(h.rt.store.opportunity(id).unwrap().stage, Stage::Prospect);
}

#[test]
fn a_new_deal_won_retags_its_customer() {
    let mut store = demo();
    let c = store
        .add_customer(&Customer::named("测试客户 Zed"))
        .unwrap()
        .meta
        .id;
    let mut h = Harness::new(store, 120, 40);
    h.act(Action::TabOpportunities).act(Action::Add);
    assert!(h.app.tabs.form.is_some());
    h.typed("Zed first order").act(Action::NextField);
    // The customer field opens a fuzzy picker on the first letter.
    h.typed("zed");
    let picker = h.app.tabs.form.as_ref().unwrap().picker.as_ref().unwrap();
    assert_eq!(picker.choices[0].id, c);
    h.key(KeyCode::Enter);
    // A line item: the product picker fills quantity 1 and the list price.
    h.focus("items").key(KeyCode::Enter);
    let product = h
        .app
        .tabs
        .form
        .as_ref()
        .unwrap()
        .picker
        .as_ref()
        .unwrap()
        .choices[0]
        .clone();
    h.key(KeyCode::Enter);
    let form = h.app.tabs.form.as_ref().unwrap();
    let amount = form.fields.iter().find(|f| f.key == "amount").unwrap();
    assert_eq!(
        amount.value(),
        product.price.unwrap().display_plain(),
        "amount computed from the line"
    );
    h.act(Action::Save);
    assert!(h.app.tabs.form.is_none(), "{}", h.status());
    assert!(h.status().starts_with("Added deal Zed first order"));
    let deal = h.app.tabs.deals.list.selected().unwrap().clone();
    assert_eq!(deal.customer_id, c);
    assert_eq!(deal.items.len(), 1);

    // Lost needs a reason; won does not, but takes one.
    h.act(Action::MarkLost).key(KeyCode::Enter);
    assert!(h.app.tabs.reason.as_ref().unwrap().problem.is_some());
    h.act(Action::Cancel).act(Action::MarkWon);
    h.typed("best delivery time").key(KeyCode::Enter);
    let status = h.status();
    assert!(status.contains("测试客户 Zed"), "{status}");
    assert!(status.contains("lifecycle: – → new"), "{status}");
    assert!(status.contains("stage: prospect → won"), "{status}");
    let stored = h.rt.store.opportunity(deal.meta.id).unwrap();
    assert_eq!(stored.stage, Stage::Won);
    assert_eq!(stored.close_reason, "best delivery time");
    let tags = h.rt.store.tags(Kind::Customer, c).unwrap();
    assert!(tags
        .iter()
        .any(|t| t.dimension == "lifecycle" && t.value == "new"));
}

#[test]
fn the_board_groups_by_stage_and_moves_cards() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabOpportunities).act(Action::Board);
    assert!(h.app.tabs.deals.board);
    // To the prospect column, first card.
    for _ in 0..6 {
        h.act(Action::Left);
    }
    h.act(Action::Top);
    let before = h.app.tabs.deals.stage_cards(Stage::Prospect).len();
    let card = h.app.tabs.deals.board_selected().unwrap().meta.id;
    h.act(Action::StageNext);
    assert_eq!(
        h.app.tabs.deals.stage_cards(Stage::Prospect).len(),
        before - 1
    );
    assert_eq!(
        h.rt.store.opportunity(card).unwrap().stage,
        Stage::Qualified
    );
    // The cursor follows the card to its new column.
    assert_eq!(h.app.tabs.deals.board_selected().unwrap().meta.id, card);
    assert_eq!(h.app.tabs.deals.board_col, 1);
    h.act(Action::Board);
    assert_eq!(h.app.tabs.deals.list.selected_id(), Some(card));
}

#[test]
fn dashboard_items_jump_to_their_records() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabDashboard);
    let data = h.app.tabs.dashboard.data.clone().unwrap();
    assert!(!data.follow_ups.is_empty());
    assert!(!data.closing.is_empty());
    assert_eq!(data.pipeline.len(), Stage::ALL.len());
    let targets = data.targets();
    // The first follow-up opens its customer.
    let Target::Customer(c) = targets[0] else {
        panic!("{:?}", targets[0])
    };
    h.act(Action::Edit);
    assert_eq!(h.app.tab, Tab::Customers);
    assert_eq!(h.app.customers.selected_id(), Some(c));
    // A deal closing soon opens on the Opportunities tab.
    h.act(Action::TabDashboard);
    let deal_at = targets
        .iter()
        .position(|t| matches!(t, Target::Deal(_)))
        .unwrap();
    for _ in 0..deal_at {
        h.act(Action::Down);
    }
    h.act(Action::Edit);
    assert_eq!(h.app.tab, Tab::Opportunities);
    assert_eq!(Some(targets[deal_at]), {
        let id = h.app.tabs.deals.list.selected_id().unwrap();
        Some(Target::Deal(id))
    });
    // A best seller opens on the Products tab.
    h.act(Action::TabDashboard)
        .act(Action::Bottom)
        .act(Action::Edit);
    assert_eq!(h.app.tab, Tab::Products);
    let Some(Target::Product(p)) = targets.last().copied() else {
        panic!("the last item is a product")
    };
    assert_eq!(h.app.tabs.products.selected_id(), Some(p));
    assert_eq!(
        h.app.tabs.products.detail.as_ref().unwrap().product.meta.id,
        p
    );
}

#[test]
fn products_and_activities_forms_save_through_the_store() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabProducts).act(Action::Add);
    h.typed("Demo Kettle").act(Action::NextField).typed("KT 1");
    h.act(Action::Save);
    assert!(h.app.tabs.form.is_some(), "a SKU with a space is refused");
    assert!(h.app.tabs.form.as_ref().unwrap().error_for("sku").is_some());
    h.key(KeyCode::Backspace)
        .key(KeyCode::Backspace)
        .typed("-1");
    h.focus("price").typed("1.2k").act(Action::Save);
    assert!(
        h.status().starts_with("Added product Demo Kettle"),
        "{}",
        h.status()
    );
    assert!(h.status().contains("price:"), "{}", h.status());
    assert_eq!(h.app.tabs.products.selected().unwrap().sku, "KT-1");

    // Activities: campaigns only, then a new campaign.
    h.act(Action::TabActivities)
        .act(Action::CycleKind)
        .act(Action::CycleKind);
    assert!(h
        .app
        .tabs
        .activities
        .list
        .in_order()
        .all(|a| a.campaign.is_some()));
    let campaigns = h.app.tabs.activities.list.len();
    h.act(Action::Add);
    h.typed("Winter fair");
    h.focus("cost").typed("20k").act(Action::Save);
    assert!(
        h.status().starts_with("Added campaign Winter fair"),
        "{}",
        h.status()
    );
    assert_eq!(h.app.tabs.activities.list.len(), campaigns + 1);
    let file = h.app.tabs.activities.list.detail.as_ref().unwrap();
    assert_eq!(file.activity.summary, "Winter fair");
    assert_eq!(file.roi(), Some(-1.0));

    // A touch with the customer picker, sentiment and follow-up.
    h.act(Action::CycleKind).act(Action::Add);
    h.focus("customer").typed("Laura");
    h.key(KeyCode::Enter);
    h.focus("summary").typed("demo went well");
    h.focus("sentiment").key(KeyCode::Right);
    h.focus("next_follow_up").typed("+3d").act(Action::Save);
    assert!(
        h.status().starts_with("Added touch demo went well"),
        "{}",
        h.status()
    );
    let a = h.app.tabs.activities.list.selected().unwrap();
    assert_eq!(a.next_follow_up, Some(today() + chrono::Duration::days(3)));
}

fn snapshot_tabs(w: u16, h_: u16) -> Vec<(&'static str, String)> {
    let mut h = Harness::new(demo(), w, h_);
    let mut out = Vec::new();
    h.act(Action::TabDashboard);
    out.push(("dashboard", h.screen()));
    h.act(Action::TabOpportunities);
    out.push(("opportunities", h.screen()));
    h.act(Action::Board);
    out.push(("board", h.screen()));
    h.act(Action::TabProducts);
    out.push(("products", h.screen()));
    h.act(Action::TabActivities)
        .act(Action::CycleKind)
        .act(Action::CycleKind);
    out.push(("campaigns", h.screen()));
    h.act(Action::TabOpportunities)
        .act(Action::Board)
        .act(Action::Edit);
    out.push(("deal_form", h.screen()));
    out
}

#[test]
fn snapshots_80x24() {
    for (name, screen) in snapshot_tabs(80, 24) {
        insta::assert_snapshot!(format!("tabs_{name}_80x24"), screen);
    }
}

#[test]
fn snapshots_120x40() {
    for (name, screen) in snapshot_tabs(120, 40) {
        insta::assert_snapshot!(format!("tabs_{name}_120x40"), screen);
    }
}

#[test]
fn delete_asks_then_undo_restores() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabProducts);
    let id = h.app.tabs.products.selected_id().unwrap();
    let n = h.app.tabs.products.len();
    h.act(Action::Delete);
    assert!(h.app.tabs.delete.is_some());
    h.typed("n");
    assert!(h.app.tabs.delete.is_none());
    assert_eq!(h.app.tabs.products.len(), n);
    h.act(Action::Delete).typed("y");
    assert!(h.status().contains("moved to the trash"), "{}", h.status());
    assert_eq!(h.app.tabs.products.len(), n - 1);
    h.act(Action::Undo);
    assert!(h.status().contains("restored"), "{}", h.status());
    assert_eq!(h.app.tabs.products.len(), n);
    assert_eq!(h.app.tabs.products.selected_id(), Some(id));
}
