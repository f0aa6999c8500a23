//! What the lists load, the same way for every kind, and how the answers
//! are taken in: id lists may come from a background reader, so every
//! answer carries the generation it was asked for and is dropped when the
//! list moved on (left, re-sorted, refiltered, or written to).

use super::activities;
use super::app::{App, Tab};
use super::effect::{DetailFile, Effect, IdList, IdQuery, LoadedRows, Outcome};
use super::list::{Entry, Listed, RecordList, SortKey};
use super::modal::Modal;
use super::opportunities;
use super::products;
use super::tag_filter::TagFilter;
use crate::domain::Kind;
use crate::store::{ListQuery, ListRows};

/// The loads one list needs: its ids when stale, else the rows of `wanted`
/// (None: the visible window) that are missing, and the selected detail.
fn list_needs<E: Entry, R: Listed, F, S: SortKey>(
    list: &mut RecordList<E, R, F, S>,
    kind: Kind,
    query: impl FnOnce(&RecordList<E, R, F, S>) -> IdQuery,
    wanted: Option<Vec<i64>>,
    rows: usize,
    detail: bool,
    fx: &mut Vec<Effect>,
) {
    if list.stale {
        let query = query(list);
        let generation = list.begin_load();
        fx.push(Effect::LoadIds {
            kind,
            generation,
            query,
        });
        return;
    }
    if !list.loaded || (list.loading && !list.partial) {
        return;
    }
    let wanted = wanted.unwrap_or_else(|| list.window(rows));
    if let Some(ids) = list.missing(wanted) {
        fx.push(Effect::LoadRows {
            kind,
            generation: list.generation,
            ids,
        });
    }
    if detail {
        if let Some(id) = list.needs_detail() {
            fx.push(Effect::LoadDetail(kind, id));
        }
    }
}

fn records_query<E: Entry, R: Listed, F>(
    list: &RecordList<E, R, F>,
    columns: &[super::list::Column<R>],
    kind: Kind,
    campaigns: Option<bool>,
    owner: &Option<String>,
) -> IdQuery {
    IdQuery::Records(ListQuery {
        kind,
        sort: list.list_sort(columns),
        descending: list.descending,
        filter: list.filter.clone(),
        campaigns,
        owner: owner.clone(),
    })
}

