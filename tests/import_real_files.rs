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

fn vcf_export(s: &Store) -> String {
    let mut out = Vec::new();
    dossier::interchange::export(
        s,
        &dossier::interchange::ExportOptions {
            format: Format::Vcf,
            kind: None,
            tags: vec![],
        },
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn vcards_from_phones_icloud_and_vcard_4() {
    let (s, r) = import(
        include_bytes!("fixtures/import/phones_mixed.vcf"),
        Format::Vcf,
    );
    // 7 cards: one iCloud group skipped, 6 contacts; warnings for the
    // group, the nested AGENT card and the nameless Gmail card.
    assert_eq!(counts(&r), (6, 0, 3), "{} {:?}", r.summary(), r.warnings);
    let kept: Vec<&str> = r.kept_properties.iter().map(String::as_str).collect();
    assert_eq!(
        kept,
        ["GENDER", "PHOTO", "X-ANDROID-CUSTOM", "X-SOCIALPROFILE"]
    );
    let c = customers(&s);
    let names: Vec<&str> = c.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "张伟",
            "欧阳娜娜",
            "山田太郎",
            "Dr. Ann Lee",
            "Initech Ltd",
            "someone@example.org"
        ]
    );
    assert_eq!(c[0].notes, "张伟是老客户，需要报价。下次展会再联系。");
    assert_eq!(
        c[0].phones,
        ["+86 138 0013 8000", "021-6552 9988 ext. 8001"]
    );
    assert_eq!(c[1].company, "北京恒通贸易有限公司");
    let ann = &c[3];
    assert_eq!(ann.address, "1 Market Street\nSuite 200");
    assert_eq!(ann.card.postcode, "EC1A 1BB");
    assert_eq!(ann.card.address_label, "work");
    assert_eq!(ann.card.department, "Purchasing");
    assert_eq!(ann.card.prefix, "Dr.");
    assert_eq!(ann.card.birthday, "1980-05-17");
    assert_eq!(ann.name_parts(), ("Lee".into(), "Ann".into()));
    assert_eq!(ann.phones, ["+44 20 7946 0958"], "direction marks removed");
    // Apple's item2.X-ABLabel labels item2.TEL; item1.EMAIL is labelled Work.
    assert_eq!(ann.card.phone_labels["+44 20 7946 0958"], "switchboard");
    assert_eq!(ann.card.email_labels["ann@acme.example"], "work");
    assert_eq!(c[4].kind, CustomerKind::Enterprise);
    assert_eq!(c[4].emails, ["sales@initech.example"]);
    let group = r
        .warnings
        .iter()
        .find(|w| w.message.contains("group"))
        .unwrap();
    assert_eq!(group.line, 45);
}

