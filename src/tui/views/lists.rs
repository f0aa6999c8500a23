//! Tabs that only list so far (their own issue completes them), and the
//! dashboard's counts.

use super::clean;
use super::customers::group;
use crate::tui::app::{App, Tab};
use crate::tui::effect::SIMPLE_LIST_LIMIT;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};
use ratatui::Frame;

fn columns(tab: Tab) -> ([&'static str; 5], [Constraint; 5]) {
    match tab {
        Tab::Opportunities => (
            ["#", "Title", "Stage", "Amount", "Close"],
            [
                Constraint::Length(6),
                Constraint::Fill(1),
                Constraint::Length(11),
                Constraint::Length(16),
                Constraint::Length(10),
            ],
        ),
        Tab::Products => (
            ["#", "Name", "Category", "Price", "Status"],
            [
                Constraint::Length(6),
                Constraint::Fill(2),
                Constraint::Fill(1),
                Constraint::Length(16),
                Constraint::Length(8),
            ],
        ),
        _ => (
            ["#", "Date", "Kind", "Customer", "Summary"],
            [
                Constraint::Length(6),
                Constraint::Length(10),
                Constraint::Length(8),
                Constraint::Length(8),
                Constraint::Fill(1),
            ],
        ),
    }
}

pub fn draw(frame: &mut Frame, app: &App, tab: Tab, area: Rect) {
    let t = &app.theme;
    let list = app.simple_list(tab);
    let mut title = format!(" {} ", tab.title());
    if list.rows.len() == SIMPLE_LIST_LIMIT {
        title.push_str(&format!("(first {SIMPLE_LIST_LIMIT}) "));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, t.title()));
    if !list.loaded {
        frame.render_widget(Paragraph::new("Loading…").block(block), area);
        return;
    }
    if list.rows.is_empty() {
        frame.render_widget(Paragraph::new("Nothing here yet.").block(block), area);
        return;
    }
    let (headers, widths) = columns(tab);
    let height = area.height.saturating_sub(3).max(1) as usize;
    let offset = (list.cursor + 1).saturating_sub(height);
    let rows = list.rows[offset..(offset + height).min(list.rows.len())]
        .iter()
        .map(|r| Row::new(r.iter().map(|c| clean(c)).collect::<Vec<_>>()));
    let table = Table::new(rows, widths)
        .header(Row::new(headers.to_vec()).style(t.header()))
        .block(block)
        .row_highlight_style(t.selected());
    let mut state = TableState::default().with_selected(Some(list.cursor - offset));
    frame.render_stateful_widget(table, area, &mut state);
}

pub fn draw_dashboard(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let c = &app.counts;
    let line = |label: &str, n: i64| {
        Line::from(vec![
            Span::styled(format!("  {label:<15}"), t.label()),
            Span::raw(group(n.max(0) as usize)),
        ])
    };
    let lines = vec![
        Line::raw(""),
        line("Customers", c.customers),
        line("Opportunities", c.opportunities),
        line("Products", c.products),
        line("Activities", c.activities),
        line("In the trash", c.trash),
        Line::raw(""),
        Line::styled(
            "  Follow-ups, deals closing soon and charts arrive with the dashboard.",
            t.dim(),
        ),
    ];
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Dashboard ", t.title()));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
