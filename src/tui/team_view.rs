//! The team view on a team book: the "mine / team" filter of the lists,
//! and news of others' saves — the lists read again, and a form open on a
//! record someone else saved says so before it is saved over.
//!
//! On a file book another dossier (or a CLI command) saving the record of
//! an open form is noticed the same way (SQLite's data version, see the
//! runtime), so the warning is the same on both.

use super::app::App;
use super::effect::Effect;
use super::labels::t;
use crate::domain::Kind;

impl App {
    /// `o`: the lists keep to my records, or show all the team's. A local
    /// book has no owners: says so.
    pub(super) fn toggle_mine(&mut self) {
        let Some(me) = self.team.clone() else {
            self.error(t("status-mine-needs-team"));
            return;
        };
        self.mine = !self.mine;
        self.invalidate_lists();
        if self.mine {
            self.info(crate::tr!("status-showing-mine", role = me));
        } else {
            self.info(t("status-showing-team"));
        }
    }

    /// The title's note of the filter: `mine (ann)` or `team`; None on a
    /// local book.
    pub fn mine_label(&self) -> Option<String> {
        let me = self.team.as_deref()?;
        Some(if self.mine {
            crate::tr!("list-mine", role = me)
        } else {
            t("list-team")
        })
    }

    /// Someone else committed to the book: the lists read again (`lists`),
    /// and an open form on a stored record asks how its record is now.
    pub(super) fn changed_elsewhere(&mut self, lists: bool, fx: &mut Vec<Effect>) {
        if lists {
            self.invalidate_lists();
            self.reload_counts(fx);
        }
        if let Some(form) = self.form() {
            let (kind, id) = (form.base.kind(), form.base.id());
            if id != 0 {
                fx.push(Effect::CheckFormRecord { kind, id });
            }
        }
    }

    /// How the record open in a form is stored now: when someone saved it
    /// since the form opened (or deleted it), the form says so before the
    /// user saves — saving would be refused as a conflict, so their change
    /// is never lost silently.
    pub(super) fn form_record_now(
        &mut self,
        kind: Kind,
        id: i64,
        version: Option<i64>,
        owner: Option<String>,
    ) {
        let reload = self.form_key(super::action::Action::Reload, "ctrl-r");
        let save = self.form_key(super::action::Action::Save, "ctrl-s");
        let Some(form) = self.form_mut() else {
            return;
        };
        if form.base.kind() != kind || form.base.id() != id {
            return;
        }
        let opened = form.base.meta().version;
        let warning = match version {
            Some(v) if v == opened => None,
            None => Some(crate::tr!("form-deleted-underneath", save = save)),
            Some(_) => Some(match owner {
                Some(owner) => crate::tr!(
                    "form-changed-underneath-owner",
                    owner = owner,
                    reload = reload,
                    save = save
                ),
                None => crate::tr!("form-changed-underneath", reload = reload, save = save),
            }),
        };
        let news = warning.is_some() && form.changed_underneath != warning;
        form.changed_underneath = warning;
        if news {
            self.error(t("status-changed-underneath"));
        }
    }

    /// Ctrl-R in a form: the record as stored now, in place of the form
    /// (what was typed is dropped — the warning said so).
    pub(super) fn reload_form(&mut self, fx: &mut Vec<Effect>) {
        let Some(form) = self.form() else {
            return;
        };
        let (kind, id) = (form.base.kind(), form.base.id());
        if id != 0 {
            fx.push(Effect::ReloadForm { kind, id });
        }
    }

    fn form_key(&self, action: super::action::Action, default: &str) -> String {
        self.keymap
            .key_for(super::keymap::Context::Form, &action)
            .map(super::views::pretty_key)
            .unwrap_or_else(|| default.to_string())
    }
}
