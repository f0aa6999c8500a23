//! The one record form (one field per line — several for multi-line text —
//! the message under its field, a picker over it for links, the customer's
//! duplicate banner above), and the small overlays: why a deal closed, and
//! the tag filter.

use super::{centered, clean};
use crate::tui::app::App;
use crate::tui::field::Field;
use crate::tui::labels::{self, t as tr_key};
use crate::tui::record_form::{pick_kind, Picker, RecordForm, Slot};
use crate::tui::tabs::{ReasonPrompt, TagFilter};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// The widest label column (a longer label is cut).
const LABEL_MAX: u16 = 24;

/// Screen rows a multi-line field shows at most (it scrolls to its cursor).
const MULTILINE_ROWS: usize = 5;

/// One screen row of the form.
#[derive(Clone, Copy)]
enum Row {
    /// Field `i`, its `n`th row (multi-line text has several).
    Field(usize, usize),
    /// The message under field `i`, its `n`th line (a long one wraps).
    Error(usize, usize),
}

/// The rows field `i` takes and the first of its lines shown (multi-line
/// text shows its cursor's line).
fn field_rows(form: &RecordForm, i: usize) -> (usize, usize) {
    let f = &form.fields[i];
    if !f.multiline {
        return (1, 0);
    }
    let (lines, row, _) = f.cursor_lines();
    let shown = lines.len().clamp(1, MULTILINE_ROWS);
    let first = if i == form.focus {
        (row + 1).saturating_sub(shown)
    } else {
        0
    };
    (shown, first)
}

