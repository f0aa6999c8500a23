//! The remaining reports in 简体中文 and English: `agenda`, `done` and the
//! import report speak the chosen language.

use std::path::Path;
use std::process::Command;

fn dossier(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(dir.join("book.db"))
        .args(args)
        .env("DOSSIER_NOW", "2026-11-23")
        .env("DOSSIER_CONFIG_DIR", dir.join("config"))
        .env_remove("DOSSIER_DB")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .expect("run dossier");
    assert!(
        out.status.success(),
        "dossier {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn agenda_and_done_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    dossier(p, &["demo"]);
    let en = dossier(p, &["--lang", "en", "agenda"]);
    assert!(en.contains("due by today (2026-11-23)"), "{en}");
    let zh = dossier(p, &["--lang", "zh", "agenda"]);
    assert!(zh.contains("截至今天（2026-11-23）有"), "{zh}");
    assert!(zh.contains("个跟进到期"), "{zh}");
    assert!(!zh.contains("due by today"), "{zh}");
    // Each line says how to close it: `完成：dossier done ID`.
    let id = zh
        .split("完成：dossier done ")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("a follow-up line")
        .to_string();
    let done = dossier(p, &["--lang", "zh", "done", &id]);
    assert!(done.contains("已标为完成"), "{done}");
    assert!(!done.contains("marked done"), "{done}");
}

#[test]
fn the_import_report_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let csv = p.join("people.csv");
    std::fs::write(
        &csv,
        "name,company,city,shoe size\n张三,上海某公司,上海,42\n李四,,北京,40\n",
    )
    .unwrap();
    let file = csv.to_str().unwrap();
    let en = dossier(p, &["--lang", "en", "import", file, "--dry-run"]);
    assert!(en.contains("would create 张三"), "{en}");
    assert!(en.contains("columns not imported: shoe size"), "{en}");
    assert!(en.contains("dry run — would have created 2"), "{en}");
    let zh = dossier(p, &["--lang", "zh", "import", file, "--dry-run"]);
    assert!(zh.contains("将新建 张三"), "{zh}");
    assert!(zh.contains("未导入的列：shoe size"), "{zh}");
    assert!(zh.contains("试运行 — 将会新建 2"), "{zh}");
    assert!(!zh.contains("would"), "{zh}");
}
