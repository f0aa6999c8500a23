//! Import and export: real-world file shapes, round trips, re-import,
//! duplicates and merges — against a real SQLite store.

use dossier::domain::{Customer, Kind};
use dossier::interchange::{
    export, import_bytes, ExportOptions, Format, ImportOptions, ImportReport,
};
use dossier::sample::demo::load_demo;
use dossier::store::Store;
use proptest::prelude::*;

fn store() -> Store {
    Store::open_in_memory().unwrap()
}

fn import(s: &mut Store, bytes: &[u8], format: Format) -> ImportReport {
    import_bytes(s, bytes, format, &ImportOptions::default()).unwrap()
}

fn exported(s: &Store, format: Format, kind: Option<Kind>) -> Vec<u8> {
    let mut out = Vec::new();
    export(
        s,
        &ExportOptions {
            format,
            kind,
            tags: vec![],
        },
        &mut out,
    )
    .unwrap();
    out
}

fn all_customers(s: &Store) -> Vec<Customer> {
    s.customers(dossier::store::Page {
        limit: 100_000,
        ..Default::default()
    })
    .unwrap()
}

/// A customer without its bookkeeping, for comparing across books.
fn fields_only(mut c: Customer) -> Customer {
    c.meta = Default::default();
    c
}

fn demo_book() -> Store {
    let mut s = store();
    load_demo(&mut s, false).unwrap();
    s
}

#[test]
fn json_backup_restores_identical_records_into_an_empty_book() {
    let a = demo_book();
    let backup = exported(&a, Format::Json, None);
    let mut b = store();
    let r = import(&mut b, &backup, Format::Json);
    assert!(r.rejected.is_empty());
    assert!(r.created > 200, "{}", r.summary());
    assert_eq!(a.backup_data().unwrap(), b.backup_data().unwrap());
    assert_eq!(exported(&b, Format::Json, None), backup);
    // Restoring again changes nothing.
    let again = import(&mut b, &backup, Format::Json);
    assert_eq!((again.created, again.updated), (0, 0));
}

#[test]
fn csv_round_trip_keeps_every_customer_field() {
    let a = demo_book();
    let csv = exported(&a, Format::Csv, Some(Kind::Customer));
    let mut b = store();
    let r = import(&mut b, &csv, Format::Csv);
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    let left: Vec<Customer> = all_customers(&a).into_iter().map(fields_only).collect();
    let right: Vec<Customer> = all_customers(&b).into_iter().map(fields_only).collect();
    assert_eq!(left, right);
}

#[test]
fn vcard_round_trip_keeps_every_customer_field() {
    let a = demo_book();
    let vcf = exported(&a, Format::Vcf, None);
    let mut b = store();
    let r = import(&mut b, &vcf, Format::Vcf);
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    let left: Vec<Customer> = all_customers(&a).into_iter().map(fields_only).collect();
    let right: Vec<Customer> = all_customers(&b).into_iter().map(fields_only).collect();
    assert_eq!(left, right);
}

#[test]
fn csv_export_guards_formulas() {
    let mut s = store();
    let mut c = Customer::named("=HYPERLINK(\"http://evil\",\"x\")");
    c.notes = "@SUM(1)".into();
    s.add_customer(&c).unwrap();
    let csv = String::from_utf8(exported(&s, Format::Csv, None)).unwrap();
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(csv.contains("'@SUM(1)"), "{csv}");
    let mut b = store();
    import(&mut b, csv.as_bytes(), Format::Csv);
    assert_eq!(all_customers(&b)[0].name, c.name);
}

#[test]
fn google_contacts_export_with_bom_and_quoted_newline() {
    let mut s = store();
    let r = import(
        &mut s,
        include_bytes!("fixtures/google_contacts.csv"),
        Format::Csv,
    );
    assert_eq!(r.created, 2, "{:?}", r.rejected);
    let c = all_customers(&s);
    assert_eq!(c[0].name, "Ann Lee");
    assert_eq!(
        c[0].emails,
        vec!["ann@acme.example", "ann.lee@mail.example"]
    );
    assert_eq!(c[0].phones, vec!["+1 555 0100", "+1 555 0101"]);
    assert_eq!(c[0].company, "Acme Inc");
    assert_eq!(c[0].notes, "Met at the fair.\nWants a quote.");
    assert_eq!((c[1].name.as_str(), c[1].city.as_str()), ("张伟", "上海"));
    // Group Membership is read; Google's own "* myContacts" (every
    // contact is in it) is no group of the customer.
    assert!(!r.ignored_columns.contains(&"Group Membership".to_string()));
    assert!(c[0].card.groups.is_empty(), "{:?}", c[0].card.groups);
    // Each value keeps its Type column's label; "* " marks Google's preferred.
    assert_eq!(c[0].card.email_labels["ann@acme.example"], "work");
    assert_eq!(c[0].card.email_labels["ann.lee@mail.example"], "home");
    assert_eq!(c[0].card.phone_labels["+1 555 0100"], "mobile");
    assert_eq!(c[0].card.phone_labels["+1 555 0101"], "work");
    // Classified on the way in: tags with reasons are there at once.
    let tags = s.tags(Kind::Customer, c[1].meta.id).unwrap();
    assert!(tags.iter().any(|t| t.dimension == "region"), "{tags:?}");
    // The second row starts on line 4: the first row's note spans two lines.
    assert_eq!(r.rows[1].line, 4);
}

