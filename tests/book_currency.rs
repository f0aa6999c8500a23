//! New deals and products take the book's currency (issue 18): the
//! `currency` setting, CNY unless set — never a hard-coded CNY.

use dossier::classify::rules::BUILTIN_RULES;
use dossier::classify::RuleSet;
use dossier::domain::{Clock, Customer, Money, Opportunity, Product};
use dossier::store::Store;

fn store(user_rules: Option<&str>) -> Store {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(day)).unwrap();
    let rules = match user_rules {
        Some(text) => RuleSet::from_texts(&[("built-in", BUILTIN_RULES), ("rules.toml", text)]),
        None => Ok(RuleSet::builtin()),
    };
    s.set_rules(rules.unwrap()).unwrap();
    s
}

fn deal_and_product(s: &mut Store) -> (String, String) {
    let c = s
        .add_customer(&Customer {
            name: "Klaus Becker".into(),
            ..Customer::default()
        })
        .unwrap()
        .meta
        .id;
    let deal = s
        .add_opportunity(&Opportunity {
            customer_id: c,
            title: "Forklifts".into(),
            amount: Money::from_units(12_000),
            ..Opportunity::default()
        })
        .unwrap();
    let product = s
        .add_product(&Product {
            name: "Forklift".into(),
            price: Money::from_units(250_000),
            ..Product::default()
        })
        .unwrap();
    (deal.currency.clone(), product.currency.clone())
}

#[test]
fn a_book_in_euros_gets_euro_deals_and_products() {
    let mut s = store(Some("[settings]\ncurrency = \"EUR\"\n"));
    assert_eq!(s.book_currency().unwrap(), "EUR");
    assert_eq!(deal_and_product(&mut s), ("EUR".into(), "EUR".into()));
}

#[test]
fn the_default_book_is_in_yuan_and_a_chosen_currency_is_kept() {
    let mut s = store(None);
    assert_eq!(deal_and_product(&mut s), ("CNY".into(), "CNY".into()));
    let mut s = store(Some("[settings]\ncurrency = \"EUR\"\n"));
    let p = s
        .add_product(&Product {
            name: "Import".into(),
            price: Money::from_units(10),
            currency: "USD".into(),
            ..Product::default()
        })
        .unwrap();
    assert_eq!(p.currency, "USD");
}

#[test]
fn the_terminal_ui_offers_the_book_currency_in_a_new_deal_and_product() {
    use dossier::tui::{Action, Runtime};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let s = store(Some("[settings]\ncurrency = \"EUR\"\n"));
    let (mut app, _) = dossier::tui::new_app(&s);
    assert_eq!(app.book_currency, "EUR");
    let mut rt = Runtime::new(s, None);
    rt.dispatch(&mut app, Action::Resize(120, 40));
    let start = app.start(false);
    rt.run_all(&mut app, start);
    for tab in ['3', '4'] {
        for code in [KeyCode::Char(tab), KeyCode::Char('a')] {
            let a = app
                .key_action(&KeyEvent::new(code, KeyModifiers::NONE))
                .expect("a key of the list");
            rt.dispatch(&mut app, a);
        }
        let form = app.form().expect("the new record's form is open");
        let currency = form.fields.iter().find(|f| f.key == "currency").unwrap();
        assert_eq!(currency.input.value(), "EUR", "tab {tab}");
        assert!(!form.is_dirty());
        let esc = app
            .key_action(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
            .unwrap();
        rt.dispatch(&mut app, esc);
        assert!(app.form().is_none());
    }
    rt.shutdown();
}
