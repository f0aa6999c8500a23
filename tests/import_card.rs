//! Every field an address book carries has a place (issue 14): name parts,
//! labelled phones and emails, several addresses, birthday and
//! anniversary, websites, department, IM handles and groups — through the
//! store, the CLI, JSON, CSV and vCard (read back by an independent
//! parser), and birthdays in the agenda.

use calcard::vcard::{
    VCard, VCardEntry, VCardParameterName, VCardParameterValue, VCardProperty, VCardValue,
};
use dossier::domain::{Address, Customer};
use dossier::interchange::{export, import_bytes, ExportOptions, Format, ImportOptions};
use dossier::store::{Page, Store};
use std::path::Path;
use std::process::{Command, Output};

/// A customer with every address-book field filled.
fn full() -> Customer {
    let mut c = Customer::named("欧阳娜娜");
    c.company = "北京恒通贸易有限公司".into();
    c.title = "总经理".into();
    c.phones = vec![
        "+86 138 0013 8000".into(),
        "+86 10 6552 9988".into(),
        "+86 10 6552 9989".into(),
    ];
    c.emails = vec!["nana@hengtong.example".into(), "nana@home.example".into()];
    c.address = "建国路88号\nSOHO现代城 A座".into();
    c.city = "北京".into();
    c.province = "北京".into();
    c.country = "中国".into();
    c.notes = "老客户。\n喜欢电话联系。".into();
    let card = &mut c.card;
    card.prefix = "Dr.".into();
    card.suffix = "PhD".into();
    card.nickname = "娜娜".into();
    card.department = "采购部".into();
    card.phone_labels = [
        ("+86 138 0013 8000", "mobile"),
        ("+86 10 6552 9988", "work"),
        ("+86 10 6552 9989", "fax"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    card.email_labels = [
        ("nana@hengtong.example", "work"),
        ("nana@home.example", "home"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    card.postcode = "100022".into();
    card.address_label = "work".into();
    card.addresses = vec![Address {
        label: "home".into(),
        street: "朝阳区望京西路1号".into(),
        city: "北京".into(),
        region: "北京".into(),
        postcode: "100102".into(),
        country: "中国".into(),
    }];
    card.birthday = "1988-12-03".into();
    card.anniversary = "--06-18".into();
    card.websites = vec!["https://hengtong.example/".into()];
    card.ims = vec!["wechat: nana_ouyang".into(), "qq: 10001".into()];
    card.groups = vec!["VIP".into(), "北京客户".into()];
    c
}

fn customers(s: &Store) -> Vec<Customer> {
    let mut out = s
        .customers(Page {
            limit: 1_000,
            ..Default::default()
        })
        .unwrap();
    for c in &mut out {
        c.meta = Default::default();
    }
    out
}

fn exported(s: &Store, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    export(
        s,
        &ExportOptions {
            format,
            kind: None,
            tags: vec![],
        },
        &mut out,
    )
    .unwrap();
    out
}

#[test]
fn a_name_typed_as_one_string_splits_with_compound_surnames() {
    let mut s = Store::open_in_memory().unwrap();
    let ouyang = s.add_customer(&Customer::named("欧阳娜娜")).unwrap().record;
    assert_eq!(ouyang.name_parts(), ("欧阳".into(), "娜娜".into()));
    let zhang = s.add_customer(&Customer::named("张伟")).unwrap().record;
    assert_eq!(zhang.name_parts(), ("张".into(), "伟".into()));
    let mut ann = Customer::named("Dr. Ann Lee");
    ann.card.prefix = "Dr.".into();
    let ann = s.add_customer(&ann).unwrap().record;
    assert_eq!(ann.name_parts(), ("Lee".into(), "Ann".into()));
    // Parts given apart from the name are kept as given.
    let mut odd = Customer::named("Nana Ouyang");
    odd.card.family_name = "欧阳".into();
    odd.card.given_name = "娜娜".into();
    let odd = s.add_customer(&odd).unwrap().record;
    assert_eq!(odd.name_parts(), ("欧阳".into(), "娜娜".into()));
}

/// A form sets every field from its text, in form order: unchanged empty
/// parts must not freeze the old name's split.
#[test]
fn name_parts_as_a_form_sets_them() {
    use dossier::domain::fields::Fields;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut s = Store::open_in_memory().unwrap();
    let mut c = s.add_customer(&Customer::named("Ann Lee")).unwrap().record;
    for (field, value) in [("name", "Bo Chen"), ("given_name", ""), ("family_name", "")] {
        c.set(field, value, today).unwrap();
    }
    let c = s.update_customer(&c).unwrap().record;
    assert_eq!(
        c.name_parts(),
        ("Chen".into(), "Bo".into()),
        "follows the name"
    );
    let mut c = c;
    for (field, value) in [
        ("name", "Bo Chen"),
        ("given_name", "Bobby"),
        ("family_name", ""),
    ] {
        c.set(field, value, today).unwrap();
    }
    let c = s.update_customer(&c).unwrap().record;
    assert_eq!(
        c.name_parts(),
        ("Chen".into(), "Bobby".into()),
        "one part given"
    );
    assert_eq!(
        (c.get("given_name"), c.get("family_name")),
        ("Bobby".into(), "Chen".into())
    );
}

#[test]
fn every_field_survives_the_store_json_csv_and_vcard() {
    let mut a = Store::open_in_memory().unwrap();
    a.add_customer(&full()).unwrap();
    let stored = customers(&a);
    assert_eq!(stored[0].card, full().card, "the store keeps every field");
    for format in [Format::Json, Format::Csv, Format::Vcf] {
        let file = exported(&a, format);
        let mut b = Store::open_in_memory().unwrap();
        let r = import_bytes(&mut b, &file, format, &ImportOptions::default()).unwrap();
        assert!(r.rejected.is_empty(), "{format:?}: {:?}", r.rejected);
        assert_eq!(
            customers(&b),
            stored,
            "{format:?}\n{}",
            String::from_utf8_lossy(&file)
        );
    }
}

#[test]
fn a_backup_made_before_the_card_fields_still_restores() {
    // A backup written before this change has none of the card keys: the
    // JSON of a customer without card fields is exactly that.
    let mut a = Store::open_in_memory().unwrap();
    let mut plain = Customer::named("Zoë Brontë");
    plain.kind = dossier::domain::CustomerKind::Enterprise;
    plain.phones = vec!["+49 221 123456".into()];
    a.add_customer(&plain).unwrap();
    let file = exported(&a, Format::Json);
    let text = String::from_utf8_lossy(&file);
    for key in ["given_name", "phone_labels", "birthday", "groups", "card"] {
        assert!(!text.contains(&format!("\"{key}\"")), "{key} in {text}");
    }
    let mut b = Store::open_in_memory().unwrap();
    let r = import_bytes(&mut b, &file, Format::Json, &ImportOptions::default()).unwrap();
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    assert_eq!(customers(&b), customers(&a));
}

fn param_types(e: &VCardEntry) -> Vec<String> {
    let mut out = Vec::new();
    for p in &e.params {
        match (&p.name, &p.value) {
            (_, VCardParameterValue::Type(t)) => out.push(format!("{t:?}").to_lowercase()),
            (VCardParameterName::Type, VCardParameterValue::Text(t)) => {
                out.extend(t.split(',').map(|t| t.to_lowercase()))
            }
            (VCardParameterName::Pref, _) => out.push("pref".into()),
            _ => {}
        }
    }
    out.sort();
    out
}

fn values(e: &VCardEntry) -> Vec<String> {
    e.values
        .iter()
        .map(|v| match v {
            VCardValue::Text(t) => t.clone(),
            VCardValue::Component(parts) => parts.join(","),
            VCardValue::PartialDateTime(d) => format!("{:?}-{:?}-{:?}", d.year, d.month, d.day),
            other => format!("{other:?}"),
        })
        .collect()
}

/// The vCard export read by `calcard` (not dossier's reader), property by
/// property, slot by slot.
#[test]
fn an_independent_parser_reads_every_card_field_in_its_slot() {
    let mut a = Store::open_in_memory().unwrap();
    a.add_customer(&full()).unwrap();
    let text = String::from_utf8(exported(&a, Format::Vcf)).unwrap();
    let card = VCard::parse(&text).unwrap();
    let one = |p: VCardProperty| values(card.property(&p).unwrap());
    assert_eq!(one(VCardProperty::N), ["欧阳", "娜娜", "", "Dr.", "PhD"]);
    assert_eq!(one(VCardProperty::Nickname), ["娜娜"]);
    assert_eq!(one(VCardProperty::Org), ["北京恒通贸易有限公司", "采购部"]);
    assert_eq!(one(VCardProperty::Bday), ["Some(1988)-Some(12)-Some(3)"]);
    let tels: Vec<(Vec<String>, Vec<String>)> = card
        .properties(&VCardProperty::Tel)
        .map(|e| (values(e), param_types(e)))
        .collect();
    assert_eq!(
        tels,
        [
            (
                vec!["+86 138 0013 8000".into()],
                vec!["cell".into(), "pref".into()]
            ),
            (
                vec!["+86 10 6552 9988".into()],
                vec!["voice".into(), "work".into()]
            ),
            (vec!["+86 10 6552 9989".into()], vec!["fax".into()]),
        ]
    );
    let emails: Vec<(Vec<String>, Vec<String>)> = card
        .properties(&VCardProperty::Email)
        .map(|e| (values(e), param_types(e)))
        .collect();
    assert_eq!(
        emails,
        [
            (
                vec!["nana@hengtong.example".into()],
                vec!["internet".into(), "pref".into(), "work".into()]
            ),
            (
                vec!["nana@home.example".into()],
                vec!["home".into(), "internet".into()]
            ),
        ]
    );
    let adrs: Vec<(Vec<String>, Vec<String>)> = card
        .properties(&VCardProperty::Adr)
        .map(|e| (values(e), param_types(e)))
        .collect();
    let adr = |parts: [&str; 7], t: &str| {
        (
            parts.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            vec![t.to_string()],
        )
    };
    assert_eq!(
        adrs,
        [
            adr(
                [
                    "",
                    "",
                    "建国路88号\nSOHO现代城 A座",
                    "北京",
                    "北京",
                    "100022",
                    "中国"
                ],
                "work"
            ),
            adr(
                [
                    "",
                    "",
                    "朝阳区望京西路1号",
                    "北京",
                    "北京",
                    "100102",
                    "中国"
                ],
                "home"
            ),
        ]
    );
    assert_eq!(one(VCardProperty::Url), ["https://hengtong.example/"]);
    assert_eq!(one(VCardProperty::Categories), ["VIP", "北京客户"]);
    let other = |name: &str| -> Vec<String> {
        card.entries
            .iter()
            .filter(|e| matches!(&e.name, VCardProperty::Other(n) if n.eq_ignore_ascii_case(name)))
            .flat_map(values)
            .collect()
    };
    assert_eq!(other("X-WECHAT"), ["nana_ouyang"]);
    assert_eq!(other("X-QQ"), ["10001"]);
    assert_eq!(other("X-ANNIVERSARY"), ["--06-18"]);
}

#[test]
fn imported_vcards_map_every_standard_property() {
    let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Lee\r\nN:Lee;Ann;;Ms.;\r\nNICKNAME:Annie\r\n\
        ORG:Acme;Sales\r\nTEL;TYPE=work,voice:+1 415 555 0100\r\nTEL;TYPE=cell;PREF=1:+1 415 555 0101\r\n\
        EMAIL;TYPE=home:ann@home.example\r\nADR;TYPE=home:;;1 Main St;Springfield;IL;62701;USA\r\n\
        ADR;TYPE=work:;;2 Market St;Springfield;IL;62702;USA\r\nBDAY:--0315\r\nANNIVERSARY:20100601\r\n\
        URL:https://ann.example\r\nIMPP:skype:ann.lee\r\nIMPP;X-SERVICE-TYPE=WeChat:x-apple:annlee\r\n\
        CATEGORIES:Friends,Golf\r\nX-QQ:12345\r\nGENDER:F\r\nEND:VCARD\r\n";
    let mut s = Store::open_in_memory().unwrap();
    let r = import_bytes(
        &mut s,
        card.as_bytes(),
        Format::Vcf,
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(r.created, 1, "{:?}", r.rejected);
    // Only what no field takes is kept verbatim.
    assert_eq!(r.kept_properties.iter().collect::<Vec<_>>(), ["GENDER"]);
    let c = &customers(&s)[0];
    assert_eq!(c.card.prefix, "Ms.");
    assert_eq!(c.card.nickname, "Annie");
    assert_eq!(c.card.department, "Sales");
    assert_eq!(
        c.phones,
        ["+1 415 555 0101", "+1 415 555 0100"],
        "preferred first"
    );
    assert_eq!(c.card.phone_labels["+1 415 555 0101"], "mobile");
    assert_eq!(c.card.phone_labels["+1 415 555 0100"], "work");
    assert_eq!(c.card.email_labels["ann@home.example"], "home");
    assert_eq!(
        (c.address.as_str(), c.card.address_label.as_str()),
        ("1 Main St", "home")
    );
    assert_eq!(c.card.addresses.len(), 1);
    assert_eq!(c.card.addresses[0].label, "work");
    assert_eq!(c.card.addresses[0].postcode, "62702");
    assert_eq!(c.card.birthday, "--03-15");
    assert_eq!(c.card.anniversary, "2010-06-01");
    assert_eq!(c.card.websites, ["https://ann.example"]);
    assert_eq!(
        c.card.ims,
        ["skype: ann.lee", "wechat: annlee", "qq: 12345"]
    );
    assert_eq!(c.card.groups, ["Friends", "Golf"]);
}

fn dossier(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("DOSSIER_NOW", "2026-11-30")
        .env("DOSSIER_LOG_DIR", db.with_extension("logs"))
        .env_remove("DOSSIER_DB")
        .output()
        .expect("run dossier")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = dossier(db, args);
    assert!(
        out.status.success(),
        "dossier {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn cli_flags_show_tags_and_birthdays_in_the_agenda() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    ok(
        &db,
        &[
            "add",
            "customer",
            "--name",
            "欧阳娜娜",
            "--phone",
            "mobile: +86 138 0013 8000",
            "--email",
            "work: nana@hengtong.example",
            "--birthday",
            "1988-12-03",
            "--anniversary",
            "--12-25",
            "--group",
            "VIP",
            "--group",
            "北京客户",
            "--im",
            "wechat: nana_ouyang",
            "--department",
            "采购部",
            "--more-address",
            "home: 望京西路1号; 北京; 北京; 100102; 中国",
        ],
    );
    ok(&db, &["add", "customer", "--name", "张伟"]);
    let shown: serde_json::Value =
        serde_json::from_str(&ok(&db, &["show", "customer", "1", "--json"])).unwrap();
    assert_eq!(shown["family_name"], "欧阳");
    assert_eq!(shown["given_name"], "娜娜");
    assert_eq!(
        shown["phone_labels"]["+86 138 0013 8000"], "mobile",
        "{shown}"
    );
    // With no main address, the first further one becomes it.
    assert_eq!(shown["postcode"], "100102");
    assert_eq!(shown["address_label"], "home");
    assert_eq!(shown["city"], "北京");
    assert!(shown["tags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["dimension"] == "group" && t["value"] == "VIP"));
    let text = ok(&db, &["show", "customer", "1"]);
    assert!(text.contains("mobile: +86 138 0013 8000"), "{text}");
    assert!(text.contains("Birthday"), "{text}");
    // Groups filter like tags.
    let listed = ok(&db, &["list", "customer", "--tag", "group=vip", "--json"]);
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(listed.contains("欧阳娜娜"));
    // The birthday falls in the next 7 days (today is 2026-11-30).
    let agenda = ok(&db, &["agenda"]);
    assert!(
        agenda.contains("in 3 days     欧阳娜娜 (#1) — birthday (38), 2026-12-03"),
        "{agenda}"
    );
    assert!(!agenda.contains("— anniversary"), "{agenda}");
    let lines: Vec<serde_json::Value> = ok(&db, &["agenda", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["status"], "birthday");
    assert_eq!(lines[0]["in_days"], 3);
    assert_eq!(lines[0]["customer_id"], 1);
    let ics = dir.path().join("cal.ics");
    ok(&db, &["agenda", "--ics", "-o", ics.to_str().unwrap()]);
    let cal = std::fs::read_to_string(&ics).unwrap().replace("\r\n ", "");
    assert!(cal.contains("UID:birthday-1@dossier\r\n"), "{cal}");
    assert!(
        cal.contains("UID:anniversary-1@dossier\r\nDTSTAMP"),
        "{cal}"
    );
    assert!(cal.contains("DTSTART;VALUE=DATE:20261225\r\n"), "{cal}");
    // A bad day is refused with the field named.
    let out = dossier(&db, &["edit", "customer", "2", "--birthday", "1990-02-30"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a date"));
}
