//! The detail pane: every field, tags with their reasons, the customer's
//! opportunities and activity timeline.

use super::clean;
use crate::store::CustomerFile;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::widgets::chips::chip;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let mut title = vec![Span::styled(" Detail ", t.title())];
    if !app.is_wide() {
        title.push(Span::styled("v back to the list ", t.dim()));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title));
    let lines = match app.customers.selected_file() {
        Some(file) => file_lines(t, file),
        None if app.customers.ids.is_empty() => vec![Line::raw("No customer selected.")],
        None => vec![Line::styled("Loading…", t.dim())],
    };
    let scroll = match app.detail_scroll {
        (id, n) if Some(id) == app.customers.selected_id() => n,
        _ => 0,
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

fn field<'a>(t: &Theme, label: &str, value: String) -> Option<Line<'a>> {
    if value.trim().is_empty() {
        return None;
    }
    Some(Line::from(vec![
        Span::styled(format!("{label:<9} "), t.label()),
        Span::raw(clean(&value)),
    ]))
}

fn file_lines<'a>(t: &Theme, f: &CustomerFile) -> Vec<Line<'a>> {
    let c = &f.customer;
    let mut out = vec![Line::from(vec![
        Span::styled(clean(&c.name), t.title()),
        Span::styled(format!("  #{} · {}", c.meta.id, c.kind), t.dim()),
    ])];
    let company = match (c.company.is_empty(), c.title.is_empty()) {
        (false, false) => format!("{} ({})", c.company, c.title),
        (false, true) => c.company.clone(),
        (true, _) => c.title.clone(),
    };
    let place: Vec<&str> = [&c.city, &c.province, &c.country]
        .into_iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    let mut location = place.join(", ");
    if !c.address.is_empty() {
        location = format!("{location} — {}", c.address);
    }
    let industry = match c.size {
        Some(n) => format!("{} · {n} employees", c.industry),
        None => c.industry.clone(),
    };
    let source = if c.source.is_empty() {
        String::new()
    } else {
        format!("{} ({})", c.source, c.channel())
    };
    let custom: Vec<String> = c.custom.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    out.extend(
        [
            field(t, "Company", company),
            field(t, "Phones", c.phones.join(", ")),
            field(t, "Emails", c.emails.join(", ")),
            field(t, "Location", location),
            field(
                t,
                "Industry",
                industry.trim_start_matches(" · ").to_string(),
            ),
            field(t, "Source", source),
            field(t, "Needs", c.needs.join(", ")),
            field(t, "Owner", c.owner.clone()),
            field(t, "Notes", c.notes.clone()),
            field(t, "Custom", custom.join("; ")),
        ]
        .into_iter()
        .flatten(),
    );
    out.push(Line::styled(
        format!(
            "added {} · updated {} · v{}",
            c.meta.created_at.format("%Y-%m-%d"),
            c.meta.updated_at.format("%Y-%m-%d"),
            c.meta.version
        ),
        t.dim(),
    ));

    out.push(Line::raw(""));
    out.push(Line::styled(format!("Tags ({})", f.tags.len()), t.header()));
    if f.tags.is_empty() {
        out.push(Line::styled("  none yet", t.dim()));
    }
    for tag in &f.tags {
        out.push(Line::from(vec![
            Span::raw("  "),
            chip(t, &tag.dimension, &tag.value, true),
            Span::styled(format!("  {}", clean(&tag.reason)), t.dim()),
        ]));
    }

    out.push(Line::raw(""));
    out.push(Line::styled(
        format!("Opportunities ({})", f.opportunities.len()),
        t.header(),
    ));
    for o in &f.opportunities {
        let close = o
            .close_date()
            .map(|d| format!(" · {d}"))
            .unwrap_or_default();
        out.push(Line::raw(format!(
            "  #{} {} · {} · {}{close}",
            o.meta.id,
            clean(&o.title),
            o.stage,
            o.amount.display_with(&o.currency)
        )));
    }

    out.push(Line::raw(""));
    out.push(Line::styled(
        format!("Timeline ({})", f.activities.len()),
        t.header(),
    ));
    for a in &f.activities {
        let mood = a.sentiment.map(|s| format!(" ({s})")).unwrap_or_default();
        out.push(Line::from(vec![
            Span::styled(format!("  {} ", a.date), t.dim()),
            Span::styled(format!("{:<8}", a.kind.as_str()), t.label()),
            Span::raw(format!("{}{mood}", clean(&a.summary))),
        ]));
    }
    out
}
