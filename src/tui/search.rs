//! Search in the terminal UI: `/` narrows the current tab's list as you
//! type, Ctrl-K (or `:`) searches every kind in an overlay. The queries run
//! on the search module's worker thread; the app only keeps what to show.

use super::action::Action;
use super::activities::KindView;
use super::app::{App, Tab};
use super::effect::Effect;
use super::keymap::Context;
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
                    self.restore_list(t);
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
    pub(super) fn clear_search(&mut self, _fx: &mut Vec<Effect>) {
        let s = &mut self.search;
        s.mode = None;
        s.input.clear();
        s.hits.clear();
        s.waiting = false;
        if let Some(t) = s.filter.take() {
            self.restore_list(t);
        }
        self.status = None;
    }

    fn restore_list(&mut self, tab: Tab) {
        match tab {
            Tab::Customers => self.customers.invalidate(),
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
            self.update_tab_list(
                if d > 0 { Action::Down } else { Action::Up },
                &mut Vec::new(),
            );
        }
    }

    /// Shows record `id` of `kind` on its tab, selected.
    pub(super) fn jump_to(&mut self, kind: Kind, id: i64, fx: &mut Vec<Effect>) {
        let tab = kind_tab(kind);
        self.switch_tab(tab, fx);
        let rows = self.table_rows();
        match tab {
            Tab::Customers => self.customers.select_or_load(id, rows),
            // The board keeps a cursor of its own: the table shows the
            // named deal as the one the next key acts on.
            Tab::Opportunities => {
                self.tabs.deals.board = false;
                self.tabs.deals.list.select_or_load(id, rows);
            }
            Tab::Products => self.tabs.products.select_or_load(id, rows),
            // A campaigns-only (or touches-only) view may hide it.
            Tab::Activities => {
                let t = &mut self.tabs.activities;
                if t.kinds != KindView::All {
                    t.kinds = KindView::All;
                    t.list.reorder();
                }
                t.list.select_or_load(id, rows);
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
        let _ = (rows, fx);
        match tab {
            Tab::Customers => self.customers.show_ids(&ids),
            Tab::Opportunities => self.tabs.deals.list.show_ids(&ids),
            Tab::Products => self.tabs.products.show_ids(&ids),
            Tab::Activities => self.tabs.activities.list.show_ids(&ids),
            Tab::Dashboard => {}
        }
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
            Tab::Customers => self.customers.keep_ids(&ids, rows),
            Tab::Opportunities => self.tabs.deals.list.keep_ids(&ids, rows),
            Tab::Products => self.tabs.products.keep_ids(&ids, rows),
            Tab::Activities => self.tabs.activities.list.keep_ids(&ids, rows),
            Tab::Dashboard => {}
        }
    }
}

/// What the search engine brought back.
#[derive(Debug)]
pub enum SearchOutcome {
    /// The index is built (or failed to build).
    Ready(Result<(), String>),
    Results(SearchResults),
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
