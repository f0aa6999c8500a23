//! The search input on the status line (`/`), the global search overlay
//! (Ctrl-K), and highlighted matches in names.

use super::{centered, clean};
use crate::tui::app::App;
use crate::tui::labels::{self, t as tr_key};
use crate::tui::search::SearchMode;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// `text` with the chars at `indices` bold and reversed.
pub fn highlighted(text: &str, indices: &[usize], base: Style) -> Line<'static> {
    let hl = base.add_modifier(Modifier::BOLD | Modifier::REVERSED);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_hl = false;
    for (i, c) in clean(text).chars().enumerate() {
        let on = indices.contains(&i);
        if on != run_hl && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hl { hl } else { base },
            ));
        }
        run_hl = on;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_hl { hl } else { base }));
    }
    Line::from(spans)
}

/// The status line while `/` is typing: `/zw▏ 3 matches`, or the query's
/// error, or "indexing…".
pub fn status_line(app: &App) -> Option<Line<'static>> {
    let s = &app.search;
    let t = &app.theme;
    match s.mode {
        Some(SearchMode::Tab(_)) => {}
        _ => return None,
    }
    let mut spans = vec![
        Span::styled("/", t.focus()),
        Span::raw(clean(&s.input)),
        Span::styled("▏", t.focus()),
        Span::raw("  "),
    ];
    match &app.status {
        Some(st) if st.error => spans.push(Span::styled(clean(&st.text), t.error())),
        _ if !s.ready => spans.push(Span::styled(tr_key("search-indexing"), t.dim())),
        _ if s.input.trim().is_empty() => spans.push(Span::styled(tr_key("search-type"), t.dim())),
        _ => spans.push(Span::styled(
            format!(
                "{}{} · {}",
                crate::tui::search::match_count(s.hits.len(), s.total),
                if s.waiting { "…" } else { "" },
                tr_key("search-tab-keys")
            ),
            t.dim(),
        )),
    }
    Some(Line::from(spans))
}

/// The Ctrl-K overlay: the input, then the hits (kind, label, detail).
pub fn draw_global(frame: &mut Frame, app: &App, area: Rect) {
    let s = &app.search;
    let t = &app.theme;
    let width = area.width.min(90);
    let height = area.height.min(20);
    let popup = centered(area, width, height);
    super::clear_popup(frame, popup);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {} ", tr_key("search-global-title")),
        t.title(),
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", t.focus()),
        Span::raw(clean(&s.input)),
        Span::styled("▏", t.focus()),
    ])];
    let rows = inner.height.saturating_sub(1) as usize;
    if !s.ready {
        lines.push(Line::styled(tr_key("search-indexing"), t.dim()));
    } else if s.hits.is_empty() && !s.input.trim().is_empty() && !s.waiting {
        lines.push(Line::styled(tr_key("search-no-match"), t.dim()));
    }
    let first = s.cursor.saturating_sub(rows.saturating_sub(1));
    for (i, h) in s.hits.iter().enumerate().skip(first).take(rows) {
        let base = if i == s.cursor {
            t.selected()
        } else {
            Style::default()
        };
        let mut spans = vec![Span::styled(
            labels::pad(&labels::kind(h.kind), 12),
            base.patch(t.dim()),
        )];
        let label = if h.field == crate::search::Field::Name {
            highlighted(&h.label, &h.indices, base)
        } else {
            Line::styled(clean(&h.label), base)
        };
        spans.extend(label.spans);
        if !h.detail.is_empty() {
            spans.push(Span::styled(
                format!("  {}", clean(&h.detail)),
                base.patch(t.dim()),
            ));
        }
        if h.field != crate::search::Field::Name {
            // The field that matched, with its matched chars highlighted.
            let dim = base.patch(t.dim());
            let field = crate::cli::search_field_name(h.field);
            spans.push(Span::styled(format!("  {field}: "), dim));
            spans.extend(highlighted(&h.text, &h.indices, dim).spans);
        }
        let line = Line::from(spans);
        lines.push(if i == s.cursor { t.select(line) } else { line });
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
