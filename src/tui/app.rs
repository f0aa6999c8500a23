//! The application state and its one entry point for change:
//! `update(action) -> effects`, plus `apply(outcome) -> effects` for the
//! answers the runtime brings back. Nothing here touches the terminal or
//! the database.

use super::action::Action;
use super::effect::{Effect, Outcome};
use super::keymap::{Context, KeyMap};
use super::list::CustomerRecords;
use super::modal::Modal;
use super::overlay::{Confirm, Pending, TouchEntry};
use super::record_form::RecordForm;
use super::theme::Theme;
use crate::store::{Counts, TagChange};
use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

/// What a pasted line break or tab becomes in a one-line field.
const PASTED_SPACE: char = ' ';

/// The most characters one paste types (a field holds far fewer).
pub const PASTE_MAX_CHARS: usize = 10_000;

/// The tabs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tab {
    Dashboard,
    Customers,
    Opportunities,
    Products,
    Activities,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Dashboard,
        Tab::Customers,
        Tab::Opportunities,
        Tab::Products,
        Tab::Activities,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Dashboard => "Dashboard",
            Tab::Customers => "Customers",
            Tab::Opportunities => "Opportunities",
            Tab::Products => "Products",
            Tab::Activities => "Activities",
        }
    }

    pub(super) fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The kind of record the tab lists (none on the dashboard).
    pub fn kind(self) -> Option<crate::domain::Kind> {
        use crate::domain::Kind;
        match self {
            Tab::Dashboard => None,
            Tab::Customers => Some(Kind::Customer),
            Tab::Opportunities => Some(Kind::Opportunity),
            Tab::Products => Some(Kind::Product),
            Tab::Activities => Some(Kind::Activity),
        }
    }
}

/// A message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Something `u` can take back: only the last action, so `u` never
/// reaches silently past a later change.
#[derive(Debug, Clone, PartialEq)]
pub enum Undo {
    /// A record moved to the trash.
    Delete {
        kind: crate::domain::Kind,
        id: i64,
        name: String,
    },
    /// A merge of two customers (undone with the merge record).
    Merge { merge_id: i64, label: String },
    /// A deal moved to another stage: the deal as it was.
    Stage {
        before: Box<crate::domain::Opportunity>,
    },
}

impl Undo {
    /// What `u` will do, for the status line.
    pub fn describe(&self) -> String {
        match self {
            Undo::Delete { name, .. } => crate::tr!("undo-delete", name = name.as_str()),
            Undo::Merge { label, .. } => crate::tr!("undo-merge", label = label.as_str()),
            Undo::Stage { before } => crate::tr!(
                "undo-stage",
                title = before.title.as_str(),
                stage = super::labels::stage(before.stage)
            ),
        }
    }
}

/// How many status messages the log keeps.
pub const MESSAGES_KEPT: usize = 200;

/// Below this width the detail pane is hidden behind a key.
pub const WIDE: u16 = 110;

pub struct App {
    pub keymap: KeyMap,
    pub theme: Theme,
    pub today: NaiveDate,
    pub tab: Tab,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub customers: CustomerRecords,
    pub counts: Counts,
    /// Wide terminals: whether the detail pane is beside the table.
    pub detail_open: bool,
    /// Narrow terminals: whether the detail fills the screen instead.
    pub detail_full: bool,
    /// The one prompt that has the keys (a form, a question, the touch
    /// entry, the reason prompt, the tag filter, the trash).
    pub modal: Option<Modal>,
    pub help: bool,
    /// The recent-messages log is open (any key closes it).
    pub messages_open: bool,
    /// Status messages, oldest first (the last [`MESSAGES_KEPT`]).
    pub messages: std::collections::VecDeque<Status>,
    pub status: Option<Status>,
    /// The last action, if `u` can take it back.
    pub undo: Option<Undo>,
    /// A sweep started by a write (its cut points may have moved) runs.
    pub retagging: bool,
    /// The book's currency, shown in a new deal's or product's form.
    pub book_currency: String,
    pub quit: bool,
    /// Dashboard, Opportunities, Products and Activities.
    pub tabs: super::tabs::TabsState,
    /// `/` and Ctrl-K search.
    pub search: super::search::SearchState,
    /// On a team book: the role this dossier works as (whose records are
    /// "mine"); None on a local book, which has no owners.
    pub team: Option<String>,
    /// The lists keep to the records [`App::team`] owns ("mine"), else show
    /// all the team's.
    pub mine: bool,
}

