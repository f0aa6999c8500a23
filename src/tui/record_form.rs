//! The form for deals, products, touches and campaigns, built from the
//! field descriptions in `domain::fields` (the ones the CLI uses): one
//! field per line, links chosen in a fuzzy picker, a deal's line items
//! (product, quantity, unit price) with the amount computed from them.

use super::form::{input_request, Field};
pub use super::record_picker::{PickRequest, Picker, NO_LINK};
use crate::domain::fields::{FieldSpec, FieldType, Fields};
use crate::domain::{Activity, Kind, LineItem, Money, Opportunity, Product, ValidationErrors};
use crate::store::PickKind;
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use tui_input::Input;

/// The record a form edits.
#[derive(Debug, Clone, PartialEq)]
pub enum Draft {
    Deal(Opportunity),
    Product(Product),
    /// A touch or a campaign (told apart by its kind).
    Activity(Activity),
}

impl Draft {
    fn record(&self) -> &dyn Fields {
        match self {
            Draft::Deal(o) => o,
            Draft::Product(p) => p,
            Draft::Activity(a) => a,
        }
    }

    pub fn id(&self) -> i64 {
        match self {
            Draft::Deal(o) => o.meta.id,
            Draft::Product(p) => p.meta.id,
            Draft::Activity(a) => a.meta.id,
        }
    }

    /// The amounts a salesperson types on this record, by field label.
    fn amounts(&self) -> Vec<(&'static str, Money)> {
        match self {
            Draft::Deal(o) => vec![("amount", o.amount)],
            Draft::Product(p) => vec![("price", p.price)],
            Draft::Activity(a) => a.campaign.iter().map(|c| ("cost", c.cost)).collect(),
        }
    }

    pub fn noun(&self) -> &'static str {
        match self {
            Draft::Deal(_) => "deal",
            Draft::Product(_) => "product",
            Draft::Activity(a) if a.kind.is_touch() => "touch",
            Draft::Activity(_) => "campaign",
        }
    }
}

/// What a line of the form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Spec(FieldSpec),
    ItemProduct(usize),
    ItemQuantity(usize),
    ItemPrice(usize),
}

#[derive(Debug, Clone)]
pub struct RecordForm {
    pub base: Draft,
    pub fields: Vec<Field>,
    pub slots: Vec<Slot>,
    /// The chosen record of a link or item-product field.
    pub links: Vec<Option<i64>>,
    /// List prices of the products chosen on item lines.
    pub(super) prices: Vec<Option<Money>>,
    pub focus: usize,
    pub errors: ValidationErrors,
    pub message: Option<String>,
    pub picker: Option<Picker>,
    initial: Vec<String>,
    today: NaiveDate,
    /// The focused field's prefilled value is selected: the first character
    /// typed replaces it (so `+1w` over today's date means in a week, and
    /// `2` over a quantity of 1 is 2, not 12).
    pub selected: bool,
    /// The hundredfold-change warning already shown: a second save with
    /// the same change goes through.
    pub(super) warned: Option<String>,
}

pub(super) fn pick_kind(ty: FieldType) -> Option<PickKind> {
    match ty {
        FieldType::Link(Kind::Customer) => Some(PickKind::Customer),
        FieldType::Link(Kind::Product) => Some(PickKind::Product),
        FieldType::Link(Kind::Activity) => Some(PickKind::Campaign),
        FieldType::Link(Kind::Opportunity) => Some(PickKind::Opportunity),
        _ => None,
    }
}

fn choices_of(spec: &FieldSpec) -> Option<Vec<String>> {
    match spec.ty {
        FieldType::Choice(options) => {
            let mut v: Vec<String> = options.iter().map(|s| s.to_string()).collect();
            if !spec.required && spec.name == "sentiment" {
                v.insert(0, String::new());
            }
            Some(v)
        }
        FieldType::Bool => Some(vec!["yes".into(), "no".into()]),
        _ => None,
    }
}

impl RecordForm {
    /// A form for `draft`; `names` gives the labels of its linked records
    /// (`(field name, label)`), and of the products on its lines by id.
    pub fn new(
        draft: Draft,
        link_labels: &[(&str, String)],
        product_names: &std::collections::HashMap<i64, String>,
        today: NaiveDate,
    ) -> RecordForm {
        let mut form = RecordForm {
            base: draft.clone(),
            fields: Vec::new(),
            slots: Vec::new(),
            links: Vec::new(),
            prices: Vec::new(),
            focus: 0,
            errors: ValidationErrors::new(),
            message: None,
            picker: None,
            initial: Vec::new(),
            today,
            selected: false,
            warned: None,
        };
        let record = draft.record();
        for spec in record.specs() {
            if matches!(spec.name, "closed_on") {
                continue; // stamped by the store when the deal closes
            }
            let value = record.get(spec.name);
            let mut field = Field {
                key: spec.name,
                label: spec.label,
                input: Input::new(value.clone()),
                choices: choices_of(spec),
            };
            // Touch kinds only: a campaign has its own form.
            if spec.name == "kind" {
                if let Some(c) = field.choices.as_mut() {
                    c.retain(|k| k != "campaign");
                }
            }
            let mut link = None;
            if pick_kind(spec.ty).is_some() {
                link = value.parse::<i64>().ok();
                let label = link_labels
                    .iter()
                    .find(|(n, _)| *n == spec.name)
                    .map(|(_, l)| l.clone())
                    .unwrap_or_default();
                field.input = Input::new(match link {
                    Some(id) => format!("#{id} {label}").trim_end().to_string(),
                    None => String::new(),
                });
            }
            form.push(field, Slot::Spec(*spec), link, None);
        }
        if let Draft::Deal(o) = &draft {
            for item in &o.items {
                let name = product_names.get(&item.product_id).cloned();
                form.push_item(Some(item), name);
            }
            form.push_item(None, None);
            form.refresh_amount();
        }
        form.initial = form.fields.iter().map(|f| f.value().to_string()).collect();
        form.focused();
        form
    }

