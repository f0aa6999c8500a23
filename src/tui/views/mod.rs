//! Drawing. Every function here takes `&App` and never changes it.

mod board;
mod customers;
mod dashboard;
mod detail;
mod help;
pub(crate) use help::pretty as pretty_key;
mod messages;
mod overlay;
mod record_detail;
mod record_form;
mod record_table;
pub mod search;
mod tab_views;
mod trash;

use super::app::{App, Tab};
use super::labels::t as tr_key;
use crate::domain::text::sanitize_for_terminal;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let message = status_message(app, frame.area().width);
    let rows = message.as_ref().map_or(1, |m| m.len().max(1) as u16);
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(rows),
    ])
    .areas(frame.area());
    draw_tabs(frame, app, tabs);
    match app.tab {
        Tab::Customers => customers::draw(frame, app, body),
        Tab::Dashboard => dashboard::draw(frame, app, body),
        Tab::Opportunities => tab_views::draw_deals(frame, app, body),
        Tab::Products => tab_views::draw_products(frame, app, body),
        Tab::Activities => tab_views::draw_activities(frame, app, body),
    }
    draw_status(frame, app, message, status);
    if let Some(modal) = &app.modal {
        draw_modal(frame, app, modal, body);
    }
    if app.search.mode == Some(crate::tui::search::SearchMode::Global) {
        search::draw_global(frame, app, body);
    }
    if app.help {
        help::draw(frame, app, body);
    }
    if app.messages_open {
        messages::draw(frame, app, body);
    }
}

