//! Yes/no questions and the quick touch entry.

use super::{centered, clean};
use crate::tui::app::App;
use crate::tui::overlay::{Confirm, TouchEntry, TOUCH_KINDS};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw_confirm(frame: &mut Frame, app: &App, confirm: &Confirm, area: Rect) {
    let t = &app.theme;
    let width = area.width.min(60);
    // As tall as the wrapped question, so the y/n line is never cut off.
    let text_width = width.saturating_sub(2).max(1) as usize;
    let question_lines = unicode_width::UnicodeWidthStr::width(clean(&confirm.question).as_str())
        .div_ceil(text_width)
        // Wrapping at word boundaries can take a line more.
        + 1;
    let popup = centered(area, width, (question_lines as u16).saturating_add(4));
    super::clear_popup(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Confirm ", t.title()));
    frame.render_widget(
        Paragraph::new(vec![
            Line::raw(clean(&confirm.question)),
            Line::raw(""),
            Line::styled("y yes · n no", t.dim()),
        ])
        .wrap(Wrap { trim: true })
        .block(block),
        popup,
    );
}

pub fn draw_touch(frame: &mut Frame, app: &App, touch: &TouchEntry, area: Rect) {
    let t = &app.theme;
    let width = area.width.min(70);
    let popup = centered(area, width, 6);
    super::clear_popup(frame, popup);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" Log a touch with {} ", clean(&touch.name)),
        t.title(),
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut lines = Vec::new();
    match touch.kind {
        None => {
            let mut spans = vec![Span::raw("Kind: ")];
            for (letter, kind) in TOUCH_KINDS {
                spans.push(Span::styled(format!("{letter}"), t.focus()));
                spans.push(Span::raw(format!(" {kind}  ")));
            }
            lines.push(Line::from(spans));
        }
        Some(kind) => {
            lines.push(Line::from(vec![
                Span::styled(format!("{kind} on {}: ", app.today), t.label()),
                Span::raw(clean(touch.input.value())),
            ]));
        }
    }
    lines.push(match (&touch.problem, touch.follow_up_preview(app.today)) {
        (Some(p), _) => Line::styled(clean(p), t.error()),
        (None, Some(Ok(due))) => Line::styled(
            format!("follow-up → {} {}", due, due.format("%a")),
            t.focus(),
        ),
        (None, Some(Err(e))) => Line::styled(format!("follow-up: {}", clean(&e)), t.dim()),
        (None, None) => Line::raw(""),
    });
    lines.push(Line::styled(
        "Enter log · Esc cancel · + or - first: how it went · @fri: follow-up",
        t.dim(),
    ));
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(kind) = touch.kind {
        let prefix = format!("{kind} on {}: ", app.today).chars().count();
        let x = prefix + touch.input.visual_cursor();
        if (x as u16) < inner.width {
            frame.set_cursor_position((inner.x + x as u16, inner.y));
        }
    }
}
