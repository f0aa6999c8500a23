//! End to end in Chinese: the real binary in a pseudo-terminal started with
//! `LANG=zh_CN.UTF-8` adds a customer through the form and reads the
//! catalog's word for it, with the new tags in their Chinese labels.

use std::path::Path;

mod support;
use support::pty::Session;

const NOW: &str = "2026-11-23";

fn demo_book(db: &Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .arg("demo")
        .env("DOSSIER_NOW", NOW)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_customer_added_under_a_chinese_locale_is_told_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("zh.db");
    demo_book(&db);

    let mut cmd = Session::command(&db);
    cmd.env("DOSSIER_CONFIG_DIR", dir.path());
    cmd.env("DOSSIER_NOW", NOW);
    cmd.env_remove("LC_ALL");
    cmd.env_remove("LC_MESSAGES");
    cmd.env("LANG", "zh_CN.UTF-8");
    let mut s = Session::spawn(cmd, 40, 120);
    // The footer is drawn last: waiting for it sees the whole first frame
    // (waiting for the header could catch a frame half written).
    let first = s.screen.wait_for("? 帮助");
    assert!(first.contains("生命周期"), "{first}");
    assert!(first.contains("最近联系"), "{first}");
    s.send("a");
    s.screen.wait_for("新增客户");
    s.send("测试客户");
    s.send("\t"); // kind
    s.send("\x1b[C"); // → enterprise
    s.send("\t");
    s.send("端到端有限公司");
    s.send("\x13"); // Ctrl-S
    let text = s.screen.wait_for("已添加 测试客户");
    // The status line, whole however many rows it wraps onto.
    let status = support::pty::status_of(&text);
    assert!(status.starts_with("已添加 测试客户"), "{status}");
    // A new customer's value tier in the rules' Chinese labels (客户价值 /
    // 低), the other tags counted in Chinese.
    assert!(status.contains("客户价值: 低"), "{status}");
    assert!(status.contains("个标签"), "{status}");
    assert!(!status.contains("value"), "{status}");
    s.send("q");
    let exit = s.wait_exit();
    assert!(exit.success(), "exit status {exit:?}");
}