/// The open prompt (a question over the prompt it returns to).
fn draw_modal(frame: &mut Frame, app: &App, modal: &crate::tui::modal::Modal, body: Rect) {
    use crate::tui::modal::Modal;
    match modal {
        Modal::Form(form) => record_form::draw(frame, app, form, body),
        Modal::Reason(r) => record_form::draw_reason(frame, app, r, body),
        Modal::TagFilter(f) => record_form::draw_filter(frame, app, f, body),
        Modal::Touch(touch) => overlay::draw_touch(frame, app, touch, body),
        Modal::Trash(trash) => trash::draw(frame, app, trash, body),
        Modal::Question { confirm, under } => {
            if let Some(under) = under {
                draw_modal(frame, app, under, body);
            }
            overlay::draw_confirm(frame, app, confirm, body);
        }
    }
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let mut spans = vec![Span::styled(" dossier ", t.title())];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, tab_title(*tab));
        let style = if *tab == app.tab {
            t.tab_active()
        } else {
            t.dim()
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A tab's name in the language in force.
pub(crate) fn tab_title(tab: Tab) -> String {
    tr_key(match tab {
        Tab::Dashboard => "tab-dashboard",
        Tab::Customers => "tab-customers",
        Tab::Opportunities => "tab-opportunities",
        Tab::Products => "tab-products",
        Tab::Activities => "tab-activities",
    })
}

/// The status message (not while a tab's search owns the line) in lines
/// of the screen's width: a message wider than the screen wraps onto up to
/// three rows instead of being cut.
fn status_message(app: &App, width: u16) -> Option<Vec<String>> {
    if matches!(
        app.search.mode,
        Some(crate::tui::search::SearchMode::Tab(_))
    ) {
        return None;
    }
    let s = app.status.as_ref()?;
    let mut lines = help::wrap(&clean(&s.text), usize::from(width.max(1)));
    lines.truncate(3);
    Some(lines)
}

fn draw_status(frame: &mut Frame, app: &App, message: Option<Vec<String>>, area: Rect) {
    let t = &app.theme;
    let lines = match (message, &app.status) {
        (Some(lines), Some(s)) => {
            let style = if s.error { t.error() } else { t.ok() };
            lines
                .into_iter()
                .map(|l| Line::from(Span::styled(l, style)))
                .collect()
        }
        _ if matches!(
            app.search.mode,
            Some(crate::tui::search::SearchMode::Tab(_))
        ) =>
        {
            vec![search::status_line(app).unwrap_or_default()]
        }
        _ => vec![Line::from(Span::styled(hint(app), t.dim()))],
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// The keys worth knowing on the current screen, read from the key map so
/// a rebound key shows as rebound.
fn hint(app: &App) -> String {
    use super::action::Action;
    use super::keymap::Context;
    let ctx = app.context();
    if matches!(
        ctx,
        Context::Picker
            | Context::Filter
            | Context::Touch
            | Context::Prompt
            | Context::Confirm
            | Context::Trash
    ) {
        return prompt_hint(app, ctx);
    }
    if let Some(form) = app.form() {
        return form_hint(app, form);
    }
    if let Some(h) = tab_hint(app) {
        return with_mine(app, h);
    }
    let (ctx, items): (Context, &[(Action, &str)]) = if app.is_wide() {
        (
            Context::List,
            &[
                (Action::Help, "hint-help"),
                (Action::Add, "hint-add"),
                (Action::Edit, "hint-edit"),
                (Action::Delete, "hint-delete"),
                (Action::Undo, "hint-undo"),
                (Action::LogTouch, "hint-touch"),
                (Action::SortNext, "hint-sort"),
                (Action::ToggleDetail, "hint-detail"),
                (Action::Quit, "hint-quit"),
            ],
        )
    } else {
        (
            Context::List,
            &[
                (Action::Help, "hint-help"),
                (Action::Add, "hint-add"),
                (Action::Edit, "hint-edit"),
                (Action::Delete, "hint-del"),
                (Action::LogTouch, "hint-touch"),
                (Action::ToggleDetail, "hint-detail"),
                (Action::Quit, "hint-quit"),
            ],
        )
    };
    let parts: Vec<String> = items
        .iter()
        .filter_map(|(a, label)| {
            app.keymap
                .key_for(ctx, a)
                .map(|k| format!("{} {}", help::pretty(k), tr_key(label)))
        })
        .collect();
    with_mine(app, parts.join(" · "))
}

/// On a team book the lists' hint starts with the "mine / team" key.
fn with_mine(app: &App, hint: String) -> String {
    use super::action::Action;
    use super::keymap::Context;
    match app.keymap.key_for(Context::List, &Action::ToggleMine) {
        Some(k) if app.team.is_some() && app.modal.is_none() => {
            format!("{} {} · {hint}", help::pretty(k), tr_key("hint-mine"))
        }
        _ => hint,
    }
}

/// The keys of the open prompt, as the key map binds them.
fn prompt_hint(app: &App, ctx: super::keymap::Context) -> String {
    app.keymap
        .bindings(ctx)
        .iter()
        .filter_map(|b| {
            let key = b.keys.first()?;
            Some(format!(
                "{} {}",
                help::pretty(key),
                b.describe().to_lowercase()
            ))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The keys of the open form, for what the focused field is.
fn form_hint(app: &App, form: &crate::tui::record_form::RecordForm) -> String {
    use super::action::Action;
    use super::keymap::Context;
    let key = |a: Action| {
        app.keymap
            .key_for(Context::Form, &a)
            .map(help::pretty)
            .unwrap_or_default()
    };
    let field = form.fields.get(form.focus);
    let mut parts = vec![format!(
        "{} {}",
        key(Action::NextField),
        tr_key("hint-next-field")
    )];
    if field.is_some_and(|f| f.choices.is_some()) {
        parts.push(tr_key("hint-choose"));
    } else if form.focus_is_multiline() {
        parts.push(tr_key("hint-new-line"));
    } else if form.pick_kind_at(form.focus).is_some() {
        parts.push(tr_key("hint-pick-link"));
    }
    if form.changed_underneath.is_some() {
        parts.push(format!(
            "{} {}",
            key(Action::Reload),
            tr_key("hint-form-reload")
        ));
    }
    parts.push(format!("{} {}", key(Action::Save), tr_key("hint-save")));
    parts.push(format!("{} {}", key(Action::Cancel), tr_key("hint-close")));
    parts.join(" · ")
}

/// Record text made safe and single-line for a cell.
pub(crate) fn clean(s: &str) -> String {
    sanitize_for_terminal(s)
}

/// Clears `rect` for a popup. A wide (CJK) character underneath that
/// straddles the popup's left or right edge is blanked too: half of it is
/// covered, and the terminal would otherwise draw it over the border (the
/// cell after a wide character is skipped when the screen is updated).
pub(crate) fn clear_popup(frame: &mut Frame, rect: Rect) {
    use ratatui::widgets::Clear;
    use unicode_width::UnicodeWidthStr;
    let buf = frame.buffer_mut();
    let area = buf.area;
    for y in rect.top()..rect.bottom() {
        // The cell left of the popup, and the popup's own last cell (whose
        // wide character would spill one column out).
        for x in [rect.left().checked_sub(1), rect.right().checked_sub(1)]
            .into_iter()
            .flatten()
        {
            if x < area.left() || x >= area.right() {
                continue;
            }
            if let Some(cell) = buf.cell_mut((x, y)) {
                if cell.symbol().width() > 1 {
                    cell.set_symbol(" ");
                }
            }
        }
    }
    frame.render_widget(Clear, rect);
}

/// `text` cut to `width` display columns (CJK counts two).
pub(crate) fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    let mut out = String::new();
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(ch);
    }
    out
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The keys of the Dashboard, Opportunities, Products and Activities tabs.
fn tab_hint(app: &App) -> Option<String> {
    use super::action::Action;
    use super::keymap::Context;
    let items: &[(Action, &str)] = if app.modal.is_some() {
        return None;
    } else {
        match app.tab {
            Tab::Dashboard => &[
                (Action::Down, "hint-next"),
                (Action::Edit, "hint-open"),
                (Action::Reload, "hint-reload"),
                (Action::Help, "hint-help"),
                (Action::Quit, "hint-quit"),
            ],
            Tab::Opportunities => &[
                (Action::Add, "hint-add"),
                (Action::Edit, "hint-edit"),
                (Action::StageNext, "hint-stage"),
                (Action::StagePrev, "hint-back"),
                (Action::MarkWon, "hint-won"),
                (Action::MarkLost, "hint-lost"),
                (Action::Board, "hint-board"),
                (Action::Filter, "hint-filter"),
                (Action::SortNext, "hint-sort"),
                (Action::Help, "hint-help"),
            ],
            Tab::Products => &[
                (Action::Add, "hint-add"),
                (Action::Edit, "hint-edit"),
                (Action::Delete, "hint-delete"),
                (Action::Filter, "hint-filter"),
                (Action::SortNext, "hint-sort"),
                (Action::ToggleDetail, "hint-detail"),
                (Action::Help, "hint-help"),
                (Action::Quit, "hint-quit"),
            ],
            Tab::Activities => &[
                (Action::Add, "hint-add"),
                (Action::AddCampaign, "hint-campaign"),
                (Action::CycleKind, "hint-kinds"),
                (Action::Edit, "hint-edit"),
                (Action::Delete, "hint-del"),
                (Action::Filter, "hint-filter"),
                (Action::SortNext, "hint-sort"),
                (Action::Help, "hint-help"),
            ],
            Tab::Customers => return None,
        }
    };
    let parts: Vec<String> = items
        .iter()
        .filter_map(|(a, label)| {
            app.keymap
                .key_for(Context::List, a)
                .map(|k| format!("{} {}", help::pretty(k), tr_key(label)))
        })
        .collect();
    Some(parts.join(" · "))
}
