use super::money::{group_thousands, MAX_AMOUNT, MAX_QUANTITY};
use super::validate::{check_currency, check_required, check_text, MAX_LONG, MAX_SHORT};
use super::{labelled_enum, Meta, Money, ValidationErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

labelled_enum!(
    /// Pipeline stage: prospect 潜在 → qualified 意向 → negotiation 洽谈 →
    /// closing 成交中 → won / lost.
    Stage {
        Prospect => "prospect" | "潜在",
        Qualified => "qualified" | "intent" | "意向",
        Negotiation => "negotiation" | "洽谈",
        Closing => "closing" | "成交中",
        Won => "won" | "成交",
        Lost => "lost" | "失败",
    }
);

// The enum is declared by labelled_enum!, which derives no Default.
#[allow(clippy::derivable_impls)]
impl Default for Stage {
    fn default() -> Self {
        Stage::Prospect
    }
}

impl Stage {
    /// Won or lost.
    pub fn is_closed(self) -> bool {
        matches!(self, Stage::Won | Stage::Lost)
    }

    /// The open stages in pipeline order.
    pub const OPEN: [Stage; 4] = [
        Stage::Prospect,
        Stage::Qualified,
        Stage::Negotiation,
        Stage::Closing,
    ];

    /// The next stage along the pipeline (`>` on the board); closing → won.
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::Prospect => Some(Stage::Qualified),
            Stage::Qualified => Some(Stage::Negotiation),
            Stage::Negotiation => Some(Stage::Closing),
            Stage::Closing => Some(Stage::Won),
            Stage::Won | Stage::Lost => None,
        }
    }

    /// The previous open stage (`<` on the board).
    pub fn prev(self) -> Option<Stage> {
        match self {
            Stage::Prospect | Stage::Won | Stage::Lost => None,
            Stage::Qualified => Some(Stage::Prospect),
            Stage::Negotiation => Some(Stage::Qualified),
            Stage::Closing => Some(Stage::Negotiation),
        }
    }

    /// Whether a deal may move from `self` to `to`. Open deals move freely
    /// (forward, back, or straight to won/lost); a closed deal is only
    /// reopened into an open stage, never flipped straight from won to lost
    /// or lost to won.
    pub fn transition_problem(self, to: Stage) -> Option<String> {
        if self == to || !self.is_closed() || !to.is_closed() {
            None
        } else {
            Some(format!(
                "cannot move a {self} deal straight to {to} — reopen it into an open stage first"
            ))
        }
    }
}

/// One product line on a deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct LineItem {
    pub product_id: i64,
    pub quantity: i64,
    pub unit_price: Money,
}

impl LineItem {
    pub fn total(&self) -> Money {
        Money(self.unit_price.0.saturating_mul(self.quantity))
    }
}

/// A sales opportunity (销售机会). A won opportunity is a purchase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Opportunity {
    #[serde(flatten)]
    pub meta: Meta,
    pub customer_id: i64,
    pub title: String,
    pub amount: Money,
    pub currency: String,
    pub stage: Stage,
    pub expected_close: Option<NaiveDate>,
    pub source: String,
    /// The marketing activity (an activity of kind campaign) that sourced it.
    pub campaign_id: Option<i64>,
    pub competitors: Vec<String>,
    /// Win probability in percent.
    pub probability: Option<u8>,
    pub next_step: String,
    pub next_step_date: Option<NaiveDate>,
    /// Set when the deal is won or lost.
    pub closed_on: Option<NaiveDate>,
    /// Why a deal was won or lost.
    pub close_reason: String,
    pub items: Vec<LineItem>,
}

impl Default for Opportunity {
    fn default() -> Self {
        Opportunity {
            meta: Meta::default(),
            customer_id: 0,
            title: String::new(),
            amount: Money(0),
            // Empty: the book's currency when saved (`currency` setting).
            currency: String::new(),
            stage: Stage::Prospect,
            expected_close: None,
            source: String::new(),
            campaign_id: None,
            competitors: Vec::new(),
            probability: None,
            next_step: String::new(),
            next_step_date: None,
            closed_on: None,
            close_reason: String::new(),
            items: Vec::new(),
        }
    }
}

impl Opportunity {
    /// Sum of the line items.
    pub fn items_total(&self) -> Money {
        self.items.iter().map(LineItem::total).sum()
    }

    /// When the deal is (or is expected to be) closed: the close date of a
    /// closed deal, else the expected close date.
    pub fn close_date(&self) -> Option<NaiveDate> {
        if self.stage.is_closed() {
            self.closed_on.or(self.expected_close)
        } else {
            self.expected_close
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        check_required(&mut e, "title", &self.title);
        for (field, value) in [
            ("title", &self.title),
            ("source", &self.source),
            ("next_step", &self.next_step),
        ] {
            check_text(&mut e, field, value, MAX_SHORT);
        }
        check_text(&mut e, "close_reason", &self.close_reason, MAX_LONG);
        check_currency(&mut e, &self.currency);
        if self.customer_id <= 0 {
            e.add(
                "customer",
                "is required — pick the customer this deal is with",
            );
        }
        // A deal with lines has their total as its amount: the lines'
        // checks below name what is wrong.
        if let Some(m) = self.amount.range_error().filter(|_| self.items.is_empty()) {
            e.add("amount", m);
        }
        if let Some(p) = self.probability {
            if p > 100 {
                e.add("probability", format!("{p} is not a percentage — 0 to 100"));
            }
        }
        for c in &self.competitors {
            check_text(&mut e, "competitors", c, MAX_SHORT);
        }
        let (mut total, mut lines_ok) = (Some(0i64), true);
        for (i, item) in self.items.iter().enumerate() {
            let n = i + 1;
            if item.product_id <= 0 {
                e.add("items", crate::tr!("item-pick-product", line = n));
            }
            if item.quantity <= 0 {
                e.add("items", crate::tr!("item-quantity-min", line = n));
            } else if item.quantity > MAX_QUANTITY {
                e.add(
                    "items",
                    crate::tr!(
                        "item-quantity-max",
                        line = n,
                        quantity = group_thousands(item.quantity),
                        most = group_thousands(MAX_QUANTITY)
                    ),
                );
            }
            if let Some(m) = item.unit_price.range_error() {
                e.add(
                    "items",
                    crate::tr!("item-unit-price", line = n, problem = m),
                );
            }
            // Checked arithmetic: an overflow must be a message here, never
            // reach SQLite (whose sum() fails with a raw "integer overflow").
            let line = item
                .unit_price
                .0
                .checked_mul(item.quantity)
                .filter(|&t| t <= MAX_AMOUNT.0);
            let parts_ok = (1..=MAX_QUANTITY).contains(&item.quantity)
                && item.unit_price.range_error().is_none();
            if parts_ok && line.is_none() {
                e.add(
                    "items",
                    format!(
                        "line {n}: total {} × {} is too large — at most {}",
                        group_thousands(item.quantity),
                        item.unit_price.display_plain(),
                        MAX_AMOUNT.display_plain()
                    ),
                );
            }
            lines_ok &= parts_ok && line.is_some();
            total = total.zip(line).and_then(|(t, l)| t.checked_add(l));
        }
        if lines_ok && total.is_none_or(|t| t > MAX_AMOUNT.0) {
            e.add(
                "items",
                format!(
                    "the lines' total is too large — at most {}; split the deal",
                    MAX_AMOUNT.display_plain()
                ),
            );
        }
        if self.stage == Stage::Lost && self.close_reason.trim().is_empty() {
            e.add("close_reason", "say why the deal was lost");
        }
        e.into_result()
    }
}
