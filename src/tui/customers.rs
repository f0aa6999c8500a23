//! State of the customer list: the sorted id list, the cursor, and the small
//! window of rows that is actually on screen.
//!
//! At a million customers the id list is 8 MB and built once per sort (in the
//! background for big books); moving the cursor is arithmetic on that list,
//! and only the ~100 rows around the visible window are ever fetched.

use super::effect::Effect;
use crate::store::{CustomerFile, CustomerRow, CustomerSort};
use std::collections::HashMap;
use std::ops::Range;

/// Rows fetched around the visible window, in screens.
const WINDOW_SCREENS: usize = 3;

#[derive(Debug, Default)]
pub struct CustomerList {
    pub sort: CustomerSort,
    pub descending: bool,
    /// Live customer ids in display order.
    pub ids: Vec<i64>,
    /// True once the first id list has arrived.
    pub loaded: bool,
    /// A new sort is being built.
    pub sorting: bool,
    /// Only the first page of ids is here; the full list is on its way.
    pub partial: bool,
    pub cursor: usize,
    /// First visible row.
    pub offset: usize,
    window: HashMap<i64, CustomerRow>,
    window_range: Range<usize>,
    /// The row range last requested (so it is not requested twice).
    requested: Option<Range<usize>>,
    /// The customer whose file is shown (or being loaded).
    pub detail: Option<CustomerFile>,
    detail_for: Option<i64>,
    /// Only customers with this tag (`f`).
    pub tag_filter: Option<(String, String)>,
}

impl CustomerList {
    pub fn selected_id(&self) -> Option<i64> {
        self.ids.get(self.cursor).copied()
    }

    /// The row at list position `i`, if it is in the loaded window.
    pub fn row(&self, i: usize) -> Option<&CustomerRow> {
        self.ids.get(i).and_then(|id| self.window.get(id))
    }

    pub fn selected_row(&self) -> Option<&CustomerRow> {
        self.row(self.cursor)
    }

    /// The shown file, if it belongs to the selected customer.
    pub fn selected_file(&self) -> Option<&CustomerFile> {
        self.detail
            .as_ref()
            .filter(|f| Some(f.customer.meta.id) == self.selected_id())
    }

    /// Moves the cursor by `delta` rows and scrolls so it stays visible.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        if self.ids.is_empty() {
            self.cursor = 0;
            self.offset = 0;
            return;
        }
        let last = self.ids.len() - 1;
        self.cursor = (self.cursor as isize + delta).clamp(0, last as isize) as usize;
        self.scroll_into_view(height);
    }

    pub fn move_to(&mut self, index: usize, height: usize) {
        self.cursor = index.min(self.ids.len().saturating_sub(1));
        self.scroll_into_view(height);
    }

    fn scroll_into_view(&mut self, height: usize) {
        let h = height.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + h {
            self.offset = self.cursor + 1 - h;
        }
        // No empty space below the last row when the list could fill it.
        let max_offset = self.ids.len().saturating_sub(h);
        self.offset = self.offset.min(max_offset);
    }

    /// Asks for a new sort; the list keeps showing the old order until the
    /// new id list arrives.
    pub fn request_sort(&mut self, sort: CustomerSort, descending: bool) -> Effect {
        self.sort = sort;
        self.descending = descending;
        self.sorting = true;
        // The row to keep selected is read when the list arrives, so moving
        // while a big sort runs is not undone.
        Effect::LoadIds {
            sort,
            select: None,
            first_load: !self.loaded,
            tag: self.tag_filter.clone(),
        }
    }

    /// Reloads the id list (after a write), then selects `select`.
    pub fn reload(&mut self, select: Option<i64>) -> Effect {
        self.sorting = true;
        Effect::LoadIds {
            sort: self.sort,
            select: select.or(self.selected_id()),
            first_load: !self.loaded,
            tag: self.tag_filter.clone(),
        }
    }

    /// A new id list arrived. Stale answers (for another sort) are dropped.
    pub fn set_ids(
        &mut self,
        sort: CustomerSort,
        mut ids: Vec<i64>,
        select: Option<i64>,
        height: usize,
    ) {
        if sort != self.sort {
            return;
        }
        if self.descending {
            ids.reverse();
        }
        let keep = select.or(self.selected_id());
        let old_cursor = self.cursor;
        self.ids = ids;
        self.loaded = true;
        self.sorting = false;
        self.partial = false;
        self.window.clear();
        self.window_range = 0..0;
        self.requested = None;
        self.detail_for = None;
        let pos = keep.and_then(|id| self.ids.iter().position(|x| *x == id));
        match pos {
            Some(p) => {
                // Keep the selected row where it was on screen when possible.
                let screen_row = old_cursor.saturating_sub(self.offset);
                self.cursor = p;
                self.offset = p.saturating_sub(screen_row);
                self.scroll_into_view(height);
            }
            None => self.move_to(old_cursor, height),
        }
    }

    /// Rows arrived for a window.
    pub fn set_rows(&mut self, range: Range<usize>, rows: Vec<CustomerRow>) {
        if self.requested.as_ref() != Some(&range) {
            return;
        }
        self.window = rows.into_iter().map(|r| (r.id, r)).collect();
        self.window_range = range;
    }

    /// A customer's file arrived.
    pub fn set_detail(&mut self, file: CustomerFile) {
        if Some(file.customer.meta.id) == self.detail_for {
            self.detail = Some(file);
        }
    }

    /// Forgets the loaded rows and file so they are fetched again.
    pub fn invalidate(&mut self) {
        self.window_range = 0..0;
        self.requested = None;
        self.detail_for = None;
    }

    /// What must be loaded for the current position: the window around the
    /// visible rows, and the selected customer's file.
    pub fn needs(&mut self, height: usize, with_detail: bool) -> Vec<Effect> {
        let mut out = Vec::new();
        if !self.loaded || self.ids.is_empty() {
            return out;
        }
        let visible = self.offset..(self.offset + height.max(1)).min(self.ids.len());
        let covered =
            self.window_range.start <= visible.start && visible.end <= self.window_range.end;
        if !covered {
            let start = self.offset.saturating_sub(height);
            let end = (self.offset + height * WINDOW_SCREENS).min(self.ids.len());
            let range = start..end.max(visible.end);
            if self.requested.as_ref() != Some(&range) {
                self.requested = Some(range.clone());
                out.push(Effect::LoadRows {
                    ids: self.ids[range.clone()].to_vec(),
                    range,
                });
            }
        }
        if with_detail {
            if let Some(id) = self.selected_id() {
                if self.detail_for != Some(id) {
                    self.detail_for = Some(id);
                    out.push(Effect::LoadDetail(id));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolls_a_million_rows_by_window() {
        let mut l = CustomerList::default();
        l.set_ids(CustomerSort::Id, (1..=1_000_000).collect(), None, 20);
        let first = l.needs(20, false);
        assert!(matches!(&first[0], Effect::LoadRows { ids, .. } if ids.len() == 60));
        l.move_by(1_000_000, 20);
        assert_eq!(l.selected_id(), Some(1_000_000));
        assert_eq!(l.offset, 1_000_000 - 20);
        let eff = l.needs(20, false);
        match &eff[0] {
            Effect::LoadRows { ids, range } => {
                assert!(ids.len() <= 60);
                assert_eq!(range.end, 1_000_000);
            }
            other => panic!("unexpected {other:?}"),
        }
        // The same window is not requested twice.
        assert!(l.needs(20, false).is_empty());
    }
}
