//! Each hand-written export in `tests/fixtures/import/` (made the way the
//! exporting program makes it: BOMs, CRLF, legacy encodings, UTF-16, quoted
//! multi-line cells) imports whole: rows, imported, rejected, warnings, and
//! the fields that the program's own column names carry.

use dossier::domain::Customer;
use dossier::interchange::{import_bytes, Format, ImportOptions, ImportReport};
use dossier::store::{Page, Store};

fn import_with(bytes: &[u8], opts: ImportOptions) -> (Vec<Customer>, ImportReport) {
    let mut s = Store::open_in_memory().unwrap();
    let r = import_bytes(&mut s, bytes, Format::Csv, &opts).unwrap();
    let c = s
        .customers(Page {
            limit: 1_000,
            ..Default::default()
        })
        .unwrap();
    (c, r)
}

fn import(bytes: &[u8]) -> (Vec<Customer>, ImportReport) {
    import_with(bytes, ImportOptions::default())
}

/// (imported, rejected, warnings)
fn counts(r: &ImportReport) -> (u64, usize, usize) {
    (r.created + r.updated, r.rejected.len(), r.warnings.len())
}

fn check_outlook(name: &str, bytes: &[u8], encoding: &str) {
    let (c, r) = import(bytes);
    assert_eq!(
        counts(&r),
        (3, 0, 0),
        "{name}: {} {:?}",
        r.summary(),
        r.warnings
    );
    assert_eq!(r.encoding.as_deref(), Some(encoding), "{name}");
    let f = &c[0];
    assert_eq!(f.name, "François Lefèvre", "{name}");
    assert_eq!(f.company, "Société Générale Café", "{name}");
    assert_eq!(
        f.title, "Directeur commercial",
        "{name}: Job Title is the job"
    );
    assert_eq!(f.card.prefix, "Mr.", "{name}: Title is the honorific");
    assert_eq!(f.card.suffix, "Jr.", "{name}");
    assert_eq!(f.card.department, "Ventes", "{name}");
    assert_eq!(f.card.websites, ["http://sg-cafe.example"], "{name}");
    assert_eq!(f.card.birthday, "1975-04-12", "{name}");
    assert_eq!(f.card.groups, ["Clients", "VIP"], "{name}");
    assert_eq!(f.card.postcode, "75002", "{name}");
    assert_eq!(f.card.address_label, "work", "{name}");
    assert_eq!(f.address, "12 rue de la Paix\nBâtiment B", "{name}");
    assert!(f.custom.is_empty(), "{name}: {:?}", f.custom);
    // The fax is a phone labelled fax, after the numbers one calls.
    assert_eq!(
        f.phones,
        [
            "+33 1 42 00 00 00",
            "+33 6 12 34 56 78",
            "+33 1 42 00 00 01"
        ],
        "{name}"
    );
    let labels: Vec<&str> = f
        .phones
        .iter()
        .map(|p| f.card.phone_labels[p].as_str())
        .collect();
    assert_eq!(labels, ["work", "mobile", "fax"], "{name}");
    assert_eq!(
        (f.card.given_name.as_str(), f.card.family_name.as_str()),
        ("", ""),
        "{name}: parts the name splits into are not stored twice"
    );
    assert_eq!(c[1].name, "Zoë Brontë", "{name}");
    assert_eq!(c[1].city, "Köln", "{name}");
    assert_eq!(c[2].name, "Ana Núñez", "{name}");
}

#[test]
fn outlook_exports_in_every_encoding_outlook_and_excel_write() {
    check_outlook(
        "cp1252",
        include_bytes!("fixtures/import/outlook_cp1252.csv"),
        "windows-1252",
    );
    check_outlook(
        "utf8 bom",
        include_bytes!("fixtures/import/outlook_utf8_bom.csv"),
        "UTF-8",
    );
    check_outlook(
        "utf16 tab bom",
        include_bytes!("fixtures/import/outlook_utf16_tab.txt"),
        "UTF-16LE",
    );
    check_outlook(
        "utf16 no bom",
        include_bytes!("fixtures/import/outlook_utf16le_nobom.csv"),
        "UTF-16LE",
    );
}

