//! The Opportunities tab: the deal list's columns, and the board's grouping
//! of deals by stage.

use super::records::{tag_rank, Column, Ctx, Key, Listed, RecordList};
use crate::domain::{Opportunity, Stage};
use crate::store::DealFile;
use ratatui::layout::Constraint;

impl Listed for Opportunity {
    fn id(&self) -> i64 {
        self.meta.id
    }
}

/// The deal list and the board's cursor.
#[derive(Debug, Clone, Default)]
pub struct DealTab {
    pub list: RecordList<Opportunity, DealFile>,
    /// Showing the board instead of the table.
    pub board: bool,
    /// Board cursor: stage column, and the card within it.
    pub board_col: usize,
    pub board_row: usize,
}

fn close_key(o: &Opportunity) -> Key {
    match o.close_date() {
        Some(d) => Key::Num(chrono::Datelike::num_days_from_ce(&d) as i64),
        None => Key::Num(i64::MAX),
    }
}

fn stage_key(o: &Opportunity) -> Key {
    Key::Num(Stage::ALL.iter().position(|s| *s == o.stage).unwrap_or(0) as i64)
}

fn tag_col(title: &'static str, dim: &'static str, width: u16) -> Column<Opportunity> {
    Column {
        title,
        width: Constraint::Length(width),
        text: match dim {
            "size" => |o: &Opportunity, c: &Ctx| c.tag(o.meta.id, "size").unwrap_or("").into(),
            "urgency" => {
                |o: &Opportunity, c: &Ctx| c.tag(o.meta.id, "urgency").unwrap_or("").into()
            }
            _ => |o: &Opportunity, c: &Ctx| c.tag(o.meta.id, "competition").unwrap_or("").into(),
        },
        key: match dim {
            "size" => |o: &Opportunity, c: &Ctx| tag_rank(c.tag(o.meta.id, "size")),
            "urgency" => |o: &Opportunity, c: &Ctx| tag_rank(c.tag(o.meta.id, "urgency")),
            _ => |o: &Opportunity, c: &Ctx| tag_rank(c.tag(o.meta.id, "competition")),
        },
        chip: Some(dim),
    }
}

/// The table's columns, in order; `s` cycles through them.
pub fn columns() -> Vec<Column<Opportunity>> {
    vec![
        Column {
            title: "Title",
            width: Constraint::Fill(3),
            text: |o, _| o.title.clone(),
            key: |o, _| Key::Text(o.title.to_lowercase()),
            chip: None,
        },
        Column {
            title: "Customer",
            width: Constraint::Fill(2),
            text: |o, c| c.name(Some(o.customer_id)).to_string(),
            key: |o, c| Key::Text(c.name(Some(o.customer_id)).to_lowercase()),
            chip: None,
        },
        Column {
            title: "Amount",
            width: Constraint::Length(9),
            text: |o, _| o.amount.display_short(),
            key: |o, _| Key::Num(o.amount.0),
            chip: None,
        },
        Column {
            title: "Stage",
            width: Constraint::Length(11),
            text: |o, _| o.stage.to_string(),
            key: |o, _| stage_key(o),
            chip: None,
        },
        Column {
            title: "Close",
            width: Constraint::Length(10),
            text: |o, _| o.close_date().map(|d| d.to_string()).unwrap_or_default(),
            key: |o, _| close_key(o),
            chip: None,
        },
        tag_col("Size", "size", 6),
        tag_col("Urgency", "urgency", 7),
        tag_col("Compet.", "competition", 7),
    ]
}

impl DealTab {
    /// Deals of one stage on the board, in the list's order.
    pub fn stage_cards(&self, stage: Stage) -> Vec<&Opportunity> {
        self.list.rows().filter(|o| o.stage == stage).collect()
    }

    /// The deal under the board cursor.
    pub fn board_selected(&self) -> Option<&Opportunity> {
        let stage = Stage::ALL.get(self.board_col)?;
        self.stage_cards(*stage).get(self.board_row).copied()
    }

    /// Moves the board cursor, keeping it on a card.
    pub fn board_move(&mut self, dcol: isize, drow: isize) {
        let n = Stage::ALL.len() as isize;
        self.board_col = (self.board_col as isize + dcol).clamp(0, n - 1) as usize;
        let len = self.stage_cards(Stage::ALL[self.board_col]).len() as isize;
        self.board_row = (self.board_row as isize + drow).clamp(0, (len - 1).max(0)) as usize;
    }

    /// Puts the board cursor on deal `id`.
    pub fn board_select(&mut self, id: i64) {
        for (c, stage) in Stage::ALL.iter().enumerate() {
            if let Some(r) = self
                .stage_cards(*stage)
                .iter()
                .position(|o| o.meta.id == id)
            {
                self.board_col = c;
                self.board_row = r;
            }
        }
    }

    /// The deal selected in the current view (board or table).
    pub fn current(&self) -> Option<&Opportunity> {
        if self.board {
            self.board_selected()
        } else {
            self.list.selected()
        }
    }
}
