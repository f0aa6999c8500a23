//! Money as whole minor units (cents/fen), so sums never drift.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in minor units (1/100 of the currency unit).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

/// Decimals of the minor unit: every amount is kept in hundredths.
const MINOR_DIGITS: u32 = 2;

/// A thousands separator a salesperson may type between groups of three.
fn is_group_mark(c: char) -> bool {
    matches!(c, ',' | '，' | '_' | ' ')
}

/// The digits of an integer part typed with or without thousands
/// separators; `None` unless every group after the first has three digits.
fn grouped_digits(int_part: &str) -> Option<String> {
    if !int_part.contains(is_group_mark) {
        return int_part
            .chars()
            .all(|c| c.is_ascii_digit())
            .then(|| int_part.to_string());
    }
    let groups: Vec<&str> = int_part.split(is_group_mark).collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    let digits_ok = groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()));
    (first_ok && rest_ok && digits_ok).then(|| groups.concat())
}

fn range_error(shown: &str, too_large: bool) -> Result<Money, String> {
    if too_large {
        Err(crate::tr!(
            "money-too-large",
            amount = format!("'{shown}'"),
            most = Money::MAX.display_plain()
        ))
    } else {
        Err(crate::tr!("money-negative", amount = format!("'{shown}'")))
    }
}

impl Money {
    /// Largest amount accepted anywhere: one trillion units.
    pub const MAX: Money = Money(100_000_000_000_000);

