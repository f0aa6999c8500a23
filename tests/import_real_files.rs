//! Real address-book files come in whole: odd values are kept aside with a
//! warning instead of costing the contact. Fixtures in
//! `tests/fixtures/import/` are written by hand after each program's
//! documented export shape.

use dossier::domain::{Customer, CustomerKind};
use dossier::interchange::{import_bytes, Format, ImportOptions, ImportReport};
use dossier::store::{Page, Store};

fn import(bytes: &[u8], format: Format) -> (Store, ImportReport) {
    let mut s = Store::open_in_memory().unwrap();
    let r = import_bytes(&mut s, bytes, format, &ImportOptions::default()).unwrap();
    (s, r)
}

fn customers(s: &Store) -> Vec<Customer> {
    s.customers(Page {
        limit: 10_000,
        ..Default::default()
    })
    .unwrap()
}

fn counts(r: &ImportReport) -> (u64, usize, usize) {
    (r.created + r.updated, r.rejected.len(), r.warnings.len())
}

#[test]
fn google_multi_values_dial_strings_and_odd_values() {
    let (s, r) = import(
        include_bytes!("fixtures/import/google_multivalue.csv"),
        Format::Csv,
    );
    assert_eq!(counts(&r), (5, 0, 3), "{} {:?}", r.summary(), r.warnings);
    let c = customers(&s);
    let ann = &c[0];
    assert_eq!(
        ann.phones,
        ["+44 20 7946 0958", "+44 7700 900123", "+44-7700-900124"]
    );
    assert_eq!(ann.emails, ["ann@acme.example", "ann.lee@home.example"]);
    assert_eq!(ann.address, "Flat 2\n10 Market Street");
    assert_eq!(ann.notes, "Met at the London fair.\nWants a quote by May.");
    let bob = &c[1];
    assert_eq!(bob.emails, ["bob@globex.example"]);
    assert_eq!(bob.phones, ["+44 7700 900200"], "direction marks removed");
    assert_eq!(bob.custom["unreadable phone"], "call reception");
    let bob_warning = r.warnings.iter().find(|w| w.line == 5).unwrap();
    assert!(
        bob_warning.message.contains("'call reception'"),
        "{bob_warning:?}"
    );
    let firm = &c[2];
    assert_eq!(
        (firm.name.as_str(), firm.kind),
        ("Initech Ltd", CustomerKind::Enterprise)
    );
    assert_eq!(c[3].name, "someone@example.org");
    assert!(c[3].custom.contains_key("placeholder name"));
    assert_eq!(c[4].phones, ["+44 20 7946 0000 ext. 102", "*123#"]);
}