    /// The focus moved: a prefilled typed-in field (a date, an amount, a
    /// quantity, a text) starts selected. Choices and pickers have their
    /// own keys.
    fn focused(&mut self) {
        self.selected = self
            .fields
            .get(self.focus)
            .is_some_and(|f| f.choices.is_none() && !f.value().is_empty())
            && self.pick_kind_at(self.focus).is_none();
    }

    fn push(&mut self, field: Field, slot: Slot, link: Option<i64>, price: Option<Money>) {
        self.fields.push(field);
        self.slots.push(slot);
        self.links.push(link);
        self.prices.push(price);
    }

    pub(super) fn push_item(&mut self, item: Option<&LineItem>, name: Option<String>) {
        let n = self.item_count();
        let text = |s: String| Input::new(s);
        let product = item
            .map(|i| format!("#{} {}", i.product_id, name.unwrap_or_default()))
            .unwrap_or_default();
        self.push(
            Field {
                key: "items",
                label: "Line product",
                input: text(product.trim_end().to_string()),
                choices: None,
            },
            Slot::ItemProduct(n),
            item.map(|i| i.product_id),
            item.map(|i| i.unit_price),
        );
        self.push(
            Field {
                key: "items",
                label: "  quantity",
                input: text(item.map(|i| i.quantity.to_string()).unwrap_or_default()),
                choices: None,
            },
            Slot::ItemQuantity(n),
            None,
            None,
        );
        self.push(
            Field {
                key: "items",
                label: "  unit price",
                input: text(
                    item.map(|i| i.unit_price.display_plain())
                        .unwrap_or_default(),
                ),
                choices: None,
            },
            Slot::ItemPrice(n),
            None,
            None,
        );
    }

