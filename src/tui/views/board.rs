//! The pipeline as a board: one column per stage with its count and total
//! amount, a card per deal; `>`/`<` move the selected card.

use super::clean;
use crate::classify::Subject;
use crate::domain::Stage;
use crate::tui::app::App;
use crate::tui::labels::{self, t as tr_key};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let deals = &app.tabs.deals;
    let mut title = vec![Span::styled(
        format!(" {} ", tr_key("board-title")),
        t.title(),
    )];
    if let Some((d, v)) = &deals.list.filter {
        let (d, v) = labels::tag(Subject::Opportunity, d, v);
        title.push(Span::styled(
            format!("{} ", crate::tr!("list-filter", tag = format!("{d}:{v}"))),
            t.focus(),
        ));
    }
    title.push(Span::styled(format!("{} ", tr_key("board-keys")), t.dim()));
    let outer = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title));
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    if !deals.list.loaded {
        frame.render_widget(Paragraph::new(tr_key("loading")), inner);
        return;
    }
    let cols = Layout::horizontal(vec![
        Constraint::Ratio(1, Stage::ALL.len() as u32);
        Stage::ALL.len()
    ])
    .split(inner);
    // Currency codes only when the list holds more than one currency: a
    // one-currency book reads as before, a mixed one is never summed raw.
    let mixed = {
        let mut seen = deals.list.entries.iter().map(|e| e.currency);
        let first = seen.next();
        seen.any(|c| Some(c) != first)
    };
    for (c, stage) in Stage::ALL.iter().enumerate() {
        let cards = deals.stage_cards(*stage);
        let (count, total) = deals.stage_total(*stage);
        let focused = c == deals.board_col;
        let head_style = if focused { t.tab_active() } else { t.header() };
        let last = c + 1 == Stage::ALL.len();
        let block = Block::default()
            .borders(if last { Borders::NONE } else { Borders::RIGHT })
            .border_style(t.dim());
        let area = cols[c];
        let body = block.inner(area);
        frame.render_widget(block, area);
        let width = body.width as usize;
        let mut lines = vec![
            Line::styled(super::fit(&labels::stage(stage), width), head_style),
            Line::styled(
                if mixed {
                    format!("{count} · {}", total.display_short())
                } else {
                    let sum: crate::domain::Money = total.0.values().copied().sum();
                    format!("{count} · {}", sum.display_short())
                },
                t.dim(),
            ),
        ];
        // Two lines a card; scroll so the selected card is visible.
        let room = (body.height as usize).saturating_sub(3) / 2;
        let start = deals.board_start(c, room);
        for (r, id) in cards.iter().enumerate().skip(start).take(room) {
            let Some(o) = deals.list.rows.get(id) else {
                lines.push(Line::styled("…", t.dim()));
                lines.push(Line::raw(""));
                continue;
            };
            let selected = focused && r == deals.board_row;
            let style = if selected {
                t.selected()
            } else {
                Default::default()
            };
            let title = super::fit(&clean(&o.title), width);
            lines.push(Line::styled(title, style));
            let customer = deals.list.ctx().name(Some(o.customer_id)).to_string();
            let sub = format!("{} {}", o.amount.display_short(), clean(&customer));
            let sub = super::fit(&sub, width);
            lines.push(Line::from(Span::styled(
                sub,
                if selected { style } else { t.dim() },
            )));
        }
        if cards.len() > start + room {
            lines.push(Line::styled(
                crate::tr!("board-more", count = cards.len() - start - room),
                t.dim(),
            ));
        }
        frame.render_widget(Paragraph::new(lines), body);
    }
}
