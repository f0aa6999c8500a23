//! What the screen shows: selected rows readable in every theme and with
//! NO_COLOR, and CJK measured by display width (nothing spills over a
//! border).

use chrono::NaiveDate;
use dossier::domain::{Clock, Customer};
use dossier::store::Store;
use dossier::tui::theme::Theme;
use dossier::tui::views;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

mod support;
use support::{demo, Harness};

fn book() -> Store {
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(day)).unwrap();
    let mut c = Customer::named("张伟");
    c.company = "上海未来科技有限公司上海未来科技有限公司上海未来科技有限公司".into();
    c.address = "上海市浦东新区张江高科技园区碧波路六百九十号三号楼五层".into();
    c.notes = "每年春季做预算，采购经理更看重售后服务与响应速度，".repeat(6);
    s.add_customer(&c).unwrap();
    for n in ["张三", "张丽", "Zhang Min"] {
        s.add_customer(&Customer::named(n)).unwrap();
    }
    s
}

fn buffer(h: &Harness) -> Buffer {
    let (w, hh) = h.app.size;
    let mut t = Terminal::new(TestBackend::new(w, hh)).unwrap();
    t.draw(|f| views::draw(f, &h.app)).unwrap();
    t.backend().buffer().clone()
}

fn colour_theme() -> Theme {
    let (mut t, _) = Theme::load(None);
    t.color = true;
    t
}

/// The cells of row `y` between columns `x0..x1`.
fn row(buf: &Buffer, y: u16, x0: u16, x1: u16) -> Vec<ratatui::buffer::Cell> {
    (x0..x1).map(|x| buf[(x, y)].clone()).collect()
}

/// Whether a cell is drawn as selected.
fn selected(c: &ratatui::buffer::Cell, colour: bool) -> bool {
    if colour {
        c.bg == Color::DarkGray
    } else {
        c.modifier.contains(Modifier::REVERSED)
    }
}

/// The selected screen row showing `text`.
fn row_of(buf: &Buffer, text: &str, colour: bool) -> u16 {
    let w = buf.area.width;
    (0..buf.area.height)
        .find(|&y| {
            let line: String = (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect();
            line.replace(' ', "").contains(&text.replace(' ', ""))
                && (0..w).any(|x| selected(&buf[(x, y)], colour))
        })
        .unwrap_or_else(|| panic!("{text} is on a selected row"))
}

fn assert_readable(cells: &[ratatui::buffer::Cell], colour: bool, what: &str) {
    for c in cells.iter().filter(|c| !c.symbol().trim().is_empty()) {
        if colour {
            assert!(
                c.fg != c.bg && c.fg != Color::DarkGray,
                "{what}: '{}' is {:?} on {:?}",
                c.symbol(),
                c.fg,
                c.bg
            );
        } else {
            assert!(c.modifier.contains(Modifier::REVERSED), "{what}: reversed");
            assert!(
                !c.modifier.contains(Modifier::DIM),
                "{what}: '{}' dimmed",
                c.symbol()
            );
        }
    }
}

#[test]
fn the_selected_search_result_is_readable_in_colour_and_without() {
    for colour in [true, false] {
        let mut h = Harness::new(book(), 120, 40);
        h.app.theme = if colour {
            colour_theme()
        } else {
            Theme::plain()
        };
        h.ctrl('k').typed("zhang").settle();
        assert!(h.app.search.hits.len() > 1);
        let buf = buffer(&h);
        let first = &h.app.search.hits[0].label;
        let y = row_of(&buf, first, colour);
        // The hit row inside the overlay (its borders aside).
        let cells: Vec<_> = row(&buf, y, 0, 120)
            .into_iter()
            .filter(|c| selected(c, colour))
            .collect();
        assert_readable(&cells, colour, "search hit");
    }
}

#[test]
fn the_selected_dashboard_row_is_readable_in_colour_and_without() {
    for colour in [true, false] {
        let mut h = Harness::new(demo(), 120, 40);
        h.app.theme = if colour {
            colour_theme()
        } else {
            Theme::plain()
        };
        h.key(ratatui::crossterm::event::KeyCode::Char('1'));
        let buf = buffer(&h);
        let y = (0..40)
            .find(|&y| {
                (0..120).any(|x| {
                    let c = &buf[(x, y)];
                    let sel = if colour {
                        c.bg == Color::DarkGray
                    } else {
                        c.modifier.contains(Modifier::REVERSED)
                    };
                    sel && !c.symbol().trim().is_empty() && y > 1
                })
            })
            .expect("a selected row on the dashboard");
        let cells: Vec<_> = row(&buf, y, 0, 120)
            .into_iter()
            .filter(|c| selected(c, colour))
            .collect();
        assert_readable(&cells, colour, "dashboard row");
    }
}

#[test]
fn cjk_in_the_detail_pane_never_covers_a_border() {
    for (w, hh) in [(120, 40), (160, 40), (111, 30)] {
        let h = Harness::new(book(), w, hh);
        let buf = buffer(&h);
        let text = h.screen();
        // Every body row ends with the detail pane's right border, and the
        // list's right border stands where it stands on the first row.
        let top = 1;
        let split = (0..w)
            .find(|&x| buf[(x, top)].symbol() == "┐")
            .expect("the list's top-right corner");
        for y in top + 1..hh - 2 {
            let last = buf[(w - 1, y)].symbol();
            assert_eq!(last, "│", "row {y} at {w}x{hh} ends in {last:?}:\n{text}");
            let mid = buf[(split, y)].symbol();
            assert_eq!(
                mid, "│",
                "row {y} at {w}x{hh}: list border {mid:?}:\n{text}"
            );
        }
    }
}

#[test]
fn the_selected_list_row_is_readable_on_every_tab() {
    for key in ['2', '3', '4', '5'] {
        let mut h = Harness::new(demo(), 120, 40);
        h.app.theme = colour_theme();
        h.key(ratatui::crossterm::event::KeyCode::Char(key));
        // A row with an empty tag column ("·") selected, where there is one.
        for _ in 0..40 {
            if h.screen().lines().nth(3).is_some_and(|l| l.contains('·')) {
                break;
            }
            h.key(ratatui::crossterm::event::KeyCode::Char('j'));
        }
        let buf = buffer(&h);
        for y in 2..38 {
            let cells: Vec<_> = row(&buf, y, 0, 120)
                .into_iter()
                .filter(|c| selected(c, true))
                .collect();
            if cells.len() > 20 {
                assert_readable(&cells, true, &format!("tab {key} row {y}"));
            }
        }
    }
}