    pub fn from_units(units: i64) -> Money {
        Money(units * 100)
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    /// The amount in whole currency units, as a float (for rules and charts).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Parses what a salesperson types: `12000`, `12,000.50`, `12k`, `1.5m`,
    /// `¥3,000`, `$ 99.9`, `2万` (10,000), `1.2亿`. Thousands separators (`,`,
    /// `，`, `_`, space) are taken only in groups of three, so a mistyped
    /// `12,34` or `1,2,3` is refused rather than read as 1,234 or 123. More
    /// decimals than the currency has (`12.345`) are refused, not rounded:
    /// a rounded amount is a silently different amount. Negative amounts are
    /// refused; `-0` is zero.
    pub fn parse(input: &str) -> Result<Money, String> {
        let raw = input.trim();
        let shown = super::text::sanitize_for_terminal(raw);
        let err = || {
            format!(
                "'{shown}' is not an amount — type a number such as 12000, 12,000.50, 12k or 1.5m"
            )
        };
        if raw.is_empty() {
            return Err("is required — type a number such as 12000 or 12k".into());
        }
        let mut s: &str = raw;
        // Currency marks before or after the number; they say nothing about
        // the value (the currency is a field of its own).
        for _ in 0..2 {
            for mark in ["¥", "$", "€", "£", "￥"] {
                s = s.strip_prefix(mark).unwrap_or(s).trim();
                s = s.strip_suffix(mark).unwrap_or(s).trim();
            }
            for code in ["CNY", "RMB", "USD", "EUR", "GBP"] {
                if s.len() >= 3 && s.is_char_boundary(3) && s[..3].eq_ignore_ascii_case(code) {
                    s = s[3..].trim();
                }
                let n = s.len();
                if n >= 3 && s.is_char_boundary(n - 3) && s[n - 3..].eq_ignore_ascii_case(code) {
                    s = s[..n - 3].trim();
                }
            }
        }
        let negative = s.starts_with('-');
        let s = s.strip_prefix('-').unwrap_or(s).trim();
        // Power of ten the suffix multiplies by.
        let (num, power) = match s.chars().last() {
            Some('k' | 'K') => (&s[..s.len() - 1], 3),
            Some('m' | 'M') => (&s[..s.len() - 1], 6),
            Some('b' | 'B') => (&s[..s.len() - 1], 9),
            Some('万') => (&s[..s.len() - '万'.len_utf8()], 4),
            Some('亿') => (&s[..s.len() - '亿'.len_utf8()], 8),
            _ => (s, 0),
        };
        let num = num.trim();
        let (int_part, frac_part) = match num.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (num, None),
        };
        let int_digits = grouped_digits(int_part).ok_or_else(|| {
            if int_part
                .chars()
                .all(|c| c.is_ascii_digit() || is_group_mark(c))
                && !int_part.is_empty()
            {
                format!(
                    "'{shown}' has its thousands separators in the wrong places — \
                     groups of three digits only, as in 12,000 or 1,234,567"
                )
            } else {
                err()
            }
        })?;
        let frac_digits = match frac_part {
            Some(f) if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) => f,
            Some(_) => return Err(err()),
            None => "",
        };
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(err());
        }
        // Exact decimal arithmetic: value = digits × 10^(power + 2 − decimals)
        // minor units; a negative exponent with non-zero digits below it
        // means more decimals than the currency has.
        let digits = format!("{int_digits}{frac_digits}");
        let digits = digits.trim_start_matches('0');
        let exponent = power + MINOR_DIGITS as i32 - frac_digits.len() as i32;
        let cents: i128 = if digits.is_empty() {
            0
        } else if exponent >= 0 {
            if digits.len() as i32 + exponent > 20 {
                return range_error(&shown, true);
            }
            let base: i128 = digits.parse().map_err(|_| err())?;
            base * 10i128.pow(exponent as u32)
        } else {
            let cut = digits.len() as i32 + exponent;
            let kept = &digits[..cut.max(0) as usize];
            let dropped = &digits[cut.max(0) as usize..];
            if dropped.chars().any(|c| c != '0') {
                return Err(format!(
                    "'{shown}' has more decimals than the currency has — \
                     at most {MINOR_DIGITS}, as in 12,000.50"
                ));
            }
            if kept.len() > 20 {
                return range_error(&shown, true);
            }
            if kept.is_empty() {
                0
            } else {
                kept.parse().map_err(|_| err())?
            }
        };
        if negative && cents != 0 {
            return range_error(&shown, false);
        }
        Money::check_range(cents, &shown)
    }

    /// The one range check for amounts, for the parser and for computed
    /// amounts (a line item's quantity × unit price): 0 to [`Money::MAX`].
    /// `shown` is what the message names (what was typed, or the sum).
    pub fn check_range(cents: i128, shown: &str) -> Result<Money, String> {
        if cents < 0 {
            return range_error(shown, false);
        }
        if cents > Money::MAX.0 as i128 {
            return range_error(shown, true);
        }
        Ok(Money(cents as i64))
    }

    /// A warning when a saved amount changes a hundredfold or more (`230k`
    /// typed after `250,000` left in the field gives 250,000,230,000): the
    /// form asks once before saving it. Amounts of zero (not set) never warn.
    pub fn big_change_warning(label: &str, old: Money, new: Money) -> Option<String> {
        if old.0 <= 0 || new.0 <= 0 {
            return None;
        }
        let (hi, lo) = (old.0.max(new.0) as i128, old.0.min(new.0) as i128);
        if hi < lo * 100 {
            return None;
        }
        let times = hi / lo;
        let direction = if new.0 > old.0 { "more" } else { "less" };
        Some(format!(
            "{label} {} → {} is {}× {direction} than before",
            old.display_plain(),
            new.display_plain(),
            Money::from_units(times as i64).display_plain()
        ))
    }

    /// `12,000` or `12,000.50` (no currency).
    pub fn display_plain(self) -> String {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let units = abs / 100;
        let cents = abs % 100;
        let digits = units.to_string();
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        let sign = if neg { "-" } else { "" };
        if cents == 0 {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}.{cents:02}")
        }
    }

    /// `12.5k`, `1.2m`: short form for narrow columns and charts.
    pub fn display_short(self) -> String {
        let u = self.as_f64();
        let a = u.abs();
        if a >= 1e9 {
            format!("{:.1}b", u / 1e9)
        } else if a >= 1e6 {
            format!("{:.1}m", u / 1e6)
        } else if a >= 1e4 {
            format!("{:.0}k", u / 1e3)
        } else if a >= 1e3 {
            format!("{:.1}k", u / 1e3)
        } else {
            format!("{u:.0}")
        }
    }

    /// With a currency code: `CNY 12,000`.
    pub fn display_with(self, currency: &str) -> String {
        if currency.is_empty() {
            self.display_plain()
        } else {
            format!("{currency} {}", self.display_plain())
        }
    }
}

/// Amounts summed apart per currency: CNY and EUR are never added as if
/// they were one currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Totals(pub std::collections::BTreeMap<String, Money>);

impl Totals {
    pub fn add(&mut self, currency: &str, amount: Money) {
        let key = currency.trim().to_uppercase();
        let e = self.0.entry(key).or_default();
        *e = *e + amount;
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(|m| m.0 == 0)
    }

    /// The total of one currency (zero when it has none).
    pub fn of(&self, currency: &str) -> Money {
        self.0
            .get(&currency.trim().to_uppercase())
            .copied()
            .unwrap_or_default()
    }

    /// Adds another set of totals, currency by currency.
    pub fn merge(&mut self, other: &Totals) {
        for (c, m) in &other.0 {
            self.add(c, *m);
        }
    }

