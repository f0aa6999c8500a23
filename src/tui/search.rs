//! Search in the terminal UI: `/` narrows the current tab's list as you
//! type, Ctrl-K (or `:`) searches every kind in an overlay. The queries run
//! on the search module's worker thread; the app only keeps what to show.

use super::action::Action;
use super::activities::KindView;
use super::app::{App, Tab};
use super::effect::Effect;
use super::keymap::Context;
use super::records::{Listed, RecordList};
pub use super::search_engine::SearchEngine;
use crate::domain::Kind;
use crate::search::{Hit, SearchResults};
use ratatui::crossterm::event::KeyEvent;

/// Hits asked for per query.
pub const LIMIT: usize = 200;

/// Where the search input is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMode {
    /// `/` on a list tab: the tab's list shows the hits.
    Tab(Tab),
    /// Ctrl-K: every kind, in an overlay.
    Global,
}

#[derive(Debug, Default)]
pub struct SearchState {
    /// The input is open (keys go to it).
    pub mode: Option<SearchMode>,
    pub input: String,
    /// Hits of the last answered query, best first.
    pub hits: Vec<Hit>,
    /// Overlay cursor.
    pub cursor: usize,
    /// The tab whose list is narrowed to the hits (while typing and after Enter).
    pub filter: Option<Tab>,
    /// The index is built.
    pub ready: bool,
    /// A query was submitted and its answer has not come.
    pub waiting: bool,
    /// How many records match in all, once counted (only when more than
    /// the hits shown).
    pub total: Option<usize>,
}

/// `1 match`, `3 matches`, or `200 of 12,345 matches` when the list shows
/// only the best of them.
pub fn match_count(shown: usize, total: Option<usize>) -> String {
    match total {
        Some(t) if t > shown => crate::tr!(
            "search-match-count-of",
            shown = shown,
            total = grouped(t),
            count = t
        ),
        _ => crate::tr!("search-match-count", count = shown),
    }
}

/// `12345` → `12,345`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The kind a tab lists.
pub fn tab_kind(tab: Tab) -> Option<Kind> {
    match tab {
        Tab::Customers => Some(Kind::Customer),
        Tab::Opportunities => Some(Kind::Opportunity),
        Tab::Products => Some(Kind::Product),
        Tab::Activities => Some(Kind::Activity),
        Tab::Dashboard => None,
    }
}

fn kind_tab(kind: Kind) -> Tab {
    match kind {
        Kind::Customer => Tab::Customers,
        Kind::Opportunity => Tab::Opportunities,
        Kind::Product => Tab::Products,
        Kind::Activity => Tab::Activities,
    }
}

impl SearchState {
    /// The chars to highlight in a list cell showing `text` of record `id`:
    /// those of its best match, when the list is narrowed by the search and
    /// the match is in that very text (a name, a company, a deal's customer).
    pub fn cell_indices(&self, tab: Tab, id: i64, text: &str) -> Option<&[usize]> {
        if self.filter != Some(tab) {
            return None;
        }
        let kind = tab_kind(tab)?;
        self.hits
            .iter()
            .find(|h| h.kind == kind && h.id == id)
            .filter(|h| !h.indices.is_empty() && h.text == text)
            .map(|h| h.indices.as_slice())
    }
}

impl App {
    /// Keys while the search input is open all go to it.
    pub(super) fn search_key(&self, key: &KeyEvent) -> Option<Action> {
        self.search.mode.map(|_| {
            self.keymap
                .action(Context::Search, key)
                .unwrap_or(Action::Key(*key))
        })
    }

    pub(super) fn open_search(&mut self, mode: SearchMode, fx: &mut Vec<Effect>) {
        if let SearchMode::Tab(tab) = mode {
            if tab_kind(tab).is_none() {
                return self.open_search(SearchMode::Global, fx);
            }
        }
        if self.search.filter.is_some() && mode == SearchMode::Global {
            self.clear_search(fx);
        }
        self.search.mode = Some(mode);
        self.search.cursor = 0;
        if mode == SearchMode::Global {
            self.search.input.clear();
            self.search.hits.clear();
        }
        if !self.search.ready {
            self.info(super::labels::t("search-indexing"));
        }
        self.submit_search(fx);
    }

