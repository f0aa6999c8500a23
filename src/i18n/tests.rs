//! The catalogs are complete in both languages and hold nothing the code
//! does not use; the language is chosen as the issue says.

use super::catalog::FILES;
use super::{choose, from_locale, message, Arg, Lang};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every message of one language: key → the variables it uses.
fn catalog(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, en, zh) in FILES {
        let text = lang.pick(*en, *zh);
        // The files parse (the bundle would refuse them at start-up).
        fluent_syntax::parser::parse(text)
            .unwrap_or_else(|(_, errs)| panic!("{}/{name}: {errs:?}", lang.code()));
        // A message starts at `key =` and goes on over indented lines.
        let mut current: Option<String> = None;
        for line in text.lines() {
            let starts_entry = line.starts_with(|c: char| c.is_ascii_lowercase());
            if starts_entry {
                let key = line.split('=').next().unwrap_or("").trim().to_string();
                assert!(
                    out.insert(key.clone(), BTreeSet::new()).is_none(),
                    "{key} twice in {}",
                    lang.code()
                );
                current = Some(key);
            } else if !line.starts_with([' ', '}', '[', '*']) {
                current = None;
            }
            if let Some(key) = &current {
                let vars = line.split('$').skip(1).map(|v| {
                    v.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect::<String>()
                });
                out.get_mut(key).unwrap().extend(vars);
            }
        }
    }
    out
}

/// The text of every Rust source file of the crate.
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n/tests.rs") {
                out.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// Keys the code names as literals in `tr!("…")` / `tr_in!(lang, "…")`.
fn keys_in_code(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for mac in ["tr!(", "tr_in!("] {
        for (i, _) in text.match_indices(mac) {
            // `include_str!(` is not `tr!(`.
            if text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &text[i + mac.len()..];
            let Some(q) = rest.find('"') else { continue };
            // Only the first string literal, before the first comma after it.
            if rest[..q].contains(';') {
                continue;
            }
            let key: String = rest[q + 1..].chars().take_while(|c| *c != '"').collect();
            if !key.is_empty() {
                out.push(key);
            }
        }
    }
    out
}

/// Keys made at run time from the command line and the field lists.
fn generated_keys() -> BTreeSet<String> {
    use crate::domain::fields::{
        CAMPAIGN_FIELDS, CUSTOMER_FIELDS, OPPORTUNITY_FIELDS, PRODUCT_FIELDS, TOUCH_FIELDS,
    };
    use clap::CommandFactory;
    let mut keys: BTreeSet<String> = crate::cli::help::entries(&crate::cli::Cli::command())
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    for specs in [
        CUSTOMER_FIELDS,
        OPPORTUNITY_FIELDS,
        PRODUCT_FIELDS,
        TOUCH_FIELDS,
        CAMPAIGN_FIELDS,
    ] {
        for s in specs {
            keys.insert(crate::cli::people_field_key(specs, s.name));
        }
    }
    // The key map's descriptions, named in assets/keymap.toml.
    let keymap = crate::tui::keymap::KeyMap::defaults();
    for ctx in crate::tui::keymap::Context::ALL {
        keys.extend(keymap.bindings(ctx).iter().filter_map(|b| b.msg.clone()));
    }
    keys
}

#[test]
fn the_default_key_descriptions_are_the_catalogs_english_words() {
    let keymap = crate::tui::keymap::KeyMap::defaults();
    for ctx in crate::tui::keymap::Context::ALL {
        for b in keymap.bindings(ctx) {
            let key = b
                .msg
                .as_deref()
                .unwrap_or_else(|| panic!("{b:?} names no msg"));
            assert_eq!(message(Lang::En, key, &[]), b.desc, "{key}");
            assert_ne!(message(Lang::Zh, key, &[]), b.desc, "{key} in Chinese");
        }
    }
}

#[test]
fn both_languages_have_the_same_keys_and_variables() {
    let en = catalog(Lang::En);
    let zh = catalog(Lang::Zh);
    let only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
    let only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty(), "missing in zh-CN: {only_en:?}");
    assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
    for (k, vars) in &en {
        assert_eq!(vars, &zh[k], "{k}: the languages use different variables");
    }
}