#[test]
fn a_chinese_crm_sheet_in_gbk_names_person_and_company_apart() {
    let (c, r) = import(include_bytes!("fixtures/import/crm_gbk.csv"));
    assert_eq!(counts(&r), (3, 0, 1), "{} {:?}", r.summary(), r.warnings);
    assert_eq!(r.encoding.as_deref(), Some("GBK"));
    let z = &c[0];
    assert_eq!(
        (z.name.as_str(), z.company.as_str()),
        ("张伟", "上海华信科技有限公司")
    );
    assert_eq!(z.card.department, "采购部");
    assert_eq!(z.card.ims, ["wechat: zw_wechat", "qq: 12345678"]);
    assert_eq!(z.phones, ["138 0013 8000", "021-6552 9988"]);
    assert_eq!(z.card.phone_labels["138 0013 8000"], "mobile");
    assert_eq!(z.card.phone_labels["021-6552 9988"], "work");
    assert_eq!(c[1].name, "欧阳娜娜");
    assert_eq!(
        c[1].name_parts(),
        ("欧阳".to_string(), "娜娜".to_string()),
        "a compound surname"
    );
    // The placeholder text in the mobile column is kept, not the contact lost.
    assert_eq!(c[2].custom["unreadable phone"], "手机号待补");
    assert_eq!(r.warnings[0].line, 4);
}

#[test]
fn wecom_personal_and_work_emails_both_arrive() {
    let (c, r) = import(include_bytes!("fixtures/import/wecom_utf8.csv"));
    assert_eq!(counts(&r), (2, 0, 0), "{}", r.summary());
    assert_eq!(
        c[0].emails,
        ["wangfang@qq.example", "wang.fang@corp.example"]
    );
    assert_eq!(c[0].card.department, "销售部");
    assert_eq!(c[0].card.email_labels["wangfang@qq.example"], "home");
    assert_eq!(c[0].card.email_labels["wang.fang@corp.example"], "work");
    assert_eq!(c[1].phones, ["13700002222", "0571-8765 4321"]);
}

#[test]
fn thunderbird_secondary_email_work_address_and_split_birthday() {
    let (c, r) = import(include_bytes!("fixtures/import/thunderbird.csv"));
    assert_eq!(counts(&r), (2, 0, 0), "{}", r.summary());
    let ann = &c[0];
    assert_eq!(ann.emails, ["ann@acme.example", "ann.lee@home.example"]);
    assert_eq!(ann.address, "1 Market St\nSuite 200");
    assert_eq!(
        (
            ann.city.as_str(),
            ann.province.as_str(),
            ann.country.as_str()
        ),
        ("San Francisco", "CA", "USA")
    );
    assert_eq!(ann.card.postcode, "94105");
    assert_eq!(ann.card.address_label, "work");
    assert_eq!(ann.card.nickname, "annie");
    assert_eq!(ann.card.department, "Purchasing");
    assert_eq!(ann.card.websites, ["https://acme.example"]);
    // Year, month and day columns make one birthday.
    assert_eq!(ann.card.birthday, "1980-05-17");
    assert!(ann.custom.is_empty(), "{:?}", ann.custom);
    assert_eq!(
        ann.phones,
        ["+1 415 555 0100", "+1 415 555 0101", "+1 415 555 0199"]
    );
    assert_eq!(c[1].name, "Support desk");
}

#[test]
fn utf8_with_one_truncated_character_is_not_read_as_gbk() {
    let (c, r) = import(include_bytes!("fixtures/import/utf8_one_bad_byte.csv"));
    assert_eq!(counts(&r), (4, 0, 1), "{} {:?}", r.summary(), r.warnings);
    assert_eq!(r.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(r.warnings[0].line, 3);
    let names: Vec<&str> = c.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["张伟", "李娜", "王芳", "陈静"]);
    assert_eq!(c[1].city, "\u{FFFD}");
}

#[test]
fn a_file_without_header_is_mapped_by_position() {
    let bytes = include_bytes!("fixtures/import/no_header.csv");
    let opts = ImportOptions {
        no_header: true,
        maps: vec!["1=name".into(), "2=phones".into(), "3=emails".into()],
        ..Default::default()
    };
    let (c, r) = import_with(bytes, opts);
    assert_eq!(counts(&r), (2, 0, 0), "{}", r.summary());
    assert_eq!(c[0].name, "张伟");
    assert_eq!(c[1].emails, ["ann@acme.example"]);
    // Without --no-header the first row would be taken for the header.
    let mut s = Store::open_in_memory().unwrap();
    assert!(import_bytes(&mut s, bytes, Format::Csv, &ImportOptions::default()).is_err());
}

#[test]
fn a_named_encoding_wins_over_detection() {
    let opts = ImportOptions {
        encoding: Some("cp1252".into()),
        ..Default::default()
    };
    let (c, r) = import_with(include_bytes!("fixtures/import/outlook_cp1252.csv"), opts);
    assert_eq!(r.encoding.as_deref(), Some("windows-1252"));
    assert_eq!(c[1].name, "Zoë Brontë");
    let mut s = Store::open_in_memory().unwrap();
    let err = import_bytes(
        &mut s,
        b"name\nAnn\n",
        Format::Csv,
        &ImportOptions {
            encoding: Some("klingon".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("not an encoding"), "{err}");
}