    /// `CNY 1.2m + EUR 30k` (`0` when empty), largest first.
    pub fn display_short(&self) -> String {
        let mut parts: Vec<(&String, &Money)> = self.0.iter().filter(|(_, m)| m.0 != 0).collect();
        if parts.is_empty() {
            return "0".into();
        }
        parts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        parts
            .iter()
            .map(|(c, m)| {
                if c.is_empty() {
                    m.display_short()
                } else {
                    format!("{c} {}", m.display_short())
                }
            })
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// The book's currency and the user's exchange rates into it, so sums over
/// deals in several currencies are in one currency — or leave a deal out —
/// and are never raw.
#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    /// The book's currency (`currency` setting; CNY unless set).
    pub book: String,
    /// Units of the book's currency per unit of another (`EUR=7.8`).
    pub per_unit: std::collections::BTreeMap<String, f64>,
}

impl Default for Rates {
    fn default() -> Self {
        Rates {
            book: "CNY".into(),
            per_unit: Default::default(),
        }
    }
}

impl Rates {
    /// Reads `["EUR=7.8", "USD=7.2"]`; an entry that is not CODE=RATE with
    /// a rate above zero is refused with a message naming it.
    pub fn parse(book: &str, entries: &[String]) -> Result<Rates, String> {
        let mut per_unit = std::collections::BTreeMap::new();
        for e in entries {
            let bad = || {
                format!(
                    "rate '{}' is not CODE=RATE — e.g. \"EUR=7.8\": 1 EUR is 7.8 {}",
                    super::text::sanitize_for_terminal(e),
                    book.trim().to_uppercase()
                )
            };
            let (code, rate) = e.split_once('=').ok_or_else(bad)?;
            let rate: f64 = rate.trim().parse().map_err(|_| bad())?;
            let code = code.trim().to_uppercase();
            if code.is_empty() || !rate.is_finite() || rate <= 0.0 {
                return Err(bad());
            }
            per_unit.insert(code, rate);
        }
        Ok(Rates {
            book: book.trim().to_uppercase(),
            per_unit,
        })
    }

    /// `cents` of `currency` in the book's currency; `None` when there is
    /// no rate for it (the amount is left out of sums, never added raw).
    /// A blank currency is the book's.
    pub fn to_book(&self, currency: &str, cents: i64) -> Option<i64> {
        let c = currency.trim();
        // The book's own code, without a copy (a sweep asks this of every
        // deal): the same test as below for a code in ASCII.
        if c.is_ascii() && (c.is_empty() || c.eq_ignore_ascii_case(&self.book)) {
            return Some(cents);
        }
        let c = c.to_uppercase();
        if c.is_empty() || c == self.book {
            return Some(cents);
        }
        let rate = self.per_unit.get(&c)?;
        Some((cents as f64 * rate).round() as i64)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_plain())
    }
}

/// The largest amount dossier keeps: one trillion currency units (what
/// [`Money::parse`] accepts), in minor units. Every amount, unit price,
/// line total and deal total is held to it, so no sum can overflow.
pub const MAX_AMOUNT: Money = Money(100_000_000_000_000);

/// The largest quantity of one line item.
pub const MAX_QUANTITY: i64 = 1_000_000_000;