    fn submit_search(&mut self, fx: &mut Vec<Effect>) {
        let Some(mode) = self.search.mode.or(self.search.filter.map(SearchMode::Tab)) else {
            return;
        };
        let kind = match mode {
            SearchMode::Tab(t) => tab_kind(t),
            SearchMode::Global => None,
        };
        if let SearchMode::Tab(t) = mode {
            if self.search.input.trim().is_empty() {
                // Nothing typed: the full list.
                if self.search.filter.take().is_some() {
                    self.restore_list(t, fx);
                }
                self.search.hits.clear();
                self.search.waiting = false;
                return;
            }
        }
        self.search.waiting = true;
        if !self.search.ready {
            // The list stays as it is until the index is built; the answer
            // to `Ready` submits the query typed meanwhile.
            return;
        }
        fx.push(Effect::Search {
            input: self.search.input.clone(),
            kind,
        });
    }

    /// Esc: the full list again.
    pub(super) fn clear_search(&mut self, fx: &mut Vec<Effect>) {
        let s = &mut self.search;
        s.mode = None;
        s.input.clear();
        s.hits.clear();
        s.waiting = false;
        if let Some(t) = s.filter.take() {
            self.restore_list(t, fx);
        }
        self.status = None;
    }

    fn restore_list(&mut self, tab: Tab, fx: &mut Vec<Effect>) {
        match tab {
            Tab::Customers => {
                self.customers.invalidate();
                fx.push(self.customers.reload(None));
            }
            Tab::Opportunities => self.tabs.deals.list.stale = true,
            Tab::Products => self.tabs.products.stale = true,
            Tab::Activities => self.tabs.activities.list.stale = true,
            Tab::Dashboard => {}
        }
    }

    /// A key for the open search input.
    pub(super) fn update_search(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let Some(mode) = self.search.mode else {
            return;
        };
        let k = match action {
            Action::Key(k) => k,
            // Ctrl-C closes the search like Esc; nothing is quit.
            Action::Cancel | Action::Interrupt => return self.clear_search(fx),
            Action::Down => return self.move_hit(1),
            Action::Up => return self.move_hit(-1),
            Action::ClearInput => {
                self.search.input.clear();
                return self.submit_search(fx);
            }
            Action::Confirm => return self.finish_search(mode, fx),
            _ => return,
        };
        // The search input is a text field: it reads typed characters and
        // Backspace itself; every other key is the key map's.
        if super::field::is_erase(&k) {
            if self.search.input.pop().is_none() && matches!(mode, SearchMode::Tab(_)) {
                return self.clear_search(fx);
            }
            self.submit_search(fx);
        } else if let Some(c) = super::field::typed_char(&k) {
            self.search.input.push(c);
            self.submit_search(fx);
        }
    }

    /// Enter: keep a tab's matches, or open the chosen record.
    fn finish_search(&mut self, mode: SearchMode, fx: &mut Vec<Effect>) {
        match mode {
            SearchMode::Tab(_) => {
                self.search.mode = None;
                if self.search.filter.is_some() {
                    self.info(crate::tr!(
                        "search-showing",
                        count = match_count(self.search.hits.len(), self.search.total),
                        query = self.search.input.as_str()
                    ));
                }
            }
            SearchMode::Global => {
                if let Some(hit) = self.search.hits.get(self.search.cursor).cloned() {
                    self.clear_search(fx);
                    self.jump_to(hit.kind, hit.id, fx);
                    self.info(format!("{} {}", super::labels::kind(hit.kind), hit.label));
                }
            }
        }
    }

