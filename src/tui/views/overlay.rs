//! Yes/no questions and the quick touch entry.

use super::{centered, clean};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::overlay::{Confirm, TouchEntry};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

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
            // The kinds as the key map binds them (rebindable).
            for b in app.keymap.bindings(Context::Touch) {
                if b.action == Action::Cancel {
                    continue;
                }
                let key = b.keys.first().map(|k| super::help::pretty(k));
                spans.push(Span::styled(key.unwrap_or_default(), t.focus()));
                spans.push(Span::raw(format!(" {}  ", b.desc.to_lowercase())));
            }
            lines.push(Line::from(spans));
        }
        Some(kind) => {
            let prefix = format!("{kind} on {}: ", app.today);
            let room = (inner.width as usize).saturating_sub(prefix.width() + 1);
            let scroll = touch.input.visual_scroll(room);
            lines.push(Line::from(vec![
                Span::styled(prefix, t.label()),
                Span::raw(super::fit(
                    &skip_cells(&clean(touch.input.value()), scroll),
                    room,
                )),
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
        let prefix = format!("{kind} on {}: ", app.today).width();
        let room = (inner.width as usize).saturating_sub(prefix + 1);
        let scroll = touch.input.visual_scroll(room);
        let x = prefix + touch.input.visual_cursor() - scroll;
        if (x as u16) < inner.width {
            frame.set_cursor_position((inner.x + x as u16, inner.y));
        }
    }
}

/// `text` without its first `cells` display columns (a scrolled input).
pub(crate) fn skip_cells(text: &str, cells: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    text.chars()
        .skip_while(|c| {
            let skip = used < cells;
            used += c.width().unwrap_or(0);
            skip
        })
        .collect()
}