    pub(super) fn item_count(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| matches!(s, Slot::ItemProduct(_)))
            .count()
    }

    pub fn is_new(&self) -> bool {
        self.base.id() == 0
    }

    pub fn title(&self) -> String {
        let noun = self.base.noun();
        if self.is_new() {
            format!("New {noun}")
        } else {
            format!("Edit {noun} #{}", self.base.id())
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.initial)
            .any(|(f, v)| f.value() != v)
            || self.fields.len() != self.initial.len()
    }

    pub fn error_for(&self, key: &str) -> Option<&str> {
        self.errors.for_field(key)
    }

    /// Whether field `i` shows its key's message (a key shared by several
    /// lines, like `items`, shows it once, under the first).
    pub fn shows_error(&self, i: usize) -> bool {
        let key = self.fields[i].key;
        self.error_for(key).is_some() && self.fields.iter().position(|f| f.key == key) == Some(i)
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
        self.focused();
    }

    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        self.focused();
    }

    pub fn set_errors(&mut self, errors: ValidationErrors) {
        let keys: Vec<&str> = self.fields.iter().map(|f| f.key).collect();
        let (first, message) = super::form::place_errors(&keys, &errors);
        if let Some(first) = first {
            self.focus = first;
            // Sent back to fix a value: it is edited, not replaced.
            self.selected = false;
        }
        self.message = message;
        self.errors = errors;
    }

    /// The line items as typed (lines without a product are left out).
    fn items(&self, errors: &mut ValidationErrors) -> Vec<LineItem> {
        let mut out = Vec::new();
        for (i, slot) in self.slots.iter().enumerate() {
            let Slot::ItemProduct(n) = slot else { continue };
            let Some(product_id) = self.links[i] else {
                continue;
            };
            let qty_text = self.fields[i + 1].value().trim().replace(',', "");
            let quantity = if qty_text.is_empty() {
                1
            } else {
                match qty_text.parse::<i64>() {
                    Ok(q) => q,
                    Err(_) => {
                        errors.add(
                            "items",
                            format!("line {}: '{qty_text}' is not a quantity", n + 1),
                        );
                        continue;
                    }
                }
            };
            let price_text = self.fields[i + 2].value();
            let unit_price = if price_text.trim().is_empty() {
                self.prices[i].unwrap_or(Money(0))
            } else {
                match Money::parse(price_text) {
                    Ok(m) => m,
                    Err(e) => {
                        errors.add("items", format!("line {}: {e}", n + 1));
                        continue;
                    }
                }
            };
            out.push(LineItem {
                product_id,
                quantity,
                unit_price,
            });
        }
        out
    }

    /// Shows the lines' total in the amount field when there are lines.
    pub(super) fn refresh_amount(&mut self) {
        let items = self.items(&mut ValidationErrors::new());
        if items.is_empty() {
            return;
        }
        let total: Money = items.iter().map(LineItem::total).sum();
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == "amount") {
            f.input = Input::new(total.display_plain());
        }
    }

    /// A warning to show before saving `draft`, once: an amount changed a
    /// hundredfold or more from the one saved. `None` when there is none,
    /// or it was shown for this same change already.
    pub fn confirm_big_change(&mut self, draft: &Draft) -> Option<String> {
        if self.base.id() == 0 {
            return None;
        }
        let before = self.base.amounts();
        let warning = draft
            .amounts()
            .into_iter()
            .zip(before)
            .find_map(|((label, new), (_, old))| Money::big_change_warning(label, old, new))?;
        if self.warned.as_deref() == Some(warning.as_str()) {
            return None;
        }
        self.warned = Some(warning.clone());
        Some(warning)
    }

    /// The record the form describes, or what is wrong with it.
    pub fn to_draft(&self) -> Result<Draft, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut draft = self.base.clone();
        {
            let record: &mut dyn Fields = match &mut draft {
                Draft::Deal(o) => o,
                Draft::Product(p) => p,
                Draft::Activity(a) => a,
            };
            for (i, slot) in self.slots.iter().enumerate() {
                let Slot::Spec(spec) = slot else { continue };
                let value = if pick_kind(spec.ty).is_some() {
                    self.links[i].map(|id| id.to_string()).unwrap_or_default()
                } else {
                    self.fields[i].value().to_string()
                };
                if let Err(e) = record.set(spec.name, &value, self.today) {
                    errors.add(spec.name, e);
                }
            }
        }
        let validation = match &mut draft {
            Draft::Deal(o) => {
                o.items = self.items(&mut errors);
                if !o.items.is_empty() {
                    o.amount = o.items_total();
                }
                o.validate()
            }
            Draft::Product(p) => p.validate(),
            Draft::Activity(a) => a.validate(),
        };
        if let Err(e) = validation {
            for v in e.0 {
                if errors.for_field(&v.field).is_none() {
                    errors.0.push(v);
                }
            }
        }
        errors.into_result().map(|()| draft)
    }

    /// A key that no form binding claimed: edits the focused field or the
    /// picker. Returns a request for picker options when the query changed.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Option<PickRequest> {
        if let Some(p) = self.picker.as_mut() {
            match key.code {
                KeyCode::Enter => self.choose(),
                _ => {
                    if let Some(req) = input_request(key) {
                        if p.query.handle(req).is_some_and(|c| c.value) {
                            return Some(PickRequest {
                                kind: p.kind,
                                query: p.query.value().to_string(),
                            });
                        }
                    }
                }
            }
            return None;
        }
        if self.pick_kind_at(self.focus).is_some() {
            return match key.code {
                KeyCode::Enter => self.open_picker(String::new()),
                KeyCode::Backspace | KeyCode::Delete => {
                    self.links[self.focus] = None;
                    self.fields[self.focus].input = Input::default();
                    self.refresh_amount();
                    None
                }
                KeyCode::Char(c) if input_request(key).is_some() => self.open_picker(c.to_string()),
                _ => None,
            };
        }
        let field = &mut self.fields[self.focus];
        if let Some(options) = field.choices.clone() {
            let chosen = options.iter().position(|o| o == field.value()).unwrap_or(0);
            let n = options.len();
            let next = match key.code {
                KeyCode::Left => Some((chosen + n - 1) % n),
                KeyCode::Right | KeyCode::Char(' ') => Some((chosen + 1) % n),
                KeyCode::Char(c) => (1..=n)
                    .map(|s| (chosen + s) % n)
                    .find(|&i| options[i].starts_with(c.to_ascii_lowercase())),
                KeyCode::Enter => {
                    self.next_field();
                    None
                }
                _ => None,
            };
            if let Some(i) = next {
                self.fields[self.focus].input = Input::new(options[i].clone());
            }
            return None;
        }
        if key.code == KeyCode::Enter {
            self.next_field();
            return None;
        }
        if std::mem::take(&mut self.selected) {
            // Typing over a selected value replaces it; moving keeps it.
            if matches!(key.code, KeyCode::Backspace | KeyCode::Delete) {
                self.fields[self.focus].input = Input::default();
                return None;
            }
            if matches!(
                input_request(key),
                Some(tui_input::InputRequest::InsertChar(_))
            ) {
                self.fields[self.focus].input = Input::default();
            }
        }
        let field = &mut self.fields[self.focus];
        if let Some(req) = input_request(key) {
            if field.input.handle(req).is_some_and(|c| c.value) {
                let k = field.key;
                self.errors.0.retain(|e| e.field != k);
                if matches!(
                    self.slots[self.focus],
                    Slot::ItemQuantity(_) | Slot::ItemPrice(_)
                ) {
                    self.refresh_amount();
                }
            }
        }
        None
    }
}
