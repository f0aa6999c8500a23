//! Tiers that depend on the whole book are right at every moment (issue
//! 18): a save that moves a cut point re-tags the records that cross it in
//! its own transaction, and a book with few buyers uses the floors in
//! settings instead of percentiles over a handful of values.

use chrono::NaiveDate;
use dossier::classify::RuleSet;
use dossier::domain::{Clock, Customer, Kind, Money, Opportunity, Product, Stage};
use dossier::store::Store;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn store() -> Store {
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(day("2026-06-01"))).unwrap();
    s.set_rules(RuleSet::builtin()).unwrap();
    s
}

/// The stored tag value, with the reason the rules give today.
fn tag(s: &Store, kind: Kind, id: i64, dim: &str) -> (String, String) {
    let stored = s
        .tag_values(kind, id)
        .unwrap()
        .remove(dim)
        .unwrap_or_default();
    let reason = s
        .tags(kind, id)
        .unwrap()
        .into_iter()
        .find(|t| t.dimension == dim)
        .map(|t| t.reason)
        .unwrap_or_default();
    (stored, reason)
}

/// Saves a won deal; returns the tag changes the save made.
fn won(s: &mut Store, customer: i64, units: i64) -> Vec<dossier::store::TagChange> {
    s.add_opportunity(&Opportunity {
        customer_id: customer,
        title: "Deal".into(),
        amount: Money::from_units(units),
        stage: Stage::Won,
        ..Default::default()
    })
    .unwrap()
    .changes
}

fn product(s: &mut Store, name: &str, price: i64) -> i64 {
    let mut p = Product::named(name);
    p.price = Money::from_units(price);
    s.add_product(&p).unwrap().meta.id
}

#[test]
fn the_first_big_deal_of_a_new_book_is_high_value_at_once() {
    let mut s = store();
    let c = s
        .add_customer(&Customer::named("First buyer"))
        .unwrap()
        .meta
        .id;
    let changes = won(&mut s, c, 254_000);
    let (value, reason) = tag(&s, Kind::Customer, c, "value");
    assert_eq!(value, "high", "{reason}");
    assert_eq!(
        reason,
        "Won 254,000 in the last 12 months — 100,000 is the mark while the book is too \
         small for percentiles"
    );
    // Stored so, not only shown so: the list filter reads the stored tag.
    assert_eq!(
        s.ids_with_tag(Kind::Customer, "value", "high").unwrap(),
        [c]
    );
    assert!(changes
        .iter()
        .any(|c| c.to_string().contains("value: low → high")));
}

#[rstest::rstest]
#[case::small_catalogue(5)]
#[case::percentiles(15)]
fn an_expensive_product_among_cheap_ones_is_price_high(#[case] cheap: i64) {
    let mut s = store();
    for i in 0..cheap {
        product(&mut s, &format!("Cheap {i}"), 100 + i * 10);
    }
    let forklift = product(&mut s, "Forklift", 250_000);
    let (value, reason) = tag(&s, Kind::Product, forklift, "price");
    assert_eq!(value, "high", "{reason}");
    let (first, _) = tag(&s, Kind::Product, 1, "price");
    assert_eq!(first, "low");
}

/// With enough buyers for percentiles, a new big deal moves the top-20 %
/// cut point, and a customer it leaves below is re-tagged in the same save.
#[test]
fn a_save_that_moves_a_cut_point_re_tags_who_crosses_it() {
    let mut s = store();
    let mut ids = Vec::new();
    for i in 0..10 {
        let c = s
            .add_customer(&Customer::named(&format!("C{i}")))
            .unwrap()
            .meta
            .id;
        won(&mut s, c, 10_000 * (i + 1));
        ids.push(c);
    }
    // 10 buyers (10k … 100k): p80 is 80k, so C7 (80k) is high.
    assert_eq!(tag(&s, Kind::Customer, ids[7], "value").0, "high");
    let mut changes = Vec::new();
    for i in 0..3 {
        let c = s
            .add_customer(&Customer::named(&format!("Big{i}")))
            .unwrap()
            .meta
            .id;
        changes.extend(won(&mut s, c, 500_000));
    }
    // 13 buyers: p80 is now the 11th value, 500k — C7 is no longer top 20 %.
    assert_eq!(tag(&s, Kind::Customer, ids[7], "value").0, "medium");
    let stored = s.ids_with_tag(Kind::Customer, "value", "high").unwrap();
    assert_eq!(stored.len(), 3, "{stored:?}");
    assert!(changes
        .iter()
        .any(|c| c.to_string().contains("value: high → medium")));
}

/// Issue 18: EUR and CNY amounts were added as one number. A deal in
/// another currency counts at the user's rate, or not at all.
#[test]
fn revenue_is_in_the_book_currency_never_raw() {
    let revenue = |rates: &str| {
        let mut s = store();
        let rules = format!("[settings]\nrates = [{rates}]\n");
        s.set_rules(
            RuleSet::from_texts(&[
                (
                    "built-in rules.toml",
                    dossier::classify::rules::BUILTIN_RULES,
                ),
                ("my.toml", &rules),
            ])
            .unwrap(),
        )
        .unwrap();
        let c = s.add_customer(&Customer::named("Mixed")).unwrap().meta.id;
        won(&mut s, c, 100_000);
        s.add_opportunity(&Opportunity {
            customer_id: c,
            title: "Euro deal".into(),
            amount: Money::from_units(20_000),
            currency: "EUR".into(),
            stage: Stage::Won,
            ..Default::default()
        })
        .unwrap();
        let f = s.facts(Kind::Customer, c).unwrap().unwrap();
        f.by_name("revenue_12m").cloned()
    };
    use dossier::classify::FactValue::Num;
    assert_eq!(
        revenue(""),
        Some(Num(100_000.0)),
        "no rate: the EUR deal is left out"
    );
    assert_eq!(revenue("\"EUR=7.8\""), Some(Num(256_000.0)));
    let bad = RuleSet::from_texts(&[
        (
            "built-in rules.toml",
            dossier::classify::rules::BUILTIN_RULES,
        ),
        ("my.toml", "[settings]\nrates = [\"EUR:7.8\"]\n"),
    ])
    .unwrap_err();
    assert_eq!((bad.file.as_str(), bad.line), ("my.toml", 2));
    assert!(
        bad.message.contains("rate 'EUR:7.8' is not CODE=RATE"),
        "{bad}"
    );
}
