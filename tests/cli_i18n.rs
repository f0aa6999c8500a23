//! The command line in 简体中文 and English (issue 16): `--lang`, the
//! locale, Chinese tag labels in output and as input, Chinese dates, help.

use std::path::Path;
use std::process::{Command, Output};

/// Runs dossier on a book in `dir` with no language set by the
/// environment, plus `env`.
fn dossier_env(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.arg("--db")
        .arg(dir.join("book.db"))
        .args(args)
        .env("DOSSIER_NOW", "2026-11-23")
        .env("DOSSIER_CONFIG_DIR", dir.join("config"))
        .env_remove("DOSSIER_DB")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run dossier")
}

fn ok_env(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let out = dossier_env(dir, env, args);
    assert!(
        out.status.success(),
        "dossier {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    ok_env(dir, &[], args)
}

/// Ann has won a 254,000 deal (value high); Bob bought once two years ago
/// (churned); Carl has bought nothing.
fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    ok(
        p,
        &[
            "add",
            "customer",
            "--name",
            "Ann",
            "--company",
            "上海华信科技",
        ],
    );
    ok(p, &["add", "customer", "--name", "Bob"]);
    ok(p, &["add", "customer", "--name", "Carl"]);
    ok(
        p,
        &[
            "add",
            "opportunity",
            "--customer",
            "1",
            "--title",
            "Forklifts",
            "--amount",
            "254000",
            "--stage",
            "won",
        ],
    );
    ok(
        p,
        &[
            "add",
            "opportunity",
            "--customer",
            "2",
            "--title",
            "Pallets",
            "--amount",
            "3000",
            "--stage",
            "won",
            "--closed-on",
            "2024-10-01",
        ],
    );
    dir
}

#[test]
fn why_in_chinese_has_labels_and_sentences() {
    let dir = book();
    let out = ok(dir.path(), &["--lang", "zh", "why", "customer", "1"]);
    assert!(out.contains("客户 1 — Ann"), "{out}");
    let value = out.lines().find(|l| l.contains("客户价值")).unwrap();
    assert!(value.contains("高"), "{out}");
    assert!(value.contains("近 12 个月成交 254,000"), "{out}");
    assert!(out.contains("标签") && out.contains("历史"), "{out}");
    // No rule ids and no English tag ids where a person reads.
    assert!(
        !out.contains("(rule ") && !out.contains("value.high"),
        "{out}"
    );
    assert!(!value.contains("high"), "{out}");
    // The same in English.
    let out = ok(dir.path(), &["--lang", "en", "why", "customer", "1"]);
    let value = out
        .lines()
        .find(|l| l.trim_start().starts_with("value "))
        .unwrap();
    assert!(
        value.contains("high") && value.contains("Won 254,000 in the last 12 months"),
        "{out}"
    );
}

