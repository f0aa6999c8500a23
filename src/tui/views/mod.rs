//! Drawing. Every function here takes `&App` and never changes it.

mod customers;
mod detail;
mod form;
mod help;
mod lists;
mod overlay;

use super::app::{App, Tab};
use crate::domain::text::sanitize_for_terminal;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_tabs(frame, app, tabs);
    match app.tab {
        Tab::Customers => customers::draw(frame, app, body),
        Tab::Dashboard => lists::draw_dashboard(frame, app, body),
        t => lists::draw(frame, app, t, body),
    }
    draw_status(frame, app, status);
    if let Some(form) = &app.form {
        form::draw(frame, app, form, body);
    }
    if let Some(touch) = &app.touch {
        overlay::draw_touch(frame, app, touch, body);
    }
    if let Some(confirm) = &app.confirm {
        overlay::draw_confirm(frame, app, confirm, body);
    }
    if app.help {
        help::draw(frame, app, body);
    }
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let mut spans = vec![Span::styled(" dossier ", t.title())];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, tab.title());
        let style = if *tab == app.tab {
            t.tab_active()
        } else {
            t.dim()
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let line = match &app.status {
        Some(s) => Line::from(Span::styled(
            clean(&s.text),
            if s.error { t.error() } else { t.ok() },
        )),
        None => Line::from(Span::styled(hint(app), t.dim())),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The keys worth knowing on the current screen, read from the key map so
/// a rebound key shows as rebound.
fn hint(app: &App) -> String {
    use super::action::Action;
    use super::keymap::Context;
    let (ctx, items): (Context, &[(Action, &str)]) = if app.form.is_some() {
        (
            Context::Form,
            &[
                (Action::NextField, "next field"),
                (Action::Save, "save"),
                (Action::Cancel, "close"),
            ],
        )
    } else if app.is_wide() {
        (
            Context::List,
            &[
                (Action::Help, "help"),
                (Action::Add, "add"),
                (Action::Edit, "edit"),
                (Action::Delete, "delete"),
                (Action::Undo, "undo"),
                (Action::LogTouch, "touch"),
                (Action::SortNext, "sort"),
                (Action::ToggleDetail, "detail"),
                (Action::Quit, "quit"),
            ],
        )
    } else {
        (
            Context::List,
            &[
                (Action::Help, "help"),
                (Action::Add, "add"),
                (Action::Edit, "edit"),
                (Action::Delete, "del"),
                (Action::LogTouch, "touch"),
                (Action::ToggleDetail, "detail"),
                (Action::Quit, "quit"),
            ],
        )
    };
    let mut parts: Vec<String> = items
        .iter()
        .filter_map(|(a, label)| {
            app.keymap
                .key_for(ctx, a)
                .map(|k| format!("{} {label}", help::pretty(k)))
        })
        .collect();
    if app.form.is_some() {
        parts.insert(1, "←/→ choose".into());
    }
    parts.join(" · ")
}

/// Record text made safe and single-line for a cell.
pub(crate) fn clean(s: &str) -> String {
    sanitize_for_terminal(s)
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