impl App {
    pub fn new(keymap: KeyMap, theme: Theme, today: NaiveDate) -> App {
        App {
            keymap,
            theme,
            today,
            tab: Tab::Customers,
            size: (80, 24),
            customers: CustomerRecords::default(),
            counts: Counts::default(),
            detail_open: true,
            detail_full: false,
            modal: None,
            help: false,
            messages_open: false,
            messages: Default::default(),
            status: None,
            undo: None,
            retagging: false,
            book_currency: "CNY".into(),
            quit: false,
            tabs: Default::default(),
            search: Default::default(),
            team: None,
            mine: false,
        }
    }

    /// Whose records the lists keep to: the connected role's when "mine"
    /// is on (team books only).
    pub fn owner_filter(&self) -> Option<String> {
        self.team.clone().filter(|_| self.mine)
    }

    /// The effects that load the first screen.
    pub fn start(&mut self, offer_demo: bool) -> Vec<Effect> {
        if offer_demo {
            self.ask(Confirm::new(
                super::labels::t("ask-load-demo"),
                Pending::LoadDemo,
            ));
        }
        let mut fx = vec![Effect::Sweep { force: false }, Effect::LoadTeam];
        self.customers.reload(None);
        self.sync(&mut fx);
        fx
    }

    /// The open form (also while a question over it is open).
    pub fn form(&self) -> Option<&RecordForm> {
        self.modal.as_ref().and_then(Modal::form)
    }

    pub fn form_mut(&mut self) -> Option<&mut RecordForm> {
        self.modal.as_mut().and_then(Modal::form_mut)
    }

    /// The open yes/no question.
    pub fn confirm(&self) -> Option<&Confirm> {
        match &self.modal {
            Some(Modal::Question { confirm, .. }) => Some(confirm),
            _ => None,
        }
    }

    pub fn touch(&self) -> Option<&TouchEntry> {
        match &self.modal {
            Some(Modal::Touch(t)) => Some(t),
            _ => None,
        }
    }

    pub fn trash(&self) -> Option<&super::trash::TrashView> {
        match self.modal.as_ref().map(Modal::base) {
            Some(Modal::Trash(t)) => Some(t),
            _ => None,
        }
    }

    pub fn tag_filter(&self) -> Option<&super::tag_filter::TagFilter> {
        match &self.modal {
            Some(Modal::TagFilter(f)) => Some(f),
            _ => None,
        }
    }

    pub fn reason(&self) -> Option<&super::tabs::ReasonPrompt> {
        match &self.modal {
            Some(Modal::Reason(r)) => Some(r),
            _ => None,
        }
    }

    /// Asks a yes/no question over whatever prompt is open (it comes back
    /// on "no").
    pub(super) fn ask(&mut self, confirm: Confirm) {
        let under = match self.modal.take() {
            // A question replaces a question.
            Some(Modal::Question { under, .. }) => under.map(|b| *b),
            other => other,
        };
        self.modal = Some(Modal::question(confirm, under));
    }

    pub fn is_wide(&self) -> bool {
        self.size.0 >= WIDE
    }

    /// Rows the customer table shows (screen minus tab bar, status line,
    /// borders and header).
    pub fn table_rows(&self) -> usize {
        self.size.1.saturating_sub(5).max(1) as usize
    }

    /// Whether the detail pane is on screen.
    pub fn detail_visible(&self) -> bool {
        self.tab == Tab::Customers
            && if self.is_wide() {
                self.detail_open
            } else {
                self.detail_full
            }
    }

    /// Which key bindings apply now: the open prompt's, else the form's,
    /// else the list's.
    pub fn context(&self) -> Context {
        match &self.modal {
            None => Context::List,
            Some(Modal::Question { .. }) => Context::Confirm,
            Some(Modal::Trash(_)) => Context::Trash,
            Some(Modal::Touch(t)) if t.kind.is_none() => Context::Touch,
            Some(Modal::Touch(_) | Modal::Reason(_)) => Context::Prompt,
            Some(Modal::Form(f)) if f.picker.is_some() => Context::Picker,
            Some(Modal::Form(_)) => Context::Form,
            Some(Modal::TagFilter(_)) => Context::Filter,
        }
    }

    /// Whether what is open reads typed text.
    fn typing(&self) -> bool {
        matches!(
            self.context(),
            Context::Form | Context::Picker | Context::Filter | Context::Prompt
        )
    }

    /// Turns a key press into an action: a binding of the current context,
    /// else the raw key for the focused field or overlay.
    pub fn key_action(&self, key: &KeyEvent) -> Option<Action> {
        if self.help {
            return Some(Action::Help);
        }
        if self.messages_open {
            return Some(Action::Messages);
        }
        if self.modal.is_none() {
            if let Some(a) = self.search_key(key) {
                return Some(a);
            }
        }
        match self.keymap.action(self.context(), key) {
            Some(a) => Some(a),
            None if self.context() != Context::List => Some(Action::Key(*key)),
            None => None,
        }
    }

