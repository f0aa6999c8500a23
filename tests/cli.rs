//! The real binary, run as a script would run it.

use std::path::Path;
use std::process::{Command, Output};

fn dossier(db: &Path, args: &[&str]) -> Output {
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

fn ok(db: &Path, args: &[&str]) -> String {
    let out = dossier(db, args);
    assert!(
        out.status.success(),
        "dossier {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(db, args)).expect("JSON output")
}

#[test]
fn add_show_edit_list_delete_restore_a_customer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let added = json(
        &db,
        &[
            "add",
            "customer",
            "--name",
            "张伟",
            "--company",
            "上海华信科技有限公司",
            "--city",
            "上海",
            "--phone",
            "138 0013 8000",
            "--email",
            "zw@huaxin.example.cn",
            "--field",
            "wechat=zw_sh",
            "--json",
        ],
    );
    let id = added["id"].as_i64().unwrap();
    assert_eq!(added["name"], "张伟");
    assert_eq!(added["custom"]["wechat"], "zw_sh");
    assert_eq!(added["version"], 1);

    let shown = ok(&db, &["show", "customer", &id.to_string()]);
    assert!(shown.contains("上海华信科技有限公司"), "{shown}");

    let edited = json(
        &db,
        &[
            "edit",
            "customer",
            &id.to_string(),
            "--city",
            "北京",
            "--json",
        ],
    );
    assert_eq!(edited["city"], "北京");
    assert_eq!(edited["version"], 2);

    // A stale --if-version is refused with a clear message.
    let out = dossier(
        &db,
        &[
            "edit",
            "customer",
            &id.to_string(),
            "--city",
            "X",
            "--if-version",
            "1",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("changed elsewhere"), "{err}");

    let listed = ok(&db, &["list", "customers", "--json"]);
    assert_eq!(listed.lines().count(), 1);

    ok(&db, &["delete", "customer", &id.to_string()]);
    assert_eq!(ok(&db, &["list", "customers"]).trim(), "");
    let trash = ok(&db, &["trash"]);
    assert!(trash.contains("张伟"), "{trash}");
    ok(&db, &["restore", "customer", &id.to_string()]);
    assert_eq!(ok(&db, &["list", "customers", "--json"]).lines().count(), 1);
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let out = dossier(
        &db,
        &[
            "add",
            "customer",
            "--name",
            "Ann",
            "--email",
            "ann-at-example",
            "--phone",
            "12ab",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("emails: 'ann-at-example' is not an email address"),
        "{err}"
    );
    assert!(err.contains("not a phone number"), "{err}");
    let out = dossier(&db, &["add", "customer", "--company", "No Name Ltd"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("name: is required"));
    let out = dossier(
        &db,
        &[
            "add",
            "opportunity",
            "--customer",
            "1",
            "--title",
            "X",
            "--amount",
            "-5",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("amount"));
    assert_eq!(ok(&db, &["list", "customers"]).trim(), "");
}

#[test]
fn deals_products_and_touches_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let c = json(&db, &["add", "customer", "--name", "Acme Buyer", "--json"]);
    let p = json(
        &db,
        &[
            "add",
            "product",
            "--name",
            "Laser printer",
            "--sku",
            "LP-1",
            "--price",
            "1.2k",
            "--json",
        ],
    );
    assert_eq!(p["price"], 120_000);
    let cid = c["id"].to_string();
    let pid = p["id"].to_string();
    let o = json(
        &db,
        &[
            "add",
            "opportunity",
            "--customer",
            &cid,
            "--title",
            "Printers",
            "--item",
            &format!("{pid}:3"),
            "--stage",
            "negotiation",
            "--close",
            "+2w",
            "--json",
        ],
    );
    assert_eq!(o["amount"], 360_000);
    assert_eq!(o["expected_close"], "2026-12-07");
    let won = json(
        &db,
        &[
            "edit",
            "opportunity",
            &o["id"].to_string(),
            "--stage",
            "won",
            "--json",
        ],
    );
    assert_eq!(won["closed_on"], "2026-11-23");
    let t = json(
        &db,
        &[
            "add",
            "activity",
            "--kind",
            "call",
            "--customer",
            &cid,
            "--summary",
            "happy with delivery",
            "--sentiment",
            "positive",
            "--follow-up",
            "fri",
            "--json",
        ],
    );
    assert_eq!(t["date"], "2026-11-23");
    assert_eq!(t["next_follow_up"], "2026-11-27");
    let shown = ok(&db, &["show", "customer", &cid]);
    assert!(
        shown.contains("Printers") && shown.contains("happy with delivery"),
        "{shown}"
    );
}

#[test]
fn shown_text_is_stripped_of_escape_sequences() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    // Validation refuses control characters in names…
    let out = dossier(&db, &["add", "customer", "--name", "Evil\x1b[2J"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("control characters"));
    // …and notes may hold a newline, but escape codes never reach the terminal.
    let c = json(
        &db,
        &[
            "add",
            "customer",
            "--name",
            "Ok",
            "--notes",
            "line1\nline2",
            "--json",
        ],
    );
    let shown = ok(&db, &["show", "customer", &c["id"].to_string()]);
    assert!(!shown.contains('\x1b'));
}

#[test]
fn plain_dossier_without_a_terminal_does_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(dir.path().join("x.db"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
}

#[test]
fn gen_builds_a_deterministic_book() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    ok(&a, &["gen", "--customers", "200", "--seed", "3"]);
    ok(&b, &["gen", "--customers", "200", "--seed", "3"]);
    let la = ok(&a, &["list", "customers", "--limit", "200"]);
    assert_eq!(la, ok(&b, &["list", "customers", "--limit", "200"]));
    assert_eq!(la.lines().count(), 200);
    // gen refuses to write into a book that has records.
    assert!(!dossier(&a, &["gen", "--customers", "5"]).status.success());
}

#[test]
fn demo_loads_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&db, &["demo"]);
    let customers = ok(&db, &["list", "customers", "--limit", "500", "--json"]);
    assert!(customers.lines().count() >= 45);
    assert!(
        !dossier(&db, &["demo"]).status.success(),
        "second load refused"
    );
}

/// Issue 18: a note after a promised follow-up kept it off the list; now the
/// reminder stays until `dossier done` (or a later real contact).
#[test]
fn a_follow_up_stays_on_the_agenda_until_done() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    ok(&db, &["add", "customer", "--name", "张伟"]);
    let call = json(
        &db,
        &[
            "add",
            "activity",
            "--kind",
            "call",
            "--customer",
            "1",
            "--summary",
            "quote",
            "--date",
            "2026-11-16",
            "--follow-up",
            "2026-11-20",
            "--json",
        ],
    );
    let id = call["id"].as_i64().unwrap().to_string();
    ok(
        &db,
        &[
            "add",
            "activity",
            "--kind",
            "note",
            "--customer",
            "1",
            "--summary",
            "stock low",
        ],
    );
    let overdue = ok(&db, &["list", "customer", "--tag", "follow_up=overdue"]);
    assert!(overdue.contains("张伟"), "{overdue}");
    let agenda = ok(&db, &["agenda"]);
    assert!(
        agenda.starts_with("1 follow-up due by today (2026-11-23), 1 overdue:\n"),
        "{agenda}"
    );
    assert!(agenda.contains(&format!(
        "3 days late   张伟 (#1) — call 2026-11-16: quote  [done: dossier done {id}]"
    )));
    let line: serde_json::Value =
        serde_json::from_str(ok(&db, &["agenda", "--json"]).trim()).unwrap();
    assert_eq!(
        (line["status"].as_str(), line["days_overdue"].as_i64()),
        (Some("overdue"), Some(3))
    );
    let ics = dir.path().join("agenda.ics");
    ok(&db, &["agenda", "--ics", "-o", ics.to_str().unwrap()]);
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(text.contains("DTSTART;VALUE=DATE:20261120\r\n"), "{text}");
    let done = ok(&db, &["done", &id]);
    assert!(done.contains("follow_up: overdue → none_planned"), "{done}");
    assert_eq!(
        ok(&db, &["agenda"]),
        "No follow-ups due today (2026-11-23).\n"
    );
    let again = dossier(&db, &["done", &id]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already closed on 2026-11-23"));
}