#[test]
fn outlook_export_with_semicolons_and_split_names() {
    let mut s = store();
    let r = import(
        &mut s,
        include_bytes!("fixtures/outlook_semicolon.csv"),
        Format::Csv,
    );
    assert_eq!(r.created, 2, "{:?}", r.rejected);
    let c = all_customers(&s);
    assert_eq!(c[0].name, "Hans Müller");
    assert_eq!(c[1].name, "Sophie Marie Dubois");
    assert_eq!(c[1].notes, "Prefers email; call after 3pm");
    assert_eq!(c[0].country, "Germany");
}

#[test]
fn gbk_spreadsheet_with_tabs_empty_lines_and_ragged_rows() {
    let text = "姓名\t公司\t手机\t城市\t备注\n\
                张伟\t上海华信科技有限公司\t13800138000\t上海\n\
                \n\
                李娜\t北京中联\t13911002202\t北京\t老客户\t多出来的列\n\
                \t\t\t\t\n\
                王芳\t\t不是电话\t\t\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let mut s = store();
    let r = import(&mut s, &gbk, Format::Csv);
    // 王芳's phone cell holds words: the value is kept aside with a
    // warning and the contact imported.
    assert_eq!(r.created, 3);
    assert_eq!(r.blank, 1);
    assert_eq!(r.rejected.len(), 0);
    assert_eq!(r.warnings[0].line, 6);
    assert!(
        r.warnings[0].message.contains("not a phone number"),
        "{:?}",
        r.warnings
    );
    let c = all_customers(&s);
    assert_eq!(c[0].company, "上海华信科技有限公司");
    assert_eq!(c[1].notes, "老客户");
}

#[test]
fn a_ten_megabyte_field_is_rejected_alone() {
    let mut csv = String::from("name,notes\nAnn,short\n");
    csv.push_str("Bob,\"");
    csv.push_str(&"x".repeat(10 * 1024 * 1024));
    csv.push_str("\"\nCleo,fine\n");
    let mut s = store();
    let r = import(&mut s, csv.as_bytes(), Format::Csv);
    assert_eq!(r.created, 2);
    assert_eq!(r.rejected.len(), 1);
    assert_eq!(r.rejected[0].line, 3);
    assert!(r.rejected[0]
        .reason
        .contains("notes: is 10485760 characters long"));
}

