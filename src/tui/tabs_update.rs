//! How the app answers actions on the Dashboard, Opportunities, Products
//! and Activities tabs, and takes in what their effects bring back.

use super::action::Action;
use super::activities::{self, KindView};
use super::app::Undo;
use super::app::{App, Tab};
use super::dashboard::Target;
use super::effect::{DoneTarget, Effect};
use super::opportunities;
use super::overlay::{Confirm, Pending};
use super::products;
use super::records::{Column, Listed, RecordList};
use super::status::describe;
use super::tabs::{new_campaign, new_touch, ListKind, ReasonPrompt, TabOutcome};
use crate::domain::{AnyRecord, Kind, Opportunity, Product, Stage};
use tui_input::Input;

/// Movement, sorting and filtering shared by the three lists; returns a
/// status message when the action was one of those.
fn list_action<R: Listed, F>(
    list: &mut RecordList<R, F>,
    columns: &[Column<R>],
    action: &Action,
    rows: usize,
) -> Option<Option<String>> {
    let step = match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -(rows as isize),
        Action::PageDown => rows as isize,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        Action::SortNext => {
            let by = list.sort_next(columns);
            return Some(Some(format!("Sorted by {}", super::labels::t(by))));
        }
        Action::SortReverse => {
            list.reverse();
            return Some(None);
        }
        Action::DetailDown => {
            list.detail_scroll = list.detail_scroll.saturating_add(3);
            return Some(None);
        }
        Action::DetailUp => {
            list.detail_scroll = list.detail_scroll.saturating_sub(3);
            return Some(None);
        }
        _ => return None,
    };
    list.move_by(step, rows);
    Some(None)
}

