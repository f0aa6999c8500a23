//! Dates as a salesperson types them.

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

/// Parses `2026-11-23`, `2026/11/23`, `2026年11月23日`, `today`,
/// `tomorrow`, `yesterday`, `+3d`, `-2d`, `+2w`, `+1m`, `+1y`, weekday
/// names (`mon`, `friday`: the next such day after today), and the same in
/// Chinese: `今天`, `明天`, `后天`, `昨天`, `+3天`, `+2周`, `+1个月`, `+1年`,
/// `3天后`, `周五` / `星期五` (the next Friday), `下周五` (Friday of next
/// week), `本周五`.
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let s = input.trim().to_lowercase();
    let bad = || {
        crate::tr!(
            "date-invalid",
            input = super::text::cut_for_message(input.trim())
        )
    };
    match s.as_str() {
        "" => return Err(crate::tr!("date-required")),
        "today" | "t" | "今天" | "今日" => return Ok(today),
        "tomorrow" | "tm" | "明天" | "明日" => return Ok(today + Duration::days(1)),
        "后天" => return Ok(today + Duration::days(2)),
        "yesterday" | "昨天" => return Ok(today - Duration::days(1)),
        "前天" => return Ok(today - Duration::days(2)),
        _ => {}
    }
    if let Some(d) = chinese_week_day(&s, today) {
        return Ok(d);
    }
    if let Some(day) = weekday(&s) {
        let mut d = today + Duration::days(1);
        while d.weekday() != day {
            d += Duration::days(1);
        }
        return Ok(d);
    }
    // `3天后` is `+3天`; `3天前` is `-3天`.
    let s = match (s.strip_suffix('后'), s.strip_suffix('前')) {
        (Some(n), _) if !n.starts_with(['+', '-']) => format!("+{n}"),
        (_, Some(n)) if !n.starts_with(['+', '-']) => format!("-{n}"),
        _ => s,
    };
    if let Some(rest) = s.strip_prefix('+').or_else(|| s.strip_prefix('-')) {
        let sign: i64 = if s.starts_with('-') { -1 } else { 1 };
        let rest = rest
            .replace("个月", "m")
            .replace("天", "d")
            .replace("日", "d")
            .replace("周", "w")
            .replace("星期", "w")
            .replace("月", "m")
            .replace("年", "y");
        let rest = rest.as_str();
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
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"] {
        if let Ok(d) = NaiveDate::parse_from_str(&s, fmt) {
            // Four-digit years: dates are stored as YYYY-MM-DD text, which
            // sorts and compares correctly only within them.
            if (1..=9999).contains(&d.year()) {
                return Ok(d);
            }
            return Err(crate::tr!(
                "date-out-of-range",
                input = super::text::cut_for_message(input.trim())
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
        return Err(crate::tr!("date-follow-up-missing"));
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

/// `周五`, `星期五`, `礼拜五` (the next Friday after today, like `fri`),
/// `本周五` / `这周五` (this week's, Monday first) and `下周五` (next week's).
fn chinese_week_day(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (week, rest) = if let Some(r) = s.strip_prefix("下下") {
        (2, r)
    } else if let Some(r) = s.strip_prefix('下') {
        (1, r)
    } else if let Some(r) = s.strip_prefix('本').or_else(|| s.strip_prefix('这')) {
        (0, r)
    } else {
        (-1, s)
    };
    let name = ["星期", "礼拜", "周"]
        .iter()
        .find_map(|p| rest.strip_prefix(p))?;
    let day = match name {
        "一" | "1" => Weekday::Mon,
        "二" | "2" => Weekday::Tue,
        "三" | "3" => Weekday::Wed,
        "四" | "4" => Weekday::Thu,
        "五" | "5" => Weekday::Fri,
        "六" | "6" => Weekday::Sat,
        "日" | "天" | "七" | "7" => Weekday::Sun,
        _ => return None,
    };
    if week < 0 {
        let mut d = today + Duration::days(1);
        while d.weekday() != day {
            d += Duration::days(1);
        }
        return Some(d);
    }
    let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    Some(monday + Duration::weeks(week) + Duration::days(day.num_days_from_monday() as i64))
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
    #[case("今天", "2026-11-23")]
    #[case("明天", "2026-11-24")]
    #[case("后天", "2026-11-25")]
    #[case("昨天", "2026-11-22")]
    #[case("+3天", "2026-11-26")]
    #[case("3天后", "2026-11-26")]
    #[case("+2周", "2026-12-07")]
    #[case("+1个月", "2026-12-23")]
    #[case("+1年", "2027-11-23")]
    #[case("周五", "2026-11-27")]
    #[case("星期五", "2026-11-27")]
    #[case("本周五", "2026-11-27")]
    #[case("下周五", "2026-12-04")]
    #[case("下周一", "2026-11-30")]
    #[case("周日", "2026-11-29")]
    #[case("2026年12月4日", "2026-12-04")]
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
    #[case("周八")]
    #[case("+天")]
    #[case("下个")]
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
    #[case("发报价 @下周五", "发报价", Some("2026-12-04"))]
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
