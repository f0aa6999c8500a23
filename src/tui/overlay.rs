//! Small overlays: a yes/no question, and the quick touch entry
//! (`t`, a kind letter, the text, Enter).

use super::field::input_request;
use crate::domain::dates::split_follow_up;
use crate::domain::{Activity, ActivityKind, Sentiment};
use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;

/// What a "yes" does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Move a record of any kind to the trash.
    Delete {
        kind: crate::domain::Kind,
        id: i64,
        version: i64,
        name: String,
    },
    DiscardForm,
    DiscardAndQuit,
    /// Quit dossier (Ctrl-C with nothing to lose).
    Quit,
    LoadDemo,
    /// Delete a record in the trash for good.
    Purge {
        kind: crate::domain::Kind,
        id: i64,
        label: String,
    },
    /// Fold customer `duplicate` into `keep`.
    Merge {
        keep: i64,
        duplicate: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub question: String,
    pub pending: Pending,
}

impl Confirm {
    pub fn new(question: impl Into<String>, pending: Pending) -> Confirm {
        Confirm {
            question: question.into(),
            pending,
        }
    }
}

/// Logging a touch on one customer.
#[derive(Debug, Clone)]
pub struct TouchEntry {
    pub customer_id: i64,
    pub name: String,
    /// None until the kind letter is typed.
    pub kind: Option<ActivityKind>,
    pub input: Input,
    pub problem: Option<String>,
}

impl TouchEntry {
    pub fn new(customer_id: i64, name: &str) -> TouchEntry {
        TouchEntry {
            customer_id,
            name: name.to_string(),
            kind: None,
            input: Input::default(),
            problem: None,
        }
    }

    /// A key for the text, once the kind is chosen (the kind and Enter
    /// are key-map actions).
    pub fn edit(&mut self, key: &KeyEvent) {
        if let Some(req) = input_request(key) {
            self.input.handle(req);
        }
    }

    /// The activity, if a kind and some text were given.
    pub fn finish(&mut self, today: NaiveDate) -> Option<Activity> {
        let kind = self.kind?;
        let typed = self.input.value().trim();
        // A leading + or - says how it went (feeds the feedback tag).
        let (sentiment, summary) = match typed.chars().next() {
            Some('+') => (Some(Sentiment::Positive), typed[1..].trim().to_string()),
            Some('-') => (Some(Sentiment::Negative), typed[1..].trim().to_string()),
            _ => (None, typed.to_string()),
        };
        let (summary, next_follow_up) = match split_follow_up(&summary, today) {
            Ok(split) => split,
            Err(e) => {
                self.problem = Some(crate::tr!(
                    "touch-follow-up-problem",
                    problem = e.to_string()
                ));
                return None;
            }
        };
        if summary.is_empty() {
            self.problem = Some(super::labels::t("touch-empty"));
            return None;
        }
        Some(Activity {
            kind,
            customer_id: Some(self.customer_id),
            date: today,
            summary,
            sentiment,
            next_follow_up,
            ..Default::default()
        })
    }

    /// What the `@` word typed so far means, shown as the text is typed
    /// ("→ 2026-12-04 Fri"), or why it is not a date yet.
    pub fn follow_up_preview(&self, today: NaiveDate) -> Option<Result<NaiveDate, String>> {
        self.kind?;
        match split_follow_up(self.input.value(), today) {
            Ok((_, None)) => None,
            Ok((_, Some(due))) => Some(Ok(due)),
            Err(e) => Some(Err(e)),
        }
    }
}
