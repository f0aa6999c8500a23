//! The Dashboard: follow-ups due, deals closing soon, churn risk and best
//! sellers as lists (j/k select, Enter opens), the pipeline funnel and the
//! value and lifecycle distributions as bar charts.

use super::clean;
use crate::classify::Subject;
use crate::tui::app::App;
use crate::tui::dashboard::{DashboardData, CLOSING_DAYS};
use crate::tui::labels::{self, t as tr_key};
use crate::tui::widgets::chips::chip;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Block, Borders, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(data) = &app.tabs.dashboard.data else {
        let title = format!(" {} ", tr_key("tab-dashboard"));
        let block = Block::default().borders(Borders::ALL).title(title);
        frame.render_widget(Paragraph::new(tr_key("loading")).block(block), area);
        return;
    };
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Fill(1),
        Constraint::Length(if area.height >= 30 { 10 } else { 8 }),
    ])
    .areas(area);
    let halves = |r: Rect| -> [Rect; 2] {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(r)
    };
    let [fu, closing] = halves(top);
    let [churn, best] = halves(middle);
    let mut base = 0;
    let today = app.today;
    let cursor = app.tabs.dashboard.cursor;

    let lines: Vec<Vec<Span>> = data
        .follow_ups
        .iter()
        .map(|f| {
            let when = if f.due == today {
                Span::styled(labels::pad(&tr_key("dash-today"), 10), app.theme.focus())
            } else {
                let late = crate::tr!("dash-late", date = f.due.format("%m-%d").to_string());
                Span::styled(labels::pad(&late, 10), app.theme.error())
            };
            vec![
                when,
                Span::raw(format!(
                    " {} · {}",
                    clean(&f.customer_name),
                    clean(&f.summary)
                )),
            ]
        })
        .collect();
    let total = data.follow_ups_total.max(0) as usize;
    let title = tr_key("dash-follow-ups");
    list(frame, app, &title, total, lines, base, cursor, fu);
    base += data.follow_ups.len();

    let lines = data
        .closing
        .iter()
        .map(|d| {
            // A close date already past is marked: the deal is late.
            let when = if d.expected_close < today {
                Span::styled(
                    format!(
                        "{} ",
                        crate::tr!(
                            "dash-late",
                            date = d.expected_close.format("%m-%d").to_string()
                        )
                    ),
                    app.theme.error(),
                )
            } else {
                Span::styled(
                    format!("{} ", d.expected_close.format("%m-%d")),
                    app.theme.dim(),
                )
            };
            vec![
                when,
                Span::raw(format!(
                    "{} · {} · {}",
                    clean(&d.title),
                    d.amount.display_short(),
                    clean(&d.customer_name)
                )),
            ]
        })
        .collect();
    let title = crate::tr!("dash-closing", days = CLOSING_DAYS);
    let total = data.closing_total.max(0) as usize;
    list(frame, app, &title, total, lines, base, cursor, closing);
    base += data.closing.len();

    let lines = data
        .churn
        .iter()
        .map(|c| {
            let (d, v) = c.tag.split_once(':').unwrap_or(("", &c.tag));
            vec![
                chip(&app.theme, Subject::Customer, d, v, false),
                Span::raw(format!(" {}", clean(&c.name))),
                Span::styled(format!(" · {}", clean(&c.reason)), app.theme.dim()),
            ]
        })
        .collect();
    list(
        frame,
        app,
        &tr_key("dash-churn"),
        data.churn_total,
        lines,
        base,
        cursor,
        churn,
    );
    base += data.churn.len();

    let lines = data
        .top
        .iter()
        .map(|(p, status)| {
            let mut v = vec![Span::raw(format!("{:>4} × {}", p.units, clean(&p.name)))];
            if !status.is_empty() {
                v.push(Span::raw(" "));
                v.push(chip(&app.theme, Subject::Product, "sales", status, false));
            }
            v
        })
        .collect();
    let total = data.top.len();
    list(
        frame,
        app,
        &tr_key("dash-top-products"),
        total,
        lines,
        base,
        cursor,
        best,
    );

    charts(frame, app, data, bottom);
}

