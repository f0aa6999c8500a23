//! A list-valued tag (a product's audience) is one tag per value (issue
//! 18): a filter by one value finds every product that has it among
//! others, the distribution counts each value, and a change of the list
//! is one change of the dimension.

use dossier::classify::RuleSet;
use dossier::domain::{Clock, Kind, Money, Product};
use dossier::store::Store;

fn store() -> Store {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(day)).unwrap();
    s.set_rules(RuleSet::builtin()).unwrap();
    s
}

fn product(s: &mut Store, name: &str, audience: &[&str]) -> i64 {
    s.add_product(&Product {
        name: name.into(),
        price: Money::from_units(100),
        audience: audience.iter().map(|a| a.to_string()).collect(),
        ..Product::default()
    })
    .unwrap()
    .meta
    .id
}

#[test]
fn each_audience_is_a_tag_of_its_own() {
    let mut s = store();
    let chair = product(&mut s, "Stair chair", &["adults", "seniors"]);
    let toy = product(&mut s, "Toy", &["children"]);
    let cane = product(&mut s, "Cane", &["seniors"]);

    let mut seniors = s
        .ids_with_tag(Kind::Product, "audience", "seniors")
        .unwrap();
    seniors.sort_unstable();
    assert_eq!(seniors, [chair, cane]);
    assert_eq!(
        s.ids_with_tag(Kind::Product, "audience", "adults").unwrap(),
        [chair]
    );
    assert_eq!(
        s.ids_with_tag(Kind::Product, "audience", "children")
            .unwrap(),
        [toy]
    );
    // The whole list is not a value of its own.
    assert!(s
        .ids_with_tag(Kind::Product, "audience", "adults, seniors")
        .unwrap()
        .is_empty());

    let dist = s.tag_distributions(Kind::Product).unwrap();
    let audience = &dist["audience"];
    assert_eq!(audience.get("seniors"), Some(&2));
    assert_eq!(audience.get("adults"), Some(&1));
    assert_eq!(audience.get("children"), Some(&1));
    assert_eq!(audience.get("adults, seniors"), None);

    // Shown together, each with the dimension's reason.
    assert_eq!(
        s.tag_values(Kind::Product, chair).unwrap()["audience"],
        "adults, seniors"
    );
    let tags = s.tags(Kind::Product, chair).unwrap();
    let shown = tags.iter().find(|t| t.dimension == "audience").unwrap();
    assert!(
        !shown.reason.contains("last classification"),
        "a list-valued tag that is current reads as current: {}",
        shown.reason
    );
}

#[test]
fn changing_the_list_is_one_change_and_doctor_agrees() {
    let mut s = store();
    let id = product(&mut s, "Stair chair", &["adults", "seniors"]);
    let mut p = s.product(id).unwrap();
    p.audience = vec!["seniors".into()];
    let saved = s.update_product(&p).unwrap();
    let changes: Vec<String> = saved
        .changes
        .iter()
        .filter(|c| c.dimension == "audience")
        .map(|c| c.to_string())
        .collect();
    assert_eq!(changes, ["audience: adults, seniors → seniors"]);
    assert!(s
        .ids_with_tag(Kind::Product, "audience", "adults")
        .unwrap()
        .is_empty());
    let report = s.doctor().unwrap();
    assert!(
        report.is_healthy(),
        "doctor finds the list-valued tags right: {:?}",
        report.checks
    );
}