    fn move_hit(&mut self, d: isize) {
        if self.search.mode == Some(SearchMode::Global) {
            let last = self.search.hits.len().saturating_sub(1) as isize;
            self.search.cursor = (self.search.cursor as isize + d).clamp(0, last) as usize;
        } else if let Some(SearchMode::Tab(_)) = self.search.mode {
            let rows = self.table_rows();
            match self.tab {
                Tab::Customers => self.customers.move_by(d, rows),
                _ => self.update_tab_list(
                    if d > 0 { Action::Down } else { Action::Up },
                    &mut Vec::new(),
                ),
            }
        }
    }

    /// Shows record `id` of `kind` on its tab, selected.
    pub(super) fn jump_to(&mut self, kind: Kind, id: i64, fx: &mut Vec<Effect>) {
        let tab = kind_tab(kind);
        self.switch_tab(tab, fx);
        let rows = self.table_rows();
        match tab {
            Tab::Customers => match self.customers.ids.iter().position(|x| *x == id) {
                Some(p) => self.customers.move_to(p, rows),
                None => fx.push(self.customers.reload(Some(id))),
            },
            // The board keeps a cursor of its own: the table shows the
            // named deal as the one the next key acts on.
            Tab::Opportunities => {
                self.tabs.deals.board = false;
                select_in(&mut self.tabs.deals.list, id, rows);
            }
            Tab::Products => select_in(&mut self.tabs.products, id, rows),
            // A campaigns-only (or touches-only) view may hide it.
            Tab::Activities => {
                let t = &mut self.tabs.activities;
                if t.kinds != KindView::All {
                    t.kinds = KindView::All;
                    t.list.reorder();
                }
                select_in(&mut t.list, id, rows);
            }
            Tab::Dashboard => {}
        }
    }

    /// Answers from the search engine.
    pub(super) fn apply_search(&mut self, outcome: SearchOutcome, fx: &mut Vec<Effect>) {
        match outcome {
            SearchOutcome::Ready(result) => {
                self.search.ready = true;
                match result {
                    Ok(()) => {
                        let indexing = super::labels::t("search-indexing");
                        if self.status.as_ref().is_some_and(|s| s.text == indexing) {
                            self.status = None;
                        }
                    }
                    Err(e) => self.error(crate::tr!("search-unavailable", error = e.to_string())),
                }
                if self.search.mode.is_some() || self.search.filter.is_some() {
                    self.submit_search(fx);
                }
            }
            SearchOutcome::Results(r) => self.take_results(r, fx),
        }
    }

    fn take_results(&mut self, r: SearchResults, fx: &mut Vec<Effect>) {
        let active = self.search.mode.is_some() || self.search.filter.is_some();
        if !active || r.input != self.search.input {
            return; // closed or overtaken meanwhile
        }
        self.search.waiting = false;
        self.search.total = r.total;
        let hits = match r.hits {
            Ok(h) => {
                if self.status.as_ref().is_some_and(|s| s.error) {
                    self.status = None;
                }
                h
            }
            Err(e) => {
                self.error(crate::tr!("search-error", error = e.to_string()));
                return;
            }
        };
        self.search.hits = hits;
        self.search.cursor = self
            .search
            .cursor
            .min(self.search.hits.len().saturating_sub(1));
        let tab = match self.search.mode {
            Some(SearchMode::Tab(t)) => t,
            Some(SearchMode::Global) => return,
            None => match self.search.filter {
                Some(t) => t,
                None => return,
            },
        };
        self.search.filter = Some(tab);
        let rows = self.table_rows();
        let ids: Vec<i64> = self.search.hits.iter().map(|h| h.id).collect();
        match tab {
            Tab::Customers => {
                let c = &mut self.customers;
                let keep = c.sort;
                c.set_ids(keep, ids.clone(), None, rows);
                if c.descending {
                    // set_ids reverses for a descending sort; hits stay best first.
                    c.ids = ids;
                }
                c.move_to(0, rows);
                c.offset = 0;
            }
            Tab::Opportunities => show_ids(&mut self.tabs.deals.list, &ids, rows),
            Tab::Products => show_ids(&mut self.tabs.products, &ids, rows),
            Tab::Activities => show_ids(&mut self.tabs.activities.list, &ids, rows),
            Tab::Dashboard => {}
        }
        let _ = fx;
    }
}

