//! Detail panes of the deal, product and activity tabs: every field, tags
//! with their reasons, and the related records.

use super::clean;
use crate::classify::Subject;
use crate::store::{ActivityFile, DealFile, ProductFile, Tag};
use crate::tui::app::App;
use crate::tui::labels::{self, t as tr_key};
use crate::tui::theme::Theme;
use crate::tui::widgets::chips::chip;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline, Wrap};
use ratatui::Frame;

fn block<'a>(app: &App) -> Block<'a> {
    let t = &app.theme;
    let mut title = vec![Span::styled(format!(" {} ", tr_key("detail")), t.title())];
    if !app.is_wide() {
        title.push(Span::styled(format!("{} ", tr_key("detail-keys")), t.dim()));
    }
    Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title))
}

fn field<'a>(t: &Theme, key: &str, value: String) -> Option<Line<'a>> {
    if value.trim().is_empty() {
        return None;
    }
    Some(Line::from(vec![
        Span::styled(format!("{} ", labels::pad(&tr_key(key), 12)), t.label()),
        Span::raw(clean(&value)),
    ]))
}

fn tag_lines<'a>(t: &Theme, subject: Subject, tags: &[Tag], out: &mut Vec<Line<'a>>) {
    out.push(Line::raw(""));
    out.push(Line::styled(
        crate::tr!("detail-tags", count = tags.len()),
        t.header(),
    ));
    if tags.is_empty() {
        out.push(Line::styled(
            format!("  {}", tr_key("detail-none-yet")),
            t.dim(),
        ));
    }
    for tag in tags {
        out.push(Line::from(vec![
            Span::raw("  "),
            chip(t, subject, &tag.dimension, &tag.value, true),
            Span::styled(format!("  {}", clean(&tag.reason)), t.dim()),
        ]));
    }
}

/// The selected record's owner on a team book.
fn owner_line<'a>(app: &App, t: &Theme) -> Option<Line<'a>> {
    use crate::tui::app::Tab;
    let tabs = &app.tabs;
    let owner = match app.tab {
        Tab::Opportunities => tabs
            .deals
            .list
            .selected_id()
            .and_then(|id| tabs.deals.list.owner(id)),
        Tab::Products => tabs
            .products
            .selected_id()
            .and_then(|id| tabs.products.owner(id)),
        Tab::Activities => tabs
            .activities
            .list
            .selected_id()
            .and_then(|id| tabs.activities.list.owner(id)),
        Tab::Customers | Tab::Dashboard => None,
    }?;
    field(t, "detail-owned-by", owner.to_string())
}

fn render(frame: &mut Frame, app: &App, lines: Vec<Line>, scroll: u16, area: Rect) {
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(app))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

fn waiting<'a>(app: &App, any: bool) -> Vec<Line<'a>> {
    if any {
        vec![Line::styled(tr_key("loading"), app.theme.dim())]
    } else {
        vec![Line::raw(tr_key("detail-nothing"))]
    }
}