    /// A paste (one bracketed-paste event) typed into the focused field or
    /// search, character by character through the field's own editing;
    /// line breaks and tabs become spaces, other controls are dropped. With
    /// no text field focused a paste does nothing: its letters would run
    /// list commands. Cut at [`PASTE_MAX_CHARS`] (longer than any field).
    pub fn paste_actions(&self, text: &str) -> Vec<Action> {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let searching = self.search.mode.is_some() && self.modal.is_none();
        let typing = self.confirm().is_none() && !self.help && (searching || self.typing());
        if !typing {
            return Vec::new();
        }
        // Multi-line text (Notes) keeps the paste's line breaks.
        let lines = !searching
            && self.context() == Context::Form
            && self.form().is_some_and(|f| f.focus_is_multiline());
        text.chars()
            .filter_map(|c| match c {
                '\n' if lines => Some(KeyCode::Enter),
                '\r' if lines => None,
                '\n' | '\r' | '\t' => Some(KeyCode::Char(PASTED_SPACE)),
                c if c.is_control() => None,
                '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => None,
                c => Some(KeyCode::Char(c)),
            })
            .take(PASTE_MAX_CHARS)
            .map(|c| Action::Key(KeyEvent::new(c, KeyModifiers::NONE)))
            .collect()
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.say(text.into(), false);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.say(text.into(), true);
    }

    /// Shows a message on the status line and keeps it in the log (`H`).
    fn say(&mut self, text: String, error: bool) {
        let status = Status { text, error };
        if self.messages.len() == MESSAGES_KEPT {
            self.messages.pop_front();
        }
        self.messages.push_back(status.clone());
        self.status = Some(status);
    }