#[allow(clippy::too_many_arguments)]
fn list(
    frame: &mut Frame,
    app: &App,
    title: &str,
    total: usize,
    lines: Vec<Vec<Span>>,
    base: usize,
    cursor: usize,
    area: Rect,
) {
    let t = &app.theme;
    let n = lines.len();
    // The title counts every row, not the rows that fit; the list scrolls
    // with the cursor through the ones read.
    let count = if n < total {
        format!(
            "{} ",
            crate::tr!("dash-count-first", total = total, shown = n)
        )
    } else {
        format!("{total} ")
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(vec![
            Span::styled(format!(" {title} "), t.title()),
            Span::styled(count, t.dim()),
        ]));
    let height = block.inner(area).height as usize;
    let local = cursor.checked_sub(base).filter(|c| *c < n);
    let start = match local {
        Some(c) if c >= height => c + 1 - height,
        _ => 0,
    };
    let out: Vec<Line> = if n == 0 {
        vec![Line::styled(
            format!("  {}", tr_key("dash-nothing")),
            t.dim(),
        )]
    } else {
        lines
            .into_iter()
            .enumerate()
            .skip(start)
            .take(height)
            .map(|(i, spans)| {
                let line = Line::from(spans);
                if local == Some(i) {
                    t.select(line)
                } else {
                    line
                }
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(out).block(block), area);
}

fn charts(frame: &mut Frame, app: &App, data: &DashboardData, area: Rect) {
    let t = &app.theme;
    let [funnel, value, life] = Layout::horizontal([
        Constraint::Percentage(46),
        Constraint::Percentage(27),
        Constraint::Percentage(27),
    ])
    .areas(area);
    let open: Vec<_> = data
        .pipeline
        .iter()
        .filter(|s| !s.stage.is_closed())
        .collect();
    let label_w = open
        .iter()
        .map(|s| labels::stage(s.stage).width())
        .max()
        .unwrap_or(0);
    let cells = bar_cells(funnel, label_w);
    // Amounts in different currencies cannot be drawn on one scale: with
    // more than one, the bars show the number of deals (the text keeps
    // each currency's total).
    let open_totals = data.open_amount();
    let one_currency = open_totals.0.values().filter(|m| m.0 != 0).count() <= 1;
    let length = |s: &crate::store::StageTotal| -> u64 {
        if one_currency {
            s.amounts
                .0
                .values()
                .map(|m| (m.0 / 100).max(0) as u64)
                .sum()
        } else {
            s.count.max(0) as u64
        }
    };
    let max = open.iter().map(|s| length(s)).max().unwrap_or(0);
    let bars: Vec<Bar> = open
        .iter()
        .map(|s| {
            let text = format!("{} ({})", s.amounts.display_short(), s.count);
            let shown = visible(length(s), max, cells, text.width());
            Bar::with_label(labels::stage(s.stage), shown).text_value(text)
        })
        .collect();
    let closed: Vec<String> = data
        .pipeline
        .iter()
        .filter(|s| s.stage.is_closed())
        .map(|s| {
            format!(
                "{} {} ({})",
                labels::stage(s.stage),
                s.amounts.display_short(),
                s.count
            )
        })
        .collect();
    let title = format!(
        " {} ",
        crate::tr!(
            "dash-pipeline",
            open = open_totals.display_short(),
            closed = closed.join(" · ")
        )
    );
    frame.render_widget(
        BarChart::horizontal(bars)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(Span::styled(title, t.title())),
            )
            .bar_gap(0)
            .bar_style(t.ok())
            .value_style(t.header()),
        funnel,
    );
    for (rect, title, dim, dist) in [
        (value, tr_key("dash-value-tiers"), "value", &data.value),
        (life, tr_key("dash-lifecycle"), "lifecycle", &data.lifecycle),
    ] {
        let title = format!(" {title} ");
        let label = |v: &str| clean(&labels::value(Subject::Customer, dim, v));
        let label_w = dist
            .iter()
            .map(|(v, _)| label(v).width())
            .max()
            .unwrap_or(0);
        let cells = bar_cells(rect, label_w);
        let max = dist
            .iter()
            .map(|(_, n)| (*n).max(0) as u64)
            .max()
            .unwrap_or(0);
        let bars: Vec<Bar> = dist
            .iter()
            .map(|(v, n)| {
                let n = (*n).max(0) as u64;
                let text = n.to_string();
                let shown = visible(n, max, cells, text.width());
                Bar::with_label(label(v), shown).text_value(text)
            })
            .collect();
        let chart = BarChart::horizontal(bars)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(Span::styled(title, t.title())),
            )
            .bar_gap(0)
            .bar_style(t.focus())
            .value_style(t.header())
            .direction(Direction::Horizontal);
        frame.render_widget(chart, rect);
    }
}

/// Cells a horizontal bar can fill in `area` (borders and labels aside).
fn bar_cells(area: Rect, label_width: usize) -> u64 {
    (area.width as u64)
        .saturating_sub(2 + label_width as u64 + 1)
        .max(1)
}

/// The value a bar is drawn with so that any count above zero shows at
/// least one cell beyond its text (the chart writes the number over the
/// bar's first cells): 3 customers beside 5,000 would otherwise be drawn as
/// nothing, as if there were none. The bar's text still shows the real count.
fn visible(value: u64, max: u64, cells: u64, text_width: usize) -> u64 {
    if value == 0 || max == 0 {
        return value;
    }
    let need = text_width as u64 + 1;
    value.max((max * need).div_ceil(cells)).min(max)
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn a_small_count_still_gets_a_cell() {
        // 30 cells for 5,000: one cell is worth 167; "3" takes a cell, so
        // 3 is drawn as two cells' worth.
        assert_eq!(visible(3, 5_000, 30, 1), 334);
        assert_eq!(visible(0, 5_000, 30, 1), 0);
        assert_eq!(visible(4_000, 5_000, 30, 4), 4_000);
        assert_eq!(visible(5, 5, 30, 1), 5);
    }
}
