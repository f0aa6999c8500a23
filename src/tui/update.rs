//! How the app answers each action, by what has the focus: a question, the
//! touch entry, a form, or a list.

use super::action::Action;
use super::app::{App, Tab, Undo};
use super::effect::Effect;
use super::overlay::{Confirm, Pending, TouchEntry};
use super::record_form::RecordForm;
use super::search::SearchMode;
use super::tabs::TabEffect;
use crate::domain::{AnyRecord, Customer};

impl App {
    pub(super) fn update_confirm(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let Some(confirm) = self.confirm.take() else {
            return;
        };
        match action {
            Action::Confirm => match confirm.pending {
                Pending::Delete { id, version, name } => {
                    fx.push(Effect::DeleteCustomer { id, version, name })
                }
                Pending::DiscardForm => {
                    self.form = None;
                    self.info("Changes discarded");
                }
                Pending::DiscardAndQuit | Pending::Quit => self.quit = true,
                Pending::DeleteRecord(d) => {
                    fx.push(Effect::Tabs(super::tabs::TabEffect::Delete(d)))
                }
                Pending::LoadDemo => {
                    self.info("Loading the demo book…");
                    fx.push(Effect::LoadDemo);
                }
                Pending::Merge { keep, duplicate } => fx.push(Effect::Merge { keep, duplicate }),
                Pending::Purge { kind, id, label } => {
                    fx.push(Effect::PurgeTrashed { kind, id, label })
                }
            },
            Action::Deny => {
                if matches!(confirm.pending, Pending::LoadDemo) {
                    self.info("Empty book — press a to add your first customer");
                }
            }
            // Ctrl-C answers no; the quit question's no is "stay".
            Action::Interrupt => {}
            // Anything else leaves the question open.
            _ => self.confirm = Some(confirm),
        }
    }

    /// An action while the form (any kind of record) is open.
    pub(super) fn update_form(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        if form.picker.is_some() {
            match action {
                Action::Down => {
                    form.picker_move(1);
                }
                Action::Up => {
                    form.picker_move(-1);
                }
                Action::Confirm => form.choose(),
                Action::Cancel | Action::Interrupt => {
                    form.close_picker();
                }
                Action::Key(k) => {
                    if let Some(req) = form.handle_key(&k) {
                        fx.push(Effect::Tabs(TabEffect::Pick(req)));
                    }
                }
                _ => {}
            }
            return;
        }
        match action {
            Action::NextField | Action::PrevField => {
                let left = form.fields[form.focus].key;
                if action == Action::NextField {
                    form.next_field();
                } else {
                    form.prev_field();
                }
                // Customer hook: is the person typed someone we know?
                if let Some(c) = form.identity_check(left) {
                    fx.push(Effect::CheckDuplicates(Box::new(c)));
                }
            }
            Action::Key(k) => {
                if let Some(req) = form.handle_key(&k) {
                    fx.push(Effect::Tabs(TabEffect::Pick(req)));
                }
            }
            Action::Save => match form.to_record() {
                Ok(record) => match form.confirm_big_change(&record) {
                    Some(warning) => {
                        let key = self
                            .keymap
                            .key_for(super::keymap::Context::Form, &Action::Save)
                            .unwrap_or("ctrl-s")
                            .to_string();
                        self.error(format!("{warning} — {key} again to save it, or fix it"));
                    }
                    None => fx.push(Effect::Save(Box::new(record))),
                },
                Err(errors) => {
                    let n = errors.0.len();
                    form.set_errors(errors);
                    self.error(format!(
                        "Not saved: {n} field{} to fix",
                        if n == 1 { "" } else { "s" }
                    ));
                }
            },
            Action::Cancel if !form.is_dirty() => self.form = None,
            Action::Cancel | Action::Quit | Action::Interrupt => {
                let dirty = form.is_dirty();
                self.ask_to_leave_form(action, dirty);
            }
            _ => {}
        }
    }

    /// Opens the form on a record of any kind. A customer has no links to
    /// read, so its form opens at once; the other kinds read the labels of
    /// their linked records first.
    pub(super) fn open_form(&mut self, record: AnyRecord, fx: &mut Vec<Effect>) {
        match record {
            AnyRecord::Customer(_) => {
                let none = std::collections::HashMap::new();
                self.form = Some(RecordForm::new(record, &[], &none, self.today));
            }
            other => fx.push(Effect::Tabs(TabEffect::OpenForm(Box::new(other)))),
        }
    }

