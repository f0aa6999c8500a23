//! How the app answers each action, by what has the focus: a question, the
//! touch entry, a form, or a list.

use super::action::Action;
use super::app::{App, Tab, Undo};
use super::effect::Effect;
use super::modal::Modal;
use super::overlay::{Confirm, Pending, TouchEntry};
use super::record_form::RecordForm;
use crate::domain::{AnyRecord, Stage};

impl App {
    /// An action while a prompt is open: it goes to that prompt only.
    pub(super) fn update_modal(&mut self, action: Action, fx: &mut Vec<Effect>) {
        match &self.modal {
            Some(Modal::Question { .. }) => self.update_confirm(action, fx),
            Some(Modal::Trash(_)) => self.update_trash(action, fx),
            Some(Modal::Touch(_)) => self.update_touch(action, fx),
            Some(Modal::Form(_)) => self.update_form(action, fx),
            Some(Modal::TagFilter(_)) => self.update_tag_filter(action),
            Some(Modal::Reason(_)) => self.update_reason(action, fx),
            None => {}
        }
    }

    fn update_confirm(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let Some(Modal::Question { confirm, under }) = self.modal.take() else {
            return;
        };
        // Whatever the answer, the prompt under the question comes back
        // (a yes that ends it closes it below).
        self.modal = under.map(|b| *b);
        match action {
            Action::Confirm => match confirm.pending {
                Pending::Delete {
                    kind,
                    id,
                    version,
                    name,
                } => fx.push(Effect::Delete {
                    kind,
                    id,
                    version,
                    name,
                }),
                Pending::DiscardForm => {
                    self.modal = None;
                    self.info(super::labels::t("status-changes-discarded"));
                }
                Pending::DiscardAndQuit | Pending::Quit => self.quit = true,
                Pending::LoadDemo => {
                    self.info(super::labels::t("status-loading-demo"));
                    fx.push(Effect::LoadDemo);
                }
                Pending::Merge { keep, duplicate } => fx.push(Effect::Merge { keep, duplicate }),
                Pending::Purge { kind, id, label } => {
                    fx.push(Effect::PurgeTrashed { kind, id, label })
                }
            },
            Action::Deny => {
                if matches!(confirm.pending, Pending::LoadDemo) {
                    self.info(super::labels::t("status-empty-book"));
                }
            }
            // Ctrl-C answers no; the quit question's no is "stay".
            Action::Interrupt => {}
            // Anything else leaves the question open.
            _ => self.ask(confirm),
        }
    }

