//! The trash popup: deleted records of every kind, newest first.

use super::{centered, clean, clear_popup, fit};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::labels::{self, t as tr_key};
use crate::tui::trash::TrashView;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

pub fn draw(frame: &mut Frame, app: &App, trash: &TrashView, area: Rect) {
    let t = &app.theme;
    let popup = centered(area, area.width.min(90), area.height.min(20));
    clear_popup(frame, popup);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(
            " {} ",
            crate::tr!("trash-title", count = trash.entries.len())
        ),
        t.title(),
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let width = inner.width as usize;
    let rows = inner.height.saturating_sub(1) as usize;
    let mut lines = Vec::new();
    if !trash.loaded {
        lines.push(Line::styled(tr_key("loading"), t.dim()));
    } else if trash.entries.is_empty() {
        lines.push(Line::styled(tr_key("trash-empty"), t.dim()));
    }
    // Keep the cursor on screen.
    let first = trash.cursor.saturating_sub(rows.saturating_sub(1));
    for (i, e) in trash.entries.iter().enumerate().skip(first).take(rows) {
        let when = e.deleted_at.format("%Y-%m-%d %H:%M").to_string();
        let kind = labels::pad(&labels::kind(e.kind), 12);
        let label_width = width.saturating_sub(kind.width() + when.width() + 2);
        let label = fit(&clean(&e.label), label_width);
        let pad = label_width.saturating_sub(label.width());
        let text = format!("{kind}{label}{} {when} ", " ".repeat(pad + 1));
        let style = if i == trash.cursor {
            t.selected()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::styled(text, style));
    }
    while lines.len() < rows {
        lines.push(Line::raw(""));
    }
    let key = |a: Action| {
        app.keymap
            .key_for(Context::Trash, &a)
            .unwrap_or("?")
            .to_string()
    };
    lines.push(Line::styled(
        crate::tr!(
            "trash-keys",
            restore = key(Action::Restore),
            purge = key(Action::Purge),
            close = key(Action::Cancel)
        ),
        t.dim(),
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
