//! The embedded Fluent catalogs and message look-up.

use super::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::sync::OnceLock;

/// The catalog files of each language, embedded at build time:
/// (file name, English text, Chinese text).
pub(crate) const FILES: &[(&str, &str, &str)] = &[
    (
        "main.ftl",
        include_str!("../../assets/i18n/en/main.ftl"),
        include_str!("../../assets/i18n/zh-CN/main.ftl"),
    ),
    (
        "cli.ftl",
        include_str!("../../assets/i18n/en/cli.ftl"),
        include_str!("../../assets/i18n/zh-CN/cli.ftl"),
    ),
    (
        "fields.ftl",
        include_str!("../../assets/i18n/en/fields.ftl"),
        include_str!("../../assets/i18n/zh-CN/fields.ftl"),
    ),
    (
        "help.ftl",
        include_str!("../../assets/i18n/en/help.ftl"),
        include_str!("../../assets/i18n/zh-CN/help.ftl"),
    ),
    (
        "tui.ftl",
        include_str!("../../assets/i18n/en/tui.ftl"),
        include_str!("../../assets/i18n/zh-CN/tui.ftl"),
    ),
];

/// An argument of a message: a text, or a number (which also picks plural
/// forms: `{ $count -> [one] … *[other] … }`).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Num(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}
impl From<Cow<'_, str>> for Arg {
    fn from(s: Cow<'_, str>) -> Self {
        Arg::Text(s.into_owned())
    }
}
macro_rules! num_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Num(n as f64)
            }
        }
    )*};
}
num_arg!(i32, i64, u32, u64, usize, f64);

type Bundle = FluentBundle<FluentResource>;

fn build(lang: Lang) -> Bundle {
    let id = lang
        .code()
        .parse()
        .expect("the catalog folders are valid language ids");
    let mut bundle = Bundle::new_concurrent(vec![id]);
    // Fluent wraps arguments in Unicode isolation marks by default; a
    // terminal shows them as junk or zero-width gaps that break alignment.
    bundle.set_use_isolating(false);
    for (name, en, zh) in FILES {
        let text = lang.pick(*en, *zh);
        let res = FluentResource::try_new(text.to_string())
            .unwrap_or_else(|(_, errs)| panic!("{}/{name}: {errs:?}", lang.code()));
        bundle
            .add_resource(res)
            .unwrap_or_else(|errs| panic!("{}/{name}: {errs:?}", lang.code()));
    }
    bundle
}

fn bundle(lang: Lang) -> &'static Bundle {
    static EN: OnceLock<Bundle> = OnceLock::new();
    static ZH: OnceLock<Bundle> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| build(Lang::En)),
        Lang::Zh => ZH.get_or_init(|| build(Lang::Zh)),
    }
}

/// Whether the catalog of `lang` has a message `key`.
pub fn has(lang: Lang, key: &str) -> bool {
    bundle(lang).has_message(key)
}

/// The message `key` in `lang` with its arguments filled in. A key the
/// catalog lacks (a bug the completeness test catches) shows as the key
/// itself rather than failing the command.
pub fn message(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    let bundle = bundle(lang);
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_string();
    };
    let mut fargs = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(t) => fargs.set(*name, FluentValue::from(t.as_str())),
            Arg::Num(n) => fargs.set(*name, FluentValue::from(*n)),
        }
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned()
}
