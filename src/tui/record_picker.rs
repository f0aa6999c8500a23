//! The link picker of the record form: the options for a customer,
//! product, campaign or deal link, fuzzy-matched as the person types (a
//! touch's deal is one of its customer's deals, or none).

use super::record_form::{pick_kind, RecordForm, Slot};
use crate::domain::fields::FieldType;
use crate::domain::Kind;
use crate::store::{Choice, PickKind};
use tui_input::Input;

/// The open link picker.
#[derive(Debug, Clone)]
pub struct Picker {
    pub field: usize,
    pub kind: PickKind,
    pub query: Input,
    pub choices: Vec<Choice>,
    pub cursor: usize,
}

/// A request the form makes of the store: options for the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickRequest {
    pub kind: PickKind,
    pub query: String,
}

/// The first option of the deal picker: link no deal.
pub const NO_LINK: i64 = 0;

impl RecordForm {
    pub(super) fn pick_kind_at(&self, i: usize) -> Option<PickKind> {
        match self.slots[i] {
            // A touch's deal is one of its customer's deals (or none).
            Slot::Spec(spec) if spec.ty == FieldType::Link(Kind::Opportunity) => Some(
                PickKind::DealOf(self.link_of("customer").unwrap_or(NO_LINK)),
            ),
            Slot::Spec(spec) => pick_kind(spec.ty),
            Slot::ItemProduct(_) => Some(PickKind::Product),
            _ => None,
        }
    }

    /// The record chosen in the link field `name`.
    fn link_of(&self, name: &str) -> Option<i64> {
        self.slots
            .iter()
            .position(|s| matches!(s, Slot::Spec(spec) if spec.name == name))
            .and_then(|i| self.links[i])
    }

    /// Opens the picker on the focused link field, with `query` typed.
    pub(super) fn open_picker(&mut self, query: String) -> Option<PickRequest> {
        let kind = self.pick_kind_at(self.focus)?;
        self.picker = Some(Picker {
            field: self.focus,
            kind,
            query: Input::new(query.clone()),
            choices: Vec::new(),
            cursor: 0,
        });
        Some(PickRequest { kind, query })
    }

    /// Options arrived for the picker (dropped if the query moved on).
    pub fn set_choices(&mut self, request: &PickRequest, choices: Vec<Choice>) {
        if let Some(p) = self.picker.as_mut() {
            if p.kind == request.kind && p.query.value() == request.query {
                p.choices = choices;
                p.cursor = 0;
            }
        }
    }

    /// Moves the picker cursor; false when no picker is open.
    pub fn picker_move(&mut self, delta: isize) -> bool {
        match self.picker.as_mut() {
            Some(p) => {
                let last = p.choices.len().saturating_sub(1) as isize;
                p.cursor = (p.cursor as isize + delta).clamp(0, last) as usize;
                true
            }
            None => false,
        }
    }

    /// Closes the picker without choosing; false when none was open.
    pub fn close_picker(&mut self) -> bool {
        self.picker.take().is_some()
    }

    pub(super) fn choose(&mut self) {
        let Some(p) = self.picker.take() else { return };
        let Some(c) = p.choices.get(p.cursor) else {
            return;
        };
        let i = p.field;
        if c.id == NO_LINK {
            self.links[i] = None;
            self.fields[i].input = Input::default();
            self.next_field();
            return;
        }
        let changed_customer = self.fields[i].key == "customer" && self.links[i] != Some(c.id);
        self.links[i] = Some(c.id);
        self.fields[i].input = Input::new(format!("#{} {}", c.id, c.label));
        self.errors.0.retain(|e| e.field != self.fields[i].key);
        if changed_customer {
            // A deal of the previous customer no longer fits.
            if let Some(d) = self.slots.iter().position(
                |s| matches!(s, Slot::Spec(spec) if spec.ty == FieldType::Link(Kind::Opportunity)),
            ) {
                self.links[d] = None;
                self.fields[d].input = Input::default();
            }
        }
        if let Slot::ItemProduct(n) = self.slots[i] {
            self.prices[i] = c.price;
            if self.fields[i + 1].value().trim().is_empty() {
                self.fields[i + 1].input = Input::new("1".into());
            }
            if let Some(price) = c.price {
                self.fields[i + 2].input = Input::new(price.display_plain());
            }
            if n + 1 == self.item_count() {
                self.push_item(None, None);
            }
            self.refresh_amount();
        }
        self.next_field();
    }
}
