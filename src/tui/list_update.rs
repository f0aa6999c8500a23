//! How the app answers actions on a list — the same list on every tab
//! (movement, sort, `/` and `f` filters, delete, undo, trash), then each
//! kind's own keys (the board for deals, touches for customers).

use super::action::Action;
use super::activities::{self, KindView};
use super::app::{App, Tab};
use super::dashboard::Target;
use super::effect::{DoneTarget, Effect};
use super::list::{Entry, Listed, RecordList, SortKey};
use super::modal::Modal;
use super::opportunities;
use super::overlay::{Confirm, Pending};
use super::products;
use super::search::SearchMode;
use super::tabs::{new_campaign, new_touch, ReasonPrompt};
use crate::domain::{AnyRecord, Customer, Kind, Opportunity, Product, Stage};
use tui_input::Input;

/// Movement and detail scrolling, the same on every list; true when the
/// action was one of those.
fn move_action<E: Entry, R: Listed, F, S: SortKey>(
    list: &mut RecordList<E, R, F, S>,
    action: &Action,
    rows: usize,
) -> bool {
    let step = match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -(rows as isize),
        Action::PageDown => rows as isize,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        Action::DetailDown => {
            list.detail_scroll = list.detail_scroll.saturating_add(3);
            return true;
        }
        Action::DetailUp => {
            list.detail_scroll = list.detail_scroll.saturating_sub(3);
            return true;
        }
        _ => return false,
    };
    list.move_by(step, rows);
    true
}

/// Movement, `s` and `S` on a list sorted by its table's columns; the
/// status message to show when the action was one of those.
fn browse<E: Entry, R: Listed, F>(
    list: &mut RecordList<E, R, F>,
    columns: &[super::list::Column<R>],
    action: &Action,
    rows: usize,
) -> Option<Option<String>> {
    if move_action(list, action, rows) {
        return Some(None);
    }
    match action {
        Action::SortNext => {
            let by = super::labels::t(list.sort_next(columns));
            Some(Some(crate::tr!("status-sorted", by = by)))
        }
        Action::SortReverse => {
            list.reverse(false, rows);
            Some(None)
        }
        _ => None,
    }
}

impl App {
    /// An action on the list of the current tab (no prompt open).
    pub(super) fn update_list(&mut self, action: Action, fx: &mut Vec<Effect>) {
        match action {
            Action::Quit => self.quit = true,
            Action::Interrupt => {
                self.ask(Confirm::new(super::labels::t("ask-quit"), Pending::Quit))
            }
            Action::Help => self.help = true,
            Action::Messages => self.messages_open = true,
            Action::NextTab | Action::PrevTab => {
                let d = if action == Action::NextTab {
                    1
                } else {
                    Tab::ALL.len() - 1
                };
                let next = Tab::ALL[(self.tab.index() + d) % Tab::ALL.len()];
                self.switch_tab(next, fx);
            }
            Action::TabDashboard => self.switch_tab(Tab::Dashboard, fx),
            Action::TabCustomers => self.switch_tab(Tab::Customers, fx),
            Action::TabOpportunities => self.switch_tab(Tab::Opportunities, fx),
            Action::TabProducts => self.switch_tab(Tab::Products, fx),
            Action::TabActivities => self.switch_tab(Tab::Activities, fx),
            Action::Search => self.open_search(SearchMode::Tab(self.tab), fx),
            Action::GlobalSearch => self.open_search(SearchMode::Global, fx),
            Action::ClearSearch if self.search.filter.is_some() => self.clear_search(fx),
            Action::Undo => self.undo_last(fx),
            Action::Trash => self.open_trash(fx),
            Action::ToggleMine => self.toggle_mine(),
            Action::Reload => {
                self.invalidate_lists();
                self.reload_counts(fx);
                self.info(super::labels::t("status-reloaded"));
            }
            _ => self.update_tab_list(action, fx),
        }
    }