    /// The single place state changes in answer to the person.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut fx = Vec::new();
        if let Action::Resize(w, h) = action {
            self.size = (w, h);
            let rows = self.table_rows();
            self.customers.move_by(0, rows);
        } else if self.help {
            self.help = false;
        } else if self.messages_open {
            self.messages_open = false;
        } else if self.modal.is_some() {
            self.update_modal(action, &mut fx);
        } else if self.search.mode.is_some() {
            self.update_search(action, &mut fx);
        } else {
            self.update_list(action, &mut fx);
        }
        self.sync(&mut fx);
        fx
    }

    /// Adds the loads the current position needs.
    fn sync(&mut self, fx: &mut Vec<Effect>) {
        self.sync_lists(fx);
    }

    /// Takes in what the runtime brought back.
    pub fn apply(&mut self, outcome: Outcome) -> Vec<Effect> {
        let mut fx = Vec::new();
        match outcome {
            Outcome::Ids { .. }
            | Outcome::Rows { .. }
            | Outcome::Detail(_)
            | Outcome::TagCounts(..)
            | Outcome::Dashboard(..) => self.apply_load(outcome),
            Outcome::Counts(c) => self.counts = c,
            Outcome::Team(role) => self.team = role,
            Outcome::ChangedElsewhere { lists } => self.changed_elsewhere(lists, &mut fx),
            Outcome::FormRecordNow {
                kind,
                id,
                version,
                owner,
            } => self.form_record_now(kind, id, version, owner),
            Outcome::Picked(req, choices) => {
                if let Some(form) = self.form_mut() {
                    form.set_choices(&req, choices);
                }
            }
            Outcome::FormReady(form) => {
                // Ctrl-R: the record as stored now replaces its open form.
                let reloaded = self.form().is_some_and(|open| {
                    open.base.id() != 0
                        && open.base.kind() == form.base.kind()
                        && open.base.id() == form.base.id()
                });
                if reloaded {
                    self.info(super::labels::t("status-form-reloaded"));
                }
                if self.modal.is_none() || reloaded {
                    let (kind, id) = (form.base.kind(), form.base.id());
                    if id != 0 && !reloaded {
                        fx.push(Effect::CheckFormRecord { kind, id });
                    }
                    self.modal = Some(Modal::Form(form));
                }
            }
            Outcome::Saved {
                record,
                added,
                changes,
                customer,
            } => self.saved(*record, added, changes, customer, &mut fx),
            Outcome::SaveFailed { message, fields } => {
                self.invalidate_lists();
                if let Some(form) = self.form_mut() {
                    match fields {
                        Some(errors) => form.set_errors(errors),
                        None => form.message = Some(message.clone()),
                    }
                }
                self.error(crate::tr!("status-not-saved", message = message.as_str()));
            }
            Outcome::Deleted {
                kind,
                id,
                name,
                changes,
            } => {
                let key = self.undo_key();
                self.info(crate::tr!(
                    "status-trashed",
                    name = super::views::clean(&name),
                    key = key,
                    related = related(&changes)
                ));
                self.undo = Some(Undo::Delete { kind, id, name });
                self.written_elsewhere(&mut fx);
            }
            Outcome::Restored {
                kind,
                id,
                name,
                changes,
            } => {
                self.info(crate::tr!(
                    "status-restored",
                    name = super::views::clean(&name),
                    related = related(&changes)
                ));
                self.written_elsewhere(&mut fx);
                self.select_after_write(kind, id);
            }
            Outcome::TouchLogged {
                id,
                name,
                changes,
                answered,
            } => {
                self.undo = None;
                let answered: String = answered
                    .iter()
                    .map(|f| {
                        format!(
                            " · {}",
                            crate::tr!("status-follow-up-closed", due = f.due.to_string())
                        )
                    })
                    .collect();
                self.info(format!(
                    "{}{answered}{}",
                    crate::tr!("status-touch-logged", name = name.as_str()),
                    describe_changes(&changes, id)
                ));
                self.invalidate_lists();
            }
            Outcome::FollowUpDone {
                customer,
                what,
                changes,
            } => {
                self.info(format!("{what}{}", describe_changes(&changes, customer)));
                self.invalidate_lists();
            }
            Outcome::DemoLoaded(summary) => {
                self.info(summary);
                fx.push(Effect::Sweep { force: true });
                self.written_elsewhere(&mut fx);
            }
            Outcome::Retagging => {
                self.retagging = true;
                self.info(super::labels::t("status-retagging"));
            }
            Outcome::Swept {
                changed,
                rules_warning,
                after_write,
            } => {
                if let Some(w) = rules_warning {
                    self.error(w);
                } else if changed > 0 && (self.status.is_none() || after_write) {
                    self.info(crate::tr!("status-swept", count = changed));
                } else if self.retagging {
                    self.info(super::labels::t("status-swept-none"));
                }
                self.retagging = false;
                if changed > 0 {
                    self.invalidate_lists();
                }
            }
            Outcome::DuplicateWarning { typed, warning } => {
                if let Some(form) = self.form_mut() {
                    // Only for what is still typed (a slow answer may be stale).
                    if form.is_new()
                        && form.base.kind() == crate::domain::Kind::Customer
                        && form.identity().name == typed
                    {
                        form.duplicate = warning;
                    }
                }
            }
            Outcome::DuplicatesOf { id, name, found } => match found.first() {
                None => self.info(crate::tr!("status-no-duplicate", name = name.as_str())),
                Some((dup, label, reason)) => {
                    let more = if found.len() > 1 {
                        format!(" {}", crate::tr!("ask-merge-more", count = found.len() - 1))
                    } else {
                        String::new()
                    };
                    self.ask(Confirm::new(
                        crate::tr!(
                            "ask-merge",
                            id = *dup,
                            label = label.as_str(),
                            reason = reason.as_str(),
                            name = name.as_str(),
                            more = more
                        ),
                        Pending::Merge {
                            keep: id,
                            duplicate: *dup,
                        },
                    ));
                }
            },
            Outcome::Merged {
                keep,
                merge_id,
                label,
                changes,
                ..
            } => {
                let key = self.undo_key();
                self.info(crate::tr!(
                    "status-merged",
                    label = label.as_str(),
                    changes = describe_changes(&changes, keep),
                    key = key
                ));
                self.undo = Some(Undo::Merge { merge_id, label });
                self.written_elsewhere(&mut fx);
                self.customers.reload(Some(keep));
            }
            Outcome::Unmerged {
                keep,
                label,
                changes,
                ..
            } => {
                self.info(crate::tr!(
                    "status-unmerged",
                    label = label.as_str(),
                    changes = describe_changes(&changes, keep)
                ));
                self.written_elsewhere(&mut fx);
                self.customers.reload(Some(keep));
            }
            Outcome::Trash(entries) => {
                if let Some(t) = self.modal.as_mut().and_then(Modal::trash_mut) {
                    t.set(entries);
                }
            }
            Outcome::TrashRestored {
                kind,
                id,
                label,
                changes,
            } => {
                self.info(crate::tr!(
                    "status-trash-restored",
                    kind = super::labels::kind(kind),
                    label = super::views::clean(&label),
                    changes = describe_changes(&changes, id)
                ));
                self.written_elsewhere(&mut fx);
                if self.trash().is_some() {
                    fx.push(Effect::LoadTrash);
                }
            }
            Outcome::TrashPurged { label } => {
                self.info(crate::tr!(
                    "status-purged",
                    label = super::views::clean(&label)
                ));
                self.written_elsewhere(&mut fx);
                if self.trash().is_some() {
                    fx.push(Effect::LoadTrash);
                }
            }
            Outcome::Search(o) => self.apply_search(o, &mut fx),
            Outcome::Failed(message) => {
                self.error(message);
                // The record may have changed elsewhere: read it again.
                self.customers.invalidate();
            }
        }
        self.sync(&mut fx);
        fx
    }

    /// A record of any kind was saved: the form closes, the status line
    /// names the tags that moved (the record's own first), and the list
    /// reads the record back selected.
    fn saved(
        &mut self,
        record: crate::domain::AnyRecord,
        added: bool,
        changes: Vec<TagChange>,
        customer: Option<(i64, String)>,
        fx: &mut Vec<Effect>,
    ) {
        use crate::domain::{AnyRecord, Kind};
        if self.form().is_some() {
            self.modal = None;
        }
        let (kind, id) = (record.kind(), record.id());
        // A stage move can be undone; any other save is the last action
        // now, and u takes back nothing older.
        let before = self
            .tabs
            .stage_before
            .take()
            .filter(|b| kind == Kind::Opportunity && b.meta.id == id);
        let undo_hint = match &before {
            Some(_) => format!(" — {}", crate::tr!("status-to-undo", key = self.undo_key())),
            None => String::new(),
        };
        self.undo = before.map(|b| Undo::Stage {
            before: Box::new(b),
        });
        match &record {
            AnyRecord::Customer(c) => {
                let tags = if added {
                    describe_new_tags(&changes, id)
                } else {
                    describe_changes(&changes, id)
                };
                let saved = super::status::saved(added, &c.name);
                self.info(format!("{saved}{tags}"));
            }
            other => {
                let what = format!("{} {}", super::labels::noun(other.noun()), other.title());
                self.info(format!(
                    "{}{}{undo_hint}",
                    super::status::saved(added, &super::views::clean(&what)),
                    super::status::describe(&changes, (kind, id), customer.as_ref())
                ));
            }
        }
        self.invalidate_lists();
        self.select_after_write(kind, id);
        if kind == Kind::Customer {
            self.reload_counts(fx);
        }
    }

    /// The key `u` is bound to, for the status line.
    fn undo_key(&self) -> String {
        self.keymap
            .key_for(Context::List, &Action::Undo)
            .unwrap_or("u")
            .to_string()
    }
}

