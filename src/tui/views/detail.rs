//! The detail pane: every field, tags with their reasons, the customer's
//! opportunities and activity timeline.

use super::clean;
use crate::classify::Subject;
use crate::store::{CustomerFile, Tag};
use crate::tui::app::App;
use crate::tui::labels::{self, t as tr_key};
use crate::tui::theme::Theme;
use crate::tui::widgets::chips::{chip, chip_width};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let mut title = vec![Span::styled(format!(" {} ", tr_key("detail")), t.title())];
    if !app.is_wide() {
        title.push(Span::styled(
            format!("{} ", tr_key("detail-keys-customer")),
            t.dim(),
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title));
    let lines = match app.customers.selected_file() {
        Some(file) => {
            let mut lines = file_lines(t, file, area.width.saturating_sub(2) as usize, app.today);
            // A team book's customer has an owner (not the free-text field).
            let owner = app.customers.owner(file.customer.meta.id);
            if let Some(line) = owner.and_then(|o| field(t, "detail-owned-by", o.to_string())) {
                lines.insert(1, line);
            }
            lines
        }
        None if app.customers.is_empty() => vec![Line::raw(tr_key("detail-no-customer"))],
        None => vec![Line::styled(tr_key("loading"), t.dim())],
    };
    let scroll = app.customers.detail_scroll;
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

fn field<'a>(t: &Theme, key: &str, value: String) -> Option<Line<'a>> {
    if value.trim().is_empty() {
        return None;
    }
    Some(Line::from(vec![
        Span::styled(format!("{} ", labels::pad(&tr_key(key), 9)), t.label()),
        Span::raw(clean(&value)),
    ]))
}

fn file_lines<'a>(
    t: &Theme,
    f: &CustomerFile,
    width: usize,
    today: chrono::NaiveDate,
) -> Vec<Line<'a>> {
    let c = &f.customer;
    let mut out = vec![Line::from(vec![
        Span::styled(clean(&c.name), t.title()),
        Span::styled(
            format!("  #{} · {}", c.meta.id, labels::customer_kind(c.kind)),
            t.dim(),
        ),
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
    let industry_shown = labels::value(Subject::Customer, "industry", &c.industry);
    let industry = match c.size {
        Some(n) => format!(
            "{} · {}",
            industry_shown,
            crate::tr!("detail-employees", count = n)
        ),
        None => industry_shown,
    };
    let source = if c.source.is_empty() {
        String::new()
    } else {
        format!(
            "{} ({})",
            labels::value(Subject::Customer, "source", &c.source),
            labels::channel(c.channel())
        )
    };
    let custom: Vec<String> = c.custom.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    // The address book's card: labels with phones and emails, the day a
    // birthday or anniversary comes next.
    use crate::domain::fields::Fields;
    let card = &c.card;
    let day = |d: &str| match crate::domain::card::next_occurrence(d, today) {
        Some(next) if !d.is_empty() => {
            crate::tr!("detail-next-day", day = d, next = next.to_string())
        }
        _ => d.to_string(),
    };
    if !card.postcode.is_empty() {
        location = format!("{location} {}", card.postcode);
    }
    out.extend(
        [
            field(t, "detail-company", company),
            field(t, "detail-dept", card.department.clone()),
            field(t, "detail-nickname", card.nickname.clone()),
            field(t, "detail-phones", c.get("phones")),
            field(t, "detail-emails", c.get("emails")),
            field(t, "detail-location", location),
            field(
                t,
                "detail-addresses",
                c.get("addresses").replace('\n', " · "),
            ),
            field(t, "detail-birthday", day(&card.birthday)),
            field(t, "detail-anniversary", day(&card.anniversary)),
            field(t, "detail-web", card.websites.join(", ")),
            field(t, "detail-im", c.get("ims")),
            field(t, "detail-groups", card.groups.join(", ")),
            field(
                t,
                "detail-industry",
                industry.trim_start_matches(" · ").to_string(),
            ),
            field(t, "detail-source", source),
            field(t, "detail-needs", c.needs.join(", ")),
            field(t, "detail-owner", c.owner.clone()),
            field(t, "detail-notes", c.notes.clone()),
            field(t, "detail-custom", custom.join("; ")),
        ]
        .into_iter()
        .flatten(),
    );
    out.push(Line::styled(
        crate::tr!(
            "detail-added",
            added = c.meta.created_at.format("%Y-%m-%d").to_string(),
            updated = c.meta.updated_at.format("%Y-%m-%d").to_string(),
            version = c.meta.version.to_string()
        ),
        t.dim(),
    ));

    // Chips first, packed into lines; the reasons come last (J/K scroll).
    out.push(Line::raw(""));
    out.push(Line::styled(
        crate::tr!("detail-tags", count = f.tags.len()),
        t.header(),
    ));
    if f.tags.is_empty() {
        out.push(Line::styled(
            format!("  {}", tr_key("detail-none-yet")),
            t.dim(),
        ));
    }
    let mut line: Vec<Span> = vec![Span::raw(" ")];
    let mut used = 1;
    for tag in &f.tags {
        let w = chip_width(Subject::Customer, &tag.dimension, &tag.value, true) + 1;
        if used + w > width && used > 1 {
            out.push(Line::from(std::mem::replace(
                &mut line,
                vec![Span::raw(" ")],
            )));
            used = 1;
        }
        line.push(Span::raw(" "));
        line.push(chip(t, Subject::Customer, &tag.dimension, &tag.value, true));
        used += w;
    }
    if used > 1 {
        out.push(Line::from(line));
    }

    out.push(Line::raw(""));
    out.push(Line::styled(
        crate::tr!("detail-opportunities", count = f.opportunities.len()),
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
            labels::stage(o.stage),
            o.amount.display_with(&o.currency)
        )));
    }

    out.push(Line::raw(""));
    out.push(Line::styled(
        crate::tr!("detail-timeline", count = f.activities.len()),
        t.header(),
    ));
    for a in &f.activities {
        let mood = a
            .sentiment
            .map(|s| format!(" ({})", labels::sentiment(s)))
            .unwrap_or_default();
        let mut spans = vec![
            Span::styled(format!("  {} ", a.date), t.dim()),
            Span::styled(labels::pad(&labels::activity_kind(a.kind), 8), t.label()),
            Span::raw(format!("{}{mood}", clean(&a.summary))),
        ];
        // Where its reminder stands: open ones stand out (x closes one).
        if let Some(note) = a.follow_up_note(today) {
            let style = if a.open_follow_up().is_some() {
                t.focus()
            } else {
                t.dim()
            };
            spans.push(Span::styled(format!(" · {note}"), style));
        }
        out.push(Line::from(spans));
    }
    if !f.tags.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled(tr_key("detail-why-tags"), t.header()));
        for tag in &f.tags {
            out.push(Line::from(vec![
                Span::raw("  "),
                chip(t, Subject::Customer, &tag.dimension, &tag.value, true),
            ]));
            for l in wrap_indented(&reason_text(tag), width.saturating_sub(4), 4) {
                out.push(Line::styled(l, t.dim()));
            }
        }
    }
    out
}

