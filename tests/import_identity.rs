//! Import identity: a real address book comes in whole — no two people
//! folded into one record — and dossier's own CSV export imports back
//! field for field.

use dossier::domain::Customer;
use dossier::interchange::{export, import_bytes, ExportOptions, Format, ImportOptions};
use dossier::sample::gen::generate;
use dossier::store::{Page, Store};

/// Every test of this file reads phones in region GB (the setting is
/// process-wide; setting it the same in each test keeps them independent).
fn region_gb() {
    assert!(dossier::domain::identity::set_phone_region("GB"));
}

fn customers(s: &Store) -> Vec<Customer> {
    let mut out = s
        .customers(Page {
            limit: 1_000_000,
            ..Default::default()
        })
        .unwrap();
    for c in &mut out {
        c.meta = Default::default();
    }
    out
}

fn csv_of(s: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    export(
        s,
        &ExportOptions {
            format: Format::Csv,
            kind: None,
            tags: vec![],
        },
        &mut out,
    )
    .unwrap();
    out
}

/// The synthetic book shares office phones and common names between
/// different people; before strong-evidence matching 20,000 came back as
/// 17,011.
#[test]
fn twenty_thousand_generated_customers_round_trip_through_csv() {
    region_gb();
    let mut a = Store::open_in_memory().unwrap();
    generate(&mut a, 20_000, 42).unwrap();
    let file = csv_of(&a);
    let mut b = Store::open_in_memory().unwrap();
    let r = import_bytes(&mut b, &file, Format::Csv, &ImportOptions::default()).unwrap();
    assert_eq!(
        (r.created, r.updated, r.rejected.len()),
        (20_000, 0, 0),
        "{}",
        r.summary()
    );
    let (before, after) = (customers(&a), customers(&b));
    assert_eq!(before.len(), after.len());
    for (x, y) in before.iter().zip(&after) {
        assert_eq!(x, y);
    }
    // Importing the same file again changes nothing.
    let again = import_bytes(&mut b, &file, Format::Csv, &ImportOptions::default()).unwrap();
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 20_000),
        "{}",
        again.summary()
    );
}

#[test]
fn a_switchboard_shared_in_one_file_keeps_every_person() {
    region_gb();
    let file = "Name,Company,Phone,Email\n\
        Ann Lee,Acme,+44 20 7946 0000,\n\
        Bob Stone,Acme,020 7946 0000,\n\
        Carla Diaz,Acme,+44 (0)20 7946 0000,carla@acme.example\n\
        Ann Lee,,,\n";
    let mut s = Store::open_in_memory().unwrap();
    let r = import_bytes(
        &mut s,
        file.as_bytes(),
        Format::Csv,
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!((r.created, r.updated), (4, 0), "{}", r.summary());
    assert!(r.warnings.len() >= 2, "{:?}", r.warnings);
    assert!(r.warnings.iter().any(|w| w.line == 3), "{:?}", r.warnings);
    let names: Vec<String> = customers(&s).into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["Ann Lee", "Bob Stone", "Carla Diaz", "Ann Lee"]);
}

#[test]
fn phones_compare_in_the_default_region() {
    region_gb();
    use dossier::domain::identity::phone_key;
    assert_eq!(phone_key("+44 20 7946 0958"), phone_key("020 7946 0958"));
    assert_eq!(phone_key("0044 20 7946 0958"), phone_key("(020) 7946-0958"));
    assert_ne!(
        phone_key("+86 20 7946 0958"),
        phone_key("020 7946 0958"),
        "{:?}",
        (phone_key("+44 20 7946 0958"), phone_key("+86 10 6552 9988"))
    );
}
