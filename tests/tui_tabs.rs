//! The Dashboard, Opportunities, Products and Activities tabs without a
//! terminal: actions fed to the app on the demo book (fixed clock), and
//! their screens drawn on a `TestBackend` for snapshots.

use dossier::domain::{Customer, Kind, Stage};
use dossier::tui::app::Tab;
use dossier::tui::dashboard::Target;
use dossier::tui::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod support;
use support::{demo, today, Harness};

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
    let options = h.app.tag_filter().unwrap().options.clone();
    let urgent = options
        .iter()
        .position(|(d, v, _)| d == "urgency" && v == "urgent")
        .expect("some deal is urgent");
    for _ in 0..urgent {
        h.act(Action::Down);
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
    assert!(h.app.form().is_some());
    h.typed("Zed first order").act(Action::NextField);
    // The customer field opens a fuzzy picker on the first letter.
    h.typed("zed");
    let picker = h.app.form().unwrap().picker.as_ref().unwrap();
    assert_eq!(picker.choices[0].id, c);
    h.key(KeyCode::Enter);
    // A line item: the product picker fills quantity 1 and the list price.
    h.focus("items").key(KeyCode::Enter);
    let product = h.app.form().unwrap().picker.as_ref().unwrap().choices[0].clone();
    h.key(KeyCode::Enter);
    let form = h.app.form().unwrap();
    let amount = form.fields.iter().find(|f| f.key == "amount").unwrap();
    assert_eq!(
        amount.value(),
        product.price.unwrap().display_plain(),
        "amount computed from the line"
    );
    h.act(Action::Save);
    assert!(h.app.form().is_none(), "{}", h.status());
    assert!(h.status().starts_with("Added deal Zed first order"));
    let deal = h.app.tabs.deals.list.selected().unwrap().clone();
    assert_eq!(deal.customer_id, c);
    assert_eq!(deal.items.len(), 1);

    // Lost needs a reason; won does not, but takes one.
    h.act(Action::MarkLost).key(KeyCode::Enter);
    assert!(h.app.reason().unwrap().problem.is_some());
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
    assert!(h.app.form().is_some(), "a SKU with a space is refused");
    assert!(h.app.form().unwrap().error_for("sku").is_some());
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
    assert!(h.app.confirm().is_some());
    h.typed("n");
    assert!(h.app.confirm().is_none());
    assert_eq!(h.app.tabs.products.len(), n);
    h.act(Action::Delete).typed("y");
    assert!(h.status().contains("moved to the trash"), "{}", h.status());
    assert_eq!(h.app.tabs.products.len(), n - 1);
    h.act(Action::Undo);
    assert!(h.status().contains("restored"), "{}", h.status());
    assert_eq!(h.app.tabs.products.len(), n);
    assert_eq!(h.app.tabs.products.selected_id(), Some(id));
}

fn ctrl_c(h: &mut Harness) {
    let ev = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    if let Some(a) = h.app.key_action(&ev) {
        h.act(a);
    }
}

/// Esc on a changed deal form asks the same y/n question as the customer
/// form, and the answer `n` is not typed into the field.
#[test]
fn escape_on_a_changed_record_form_asks_and_n_keeps_the_text() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabOpportunities)
        .act(Action::Add)
        .typed("Pilot");
    let before = h.app.form().unwrap().fields[0].input.value().to_string();
    h.key(KeyCode::Esc);
    assert!(h.app.confirm().is_some(), "a changed form asks");
    h.typed("n");
    let form = h.app.form().expect("no keeps the form");
    assert_eq!(form.fields[0].input.value(), before);
    h.key(KeyCode::Esc).typed("y");
    assert!(h.app.form().is_none(), "yes discards");
}

/// Ctrl-C in a prompt closes the prompt; in a list or form it asks first.
#[test]
fn ctrl_c_closes_prompts_and_asks_before_quitting() {
    let mut h = Harness::new(demo(), 120, 40);
    // The search prompt: closed, nothing quit.
    h.key(KeyCode::Char('/')).typed("zh");
    ctrl_c(&mut h);
    assert!(h.app.search.mode.is_none() && !h.app.quit && h.app.confirm().is_none());
    // The won/lost reason prompt.
    h.act(Action::TabOpportunities);
    for _ in 0..20 {
        if !h.app.tabs.deals.list.selected().unwrap().stage.is_closed() {
            break;
        }
        h.act(Action::Down);
    }
    h.act(Action::MarkLost).typed("price");
    assert!(h.app.reason().is_some(), "{}", h.status());
    ctrl_c(&mut h);
    assert!(h.app.reason().is_none() && !h.app.quit);
    // The tag filter.
    h.act(Action::Filter);
    assert!(h.app.tag_filter().is_some());
    ctrl_c(&mut h);
    assert!(h.app.tag_filter().is_none() && !h.app.quit);
    // A changed form: one question, then quit on yes.
    h.act(Action::Add).typed("x");
    ctrl_c(&mut h);
    assert!(h.app.confirm().is_some() && !h.app.quit);
    ctrl_c(&mut h);
    assert!(
        h.app.confirm().is_none() && h.app.form().is_some(),
        "Ctrl-C answers no"
    );
    h.key(KeyCode::Esc).typed("y");
    // The list: asks, n stays, y quits.
    ctrl_c(&mut h);
    assert!(h.app.confirm().is_some() && !h.app.quit);
    h.typed("n");
    assert!(!h.app.quit);
    ctrl_c(&mut h);
    h.typed("y");
    assert!(h.app.quit);
}