/// A tag's reason without the `dimension=value` the chip already shows.
fn reason_text(tag: &Tag) -> String {
    let prefix = format!("{}={}", tag.dimension, tag.value);
    let r = tag.reason.trim();
    let r = r.strip_prefix(&prefix).unwrap_or(r);
    clean(r.trim_start_matches([':', ' ']))
}

/// Wraps `text` to `width` columns (CJK counted double), each line indented.
fn wrap_indented(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(10);
    let pad = " ".repeat(indent);
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0;
    for word in text.split(' ') {
        let ww = word.width();
        if cur_w > 0 && cur_w + 1 + ww > width {
            lines.push(format!("{pad}{cur}"));
            cur.clear();
            cur_w = 0;
        }
        if ww > width {
            // A long run without spaces (CJK text): break by column.
            if cur_w > 0 {
                cur.push(' ');
                cur_w += 1;
            }
            for ch in word.chars() {
                let cw = ch.width().unwrap_or(0);
                if cur_w + cw > width {
                    lines.push(format!("{pad}{cur}"));
                    cur.clear();
                    cur_w = 0;
                }
                cur.push(ch);
                cur_w += cw;
            }
            continue;
        }
        if cur_w > 0 {
            cur.push(' ');
            cur_w += 1;
        }
        cur.push_str(word);
        cur_w += ww;
    }
    if cur_w > 0 {
        lines.push(format!("{pad}{cur}"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_reasons_with_cjk_widths() {
        let lines = wrap_indented(
            "收入 182,000 ≥ 100,000 because 上海上海上海上海上海上海",
            14,
            2,
        );
        for l in &lines {
            assert!(l.width() <= 16, "{l:?}");
        }
        assert!(lines.len() >= 3);
    }

    #[test]
    fn the_detail_shows_the_card_of_an_address_book() {
        use crate::domain::fields::Fields;
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut c = crate::domain::Customer::named("张伟");
        for (field, value) in [
            ("phones", "mobile: +86 138 0021 0101, work: 021-5080 1101"),
            ("birthday", "1985-12-09"),
            ("nickname", "老张"),
            ("department", "采购部"),
            ("ims", "wechat: zhangwei_hx"),
            ("groups", "VIP"),
            (
                "addresses",
                "factory: 金桥路 1 号; 上海; 上海; 201206; China",
            ),
        ] {
            c.set(field, value, today).unwrap();
        }
        let file = CustomerFile {
            customer: c,
            tags: Vec::new(),
            opportunities: Vec::new(),
            activities: Vec::new(),
        };
        let text: Vec<String> = file_lines(&Theme::plain(), &file, 200, today)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        let text = text.join("\n");
        for shown in [
            "mobile: +86 138 0021 0101, work: 021-5080 1101",
            "1985-12-09 (next 2026-12-09)",
            "老张",
            "采购部",
            "wechat: zhangwei_hx",
            "VIP",
            "factory: 金桥路 1 号",
        ] {
            assert!(text.contains(shown), "{shown} in:\n{text}");
        }
    }
}
