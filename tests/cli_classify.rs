//! `classify`, `why` and `list --tag` through the real binary.

use std::path::Path;
use std::process::{Command, Output};

fn dossier(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(dir.join("book.db"))
        .args(args)
        .env("DOSSIER_NOW", "2026-11-23")
        .env("DOSSIER_CONFIG_DIR", dir.join("config"))
        .env_remove("DOSSIER_DB")
        .output()
        .expect("run dossier")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = dossier(dir, args);
    assert!(
        out.status.success(),
        "dossier {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["add", "customer", "--name", "Ann"]);
    ok(dir.path(), &["add", "customer", "--name", "Bob"]);
    ok(
        dir.path(),
        &[
            "add",
            "opportunity",
            "--customer",
            "1",
            "--title",
            "Big order",
            "--amount",
            "150k",
            "--stage",
            "won",
        ],
    );
    dir
}

#[test]
fn why_prints_tags_with_reasons_and_history() {
    let dir = book();
    let out = ok(dir.path(), &["why", "customer", "1"]);
    assert!(out.contains("customer 1 — Ann"), "{out}");
    // A sentence with the facts in it, no rule id (issues 16 and 18).
    let status = out
        .lines()
        .find(|l| l.trim_start().starts_with("status"))
        .unwrap();
    assert!(
        status.contains("existing") && status.contains("1 purchase(s) so far"),
        "{out}"
    );
    assert!(!out.contains("(rule "), "{out}");
    assert!(out.contains("History"), "{out}");
    assert!(out.contains("prospect → existing"), "{out}");
}

#[test]
fn list_filters_by_tag() {
    let dir = book();
    let out = ok(
        dir.path(),
        &["list", "customer", "--tag", "status=existing"],
    );
    assert!(out.contains("Ann") && !out.contains("Bob"), "{out}");
    let out = ok(
        dir.path(),
        &[
            "list",
            "customer",
            "--tag",
            "status=prospect",
            "--tag",
            "type=individual",
        ],
    );
    assert!(out.contains("Bob") && !out.contains("Ann"), "{out}");
    let bad = dossier(dir.path(), &["list", "customer", "--tag", "value"]);
    assert!(!bad.status.success());
}

#[test]
fn classify_dry_run_writes_nothing() {
    let dir = book();
    let before = ok(dir.path(), &["why", "customer", "1", "--json"]);
    let out = ok(dir.path(), &["classify", "--dry-run"]);
    assert!(out.contains("dry run: nothing was written"), "{out}");
    assert_eq!(ok(dir.path(), &["why", "customer", "1", "--json"]), before);
    let out = ok(dir.path(), &["classify", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The same day again: a light sweep, which evaluates only what can
    // have changed and counts the rest as skipped.
    let customers = |k: &str| report[k]["customer"].as_u64().unwrap_or(0);
    assert_eq!(customers("evaluated") + customers("skipped"), 2, "{out}");
    assert_eq!(report["changed"], 0);
}

#[test]
fn bad_rule_files_are_refused_with_their_line() {
    let dir = book();
    let bad = dir.path().join("try.toml");
    std::fs::write(
        &bad,
        "[settings]\namount_high = 1\n[customer.value]\nrules = [{ value = \"x\", when = [{ fact = \"nope\", op = \">\", value = 1 }] }]\n",
    )
    .unwrap();
    let out = dossier(
        dir.path(),
        &["classify", "--dry-run", "--rules", bad.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("try.toml:4:"), "{err}");
    assert!(err.contains("unknown customer fact 'nope'"), "{err}");

    // The same file as the user's rules: refused with a warning, built-in
    // rules in force.
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::copy(&bad, dir.path().join("config/rules.toml")).unwrap();
    let out = dossier(dir.path(), &["classify"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rules.toml:4:"), "{err}");
    assert!(err.contains("built-in rules are in force"), "{err}");
    // Every command that shows tags says so, a plain list too.
    for args in [&["list", "customers"][..], &["show", "customer", "1"]] {
        let out = dossier(dir.path(), args);
        assert!(out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("built-in rules are in force"),
            "{args:?}: {err}"
        );
    }

    // A good file given to --rules is tried, not applied.
    std::fs::write(&bad, "[settings]\namount_high = 0\n").unwrap();
    let path = bad.to_str().unwrap();
    let out = ok(dir.path(), &["classify", "--dry-run", "--rules", path]);
    assert!(out.contains("purchase amount: high"), "{out}");
    assert!(!dossier(dir.path(), &["classify", "--rules", path])
        .status
        .success());
}