/// ` · 3 tags moved on related records` after a delete or restore.
fn related(changes: &[TagChange]) -> String {
    if changes.is_empty() {
        String::new()
    } else {
        format!(
            " · {}",
            crate::tr!("status-related-tags", count = changes.len())
        )
    }
}

impl App {
    /// Every list may show records a write outside them changed (the trash
    /// restores and purges records of any kind): read them again.
    pub(super) fn written_elsewhere(&mut self, fx: &mut Vec<Effect>) {
        self.invalidate_lists();
        self.reload_counts(fx);
    }

    /// Every list reads its records again when shown.
    pub(super) fn invalidate_lists(&mut self) {
        self.customers.invalidate();
        self.tabs.invalidate();
    }

    /// Counting a big book scans it, so counts are read for the dashboard only.
    pub(super) fn reload_counts(&self, fx: &mut Vec<Effect>) {
        if self.tab == Tab::Dashboard {
            fx.push(Effect::LoadCounts);
        }
    }
}

/// For a new record every tag is new: ` · value: low, lifecycle: new, 12
/// more tags` rather than the whole list.
pub fn describe_new_tags(changes: &[TagChange], id: i64) -> String {
    super::status::describe_new(changes, id)
}

/// ` · status: prospect → existing, value: low → high` for customer `id`,
/// then how many tags moved on related records (its deals, products,
/// campaigns).
pub fn describe_changes(changes: &[TagChange], id: i64) -> String {
    super::status::describe(changes, (crate::domain::Kind::Customer, id), None)
}

impl super::effect::Model for App {
    fn update(&mut self, action: Action) -> Vec<Effect> {
        App::update(self, action)
    }
    fn apply(&mut self, outcome: Outcome) -> Vec<Effect> {
        App::apply(self, outcome)
    }
    fn search_waiting(&self) -> bool {
        self.search.waiting
    }
    fn search_ready(&self) -> bool {
        self.search.ready
    }
}