#[test]
fn every_key_the_code_uses_is_in_the_catalog_and_every_key_is_used() {
    let en = catalog(Lang::En);
    let generated = generated_keys();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut literal_text = String::new();
    for (file, text) in sources() {
        for key in keys_in_code(&text) {
            assert!(
                en.contains_key(&key),
                "{file}: '{key}' is not in the catalog"
            );
            used.insert(key);
        }
        literal_text.push_str(&text);
    }
    for key in &generated {
        assert!(
            en.contains_key(key),
            "'{key}' (help or field label) is not in the catalog"
        );
    }
    let unused: Vec<&String> = en
        .keys()
        .filter(|k| {
            !used.contains(*k)
                && !generated.contains(*k)
                && !literal_text.contains(&format!("\"{k}\""))
        })
        .collect();
    assert!(unused.is_empty(), "keys no code uses: {unused:?}");
}

#[test]
fn every_message_formats_without_errors_in_both_languages() {
    for lang in Lang::ALL {
        for (key, vars) in catalog(lang) {
            let args: Vec<(&str, Arg)> = vars.iter().map(|v| (v.as_str(), Arg::Num(2.0))).collect();
            let text = message(lang, &key, &args);
            assert!(
                !text.contains("{$") && !text.contains("{ $") && text != key,
                "{key}: {text}"
            );
        }
    }
}

#[test]
fn plurals_and_arguments() {
    assert_eq!(
        message(Lang::En, "cli-trash-emptied", &[("count", Arg::Num(1.0))]),
        "1 record deleted for good"
    );
    assert_eq!(
        message(Lang::En, "cli-trash-emptied", &[("count", Arg::Num(3.0))]),
        "3 records deleted for good"
    );
    assert_eq!(
        crate::tr_in!(Lang::Zh, "cli-trash-emptied", count = 3),
        "已永久删除 3 条记录"
    );
    // No Unicode isolation marks around arguments: they would show as
    // junk or break column alignment in a terminal.
    let s = crate::tr_in!(Lang::Zh, "cli-restored", kind = "客户", id = 12);
    assert_eq!(s, "客户 12 已恢复");
}

#[rstest::rstest]
#[case(None, None, None, Lang::En)]
#[case(None, None, Some("zh_CN.UTF-8"), Lang::Zh)]
#[case(None, None, Some("zh_SG.UTF-8"), Lang::Zh)]
#[case(None, None, Some("zh_Hans"), Lang::Zh)]
#[case(None, None, Some("zh-Hans-CN"), Lang::Zh)]
#[case(None, None, Some("zh_TW.UTF-8"), Lang::En)]
#[case(None, None, Some("en_US.UTF-8"), Lang::En)]
#[case(None, None, Some("C"), Lang::En)]
#[case(None, Some("zh_CN.UTF-8"), Some("en_US.UTF-8"), Lang::Zh)]
#[case(
    Some("en_GB.UTF-8"),
    Some("zh_CN.UTF-8"),
    Some("zh_CN.UTF-8"),
    Lang::En
)]
#[case(Some(""), None, Some("zh_CN.UTF-8"), Lang::Zh)]
#[case(Some("zh_CN@pinyin"), None, None, Lang::Zh)]
fn the_locale_picks_the_language(
    #[case] lc_all: Option<&str>,
    #[case] lc_messages: Option<&str>,
    #[case] lang: Option<&str>,
    #[case] want: Lang,
) {
    assert_eq!(from_locale(lc_all, lc_messages, lang), want);
}

#[rstest::rstest]
#[case("zh", Some(Lang::Zh))]
#[case("zh-CN", Some(Lang::Zh))]
#[case("zh_CN.UTF-8", Some(Lang::Zh))]
#[case("中文", Some(Lang::Zh))]
#[case("en", Some(Lang::En))]
#[case("EN", Some(Lang::En))]
#[case("en-US", Some(Lang::En))]
#[case("fr", None)]
fn language_names_read(#[case] name: &str, #[case] want: Option<Lang>) {
    assert_eq!(Lang::parse(name), want);
}

#[test]
fn flag_beats_config_beats_locale() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "lang = \"zh\"\n").unwrap();
    assert_eq!(choose(Some("en"), Some(&config)), Lang::En);
    assert_eq!(choose(None, Some(&config)), Lang::Zh);
    // A language dossier does not speak after --lang falls through.
    assert_eq!(choose(Some("fr"), Some(&config)), Lang::Zh);
    std::fs::write(&config, "lang = \"en\"\n").unwrap();
    assert_eq!(choose(None, Some(&config)), Lang::En);
}