/// `1,000,000,000` — a whole number with thousands separators.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::from(if n < 0 { "-" } else { "" });
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl Money {
    /// Whether the amount is within 0..=[`MAX_AMOUNT`]; the message (one
    /// style for every amount, price and total) says what is allowed.
    pub fn range_error(self) -> Option<String> {
        if self.0 < 0 {
            Some(crate::tr!("money-negative", amount = self.display_plain()))
        } else if self > MAX_AMOUNT {
            Some(crate::tr!(
                "money-too-large",
                amount = self.display_plain(),
                most = MAX_AMOUNT.display_plain()
            ))
        } else {
            None
        }
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0.saturating_add(o.0))
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money(0), |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("12000", 1_200_000)]
    #[case("12,000.50", 1_200_050)]
    #[case("12k", 1_200_000)]
    #[case("1.5m", 150_000_000)]
    #[case("¥3,000", 300_000)]
    #[case("2万", 2_000_000)]
    #[case("CNY 99.9", 9_990)]
    #[case("0", 0)]
    #[case("-0", 0)]
    #[case("-0.00", 0)]
    #[case("1,234,567", 123_456_700)]
    #[case("12 000", 1_200_000)]
    #[case("1.2345k", 123_450)]
    #[case("1.2亿", 12_000_000_000)]
    #[case("12.10", 1_210)]
    #[case("$ 99.9", 9_990)]
    #[case("eur12", 1_200)]
    #[case("1,000,000,000,000", 100_000_000_000_000)]
    fn parses_amounts(#[case] input: &str, #[case] cents: i64) {
        assert_eq!(Money::parse(input), Ok(Money(cents)));
    }

    #[rstest]
    #[case("")]
    #[case("abc")]
    #[case("-5")]
    #[case("1.2.3")]
    #[case("1e400")]
    #[case("k")]
    #[case(".")]
    #[case("1,2,3")]
    #[case("12,34")]
    #[case("1,2345")]
    #[case(",123")]
    fn refuses_bad_amounts(#[case] input: &str) {
        assert!(Money::parse(input).is_err(), "{input} should be refused");
    }

    /// Each kind of mistake gets the message that says how to fix it.
    #[rstest]
    #[case("12,34", "groups of three digits only")]
    #[case("1,2,3", "groups of three digits only")]
    #[case("12.345", "more decimals than the currency has")]
    #[case("0.001", "more decimals than the currency has")]
    #[case("1.234567k", "more decimals than the currency has")]
    #[case("-5", "'-5' is negative — amounts cannot be below zero")]
    #[case("1,000,000,000,000.01", "is too large — at most 1,000,000,000,000")]
    #[case("99999999999999999999999", "is too large — at most 1,000,000,000,000")]
    #[case("2亿亿", "is not an amount")]
    fn names_the_mistake(#[case] input: &str, #[case] message: &str) {
        let err = Money::parse(input).expect_err(input);
        assert!(err.contains(message), "{input}: {err}");
    }

    #[test]
    fn one_range_check_for_typed_and_computed_amounts() {
        assert_eq!(Money::check_range(0, "0"), Ok(Money(0)));
        assert_eq!(
            Money::check_range(Money::MAX.0 as i128, "max"),
            Ok(Money::MAX)
        );
        let over = Money::check_range(Money::MAX.0 as i128 + 1, "3 × 1m").expect_err("over");
        assert_eq!(over, "'3 × 1m' is too large — at most 1,000,000,000,000");
        assert!(Money::check_range(-1, "-0.01").is_err());
    }

    #[test]
    fn displays_grouped() {
        assert_eq!(Money(123_456_789).display_plain(), "1,234,567.89");
        assert_eq!(Money(100_000).display_plain(), "1,000");
        assert_eq!(Money(18_200_000).display_short(), "182k");
        assert_eq!(Money(100_000).display_with("CNY"), "CNY 1,000");
    }

    #[rstest]
    #[case(
        250_000,
        250_000_230_000,
        Some("price 250,000 → 250,000,230,000 is 1,000,000× more than before")
    )]
    #[case(250_000, 2_500, Some("price 250,000 → 2,500 is 100× less than before"))]
    #[case(250_000, 230_000, None)]
    #[case(100, 9_999, None)]
    #[case(0, 1_000_000, None)]
    fn a_hundredfold_change_warns(#[case] old: i64, #[case] new: i64, #[case] want: Option<&str>) {
        let got =
            Money::big_change_warning("price", Money::from_units(old), Money::from_units(new));
        assert_eq!(got.as_deref(), want);
    }

    /// Issue 18: EUR and CNY amounts were added together as one number.
    #[test]
    fn totals_keep_currencies_apart() {
        let mut t = Totals::default();
        t.add("CNY", Money::from_units(1_200_000));
        t.add("eur", Money::from_units(30_000));
        t.add("EUR", Money::from_units(5_000));
        assert_eq!(t.of("EUR"), Money::from_units(35_000));
        assert_eq!(t.display_short(), "CNY 1.2m + EUR 35k");
        assert_eq!(Totals::default().display_short(), "0");
    }

    #[test]
    fn rates_convert_into_the_book_currency_or_leave_out() {
        let r = Rates::parse("cny", &["EUR=7.8".into(), "usd = 7.25".into()]).unwrap();
        assert_eq!(r.to_book("CNY", 1_000), Some(1_000));
        assert_eq!(r.to_book("", 1_000), Some(1_000));
        assert_eq!(r.to_book("eur", 1_000), Some(7_800));
        assert_eq!(r.to_book("USD", 100), Some(725));
        assert_eq!(r.to_book("GBP", 100), None);
        // The book's code however written; a blank is the book's too.
        for own in [" cny ", "Cny", "   ", "\tCNY"] {
            assert_eq!(r.to_book(own, 1_000), Some(1_000), "{own:?}");
        }
        // Not ASCII: no code of the book's, never taken for it.
        assert_eq!(r.to_book("CNÝ", 1_000), None);
        assert_eq!(r.to_book("ＣＮＹ", 1_000), None);
        for bad in ["EUR", "EUR=x", "EUR=0", "=7"] {
            let e = Rates::parse("CNY", &[bad.into()]).unwrap_err();
            assert!(e.contains("is not CODE=RATE"), "{e}");
        }
    }
}
