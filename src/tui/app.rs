//! The application state and its one entry point for change:
//! `update(action) -> effects`, plus `apply(outcome) -> effects` for the
//! answers the runtime brings back. Nothing here touches the terminal or
//! the database.

use super::action::Action;
use super::customers::CustomerList;
use super::effect::{Effect, Outcome};
use super::keymap::{Context, KeyMap};
use super::overlay::{Confirm, Pending, TouchEntry};
use super::record_form::RecordForm;
use super::theme::Theme;
use crate::store::{Counts, TagChange};
use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

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
            Undo::Delete { name, .. } => format!("restore {name} from the trash"),
            Undo::Merge { label, .. } => format!("undo the merge of {label}"),
            Undo::Stage { before } => format!("move {} back to {}", before.title, before.stage),
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
    pub customers: CustomerList,
    pub counts: Counts,
    /// Wide terminals: whether the detail pane is beside the table.
    pub detail_open: bool,
    /// Narrow terminals: whether the detail fills the screen instead.
    pub detail_full: bool,
    /// Detail pane scroll: (customer id, lines scrolled).
    pub detail_scroll: (i64, u16),
    /// The one form, for a record of any kind.
    pub form: Option<RecordForm>,
    pub touch: Option<TouchEntry>,
    pub confirm: Option<Confirm>,
    pub help: bool,
    /// The recent-messages log is open (any key closes it).
    pub messages_open: bool,
    /// Status messages, oldest first (the last [`MESSAGES_KEPT`]).
    pub messages: std::collections::VecDeque<Status>,
    /// The trash view, when open.
    pub trash: Option<super::trash::TrashView>,
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
}

impl App {
    pub fn new(keymap: KeyMap, theme: Theme, today: NaiveDate) -> App {
        App {
            keymap,
            theme,
            today,
            tab: Tab::Customers,
            size: (80, 24),
            customers: CustomerList::default(),
            counts: Counts::default(),
            detail_open: true,
            detail_full: false,
            detail_scroll: (0, 0),
            form: None,
            touch: None,
            confirm: None,
            help: false,
            messages_open: false,
            messages: Default::default(),
            trash: None,
            status: None,
            undo: None,
            retagging: false,
            book_currency: "CNY".into(),
            quit: false,
            tabs: Default::default(),
            search: Default::default(),
        }
    }

