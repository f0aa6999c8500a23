//! The trash as the TUI shows it: deleted records of every kind, most
//! recently deleted first, with restore and delete-for-good.

use crate::store::TrashEntry;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrashView {
    pub entries: Vec<TrashEntry>,
    pub cursor: usize,
    /// False until the first answer from the store.
    pub loaded: bool,
}

impl TrashView {
    pub fn selected(&self) -> Option<&TrashEntry> {
        self.entries.get(self.cursor)
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.entries.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// New entries from the store; the cursor stays on the same row number.
    pub fn set(&mut self, entries: Vec<TrashEntry>) {
        self.entries = entries;
        self.loaded = true;
        self.move_by(0);
    }
}
