//! Which language to speak: `--lang`, else `lang` in the config file, else
//! the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set).

use serde::Serialize;
use std::path::Path;

/// A language dossier speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[repr(u8)]
pub enum Lang {
    /// English.
    En = 0,
    /// 简体中文 (Simplified Chinese).
    Zh = 1,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// Reads a language name as typed after `--lang` or in the config file:
    /// `en`, `english`, `zh`, `zh-CN`, `zh_CN.UTF-8`, `zh-Hans`, `中文` …
    /// `None` for a language dossier does not speak.
    pub fn parse(name: &str) -> Option<Lang> {
        let n = name.trim().to_ascii_lowercase().replace('_', "-");
        let base = n.split(['.', '@']).next().unwrap_or("");
        match base {
            "en" | "english" | "c" | "posix" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-sg" | "zh-hans" | "zh-hans-cn" | "chinese" | "cn" => {
                Some(Lang::Zh)
            }
            _ if name.trim() == "中文" || name.trim() == "简体中文" => Some(Lang::Zh),
            _ if base.starts_with("en-") => Some(Lang::En),
            _ => None,
        }
    }

    /// The catalog folder's name under `assets/i18n/`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// Picks a value by language.
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// The language a POSIX locale asks for: the first of `LC_ALL`,
/// `LC_MESSAGES`, `LANG` that is set and not empty decides; any `zh_CN`,
/// `zh_SG` or `zh_Hans` locale is Chinese, anything else English.
pub fn from_locale(lc_all: Option<&str>, lc_messages: Option<&str>, lang: Option<&str>) -> Lang {
    let locale = [lc_all, lc_messages, lang]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|v| !v.is_empty())
        .unwrap_or("");
    let l = locale.to_ascii_lowercase().replace('-', "_");
    let base = l.split(['.', '@']).next().unwrap_or("");
    if matches!(
        base,
        "zh_cn" | "zh_sg" | "zh_hans" | "zh_hans_cn" | "zh_hans_sg"
    ) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// `lang = "…"` in the config file, if it names a language.
fn from_config(path: &Path) -> Option<Lang> {
    let text = std::fs::read_to_string(path).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    table.get("lang")?.as_str().and_then(Lang::parse)
}

/// The language to speak: `flag` (from `--lang`), else `lang` in
/// `config` (the config file, `config.toml` in the config dir), else the
/// locale from the environment.
pub fn choose(flag: Option<&str>, config: Option<&Path>) -> Lang {
    if let Some(lang) = flag.and_then(Lang::parse) {
        return lang;
    }
    if let Some(lang) = config.and_then(from_config) {
        return lang;
    }
    let var = |name| std::env::var(name).ok();
    from_locale(
        var("LC_ALL").as_deref(),
        var("LC_MESSAGES").as_deref(),
        var("LANG").as_deref(),
    )
}