#[test]
fn reimport_updates_matches_instead_of_duplicating() {
    let mut s = store();
    let first = "name,company,email,phone\n\
                 Ann,Acme,ann@acme.example,\n\
                 Bob,Globex,,+86 138 0013 8000\n\
                 Cleo,Initech,,\n";
    import(&mut s, first.as_bytes(), Format::Csv);
    let second = "name,company,email,phone,city\n\
                  Ann L,,ANN@acme.example,,Paris\n\
                  BOB,,,0086 13800138000,Berlin\n\
                  cleo,Initech Inc,,,Rome\n\
                  Dan,,,,\n";
    let r = import(&mut s, second.as_bytes(), Format::Csv);
    assert_eq!((r.created, r.updated), (1, 3), "{}", r.summary());
    let c = all_customers(&s);
    assert_eq!(c.len(), 4);
    assert_eq!((c[0].name.as_str(), c[0].city.as_str()), ("Ann L", "Paris"));
    assert_eq!(c[1].city, "Berlin");
    assert_eq!(c[2].city, "Rome");
    let dry = import_bytes(
        &mut s,
        second.as_bytes(),
        Format::Csv,
        &ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((dry.created, dry.updated, dry.unchanged), (0, 0, 4));
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let mut s = store();
    let r = import_bytes(
        &mut s,
        // No name and nothing to name it after: the one row that cannot be kept.
        b"name,email\nAnn,ann@x.example\n,nope\n",
        Format::Csv,
        &ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((r.created, r.rejected.len()), (1, 1));
    assert_eq!(r.rejected[0].line, 3);
    assert!(s.is_empty().unwrap());
}

#[test]
fn map_option_and_missing_name_column() {
    let mut s = store();
    let csv = b"Kontakt,Firma,Handy,Farbe\nJens,Nordwind,+49 170 1234567,blau\n";
    let e = import_bytes(&mut s, csv, Format::Csv, &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("--map 'COLUMN=name'"), "{e}");
    let opts = ImportOptions {
        maps: vec![
            "Kontakt=name".into(),
            "Firma=company".into(),
            "Handy=phones".into(),
            "Farbe=custom.colour".into(),
        ],
        ..Default::default()
    };
    let r = import_bytes(&mut s, csv, Format::Csv, &opts).unwrap();
    assert_eq!(r.created, 1);
    let c = &all_customers(&s)[0];
    assert_eq!(c.company, "Nordwind");
    assert_eq!(c.custom.get("colour").map(String::as_str), Some("blau"));
}

#[test]
fn phone_vcards_with_encoded_chinese_names() {
    let mut s = store();
    let r = import(
        &mut s,
        include_bytes!("fixtures/phone_export.vcf"),
        Format::Vcf,
    );
    assert_eq!(r.created, 2, "{:?}", r.rejected);
    assert_eq!(r.rejected.len(), 1);
    assert_eq!(r.rejected[0].line, 17);
    let c = all_customers(&s);
    assert_eq!(c[0].name, "王芳");
    assert_eq!(c[0].company, "北京中联物流");
    assert_eq!(c[0].phones.len(), 2);
    assert_eq!(c[1].notes, "Line one\nline two, with comma");
    // Importing the same cards again changes nothing.
    let again = import(
        &mut s,
        include_bytes!("fixtures/phone_export.vcf"),
        Format::Vcf,
    );
    assert_eq!((again.created, again.unchanged), (0, 2));
}

#[test]
fn products_import_and_match_by_sku() {
    let mut s = store();
    let opts = ImportOptions {
        kind: Kind::Product,
        ..Default::default()
    };
    let csv = "name,sku,price,category\nWidget,W-1,12k,tools\nGadget,G 2,5,tools\n";
    let r = import_bytes(&mut s, csv.as_bytes(), Format::Csv, &opts).unwrap();
    assert_eq!((r.created, r.rejected.len()), (1, 1));
    assert!(r.rejected[0].reason.contains("sku"));
    let csv = "name,sku,price\nWidget Pro,W-1,13k\n";
    let r = import_bytes(&mut s, csv.as_bytes(), Format::Csv, &opts).unwrap();
    assert_eq!((r.created, r.updated), (0, 1));
    assert_eq!(s.counts().unwrap().products, 1);
}

#[test]
fn merge_and_unmerge_after_import() {
    let mut s = store();
    import(
        &mut s,
        "name,company,phone\n张伟,上海华信科技有限公司,13800138000\n章伟,华信科技,\n".as_bytes(),
        Format::Csv,
    );
    let pairs = s.duplicate_pairs().unwrap();
    assert_eq!(pairs.len(), 1);
    let m = s.merge_customers(pairs[0].a, pairs[0].b).unwrap();
    assert_eq!(s.counts().unwrap().customers, 1);
    s.unmerge(m.id).unwrap();
    assert_eq!(s.counts().unwrap().customers, 2);
    assert_eq!(s.duplicate_pairs().unwrap().len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Whatever the bytes, import does not panic, and every stored row is
    /// a whole, valid customer: as many as were reported created.
    #[test]
    fn random_csv_never_panics_nor_writes_a_partial_row(
        header in prop::sample::select(vec!["name,email,phone,notes", "姓名;手机;备注", "Name\tSize", ""]),
        body in prop::collection::vec(
            prop::string::string_regex("[a-z张伟@.,;\"\t\n\r =+0-9-]{0,40}").unwrap(), 0..20),
        noise in prop::collection::vec(any::<u8>(), 0..32),
    ) {
        let mut bytes = format!("{header}\n{}", body.join("\n")).into_bytes();
        bytes.extend(noise);
        let mut s = store();
        if let Ok(r) = import_bytes(&mut s, &bytes, Format::Csv, &ImportOptions::default()) {
            let stored = all_customers(&s);
            prop_assert_eq!(stored.len() as u64, r.created);
            for c in &stored {
                prop_assert!(c.validate().is_ok());
            }
        } else {
            prop_assert!(s.is_empty().unwrap());
        }
    }
}