impl App {
    /// An action on one of these tabs' lists (no form open).
    pub(super) fn update_tab_list(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let rows = self.table_rows();
        match self.tab {
            Tab::Dashboard => self.update_dashboard(action, fx),
            Tab::Opportunities => self.update_deals(action, fx, rows),
            Tab::Products => {
                let cols = products::columns();
                if let Some(msg) = list_action(&mut self.tabs.products, &cols, &action, rows) {
                    if let Some(m) = msg {
                        self.info(m);
                    }
                    return;
                }
                match action {
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
                    Action::Filter => self.open_filter(Kind::Product, fx),
                    other => self.common_tab_action(other),
                }
            }
            Tab::Activities => {
                let cols = activities::columns();
                if let Some(msg) = list_action(&mut self.tabs.activities.list, &cols, &action, rows)
                {
                    if let Some(m) = msg {
                        self.info(m);
                    }
                    return;
                }
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
                        self.info(format!("Showing {label}"));
                        self.keep_search_filter(Tab::Activities);
                    }
                    Action::Filter => self.open_filter(Kind::Activity, fx),
                    Action::MarkDone => match self.tabs.activities.list.selected() {
                        Some(a) if a.open_follow_up().is_some() => {
                            fx.push(Effect::FollowUpDone(DoneTarget::Touch(a.meta.id)))
                        }
                        Some(_) => self.info("This touch has no open follow-up"),
                        None => self.info("Select a touch first"),
                    },
                    other => self.common_tab_action(other),
                }
            }
            Tab::Customers => {}
        }
    }

    fn common_tab_action(&mut self, action: Action) {
        match action {
            Action::ToggleDetail => {
                if self.is_wide() {
                    self.detail_open = !self.detail_open;
                } else {
                    self.detail_full = !self.detail_full;
                }
            }
            Action::Delete => self.ask_delete(),
            Action::LogTouch => {
                self.info("Touches are logged with t on tab 2, or with a on the Activities tab")
            }
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
                None => self.info("Nothing to open"),
            },
            Action::MarkDone => match d.selected_follow_up() {
                Some(id) => fx.push(Effect::FollowUpDone(DoneTarget::Touch(id))),
                None => self.info("Select a follow-up first (the Follow-ups due list)"),
            },
            _ => {}
        }
    }

    /// Opens a record from the dashboard.
    pub(super) fn jump(&mut self, target: Target, fx: &mut Vec<Effect>) {
        let rows = self.table_rows();
        match target {
            Target::Customer(id) => {
                self.tab = Tab::Customers;
                fx.push(self.customers.reload(Some(id)));
            }
            Target::Deal(id) => {
                self.tab = Tab::Opportunities;
                self.tabs.deals.board = false;
                let l = &mut self.tabs.deals.list;
                if !(l.loaded && !l.stale && l.select_id(id, rows)) {
                    l.filter = None;
                    l.select = Some(id);
                    l.invalidate();
                }
            }
            Target::Product(id) => {
                self.tab = Tab::Products;
                let l = &mut self.tabs.products;
                if !(l.loaded && !l.stale && l.select_id(id, rows)) {
                    l.filter = None;
                    l.select = Some(id);
                    l.invalidate();
                }
            }
        }
    }

    fn update_deals(&mut self, action: Action, fx: &mut Vec<Effect>, rows: usize) {
        let cols = opportunities::columns();
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
        } else if let Some(msg) = list_action(&mut deals.list, &cols, &action, rows) {
            if let Some(m) = msg {
                self.info(m);
            }
            return;
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
                        self.info(format!("Moving {} to {s}…", o.title));
                        fx.push(Effect::Save(Box::new(AnyRecord::Opportunity(o))));
                    }
                    None => self.info(format!("{} is already {}", o.title, o.stage)),
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
            Action::Filter => self.open_filter(Kind::Opportunity, fx),
            other => self.common_tab_action(other),
        }
    }

    /// Asks before moving the selected record to the trash.
    fn ask_delete(&mut self) {
        let target = match self.tab {
            Tab::Opportunities => self
                .tabs
                .deals
                .current()
                .map(|o| (ListKind::Deals, o.meta.id, o.meta.version, o.title.clone())),
            Tab::Products => self.tabs.products.selected().map(|p| {
                (
                    ListKind::Products,
                    p.meta.id,
                    p.meta.version,
                    p.name.clone(),
                )
            }),
            Tab::Activities => self.tabs.activities.list.selected().map(|a| {
                (
                    ListKind::Activities,
                    a.meta.id,
                    a.meta.version,
                    a.summary.clone(),
                )
            }),
            _ => None,
        };
        if let Some((list, id, version, name)) = target {
            self.confirm = Some(Confirm::new(
                format!("Move {} to the trash? (y/n)", super::views::clean(&name)),
                Pending::DeleteRecord(super::tabs::PendingDelete {
                    list,
                    id,
                    version,
                    name,
                }),
            ));
        }
    }

    fn ask_reason(&mut self, deal: Opportunity, to: Stage) {
        self.tabs.reason = Some(ReasonPrompt {
            input: Input::new(deal.close_reason.clone()),
            deal,
            to,
            problem: None,
        });
    }

    /// An action while a form or overlay of these tabs is open.
    pub(super) fn update_tabs_modal(&mut self, action: Action, fx: &mut Vec<Effect>) {
        if let Some(f) = self.tabs.filter.as_mut() {
            match action {
                Action::Down => f.move_by(1),
                Action::Up => f.move_by(-1),
                Action::Confirm => {
                    let Some(chosen) = f.chosen() else { return };
                    let kind = f.kind;
                    self.tabs.filter = None;
                    self.set_filter(kind, chosen, fx);
                }
                Action::Key(k) => {
                    if let Some(req) = super::field::input_request(&k) {
                        f.edit(req);
                    }
                }
                Action::Cancel | Action::Quit | Action::Interrupt => self.tabs.filter = None,
                _ => {}
            }
            return;
        }
        if let Some(r) = self.tabs.reason.as_mut() {
            match action {
                Action::Cancel | Action::Interrupt => {
                    self.tabs.reason = None;
                    self.info("Stage not changed");
                }
                Action::Confirm | Action::Save => self.finish_reason(fx),
                Action::Key(k) => {
                    if let Some(req) = super::field::input_request(&k) {
                        r.input.handle(req);
                        r.problem = None;
                    }
                }
                _ => {}
            }
        }
    }

    fn finish_reason(&mut self, fx: &mut Vec<Effect>) {
        let Some(r) = self.tabs.reason.as_mut() else {
            return;
        };
        let reason = r.input.value().trim().to_string();
        if reason.is_empty() && r.to == Stage::Lost {
            r.problem = Some("say why the deal was lost, then Enter".into());
            return;
        }
        let mut o = r.deal.clone();
        self.tabs.stage_before = Some(o.clone());
        o.stage = r.to;
        o.close_reason = reason;
        self.tabs.reason = None;
        self.info(format!("Marking {} {}…", o.title, o.stage));
        fx.push(Effect::Save(Box::new(AnyRecord::Opportunity(o))));
    }

    /// Takes in what a tab effect brought back.
    pub(super) fn apply_tabs(&mut self, outcome: TabOutcome, fx: &mut Vec<Effect>) {
        let _ = fx;
        let Some(outcome) = self.apply_tab_load(outcome) else {
            return;
        };
        match outcome {
            TabOutcome::DealFile(f) => {
                let l = &mut self.tabs.deals.list;
                if l.detail_for == Some(f.deal.meta.id) {
                    l.detail = Some(*f);
                }
            }
            TabOutcome::ProductFile(f) => {
                let l = &mut self.tabs.products;
                if l.detail_for == Some(f.product.meta.id) {
                    l.detail = Some(*f);
                }
            }
            TabOutcome::ActivityFile(f) => {
                let l = &mut self.tabs.activities.list;
                if l.detail_for == Some(f.activity.meta.id) {
                    l.detail = Some(*f);
                }
            }
            TabOutcome::Picked(req, choices) => {
                if let Some(form) = self.form.as_mut() {
                    form.set_choices(&req, choices);
                }
            }
            TabOutcome::FormReady(form) => {
                self.form = Some(*form);
            }
            TabOutcome::Saved {
                list,
                id,
                what,
                added,
                changes,
                customer,
            } => {
                self.form = None;
                let kind = match list {
                    ListKind::Deals => Kind::Opportunity,
                    ListKind::Products => Kind::Product,
                    ListKind::Activities => Kind::Activity,
                };
                let verb = if added { "Added" } else { "Saved" };
                // A stage move can be undone; any other save is the last
                // action now, and u takes back nothing older.
                let before = self
                    .tabs
                    .stage_before
                    .take()
                    .filter(|b| kind == Kind::Opportunity && b.meta.id == id);
                let undo_hint = match &before {
                    Some(_) => format!(
                        " — {} to undo",
                        self.keymap
                            .key_for(super::keymap::Context::List, &Action::Undo)
                            .unwrap_or("u")
                    ),
                    None => String::new(),
                };
                self.undo = before.map(|b| Undo::Stage {
                    before: Box::new(b),
                });
                self.info(format!(
                    "{verb} {}{}{undo_hint}",
                    super::views::clean(&what),
                    describe(&changes, (kind, id), customer.as_ref())
                ));
                self.tabs.invalidate();
                match list {
                    ListKind::Deals => self.tabs.deals.list.select = Some(id),
                    ListKind::Products => self.tabs.products.select = Some(id),
                    ListKind::Activities => self.tabs.activities.list.select = Some(id),
                }
                // Customers' tags may have moved with the save.
                self.customers.invalidate();
            }
            TabOutcome::Deleted(d, changes) => {
                let key = self
                    .keymap
                    .key_for(super::keymap::Context::List, &Action::Undo)
                    .unwrap_or("u")
                    .to_string();
                self.info(format!(
                    "{} moved to the trash — {key} to undo{}",
                    super::views::clean(&d.name),
                    related(&changes)
                ));
                self.undo = Some(Undo::Delete {
                    kind: d.list.kind(),
                    id: d.id,
                    name: d.name,
                });
                self.tabs.invalidate();
                self.customers.invalidate();
            }
            TabOutcome::Restored(list, id, name, changes) => {
                self.info(format!(
                    "{} restored{}",
                    super::views::clean(&name),
                    related(&changes)
                ));
                self.tabs.invalidate();
                match list {
                    ListKind::Deals => self.tabs.deals.list.select = Some(id),
                    ListKind::Products => self.tabs.products.select = Some(id),
                    ListKind::Activities => self.tabs.activities.list.select = Some(id),
                }
                self.customers.invalidate();
            }
            TabOutcome::Ids { .. }
            | TabOutcome::Rows { .. }
            | TabOutcome::TagCounts(..)
            | TabOutcome::Counts(_)
            | TabOutcome::Dashboard(..) => {}
            TabOutcome::SaveFailed { message, fields } => {
                self.tabs.invalidate();
                if let Some(form) = self.form.as_mut() {
                    match fields {
                        Some(errors) => form.set_errors(errors),
                        None => form.message = Some(message.clone()),
                    }
                }
                self.error(format!("Not saved: {message}"));
            }
        }
    }
}

/// ` · 3 tags moved on related records` after a delete or restore.
fn related(changes: &[crate::store::TagChange]) -> String {
    if changes.is_empty() {
        String::new()
    } else {
        format!(" · {} tag(s) moved on related records", changes.len())
    }
}