    /// An action on the current tab's own list.
    pub(super) fn update_tab_list(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let rows = self.table_rows();
        let t = &mut self.tabs;
        let browsed = match self.tab {
            Tab::Opportunities if !t.deals.board => {
                browse(&mut t.deals.list, &opportunities::columns(), &action, rows)
            }
            Tab::Products => browse(&mut t.products, &products::columns(), &action, rows),
            Tab::Activities => browse(
                &mut t.activities.list,
                &activities::columns(),
                &action,
                rows,
            ),
            _ => None,
        };
        if let Some(message) = browsed {
            if let Some(m) = message {
                self.info(m);
            }
            return;
        }
        match self.tab {
            Tab::Dashboard => self.update_dashboard(action, fx),
            Tab::Customers => self.update_customers(action, fx, rows),
            Tab::Opportunities => self.update_deals(action, fx, rows),
            Tab::Products => match action {
                Action::Add => {
                    let p = Product {
                        currency: self.book_currency.clone(),
                        ..Product::default()
                    };
                    self.open_form(AnyRecord::Product(p), fx)
                }
                Action::Edit => {
                    if let Some(p) = self.tabs.products.selected().cloned() {
                        self.open_form(AnyRecord::Product(p), fx);
                    }
                }
                other => self.common_tab_action(other, fx),
            },
            Tab::Activities => {
                let today = self.today;
                match action {
                    Action::Add if self.tabs.activities.kinds == KindView::Campaigns => {
                        self.open_form(AnyRecord::Activity(new_campaign(today)), fx)
                    }
                    Action::Add => self.open_form(AnyRecord::Activity(new_touch(today)), fx),
                    Action::AddCampaign => {
                        self.open_form(AnyRecord::Activity(new_campaign(today)), fx)
                    }
                    Action::Edit => {
                        if let Some(a) = self.tabs.activities.list.selected().cloned() {
                            self.open_form(AnyRecord::Activity(a), fx);
                        }
                    }
                    Action::CycleKind => {
                        let t = &mut self.tabs.activities;
                        t.kinds = t.kinds.next();
                        t.list.reorder();
                        let label = t.kinds.label();
                        self.info(crate::tr!("status-showing", what = label));
                        self.keep_search_filter(Tab::Activities);
                    }
                    Action::MarkDone => match self.tabs.activities.list.selected() {
                        Some(a) if a.open_follow_up().is_some() => {
                            fx.push(Effect::FollowUpDone(DoneTarget::Touch(a.meta.id)))
                        }
                        Some(_) => self.info(super::labels::t("status-touch-no-follow-up")),
                        None => self.info(super::labels::t("status-select-touch")),
                    },
                    other => self.common_tab_action(other, fx),
                }
            }
        }
    }

    /// The Customers tab's list.
    fn update_customers(&mut self, action: Action, fx: &mut Vec<Effect>, rows: usize) {
        let c = &mut self.customers;
        if move_action(c, &action, rows) {
            return;
        }
        match action {
            Action::SortNext => {
                let next = c.sort.next();
                c.sort = next;
                c.descending = false;
                c.reorder();
                self.info(crate::tr!(
                    "status-sorting",
                    by = super::labels::customer_sort(next)
                ));
            }
            // A million ids reverse at once: no read.
            Action::SortReverse => c.reverse(true, rows),
            Action::Add => self.open_form(Customer::default().into(), fx),
            Action::Edit => match self.customers.selected_file() {
                Some(f) => {
                    let c = f.customer.clone();
                    self.open_form(c.into(), fx)
                }
                None if self.customers.is_empty() => {
                    self.info(super::labels::t("status-no-customer-to-edit"))
                }
                None => self.info(super::labels::t("status-still-loading")),
            },
            Action::Merge => match self.customers.selected_file() {
                Some(f) => fx.push(Effect::FindDuplicates {
                    id: f.customer.meta.id,
                    name: f.customer.name.clone(),
                }),
                None => self.info(super::labels::t("status-select-customer")),
            },
            Action::LogTouch => {
                if let Some(row) = self.customers.selected() {
                    let (id, name) = (row.id, row.name.clone());
                    self.open_touch(id, &name);
                }
            }
            Action::MarkDone => match self.customers.selected_id() {
                Some(id) => fx.push(Effect::FollowUpDone(DoneTarget::Customer(id))),
                None => self.info(super::labels::t("status-select-customer")),
            },
            other => self.common_tab_action(other, fx),
        }
    }

    /// Keys every record list answers the same way.
    fn common_tab_action(&mut self, action: Action, fx: &mut Vec<Effect>) {
        match action {
            Action::ToggleDetail => {
                if self.is_wide() {
                    self.detail_open = !self.detail_open;
                } else {
                    self.detail_full = !self.detail_full;
                }
            }
            Action::Delete => self.ask_delete(),
            Action::Filter => {
                if let Some(kind) = self.tab.kind() {
                    self.open_filter(kind, fx);
                }
            }
            Action::LogTouch => self.info(super::labels::t("status-touches-where")),
            _ => {}
        }
    }

    fn update_dashboard(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let rows = self.table_rows() as isize;
        let d = &mut self.tabs.dashboard;
        match action {
            Action::Up => d.move_by(-1),
            Action::Down => d.move_by(1),
            Action::PageUp => d.move_by(-rows),
            Action::PageDown => d.move_by(rows),
            Action::Top => d.move_by(isize::MIN / 2),
            Action::Bottom => d.move_by(isize::MAX / 2),
            Action::Edit => match d.selected() {
                Some(target) => self.jump(target, fx),
                None => self.info(super::labels::t("status-nothing-to-open")),
            },
            Action::MarkDone => match d.selected_follow_up() {
                Some(id) => fx.push(Effect::FollowUpDone(DoneTarget::Touch(id))),
                None => self.info(super::labels::t("status-select-follow-up")),
            },
            _ => {}
        }
    }