pub fn draw_deal(
    frame: &mut Frame,
    app: &App,
    file: Option<&DealFile>,
    any: bool,
    scroll: u16,
    area: Rect,
) {
    let t = &app.theme;
    let Some(f) = file else {
        return render(frame, app, waiting(app, any), 0, area);
    };
    let o = &f.deal;
    let mut out = vec![Line::from(vec![
        Span::styled(clean(&o.title), t.title()),
        Span::styled(
            format!("  #{} · {}", o.meta.id, labels::stage(o.stage)),
            t.dim(),
        ),
    ])];
    let probability = o.probability.map(|p| format!("{p}%")).unwrap_or_default();
    let next = match o.next_step_date {
        Some(d) => format!("{} ({d})", o.next_step),
        None => o.next_step.clone(),
    };
    out.extend(
        [
            field(t, "deal-amount", o.amount.display_with(&o.currency)),
            field(
                t,
                "deal-close",
                o.close_date().map(|d| d.to_string()).unwrap_or_default(),
            ),
            field(t, "deal-probability", probability),
            field(t, "deal-source", o.source.clone()),
            field(t, "deal-campaign", f.campaign.clone().unwrap_or_default()),
            field(t, "deal-competitors", o.competitors.join(", ")),
            field(t, "deal-next-step", next),
            field(t, "deal-reason", o.close_reason.clone()),
        ]
        .into_iter()
        .flatten(),
    );
    out.push(Line::raw(""));
    out.push(Line::styled(
        crate::tr!("deal-line-items", count = o.items.len()),
        t.header(),
    ));
    for item in &o.items {
        let name = f
            .products
            .get(&item.product_id)
            .cloned()
            .unwrap_or_else(|| crate::tr!("deal-product-id", id = item.product_id));
        out.push(Line::raw(format!(
            "  {} × {} @ {} = {}",
            item.quantity,
            clean(&name),
            item.unit_price.display_plain(),
            item.total().display_plain()
        )));
    }
    tag_lines(t, Subject::Opportunity, &f.tags, &mut out);
    out.push(Line::raw(""));
    match &f.customer {
        Some(c) => {
            out.push(Line::from(vec![
                Span::styled(format!("{} ", tr_key("deal-customer")), t.header()),
                Span::styled(clean(&c.name), t.title()),
                Span::styled(format!("  #{}", c.meta.id), t.dim()),
            ]));
            let place = [&c.company, &c.city]
                .into_iter()
                .filter(|s| !s.is_empty())
                .map(|s| clean(s))
                .collect::<Vec<_>>()
                .join(" · ");
            if !place.is_empty() {
                out.push(Line::raw(format!("  {place}")));
            }
            let mut spans = vec![Span::raw("  ")];
            for tag in f.customer_tags.iter().filter(|tag| {
                ["value", "lifecycle", "loyalty", "rfm", "feedback"]
                    .contains(&tag.dimension.as_str())
            }) {
                spans.push(chip(t, Subject::Customer, &tag.dimension, &tag.value, true));
                spans.push(Span::raw(" "));
            }
            out.push(Line::from(spans));
        }
        None => out.push(Line::styled(tr_key("deal-customer-not-found"), t.error())),
    }
    if let Some(owner) = owner_line(app, t) {
        out.insert(1, owner);
    }
    render(frame, app, out, scroll, area);
}

pub fn draw_product(
    frame: &mut Frame,
    app: &App,
    file: Option<&ProductFile>,
    any: bool,
    scroll: u16,
    area: Rect,
) {
    let t = &app.theme;
    let Some(f) = file else {
        return render(frame, app, waiting(app, any), 0, area);
    };
    let p = &f.product;
    let inner = block(app).inner(area);
    frame.render_widget(block(app), area);
    let [head, chart, rest] = Layout::vertical([
        Constraint::Length(8),
        Constraint::Length(4),
        Constraint::Min(0),
    ])
    .areas(inner);
    let mut out = vec![Line::from(vec![
        Span::styled(clean(&p.name), t.title()),
        Span::styled(
            format!(
                "  #{} · {}",
                p.meta.id,
                if p.active {
                    tr_key("product-active")
                } else {
                    tr_key("product-inactive")
                }
            ),
            t.dim(),
        ),
    ])];
    out.extend(
        [
            field(t, "product-sku", p.sku.clone()),
            field(t, "product-category", p.category.clone()),
            field(t, "product-price", p.price.display_with(&p.currency)),
            field(t, "product-brand", p.brand.clone()),
            field(t, "product-functions", p.functions.join(", ")),
            field(t, "product-audience", p.audience.join(", ")),
        ]
        .into_iter()
        .flatten(),
    );
    frame.render_widget(Paragraph::new(out), head);
    let units: Vec<u64> = f.monthly.iter().map(|(_, u)| (*u).max(0) as u64).collect();
    let total: u64 = units.iter().sum();
    let first = f.monthly.first().map(|m| m.0.as_str()).unwrap_or("");
    let [label, spark] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(chart);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{} ", tr_key("product-units-by-month")), t.header()),
            Span::styled(
                crate::tr!(
                    "product-units-since",
                    first = first,
                    total = total.to_string()
                ),
                t.dim(),
            ),
        ])),
        label,
    );
    frame.render_widget(Sparkline::default().data(&units).style(t.ok()), spark);
    let mut lines: Vec<Line> = owner_line(app, t).into_iter().collect();
    tag_lines(t, Subject::Product, &f.tags, &mut lines);
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        crate::tr!("product-bought-by", count = f.buyers.len()),
        t.header(),
    ));
    for b in &f.buyers {
        let last = b
            .last
            .map(|d| format!(" · {}", crate::tr!("product-last", date = d.to_string())))
            .unwrap_or_default();
        lines.push(Line::raw(format!(
            "  {} · {}{last}",
            clean(&b.name),
            crate::tr!("product-units", count = b.units)
        )));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        rest,
    );
}