    /// The effects that load the first screen.
    pub fn start(&mut self, offer_demo: bool) -> Vec<Effect> {
        if offer_demo {
            self.confirm = Some(Confirm::new(
                "This book is empty. Load the demo book to look around? (y/n)",
                Pending::LoadDemo,
            ));
        }
        vec![Effect::Sweep { force: false }, self.customers.reload(None)]
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
        if self.confirm.is_some() {
            Context::Confirm
        } else if self.trash.is_some() {
            Context::Trash
        } else if let Some(touch) = &self.touch {
            if touch.kind.is_none() {
                Context::Touch
            } else {
                Context::Prompt
            }
        } else if let Some(form) = &self.form {
            if form.picker.is_some() {
                Context::Picker
            } else {
                Context::Form
            }
        } else if self.tabs.filter.is_some() {
            Context::Filter
        } else if self.tabs.reason.is_some() {
            Context::Prompt
        } else {
            Context::List
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
        if self.confirm.is_none() && !self.search_input_blocked() {
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
        let searching = self.search.mode.is_some() && !self.search_input_blocked();
        let typing = self.confirm.is_none() && !self.help && (searching || self.typing());
        if !typing {
            return Vec::new();
        }
        // Multi-line text (Notes) keeps the paste's line breaks.
        let lines = !searching
            && self.context() == Context::Form
            && self.form.as_ref().is_some_and(|f| f.focus_is_multiline());
        text.chars()
            .filter_map(|c| match c {
                '\n' if lines => Some(KeyCode::Enter),
                '\r' if lines => None,
                '\n' | '\r' | '\t' => Some(KeyCode::Char(' ')),
                c if c.is_control() => None,
                '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => None,
                c => Some(KeyCode::Char(c)),
            })
            .take(PASTE_MAX_CHARS)
            .map(|c| Action::Key(KeyEvent::new(c, KeyModifiers::NONE)))
            .collect()
    }

    /// A form or overlay above the search has the keys.
    fn search_input_blocked(&self) -> bool {
        self.form.is_some() || self.touch.is_some() || self.tabs.modal() || self.trash.is_some()
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
        } else if self.confirm.is_some() {
            self.update_confirm(action, &mut fx);
        } else if self.trash.is_some() {
            self.update_trash(action, &mut fx);
        } else if self.touch.is_some() {
            self.update_touch(action, &mut fx);
        } else if self.form.is_some() {
            self.update_form(action, &mut fx);
        } else if self.tabs.modal() {
            self.update_tabs_modal(action, &mut fx);
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
        if self.tab == Tab::Customers {
            // The selected file is loaded even when the pane is hidden: edit,
            // delete and touch need it, and it is three indexed reads.
            let rows = self.table_rows();
            fx.extend(self.customers.needs(rows, true));
        }
        self.sync_tabs(fx);
    }

    /// Takes in what the runtime brought back.
    pub fn apply(&mut self, outcome: Outcome) -> Vec<Effect> {
        let mut fx = Vec::new();
        let rows = self.table_rows();
        match outcome {
            Outcome::Ids {
                sort,
                ids,
                select,
                partial,
            } => {
                let was_sorting = self.customers.sorting;
                let ids = self.narrow_to_search(ids);
                self.customers.set_ids(sort, ids, select, rows);
                if partial {
                    self.customers.partial = true;
                    self.customers.sorting = true;
                }
                if was_sorting
                    && sort != Default::default()
                    && self
                        .status
                        .as_ref()
                        .is_some_and(|s| s.text.starts_with("Sorting"))
                {
                    self.info(format!("Sorted by {}", sort.label()));
                }
            }
            Outcome::Rows { range, rows } => self.customers.set_rows(range, rows),
            Outcome::Detail(file) => self.customers.set_detail(*file),
            Outcome::Counts(c) => self.counts = c,
            Outcome::Saved {
                customer,
                added,
                changes,
            } => {
                self.form = None;
                // A save is not undone by u: the last action is now this one.
                self.undo = None;
                let verb = if added { "Added" } else { "Saved" };
                let tags = if added {
                    describe_new_tags(&changes, customer.meta.id)
                } else {
                    describe_changes(&changes, customer.meta.id)
                };
                self.info(format!("{verb} {}{}", customer.name, tags));
                // The new id list clears the rows and the file and asks for
                // them once (forgetting them here too read them twice).
                fx.push(self.customers.reload(Some(customer.meta.id)));
                self.reload_counts(&mut fx);
                self.tabs.invalidate();
            }
            Outcome::SaveFailed { message, fields } => {
                self.customers.invalidate();
                if let Some(form) = self.form.as_mut() {
                    match fields {
                        Some(errors) => form.set_errors(errors),
                        None => form.message = Some(message.clone()),
                    }
                }
                self.error(format!("Not saved: {message}"));
            }
            Outcome::Deleted { id, name } => {
                self.undo = Some(Undo::Delete {
                    kind: crate::domain::Kind::Customer,
                    id,
                    name: name.clone(),
                });
                let key = self
                    .keymap
                    .key_for(Context::List, &Action::Undo)
                    .unwrap_or("u")
                    .to_string();
                self.info(format!("{name} moved to the trash — {key} to undo"));
                fx.push(self.customers.reload(None));
                self.reload_counts(&mut fx);
            }
            Outcome::Restored { id, name } => {
                self.info(format!("{name} restored"));
                fx.push(self.customers.reload(Some(id)));
                self.reload_counts(&mut fx);
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
                    .map(|f| format!(" · follow-up due {} closed by it", f.due))
                    .collect();
                self.info(format!(
                    "Touch logged with {name}{answered}{}",
                    describe_changes(&changes, id)
                ));
                self.customers.invalidate();
                self.tabs.invalidate();
            }
            Outcome::FollowUpDone {
                customer,
                what,
                changes,
            } => {
                self.info(format!("{what}{}", describe_changes(&changes, customer)));
                self.customers.invalidate();
                self.tabs.invalidate();
            }
            Outcome::DemoLoaded(summary) => {
                self.info(summary);
                fx.push(Effect::Sweep { force: true });
                fx.push(self.customers.reload(None));
                self.reload_counts(&mut fx);
                self.tabs.invalidate();
            }
            Outcome::Retagging => {
                self.retagging = true;
                self.info(
                    "Re-tagging the book in the background: this change may move the value, price or RFM tiers",
                );
            }
            Outcome::Swept {
                changed,
                rules_warning,
                after_write,
            } => {
                if let Some(w) = rules_warning {
                    self.error(w);
                } else if changed > 0 && (self.status.is_none() || after_write) {
                    self.info(format!(
                        "Tags brought up to date: {changed} record(s) changed"
                    ));
                } else if self.retagging {
                    self.info("Tags brought up to date: no tier moved");
                }
                self.retagging = false;
                if changed > 0 {
                    self.customers.invalidate();
                    fx.push(self.customers.reload(None));
                    self.tabs.invalidate();
                }
            }
            Outcome::DuplicateWarning { typed, warning } => {
                if let Some(form) = self.form.as_mut() {
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
                None => self.info(format!("No likely duplicate of {name}")),
                Some((dup, label, reason)) => {
                    let more = if found.len() > 1 {
                        format!(" ({} more after this one)", found.len() - 1)
                    } else {
                        String::new()
                    };
                    self.confirm = Some(Confirm::new(
                        format!(
                            "Merge #{dup} {label} ({reason}) into {name}? Its deals and activities move to {name}; u undoes it{more} (y/n)"
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
                let key = self
                    .keymap
                    .key_for(Context::List, &Action::Undo)
                    .unwrap_or("u")
                    .to_string();
                self.info(format!(
                    "Merged {label}{} — {key} to undo",
                    describe_changes(&changes, keep)
                ));
                self.undo = Some(Undo::Merge { merge_id, label });
                self.customers.invalidate();
                fx.push(self.customers.reload(Some(keep)));
                self.reload_counts(&mut fx);
            }
            Outcome::Unmerged {
                keep,
                label,
                changes,
                ..
            } => {
                self.info(format!(
                    "Merge undone: {label} are separate again{}",
                    describe_changes(&changes, keep)
                ));
                self.customers.invalidate();
                fx.push(self.customers.reload(Some(keep)));
                self.reload_counts(&mut fx);
            }
            Outcome::Trash(entries) => {
                if let Some(t) = self.trash.as_mut() {
                    t.set(entries);
                }
            }
            Outcome::TrashRestored {
                kind,
                id,
                label,
                changes,
            } => {
                self.info(format!(
                    "{kind} {} restored{}",
                    super::views::clean(&label),
                    describe_changes(&changes, id)
                ));
                self.written_elsewhere(&mut fx);
                if self.trash.is_some() {
                    fx.push(Effect::LoadTrash);
                }
            }
            Outcome::TrashPurged { label } => {
                self.info(format!("{} deleted for good", super::views::clean(&label)));
                self.written_elsewhere(&mut fx);
                if self.trash.is_some() {
                    fx.push(Effect::LoadTrash);
                }
            }
            Outcome::Tabs(o) => self.apply_tabs(o, &mut fx),
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
}

impl App {
    /// A kept `/` filter on Customers survives a new order (`s`) or a
    /// reload: the new list keeps only the matches, in the new order.
    fn narrow_to_search(&self, ids: Vec<i64>) -> Vec<i64> {
        if self.search.filter != Some(Tab::Customers) {
            return ids;
        }
        let hits: std::collections::HashSet<i64> = self.search.hits.iter().map(|h| h.id).collect();
        ids.into_iter().filter(|id| hits.contains(id)).collect()
    }

    /// Every list may show records a write outside them changed (the trash
    /// restores and purges records of any kind): read them again.
    fn written_elsewhere(&mut self, fx: &mut Vec<Effect>) {
        self.tabs.invalidate();
        self.customers.invalidate();
        fx.push(self.customers.reload(None));
        self.reload_counts(fx);
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
    let own: Vec<&TagChange> = changes
        .iter()
        .filter(|c| c.kind == crate::domain::Kind::Customer && c.id == id)
        .collect();
    if own.is_empty() {
        return " · no tags yet".into();
    }
    let mut parts: Vec<String> = ["value", "lifecycle"]
        .iter()
        .filter_map(|d| own.iter().find(|c| c.dimension == *d))
        .filter_map(|c| c.new.as_ref().map(|v| format!("{}: {v}", c.dimension)))
        .collect();
    let rest = own.len() - parts.len();
    if rest > 0 {
        parts.push(format!(
            "{rest} more tag{}",
            if rest == 1 { "" } else { "s" }
        ));
    }
    format!(" · {}", parts.join(", "))
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
