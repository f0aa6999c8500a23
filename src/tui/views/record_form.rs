//! The deal, product, touch and campaign form (one field per line, the
//! message under its field, a picker over it for links), and the small
//! overlays of those tabs: why a deal closed, and the tag filter.

use super::{centered, clean};
use crate::tui::app::App;
use crate::tui::record_form::{Picker, RecordForm};
use crate::tui::tabs::{ReasonPrompt, TagFilter};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

const LABEL: u16 = 17;

pub fn draw(frame: &mut Frame, app: &App, form: &RecordForm, area: Rect) {
    let t = &app.theme;
    super::clear_popup(frame, area);
    let mut title = vec![Span::styled(
        format!(" {} ", clean(&form.title())),
        t.title(),
    )];
    if form.is_dirty() {
        title.push(Span::styled("(changed) ", t.dim()));
    }
    title.push(Span::styled("Enter on a link: pick ", t.dim()));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let message_height = if form.message.is_some() { 2 } else { 0 };
    let [message_area, fields_area] =
        Layout::vertical([Constraint::Length(message_height), Constraint::Min(1)]).areas(inner);
    if let Some(m) = &form.message {
        frame.render_widget(
            Paragraph::new(Span::styled(clean(m), t.error())).wrap(Wrap { trim: true }),
            message_area,
        );
    }
    // (field index, is the error line)
    let mut lines: Vec<(usize, bool)> = Vec::new();
    for i in 0..form.fields.len() {
        lines.push((i, false));
        if form.shows_error(i) {
            lines.push((i, true));
        }
    }
    let height = fields_area.height as usize;
    let focus_line = lines
        .iter()
        .position(|(i, e)| *i == form.focus && !e)
        .unwrap_or(0);
    let start = (focus_line + 2).saturating_sub(height).min(focus_line);
    let mut focus_rect = None;
    for (row, (i, is_error)) in lines.iter().skip(start).take(height).enumerate() {
        let line_area = Rect {
            y: fields_area.y + row as u16,
            height: 1,
            ..fields_area
        };
        let f = &form.fields[*i];
        if *is_error {
            let msg = form.error_for(f.key).unwrap_or("");
            let text = format!("{:w$}↳ {}", "", clean(msg), w = LABEL as usize);
            frame.render_widget(Paragraph::new(Span::styled(text, t.error())), line_area);
            continue;
        }
        let focused = *i == form.focus;
        let [label_area, value_area] =
            Layout::horizontal([Constraint::Length(LABEL), Constraint::Min(1)]).areas(line_area);
        let label_style = if form.shows_error(*i) {
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
        let value = match &f.choices {
            Some(options) => {
                let shown: Vec<Span> = options
                    .iter()
                    .map(|o| {
                        let label = if o.is_empty() {
                            "—".to_string()
                        } else {
                            clean(o)
                        };
                        if o == f.value() {
                            Span::styled(
                                format!("[{label}]"),
                                if focused { t.selected() } else { t.focus() },
                            )
                        } else {
                            Span::styled(format!(" {label} "), t.dim())
                        }
                    })
                    .collect();
                Line::from(shown)
            }
            None => {
                // A selected prefilled date shows that typing replaces it.
                let style = if focused && form.selected {
                    t.selected()
                } else if focused {
                    t.focus()
                } else {
                    Default::default()
                };
                Line::styled(clean(f.value()), style)
            }
        };
        frame.render_widget(Paragraph::new(value), value_area);
        if focused {
            focus_rect = Some(value_area);
            if f.choices.is_none() && form.picker.is_none() {
                let x = f.input.visual_cursor() as u16;
                if x < value_area.width {
                    frame.set_cursor_position((value_area.x + x, value_area.y));
                }
            }
        }
    }
    if let Some(p) = &form.picker {
        draw_picker(frame, app, p, focus_rect.unwrap_or(fields_area), area);
    }
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
        " type to search · ↑/↓ · Enter pick · Esc ",
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
        lines.push(Line::styled("  no match", t.dim()));
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
        lines.push(if i == p.cursor {
            line.style(t.selected())
        } else {
            line
        });
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
        format!(" Mark {} {} ", clean(&r.deal.title), r.to),
        t.title(),
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let prompt = "Why? ";
    let lines = vec![
        Line::from(vec![
            Span::styled(prompt, t.label()),
            Span::raw(clean(r.input.value())),
        ]),
        match &r.problem {
            Some(p) => Line::styled(clean(p), t.error()),
            None => Line::raw(""),
        },
        Line::styled(
            if r.to == crate::domain::Stage::Lost {
                "Enter save (a reason is required) · Esc cancel"
            } else {
                "Enter save (reason optional) · Esc cancel"
            },
            t.dim(),
        ),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
    let x = (prompt.len() + r.input.visual_cursor()) as u16;
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
        " Filter by tag · type · ↑/↓ · Enter · Esc ",
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
        lines.push(Line::styled("  counting tags…", t.dim()));
    } else if f.shown.is_empty() {
        lines.push(Line::styled("  no tag matches", t.dim()));
    }
    for (i, &o) in f.shown.iter().enumerate().skip(start).take(room) {
        let (d, v, n) = &f.options[o];
        let text = if d.is_empty() {
            "(no filter — show all)".to_string()
        } else {
            format!("{}:{}  {n}", clean(d), clean(v))
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
