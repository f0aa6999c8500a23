//! Dates as a salesperson types them.

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

/// Parses `2026-11-23`, `2026/11/23`, `today`, `tomorrow`, `yesterday`,
/// `+3d`, `-2d`, `+2w`, `+1m`, `+1y`, and weekday names (`mon`, `friday`:
/// the next such day after today).
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let s = input.trim().to_lowercase();
    let bad = || {
        format!(
            "'{}' is not a date — use YYYY-MM-DD, today, tomorrow, +3d, +2w or a weekday like mon",
            super::text::cut_for_message(input.trim())
        )
    };
    match s.as_str() {
        "" => return Err("is required — use YYYY-MM-DD, today, tomorrow or +3d".into()),
        "today" | "t" | "今天" => return Ok(today),
        "tomorrow" | "tm" | "明天" => return Ok(today + Duration::days(1)),
        "yesterday" | "昨天" => return Ok(today - Duration::days(1)),
        _ => {}
    }
    if let Some(day) = weekday(&s) {
        let mut d = today + Duration::days(1);
        while d.weekday() != day {
            d += Duration::days(1);
        }
        return Ok(d);
    }
    if let Some(rest) = s.strip_prefix('+').or_else(|| s.strip_prefix('-')) {
        let sign: i64 = if s.starts_with('-') { -1 } else { 1 };
        let unit = rest.chars().last().ok_or_else(bad)?;
        let (num, unit) = if unit.is_ascii_digit() {
            (rest, 'd')
        } else {
            (&rest[..rest.len() - unit.len_utf8()], unit)
        };
        let n: i64 = num.parse().map_err(|_| bad())?;
        if n > 36_500 {
            return Err(bad());
        }
        let out = match unit {
            'd' => today.checked_add_signed(Duration::days(sign * n)),
            'w' => today.checked_add_signed(Duration::weeks(sign * n)),
            'm' | 'y' => {
                let months = if unit == 'y' { n * 12 } else { n } as u32;
                if sign > 0 {
                    today.checked_add_months(Months::new(months))
                } else {
                    today.checked_sub_months(Months::new(months))
                }
            }
            _ => None,
        };
        return out.ok_or_else(bad);
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(&s, fmt) {
            // Four-digit years: dates are stored as YYYY-MM-DD text, which
            // sorts and compares correctly only within them.
            if (1..=9999).contains(&d.year()) {
                return Ok(d);
            }
            return Err(format!(
                "'{}' is out of range — dates run from 0001-01-01 to 9999-12-31",
                super::text::cut_for_message(input.trim())
            ));
        }
    }
    Err(bad())
}

/// Parses an optional date: blank input means "no date".
pub fn parse_optional_date(input: &str, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    if input.trim().is_empty() || input.trim() == "-" {
        Ok(None)
    } else {
        parse_date(input, today).map(Some)
    }
}

/// Splits a quick touch's text into what happened and its next follow-up:
/// the last word starting with `@` is a date (`called, sends specs @fri`,
/// `@+2w`, `@2026-12-04`). The text without that word is returned; no `@`
/// word means no follow-up. An `@` word that is not a date is an error, so
/// a mistyped follow-up is never logged as plain text.
pub fn split_follow_up(
    text: &str,
    today: NaiveDate,
) -> Result<(String, Option<NaiveDate>), String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some(at) = words.iter().rposition(|w| w.starts_with('@')) else {
        return Ok((text.trim().to_string(), None));
    };
    let date = words[at].trim_start_matches('@');
    if date.is_empty() {
        return Err("type the follow-up date after @ — @fri, @+2w or @2026-12-04".into());
    }
    let due = parse_date(date, today)?;
    let rest: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != at)
        .map(|(_, w)| *w)
        .collect();
    Ok((rest.join(" "), Some(due)))
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    // 2026-11-23 is a Monday.
    #[rstest]
    #[case("2026-12-01", "2026-12-01")]
    #[case("2026/12/01", "2026-12-01")]
    #[case("today", "2026-11-23")]
    #[case("Tomorrow", "2026-11-24")]
    #[case("+3d", "2026-11-26")]
    #[case("+3", "2026-11-26")]
    #[case("-2d", "2026-11-21")]
    #[case("+2w", "2026-12-07")]
    #[case("+1m", "2026-12-23")]
    #[case("mon", "2026-11-30")]
    #[case("fri", "2026-11-27")]
    #[case("9999-12-31", "9999-12-31")]
    #[case("0001-01-01", "0001-01-01")]
    fn parses(#[case] input: &str, #[case] want: &str) {
        assert_eq!(parse_date(input, d("2026-11-23")), Ok(d(want)));
    }

    #[rstest]
    #[case("")]
    #[case("next year")]
    #[case("2026-13-01")]
    #[case("+d")]
    #[case("+99999999d")]
    #[case("0000-01-01")]
    fn refuses(#[case] input: &str) {
        assert!(parse_date(input, d("2026-11-23")).is_err());
    }

    #[test]
    fn blank_optional_is_none() {
        assert_eq!(parse_optional_date("  ", d("2026-11-23")), Ok(None));
    }

    // 2026-11-23 is a Monday.
    #[rstest]
    #[case("sends specs @fri", "sends specs", Some("2026-11-27"))]
    #[case("@+2w wants a demo", "wants a demo", Some("2026-12-07"))]
    #[case("quote @2026-12-04", "quote", Some("2026-12-04"))]
    #[case("mailed ann@example.cn", "mailed ann@example.cn", None)]
    #[case("no date", "no date", None)]
    fn a_quick_touch_takes_its_follow_up_after_an_at(
        #[case] typed: &str,
        #[case] text: &str,
        #[case] due: Option<&str>,
    ) {
        assert_eq!(
            split_follow_up(typed, d("2026-11-23")),
            Ok((text.to_string(), due.map(d)))
        );
    }

    #[test]
    fn a_mistyped_follow_up_is_refused_not_logged_as_text() {
        let err = split_follow_up("call back @fry", d("2026-11-23")).unwrap_err();
        assert!(err.starts_with("'fry' is not a date"), "{err}");
        assert!(split_follow_up("call back @", d("2026-11-23")).is_err());
    }
}
