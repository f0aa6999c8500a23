//! Message catalogs: every word dossier shows, in English and 简体中文.
//!
//! The catalogs are Fluent files under `assets/i18n/<lang>/` embedded in the
//! binary. [`tr!`](crate::tr) looks a message up in the language in force
//! (chosen once at start-up by [`choose`]); [`tr_in!`](crate::tr_in) names
//! the language, for code that must not depend on the process-wide choice
//! (tests, renderers handed a language).
//!
//! ```
//! use dossier::i18n::Lang;
//! let s = dossier::tr_in!(Lang::Zh, "cli-restored", kind = "customer", id = 12);
//! assert!(s.contains("12"));
//! ```

mod catalog;
mod choose;

pub use catalog::{has, message, Arg};
pub use choose::{choose, from_locale, Lang};

use std::sync::atomic::{AtomicU8, Ordering};

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language in force for this process.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language in force (English until [`set`] is called).
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Zh,
        _ => Lang::En,
    }
}

/// A message of the catalog in the language in force:
/// `tr!("cli-restored", kind = "customer", id = 12)`.
#[macro_export]
macro_rules! tr {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::message(
            $crate::i18n::current(),
            $key,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),*],
        )
    };
}

/// A message of the catalog in the given language:
/// `tr_in!(Lang::Zh, "cli-restored", kind = "customer", id = 12)`.
#[macro_export]
macro_rules! tr_in {
    ($lang:expr, $key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::message(
            $lang,
            $key,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),*],
        )
    };
}

#[cfg(test)]
mod tests;
