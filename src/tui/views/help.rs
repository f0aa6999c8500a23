//! The help overlay, generated from the key map and its descriptions.

use super::centered;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// How a key spec reads on screen.
pub(crate) fn pretty(key: &str) -> String {
    match key {
        "pagedown" => "PgDn".into(),
        "pageup" => "PgUp".into(),
        "backtab" => "S-Tab".into(),
        "down" => "↓".into(),
        "up" => "↑".into(),
        "left" => "←".into(),
        "right" => "→".into(),
        "enter" => "Enter".into(),
        "esc" => "Esc".into(),
        "tab" => "Tab".into(),
        "home" => "Home".into(),
        "end" => "End".into(),
        "space" => "Space".into(),
        k => match k.strip_prefix("ctrl-") {
            Some(rest) => format!("C-{rest}"),
            None => k.to_string(),
        },
    }
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let mut lines: Vec<Line> = Vec::new();
    for ctx in Context::ALL {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(ctx.title(), t.header()));
        for b in app.keymap.bindings(ctx) {
            let keys: Vec<String> = b.keys.iter().map(|k| pretty(k)).collect();
            lines.push(Line::from(vec![
                Span::styled(format!("{:<11}", keys.join(" ")), t.label()),
                Span::raw(b.desc.clone()),
            ]));
        }
    }
    let width = area.width.min(160);
    // Roomy columns where they fit; on a small terminal, more and narrower
    // columns (descriptions cut short) so that every key is still listed.
    let rows = area.height.saturating_sub(2).max(1) as usize;
    let roomy = ((width.saturating_sub(2)) / 38).clamp(1, 3) as usize;
    let narrowest = ((width.saturating_sub(2)) / 24).max(1) as usize;
    let columns = lines
        .len()
        .div_ceil(rows)
        .clamp(roomy, narrowest.max(roomy));
    let per_column = lines.len().div_ceil(columns);
    let height = (per_column as u16 + 2).min(area.height);
    let popup = centered(area, width, height);
    super::clear_popup(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(vec![
            Span::styled(" Keys ", t.title()),
            Span::styled("any key closes ", t.dim()),
        ]));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let cols = Layout::horizontal(vec![Constraint::Fill(1); columns])
        .spacing(1)
        .split(inner);
    for (i, chunk) in lines.chunks(per_column.max(1)).enumerate() {
        if let Some(area) = cols.get(i) {
            frame.render_widget(Paragraph::new(chunk.to_vec()), *area);
        }
    }
}
