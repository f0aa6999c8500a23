//! What a person sees in a terminal: record text that holds escape
//! sequences (written by another tool, or an old version) is printed
//! without them. Runs the real binary in a pseudo-terminal, so the
//! terminal-only paths (export to a terminal) are taken.

use dossier::domain::Customer;
use dossier::store::Store;
use std::path::Path;

mod support;
use support::pty::Session;

/// Runs dossier in a pseudo-terminal and returns everything it printed.
fn in_terminal(db: &Path, args: &[&str]) -> String {
    let mut cmd = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.arg("--db");
    cmd.arg(db);
    cmd.args(args);
    cmd.env("DOSSIER_NOW", "2026-11-23");
    cmd.env("DOSSIER_LOG_DIR", db.with_extension("logs"));
    let (status, out) = Session::spawn(cmd, 50, 200).finish();
    let text = String::from_utf8_lossy(&out).into_owned();
    assert!(status.success(), "dossier {args:?} failed: {text}");
    text
}

const NASTY: &str = "Ann\x1b[2J\x1b]0;pwned\x07\u{9b}31m\u{202E}gnp.exe";

#[test]
fn show_list_and_export_to_a_terminal_carry_no_escape_sequences() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    {
        let mut s = Store::open(&db).unwrap();
        s.add_customer(&Customer::named("Ann")).unwrap();
    }
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute(
            "UPDATE customers SET name = ?1, company = ?1, notes = ?1 WHERE id = 1",
            [NASTY],
        )
        .unwrap();
    }
    for args in [
        &["show", "customer", "1"][..],
        &["show", "customer", "1", "--json"],
        &["list", "customers"],
        &["export", "--format", "csv"],
        &["export", "--format", "vcf"],
        &["export", "--format", "json"],
    ] {
        let out = in_terminal(&db, args);
        assert!(out.contains("Ann"), "{args:?}: {out:?}");
        assert!(
            !out.contains('\x1b')
                && !out.contains('\x07')
                && !out.contains('\u{9b}')
                && !out.contains('\u{202E}'),
            "{args:?}: {out:?}"
        );
    }
    // A file or a pipe still gets the exact data.
    let csv = dir.path().join("out.csv");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(&db)
        .args(["export", "--format", "json", "--output"])
        .arg(&csv)
        .env("DOSSIER_LOG_DIR", db.with_extension("logs"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let data = std::fs::read_to_string(&csv).unwrap();
    let v: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(v["customers"][0]["name"], NASTY);
}
