//! The recent-messages log (`H`): every status line since start, newest
//! first, whole (the status line itself may be cut on a narrow terminal).

use super::{centered, clean, clear_popup};
use crate::tui::app::App;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let popup = centered(area, area.width.min(100), area.height);
    clear_popup(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(vec![
            Span::styled(
                format!(
                    " {} ",
                    crate::tr!("messages-title", count = app.messages.len())
                ),
                t.title(),
            ),
            Span::styled(
                format!("{} ", crate::tui::labels::t("messages-keys")),
                t.dim(),
            ),
        ]));
    let lines: Vec<Line> = if app.messages.is_empty() {
        vec![Line::styled(
            crate::tui::labels::t("messages-none"),
            t.dim(),
        )]
    } else {
        app.messages
            .iter()
            .rev()
            .map(|m| Line::styled(clean(&m.text), if m.error { t.error() } else { t.ok() }))
            .collect()
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
}
