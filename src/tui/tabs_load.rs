//! What the Dashboard, Opportunities, Products and Activities tabs load,
//! and how the answers are taken in: id lists and the dashboard may come
//! from a background reader, so every answer carries the generation it was
//! asked for and is dropped when the tab moved on (left, re-sorted,
//! refiltered, or written to).

use super::activities;
use super::app::{App, Tab};
use super::effect::Effect;
use super::opportunities;
use super::products;
use super::records::{Column, Listed, RecordList};
use super::tabs::{ListKind, TabEffect, TabOutcome, TagFilter};
use crate::domain::Kind;
use crate::store::{ListQuery, ListRows};

fn query<R: Listed, F>(
    list: &RecordList<R, F>,
    columns: &[Column<R>],
    kind: ListKind,
    campaigns: Option<bool>,
) -> ListQuery {
    ListQuery {
        kind: kind.kind(),
        sort: list.list_sort(columns),
        descending: list.descending,
        filter: list.filter.clone(),
        campaigns,
    }
}

/// The loads one list needs: its ids when stale, else the rows of `wanted`
/// (None: the visible window) that are missing, and the selected detail.
fn list_needs<R: Listed, F>(
    list: &mut RecordList<R, F>,
    q: ListQuery,
    kind: ListKind,
    wanted: Option<Vec<i64>>,
    rows: usize,
    detail: bool,
    fx: &mut Vec<Effect>,
) {
    if list.stale {
        let generation = list.begin_load();
        fx.push(Effect::Tabs(TabEffect::LoadIds {
            list: kind,
            generation,
            query: q,
        }));
        return;
    }
    if !list.loaded || list.loading {
        return;
    }
    let wanted = wanted.unwrap_or_else(|| list.window(rows));
    if let Some(ids) = list.missing(wanted) {
        fx.push(Effect::Tabs(TabEffect::LoadRows {
            list: kind,
            generation: list.generation,
            ids,
        }));
    }
    if detail {
        if let Some(id) = list.needs_detail() {
            fx.push(Effect::Tabs(TabEffect::LoadDetail(kind, id)));
        }
    }
}

impl App {
    /// Loads what the current tab needs: its list when stale, the rows on
    /// screen, the selected record's detail, the dashboard. Loads of the
    /// tabs not shown are abandoned.
    pub(super) fn sync_tabs(&mut self, fx: &mut Vec<Effect>) {
        let rows = self.table_rows();
        let t = &mut self.tabs;
        if self.tab != Tab::Dashboard {
            t.dashboard.abandon();
        }
        if self.tab != Tab::Opportunities {
            t.deals.list.abandon();
        }
        if self.tab != Tab::Products {
            t.products.abandon();
        }
        if self.tab != Tab::Activities {
            t.activities.list.abandon();
        }
        match self.tab {
            Tab::Dashboard => {
                let d = &mut t.dashboard;
                if (d.data.is_none() || d.stale) && !d.loading {
                    let generation = d.begin_load();
                    fx.push(Effect::Tabs(TabEffect::LoadDashboard(generation)));
                }
            }
            Tab::Customers => {}
            Tab::Opportunities => {
                let cols = opportunities::columns();
                let deals = &mut t.deals;
                let q = query(&deals.list, &cols, ListKind::Deals, None);
                let board = deals.board.then(|| deals.board_window());
                let detail = !deals.board;
                list_needs(&mut deals.list, q, ListKind::Deals, board, rows, detail, fx);
            }
            Tab::Products => {
                let q = query(&t.products, &products::columns(), ListKind::Products, None);
                list_needs(&mut t.products, q, ListKind::Products, None, rows, true, fx);
            }
            Tab::Activities => {
                let a = &mut t.activities;
                let only = a.kinds.campaigns();
                let q = query(&a.list, &activities::columns(), ListKind::Activities, only);
                list_needs(&mut a.list, q, ListKind::Activities, None, rows, true, fx);
            }
        }
    }

    /// Opens the tag filter; its options are counted by the store.
    pub(super) fn open_filter(&mut self, kind: Kind, fx: &mut Vec<Effect>) {
        let mut f = TagFilter::new(kind, Vec::new());
        f.loading = true;
        self.tabs.filter = Some(f);
        fx.push(Effect::Tabs(TabEffect::TagCounts(kind)));
    }

    /// Filters a list by one tag (None: shows all).
    pub(super) fn set_filter(
        &mut self,
        kind: Kind,
        chosen: Option<(String, String)>,
        fx: &mut Vec<Effect>,
    ) {
        let t = &mut self.tabs;
        match kind {
            Kind::Opportunity => t.deals.list.set_filter(chosen.clone()),
            Kind::Product => t.products.set_filter(chosen.clone()),
            Kind::Activity => t.activities.list.set_filter(chosen.clone()),
            Kind::Customer => {
                self.customers.tag_filter = chosen.clone();
                fx.push(self.customers.reload(None));
            }
        }
        match chosen {
            None => self.info("Filter cleared"),
            Some((d, v)) => self.info(format!("Showing {d}:{v} only — f to change")),
        }
    }

    /// Takes in a load's answer; false when it was not a load.
    pub(super) fn apply_tab_load(&mut self, outcome: TabOutcome) -> Option<TabOutcome> {
        let rows = self.table_rows();
        let t = &mut self.tabs;
        match outcome {
            TabOutcome::Ids {
                list,
                generation,
                entries,
            } => match list {
                ListKind::Deals => {
                    let d = &mut t.deals;
                    let select = d.list.select.or(d.board_selected_id());
                    if d.list.set_entries(generation, entries, rows) {
                        if let Some(id) = select {
                            d.board_select(id);
                        }
                        d.board_move(0, 0);
                        self.keep_search_filter(Tab::Opportunities);
                    }
                }
                ListKind::Products => {
                    if t.products.set_entries(generation, entries, rows) {
                        self.keep_search_filter(Tab::Products);
                    }
                }
                ListKind::Activities => {
                    if t.activities.list.set_entries(generation, entries, rows) {
                        self.keep_search_filter(Tab::Activities);
                    }
                }
            },
            TabOutcome::Rows {
                generation,
                rows,
                tags,
                names,
                ..
            } => match rows {
                ListRows::Deals(r) => t.deals.list.set_rows(generation, r, tags, names),
                ListRows::Products(r) => t.products.set_rows(generation, r, tags, names),
                ListRows::Activities(r) => t.activities.list.set_rows(generation, r, tags, names),
            },
            TabOutcome::TagCounts(kind, options) => {
                if let Some(f) = t.filter.as_mut().filter(|f| f.kind == kind) {
                    f.loading = false;
                    f.set_options(options);
                }
            }
            TabOutcome::Counts(c) => self.counts = c,
            TabOutcome::Dashboard(generation, data) => {
                t.dashboard.set(generation, *data);
            }
            other => return Some(other),
        }
        None
    }
}
