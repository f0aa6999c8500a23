//! End to end: the real binary in a pseudo-terminal on the demo book.
//! Creates a deal for a demo customer who never bought, marks it won, and
//! sees the customer's value and lifecycle tags change — on the status
//! line, and afterwards with `dossier why`.

use std::path::Path;

mod support;
use support::pty::Session;

const NOW: &str = "2026-11-23";

fn dossier(db: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("DOSSIER_NOW", NOW)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_won_deal_retags_its_customer_in_the_terminal_ui() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e-tabs.db");
    dossier(&db, &["demo"]);
    // 黄丽 (customer 8) has not bought yet in the demo book.
    let before = dossier(&db, &["why", "customer", "8"]);
    assert!(
        before
            .lines()
            .any(|l| l.split_whitespace().take(2).eq(["status", "prospect"])),
        "{before}"
    );

    let mut cmd = Session::command(&db);
    cmd.env("DOSSIER_CONFIG_DIR", dir.path());
    cmd.env("DOSSIER_NOW", NOW);
    let mut s = Session::spawn(cmd, 40, 120);
    s.screen.wait_for("Customers");
    s.send("3");
    s.screen.wait_for("Opportunities 1/70");
    s.send("a");
    s.screen.wait_for("New deal");
    s.send("黄丽 lab equipment");
    s.send("\t");
    s.send("黄丽"); // opens the customer picker
    s.screen.wait_for("#8 黄丽");
    s.send("\r"); // pick
    s.send("800k");
    s.send("\x13"); // Ctrl-S
    s.screen.wait_for("Added deal 黄丽 lab equipment");
    s.send("W");
    s.screen.wait_for("Why?");
    s.send("fastest delivery");
    s.send("\r");
    let text = s.screen.wait_for("Saved deal 黄丽 lab equipment");
    let status = support::pty::status_of(&text);
    assert!(status.contains("黄丽 "), "{status}");
    assert!(status.contains("lifecycle: – → new"), "{status}");
    assert!(status.contains("value: "), "{status}");
    s.send("q");

    let exit = s.wait_exit();
    assert!(exit.success(), "exit status {exit:?}");

    let after = dossier(&db, &["why", "customer", "8"]);
    // `why` lists each tag as: dimension, value, the reason in words.
    let tagged = |dim: &str, value: &str| {
        after
            .lines()
            .any(|l| l.split_whitespace().take(2).eq([dim, value]))
    };
    assert!(tagged("lifecycle", "new"), "{after}");
    assert!(tagged("status", "existing"), "{after}");
    assert!(tagged("value", "high"), "{after}");
}
