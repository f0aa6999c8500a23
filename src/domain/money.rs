//! Money as whole minor units (cents/fen), so sums never drift.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in minor units (1/100 of the currency unit).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

/// Largest amount accepted: one trillion units.
const MAX_UNITS: f64 = 1e12;

impl Money {
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
    /// `¥3,000`, `$ 99.9`, `2万` (10,000). Negative amounts are refused here.
    pub fn parse(input: &str) -> Result<Money, String> {
        let raw = input.trim();
        let err = || {
            format!(
                "'{}' is not an amount — type a number such as 12000, 12,000.50, 12k or 1.5m",
                super::text::sanitize_for_terminal(raw)
            )
        };
        if raw.is_empty() {
            return Err("is required — type a number such as 12000 or 12k".into());
        }
        let mut s: String = raw
            .chars()
            .filter(|c| !matches!(c, ',' | '_' | ' ' | '¥' | '$' | '€' | '£' | '￥' | '，'))
            .collect();
        for code in [
            "CNY", "RMB", "USD", "EUR", "GBP", "cny", "rmb", "usd", "eur", "gbp",
        ] {
            if let Some(rest) = s.strip_prefix(code) {
                s = rest.to_string();
            }
            if let Some(rest) = s.strip_suffix(code) {
                s = rest.to_string();
            }
        }
        if s.starts_with('-') {
            return Err(format!(
                "'{}' is negative — amounts cannot be below zero",
                super::text::sanitize_for_terminal(raw)
            ));
        }
        let (num, mult) = match s.chars().last() {
            Some('k' | 'K') => (&s[..s.len() - 1], 1e3),
            Some('m' | 'M') => (&s[..s.len() - 1], 1e6),
            Some('b' | 'B') => (&s[..s.len() - 1], 1e9),
            Some('万') => (&s[..s.len() - '万'.len_utf8()], 1e4),
            Some('亿') => (&s[..s.len() - '亿'.len_utf8()], 1e8),
            _ => (s.as_str(), 1.0),
        };
        if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(err());
        }
        let v: f64 = num.parse().map_err(|_| err())?;
        let units = v * mult;
        if !units.is_finite() || units > MAX_UNITS {
            return Err(format!(
                "'{}' is too large — at most 1,000,000,000,000",
                super::text::sanitize_for_terminal(raw)
            ));
        }
        Ok(Money((units * 100.0).round() as i64))
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
            Some(format!(
                "{} is negative — amounts cannot be below zero",
                self.display_plain()
            ))
        } else if self > MAX_AMOUNT {
            Some(format!(
                "{} is too large — at most {}",
                self.display_plain(),
                MAX_AMOUNT.display_plain()
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
    fn refuses_bad_amounts(#[case] input: &str) {
        assert!(Money::parse(input).is_err(), "{input} should be refused");
    }

    #[test]
    fn displays_grouped() {
        assert_eq!(Money(123_456_789).display_plain(), "1,234,567.89");
        assert_eq!(Money(100_000).display_plain(), "1,000");
        assert_eq!(Money(18_200_000).display_short(), "182k");
        assert_eq!(Money(100_000).display_with("CNY"), "CNY 1,000");
    }
}
