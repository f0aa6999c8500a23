//! The help overlay, generated from the key map and its descriptions.

use super::centered;
use crate::tui::action::Action;
use crate::tui::app::{App, Tab};
use crate::tui::keymap::Context;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

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

/// Whether a list binding does anything on `tab` (the help lists only
/// what works where it was opened).
fn applies(tab: Tab, action: &Action) -> bool {
    use Action::*;
    match action {
        LogTouch | Merge => tab == Tab::Customers,
        MarkDone => matches!(tab, Tab::Dashboard | Tab::Customers | Tab::Activities),
        StageNext | StagePrev | MarkWon | MarkLost | Board | Left | Right => {
            tab == Tab::Opportunities
        }
        CycleKind => tab == Tab::Activities,
        Add | Edit | Delete | SortNext | SortReverse | Filter | ToggleDetail | DetailDown
        | DetailUp | Search => tab != Tab::Dashboard,
        _ => true,
    }
}

/// Keys for a team book only: the "mine / team" filter, and a form's
/// Ctrl-R (offered by the form's warning when someone else saved its
/// record). A local book's help leaves them out.
fn team_only(ctx: Context, action: &Action) -> bool {
    matches!(
        (ctx, action),
        (Context::List, Action::ToggleMine) | (Context::Form, Action::Reload)
    )
}

/// The description, with the tab's own noun for the record verbs.
fn describe(tab: Tab, b: &crate::tui::keymap::Binding) -> String {
    use crate::tui::labels::t;
    let (add, edit) = match tab {
        Tab::Customers => ("keys-add-customer", "keys-edit-customer"),
        Tab::Opportunities => ("keys-add-deal", "keys-edit-deal"),
        Tab::Products => ("keys-add-product", "keys-edit-product"),
        Tab::Activities => ("keys-add-activity", "keys-edit-activity"),
        Tab::Dashboard => return b.describe(),
    };
    match b.action {
        Action::Add => t(add),
        Action::Edit => t(edit),
        _ => b.describe(),
    }
}

