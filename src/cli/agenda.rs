//! `dossier agenda` and `dossier done`: the follow-up reminders outside the
//! terminal UI (a login message, a shell prompt, cron, a calendar app).

use super::output::to_json;
use crate::domain::text::sanitize_for_terminal;
use crate::store::{FollowUp, Occasion, Store};
use anyhow::{anyhow, Result};
use chrono::NaiveDate;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Reminders a text agenda lists before saying how many more there are:
/// it should fit a login message.
const TEXT_ROWS: usize = 20;
/// Summaries are cut to this many characters in the text agenda.
const SUMMARY_CHARS: usize = 40;

/// Birthdays and anniversaries are listed from today to this many days ahead.
pub const OCCASION_DAYS: i64 = 7;

/// One birthday or anniversary for scripts (`--json`).
#[derive(Serialize)]
struct OccasionLine<'a> {
    /// `birthday` or `anniversary`.
    status: &'static str,
    in_days: i64,
    #[serde(flatten)]
    occasion: &'a Occasion,
}

/// One reminder for scripts (`--json`).
#[derive(Serialize)]
struct AgendaLine<'a> {
    status: &'static str,
    days_overdue: i64,
    #[serde(flatten)]
    reminder: &'a FollowUp,
}

pub fn agenda(
    store: &Store,
    json: bool,
    ics: bool,
    (output, force): (Option<PathBuf>, bool),
) -> Result<ExitCode> {
    let today = store.clock().today();
    if ics {
        let path = output.ok_or_else(|| anyhow!("{}", crate::tr!("agenda-ics-needs-file")))?;
        // A calendar wants what is coming too, not only what is due.
        // (Dates are compared as ISO text, so the bound is a 4-digit year.)
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(today);
        let all = store.follow_ups_due(last, usize::MAX >> 1)?;
        // Every birthday and anniversary, as yearly events from the next one.
        let days = store.occasions(today, today + chrono::Duration::days(366))?;
        let text = crate::interchange::ics::calendar_ics(&all, &days, store.clock().now());
        // Like every file dossier writes: private, renamed into place, never
        // over the book, a link or (without --force) an existing file.
        let mut file = store
            .output_file(&path, force)
            .map_err(|e| anyhow!("{}", crate::tr!("file-not-written", error = e.to_string())))?;
        file.file().write_all(text.as_bytes()).map_err(|e| {
            anyhow!(
                "{}",
                crate::tr!(
                    "file-cannot-write",
                    path = path.display().to_string(),
                    error = e.to_string()
                )
            )
        })?;
        file.commit()
            .map_err(|e| anyhow!("{}", crate::tr!("file-not-written", error = e.to_string())))?;
        println!(
            "{}",
            crate::tr!(
                "agenda-ics-written",
                reminders = all.len(),
                occasions = days.len(),
                path = path.display().to_string()
            )
        );
        return Ok(ExitCode::SUCCESS);
    }
    if output.is_some() {
        return Err(anyhow!("{}", crate::tr!("agenda-output-needs-ics")));
    }
    let total = store.count_follow_ups_due(today)?;
    let limit = if json { usize::MAX >> 1 } else { TEXT_ROWS };
    let due = store.follow_ups_due(today, limit)?;
    let days = store.occasions(today, today + chrono::Duration::days(OCCASION_DAYS))?;
    if json {
        for o in &days {
            let line = OccasionLine {
                status: o.what,
                in_days: (o.date - today).num_days(),
                occasion: o,
            };
            println!("{}", super::output::terminal_safe_json(to_json(&line)?));
        }
        for f in &due {
            let line = AgendaLine {
                status: if f.due < today {
                    "overdue"
                } else {
                    "due_today"
                },
                days_overdue: (today - f.due).num_days(),
                reminder: f,
            };
            println!("{}", super::output::terminal_safe_json(to_json(&line)?));
        }
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", agenda_text(&due, total, today));
    print!("{}", occasions_text(&days, today));
    Ok(ExitCode::SUCCESS)
}

/// Birthdays and anniversaries of the coming days, one line each (nothing
/// when there are none).
fn occasions_text(days: &[Occasion], today: NaiveDate) -> String {
    if days.is_empty() {
        return String::new();
    }
    let mut out = format!("{}\n", crate::tr!("agenda-occasions", days = OCCASION_DAYS));
    for o in days {
        let when = match (o.date - today).num_days() {
            0 => crate::tr!("agenda-today"),
            1 => crate::tr!("agenda-tomorrow"),
            n => crate::tr!("agenda-in-days", count = n),
        };
        let years = o.years.map(|y| format!(" ({y})")).unwrap_or_default();
        let what = match o.what {
            "birthday" => crate::tr!("agenda-birthday"),
            "anniversary" => crate::tr!("agenda-anniversary"),
            other => other.to_string(),
        };
        out.push_str(&format!(
            "  {} {} (#{}) — {what}{years}, {}\n",
            super::output::pad(&when, 13),
            sanitize_for_terminal(&o.customer_name),
            o.customer_id,
            o.date
        ));
    }
    out
}

/// The text agenda: a headline with the counts, then one line per reminder.
fn agenda_text(due: &[FollowUp], total: i64, today: NaiveDate) -> String {
    if total == 0 {
        return format!("{}\n", crate::tr!("agenda-none", today = today.to_string()));
    }
    let overdue = due.iter().filter(|f| f.due < today).count();
    let mut out = crate::tr!("agenda-due", count = total, today = today.to_string());
    if overdue > 0 && total as usize == due.len() {
        out.push_str(&crate::tr!("agenda-overdue", count = overdue));
    }
    out.push_str(":\n");
    for f in due {
        let late = (today - f.due).num_days();
        let when = match late {
            0 => crate::tr!("agenda-today"),
            n => crate::tr!("agenda-days-late", count = n),
        };
        let mut summary: String = sanitize_for_terminal(&f.summary)
            .chars()
            .take(SUMMARY_CHARS)
            .collect();
        if f.summary.chars().count() > SUMMARY_CHARS {
            summary.push('…');
        }
        out.push_str(&format!(
            "  {} {} (#{}) — {} {}: {summary}  [{}]\n",
            super::output::pad(&when, 13),
            sanitize_for_terminal(&f.customer_name),
            f.customer_id,
            super::output::activity_kind(&f.kind),
            f.touched_on,
            crate::tr!("agenda-done-hint", id = f.activity_id)
        ));
    }
    if (due.len() as i64) < total {
        out.push_str(&format!(
            "  {}\n",
            crate::tr!("agenda-more", count = total - due.len() as i64)
        ));
    }
    out
}

pub fn done(store: &mut Store, id: i64) -> Result<ExitCode> {
    let done = store.mark_follow_up_done(id).map_err(|e| match e {
        crate::store::StoreError::Invalid(v) => anyhow!("{v}"),
        e => anyhow!("{e}"),
    })?;
    let a = &done.record;
    let who = match a.customer_id {
        Some(c) => store
            .customer(c)
            .map(|c| sanitize_for_terminal(&c.name))
            .unwrap_or_else(|_| crate::tr!("done-customer-id", id = c)),
        None => String::new(),
    };
    println!(
        "{}",
        crate::tr!(
            "done-marked",
            due = a.next_follow_up.map(|d| d.to_string()).unwrap_or_default(),
            who = who,
            id = id
        )
    );
    for c in &done.changes {
        println!(
            "  {}",
            crate::tr!(
                "done-tag",
                kind = c.kind.name(),
                change = sanitize_for_terminal(&c.to_string())
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn due(id: i64, on: &str) -> FollowUp {
        FollowUp {
            activity_id: id,
            customer_id: 3,
            customer_name: "张伟".into(),
            due: d(on),
            summary: "asked for a quote on 20 forklifts with delivery to Ningbo".into(),
            kind: "call".into(),
            touched_on: d("2026-11-20"),
        }
    }

    #[test]
    fn birthdays_say_when_and_how_many_years() {
        let o = |id, what, date: &str, day: &str, years| Occasion {
            customer_id: id,
            customer_name: "欧阳娜娜".into(),
            what,
            date: d(date),
            day: day.into(),
            years,
        };
        let text = occasions_text(
            &[
                o(4, "birthday", "2026-12-01", "1990-12-01", Some(36)),
                o(5, "anniversary", "2026-12-03", "--12-03", None),
            ],
            d("2026-12-01"),
        );
        assert_eq!(
            text,
            "Birthdays and anniversaries in the next 7 days:\n\
             \x20 today         欧阳娜娜 (#4) — birthday (36), 2026-12-01\n\
             \x20 in 2 days     欧阳娜娜 (#5) — anniversary, 2026-12-03\n"
        );
        assert_eq!(occasions_text(&[], d("2026-12-01")), "");
    }

    #[test]
    fn the_agenda_says_how_late_each_one_is() {
        let text = agenda_text(
            &[due(17, "2026-11-28"), due(18, "2026-12-01")],
            2,
            d("2026-12-01"),
        );
        assert_eq!(
            text,
            "2 follow-ups due by today (2026-12-01), 1 overdue:\n\
             \x20 3 days late   张伟 (#3) — call 2026-11-20: asked for a quote on 20 forklifts with d…  [done: dossier done 17]\n\
             \x20 today         张伟 (#3) — call 2026-11-20: asked for a quote on 20 forklifts with d…  [done: dossier done 18]\n"
        );
        assert_eq!(
            agenda_text(&[], 0, d("2026-12-01")),
            "No follow-ups due today (2026-12-01).\n"
        );
        let cut = agenda_text(&[due(17, "2026-11-28")], 25, d("2026-12-01"));
        assert!(
            cut.starts_with("25 follow-ups due by today (2026-12-01):\n"),
            "{cut}"
        );
        assert!(cut.ends_with("… and 24 more: dossier agenda --json lists them all\n"));
    }
}
