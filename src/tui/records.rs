//! A list held whole in memory (deals, products, activities): the records,
//! their tags, a view filtered by one tag and sorted by one column, the
//! cursor, and the detail of the selected record.

use crate::store::TagMap;
use ratatui::layout::Constraint;
use std::collections::HashMap;

/// Records a tab lists this many at most (newest first would need paging;
/// a salesperson's pipeline and catalogue are far smaller).
pub const LIST_LIMIT: usize = 5_000;

/// What a cell and its sort key are computed from.
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

/// How a column sorts: numbers before text, so amounts and dates sort as
/// values.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    Num(i64),
    Text(String),
}

/// One column of a tab's table.
pub struct Column<R> {
    pub title: &'static str,
    pub width: Constraint,
    pub text: fn(&R, &Ctx) -> String,
    pub key: fn(&R, &Ctx) -> Key,
    /// Shown as a tag chip of this dimension.
    pub chip: Option<&'static str>,
}

/// A record a tab lists.
pub trait Listed: Clone {
    fn id(&self) -> i64;
}

/// The order tag values sort in (best first); unknown values after.
pub fn tag_rank(value: Option<&str>) -> Key {
    const ORDER: [&str; 16] = [
        "high", "big", "hot", "urgent", "medium", "mid", "normal", "low", "small", "slow",
        "online", "offline", "large", "long", "short", "none",
    ];
    match value {
        Some(v) => match ORDER.iter().position(|o| *o == v) {
            Some(i) => Key::Num(i as i64),
            None => Key::Text(v.to_string()),
        },
        None => Key::Text("\u{10FFFF}".into()),
    }
}

#[derive(Debug, Clone)]
pub struct RecordList<R, F> {
    pub all: Vec<R>,
    pub tags: TagMap,
    pub names: HashMap<i64, String>,
    /// Indices into `all`, filtered and sorted.
    pub view: Vec<usize>,
    pub cursor: usize,
    pub offset: usize,
    /// Sort column (index into the tab's columns); None is load order.
    pub sort: Option<usize>,
    pub descending: bool,
    /// Only records tagged `dimension = value`.
    pub filter: Option<(String, String)>,
    pub loaded: bool,
    /// Needs loading again (a write happened elsewhere).
    pub stale: bool,
    pub detail: Option<F>,
    pub detail_for: Option<i64>,
    /// Select this id when the list arrives (a jump from the dashboard).
    pub select: Option<i64>,
    /// Lines the detail pane is scrolled by (J/K).
    pub detail_scroll: u16,
}

impl<R, F> Default for RecordList<R, F> {
    fn default() -> Self {
        RecordList {
            all: Vec::new(),
            tags: TagMap::new(),
            names: HashMap::new(),
            view: Vec::new(),
            cursor: 0,
            offset: 0,
            sort: None,
            descending: false,
            filter: None,
            loaded: false,
            stale: true,
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

    pub fn selected(&self) -> Option<&R> {
        self.view.get(self.cursor).and_then(|i| self.all.get(*i))
    }

    pub fn selected_id(&self) -> Option<i64> {
        self.selected().map(Listed::id)
    }

    /// The records in view, in order.
    pub fn rows(&self) -> impl Iterator<Item = &R> {
        self.view.iter().filter_map(|i| self.all.get(*i))
    }

    /// New records arrived: keep the selection (or select `select`).
    pub fn set(
        &mut self,
        all: Vec<R>,
        tags: TagMap,
        names: HashMap<i64, String>,
        columns: &[Column<R>],
        height: usize,
    ) {
        let keep = self.select.take().or(self.selected_id());
        self.all = all;
        self.tags = tags;
        self.names = names;
        self.loaded = true;
        self.stale = false;
        self.detail_for = None;
        if let Some(id) = keep {
            if self.filter.is_some() && !self.all.iter().any(|r| r.id() == id && self.passes(r)) {
                self.filter = None;
            }
        }
        self.rebuild(columns, keep, height);
    }

    fn passes(&self, r: &R) -> bool {
        match &self.filter {
            None => true,
            Some((d, v)) => self.ctx().tag(r.id(), d) == Some(v.as_str()),
        }
    }

    /// Rebuilds the view after a filter or sort change, keeping `keep`
    /// selected when it is still in view.
    pub fn rebuild(&mut self, columns: &[Column<R>], keep: Option<i64>, height: usize) {
        let mut view: Vec<usize> = (0..self.all.len())
            .filter(|&i| self.passes(&self.all[i]))
            .collect();
        if let Some(col) = self.sort.and_then(|c| columns.get(c)) {
            let ctx = self.ctx();
            let mut keyed: Vec<(Key, usize)> = view
                .iter()
                .map(|&i| ((col.key)(&self.all[i], &ctx), i))
                .collect();
            keyed.sort();
            view = keyed.into_iter().map(|(_, i)| i).collect();
        }
        if self.descending {
            view.reverse();
        }
        self.view = view;
        let pos = keep.and_then(|id| self.view.iter().position(|&i| self.all[i].id() == id));
        self.cursor = pos
            .unwrap_or(self.cursor)
            .min(self.view.len().saturating_sub(1));
        self.scroll(height);
    }

    pub fn move_by(&mut self, delta: isize, height: usize) {
        let last = self.view.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize).saturating_add(delta).clamp(0, last) as usize;
        self.scroll(height);
    }

    /// Selects `id` if it is in view.
    pub fn select_id(&mut self, id: i64, height: usize) -> bool {
        match self.view.iter().position(|&i| self.all[i].id() == id) {
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
        self.offset = self.offset.min(self.view.len().saturating_sub(h));
    }

    /// Sorts by the next column (after the last one: load order).
    pub fn sort_next(&mut self, columns: &[Column<R>], height: usize) -> &'static str {
        self.sort = match self.sort {
            None => Some(0),
            Some(c) if c + 1 < columns.len() => Some(c + 1),
            Some(_) => None,
        };
        let keep = self.selected_id();
        self.rebuild(columns, keep, height);
        self.sort
            .and_then(|c| columns.get(c))
            .map(|c| c.title)
            .unwrap_or("load order")
    }

    pub fn reverse(&mut self, columns: &[Column<R>], height: usize) {
        self.descending = !self.descending;
        let keep = self.selected_id();
        self.rebuild(columns, keep, height);
    }

    pub fn set_filter(
        &mut self,
        filter: Option<(String, String)>,
        columns: &[Column<R>],
        height: usize,
    ) {
        self.filter = filter;
        let keep = self.selected_id();
        self.rebuild(columns, keep, height);
    }

    /// The tag values present in the list, with how many records carry
    /// each: the options of the tag filter.
    pub fn tag_options(&self) -> Vec<(String, String, usize)> {
        let mut counts: std::collections::BTreeMap<(String, String), usize> = Default::default();
        for r in &self.all {
            for (d, v) in self.tags.get(&r.id()).into_iter().flatten() {
                *counts.entry((d.clone(), v.clone())).or_default() += 1;
            }
        }
        counts.into_iter().map(|((d, v), n)| (d, v, n)).collect()
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
