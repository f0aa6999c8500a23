//! Bad input, field by field: every form field (domain level, through the
//! same `Fields::set` + `validate` the forms and the CLI use) and every CLI
//! argument of add/edit. The message must name the field and say what is
//! expected; nothing is written; nothing typed reaches the terminal raw.

use chrono::NaiveDate;
use dossier::domain::fields::{FieldSpec, FieldType, Fields};
use dossier::domain::{Activity, Customer, Kind, Opportunity, Product};
use dossier::store::Store;
use rstest::rstest;
use std::path::Path;
use std::process::Command;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// A valid record of each form, to which one bad value is then applied.
enum Form {
    Customer(Customer),
    Opportunity(Opportunity),
    Product(Product),
    Activity(Activity),
}

/// A form's name and how to make a valid record of it.
type MakeForm = (&'static str, fn() -> Form);

impl Form {
    fn all() -> Vec<MakeForm> {
        vec![
            ("customer", || Form::Customer(Customer::named("Ann"))),
            ("opportunity", || {
                Form::Opportunity(Opportunity {
                    title: "Deal".into(),
                    customer_id: 1,
                    ..Default::default()
                })
            }),
            ("product", || Form::Product(Product::named("Widget"))),
            ("touch", || {
                Form::Activity(Activity {
                    customer_id: Some(1),
                    date: today(),
                    ..Default::default()
                })
            }),
            ("campaign", || {
                let mut a = Activity {
                    date: today(),
                    summary: "Expo".into(),
                    ..Default::default()
                };
                a.set("kind", "campaign", today()).unwrap();
                Form::Activity(a)
            }),
        ]
    }

    fn fields(&mut self) -> &mut dyn Fields {
        match self {
            Form::Customer(r) => r,
            Form::Opportunity(r) => r,
            Form::Product(r) => r,
            Form::Activity(r) => r,
        }
    }

    fn validate(&self) -> Result<(), String> {
        match self {
            Form::Customer(r) => r.validate(),
            Form::Opportunity(r) => r.validate(),
            Form::Product(r) => r.validate(),
            Form::Activity(r) => r.validate(),
        }
        .map_err(|e| e.to_string())
    }

    /// Types `value` into `field` and saves: the message a person would see.
    fn enter(mut self, field: &str, value: &str) -> Result<(), String> {
        self.fields()
            .set(field, value, today())
            .map_err(|m| format!("{field}: {m}"))?;
        self.validate()
    }
}

const ESCAPES: &[&str] = &[
    "A\x1b[31mred\x1b[0m",   // colour
    "\x1b]0;pwned\x07title", // window title (OSC)
    "x\x1b[2Jclear",         // clear screen
    "\u{9b}31mC1 CSI",       // 8-bit CSI
    "bell\x07",
    "nul\0byte",
    "\u{202E}reversed", // bidi override
];

/// Bad values for a field and a fragment of what the message must say.
fn bad_values(spec: &FieldSpec) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    let esc = |out: &mut Vec<(String, &'static str)>, what: &'static str| {
        for e in ESCAPES {
            out.push((e.to_string(), what));
        }
    };
    match (spec.name, spec.ty) {
        ("phones", _) => {
            out.push(("12ab".into(), "not a phone number"));
            out.push(("1".repeat(25), "not a phone number"));
            out.push(("张伟😀".into(), "not a phone number"));
            esc(&mut out, "not a phone number");
        }
        ("emails", _) => {
            out.push(("ann-at-example".into(), "not an email address"));
            out.push((format!("{}@example.com", "a".repeat(250)), "at most 200"));
            out.push(("张伟😀".into(), "not an email address"));
            esc(&mut out, "not an email address");
        }
        ("currency", _) => {
            // Empty is the book's currency (filled in when saved).
            for v in ["dollars", "US", "€€€", "¥", "A\x1b[31m"] {
                out.push((v.into(), "expected three letters"));
            }
        }
        (_, FieldType::Text) => {
            out.push(("x".repeat(401), "at most"));
            // A street address runs over several lines in address books.
            if spec.name != "address" {
                out.push(("two\nlines".into(), "control characters"));
            }
            esc(&mut out, "control characters");
        }
        (_, FieldType::LongText) => {
            out.push(("x".repeat(20_001), "at most 20000"));
            esc(&mut out, "control characters");
        }
        (_, FieldType::List) => {
            out.push(("x".repeat(201), "at most 200"));
            esc(&mut out, "control characters");
        }
        (_, FieldType::Choice(_)) => {
            for v in ["maybe", "😀", "张伟", "x\x1b[31m"] {
                out.push((v.into(), "expected one of"));
            }
        }
        (_, FieldType::Date) => {
            for v in [
                "someday",
                "2026-13-45",
                "31/12/2026",
                "😀",
                "+99999d",
                "\x1b[2J",
            ] {
                out.push((v.into(), "is not a date — use YYYY-MM-DD"));
            }
        }
        (_, FieldType::Amount) => {
            for v in ["lots", "12k€x", "😀", "1e5", "\x1b[2J"] {
                out.push((v.into(), "is not an amount — type a number"));
            }
            out.push(("-5".into(), "cannot be below zero"));
            out.push(("9999999999999999".into(), "too large"));
        }
        (_, FieldType::Number) => {
            for v in ["many", "1.5", "-3", "十", "\x1b[2J"] {
                out.push((v.into(), "is not a"));
            }
        }
        (_, FieldType::Link(_)) => {
            for v in ["abc", "1.5", "😀"] {
                out.push((v.into(), "is not a record id"));
            }
            out.push(("-3".into(), "positive number"));
        }
        (_, FieldType::Bool) => {
            for v in ["perhaps", "😀", ""] {
                out.push((v.into(), "is not yes or no"));
            }
        }
    }
    if spec.required && !matches!(spec.ty, FieldType::Bool) {
        out.push(("".into(), "required"));
        out.push(("   ".into(), "required"));
    }
    out
}

#[test]
fn every_form_field_refuses_bad_values_naming_the_field_and_what_is_expected() {
    let mut checked = 0;
    for (form, make) in Form::all() {
        for spec in make().fields().specs() {
            for (value, expected) in bad_values(spec) {
                let shown = value.escape_debug().to_string();
                let err = make()
                    .enter(spec.name, &value)
                    .err()
                    .unwrap_or_else(|| panic!("{form}.{} accepted {shown}", spec.name));
                // The message names the field…
                let field = spec.name;
                assert!(
                    err.contains(&format!("{field}: ")),
                    "{form}.{} = {shown}: message does not name the field: {err}",
                    spec.name
                );
                // …says what is expected…
                assert!(
                    err.contains(expected),
                    "{form}.{} = {shown}: expected '{expected}' in: {err}",
                    spec.name
                );
                // …and never echoes an escape sequence.
                assert!(
                    !err.chars().any(|c| c.is_control()) && !err.contains('\u{202E}'),
                    "{form}.{} = {shown}: raw control characters in: {err:?}",
                    spec.name
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "only {checked} cases");
}

#[test]
fn every_text_field_takes_cjk_and_emoji() {
    for (form, make) in Form::all() {
        for spec in make().fields().specs() {
            if !matches!(
                spec.ty,
                FieldType::Text | FieldType::LongText | FieldType::List
            ) || ["phones", "emails", "currency"].contains(&spec.name)
            {
                continue;
            }
            let value = "上海华信科技😀Ünïcode";
            let mut r = make();
            r.fields().set(spec.name, value, today()).unwrap();
            r.validate()
                .unwrap_or_else(|e| panic!("{form}.{} refused CJK/emoji: {e}", spec.name));
            assert_eq!(r.fields().get(spec.name), value, "{form}.{}", spec.name);
        }
    }
    // Notes and summaries may have several lines.
    Form::all()[0].1()
        .enter("notes", "第一行\n第二行\tok")
        .unwrap();
}

// ---- the command line -------------------------------------------------

fn dossier(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("DOSSIER_NOW", "2026-11-23")
        .env("DOSSIER_LOG_DIR", db.with_extension("logs"))
        .env_remove("DOSSIER_DB")
        .output()
        .expect("run dossier")
}

/// A book with record 1 of every kind (activity 1 a call, 2 a campaign).
fn book(db: &Path) {
    let mut s = Store::open(db).unwrap();
    let c = s.add_customer(&Customer::named("Ann")).unwrap();
    let p = s.add_product(&Product::named("Widget")).unwrap();
    s.add_opportunity(&Opportunity {
        title: "Deal".into(),
        customer_id: c.meta.id,
        ..Default::default()
    })
    .unwrap();
    s.add_activity(&Activity {
        customer_id: Some(c.meta.id),
        date: today(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!((c.meta.id, p.meta.id), (1, 1));
}

/// Counts and versions: what must not change when input is refused.
fn snapshot(db: &Path) -> Vec<i64> {
    let s = Store::open(db).unwrap();
    let conn = s.conn();
    Kind::ALL
        .iter()
        .flat_map(|k| {
            let t = k.table();
            [
                conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                    .unwrap(),
                conn.query_row(
                    &format!("SELECT ifnull(sum(version), 0) FROM {t}"),
                    [],
                    |r| r.get(0),
                )
                .unwrap(),
            ]
        })
        .collect()
}

/// 401 characters: past every short field's limit.
const LONG: &str = concat!(
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "x"
);

#[rstest]
// add customer: every argument
#[case(&["add", "customer"], "name: is required")]
#[case(&["add", "customer", "--name", ""], "name: is required")]
#[case(&["add", "customer", "--name", LONG], "name: is 401 characters long — at most 200")]
#[case(&["add", "customer", "--name", "Evil\x1b[2J"], "name: contains control characters")]
#[case(&["add", "customer", "--name", "\x1b]0;x\x07Ann"], "name: contains control characters")]
#[case(&["add", "customer", "--name", "\u{202E}nnA"], "name: contains control characters")]
#[case(&["add", "customer", "--name", "A", "--kind", "alien"], "kind: 'alien' is not a valid customer kind — expected one of")]
#[case(&["add", "customer", "--name", "A", "--company", "\x1b[31m"], "company: contains control characters")]
#[case(&["add", "customer", "--name", "A", "--title", LONG], "title: is 401 characters long — at most 200")]
#[case(&["add", "customer", "--name", "A", "--phone", "12ab"], "phones: '12ab' is not a phone number")]
#[case(&["add", "customer", "--name", "A", "--phone", "☎️"], "phones: '☎️' is not a phone number")]
#[case(&["add", "customer", "--name", "A", "--email", "a@b"], "emails: 'a@b' is not an email address — expected name@example.com")]
#[case(&["add", "customer", "--name", "A", "--email", "张伟@例子"], "emails:")]
#[case(&["add", "customer", "--name", "A", "--country", "\x07"], "country: contains control characters")]
#[case(&["add", "customer", "--name", "A", "--province", LONG], "province: is 401 characters long — at most 200")]
#[case(&["add", "customer", "--name", "A", "--city", "a\x1b[1Ab"], "city: contains control characters")]
#[case(&["add", "customer", "--name", "A", "--address", "\x1b[31m"], "address: contains control characters")]
#[case(&["add", "customer", "--name", "A", "--industry", LONG], "industry: is 401 characters long — at most 200")]
#[case(&["add", "customer", "--name", "A", "--size", "many"], "size: 'many' is not a number of employees")]
#[case(&["add", "customer", "--name", "A", "--size", "-1"], "size: '-1' is not a number of employees")]
#[case(&["add", "customer", "--name", "A", "--source", "\x1b[31m"], "source: contains control characters")]
#[case(&["add", "customer", "--name", "A", "--need", "\x1b[31m"], "needs: contains control characters")]
#[case(&["add", "customer", "--name", "A", "--notes", "\x1b[2J"], "notes: contains control characters")]
#[case(&["add", "customer", "--name", "A", "--owner", LONG], "owner: is 401 characters long — at most 200")]
#[case(&["add", "customer", "--name", "A", "--field", "novalue"], "field: 'novalue' is not KEY=VALUE")]
#[case(&["add", "customer", "--name", "A", "--field", "k=\x1b[2J"], "custom: contains control characters")]
// edit customer
#[case(&["edit", "customer", "abc", "--city", "X"], "'<ID>': expected a record id")]
#[case(&["edit", "customer", "99", "--city", "X"], "customer 99 not found")]
#[case(&["edit", "customer", "1", "--if-version", "x"], "'--if-version <N>': expected a version")]
#[case(&["edit", "customer", "1", "--if-version", "0"], "'--if-version <N>': expected a version")]
#[case(&["edit", "customer", "1", "--name", ""], "name: is required")]
#[case(&["edit", "customer", "1", "--email", "nope"], "emails: 'nope' is not an email address")]
#[case(&["edit", "customer", "1", "--kind", "enterprise", "--size", "0"], "size: an enterprise has at least 1 employee")]
// add / edit opportunity
#[case(&["add", "opportunity", "--title", "T"], "customer: is required")]
#[case(&["add", "opportunity", "--title", "T", "--customer", "abc"], "'--customer <CUSTOMER>': expected a record id")]
#[case(&["add", "opportunity", "--title", "T", "--customer", "99"], "customer: customer 99 does not exist")]
#[case(&["add", "opportunity", "--customer", "1"], "title: is required")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "\x1b[2J"], "title: contains control characters")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--amount", "lots"], "amount: 'lots' is not an amount")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--amount", "-5"], "amount: '-5' is negative")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--currency", "dollars"], "currency: 'DOLLARS' is not a currency code — expected three letters")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--stage", "maybe"], "stage: 'maybe' is not a valid stage — expected one of")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--close", "someday"], "expected_close: 'someday' is not a date")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--source", LONG], "source: is 401 characters long — at most 200")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--campaign", "1"], "campaign: activity 1 is a call, not a campaign")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--campaign", "x"], "'--campaign <CAMPAIGN>': expected a record id")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--competitor", "\x1b[31m"], "competitors: contains control characters")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--probability", "150"], "probability: 150 is not a percentage — 0 to 100")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--probability", "high"], "probability: 'high' is not a percentage from 0 to 100")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--next-step", "\x1b[31m"], "next_step: contains control characters")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--next-date", "32/1"], "next_step_date: '32/1' is not a date")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--closed-on", "never"], "closed_on: 'never' is not a date")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--stage", "lost"], "close_reason: say why the deal was lost")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--stage", "lost", "--reason", "\x1b[2J"], "close_reason: contains control characters")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--item", "1"], "items: '1' is not a line item — use PRODUCT_ID:QUANTITY")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--item", "99:2"], "items: product 99 does not exist")]
#[case(&["add", "opportunity", "--customer", "1", "--title", "T", "--item", "1:0"], "items: line 1: quantity must be at least 1")]
#[case(&["edit", "opportunity", "1", "--amount", "😀"], "amount: '😀' is not an amount")]
#[case(&["edit", "opportunity", "x"], "'<ID>': expected a record id")]
// add / edit product
#[case(&["add", "product"], "name: is required")]
#[case(&["add", "product", "--name", "\x1b[5m"], "name: contains control characters")]
#[case(&["add", "product", "--name", "P", "--sku", "A B"], "sku: cannot contain spaces")]
#[case(&["add", "product", "--name", "P", "--category", LONG], "category: is 401 characters long — at most 200")]
#[case(&["add", "product", "--name", "P", "--price", "cheap"], "price: 'cheap' is not an amount")]
#[case(&["add", "product", "--name", "P", "--currency", "¥"], "currency: '¥' is not a currency code")]
#[case(&["add", "product", "--name", "P", "--brand", "\x1b[31m"], "brand: contains control characters")]
#[case(&["add", "product", "--name", "P", "--function", LONG], "functions: is 401 characters long — at most 200")]
#[case(&["add", "product", "--name", "P", "--audience", "\x1b[31m"], "audience: contains control characters")]
#[case(&["add", "product", "--name", "P", "--active", "perhaps"], "active: 'perhaps' is not yes or no")]
#[case(&["add", "product", "--name", "P", "--description", "\x1b[2J"], "description: contains control characters")]
#[case(&["edit", "product", "1", "--price", "-1"], "price: '-1' is negative")]
// add / edit activity
#[case(&["add", "activity", "--kind", "call"], "customer: is required")]
#[case(&["add", "activity", "--kind", "party", "--customer", "1"], "kind: 'party' is not a valid activity kind — expected one of")]
#[case(&["add", "activity", "--customer", "x"], "'--customer <CUSTOMER>': expected a record id")]
#[case(&["add", "activity", "--customer", "99"], "customer: customer 99 does not exist")]
#[case(&["add", "activity", "--customer", "1", "--opportunity", "x"], "'--opportunity <OPPORTUNITY>': expected a record id")]
#[case(&["add", "activity", "--customer", "1", "--date", "someday"], "date: 'someday' is not a date")]
#[case(&["add", "activity", "--customer", "1", "--summary", "\x1b[2J"], "summary: contains control characters")]
#[case(&["add", "activity", "--customer", "1", "--sentiment", "angry"], "sentiment: 'angry' is not a valid sentiment — expected one of")]
#[case(&["add", "activity", "--customer", "1", "--follow-up", "later"], "next_follow_up: 'later' is not a date")]
#[case(&["add", "activity", "--customer", "1", "--follow-up", "-3d"], "next_follow_up: is before the touch itself")]
#[case(&["add", "activity", "--kind", "campaign", "--summary", "E", "--channel", "tv"], "channel: 'tv' is not a valid campaign channel — expected one of")]
#[case(&["add", "activity", "--kind", "campaign"], "summary: is required — name the campaign")]
#[case(&["add", "activity", "--kind", "campaign", "--summary", "two\nlines"], "summary: contains control characters")]
#[case(&["add", "activity", "--kind", "campaign", "--summary", "E", "--end", "-2d"], "end_date: is before the start date")]
#[case(&["add", "activity", "--kind", "campaign", "--summary", "E", "--region", "mars"], "region: 'mars' is not a valid region — expected one of")]
#[case(&["add", "activity", "--kind", "campaign", "--summary", "E", "--goal", "fun"], "goal: 'fun' is not a valid goal — expected one of")]
#[case(&["add", "activity", "--kind", "campaign", "--summary", "E", "--participants", "lots"], "participants: 'lots' is not a number of participants")]
#[case(&["add", "activity", "--kind", "campaign", "--summary", "E", "--cost", "-1"], "cost: '-1' is negative")]
#[case(&["add", "activity", "--kind", "campaign", "--summary", "E", "--leads", "1.5"], "leads: '1.5' is not a number of leads")]
#[case(&["edit", "activity", "1", "--sentiment", "😀"], "sentiment: '😀' is not a valid sentiment")]
// other commands taking ids and versions
#[case(&["show", "customer", "x\x1b[2J"], "'<ID>': expected a record id")]
#[case(&["delete", "customer", "1", "--version", "new"], "'--version <VERSION>': expected a version")]
#[case(&["restore", "product", "-"], "'<ID>': expected a record id")]
fn every_cli_argument_refuses_bad_values(#[case] args: &[&str], #[case] expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    book(&db);
    let before = snapshot(&db);
    let out = dossier(&db, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(
        err.contains(expected),
        "{args:?}: expected '{expected}' in:\n{err}"
    );
    assert!(
        !err.contains('\x1b') && !err.contains('\u{9b}') && !err.contains('\u{202E}'),
        "{args:?}: raw escape in {err:?}"
    );
    assert_eq!(snapshot(&db), before, "{args:?} wrote something");
}

#[test]
fn cjk_and_emoji_are_welcome_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let out = dossier(
        &db,
        &[
            "add",
            "customer",
            "--name",
            "张伟 🚀",
            "--company",
            "上海华信科技有限公司",
            "--city",
            "上海",
            "--need",
            "售后服务",
            "--notes",
            "喜欢 ☕\n第二行",
            "--field",
            "微信=zw_sh",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["name"], "张伟 🚀");
    assert_eq!(v["custom"]["微信"], "zw_sh");
}

#[test]
fn escape_sequences_stored_by_other_means_never_reach_the_terminal() {
    // Validation refuses them at input; a file written by another tool (or
    // an older version) may still hold them, so output strips them too.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    book(&db);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute(
            "UPDATE customers SET name = ?1, company = ?1, city = ?1, notes = ?1, custom = ?2 WHERE id = 1",
            rusqlite::params![
                "Ann\x1b[2J\x1b]0;pwned\x07\u{9b}31m\u{202E}",
                r#"{"k\u001b[31m":"v\u001b[2J"}"#
            ],
        )
        .unwrap();
        conn.execute(
            "UPDATE opportunities SET title = ?1 WHERE id = 1",
            ["Deal\x1b[2J"],
        )
        .unwrap();
        conn.execute(
            "INSERT OR REPLACE INTO tag_sets VALUES ('customer', 1, ?1)",
            ["\nlifecycle=new\x07\nvalue\x1b[1m=high\x1b[2J\n"],
        )
        .unwrap();
    }
    for args in [
        &["show", "customer", "1"][..],
        &["show", "customer", "1", "--json"],
        &["list", "customers"],
        &["list", "customers", "--json"],
        &["list", "opportunities"],
        &["show", "opportunity", "1"],
        &["delete", "customer", "1"],
        &["trash"],
    ] {
        let out = dossier(&db, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for stream in [&out.stdout, &out.stderr] {
            let s = String::from_utf8_lossy(stream);
            assert!(
                !s.contains('\x1b')
                    && !s.contains('\x07')
                    && !s.contains('\u{9b}')
                    && !s.contains('\u{202E}'),
                "{args:?}: {s:?}"
            );
        }
    }
}