#[test]
fn why_json_keeps_ids_and_names_the_rules() {
    let dir = book();
    let out = ok(
        dir.path(),
        &["--lang", "zh", "why", "customer", "1", "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let tags = v["tags"].as_array().unwrap();
    assert!(
        tags.iter()
            .any(|t| t["dimension"] == "value" && t["value"] == "high"),
        "{out}"
    );
    assert_eq!(v["rules"]["value"], "value.high", "{out}");
}

#[test]
fn show_in_chinese_labels_fields_and_tags() {
    let dir = book();
    let out = ok(dir.path(), &["--lang", "zh", "show", "customer", "2"]);
    assert!(out.contains("姓名") && out.contains("Bob"), "{out}");
    assert!(out.contains("生命周期: 流失"), "{out}");
    assert!(out.contains("商机") && out.contains("赢单"), "{out}");
    let md = ok(
        dir.path(),
        &["--lang", "zh", "show", "customer", "1", "--format", "md"],
    );
    assert!(md.starts_with("# Ann\n"), "{md}");
    assert!(md.contains("| 公司 | 上海华信科技 |"), "{md}");
    assert!(
        md.contains("- **客户价值**: 高 — 近 12 个月成交 254,000"),
        "{md}"
    );
    assert!(
        md.contains("## 商机") && md.contains("| Forklifts | 赢单 |"),
        "{md}"
    );
    // JSON keeps the stable ids.
    let json = ok(
        dir.path(),
        &["--lang", "zh", "show", "customer", "1", "--json"],
    );
    assert!(json.contains("\"value\": \"high\""), "{json}");
}

#[test]
fn errors_in_chinese() {
    let dir = book();
    let out = dossier_env(dir.path(), &[], &["--lang", "zh", "show", "customer", "99"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim(), "错误：找不到客户 99");
    let out = dossier_env(
        dir.path(),
        &[],
        &[
            "--lang",
            "zh",
            "add",
            "activity",
            "--customer",
            "1",
            "--kind",
            "call",
            "--follow-up",
            "某天",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("下次跟进: “某天”不是日期"), "{err}");
    let out = dossier_env(
        dir.path(),
        &[],
        &[
            "--lang", "zh", "add", "customer", "--name", "", "--email", "bad",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "错误：未保存 — 姓名: 必填；邮箱: “bad”不是电子邮箱 — 应形如 name@example.com"
    );
    let out = dossier_env(dir.path(), &[], &["--lang", "klingon", "list", "customer"]);
    assert!(!out.status.success());
}

#[test]
fn choice_link_and_import_messages_in_chinese() {
    let dir = book();
    let zh = |args: &[&str]| {
        let mut all = vec!["--lang", "zh"];
        all.extend_from_slice(args);
        let out = dossier_env(dir.path(), &[], &all);
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let bad_stage = [
        "add",
        "opportunity",
        "--customer",
        "1",
        "--title",
        "x",
        "--stage",
        "foo",
    ];
    let err = zh(&bad_stage);
    assert!(
        err.contains("“foo”不是有效的阶段 — 可选：prospect"),
        "{err}"
    );
    let err = zh(&["add", "opportunity", "--customer", "99", "--title", "x"]);
    assert!(err.contains("客户 99 不存在"), "{err}");
    let csv = dir.path().join("people.csv");
    std::fs::write(&csv, "name,email,phone\n李四,bad-email,call me\n").unwrap();
    let out = dossier_env(
        dir.path(),
        &[],
        &["--lang", "zh", "import", csv.to_str().unwrap()],
    );
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("邮箱“bad-email”不是电子邮箱"), "{text}");
    assert!(text.contains("电话“call me”不是电话号码"), "{text}");
    let err = zh(&[
        "add",
        "product",
        "--name",
        "打印机",
        "--price",
        "99999999999999",
    ]);
    assert!(
        err.contains("价格: '99999999999999' 太大 — 最多 1,000,000,000,000"),
        "{err}"
    );
    let err = zh(&[
        "add",
        "opportunity",
        "--customer",
        "1",
        "--title",
        "y",
        "--item",
        "999:1",
    ]);
    assert!(err.contains("明细: 产品 999 不存在"), "{err}");
    let err = zh(&["unmerge", "77"]);
    assert!(err.contains("没有编号为 77 的合并"), "{err}");
    for _ in 0..2 {
        ok(
            dir.path(),
            &[
                "add",
                "customer",
                "--name",
                "张三",
                "--email",
                "zs@example.com",
            ],
        );
    }
    let out = ok_env(dir.path(), &[], &["--lang", "zh", "duplicates"]);
    assert!(out.contains("邮箱相同 zs@example.com"), "{out}");
    // English stays as it was.
    let out = dossier_env(dir.path(), &[], &bad_stage);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'foo' is not a valid stage — expected one of: prospect"),
        "{err}"
    );
    // A mistake in the user's rules file, in the reader's language.
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(
        dir.path().join("config/rules.toml"),
        "[settings]\nchrun_days = 3\n",
    )
    .unwrap();
    let err = zh(&["list", "customers"]);
    assert!(
        err.contains("未知的设置“chrun_days”— 是不是 churn_days？"),
        "{err}"
    );
}

#[test]
fn chinese_tag_filters_in_list_and_search() {
    let dir = book();
    let p = dir.path();
    let out = ok(p, &["list", "customer", "--tag", "价值:高"]);
    assert!(
        out.contains("Ann") && !out.contains("Bob") && !out.contains("Carl"),
        "{out}"
    );
    let out = ok(p, &["list", "customer", "--tag", "客户价值=高"]);
    assert!(out.contains("Ann") && !out.contains("Bob"), "{out}");
    let out = ok(p, &["list", "customer", "--tag", "value=high"]);
    assert!(out.contains("Ann") && !out.contains("Bob"), "{out}");
    let out = ok(p, &["list", "customer", "--tag", "生命周期:流失"]);
    assert!(out.contains("Bob") && !out.contains("Ann"), "{out}");
    let out = ok(p, &["search", "生命周期:流失"]);
    assert!(out.contains("Bob") && !out.contains("Ann"), "{out}");
    let out = ok(p, &["search", "价值:高"]);
    assert!(out.contains("Ann") && !out.contains("Bob"), "{out}");
    let out = ok(p, &["export", "--tag", "价值:高"]);
    assert!(out.contains("Ann") && !out.contains("Bob"), "{out}");
}

#[test]
fn chinese_dates_on_the_command_line() {
    let dir = book();
    // 2026-11-23 is a Monday: 下周五 is Friday of next week.
    let out = ok(
        dir.path(),
        &[
            "add",
            "activity",
            "--customer",
            "1",
            "--kind",
            "call",
            "--summary",
            "报价",
            "--follow-up",
            "下周五",
            "--json",
        ],
    );
    assert!(out.contains("\"next_follow_up\": \"2026-12-04\""), "{out}");
    let out = ok(
        dir.path(),
        &[
            "add",
            "activity",
            "--customer",
            "1",
            "--kind",
            "call",
            "--summary",
            "回电",
            "--follow-up",
            "+3天",
            "--json",
        ],
    );
    assert!(out.contains("\"next_follow_up\": \"2026-11-26\""), "{out}");
}

#[test]
fn the_locale_and_the_config_file_choose_the_language() {
    let dir = book();
    let p = dir.path();
    let out = ok_env(p, &[("LANG", "zh_CN.UTF-8")], &["why", "customer", "1"]);
    assert!(out.contains("客户价值"), "{out}");
    let out = ok_env(p, &[("LANG", "en_US.UTF-8")], &["why", "customer", "1"]);
    assert!(out.contains("value") && !out.contains("客户价值"), "{out}");
    // LC_ALL wins over LANG; --lang wins over both.
    let out = ok_env(
        p,
        &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "en_US.UTF-8")],
        &["why", "customer", "1"],
    );
    assert!(!out.contains("客户价值"), "{out}");
    let out = ok_env(
        p,
        &[("LC_ALL", "en_US.UTF-8")],
        &["--lang", "zh", "why", "customer", "1"],
    );
    assert!(out.contains("客户价值"), "{out}");
    // `lang` in the config file wins over the locale.
    std::fs::create_dir_all(p.join("config")).unwrap();
    std::fs::write(p.join("config/config.toml"), "lang = \"zh\"\n").unwrap();
    let out = ok_env(p, &[("LANG", "en_US.UTF-8")], &["why", "customer", "1"]);
    assert!(out.contains("客户价值"), "{out}");
}

#[test]
fn help_in_the_chosen_language() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(dir.path(), &["--lang", "zh", "--help"]);
    assert!(
        out.contains("用法：") && out.contains("命令") && out.contains("新增记录"),
        "{out}"
    );
    assert!(!out.contains("Usage:"), "{out}");
    let out = ok(dir.path(), &["--lang", "zh", "list", "--help"]);
    assert!(out.contains("只列出带此标签的记录"), "{out}");
    let out = ok_env(dir.path(), &[("LANG", "zh_CN.UTF-8")], &["why", "--help"]);
    assert!(out.contains("记录为什么带这些标签"), "{out}");
    let out = ok(dir.path(), &["list", "--help"]);
    assert!(
        out.contains("Usage:") && out.contains("Only records carrying this tag"),
        "{out}"
    );
}

#[test]
fn completions_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = ok(dir.path(), &["completions", shell]);
        assert!(
            out.contains("dossier") && out.contains("search"),
            "{shell}: {out}"
        );
    }
    let out = ok(dir.path(), &["completions", "bash"]);
    assert!(out.contains("complete -F"), "{out}");
    // No book was created for it.
    assert!(!dir.path().join("book.db").exists());
}

#[test]
fn export_with_labels_is_for_people_plain_csv_keeps_ids() {
    let dir = book();
    let p = dir.path();
    let out = ok(
        p,
        &["--lang", "zh", "export", "--labels", "--tag", "价值:高"],
    );
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("id,姓名,类型,公司"), "{out}");
    assert!(
        header.contains("客户价值") && header.contains("生命周期"),
        "{out}"
    );
    let ann = lines.next().unwrap();
    assert!(ann.starts_with("1,Ann,") && ann.contains(",高,"), "{out}");
    assert!(lines.next().is_none(), "only Ann is of high value: {out}");
    let out = ok(p, &["--lang", "en", "export", "--labels"]);
    assert!(out.starts_with("id,Name,Kind,Company"), "{out}");
    // The plain CSV keeps field names and no labels.
    let out = ok(p, &["--lang", "zh", "export"]);
    assert!(out.starts_with("id,name,kind,company"), "{out}");
    assert!(!out.contains("客户价值"), "{out}");
}
