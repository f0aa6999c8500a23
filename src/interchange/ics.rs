//! Follow-up reminders as an iCalendar file (RFC 5545) that any calendar
//! app imports: one all-day event per reminder, on its due date.

use crate::store::{FollowUp, Occasion};
use chrono::{DateTime, Duration, Utc};

/// Content lines are folded at 75 octets (RFC 5545 §3.1).
const FOLD_AT: usize = 75;

/// The reminders as a complete VCALENDAR, CRLF line ends, folded lines.
/// `stamp` is the DTSTAMP of every event (when the file was written).
pub fn reminders_ics(reminders: &[FollowUp], stamp: DateTime<Utc>) -> String {
    calendar_ics(reminders, &[], stamp)
}

/// Follow-up reminders and customers' birthdays and anniversaries (one
/// all-day event each, repeating every year) as a complete VCALENDAR.
pub fn calendar_ics(
    reminders: &[FollowUp],
    occasions: &[Occasion],
    stamp: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//dossier//follow-up reminders//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    for r in reminders {
        line(&mut out, "BEGIN:VEVENT");
        // Stable per reminder, so importing the file again updates the
        // event instead of adding a second one.
        line(
            &mut out,
            &format!("UID:follow-up-{}@dossier", r.activity_id),
        );
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", r.due.format("%Y%m%d")),
        );
        let end = r.due + Duration::days(1);
        line(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
        );
        line(
            &mut out,
            &format!(
                "SUMMARY:{}",
                text(&format!("Follow up: {}", r.customer_name))
            ),
        );
        let description = format!(
            "{} on {}: {}\nCustomer #{}. Mark it done with: dossier done {}",
            r.kind, r.touched_on, r.summary, r.customer_id, r.activity_id
        );
        line(&mut out, &format!("DESCRIPTION:{}", text(&description)));
        line(&mut out, "TRANSP:TRANSPARENT");
        line(&mut out, "END:VEVENT");
    }
    for o in occasions {
        line(&mut out, "BEGIN:VEVENT");
        line(
            &mut out,
            &format!("UID:{}-{}@dossier", o.what, o.customer_id),
        );
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", o.date.format("%Y%m%d")),
        );
        let end = o.date + Duration::days(1);
        line(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
        );
        line(&mut out, "RRULE:FREQ=YEARLY");
        let what = if o.what == "birthday" {
            "Birthday"
        } else {
            "Anniversary"
        };
        line(
            &mut out,
            &format!("SUMMARY:{}", text(&format!("{what}: {}", o.customer_name))),
        );
        line(
            &mut out,
            &format!(
                "DESCRIPTION:{}",
                text(&format!("Customer #{} ({})", o.customer_id, o.day))
            ),
        );
        line(&mut out, "TRANSP:TRANSPARENT");
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// A TEXT value: backslash, semicolon, comma and newline escaped; other
/// control characters (not allowed in TEXT) dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so no physical line passes 75 octets,
/// never inside a UTF-8 character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > FOLD_AT {
            out.push_str("\r\n ");
            // The leading space counts towards the continuation line.
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn reminder(id: i64, name: &str, summary: &str) -> FollowUp {
        FollowUp {
            activity_id: id,
            customer_id: 7,
            customer_name: name.into(),
            due: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            summary: summary.into(),
            kind: "call".into(),
            touched_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        }
    }

    /// Unfolds per RFC 5545 §3.1: a CRLF followed by one space is removed.
    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "")
    }

    #[test]
    fn a_valid_calendar_with_crlf_and_folded_lines() {
        let long = "客户想要报价，下周五前回复; 价格要含运输 ".repeat(4);
        let stamp = DateTime::parse_from_rfc3339("2026-12-01T08:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let ics = reminders_ics(&[reminder(17, "张伟, 上海", &long)], stamp);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        // Every line ends in CRLF: no bare LF anywhere.
        assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
        for physical in ics.split("\r\n") {
            assert!(
                physical.len() <= FOLD_AT,
                "{} octets: {physical}",
                physical.len()
            );
        }
        assert!(ics.contains("\r\n "), "the long description is folded");
        let lines = unfold(&ics);
        for expected in [
            "UID:follow-up-17@dossier",
            "DTSTAMP:20261201T083000Z",
            "DTSTART;VALUE=DATE:20261204",
            "DTEND;VALUE=DATE:20261205",
            "SUMMARY:Follow up: 张伟\\, 上海",
        ] {
            assert!(
                lines.contains(&format!("{expected}\r\n")),
                "{expected}\n{lines}"
            );
        }
        let description = lines
            .split("\r\n")
            .find(|l| l.starts_with("DESCRIPTION:"))
            .unwrap();
        assert!(description.contains("下周五前回复\\; 价格要含运输"));
        assert!(description.contains("\\nCustomer #7. Mark it done with: dossier done 17"));
    }

    #[test]
    fn control_characters_never_reach_the_file() {
        let ics = reminders_ics(&[reminder(1, "A\x1b[2J", "x\ry")], Utc::now());
        assert!(!ics.contains('\x1b'));
        assert!(unfold(&ics).contains("SUMMARY:Follow up: A[2J\r\n"));
        assert!(unfold(&ics).contains("call on 2026-11-30: xy\\n"));
    }

    #[test]
    fn birthdays_repeat_every_year() {
        let o = Occasion {
            customer_id: 9,
            customer_name: "欧阳娜娜".into(),
            what: "birthday",
            date: NaiveDate::from_ymd_opt(2027, 3, 15).unwrap(),
            day: "1990-03-15".into(),
            years: Some(37),
        };
        let ics = unfold(&calendar_ics(&[], &[o], Utc::now()));
        for expected in [
            "UID:birthday-9@dossier",
            "DTSTART;VALUE=DATE:20270315",
            "DTEND;VALUE=DATE:20270316",
            "RRULE:FREQ=YEARLY",
            "SUMMARY:Birthday: 欧阳娜娜",
        ] {
            assert!(
                ics.contains(&format!("{expected}\r\n")),
                "{expected}\n{ics}"
            );
        }
    }

    #[test]
    fn an_empty_agenda_is_still_a_calendar() {
        let ics = reminders_ics(&[], Utc::now());
        assert_eq!(
            ics,
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//dossier//follow-up reminders//EN\r\n\
             CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n"
        );
    }
}