    /// An action while the form (any kind of record) is open.
    fn update_form(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let Some(form) = self.form_mut() else {
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
                        fx.push(Effect::Pick(req));
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
                    fx.push(Effect::Pick(req));
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
                        self.error(crate::tr!(
                            "status-big-change",
                            warning = warning,
                            key = key
                        ));
                    }
                    None => fx.push(Effect::Save(Box::new(record))),
                },
                Err(errors) => {
                    let n = errors.0.len();
                    form.set_errors(errors);
                    self.error(crate::tr!("status-fields-to-fix", count = n));
                }
            },
            Action::Reload => self.reload_form(fx),
            Action::Cancel if !form.is_dirty() => self.modal = None,
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
            AnyRecord::Customer(c) => {
                // The list's copy may be older than the book's: a save made
                // elsewhere before the form opened is named at once too.
                if c.meta.id != 0 {
                    fx.push(Effect::CheckFormRecord {
                        kind: crate::domain::Kind::Customer,
                        id: c.meta.id,
                    });
                }
                let none = std::collections::HashMap::new();
                let form = RecordForm::new(AnyRecord::Customer(c), &[], &none, self.today);
                self.modal = Some(Modal::Form(Box::new(form)));
            }
            other => fx.push(Effect::OpenForm(Box::new(other))),
        }
    }

    fn update_touch(&mut self, action: Action, fx: &mut Vec<Effect>) {
        use crate::domain::ActivityKind;
        let Some(Modal::Touch(touch)) = self.modal.as_mut() else {
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
                self.modal = None;
                self.info(super::labels::t("status-touch-not-logged"));
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
                    touch.problem = Some(crate::tr!(
                        "status-not-touch-kind",
                        key = c.to_string(),
                        keys = keys.join(", ")
                    ));
                }
            }
            Action::Key(k) => touch.edit(&k),
            Action::Confirm | Action::Save => {
                if let Some(activity) = touch.finish(self.today) {
                    let name = touch.name.clone();
                    self.modal = None;
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
            return self.info(super::labels::t("status-nothing-to-undo"));
        };
        self.info(crate::tr!("status-undoing", what = undo.describe()));
        fx.push(match undo {
            Undo::Delete { kind, id, name } => Effect::Restore { kind, id, name },
            Undo::Merge { merge_id, label } => Effect::Unmerge { merge_id, label },
            Undo::Stage { before } => Effect::UndoStage(before),
        });
    }

    /// Esc on a changed form, or Ctrl-C in any form, asks one question.
    pub(super) fn ask_to_leave_form(&mut self, action: Action, dirty: bool) {
        let (q, p) = match (action, dirty) {
            (Action::Cancel, _) => ("ask-discard", Pending::DiscardForm),
            (_, true) => ("ask-discard-and-quit", Pending::DiscardAndQuit),
            (_, false) => ("ask-quit", Pending::Quit),
        };
        self.ask(Confirm::new(super::labels::t(q), p));
    }

    fn update_trash(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let Some(Modal::Trash(trash)) = self.modal.as_mut() else {
            return;
        };
        match action {
            Action::Up => trash.move_by(-1),
            Action::Down => trash.move_by(1),
            Action::Cancel | Action::Interrupt => self.modal = None,
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
                if let Some(e) = trash.selected().cloned() {
                    self.ask(Confirm::new(
                        crate::tr!(
                            "ask-purge",
                            kind = super::labels::kind(e.kind),
                            label = super::views::clean(&e.label),
                            with = if e.kind == crate::domain::Kind::Customer {
                                "customer"
                            } else {
                                "other"
                            }
                        ),
                        Pending::Purge {
                            kind: e.kind,
                            id: e.id,
                            label: e.label,
                        },
                    ));
                }
            }
            _ => {}
        }
    }

    /// An action on the tag filter.
    fn update_tag_filter(&mut self, action: Action) {
        let Some(Modal::TagFilter(f)) = self.modal.as_mut() else {
            return;
        };
        match action {
            Action::Down => f.move_by(1),
            Action::Up => f.move_by(-1),
            Action::Confirm => {
                let Some(chosen) = f.chosen() else { return };
                let kind = f.kind;
                self.modal = None;
                self.set_filter(kind, chosen);
            }
            Action::Key(k) => {
                if let Some(req) = super::field::input_request(&k) {
                    f.edit(req);
                }
            }
            Action::Cancel | Action::Quit | Action::Interrupt => self.modal = None,
            _ => {}
        }
    }

    /// An action on the won/lost reason prompt.
    fn update_reason(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let Some(Modal::Reason(r)) = self.modal.as_mut() else {
            return;
        };
        match action {
            Action::Cancel | Action::Interrupt => {
                self.modal = None;
                self.info(super::labels::t("status-stage-not-changed"));
            }
            Action::Confirm | Action::Save => {
                let reason = r.input.value().trim().to_string();
                if reason.is_empty() && r.to == Stage::Lost {
                    r.problem = Some(super::labels::t("status-say-why-lost"));
                    return;
                }
                let mut o = r.deal.clone();
                self.tabs.stage_before = Some(o.clone());
                o.stage = r.to;
                o.close_reason = reason;
                self.modal = None;
                self.info(crate::tr!(
                    "status-marking",
                    title = o.title.as_str(),
                    stage = super::labels::stage(o.stage)
                ));
                fx.push(Effect::Save(Box::new(AnyRecord::Opportunity(o))));
            }
            Action::Key(k) => {
                if let Some(req) = super::field::input_request(&k) {
                    r.input.handle(req);
                    r.problem = None;
                }
            }
            _ => {}
        }
    }

    /// Opens the touch entry for a customer.
    pub(super) fn open_touch(&mut self, id: i64, name: &str) {
        self.modal = Some(Modal::Touch(TouchEntry::new(id, name)));
    }

    /// Opens the trash view.
    pub(super) fn open_trash(&mut self, fx: &mut Vec<Effect>) {
        self.modal = Some(Modal::Trash(Default::default()));
        fx.push(Effect::LoadTrash);
    }
}
