//! The Customers tab: the table (only the visible rows are built) and the
//! detail pane beside it, or instead of it on a narrow terminal.

use super::{clean, detail};
use crate::classify::Subject;
use crate::store::CustomerSort;
use crate::tui::app::App;
use crate::tui::labels::{self, t as tr_key};
use crate::tui::widgets::chips::chip;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    if !app.is_wide() && app.detail_full {
        detail::draw(frame, app, area);
        return;
    }
    if app.is_wide() && app.detail_open {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                .areas(area);
        draw_table(frame, app, left);
        detail::draw(frame, app, right);
    } else {
        draw_table(frame, app, area);
    }
}

fn header_cell<'a>(app: &App, key: &str, sort: CustomerSort) -> Cell<'a> {
    let list = &app.customers;
    let label = tr_key(key);
    if list.sort == sort {
        let arrow = if list.descending { "▼" } else { "▲" };
        Cell::from(format!("{label}{arrow}"))
    } else {
        Cell::from(label)
    }
}

fn draw_table(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let list = &app.customers;
    let total = list.len();
    let mut title = vec![Span::styled(
        format!(" {} ", tr_key("tab-customers")),
        t.title(),
    )];
    if list.loaded && total > 0 {
        let plus = if list.partial { "+" } else { "" };
        title.push(Span::raw(format!(
            "{}/{}{plus} ",
            group(list.cursor + 1),
            group(total)
        )));
    }
    if list.loading {
        let what = if list.partial {
            tr_key("list-loading")
        } else {
            tr_key("list-sorting")
        };
        title.push(Span::styled(format!("{what} "), t.dim()));
    }
    if let Some((d, v)) = &list.filter {
        let (d, v) = labels::tag(Subject::Customer, d, v);
        title.push(Span::styled(
            format!("{} ", crate::tr!("list-filter", tag = format!("{d}:{v}"))),
            t.focus(),
        ));
    }
    if let Some(mine) = app.mine_label() {
        title.push(Span::styled(format!("{mine} "), t.focus()));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title));
    if !list.loaded {
        frame.render_widget(Paragraph::new(tr_key("loading")).block(block), area);
        return;
    }
    if total == 0 && list.filter.is_some() {
        let msg = Paragraph::new(vec![
            Line::raw(""),
            Line::raw(format!("  {}", tr_key("customers-none-tagged"))),
        ])
        .block(block);
        frame.render_widget(msg, area);
        return;
    }
    if total == 0 {
        let msg = Paragraph::new(vec![
            Line::raw(""),
            Line::raw(format!("  {}", tr_key("customers-none"))),
            Line::raw(format!("  {}", tr_key("customers-none-hint"))),
        ])
        .block(block);
        frame.render_widget(msg, area);
        return;
    }
    let height = app.table_rows();
    let end = (list.offset + height).min(total);
    // A team book's customers have an owner: a column after the name.
    let team = app.team.is_some();
    let rows = (list.offset..end).map(|i| match list.row(i) {
        Some(r) => {
            let chip_cell = |dim: &str| -> Cell<'static> {
                match r.tag(dim) {
                    Some(v) => Cell::from(Line::from(chip(t, Subject::Customer, dim, v, false))),
                    // Dim on the selection would be grey on grey.
                    None if i == list.cursor => Cell::from("·"),
                    None => Cell::from(Span::styled("·", t.dim())),
                }
            };
            let text_cell = |text: &str| -> Cell<'static> {
                let tab = crate::tui::app::Tab::Customers;
                match app.search.cell_indices(tab, r.id, text) {
                    Some(ix) => {
                        Cell::from(super::search::highlighted(text, ix, Default::default()))
                    }
                    None => Cell::from(clean(text)),
                }
            };
            let mut cells = vec![text_cell(&r.name)];
            if team {
                cells.push(Cell::from(clean(list.owner(r.id).unwrap_or(""))));
            }
            cells.extend([
                text_cell(&r.company),
                text_cell(&r.city),
                chip_cell("value"),
                chip_cell("lifecycle"),
                Cell::from(
                    r.last_contact
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_else(|| tr_key("last-contact-never")),
                ),
            ]);
            Row::new(cells)
        }
        None => Row::new(vec![Cell::from(Span::styled("…", t.dim()))]),
    });
    let mut header = vec![header_cell(app, "col-customer-name", CustomerSort::Name)];
    if team {
        header.push(Cell::from(tr_key("col-owner")));
    }
    header.extend([
        header_cell(app, "col-customer-company", CustomerSort::Company),
        header_cell(app, "col-customer-city", CustomerSort::City),
        header_cell(app, "col-customer-value", CustomerSort::Value),
        header_cell(app, "col-customer-lifecycle", CustomerSort::Lifecycle),
        header_cell(app, "col-customer-last-contact", CustomerSort::LastContact),
    ]);
    let header = Row::new(header).style(t.header());
    let mut widths = vec![Constraint::Fill(3)];
    if team {
        widths.push(Constraint::Length(9));
    }
    widths.extend([
        Constraint::Fill(3),
        Constraint::Fill(2),
        Constraint::Length(6),
        Constraint::Length(9),
        Constraint::Length(13),
    ]);
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(t.selected());
    let mut state =
        TableState::default().with_selected(Some(list.cursor.saturating_sub(list.offset)));
    frame.render_stateful_widget(table, area, &mut state);
}

/// `1,000,000`
pub(crate) fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