pub fn draw_activity(
    frame: &mut Frame,
    app: &App,
    file: Option<&ActivityFile>,
    any: bool,
    scroll: u16,
    area: Rect,
) {
    let t = &app.theme;
    let Some(f) = file else {
        return render(frame, app, waiting(app, any), 0, area);
    };
    let a = &f.activity;
    let mut out = vec![Line::from(vec![
        Span::styled(clean(&a.summary.replace('\n', " ")), t.title()),
        Span::styled(
            format!("  #{} · {}", a.meta.id, labels::activity_kind(a.kind)),
            t.dim(),
        ),
    ])];
    match &a.campaign {
        None => out.extend(
            [
                field(t, "activity-date", a.date.to_string()),
                field(
                    t,
                    "activity-customer",
                    f.customer
                        .as_ref()
                        .map(|(id, n)| format!("{n} #{id}"))
                        .unwrap_or_default(),
                ),
                field(
                    t,
                    "activity-deal",
                    f.deal
                        .as_ref()
                        .map(|(id, n)| format!("{n} #{id}"))
                        .unwrap_or_default(),
                ),
                field(
                    t,
                    "activity-sentiment",
                    a.sentiment.map(labels::sentiment).unwrap_or_default(),
                ),
                field(
                    t,
                    "activity-follow-up",
                    a.next_follow_up.map(|d| d.to_string()).unwrap_or_default(),
                ),
            ]
            .into_iter()
            .flatten(),
        ),
        Some(c) => {
            let dates = match c.end_date {
                Some(e) => format!("{} → {e}", a.date),
                None => a.date.to_string(),
            };
            let roi = f
                .roi()
                .map(|r| format!("{:.0}%", r * 100.0))
                .unwrap_or_else(|| tr_key("campaign-no-cost"));
            out.extend(
                [
                    field(t, "campaign-dates", dates),
                    field(t, "campaign-channel", labels::campaign_channel(c.channel)),
                    field(t, "campaign-region", labels::region(c.region)),
                    field(t, "campaign-goal", labels::goal(c.goal)),
                    field(t, "campaign-participants", c.participants.to_string()),
                    field(t, "campaign-cost", c.cost.display_plain()),
                    field(t, "campaign-leads", c.leads.to_string()),
                    field(t, "campaign-won-revenue", f.won_revenue.display_plain()),
                    field(t, "campaign-roi", roi),
                ]
                .into_iter()
                .flatten(),
            );
        }
    }
    tag_lines(t, Subject::Campaign, &f.tags, &mut out);
    if a.campaign.is_some() {
        out.push(Line::raw(""));
        out.push(Line::styled(
            crate::tr!("campaign-sourced-deals", count = f.sourced.len()),
            t.header(),
        ));
        for o in &f.sourced {
            out.push(Line::raw(format!(
                "  #{} {} · {} · {}",
                o.meta.id,
                clean(&o.title),
                labels::stage(o.stage),
                o.amount.display_plain()
            )));
        }
    }
    if let Some(owner) = owner_line(app, t) {
        out.insert(1, owner);
    }
    render(frame, app, out, scroll, area);
}