/// The export is read back by an independent parser (`calcard`, not
/// dossier's writer) and compared slot by slot; then imported again into
/// an empty book, field for field.
#[test]
fn vcard_export_fills_rfc_slots_and_gives_kept_properties_back() {
    use calcard::vcard::{VCard, VCardProperty};
    let (s, _) = import(
        include_bytes!("fixtures/import/phones_mixed.vcf"),
        Format::Vcf,
    );
    let text = vcf_export(&s);
    let cards: Vec<VCard> = text
        .split_inclusive("END:VCARD\r\n")
        .map(|c| VCard::parse(c).unwrap())
        .collect();
    assert_eq!(cards.len(), 6);
    let parts = |card: &VCard, p: VCardProperty| -> Vec<String> {
        card.property(&p)
            .map(|e| {
                e.values
                    .iter()
                    .map(|v| v.as_text().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let ouyang = &cards[1];
    assert_eq!(parts(ouyang, VCardProperty::N)[..2], ["欧阳", "娜娜"]);
    let ann = &cards[3];
    assert_eq!(parts(ann, VCardProperty::N), ["Lee", "Ann", "", "Dr.", ""]);
    assert_eq!(
        parts(ann, VCardProperty::Adr),
        [
            "",
            "",
            "1 Market Street\nSuite 200",
            "London",
            "",
            "EC1A 1BB",
            "United Kingdom"
        ]
    );
    assert_eq!(parts(ann, VCardProperty::Org), ["Acme Ltd", "Purchasing"]);
    assert!(ann.property(&VCardProperty::Bday).is_some());
    assert!(
        text.contains("\r\nX-SOCIALPROFILE;type=linkedin:https://www.linkedin.com/in/annlee\r\n")
    );
    // Apple's labels are read with their property and written with it (a
    // label kept raw would lose the property it names).
    assert!(text.contains("\r\nTEL;TYPE=VOICE,SWITCHBOARD:"), "{text}");
    assert!(!text.contains("X-ABLabel"), "{text}");
    assert!(
        text.contains("\r\nX-ABShowAs:COMPANY\r\n"),
        "organisation card"
    );
    let (again, r) = import(text.as_bytes(), Format::Vcf);
    assert_eq!(counts(&r), (6, 0, 0), "{} {:?}", r.summary(), r.warnings);
    let strip = |mut c: Customer| {
        c.meta = Default::default();
        c
    };
    let before: Vec<Customer> = customers(&s).into_iter().map(strip).collect();
    let after: Vec<Customer> = customers(&again).into_iter().map(strip).collect();
    assert_eq!(before, after);
}

/// `--shape google|outlook`: the book goes back to those programs. Their
/// files are read back here by dossier's own Google/Outlook column mapping
/// and compare field by field on everything those layouts carry.
#[test]
fn google_and_outlook_shaped_exports_carry_every_field_back() {
    let mut s = Store::open_in_memory().unwrap();
    for (bytes, format) in [
        (
            &include_bytes!("fixtures/import/outlook_utf8_bom.csv")[..],
            Format::Csv,
        ),
        (
            &include_bytes!("fixtures/import/google_multivalue.csv")[..],
            Format::Csv,
        ),
    ] {
        import_bytes(&mut s, bytes, format, &ImportOptions::default()).unwrap();
    }
    let project = |c: &Customer| {
        let k = |key: &str| match key {
            "prefix" => c.card.prefix.clone(),
            "suffix" => c.card.suffix.clone(),
            "department" => c.card.department.clone(),
            "postcode" => c.card.postcode.clone(),
            "website" => c.card.websites.join(", "),
            "birthday" => c.card.birthday.clone(),
            "categories" => c.card.groups.join(", "),
            "nickname" => c.card.nickname.clone(),
            _ => unreachable!(),
        };
        (
            c.name.clone(),
            c.company.clone(),
            c.title.clone(),
            c.phones.clone(),
            c.emails.clone(),
            (
                c.address.clone(),
                c.city.clone(),
                c.province.clone(),
                c.country.clone(),
            ),
            [
                k("prefix"),
                k("suffix"),
                k("department"),
                k("postcode"),
                k("website"),
            ],
            [k("birthday"), k("categories"), k("nickname")],
        )
    };
    let before: Vec<_> = customers(&s).iter().map(project).collect();
    for format in [Format::GoogleCsv, Format::OutlookCsv] {
        let mut file = Vec::new();
        dossier::interchange::export(
            &s,
            &dossier::interchange::ExportOptions {
                format,
                kind: None,
                tags: vec![],
            },
            &mut file,
        )
        .unwrap();
        assert!(file.starts_with(b"\xEF\xBB\xBF"), "{format:?}: BOM");
        let (back, r) = import(&file, Format::Csv);
        assert_eq!(r.rejected.len(), 0, "{format:?} {:?}", r.rejected);
        assert!(
            r.ignored_columns.iter().all(|c| c.ends_with("Type")),
            "{format:?}: {:?}",
            r.ignored_columns
        );
        let after: Vec<_> = customers(&back).iter().map(project).collect();
        assert_eq!(
            before,
            after,
            "{format:?}\n{}",
            String::from_utf8_lossy(&file)
        );
    }
}
