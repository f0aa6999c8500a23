//! The one paged list every tab uses (customers, deals, products,
//! activities): the ids of the whole list in display order (filtered and
//! sorted by the store, on a background connection for a big or file
//! book), the cursor, and only the records around the visible window.
//!
//! What a list holds per row is its kind's entry: a bare id for customers
//! (8 bytes a customer, so a million-customer list is 8 MB), a
//! [`ListEntry`] for the other kinds (the board groups and totals by its
//! stage and amount).

use crate::store::{CustomerRow, CustomerSort, ListEntry, ListSort, TagMap};
use ratatui::layout::Constraint;
use std::collections::HashMap;

/// Records kept around the visible window, in screens.
const WINDOW_SCREENS: usize = 3;

/// What a cell is computed from.
pub struct Ctx<'a> {
    pub tags: &'a TagMap,
    /// Customer names by id.
    pub names: &'a HashMap<i64, String>,
    /// On a team book: the records' owners by id.
    pub owners: &'a HashMap<i64, String>,
}

impl Ctx<'_> {
    /// The owner of record `id` (team books), if known.
    pub fn owner(&self, id: i64) -> &str {
        self.owners.get(&id).map(String::as_str).unwrap_or("")
    }

    pub fn tag(&self, id: i64, dimension: &str) -> Option<&str> {
        self.tags
            .get(&id)
            .and_then(|t| t.iter().find(|(d, _)| d == dimension))
            .map(|(_, v)| v.as_str())
    }

    pub fn name(&self, id: Option<i64>) -> &str {
        id.and_then(|i| self.names.get(&i))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// One column of a tab's table.
pub struct Column<R> {
    pub title: &'static str,
    pub width: Constraint,
    pub text: fn(&R, &Ctx) -> String,
    /// How the store orders the list by this column.
    pub sort: ListSort,
    /// Shown as a tag chip of this dimension.
    pub chip: Option<&'static str>,
}

/// A record a list shows.
pub trait Listed: Clone {
    fn id(&self) -> i64;
}

impl Listed for CustomerRow {
    fn id(&self) -> i64 {
        self.id
    }
}

/// One row of a list's whole order.
pub trait Entry: Copy {
    fn id(&self) -> i64;
    /// The entry of a record known only by its id (a search hit).
    fn of_id(id: i64) -> Self;
}

impl Entry for i64 {
    fn id(&self) -> i64 {
        *self
    }
    fn of_id(id: i64) -> Self {
        id
    }
}

impl Entry for ListEntry {
    fn id(&self) -> i64 {
        self.id
    }
    fn of_id(id: i64) -> Self {
        ListEntry {
            id,
            stage: 0,
            amount: 0,
            currency: [0; 3],
        }
    }
}

/// A list's order: customers sort by a [`CustomerSort`], the other kinds
/// by a column of their table (None: the store's order).
pub trait SortKey: Copy + PartialEq + Default + std::fmt::Debug {}
impl SortKey for CustomerSort {}
impl SortKey for Option<usize> {}

/// The customer list: ids only.
pub type CustomerRecords = RecordList<i64, CustomerRow, crate::store::CustomerFile, CustomerSort>;

#[derive(Debug, Clone)]
pub struct RecordList<E, R, F, S = Option<usize>> {
    /// The whole list in display order.
    pub entries: Vec<E>,
    /// The records loaded around the window (and the board's cards).
    pub rows: HashMap<i64, R>,
    pub tags: TagMap,
    pub names: HashMap<i64, String>,
    /// On a team book: who owns the loaded records.
    pub owners: HashMap<i64, String>,
    /// Ids last asked for (so they are not asked for twice).
    requested: Vec<i64>,
    pub cursor: usize,
    pub offset: usize,
    pub sort: S,
    pub descending: bool,
    /// Only records tagged `dimension = value` (`f`).
    pub filter: Option<(String, String)>,
    pub loaded: bool,
    /// Only the first page of ids is here; the full list is on its way.
    pub partial: bool,
    /// Needs loading again (a write happened, the order or filter changed).
    pub stale: bool,
    /// An id list is on its way; answers for an older `generation` are
    /// dropped.
    pub loading: bool,
    pub generation: u64,
    pub detail: Option<F>,
    /// The record whose detail is shown (`detail`), and the one asked for.
    detail_id: Option<i64>,
    pub detail_for: Option<i64>,
    /// Select this id when the list arrives (a jump from the dashboard or
    /// a search, a saved record).
    pub select: Option<i64>,
    /// Lines the detail pane is scrolled by (J/K).
    pub detail_scroll: u16,
}

impl<E, R, F, S: Default> Default for RecordList<E, R, F, S> {
    fn default() -> Self {
        RecordList {
            entries: Vec::new(),
            rows: HashMap::new(),
            tags: TagMap::new(),
            names: HashMap::new(),
            owners: HashMap::new(),
            requested: Vec::new(),
            cursor: 0,
            offset: 0,
            sort: S::default(),
            descending: false,
            filter: None,
            loaded: false,
            partial: false,
            stale: true,
            loading: false,
            generation: 0,
            detail: None,
            detail_id: None,
            detail_for: None,
            select: None,
            detail_scroll: 0,
        }
    }
}

impl<E: Entry, R: Listed, F, S: SortKey> RecordList<E, R, F, S> {
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            tags: &self.tags,
            names: &self.names,
            owners: &self.owners,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn selected_id(&self) -> Option<i64> {
        self.entries.get(self.cursor).map(Entry::id)
    }

    /// The selected record, once it is loaded.
    pub fn selected(&self) -> Option<&R> {
        self.rows.get(&self.selected_id()?)
    }

    /// The shown detail, if it belongs to the selected record.
    pub fn selected_file(&self) -> Option<&F> {
        self.detail
            .as_ref()
            .filter(|_| self.detail_id.is_some() && self.detail_id == self.selected_id())
    }

    /// The loaded records, in list order.
    pub fn in_order(&self) -> impl Iterator<Item = &R> {
        self.entries.iter().filter_map(|e| self.rows.get(&e.id()))
    }

    /// The record at list position `i`, if loaded.
    pub fn row(&self, i: usize) -> Option<&R> {
        self.rows.get(&self.entries.get(i)?.id())
    }

    /// The order or filter changed: asks for the list again (the old order
    /// stays on screen until the new one arrives, and the row selected then
    /// stays selected, so moving while a big sort runs is not undone).
    pub fn reorder(&mut self) {
        self.stale = true;
    }

    /// Reads the list again (after a write), then selects `select` (else
    /// the row selected when it arrives).
    pub fn reload(&mut self, select: Option<i64>) {
        if select.is_some() {
            self.select = select;
        }
        self.invalidate();
    }

    /// Starts loading the id list: returns the generation to tag it with.
    pub fn begin_load(&mut self) -> u64 {
        self.generation += 1;
        self.stale = false;
        self.loading = true;
        self.generation
    }

    /// A pending load will not be waited for (the tab was left): its answer
    /// is dropped and the list is loaded again when shown.
    pub fn abandon(&mut self) {
        if self.loading {
            self.loading = false;
            self.partial = false;
            self.generation += 1;
            self.stale = true;
        }
    }

    /// The id list arrived (`partial`: only its first page, the rest
    /// follows); false when it was stale and dropped.
    pub fn set_entries(
        &mut self,
        generation: u64,
        entries: Vec<E>,
        partial: bool,
        height: usize,
    ) -> bool {
        if generation != self.generation || !self.loading {
            return false;
        }
        let keep = if partial {
            self.select.or(self.selected_id())
        } else {
            self.select.take().or(self.selected_id())
        };
        let screen_row = self.cursor.saturating_sub(self.offset);
        self.entries = entries;
        self.loaded = true;
        self.loading = partial;
        self.partial = partial;
        self.rows.clear();
        self.requested.clear();
        self.detail_for = None;
        match keep.and_then(|id| self.position(id)) {
            Some(p) => {
                self.cursor = p;
                self.offset = p.saturating_sub(screen_row);
            }
            None => self.cursor = self.cursor.min(self.entries.len().saturating_sub(1)),
        }
        self.scroll(height);
        true
    }

    pub fn position(&self, id: i64) -> Option<usize> {
        self.entries.iter().position(|e| e.id() == id)
    }

    /// Records arrived; dropped when the list moved on.
    pub fn set_rows(
        &mut self,
        generation: u64,
        rows: Vec<R>,
        tags: TagMap,
        names: HashMap<i64, String>,
    ) {
        if generation != self.generation {
            return;
        }
        if self.rows.len() > 2_000 {
            self.rows.clear();
            self.tags.clear();
            self.names.clear();
        }
        self.rows.extend(rows.into_iter().map(|r| (r.id(), r)));
        self.tags.extend(tags);
        self.names.extend(names);
    }

    /// The owners of records that arrived (team books); dropped when the
    /// list moved on.
    pub fn set_owners(&mut self, generation: u64, owners: HashMap<i64, String>) {
        if generation != self.generation {
            return;
        }
        if self.owners.len() > 2_000 {
            self.owners.clear();
        }
        self.owners.extend(owners);
    }

    /// The owner of record `id` on a team book, once its row is loaded.
    pub fn owner(&self, id: i64) -> Option<&str> {
        self.owners.get(&id).map(String::as_str)
    }

    /// A record's detail arrived; kept when it is the one asked for.
    pub fn set_detail(&mut self, id: i64, file: F) {
        if self.detail_for == Some(id) {
            self.detail = Some(file);
            self.detail_id = Some(id);
        }
    }

    /// The ids of the window around the visible rows.
    pub fn window(&self, height: usize) -> Vec<i64> {
        let start = self.offset.saturating_sub(height);
        let end = (self.offset + height * WINDOW_SCREENS).min(self.entries.len());
        self.entries[start.min(end)..end]
            .iter()
            .map(Entry::id)
            .collect()
    }

    /// Of `wanted`, the ids to load now: none when all are here or were
    /// just asked for.
    pub fn missing(&mut self, wanted: Vec<i64>) -> Option<Vec<i64>> {
        if (self.loading && !self.partial) || wanted.iter().all(|id| self.rows.contains_key(id)) {
            return None;
        }
        if wanted == self.requested {
            return None;
        }
        self.requested = wanted.clone();
        Some(wanted)
    }

    pub fn move_by(&mut self, delta: isize, height: usize) {
        let last = self.entries.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize).saturating_add(delta).clamp(0, last) as usize;
        self.scroll(height);
    }

    /// Selects `id` if it is in the list.
    pub fn select_id(&mut self, id: i64, height: usize) -> bool {
        match self.position(id) {
            Some(p) => {
                self.cursor = p;
                self.scroll(height);
                true
            }
            None => false,
        }
    }

    fn scroll(&mut self, height: usize) {
        let h = height.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + h {
            self.offset = self.cursor + 1 - h;
        }
        // No empty space below the last row when the list could fill it.
        self.offset = self.offset.min(self.entries.len().saturating_sub(h));
    }

    /// Reverses the order shown: customers reverse the ids in place (a
    /// million ids reverse at once), the other kinds ask the store.
    pub fn reverse(&mut self, in_place: bool, height: usize) {
        self.descending = !self.descending;
        if in_place {
            self.entries.reverse();
            if !self.entries.is_empty() {
                self.cursor = self.entries.len() - 1 - self.cursor;
            }
            self.requested.clear();
            self.detail_for = None;
            self.move_by(0, height);
        } else {
            self.reorder();
        }
    }

    pub fn set_filter(&mut self, filter: Option<(String, String)>) {
        self.filter = filter;
        self.reorder();
    }

    /// The id whose detail should be loaded now, if not loaded yet.
    pub fn needs_detail(&mut self) -> Option<i64> {
        let id = self.selected_id()?;
        if self.detail_for == Some(id) {
            return None;
        }
        if self.detail.is_none() || self.detail_for.is_some() {
            self.detail_scroll = 0;
        }
        self.detail_for = Some(id);
        Some(id)
    }

    /// Forgets the records so they are loaded again.
    pub fn invalidate(&mut self) {
        self.stale = true;
        self.detail_for = None;
    }

    /// Narrows the list to `ids`, in that order (a search's hits). Entries
    /// of the list shown now are kept (the board groups and totals by
    /// them); a hit the list no longer holds (the query got shorter) sends
    /// for the whole list, which is narrowed again when it arrives.
    pub fn show_ids(&mut self, ids: &[i64]) {
        let known: HashMap<i64, E> = self.entries.iter().map(|e| (e.id(), *e)).collect();
        let mut missing = false;
        self.entries = ids
            .iter()
            .map(|&id| {
                known.get(&id).copied().unwrap_or_else(|| {
                    missing = true;
                    E::of_id(id)
                })
            })
            .collect();
        // A list load still on its way would undo the narrowing.
        self.abandon();
        self.stale = missing;
        self.loaded = true;
        self.cursor = 0;
        self.offset = 0;
        self.requested.clear();
        self.detail_for = None;
    }

    /// Narrows a reloaded list to `ids` again, in the list's new order
    /// (a sort keeps the search filter), keeping its selection.
    pub fn keep_ids(&mut self, ids: &[i64], rows: usize) {
        let selected = self.selected_id();
        let hits: std::collections::HashSet<i64> = ids.iter().copied().collect();
        self.entries.retain(|e| hits.contains(&e.id()));
        self.requested.clear();
        self.detail_for = None;
        self.cursor = 0;
        self.offset = 0;
        if let Some(id) = selected {
            self.select_id(id, rows);
        }
    }

    /// Selects record `id`; when the list as filtered does not hold it,
    /// the tag filter goes and the whole list is read with it selected.
    pub fn select_or_load(&mut self, id: i64, rows: usize) {
        if !(self.loaded && !self.stale && self.select_id(id, rows)) {
            self.filter = None;
            self.select = Some(id);
            self.invalidate();
        }
    }
}

