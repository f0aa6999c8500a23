//! Numbers you can trust in the forms (issue 18): a prefilled field is
//! selected when entered, so typing replaces it, and a saved amount that
//! changes a hundredfold asks once before it is saved.

use dossier::domain::Money;
use dossier::tui::Action;
use ratatui::crossterm::event::KeyCode;

mod support;
use support::{demo, Harness};

fn edit_selected_product(h: &mut Harness, price: Money) -> i64 {
    h.act(Action::TabProducts);
    let id = h.app.tabs.products.selected_id().unwrap();
    let mut p = h.rt.store.product(id).unwrap();
    p.price = price;
    h.rt.store.update_product(&p).unwrap();
    h.act(Action::Reload)
        .act(Action::TabProducts)
        .act(Action::Edit);
    assert!(h.app.form().is_some(), "the product form opened");
    id
}

fn value_of(h: &Harness, key: &str) -> String {
    let form = h.app.form().unwrap();
    let i = form.fields.iter().position(|f| f.key == key).unwrap();
    form.fields[i].value().to_string()
}

#[test]
fn typing_over_a_prefilled_amount_replaces_it() {
    let mut h = Harness::new(demo(), 120, 40);
    let id = edit_selected_product(&mut h, Money::from_units(250_000));
    h.tab_to("price").typed("230k");
    assert_eq!(value_of(&h, "price"), "230k");
    h.act(Action::Save);
    assert!(h.app.form().is_none(), "saved: {}", h.status());
    assert_eq!(
        h.rt.store.product(id).unwrap().price,
        Money::from_units(230_000)
    );
}

#[test]
fn typing_over_a_prefilled_quantity_replaces_it() {
    let mut h = Harness::new(demo(), 120, 40);
    h.act(Action::TabOpportunities).act(Action::Edit);
    let form = h.app.form().expect("the deal form opened");
    let at = form
        .fields
        .iter()
        .position(|f| f.label.trim() == "quantity" && !f.value().is_empty())
        .expect("a deal with a line item");
    while h.app.form().unwrap().focus != at {
        h.act(Action::NextField);
    }
    h.typed("2");
    let form = h.app.form().unwrap();
    assert_eq!(form.fields[at].value(), "2");
    // Moving first keeps the value and edits it.
    h.act(Action::NextField).act(Action::PrevField);
    h.key(KeyCode::End).typed("0");
    let form = h.app.form().unwrap();
    assert_eq!(form.fields[at].value(), "20");
}

#[test]
fn a_hundredfold_change_asks_once() {
    let mut h = Harness::new(demo(), 120, 40);
    let id = edit_selected_product(&mut h, Money::from_units(2_500));
    // Typed after the old value instead of over it: the separators give it
    // away, and it is refused at the field.
    h.tab_to("price").key(KeyCode::End).typed("000");
    h.act(Action::Save);
    assert!(h.app.form().is_some());
    assert_eq!(h.status(), "Not saved: 1 field to fix");
    // Two zeros too many: a hundredfold change asks first.
    h.act(Action::PrevField)
        .act(Action::NextField)
        .typed("250000");
    h.act(Action::Save);
    assert!(h.app.form().is_some(), "not saved yet");
    assert!(
        h.status()
            .contains("price 2,500 → 250,000 is 100× more than before"),
        "{}",
        h.status()
    );
    assert_eq!(
        h.rt.store.product(id).unwrap().price,
        Money::from_units(2_500)
    );
    h.act(Action::Save);
    assert!(h.app.form().is_none(), "the second save goes through");
    assert_eq!(
        h.rt.store.product(id).unwrap().price,
        Money::from_units(250_000)
    );
}

/// Issue 18: the board added EUR and CNY deals as one number.
#[test]
fn the_board_sums_each_currency_apart() {
    use dossier::domain::{Opportunity, Stage};
    let mut store = demo();
    store
        .add_opportunity(&Opportunity {
            customer_id: 1,
            title: "Euro deal".into(),
            amount: Money::from_units(40_000),
            currency: "EUR".into(),
            stage: Stage::Prospect,
            ..Default::default()
        })
        .unwrap();
    let mut h = Harness::new(store, 120, 40);
    h.act(Action::TabOpportunities).act(Action::Board);
    let (count, totals) = h.app.tabs.deals.stage_total(Stage::Prospect);
    assert_eq!(count, 6);
    assert_eq!(totals.of("EUR"), Money::from_units(40_000));
    let pipeline = h.rt.store.pipeline().unwrap();
    let prospect = pipeline
        .iter()
        .find(|t| t.stage == Stage::Prospect)
        .unwrap();
    assert_eq!(
        totals, prospect.amounts,
        "the board agrees with the Dashboard"
    );
    assert!(totals.of("CNY").0 > 0);
    assert!(h.screen().contains("6 · CNY 550k + EUR"), "{}", h.screen());
}
