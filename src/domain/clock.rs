use chrono::{DateTime, Local, NaiveDate, Utc};

/// Where "now" comes from. Tests and snapshots use a fixed instant so every
/// time-driven rule and every rendered date is reproducible.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock { fixed: None }
    }

    /// A clock stopped at `at`.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock { fixed: Some(at) }
    }

    /// A clock stopped at noon UTC of `day` (handy in tests).
    pub fn at_date(day: NaiveDate) -> Self {
        let at = day.and_hms_opt(12, 0, 0).expect("noon exists").and_utc();
        Clock::fixed(at)
    }

    /// Reads `DOSSIER_NOW` (RFC 3339 or YYYY-MM-DD) if set, else the system clock.
    /// Lets end-to-end tests and demos pin the date without code changes.
    pub fn from_env() -> Self {
        match std::env::var("DOSSIER_NOW") {
            Ok(v) if !v.trim().is_empty() => {
                if let Ok(t) = DateTime::parse_from_rfc3339(v.trim()) {
                    return Clock::fixed(t.with_timezone(&Utc));
                }
                if let Ok(d) = NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
                    return Clock::at_date(d);
                }
                Clock::system()
            }
            _ => Clock::system(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now)
    }

    /// Today's date: the fixed date, or the local calendar date.
    pub fn today(&self) -> NaiveDate {
        match self.fixed {
            Some(t) => t.date_naive(),
            None => Local::now().date_naive(),
        }
    }
}