impl App {
    /// Loads what the current tab needs: its list when stale, the rows on
    /// screen, the selected record's detail, the dashboard. Loads of the
    /// record tabs not shown are abandoned (the customer list, built once
    /// per sort for a million rows, is not).
    pub(super) fn sync_lists(&mut self, fx: &mut Vec<Effect>) {
        let rows = self.table_rows();
        let owner = self.owner_filter();
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
                    fx.push(Effect::LoadDashboard(generation));
                }
            }
            // The selected file is loaded even when the pane is hidden: edit,
            // delete and touch need it, and it is three indexed reads.
            Tab::Customers => list_needs(
                &mut self.customers,
                Kind::Customer,
                |l| IdQuery::Customers {
                    sort: l.sort,
                    descending: l.descending,
                    tag: l.filter.clone(),
                    first_load: !l.loaded,
                    owner: owner.clone(),
                },
                None,
                rows,
                true,
                fx,
            ),
            Tab::Opportunities => {
                let cols = opportunities::columns();
                let deals = &mut t.deals;
                let board = deals.board.then(|| deals.board_window());
                let detail = !deals.board;
                let q = |l: &_| records_query(l, &cols, Kind::Opportunity, None, &owner);
                list_needs(
                    &mut deals.list,
                    Kind::Opportunity,
                    q,
                    board,
                    rows,
                    detail,
                    fx,
                );
            }
            Tab::Products => {
                let cols = products::columns();
                let q = |l: &_| records_query(l, &cols, Kind::Product, None, &owner);
                list_needs(&mut t.products, Kind::Product, q, None, rows, true, fx);
            }
            Tab::Activities => {
                let a = &mut t.activities;
                let only = a.kinds.campaigns();
                let cols = activities::columns();
                let q = |l: &_| records_query(l, &cols, Kind::Activity, only, &owner);
                list_needs(&mut a.list, Kind::Activity, q, None, rows, true, fx);
            }
        }
    }

    /// Opens the tag filter; its options are counted by the store.
    pub(super) fn open_filter(&mut self, kind: Kind, fx: &mut Vec<Effect>) {
        let mut f = TagFilter::new(kind, Vec::new());
        f.loading = true;
        self.modal = Some(Modal::TagFilter(f));
        fx.push(Effect::TagCounts(kind));
    }

    /// Filters a list by one tag (None: shows all).
    pub(super) fn set_filter(&mut self, kind: Kind, chosen: Option<(String, String)>) {
        let t = &mut self.tabs;
        match kind {
            Kind::Opportunity => t.deals.list.set_filter(chosen.clone()),
            Kind::Product => t.products.set_filter(chosen.clone()),
            Kind::Activity => t.activities.list.set_filter(chosen.clone()),
            Kind::Customer => self.customers.set_filter(chosen.clone()),
        }
        match chosen {
            None => self.info(super::labels::t("status-filter-cleared")),
            Some((d, v)) => self.info(crate::tr!(
                "status-filter-showing",
                tag = format!("{d}:{v}")
            )),
        }
    }

    /// The list of `kind` selects `id` when it is read again.
    pub(super) fn select_after_write(&mut self, kind: Kind, id: i64) {
        let t = &mut self.tabs;
        match kind {
            Kind::Customer => self.customers.reload(Some(id)),
            Kind::Opportunity => t.deals.list.select = Some(id),
            Kind::Product => t.products.select = Some(id),
            Kind::Activity => t.activities.list.select = Some(id),
        }
    }

    /// Takes in a load's answer.
    pub(super) fn apply_load(&mut self, outcome: Outcome) {
        let rows = self.table_rows();
        let t = &mut self.tabs;
        match outcome {
            Outcome::Ids {
                kind,
                generation,
                ids,
                partial,
            } => {
                let was_sorting = self.customers.loading && self.customers.loaded;
                let taken = match (kind, ids) {
                    (Kind::Customer, IdList::Customers(ids)) => {
                        self.customers.set_entries(generation, ids, partial, rows)
                    }
                    (Kind::Opportunity, IdList::Records(entries)) => {
                        let d = &mut t.deals;
                        let select = d.list.select.or(d.board_selected_id());
                        let taken = d.list.set_entries(generation, entries, partial, rows);
                        if taken {
                            if let Some(id) = select {
                                d.board_select(id);
                            }
                            d.board_move(0, 0);
                        }
                        taken
                    }
                    (Kind::Product, IdList::Records(entries)) => {
                        t.products.set_entries(generation, entries, partial, rows)
                    }
                    (Kind::Activity, IdList::Records(entries)) => t
                        .activities
                        .list
                        .set_entries(generation, entries, partial, rows),
                    _ => false,
                };
                if !taken {
                    return;
                }
                if let Some(tab) = Tab::ALL.into_iter().find(|t| t.kind() == Some(kind)) {
                    self.keep_search_filter(tab);
                }
                let sort = self.customers.sort;
                if kind == Kind::Customer
                    && was_sorting
                    && !partial
                    && sort != Default::default()
                    && self.status.as_ref().is_some_and(|s| {
                        s.text
                            == crate::tr!("status-sorting", by = super::labels::customer_sort(sort))
                    })
                {
                    self.info(crate::tr!(
                        "status-sorted",
                        by = super::labels::customer_sort(sort)
                    ));
                }
            }
            Outcome::Rows {
                generation,
                rows,
                owners,
                ..
            } => match rows {
                LoadedRows::Customers(r) => {
                    self.customers
                        .set_rows(generation, r, Default::default(), Default::default());
                    self.customers.set_owners(generation, owners);
                }
                LoadedRows::Records { rows, tags, names } => match rows {
                    ListRows::Deals(r) => {
                        t.deals.list.set_rows(generation, r, tags, names);
                        t.deals.list.set_owners(generation, owners);
                    }
                    ListRows::Products(r) => {
                        t.products.set_rows(generation, r, tags, names);
                        t.products.set_owners(generation, owners);
                    }
                    ListRows::Activities(r) => {
                        t.activities.list.set_rows(generation, r, tags, names);
                        t.activities.list.set_owners(generation, owners);
                    }
                },
            },
            Outcome::Detail(file) => match *file {
                DetailFile::Customer(f) => self.customers.set_detail(f.customer.meta.id, f),
                DetailFile::Deal(f) => t.deals.list.set_detail(f.deal.meta.id, f),
                DetailFile::Product(f) => t.products.set_detail(f.product.meta.id, f),
                DetailFile::Activity(f) => t.activities.list.set_detail(f.activity.meta.id, f),
            },
            Outcome::TagCounts(kind, options) => {
                if let Some(Modal::TagFilter(f)) = self.modal.as_mut() {
                    if f.kind == kind {
                        f.loading = false;
                        f.set_options(options);
                    }
                }
            }
            Outcome::Dashboard(generation, data) => {
                t.dashboard.set(generation, *data);
            }
            _ => {}
        }
    }
}