impl<E: Entry, R: Listed, F> RecordList<E, R, F, Option<usize>> {
    /// Sorts by the next column (after the last one: store order).
    pub fn sort_next(&mut self, columns: &[Column<R>]) -> &'static str {
        self.sort = match self.sort {
            None => Some(0),
            Some(c) if c + 1 < columns.len() => Some(c + 1),
            Some(_) => None,
        };
        self.reorder();
        self.sort
            .and_then(|c| columns.get(c))
            .map(|c| c.title)
            .unwrap_or("sort-load-order")
    }

    /// The store's order for the current sort column.
    pub fn list_sort(&self, columns: &[Column<R>]) -> ListSort {
        self.sort
            .and_then(|c| columns.get(c))
            .map(|c| c.sort)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolls_a_million_rows_by_window() {
        let mut l = CustomerRecords::default();
        let g = l.begin_load();
        assert!(l.set_entries(g, (1..=1_000_000).collect(), false, 20));
        let first = l.missing(l.window(20)).expect("rows asked for");
        assert_eq!(first.len(), 60);
        l.move_by(1_000_000, 20);
        assert_eq!(l.selected_id(), Some(1_000_000));
        assert_eq!(l.offset, 1_000_000 - 20);
        let ids = l.missing(l.window(20)).expect("rows asked for");
        assert!(ids.len() <= 60);
        assert_eq!(ids.last(), Some(&1_000_000));
        // The same window is not requested twice.
        assert!(l.missing(l.window(20)).is_none());
    }

    #[test]
    fn a_customer_entry_is_eight_bytes() {
        assert_eq!(std::mem::size_of::<i64>(), 8);
        let l = CustomerRecords {
            entries: vec![1, 2, 3],
            ..Default::default()
        };
        assert_eq!(
            std::mem::size_of_val(l.entries.as_slice()),
            3 * 8,
            "customers keep a bare id per row"
        );
    }

    #[test]
    fn a_first_page_keeps_the_load_open_for_the_full_list() {
        let mut l = CustomerRecords::default();
        let g = l.begin_load();
        assert!(l.set_entries(g, (1..=200).collect(), true, 20));
        assert!(l.partial && l.loading);
        assert!(
            l.missing(l.window(20)).is_some(),
            "first rows shown at once"
        );
        assert!(l.set_entries(g, (1..=5000).collect(), false, 20));
        assert!(!l.partial && !l.loading);
        assert_eq!(l.len(), 5000);
    }
}
