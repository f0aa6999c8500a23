//! Yes/no questions and the quick touch entry.

use super::{centered, clean};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::labels::{self, t as tr_key};
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
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {} ", tr_key("confirm-title")),
        t.title(),
    ));
    frame.render_widget(
        Paragraph::new(vec![
            Line::raw(clean(&confirm.question)),
            Line::raw(""),
            Line::styled(confirm_keys(app), t.dim()),
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
        format!(" {} ", crate::tr!("touch-title", name = clean(&touch.name))),
        t.title(),
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut lines = Vec::new();
    match touch.kind {
        None => {
            let mut spans = vec![Span::raw(format!("{} ", tr_key("touch-kind")))];
            // The kinds as the key map binds them (rebindable).
            for b in app.keymap.bindings(Context::Touch) {
                if b.action == Action::Cancel {
                    continue;
                }
                let key = b.keys.first().map(|k| super::help::pretty(k));
                spans.push(Span::styled(key.unwrap_or_default(), t.focus()));
                spans.push(Span::raw(format!(" {}  ", b.describe().to_lowercase())));
            }
            lines.push(Line::from(spans));
        }
        Some(kind) => {
            let prefix = touch_prefix(kind, app.today);
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
            crate::tr!(
                "touch-follow-up",
                date = due.to_string(),
                weekday = labels::weekday(due)
            ),
            t.focus(),
        ),
        (None, Some(Err(e))) => Line::styled(
            crate::tr!("touch-follow-up-problem", problem = clean(&e)),
            t.dim(),
        ),
        (None, None) => Line::raw(""),
    });
    lines.push(Line::styled(tr_key("touch-keys"), t.dim()));
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(kind) = touch.kind {
        let prefix = touch_prefix(kind, app.today).width();
        let room = (inner.width as usize).saturating_sub(prefix + 1);
        let scroll = touch.input.visual_scroll(room);
        let x = prefix + touch.input.visual_cursor() - scroll;
        if (x as u16) < inner.width {
            frame.set_cursor_position((inner.x + x as u16, inner.y));
        }
    }
}

/// What the touch line starts with: "call on 2026-11-23: ".
fn touch_prefix(kind: crate::domain::ActivityKind, today: chrono::NaiveDate) -> String {
    crate::tr!(
        "touch-prefix",
        kind = labels::activity_kind(kind),
        date = today.to_string()
    )
}

/// The keys of a question, as the key map binds them: "y yes · n no".
fn confirm_keys(app: &App) -> String {
    let key = |a: Action| {
        app.keymap
            .key_for(Context::Confirm, &a)
            .map(super::help::pretty)
            .unwrap_or_else(|| "?".into())
    };
    crate::tr!(
        "confirm-keys",
        yes = key(Action::Confirm),
        no = key(Action::Deny)
    )
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