    /// Opens a record from the dashboard.
    pub(super) fn jump(&mut self, target: Target, fx: &mut Vec<Effect>) {
        let rows = self.table_rows();
        let _ = fx;
        match target {
            Target::Customer(id) => {
                self.tab = Tab::Customers;
                self.customers.reload(Some(id));
            }
            Target::Deal(id) => {
                self.tab = Tab::Opportunities;
                self.tabs.deals.board = false;
                self.tabs.deals.list.select_or_load(id, rows);
            }
            Target::Product(id) => {
                self.tab = Tab::Products;
                self.tabs.products.select_or_load(id, rows);
            }
        }
    }

    fn update_deals(&mut self, action: Action, fx: &mut Vec<Effect>, rows: usize) {
        let deals = &mut self.tabs.deals;
        if deals.board {
            match action {
                Action::Up => return deals.board_move(0, -1),
                Action::Down => return deals.board_move(0, 1),
                Action::Left => return deals.board_move(-1, 0),
                Action::Right => return deals.board_move(1, 0),
                Action::Top => return deals.board_move(0, isize::MIN / 2),
                Action::Bottom => return deals.board_move(0, isize::MAX / 2),
                _ => {}
            }
        }
        let current = self.tabs.deals.current().cloned();
        match action {
            Action::Board => {
                let deals = &mut self.tabs.deals;
                deals.board = !deals.board;
                if let Some(o) = current {
                    if deals.board {
                        deals.board_select(o.meta.id);
                    } else {
                        deals.list.select_id(o.meta.id, rows);
                    }
                }
            }
            Action::Add => {
                let o = Opportunity {
                    currency: self.book_currency.clone(),
                    ..Opportunity::default()
                };
                self.open_form(AnyRecord::Opportunity(o), fx)
            }
            Action::Edit => {
                if let Some(o) = current {
                    self.open_form(AnyRecord::Opportunity(o), fx);
                }
            }
            Action::StageNext | Action::StagePrev => {
                let Some(mut o) = current else { return };
                let to = if action == Action::StageNext {
                    o.stage.next()
                } else if o.stage.is_closed() {
                    Some(Stage::Closing) // reopen
                } else {
                    o.stage.prev()
                };
                match to {
                    Some(Stage::Won) => self.ask_reason(o, Stage::Won),
                    Some(s) => {
                        self.tabs.stage_before = Some(o.clone());
                        o.stage = s;
                        self.info(crate::tr!(
                            "status-moving",
                            title = o.title.as_str(),
                            stage = super::labels::stage(s)
                        ));
                        fx.push(Effect::Save(Box::new(AnyRecord::Opportunity(o))));
                    }
                    None => self.info(crate::tr!(
                        "status-already",
                        title = o.title.as_str(),
                        stage = super::labels::stage(o.stage)
                    )),
                }
            }
            Action::MarkWon | Action::MarkLost => {
                let to = if action == Action::MarkWon {
                    Stage::Won
                } else {
                    Stage::Lost
                };
                if let Some(o) = current {
                    if let Some(p) = o.stage.transition_problem(to) {
                        self.error(p);
                    } else {
                        self.ask_reason(o, to);
                    }
                }
            }
            other => self.common_tab_action(other, fx),
        }
    }

    /// Asks before moving the selected record to the trash.
    fn ask_delete(&mut self) {
        let target = match self.tab {
            Tab::Customers => self.customers.selected_file().map(|f| {
                let c = &f.customer;
                (
                    Kind::Customer,
                    c.meta.id,
                    c.meta.version,
                    c.name.to_string(),
                )
            }),
            Tab::Opportunities => self.tabs.deals.current().map(|o| {
                let m = &o.meta;
                (Kind::Opportunity, m.id, m.version, o.title.clone())
            }),
            Tab::Products => self.tabs.products.selected().map(|p| {
                let m = &p.meta;
                (Kind::Product, m.id, m.version, p.name.clone())
            }),
            Tab::Activities => self.tabs.activities.list.selected().map(|a| {
                let m = &a.meta;
                (Kind::Activity, m.id, m.version, a.summary.clone())
            }),
            Tab::Dashboard => None,
        };
        if let Some((kind, id, version, name)) = target {
            self.ask(Confirm::new(
                crate::tr!("ask-trash", name = super::views::clean(&name)),
                Pending::Delete {
                    kind,
                    id,
                    version,
                    name,
                },
            ));
        }
    }

    fn ask_reason(&mut self, deal: Opportunity, to: Stage) {
        self.modal = Some(Modal::Reason(ReasonPrompt {
            input: Input::new(deal.close_reason.clone()),
            deal,
            to,
            problem: None,
        }));
    }
}