/// Widest the key column gets (longer key lists are cut).
const MAX_KEYS: usize = 13;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let mut entries: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for ctx in Context::ALL {
        let rows: Vec<(String, String)> = app
            .keymap
            .bindings(ctx)
            .iter()
            .filter(|b| ctx != Context::List || applies(app.tab, &b.action))
            .filter(|b| app.team.is_some() || !team_only(ctx, &b.action))
            .map(|b| {
                let keys: Vec<String> = b.keys.iter().map(|k| pretty(k)).collect();
                (keys.join(" "), describe(app.tab, b))
            })
            .collect();
        entries.push((ctx.title(), rows));
    }
    let width = area.width.min(160);
    let rows = area.height.saturating_sub(2).max(1) as usize;
    let count: usize = entries.iter().map(|(_, r)| r.len() + 2).sum();
    // Roomy columns where they fit; on a small terminal more and narrower
    // ones, descriptions wrapped under themselves so nothing is cut.
    let roomy = ((width.saturating_sub(2)) / 38).clamp(1, 3) as usize;
    let narrowest = ((width.saturating_sub(2)) / 24).max(1) as usize;
    let columns = count.div_ceil(rows).clamp(roomy, narrowest.max(roomy));
    let column_width = (width.saturating_sub(2) as usize + 1) / columns - 1;
    // Groups of lines that stay together in one column: a binding and its
    // wrapped description.
    let mut groups: Vec<Vec<Line>> = Vec::new();
    let mut used = 0;
    let room = columns * rows;
    for (title, bindings) in entries {
        let mut section: Vec<Vec<Line>> = Vec::new();
        if !groups.is_empty() {
            section.push(vec![Line::raw("")]);
        }
        section.push(vec![Line::styled(title, t.header())]);
        // Each context's key column is as wide as its longest keys.
        let keys_width = bindings
            .iter()
            .map(|(k, _)| k.width() + 1)
            .max()
            .unwrap_or(0)
            .clamp(6, MAX_KEYS);
        let text_width = column_width.saturating_sub(keys_width).max(8);
        for (keys, desc) in bindings {
            let mut group = Vec::new();
            let keys = super::fit(&keys, keys_width - 1);
            let pad = keys_width - keys.width();
            for (i, part) in wrap(&desc, text_width).into_iter().enumerate() {
                let head = if i == 0 {
                    format!("{keys}{}", " ".repeat(pad))
                } else {
                    " ".repeat(keys_width)
                };
                group.push(Line::from(vec![
                    Span::styled(head, t.label()),
                    Span::raw(part),
                ]));
            }
            section.push(group);
        }
        // The lists' keys always; the other contexts' while they fit (their
        // keys also show on the status line while they are open).
        let size: usize = section.iter().map(Vec::len).sum();
        if !groups.is_empty() && used + size > room {
            continue;
        }
        used += size;
        groups.extend(section);
    }
    let per_column = used.div_ceil(columns).max(1);
    let mut column_lines: Vec<Vec<Line>> = vec![Vec::new()];
    for group in groups {
        let current = column_lines.last_mut().expect("one column at least");
        if !current.is_empty() && current.len() + group.len() > per_column {
            column_lines.push(Vec::new());
        }
        column_lines
            .last_mut()
            .expect("one column at least")
            .extend(group);
    }
    let per_column = column_lines.iter().map(Vec::len).max().unwrap_or(0);
    let height = (per_column as u16 + 2).min(area.height);
    let popup = centered(area, width, height);
    super::clear_popup(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(vec![
            Span::styled(
                format!(
                    " {} ",
                    crate::tr!("keys-title", tab = super::tab_title(app.tab))
                ),
                t.title(),
            ),
            Span::styled(format!("{} ", crate::tui::labels::t("keys-close")), t.dim()),
        ]));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let cols = Layout::horizontal(vec![Constraint::Fill(1); columns])
        .spacing(1)
        .split(inner);
    for (lines, area) in column_lines.into_iter().zip(cols.iter()) {
        frame.render_widget(Paragraph::new(lines), *area);
    }
}

/// Punctuation that closes: a line does not start with it.
const CLOSING: &str = "）】」』，。、：；！？";

/// `text` in lines of at most `width` display columns, broken at spaces
/// where it can be (CJK text breaks anywhere).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    for word in text.split(' ') {
        let line = out.last_mut().expect("one line at least");
        let sep = usize::from(!line.is_empty());
        if line.width() + sep + word.width() <= width {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        let mut current = if line.is_empty() {
            out.pop().unwrap_or_default()
        } else {
            String::new()
        };
        for ch in word.chars() {
            if current.width() + ch.width().unwrap_or(0) > width {
                // A closing mark never starts a line (Chinese line breaking):
                // the character before it moves down with it.
                let mut carry = String::new();
                if CLOSING.contains(ch) {
                    while current.chars().count() > 1 {
                        let last = current.pop().expect("more than one char");
                        carry.insert(0, last);
                        if !CLOSING.contains(last) {
                            break;
                        }
                    }
                    if carry.width() + ch.width().unwrap_or(0) > width {
                        current.push_str(&std::mem::take(&mut carry));
                    }
                }
                out.push(std::mem::take(&mut current));
                current = carry;
            }
            current.push(ch);
        }
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn chinese_wraps_by_width_and_no_line_starts_with_a_closing_mark() {
        let lines = wrap("删除（移入回收站）", 16);
        assert_eq!(lines, ["删除（移入回收", "站）"]);
        for width in 6..20 {
            for l in wrap("关闭（有改动先询问），否则退出。", width) {
                assert!(l.width() <= width, "{l:?} at {width}");
                assert!(!l.starts_with(['）', '，', '。']), "{l:?} at {width}");
            }
        }
        assert_eq!(wrap("Next row", 20), ["Next row"]);
    }
}