    pub(super) fn update_touch(&mut self, action: Action, fx: &mut Vec<Effect>) {
        use crate::domain::ActivityKind;
        let Some(touch) = self.touch.as_mut() else {
            return;
        };
        let kind = match action {
            Action::TouchCall => Some(ActivityKind::Call),
            Action::TouchVisit => Some(ActivityKind::Visit),
            Action::TouchMeeting => Some(ActivityKind::Meeting),
            Action::TouchEmail => Some(ActivityKind::Email),
            Action::TouchNote => Some(ActivityKind::Note),
            _ => None,
        };
        if let Some(kind) = kind {
            touch.kind = Some(kind);
            touch.problem = None;
            return;
        }
        match action {
            // Ctrl-C closes the prompt like Esc: nothing is quit or lost
            // but the one line typed.
            Action::Cancel | Action::Interrupt => {
                self.touch = None;
                self.info("Touch not logged");
            }
            Action::Key(k) if touch.kind.is_none() => {
                if let Some(c) = super::field::typed_char(&k) {
                    let keys: Vec<String> = self
                        .keymap
                        .bindings(super::keymap::Context::Touch)
                        .iter()
                        .filter(|b| b.action != Action::Cancel)
                        .filter_map(|b| b.keys.first().cloned())
                        .collect();
                    touch.problem =
                        Some(format!("'{c}' is not a touch kind — {}", keys.join(", ")));
                }
            }
            Action::Key(k) => touch.edit(&k),
            Action::Confirm | Action::Save => {
                if let Some(activity) = touch.finish(self.today) {
                    let name = touch.name.clone();
                    self.touch = None;
                    fx.push(Effect::LogTouch(Box::new(activity), name));
                }
            }
            _ => {}
        }
    }

    pub(super) fn switch_tab(&mut self, tab: Tab, fx: &mut Vec<Effect>) {
        self.tab = tab;
        // The other tabs load what they need in `sync_tabs`.
        if tab == Tab::Dashboard {
            fx.push(Effect::LoadCounts);
            self.tabs.dashboard.stale = true;
        }
    }

    /// `u`: takes back the last action, on any tab, and says what it undid.
    pub(super) fn undo_last(&mut self, fx: &mut Vec<Effect>) {
        let Some(undo) = self.undo.take() else {
            return self.info("Nothing to undo");
        };
        self.info(format!("Undoing: {}…", undo.describe()));
        use super::tabs::{ListKind, TabEffect};
        use crate::domain::Kind;
        fx.push(match undo {
            Undo::Delete {
                kind: Kind::Customer,
                id,
                name,
            } => Effect::RestoreCustomer { id, name },
            Undo::Delete { kind, id, name } => {
                let list = match kind {
                    Kind::Opportunity => ListKind::Deals,
                    Kind::Product => ListKind::Products,
                    _ => ListKind::Activities,
                };
                Effect::Tabs(TabEffect::Restore(list, id, name))
            }
            Undo::Merge { merge_id, label } => Effect::Unmerge { merge_id, label },
            Undo::Stage { before } => Effect::Tabs(TabEffect::UndoStage(before)),
        });
    }

    /// Esc on a changed form, or Ctrl-C in any form, asks one question.
    pub(super) fn ask_to_leave_form(&mut self, action: Action, dirty: bool) {
        let (q, p) = match (action, dirty) {
            (Action::Cancel, _) => ("Discard your changes? (y/n)", Pending::DiscardForm),
            (_, true) => (
                "Discard your changes and quit? (y/n)",
                Pending::DiscardAndQuit,
            ),
            (_, false) => ("Quit dossier? (y/n)", Pending::Quit),
        };
        self.confirm = Some(Confirm::new(q, p));
    }

    pub(super) fn update_trash(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let Some(trash) = self.trash.as_mut() else {
            return;
        };
        match action {
            Action::Up => trash.move_by(-1),
            Action::Down => trash.move_by(1),
            Action::Cancel | Action::Interrupt => self.trash = None,
            Action::Restore => {
                if let Some(e) = trash.selected() {
                    fx.push(Effect::RestoreTrashed {
                        kind: e.kind,
                        id: e.id,
                        label: e.label.clone(),
                    });
                }
            }
            Action::Purge => {
                if let Some(e) = trash.selected() {
                    self.confirm = Some(Confirm::new(
                        format!(
                            "Delete {} {} for good? This cannot be undone{} (y/n)",
                            e.kind,
                            super::views::clean(&e.label),
                            if e.kind == crate::domain::Kind::Customer {
                                "; its deals and activities go with it"
                            } else {
                                ""
                            }
                        ),
                        Pending::Purge {
                            kind: e.kind,
                            id: e.id,
                            label: e.label.clone(),
                        },
                    ));
                }
            }
            _ => {}
        }
    }

