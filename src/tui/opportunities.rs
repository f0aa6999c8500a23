//! The Opportunities tab: the deal list's columns, and the board's grouping
//! of deals by stage.

use super::list::{Column, Ctx, Listed, RecordList};
use crate::domain::{Money, Opportunity, Stage};
use crate::store::{DealFile, ListEntry, ListSort};
use ratatui::layout::Constraint;

impl Listed for Opportunity {
    fn id(&self) -> i64 {
        self.meta.id
    }
}

/// The deal list and the board's cursor.
#[derive(Debug, Clone, Default)]
pub struct DealTab {
    pub list: RecordList<ListEntry, Opportunity, DealFile>,
    /// Showing the board instead of the table.
    pub board: bool,
    /// Board cursor: stage column, and the card within it.
    pub board_col: usize,
    pub board_row: usize,
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
        sort: ListSort::Tag(dim),
        chip: Some(dim),
    }
}

/// The table's columns, in order; `s` cycles through them.
pub fn columns() -> Vec<Column<Opportunity>> {
    vec![
        Column {
            title: "col-deal-title",
            width: Constraint::Fill(3),
            text: |o, _| o.title.clone(),
            sort: ListSort::Title,
            chip: None,
        },
        Column {
            title: "col-deal-customer",
            width: Constraint::Fill(2),
            text: |o, c| c.name(Some(o.customer_id)).to_string(),
            sort: ListSort::Customer,
            chip: None,
        },
        Column {
            title: "col-deal-amount",
            width: Constraint::Length(9),
            text: |o, _| o.amount.display_short(),
            sort: ListSort::Amount,
            chip: None,
        },
        Column {
            title: "col-deal-stage",
            width: Constraint::Length(11),
            text: |o, _| super::labels::stage(o.stage),
            sort: ListSort::Stage,
            chip: None,
        },
        Column {
            title: "col-deal-close",
            width: Constraint::Length(10),
            text: |o, _| o.close_date().map(|d| d.to_string()).unwrap_or_default(),
            sort: ListSort::Close,
            chip: None,
        },
        tag_col("col-deal-size", "size", 6),
        tag_col("col-deal-urgency", "urgency", 7),
        tag_col("col-deal-competition", "competition", 7),
    ]
}

/// Cards of one board column loaded at most (the rest is counted).
pub const BOARD_CARDS: usize = 60;

impl DealTab {
    /// Ids of the deals of one stage on the board, in the list's order.
    pub fn stage_cards(&self, stage: Stage) -> Vec<i64> {
        let s = stage_index(stage);
        self.list
            .entries
            .iter()
            .filter(|e| e.stage == s)
            .map(|e| e.id)
            .collect()
    }

    /// Count and total amounts (per currency) of one stage's deals.
    pub fn stage_total(&self, stage: Stage) -> (usize, crate::domain::Totals) {
        let s = stage_index(stage);
        let mut totals = crate::domain::Totals::default();
        let mut n = 0;
        for e in self.list.entries.iter().filter(|e| e.stage == s) {
            n += 1;
            totals.add(e.currency(), Money(e.amount));
        }
        (n, totals)
    }

    /// The first card each column shows.
    pub fn board_start(&self, col: usize, room: usize) -> usize {
        if col == self.board_col && self.board_row >= room.max(1) {
            self.board_row + 1 - room.max(1)
        } else {
            0
        }
    }

    /// The deals the board shows: each column's cards from its first shown.
    pub fn board_window(&self) -> Vec<i64> {
        let mut out = Vec::new();
        for (c, stage) in Stage::ALL.iter().enumerate() {
            // Covers whatever the view's room is, up to BOARD_CARDS cards.
            let start = if c == self.board_col {
                self.board_row.saturating_sub(BOARD_CARDS)
            } else {
                0
            };
            let take = if c == self.board_col {
                2 * BOARD_CARDS
            } else {
                BOARD_CARDS
            };
            out.extend(self.stage_cards(*stage).into_iter().skip(start).take(take));
        }
        out
    }

    /// The id under the board cursor.
    pub fn board_selected_id(&self) -> Option<i64> {
        let stage = Stage::ALL.get(self.board_col)?;
        self.stage_cards(*stage).get(self.board_row).copied()
    }

    /// The deal under the board cursor, once loaded.
    pub fn board_selected(&self) -> Option<&Opportunity> {
        self.list.rows.get(&self.board_selected_id()?)
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
            if let Some(r) = self.stage_cards(*stage).iter().position(|o| *o == id) {
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

fn stage_index(stage: Stage) -> u8 {
    Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0) as u8
}
