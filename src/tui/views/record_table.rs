//! The table of a whole-list tab (deals, products, activities): columns
//! with sort arrows, tag chips, the filter in the title; and the split
//! between the table and the detail pane shared by those tabs.

use super::clean;
use super::search::highlighted;
use crate::classify::Subject;
use crate::tui::app::{App, Tab};
use crate::tui::labels::{self, t as tr_key};
use crate::tui::list::{Column, Entry, Listed, RecordList};
use crate::tui::widgets::chips::chip;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

/// Where the table and the detail go: `(table, detail)`.
pub fn split(app: &App, area: Rect) -> (Option<Rect>, Option<Rect>) {
    if !app.is_wide() {
        if app.detail_full {
            (None, Some(area))
        } else {
            (Some(area), None)
        }
    } else if app.detail_open {
        let [l, r] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
            .areas(area);
        (Some(l), Some(r))
    } else {
        (Some(area), None)
    }
}

pub fn draw<E: Entry, R: Listed, F>(
    frame: &mut Frame,
    app: &App,
    title: &str,
    list: &RecordList<E, R, F>,
    columns: &[Column<R>],
    area: Rect,
) {
    let t = &app.theme;
    let subject = subject_of_tab(app.tab);
    let mut spans = vec![Span::styled(format!(" {title} "), t.title())];
    if list.loaded && !list.is_empty() {
        spans.push(Span::raw(format!("{}/{} ", list.cursor + 1, list.len())));
    }
    if list.loading && list.loaded {
        spans.push(Span::styled(
            format!("{} ", tr_key("list-loading")),
            t.dim(),
        ));
    }
    if let Some((d, v)) = &list.filter {
        let (d, v) = labels::tag(subject, d, v);
        spans.push(Span::styled(
            format!("{} ", crate::tr!("list-filter", tag = format!("{d}:{v}"))),
            t.focus(),
        ));
    }
    if let Some(mine) = app.mine_label() {
        spans.push(Span::styled(format!("{mine} "), t.focus()));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(spans));
    if !list.loaded {
        frame.render_widget(Paragraph::new(tr_key("loading")).block(block), area);
        return;
    }
    if list.is_empty() {
        let msg = if list.filter.is_some() {
            format!("  {}", tr_key("list-none-tagged"))
        } else {
            format!("  {}", tr_key("list-none"))
        };
        frame.render_widget(
            Paragraph::new(vec![Line::raw(""), Line::raw(msg)]).block(block),
            area,
        );
        return;
    }
    // A team book's records have an owner: a column after the first (the
    // sort keys count the tab's own columns).
    let owner = Column {
        title: "col-owner",
        width: Constraint::Length(9),
        text: owner_text::<R>,
        sort: crate::store::ListSort::Default,
        chip: None,
    };
    let mut columns: Vec<(Option<usize>, &Column<R>)> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (Some(i), c))
        .collect();
    if app.team.is_some() {
        columns.insert(columns.len().min(1), (None, &owner));
    }
    // Narrow: drop columns from the right until the text columns have room.
    let fixed = |cols: &[(Option<usize>, &Column<R>)]| -> u16 {
        cols.iter()
            .map(|(_, c)| match c.width {
                Constraint::Length(n) => n + 1,
                _ => 1,
            })
            .sum()
    };
    let mut shown = columns.len();
    while shown > 3 && fixed(&columns[..shown]) + 2 + 28 > area.width {
        shown -= 1;
    }
    let columns = &columns[..shown];
    let ctx = list.ctx();
    let height = area.height.saturating_sub(3).max(1) as usize;
    let offset = list.offset.min(list.cursor);
    let offset = if list.cursor >= offset + height {
        list.cursor + 1 - height
    } else {
        offset
    };
    let end = (offset + height).min(list.len());
    let rows = (offset..end).map(|i| match list.row(i) {
        Some(r) => Row::new(columns.iter().map(|(_, c)| match c.chip {
            Some(dim) => match ctx.tag(r.id(), dim) {
                Some(v) => Cell::from(Line::from(chip(t, subject, dim, v, false))),
                // Dim on the selection would be grey on grey.
                None if i == list.cursor => Cell::from("·"),
                None => Cell::from(Span::styled("·", t.dim())),
            },
            None => {
                let text = (c.text)(r, &ctx);
                match app.search.cell_indices(app.tab, r.id(), &text) {
                    Some(ix) => Cell::from(highlighted(&text, ix, Default::default())),
                    None => Cell::from(clean(&text)),
                }
            }
        })),
        // Not read yet: the next frame has it.
        None => Row::new([Cell::from(Span::styled("…", t.dim()))]),
    });
    let header = Row::new(columns.iter().map(|&(i, c)| {
        if i.is_some() && list.sort == i {
            let arrow = if list.descending { "▼" } else { "▲" };
            Cell::from(format!("{}{arrow}", tr_key(c.title)))
        } else {
            Cell::from(tr_key(c.title))
        }
    }))
    .style(t.header());
    let widths: Vec<Constraint> = columns.iter().map(|(_, c)| c.width).collect();
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(t.selected());
    let mut state = TableState::default().with_selected(Some(list.cursor - offset));
    frame.render_stateful_widget(table, area, &mut state);
}

/// A record's owner on a team book.
fn owner_text<R: Listed>(r: &R, ctx: &crate::tui::list::Ctx) -> String {
    ctx.owner(r.id()).to_string()
}

/// The rules' subject of a tab's records (an activity's tags are its
/// campaign's).
pub(crate) fn subject_of_tab(tab: Tab) -> Subject {
    match tab {
        Tab::Opportunities => Subject::Opportunity,
        Tab::Products => Subject::Product,
        Tab::Activities => Subject::Campaign,
        Tab::Customers | Tab::Dashboard => Subject::Customer,
    }
}