    pub(super) fn update_list(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let rows = self.table_rows();
        let step = |a: &Action| -> Option<isize> {
            Some(match a {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -(rows as isize),
                Action::PageDown => rows as isize,
                Action::Top => isize::MIN / 2,
                Action::Bottom => isize::MAX / 2,
                _ => return None,
            })
        };
        match action {
            Action::Quit => self.quit = true,
            Action::Interrupt => {
                self.confirm = Some(Confirm::new("Quit dossier? (y/n)", Pending::Quit));
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
            Action::Filter if self.tab == Tab::Customers => {
                self.open_filter(crate::domain::Kind::Customer, fx)
            }
            Action::Undo => self.undo_last(fx),
            Action::Trash => {
                self.trash = Some(Default::default());
                fx.push(Effect::LoadTrash);
            }
            Action::GlobalSearch => self.open_search(SearchMode::Global, fx),
            Action::ClearSearch if self.search.filter.is_some() => self.clear_search(fx),
            _ if self.tab != Tab::Customers && action != Action::Reload => {
                self.update_tab_list(action, fx)
            }
            ref a if step(a).is_some() => {
                let d = step(a).unwrap_or(0);
                if self.tab == Tab::Customers {
                    self.customers.move_by(d, rows);
                }
            }
            Action::DetailDown | Action::DetailUp if self.tab == Tab::Customers => {
                let id = self.customers.selected_id().unwrap_or(0);
                let now = if self.detail_scroll.0 == id {
                    self.detail_scroll.1
                } else {
                    0
                };
                let next = if action == Action::DetailDown {
                    now.saturating_add(3)
                } else {
                    now.saturating_sub(3)
                };
                self.detail_scroll = (id, next);
            }
            Action::Reload => {
                self.customers.invalidate();
                fx.push(self.customers.reload(None));
                self.tabs.invalidate();
                if self.tab != Tab::Customers && self.tab != Tab::Dashboard {
                    self.switch_tab(self.tab, fx);
                }
                self.reload_counts(fx);
                self.info("Reloaded");
            }
            _ if self.tab != Tab::Customers => {}
            Action::SortNext => {
                let next = self.customers.sort.next();
                fx.push(self.customers.request_sort(next, false));
                self.info(format!("Sorting by {}…", next.label()));
            }
            Action::SortReverse => {
                let c = &mut self.customers;
                c.descending = !c.descending;
                c.ids.reverse();
                if !c.ids.is_empty() {
                    c.cursor = c.ids.len() - 1 - c.cursor;
                }
                c.invalidate();
                c.move_by(0, rows);
            }
            Action::ToggleDetail => {
                if self.is_wide() {
                    self.detail_open = !self.detail_open;
                } else {
                    self.detail_full = !self.detail_full;
                }
            }
            Action::Add => self.open_form(Customer::default().into(), fx),
            Action::Edit => match self.customers.selected_file() {
                Some(f) => {
                    let c = f.customer.clone();
                    self.open_form(c.into(), fx)
                }
                None if self.customers.ids.is_empty() => {
                    self.info("No customer to edit — press a to add one")
                }
                None => self.info("Still loading that customer — try again"),
            },
            Action::Delete => {
                let target = self.customers.selected_file().map(|f| {
                    (
                        f.customer.meta.id,
                        f.customer.meta.version,
                        f.customer.name.clone(),
                    )
                });
                if let Some((id, version, name)) = target {
                    self.confirm = Some(Confirm::new(
                        format!("Move {name} to the trash? (y/n)"),
                        Pending::Delete { id, version, name },
                    ));
                }
            }
            Action::Merge => match self.customers.selected_file() {
                Some(f) => fx.push(Effect::FindDuplicates {
                    id: f.customer.meta.id,
                    name: f.customer.name.clone(),
                }),
                None => self.info("Select a customer first"),
            },
            Action::LogTouch => {
                if let Some(row) = self.customers.selected_row() {
                    self.touch = Some(TouchEntry::new(row.id, &row.name));
                }
            }
            Action::MarkDone => match self.customers.selected_id() {
                Some(id) => fx.push(Effect::FollowUpDone(super::effect::DoneTarget::Customer(
                    id,
                ))),
                None => self.info("Select a customer first"),
            },
            _ => {}
        }
    }
}