/// Ctrl-K … Enter to the hit of `kind` for `query`; returns its id.
fn jump(h: &mut Harness, query: &str, kind: Kind) -> i64 {
    let wait = std::time::Duration::from_secs(60);
    let ev = KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL);
    let a = h.app.key_action(&ev).unwrap();
    h.act(a).typed(query);
    assert!(h.rt.wait_search(&mut h.app, wait));
    let at = h
        .app
        .search
        .hits
        .iter()
        .position(|hit| hit.kind == kind)
        .expect("a hit of that kind");
    for _ in 0..at {
        h.key(KeyCode::Down);
    }
    let id = h.app.search.hits[at].id;
    h.key(KeyCode::Enter);
    id
}

/// A search jump selects the record it names, also from the board and from
/// the campaigns-only view (which used to keep another record selected).
#[test]
fn a_search_jump_selects_the_named_record_from_the_board_and_views() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabOpportunities).act(Action::Board);
    assert!(h.app.tabs.deals.board);
    let id = jump(&mut h, "投影仪", Kind::Opportunity);
    assert!(!h.app.tabs.deals.board, "the table shows the named deal");
    assert_eq!(
        h.app.tabs.deals.list.selected().map(|d| d.meta.id),
        Some(id)
    );

    h.act(Action::TabActivities)
        .act(Action::CycleKind)
        .act(Action::CycleKind);
    let id = jump(&mut h, "zhangwei", Kind::Activity);
    let selected = h.app.tabs.activities.list.selected().map(|a| a.meta.id);
    assert_eq!(selected, Some(id), "{}", h.status());
}

/// `s` sorts the customers a `/` filter kept; it used to bring back the
/// whole book.
#[test]
fn sorting_keeps_a_search_filter_on_customers() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabCustomers)
        .key(KeyCode::Char('/'))
        .typed("lifecycle:churned");
    assert!(h
        .rt
        .wait_search(&mut h.app, std::time::Duration::from_secs(60)));
    h.key(KeyCode::Enter);
    let kept = h.app.customers.entries.len();
    assert!(
        kept > 0 && kept < 20,
        "{kept} churned customers in the demo"
    );
    let mut before = h.app.customers.entries.clone();
    h.key(KeyCode::Char('s'));
    assert_eq!(h.app.customers.entries.len(), kept, "{}", h.status());
    let mut after = h.app.customers.entries.clone();
    before.sort_unstable();
    after.sort_unstable();
    assert_eq!(before, after);
}

/// `f` filters Customers by a tag too (it did nothing there), and `s`
/// keeps the filter.
#[test]
fn f_filters_customers_by_a_tag() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabCustomers);
    let all = h.app.customers.entries.len();
    h.key(KeyCode::Char('f')).typed("lifecycle:churned");
    assert!(h.app.tag_filter().is_some(), "f opens the tag filter");
    h.key(KeyCode::Enter);
    let churned =
        h.rt.store
            .ids_with_tag(Kind::Customer, "lifecycle", "churned")
            .unwrap();
    assert!(!churned.is_empty() && churned.len() < all);
    let mut shown = h.app.customers.entries.clone();
    shown.sort_unstable();
    assert_eq!(shown, churned);
    assert!(h.screen().contains("filter lifecycle:churned"));
    h.key(KeyCode::Char('s'));
    assert_eq!(h.app.customers.entries.len(), churned.len());
    // The first (empty) choice clears it.
    h.key(KeyCode::Char('f'));
    while h.app.tag_filter().unwrap().cursor > 0 {
        h.key(KeyCode::Up);
    }
    h.key(KeyCode::Enter);
    assert_eq!(h.app.customers.entries.len(), all);
}

/// `u` takes back a stage move (it could not), says what it undoes, and
/// never reaches past a later action.
#[test]
fn u_undoes_a_stage_move_and_only_the_last_action() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabOpportunities);
    for _ in 0..20 {
        if !h.app.tabs.deals.list.selected().unwrap().stage.is_closed() {
            break;
        }
        h.act(Action::Down);
    }
    let deal = h.app.tabs.deals.list.selected().unwrap().clone();
    h.act(Action::StagePrev);
    let moved = h.rt.store.opportunity(deal.meta.id).unwrap();
    assert_ne!(moved.stage, deal.stage);
    assert!(h.status().contains("u to undo"), "{}", h.status());
    h.key(KeyCode::Char('u'));
    let back = h.rt.store.opportunity(deal.meta.id).unwrap();
    assert_eq!(back.stage, deal.stage, "{}", h.status());
    // Nothing older is undone by a second u.
    h.act(Action::Delete).typed("y");
    assert!(h.status().contains("moved to the trash"));
    h.act(Action::TabCustomers)
        .act(Action::Edit)
        .act(Action::Save);
    h.key(KeyCode::Char('u'));
    assert_eq!(h.status(), "Nothing to undo");
}