impl App {
    /// A tab's list was loaded again (after a write, or a tag filter): a
    /// kept `/` filter on it stays, and so does the selected record if it
    /// is among the hits.
    pub(super) fn keep_search_filter(&mut self, tab: Tab) {
        if self.search.filter != Some(tab) || self.search.mode == Some(SearchMode::Global) {
            return;
        }
        let rows = self.table_rows();
        let ids: Vec<i64> = self.search.hits.iter().map(|h| h.id).collect();
        match tab {
            Tab::Opportunities => keep_ids(&mut self.tabs.deals.list, &ids, rows),
            Tab::Products => keep_ids(&mut self.tabs.products, &ids, rows),
            Tab::Activities => keep_ids(&mut self.tabs.activities.list, &ids, rows),
            Tab::Customers | Tab::Dashboard => {}
        }
    }
}

/// Narrows a reloaded list to `ids` again, keeping its selection.
fn keep_ids<R: super::records::Listed, F>(
    l: &mut super::records::RecordList<R, F>,
    ids: &[i64],
    rows: usize,
) {
    let selected = l.selected_id();
    show_ids(l, ids, rows);
    if let Some(id) = selected {
        l.select_id(id, rows);
    }
}

/// Narrows a record list to `ids`, in that order.
fn show_ids<R: super::records::Listed, F>(
    l: &mut super::records::RecordList<R, F>,
    ids: &[i64],
    rows: usize,
) {
    // Entries of the list shown now keep their stage and amount (the board
    // groups and totals by them); a hit the list no longer holds (the query
    // got shorter) sends for the whole list, which is narrowed again when
    // it arrives.
    let known: std::collections::HashMap<i64, crate::store::ListEntry> =
        l.entries.iter().map(|e| (e.id, *e)).collect();
    let mut missing = false;
    l.entries = ids
        .iter()
        .map(|&id| {
            known.get(&id).copied().unwrap_or_else(|| {
                missing = true;
                crate::store::ListEntry {
                    id,
                    stage: 0,
                    amount: 0,
                    currency: [0; 3],
                }
            })
        })
        .collect();
    // A list load still on its way would undo the narrowing.
    l.abandon();
    l.stale = missing;
    l.loaded = true;
    l.cursor = 0;
    l.offset = 0;
    l.detail_for = None;
    let _ = rows;
}

/// What the search engine brought back.
#[derive(Debug)]
pub enum SearchOutcome {
    /// The index is built (or failed to build).
    Ready(Result<(), String>),
    Results(SearchResults),
}

/// Selects record `id` in a tab's list; when the list as filtered does not
/// hold it, the tag filter goes and the whole list is read with it selected.
fn select_in<R: Listed, F>(list: &mut RecordList<R, F>, id: i64, rows: usize) {
    if !list.select_id(id, rows) {
        list.filter = None;
        list.select = Some(id);
        list.stale = true;
    }
}

#[cfg(test)]
mod count_tests {
    use super::match_count;

    #[test]
    fn the_count_says_how_many_of_how_many() {
        assert_eq!(match_count(1, None), "1 match");
        assert_eq!(match_count(3, None), "3 matches");
        assert_eq!(match_count(3, Some(3)), "3 matches");
        assert_eq!(match_count(200, Some(12_345)), "200 of 12,345 matches");
        assert_eq!(
            match_count(200, Some(1_000_000)),
            "200 of 1,000,000 matches"
        );
        assert_eq!(match_count(200, Some(201)), "200 of 201 matches");
    }
}
