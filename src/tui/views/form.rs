//! The customer form: one field per line, the message for a field right
//! under it, scrolled so the focused field is always in view.

use super::clean;
use crate::tui::app::App;
use crate::tui::form::{CustomerForm, Field};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

const LABEL: u16 = 11;

/// One screen line of the form.
enum FormLine {
    Field(usize),
    Error(usize),
}

pub fn draw(frame: &mut Frame, app: &App, form: &CustomerForm, area: Rect) {
    let t = &app.theme;
    super::clear_popup(frame, area);
    let mut title = vec![Span::styled(
        format!(" {} ", clean(&form.title())),
        t.title(),
    )];
    if form.is_dirty() {
        title.push(Span::styled("(changed) ", t.dim()));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // A problem with the save wins over the duplicate warning.
    let banner = form
        .message
        .as_ref()
        .map(|m| (m, t.error()))
        .or_else(|| form.duplicate.as_ref().map(|d| (d, t.focus())));
    let message_height = if banner.is_some() { 2 } else { 0 };
    let [message_area, fields_area] =
        Layout::vertical([Constraint::Length(message_height), Constraint::Min(1)]).areas(inner);
    if let Some((m, style)) = banner {
        frame.render_widget(
            Paragraph::new(Span::styled(clean(m), style)).wrap(Wrap { trim: true }),
            message_area,
        );
    }

    let mut lines = Vec::new();
    for (i, f) in form.fields.iter().enumerate() {
        lines.push(FormLine::Field(i));
        if form.error_for(f.key).is_some() {
            lines.push(FormLine::Error(i));
        }
    }
    let height = fields_area.height as usize;
    let focus_line = lines
        .iter()
        .position(|l| matches!(l, FormLine::Field(i) if *i == form.focus))
        .unwrap_or(0);
    // Keep the focused field and its message on screen.
    let focus_end = focus_line + 2;
    let start = focus_end.saturating_sub(height).min(focus_line);
    for (row, line) in lines.iter().skip(start).take(height).enumerate() {
        let y = fields_area.y + row as u16;
        let line_area = Rect {
            y,
            height: 1,
            ..fields_area
        };
        match line {
            FormLine::Field(i) => draw_field(frame, app, form, *i, line_area),
            FormLine::Error(i) => {
                let msg = form.error_for(form.fields[*i].key).unwrap_or("");
                let text = format!("{:w$}↳ {}", "", clean(msg), w = LABEL as usize);
                frame.render_widget(Paragraph::new(Span::styled(text, t.error())), line_area);
            }
        }
    }
}

fn draw_field(frame: &mut Frame, app: &App, form: &CustomerForm, i: usize, area: Rect) {
    let t = &app.theme;
    let f = &form.fields[i];
    let focused = i == form.focus;
    let [label_area, value_area] =
        Layout::horizontal([Constraint::Length(LABEL), Constraint::Min(1)]).areas(area);
    let label_style = if form.error_for(f.key).is_some() {
        t.error()
    } else if focused {
        t.focus()
    } else {
        t.label()
    };
    let marker = if focused { "›" } else { " " };
    frame.render_widget(
        Paragraph::new(Span::styled(format!("{marker}{}", f.label), label_style)),
        label_area,
    );
    match &f.choices {
        Some(options) => draw_choice(frame, app, f, options, focused, value_area),
        None => {
            let width = value_area.width.saturating_sub(1) as usize;
            let scroll = if focused {
                f.input.visual_scroll(width)
            } else {
                0
            };
            // A selected prefilled value shows that typing replaces it.
            let style = if focused && form.selected {
                t.selected()
            } else if focused {
                t.focus()
            } else {
                Default::default()
            };
            frame.render_widget(
                Paragraph::new(Span::styled(clean(f.value()), style)).scroll((0, scroll as u16)),
                value_area,
            );
            if focused {
                let x = f.input.visual_cursor().max(scroll) - scroll;
                frame.set_cursor_position((value_area.x + x as u16, value_area.y));
            }
        }
    }
}

fn draw_choice(
    frame: &mut Frame,
    app: &App,
    f: &Field,
    options: &[String],
    focused: bool,
    area: Rect,
) {
    let t = &app.theme;
    let chosen = f.chosen();
    let label = |s: &str| {
        if s.is_empty() {
            "—".to_string()
        } else {
            clean(s)
        }
    };
    let all_width: usize = options.iter().map(|o| label(o).chars().count() + 3).sum();
    let mut spans = Vec::new();
    if all_width <= area.width as usize {
        for (i, o) in options.iter().enumerate() {
            if i == chosen {
                let style = if focused { t.selected() } else { t.focus() };
                spans.push(Span::styled(format!("[{}]", label(o)), style));
            } else {
                spans.push(Span::styled(format!(" {} ", label(o)), t.dim()));
            }
            spans.push(Span::raw(" "));
        }
    } else {
        let style = if focused {
            t.selected()
        } else {
            Default::default()
        };
        spans.push(Span::styled(
            format!("‹ {} ›", label(&options[chosen])),
            style,
        ));
        spans.push(Span::styled(
            format!("  {}/{}", chosen + 1, options.len()),
            t.dim(),
        ));
    }
    if focused {
        spans.push(Span::styled(" ←/→", t.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
