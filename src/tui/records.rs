//! A paged record list (deals, products, activities), kept the way the
//! customer list is: the ids of the whole list in display order (filtered
//! and sorted by the store, on a background connection for a file book),
//! the cursor, and only the records on screen.

use crate::store::{ListEntry, ListSort, TagMap};
use ratatui::layout::Constraint;
use std::collections::HashMap;

/// Records kept around the visible window, in screens.
const WINDOW_SCREENS: usize = 3;

/// What a cell is computed from.
pub struct Ctx<'a> {
    pub tags: &'a TagMap,
    /// Customer names by id.
    pub names: &'a HashMap<i64, String>,
}

impl Ctx<'_> {
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

/// A record a tab lists.
pub trait Listed: Clone {
    fn id(&self) -> i64;
}

#[derive(Debug, Clone)]
pub struct RecordList<R, F> {
    /// The whole list in display order.
    pub entries: Vec<ListEntry>,
    /// The records loaded around the window (and the board's cards).
    pub rows: HashMap<i64, R>,
    pub tags: TagMap,
    pub names: HashMap<i64, String>,
    /// Ids last asked for (so they are not asked for twice).
    requested: Vec<i64>,
    pub cursor: usize,
    pub offset: usize,
    /// Sort column (index into the tab's columns); None is store order.
    pub sort: Option<usize>,
    pub descending: bool,
    /// Only records tagged `dimension = value`.
    pub filter: Option<(String, String)>,
    pub loaded: bool,
    /// Needs loading again (a write happened, the order or filter changed).
    pub stale: bool,
    /// An id list is on its way; answers for an older `generation` are
    /// dropped.
    pub loading: bool,
    pub generation: u64,
    pub detail: Option<F>,
    pub detail_for: Option<i64>,
    /// Select this id when the list arrives (a jump from the dashboard, a
    /// saved record).
    pub select: Option<i64>,
    /// Lines the detail pane is scrolled by (J/K).
    pub detail_scroll: u16,
}

impl<R, F> Default for RecordList<R, F> {
    fn default() -> Self {
        RecordList {
            entries: Vec::new(),
            rows: HashMap::new(),
            tags: TagMap::new(),
            names: HashMap::new(),
            requested: Vec::new(),
            cursor: 0,
            offset: 0,
            sort: None,
            descending: false,
            filter: None,
            loaded: false,
            stale: true,
            loading: false,
            generation: 0,
            detail: None,
            detail_for: None,
            select: None,
            detail_scroll: 0,
        }
    }
}

impl<R: Listed, F> RecordList<R, F> {
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            tags: &self.tags,
            names: &self.names,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn selected_id(&self) -> Option<i64> {
        self.entries.get(self.cursor).map(|e| e.id)
    }

    /// The selected record, once it is loaded.
    pub fn selected(&self) -> Option<&R> {
        self.rows.get(&self.selected_id()?)
    }

    /// The loaded records, in list order.
    pub fn in_order(&self) -> impl Iterator<Item = &R> {
        self.entries.iter().filter_map(|e| self.rows.get(&e.id))
    }

    /// The record at list position `i`, if loaded.
    pub fn row(&self, i: usize) -> Option<&R> {
        self.rows.get(&self.entries.get(i)?.id)
    }

    /// The order or filter changed: asks for the list again (the old order
    /// stays on screen until the new one arrives, and the row selected then
    /// stays selected, so moving while a big sort runs is not undone).
    pub fn reorder(&mut self) {
        self.stale = true;
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
            self.generation += 1;
            self.stale = true;
        }
    }

    /// The id list arrived; false when it was stale and dropped.
    pub fn set_entries(&mut self, generation: u64, entries: Vec<ListEntry>, height: usize) -> bool {
        if generation != self.generation || !self.loading {
            return false;
        }
        let keep = self.select.take().or(self.selected_id());
        let screen_row = self.cursor.saturating_sub(self.offset);
        self.entries = entries;
        self.loaded = true;
        self.loading = false;
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

    fn position(&self, id: i64) -> Option<usize> {
        self.entries.iter().position(|e| e.id == id)
    }

    /// Records arrived for `ids`; dropped when the list moved on.
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

    /// The ids of the window around the visible rows.
    pub fn window(&self, height: usize) -> Vec<i64> {
        let start = self.offset.saturating_sub(height);
        let end = (self.offset + height * WINDOW_SCREENS).min(self.entries.len());
        self.entries[start.min(end)..end]
            .iter()
            .map(|e| e.id)
            .collect()
    }

    /// Of `wanted`, the ids to load now: none when all are here or were
    /// just asked for.
    pub fn missing(&mut self, wanted: Vec<i64>) -> Option<Vec<i64>> {
        if self.loading || wanted.iter().all(|id| self.rows.contains_key(id)) {
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
        self.offset = self.offset.min(self.entries.len().saturating_sub(h));
    }

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
            .unwrap_or("load order")
    }

    /// The store's order for the current sort column.
    pub fn list_sort(&self, columns: &[Column<R>]) -> ListSort {
        self.sort
            .and_then(|c| columns.get(c))
            .map(|c| c.sort)
            .unwrap_or_default()
    }

    pub fn reverse(&mut self) {
        self.descending = !self.descending;
        self.reorder();
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
}
