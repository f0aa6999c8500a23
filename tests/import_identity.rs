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

mod random_books {
    use super::*;
    use dossier::domain::{Address, Card, CustomerKind};
    use proptest::prelude::*;

    /// Text as people type it: CJK, Latin with accents, punctuation that
    /// CSV and vCard must escape — no leading/trailing space (trimmed on
    /// the way in by design).
    fn words(max: usize) -> impl Strategy<Value = String> {
        prop::string::string_regex(&format!(
            "[A-Za-zÀ-ÿ张伟欧阳娜李强王芳华信科技有限公司上海北京\"'=+@#&;:,.()-]{{1,{max}}}"
        ))
        .unwrap()
        .prop_map(|s| s.trim().to_string())
        .prop_filter("not blank", |s| !s.is_empty())
    }

    fn lines() -> impl Strategy<Value = String> {
        prop::collection::vec(words(20), 1..4).prop_map(|l| l.join("\n"))
    }

    /// Phones as a form stores them (a `tel:` URI is a file format, read
    /// as its number on import, so it is not among them).
    fn phone() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "+86 138 0013 {n}",
            "020 7946 {n}",
            "+1 (415) 555-{n} x102",
            "+44-20-7946-{n};ext=7",
            "010-6552 {n},,8001",
        ])
        .prop_flat_map(|f| (Just(f), 1000u32..9999))
        .prop_map(|(f, n)| f.replace("{n}", &n.to_string()))
    }

    prop_compose! {
        fn customer(i: usize)(
            name in words(12),
            company in prop::option::of(words(16)),
            title in prop::option::of(words(10)),
            phones in prop::collection::vec(phone(), 0..3),
            second_email in any::<bool>(),
            address in prop::option::of(lines()),
            notes in prop::option::of(lines()),
            city in prop::option::of(words(8)),
            needs in prop::collection::vec("[a-z]{3,8}(-[a-z]{2,5})?", 0..3),
            custom in prop::collection::btree_map("[a-z]{2,8}", words(12), 0..3),
            enterprise in any::<bool>(),
            size in prop::option::of(1u32..100_000),
        ) -> Customer {
            let mut c = Customer::named(&name);
            c.company = company.unwrap_or_default();
            c.title = title.unwrap_or_default();
            c.phones = phones;
            c.phones.dedup();
            // Unique emails: identity is tested elsewhere; this is about fields.
            c.emails = vec![format!("p{i}@book.example")];
            if second_email {
                c.emails.push(format!("p{i}.home@book.example"));
            }
            c.address = address.unwrap_or_default();
            c.notes = notes.unwrap_or_default();
            c.city = city.unwrap_or_default();
            c.needs = needs;
            c.needs.dedup();
            c.custom = custom;
            if enterprise {
                c.kind = CustomerKind::Enterprise;
                c.size = size;
            }
            c
        }
    }

    /// A word with none of the characters that separate list entries or
    /// labels in the text forms (`,` `;` `:`): group names, handles.
    fn plain(max: usize) -> impl Strategy<Value = String> {
        prop::string::string_regex(&format!(
            "[A-Za-zÀ-ÿ张伟欧阳娜李强王芳华信上海北京 .'&-]{{1,{max}}}"
        ))
        .unwrap()
        .prop_map(|s| s.trim().to_string())
        .prop_filter("not blank", |s| !s.is_empty())
    }

    fn day() -> impl Strategy<Value = String> {
        (prop::option::of(1900i32..2020), 1u32..13, 1u32..29).prop_map(|(y, m, d)| match y {
            Some(y) => format!("{y:04}-{m:02}-{d:02}"),
            None => format!("--{m:02}-{d:02}"),
        })
    }

    fn address() -> impl Strategy<Value = Address> {
        (
            prop::sample::select(vec!["", "home", "work", "other", "warehouse"]),
            prop::option::of(lines()),
            prop::option::of(words(10)),
            prop::option::of(words(8)),
            prop::option::of("[0-9A-Z]{3,7}"),
            prop::option::of(words(8)),
        )
            .prop_map(|(label, street, city, region, postcode, country)| Address {
                label: label.to_string(),
                street: street.unwrap_or_default(),
                city: city.unwrap_or_default(),
                region: region.unwrap_or_default(),
                postcode: postcode.unwrap_or_default(),
                country: country.unwrap_or_default(),
            })
            .prop_filter("an address", |a| !a.is_empty())
    }

    prop_compose! {
        /// Every address-book field (labels from what programs write).
        fn card()(
            parts in prop::option::of((words(6), words(6))),
            prefix in prop::option::of(prop::sample::select(vec!["Dr.", "Mr.", "Ms.", "Prof."])),
            suffix in prop::option::of(prop::sample::select(vec!["Jr.", "PhD", "III"])),
            nickname in prop::option::of(words(8)),
            department in prop::option::of(words(10)),
            labels in prop::collection::vec(
                prop::option::of(prop::sample::select(vec!["work", "mobile", "home", "fax", "pager", "other", "main"])),
                3,
            ),
            postcode in prop::option::of("[0-9]{5}"),
            address_label in prop::option::of(prop::sample::select(vec!["work", "home"])),
            addresses in prop::collection::vec(address(), 0..3),
            days in (prop::option::of(day()), prop::option::of(day())),
            websites in prop::collection::vec("https://[a-z]{3,8}\\.example/[a-z0-9]{0,6}", 0..3),
            ims in prop::collection::vec(
                (prop::sample::select(vec!["wechat", "qq", "skype", "telegram"]), "[a-z0-9_]{3,12}"),
                0..3,
            ),
            groups in prop::collection::vec(plain(10), 0..3),
        ) -> (Card, Vec<Option<&'static str>>) {
            let mut card = Card::default();
            if let Some((g, f)) = parts {
                card.given_name = g;
                card.family_name = f;
            }
            card.prefix = prefix.unwrap_or_default().to_string();
            card.suffix = suffix.unwrap_or_default().to_string();
            card.nickname = nickname.unwrap_or_default();
            card.department = department.unwrap_or_default();
            card.postcode = postcode.unwrap_or_default();
            card.address_label = address_label.unwrap_or_default().to_string();
            card.addresses = addresses;
            card.birthday = days.0.unwrap_or_default();
            card.anniversary = days.1.unwrap_or_default();
            card.websites = websites;
            card.websites.dedup();
            card.ims = ims.into_iter().map(|(s, h)| format!("{s}: {h}")).collect();
            card.ims.dedup();
            let mut seen = std::collections::HashSet::new();
            card.groups = groups.into_iter().filter(|g| seen.insert(g.to_lowercase())).collect();
            (card, labels)
        }
    }

    /// A customer with every field, labels on its phones and emails.
    fn full_customer(i: usize) -> impl Strategy<Value = Customer> {
        (customer(i), card()).prop_map(|(mut c, (card, labels))| {
            *c.card = card;
            for (p, l) in c.phones.iter().zip(&labels) {
                if let Some(l) = l {
                    c.card.phone_labels.insert(p.clone(), l.to_string());
                }
            }
            for (e, l) in c.emails.iter().zip(labels.iter().rev()) {
                if let Some(l) = l.filter(|l| matches!(*l, "work" | "home" | "other")) {
                    c.card.email_labels.insert(e.clone(), l.to_string());
                }
            }
            if c.kind == CustomerKind::Enterprise {
                // An organisation card has no person's name parts.
                c.card.given_name.clear();
                c.card.family_name.clear();
            }
            c
        })
    }

    fn book() -> impl Strategy<Value = Vec<Customer>> {
        (1usize..12).prop_flat_map(|n| (0..n).map(full_customer).collect::<Vec<_>>())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

        /// Export to CSV, import into an empty book: the same customers,
        /// field for field.
        #[test]
        fn csv_export_then_import_is_the_identity(book in book()) {
            region_gb();
            let mut a = Store::open_in_memory().unwrap();
            for c in &book {
                a.add_customer(c).unwrap();
            }
            let file = csv_of(&a);
            let mut b = Store::open_in_memory().unwrap();
            let r = import_bytes(&mut b, &file, Format::Csv, &ImportOptions::default()).unwrap();
            prop_assert_eq!(r.rejected.len(), 0, "{:?}", r.rejected);
            prop_assert_eq!(customers(&a), customers(&b), "{}", String::from_utf8_lossy(&file));
        }

        /// The same through vCard.
        #[test]
        fn vcard_export_then_import_is_the_identity(book in book()) {
            region_gb();
            let mut a = Store::open_in_memory().unwrap();
            for c in &book {
                a.add_customer(c).unwrap();
            }
            let mut file = Vec::new();
            export(&a, &ExportOptions { format: Format::Vcf, kind: None, tags: vec![] }, &mut file).unwrap();
            let mut b = Store::open_in_memory().unwrap();
            let r = import_bytes(&mut b, &file, Format::Vcf, &ImportOptions::default()).unwrap();
            prop_assert_eq!(r.rejected.len(), 0, "{:?}", r.rejected);
            prop_assert_eq!(customers(&a), customers(&b), "{}", String::from_utf8_lossy(&file));
        }
    }
}
