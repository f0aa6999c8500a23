//! What an import did (or, dry, would do), row by row where it matters.

use serde::Serialize;

/// How many row-by-row lines a report keeps per action (counts are exact).
pub const KEEP_LINES: usize = 1_000;

/// What happened to one imported row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Created,
    Updated,
    Unchanged,
}

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// Physical line of the file where the row starts (1-based).
    pub line: u64,
    pub reason: String,
}

/// Something about an imported row that needs a look, though the row was
/// imported: a value kept out of its field, a likely duplicate kept apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Physical line of the file where the row starts (1-based).
    pub line: u64,
    pub message: String,
}

/// One imported row: its line, what happened, which record, its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Done {
    pub line: u64,
    pub action: Action,
    pub id: i64,
    pub label: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Every rejected row.
    pub rejected: Vec<Rejected>,
    /// Rows imported with something to look at (every one).
    pub warnings: Vec<Warning>,
    /// vCard properties no field shows, kept verbatim with their customers
    /// (a vCard export gives them back).
    pub kept_properties: std::collections::BTreeSet<String>,
    /// Blank rows skipped.
    pub blank: u64,
    /// Columns no field took (CSV).
    pub ignored_columns: Vec<String>,
    /// Set when a large import was classified by one sweep at the end
    /// (milliseconds it took) instead of row by row.
    pub classified_by_sweep_ms: Option<u128>,
    /// The first [`KEEP_LINES`] rows of each action.
    pub rows: Vec<Done>,
    /// The encoding the file was read as (`UTF-8`, `GBK`, `windows-1252`, …).
    pub encoding: Option<String>,
    #[serde(skip)]
    kept: [usize; 3],
}

impl ImportReport {
    /// Counts a row and keeps its line while there is room.
    pub fn done(&mut self, line: u64, action: Action, id: i64, label: &str) {
        let slot = match action {
            Action::Created => {
                self.created += 1;
                0
            }
            Action::Updated => {
                self.updated += 1;
                1
            }
            Action::Unchanged => {
                self.unchanged += 1;
                2
            }
        };
        if self.kept[slot] < KEEP_LINES {
            self.kept[slot] += 1;
            self.rows.push(Done {
                line,
                action,
                id,
                label: label.to_string(),
            });
        }
    }

    pub fn reject(&mut self, line: u64, reason: impl Into<String>) {
        self.rejected.push(Rejected {
            line,
            reason: reason.into(),
        });
    }

    pub fn warn(&mut self, line: u64, message: impl Into<String>) {
        self.warnings.push(Warning {
            line,
            message: message.into(),
        });
    }

    /// Whether anything needs the user's attention (rejected rows or warnings).
    pub fn needs_attention(&self) -> bool {
        !self.rejected.is_empty() || !self.warnings.is_empty()
    }

    /// One line: `created 3, updated 1, unchanged 0, rejected 2, warnings 1`.
    pub fn summary(&self) -> String {
        format!(
            "{}created {}, updated {}, unchanged {}, rejected {}, warnings {}{}",
            if self.dry_run {
                "dry run — would have "
            } else {
                ""
            },
            self.created,
            self.updated,
            self.unchanged,
            self.rejected.len(),
            self.warnings.len(),
            if self.blank > 0 {
                format!(" ({} blank rows skipped)", self.blank)
            } else {
                String::new()
            }
        )
    }
}