pub fn draw(frame: &mut Frame, app: &App, form: &RecordForm, area: Rect) {
    let t = &app.theme;
    super::clear_popup(frame, area);
    let mut title = vec![Span::styled(
        format!(" {} ", clean(&form.title())),
        t.title(),
    )];
    if form.is_dirty() {
        title.push(Span::styled(
            format!("{} ", tr_key("form-changed")),
            t.dim(),
        ));
    }
    if form.slots.iter().any(|s| {
        matches!(s, Slot::Spec(spec) if pick_kind(spec.ty).is_some())
            || matches!(s, Slot::ItemProduct(_))
    }) {
        title.push(Span::styled(
            format!("{} ", tr_key("form-pick-hint")),
            t.dim(),
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // A problem with the save wins over the duplicate warning.
    // That the record was saved elsewhere since the form opened wins over
    // both (it names the keys; a refused save's conflict says the same).
    let banner = form
        .changed_underneath
        .as_ref()
        .map(|m| (m, t.error()))
        .or_else(|| form.message.as_ref().map(|m| (m, t.error())))
        .or_else(|| form.duplicate.as_ref().map(|d| (d, t.focus())));
    let message_height = match banner {
        None => 0,
        Some(_) if form.changed_underneath.is_some() => 3,
        Some(_) => 2,
    };
    let [message_area, fields_area] =
        Layout::vertical([Constraint::Length(message_height), Constraint::Min(1)]).areas(inner);
    if let Some((m, style)) = banner {
        frame.render_widget(
            Paragraph::new(Span::styled(clean(m), style)).wrap(Wrap { trim: true }),
            message_area,
        );
    }
    let label_width = form
        .fields
        .iter()
        .map(|f| f.label.width() as u16 + 2)
        .max()
        .unwrap_or(0)
        .min(LABEL_MAX);
    let mut rows: Vec<Row> = Vec::new();
    for i in 0..form.fields.len() {
        let (n, _) = field_rows(form, i);
        rows.extend((0..n).map(|r| Row::Field(i, r)));
        if form.shows_error(i) {
            let n = error_lines(form, i, label_width, fields_area.width).len();
            rows.extend((0..n).map(|r| Row::Error(i, r)));
        }
    }
    let height = fields_area.height as usize;
    let focus_first = rows
        .iter()
        .position(|r| matches!(r, Row::Field(i, _) if *i == form.focus))
        .unwrap_or(0);
    let focus_last = rows
        .iter()
        .rposition(|r| matches!(r, Row::Field(i, _) | Row::Error(i, _) if *i == form.focus))
        .unwrap_or(0);
    // Keep the focused field and its message on screen.
    let start = (focus_last + 1).saturating_sub(height).min(focus_first);
    let mut focus_rect = None;
    for (screen_row, row) in rows.iter().skip(start).take(height).enumerate() {
        let line_area = Rect {
            y: fields_area.y + screen_row as u16,
            height: 1,
            ..fields_area
        };
        let [label_area, value_area] =
            Layout::horizontal([Constraint::Length(label_width), Constraint::Min(1)])
                .areas(line_area);
        let (i, sub) = match *row {
            Row::Error(i, n) => {
                let lines = error_lines(form, i, label_width, fields_area.width);
                let part = lines.get(n).cloned().unwrap_or_default();
                let lead = if n == 0 { "↳ " } else { "  " };
                let text = format!("{}{lead}{part}", " ".repeat(label_width as usize));
                frame.render_widget(Paragraph::new(Span::styled(text, t.error())), line_area);
                continue;
            }
            Row::Field(i, sub) => (i, sub),
        };
        let f = &form.fields[i];
        let focused = i == form.focus;
        if sub == 0 {
            let label_style = if form.shows_error(i) {
                t.error()
            } else if focused {
                t.focus()
            } else {
                t.label()
            };
            let marker = if focused { "›" } else { " " };
            let label = super::fit(
                &format!("{marker}{}", clean(&f.label)),
                label_width as usize - 1,
            );
            frame.render_widget(Paragraph::new(Span::styled(label, label_style)), label_area);
        }
        if let Some(options) = &f.choices {
            draw_choice(frame, app, f, options, focused, value_area);
            if focused {
                focus_rect = Some(value_area);
            }
            continue;
        }
        // A selected prefilled value shows that typing replaces it.
        let style = if focused && form.selected {
            t.selected()
        } else if focused {
            t.focus()
        } else {
            Default::default()
        };
        let width = value_area.width.saturating_sub(1) as usize;
        if f.multiline {
            let (lines, cursor_row, cursor_col) = f.cursor_lines();
            let (_, first) = field_rows(form, i);
            let line = lines.get(first + sub).copied().unwrap_or("");
            let more = sub + 1 == MULTILINE_ROWS && first + sub + 1 < lines.len();
            let scroll = if focused && first + sub == cursor_row {
                (cursor_col + 1).saturating_sub(width)
            } else {
                0
            };
            let shown = super::fit(&super::overlay::skip_cells(&clean(line), scroll), width);
            let mut spans = vec![Span::styled(shown, style)];
            if more && !focused {
                spans.push(Span::styled(" …", t.dim()));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), value_area);
            if focused && first + sub == cursor_row && form.picker.is_none() {
                focus_rect = Some(value_area);
                let x = (cursor_col - scroll) as u16;
                frame.set_cursor_position((value_area.x + x, value_area.y));
            }
            continue;
        }
        let scroll = if focused {
            f.input.visual_scroll(width)
        } else {
            0
        };
        frame.render_widget(
            Paragraph::new(Span::styled(clean(f.value()), style)).scroll((0, scroll as u16)),
            value_area,
        );
        if focused {
            focus_rect = Some(value_area);
            if form.picker.is_none() {
                let x = f.input.visual_cursor().max(scroll) - scroll;
                frame.set_cursor_position((value_area.x + x as u16, value_area.y));
            }
        }
    }
    if let Some(p) = &form.picker {
        draw_picker(frame, app, p, focus_rect.unwrap_or(fields_area), area);
    }
}

/// The message under field `i` in lines that fit beside the labels (a
/// long one wraps instead of being cut at the pane's edge).
fn error_lines(form: &RecordForm, i: usize, label_width: u16, width: u16) -> Vec<String> {
    let msg = clean(form.error_for(form.fields[i].key).unwrap_or(""));
    let room = (width as usize)
        .saturating_sub(label_width as usize + 2)
        .max(8);
    super::help::wrap(&msg, room)
}

/// A choice: every option when they fit, else `‹ chosen ›  n/m`.
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
            clean(&labels::choice(f.key, s))
        }
    };
    let all_width: usize = options.iter().map(|o| label(o).width() + 2).sum();
    let mut spans = Vec::new();
    if all_width <= area.width as usize {
        for (i, o) in options.iter().enumerate() {
            if i == chosen {
                let style = if focused { t.selected() } else { t.focus() };
                spans.push(Span::styled(format!("[{}]", label(o)), style));
            } else {
                spans.push(Span::styled(format!(" {} ", label(o)), t.dim()));
            }
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
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_picker(frame: &mut Frame, app: &App, p: &Picker, anchor: Rect, area: Rect) {
    let t = &app.theme;
    let width = anchor.width.clamp(20, 60);
    let height = (p.choices.len() as u16 + 3).clamp(4, 12);
    let below = anchor.y + 1;
    let y = if below + height <= area.y + area.height {
        below
    } else {
        (area.y + area.height).saturating_sub(height)
    };
    let rect = Rect {
        x: anchor.x.min((area.x + area.width).saturating_sub(width)),
        y,
        width,
        height,
    };
    super::clear_popup(frame, rect);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {} ", tr_key("picker-title")),
        t.title(),
    ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut lines = vec![Line::from(vec![
        Span::styled("› ", t.focus()),
        Span::raw(clean(p.query.value())),
    ])];
    let room = inner.height.saturating_sub(1) as usize;
    let start = (p.cursor + 1).saturating_sub(room);
    if p.choices.is_empty() {
        lines.push(Line::styled(
            format!("  {}", tr_key("search-no-match")),
            t.dim(),
        ));
    }
    for (i, c) in p.choices.iter().enumerate().skip(start).take(room) {
        let text = if c.id == crate::tui::record_form::NO_LINK {
            clean(&c.label)
        } else {
            format!("#{} {}", c.id, clean(&c.label))
        };
        let mut spans = vec![Span::raw(text)];
        if !c.detail.is_empty() {
            spans.push(Span::styled(format!("  {}", clean(&c.detail)), t.dim()));
        }
        let line = Line::from(spans);
        lines.push(if i == p.cursor { t.select(line) } else { line });
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let x = 2 + p.query.visual_cursor() as u16;
    if x < inner.width {
        frame.set_cursor_position((inner.x + x, inner.y));
    }
}

pub fn draw_reason(frame: &mut Frame, app: &App, r: &ReasonPrompt, area: Rect) {
    let t = &app.theme;
    let popup = centered(area, area.width.min(70), 6);
    super::clear_popup(frame, popup);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(
            " {} ",
            crate::tr!(
                "reason-title",
                deal = clean(&r.deal.title),
                stage = labels::stage(r.to)
            )
        ),
        t.title(),
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let prompt = format!("{} ", tr_key("reason-why"));
    let room = (inner.width as usize).saturating_sub(prompt.width() + 1);
    let scroll = r.input.visual_scroll(room);
    let lines = vec![
        Line::from(vec![
            Span::styled(prompt.clone(), t.label()),
            Span::raw(super::fit(
                &super::overlay::skip_cells(&clean(r.input.value()), scroll),
                room,
            )),
        ]),
        match &r.problem {
            Some(p) => Line::styled(clean(p), t.error()),
            None => Line::raw(""),
        },
        Line::styled(
            if r.to == crate::domain::Stage::Lost {
                tr_key("reason-keys-required")
            } else {
                tr_key("reason-keys-optional")
            },
            t.dim(),
        ),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
    let x = (prompt.width() + r.input.visual_cursor() - scroll) as u16;
    if x < inner.width {
        frame.set_cursor_position((inner.x + x, inner.y));
    }
}

pub fn draw_filter(frame: &mut Frame, app: &App, f: &TagFilter, area: Rect) {
    let t = &app.theme;
    let height = (f.shown.len().max(1) as u16 + 3).min(area.height);
    let popup = centered(area, area.width.min(44), height);
    super::clear_popup(frame, popup);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {} ", tr_key("filter-title")),
        t.title(),
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut lines = vec![Line::from(vec![
        Span::styled("› ", t.focus()),
        Span::raw(clean(f.query.value())),
    ])];
    let room = inner.height.saturating_sub(1) as usize;
    let start = (f.cursor + 1).saturating_sub(room);
    if f.loading {
        lines.push(Line::styled(
            format!("  {}", tr_key("filter-counting")),
            t.dim(),
        ));
    } else if f.shown.is_empty() {
        lines.push(Line::styled(
            format!("  {}", tr_key("filter-no-match")),
            t.dim(),
        ));
    }
    for (i, &o) in f.shown.iter().enumerate().skip(start).take(room) {
        let (d, v, n) = &f.options[o];
        let text = if d.is_empty() {
            tr_key("filter-none")
        } else {
            let (d, v) = labels::tag(f.subject(), d, v);
            format!("{}:{}  {n}", clean(&d), clean(&v))
        };
        lines.push(if i == f.cursor {
            Line::styled(text, t.selected())
        } else {
            Line::raw(text)
        });
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let x = 2 + f.query.visual_cursor() as u16;
    if x < inner.width {
        frame.set_cursor_position((inner.x + x, inner.y));
    }
}
