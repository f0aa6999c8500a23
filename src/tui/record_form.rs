//! The one form for every kind of record — customers, deals, products,
//! touches and campaigns — built from the field descriptions in
//! `domain::fields` (the ones the CLI uses): one field per line, links
//! chosen in a fuzzy picker, a deal's line items (product, quantity, unit
//! price) with the amount computed from them, a customer's custom fields,
//! multi-line text (Enter starts a new line). Kind hooks: the customer's
//! duplicate banner and its identity check on leaving a field.

use super::field::{input_request, is_enter, is_erase, typed_char, Field};
pub use super::record_picker::{PickRequest, Picker, NO_LINK};
use crate::domain::fields::{FieldSpec, FieldType};
use crate::domain::text::split_list;
use crate::domain::{AnyRecord, Customer, Kind, LineItem, Money, ValidationErrors};
use crate::store::PickKind;
use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;

/// Sources offered by a customer's source choice (a stored value not in
/// the list is added to it, so nothing typed elsewhere is lost).
const SOURCES: &[&str] = &[
    "",
    "website",
    "social media",
    "e-commerce",
    "search ads",
    "referral",
    "exhibition",
    "store",
    "event",
    "other",
];

/// The fields that identify a person: leaving one of them on a new
/// customer looks for customers like the one typed.
const IDENTITY: &[&str] = &["name", "company", "phones", "emails"];

/// The amounts a salesperson types on a record, by field label.
fn amounts(r: &AnyRecord) -> Vec<(&'static str, Money)> {
    match r {
        AnyRecord::Opportunity(o) => vec![("amount", o.amount)],
        AnyRecord::Product(p) => vec![("price", p.price)],
        AnyRecord::Activity(a) => a.campaign.iter().map(|c| ("cost", c.cost)).collect(),
        AnyRecord::Customer(_) => Vec::new(),
    }
}

/// What a line of the form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Spec(FieldSpec),
    ItemProduct(usize),
    ItemQuantity(usize),
    ItemPrice(usize),
    /// A customer's custom field (`微信`, `税号`), by its name.
    Custom(usize),
    /// A new custom field, typed as `name: value`.
    NewCustom,
}

#[derive(Debug, Clone)]
pub struct RecordForm {
    pub base: AnyRecord,
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
    /// The names of the custom fields on `Slot::Custom` lines.
    pub custom_names: Vec<String>,
    /// A new customer that looks like one already in the book.
    pub duplicate: Option<String>,
    /// Someone else saved (or deleted) the record since the form opened:
    /// what the form says about it before the user saves.
    pub changed_underneath: Option<String>,
}

pub(crate) fn pick_kind(ty: FieldType) -> Option<PickKind> {
    match ty {
        FieldType::Link(Kind::Customer) => Some(PickKind::Customer),
        FieldType::Link(Kind::Product) => Some(PickKind::Product),
        FieldType::Link(Kind::Activity) => Some(PickKind::Campaign),
        FieldType::Link(Kind::Opportunity) => Some(PickKind::Opportunity),
        _ => None,
    }
}

fn choices_of(kind: Kind, spec: &FieldSpec, value: &str) -> Option<Vec<String>> {
    if kind == Kind::Customer && spec.name == "source" {
        let mut v: Vec<String> = SOURCES.iter().map(|s| s.to_string()).collect();
        if !v.iter().any(|c| c == value) {
            v.push(value.to_string());
        }
        return Some(v);
    }
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
        draft: AnyRecord,
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
            custom_names: Vec::new(),
            duplicate: None,
            changed_underneath: None,
        };
        let kind = draft.kind();
        let record = draft.fields();
        for spec in record.specs() {
            if matches!(spec.name, "closed_on") {
                continue; // stamped by the store when the deal closes
            }
            let value = record.get(spec.name);
            let label = crate::cli::field_label(record.specs(), spec);
            let mut field = Field::text(spec.name, label, value.clone());
            field.choices = choices_of(kind, spec, &value);
            field.multiline = spec.ty == FieldType::LongText;
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
        match &draft {
            AnyRecord::Opportunity(o) => {
                for item in &o.items {
                    let name = product_names.get(&item.product_id).cloned();
                    form.push_item(Some(item), name);
                }
                form.push_item(None, None);
                form.refresh_amount();
            }
            AnyRecord::Customer(c) => {
                for (name, value) in &c.custom {
                    let n = form.custom_names.len();
                    form.custom_names.push(name.clone());
                    let field = Field::text("custom", name.clone(), value.clone());
                    form.push(field, Slot::Custom(n), None, None);
                }
                let field =
                    Field::text("custom", super::labels::t("form-new-custom"), String::new());
                form.push(field, Slot::NewCustom, None, None);
            }
            _ => {}
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
            .is_some_and(|f| f.choices.is_none() && !f.multiline && !f.value().is_empty())
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
        let product = item
            .map(|i| format!("#{} {}", i.product_id, name.unwrap_or_default()))
            .unwrap_or_default();
        self.push(
            Field::text(
                "items",
                super::labels::t("form-line-product"),
                product.trim_end().to_string(),
            ),
            Slot::ItemProduct(n),
            item.map(|i| i.product_id),
            item.map(|i| i.unit_price),
        );
        let quantity = item.map(|i| i.quantity.to_string()).unwrap_or_default();
        self.push(
            Field::text(
                "items",
                format!("  {}", super::labels::t("form-line-quantity")),
                quantity,
            ),
            Slot::ItemQuantity(n),
            None,
            None,
        );
        let price = item
            .map(|i| i.unit_price.display_plain())
            .unwrap_or_default();
        self.push(
            Field::text(
                "items",
                format!("  {}", super::labels::t("form-line-unit-price")),
                price,
            ),
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
        let noun = super::labels::t(match self.base.noun() {
            "customer" => "noun-customer",
            "deal" => "noun-deal",
            "product" => "noun-product",
            "touch" => "noun-touch",
            _ => "noun-campaign",
        });
        match &self.base {
            _ if self.is_new() => crate::tr!("form-new", noun = noun),
            // A customer is named in the title: its name is edited below.
            AnyRecord::Customer(c) => crate::tr!(
                "form-edit-named",
                noun = noun,
                id = c.meta.id.to_string(),
                name = c.name.as_str()
            ),
            _ => crate::tr!("form-edit", noun = noun, id = self.base.id().to_string()),
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
        let (first, message) = super::field::place_errors(&keys, &errors);
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
                            crate::tr!(
                                "form-line-not-quantity",
                                line = n + 1,
                                input = qty_text.as_str()
                            ),
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
                        errors.add(
                            "items",
                            crate::tr!("form-line-problem", line = n + 1, problem = e.to_string()),
                        );
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
    pub fn confirm_big_change(&mut self, draft: &AnyRecord) -> Option<String> {
        if self.base.id() == 0 {
            return None;
        }
        let before = amounts(&self.base);
        let warning = amounts(draft)
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
    pub fn to_record(&self) -> Result<AnyRecord, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut draft = self.base.clone();
        {
            let record = draft.fields_mut();
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
        match &mut draft {
            AnyRecord::Opportunity(o) => {
                o.items = self.items(&mut errors);
                if !o.items.is_empty() {
                    o.amount = o.items_total();
                }
            }
            AnyRecord::Customer(c) => c.custom = self.custom(&mut errors),
            _ => {}
        }
        if let Err(e) = draft.validate() {
            for v in e.0 {
                if errors.for_field(&v.field).is_none() {
                    errors.0.push(v);
                }
            }
        }
        errors.into_result().map(|()| draft)
    }

    /// A customer's custom fields as typed: an emptied value removes its
    /// field; the new-field line reads `name: value`.
    fn custom(&self, errors: &mut ValidationErrors) -> std::collections::BTreeMap<String, String> {
        let mut out = std::collections::BTreeMap::new();
        for (i, slot) in self.slots.iter().enumerate() {
            let value = self.fields[i].value().trim();
            match slot {
                Slot::Custom(n) if !value.is_empty() => {
                    out.insert(self.custom_names[*n].clone(), value.to_string());
                }
                Slot::NewCustom if !value.is_empty() => match value.split_once([':', '：', '=']) {
                    Some((name, v)) if !name.trim().is_empty() && !v.trim().is_empty() => {
                        out.insert(name.trim().to_string(), v.trim().to_string());
                    }
                    _ => errors.add("custom", super::labels::t("form-custom-hint")),
                },
                _ => {}
            }
        }
        out
    }

    /// Customer hook, on leaving field `left`: the identity to check for
    /// likely duplicates (name, company, phones and emails as typed so far,
    /// no validation). `None` when there is nothing to check; the banner
    /// is cleared when the form no longer names anyone.
    pub fn identity_check(&mut self, left: &str) -> Option<Customer> {
        if !self.is_new() || self.base.kind() != Kind::Customer || !IDENTITY.contains(&left) {
            return None;
        }
        let c = self.identity();
        if c.name.is_empty() && c.phones.is_empty() && c.emails.is_empty() {
            self.duplicate = None;
            return None;
        }
        Some(c)
    }

    /// The person typed so far (for the duplicate check).
    pub fn identity(&self) -> Customer {
        Customer {
            name: self.get("name").trim().to_string(),
            company: self.get("company").trim().to_string(),
            phones: split_list(self.get("phones")),
            emails: split_list(self.get("emails")),
            ..Default::default()
        }
    }

    fn get(&self, key: &str) -> &str {
        self.slots
            .iter()
            .position(|s| matches!(s, Slot::Spec(spec) if spec.name == key))
            .map(|i| self.fields[i].value())
            .unwrap_or("")
    }

    /// Whether the focused field reads Enter as a new line.
    pub fn focus_is_multiline(&self) -> bool {
        self.picker.is_none() && self.fields.get(self.focus).is_some_and(|f| f.multiline)
    }

    /// A key that no form binding claimed: edits the focused field or the
    /// picker. Returns a request for picker options when the query changed.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Option<PickRequest> {
        if let Some(p) = self.picker.as_mut() {
            if is_enter(key) {
                self.choose();
            } else if let Some(req) = input_request(key) {
                if p.query.handle(req).is_some_and(|c| c.value) {
                    return Some(PickRequest {
                        kind: p.kind,
                        query: p.query.value().to_string(),
                    });
                }
            }
            return None;
        }
        if self.pick_kind_at(self.focus).is_some() {
            if is_enter(key) {
                return self.open_picker(String::new());
            }
            if is_erase(key) {
                self.links[self.focus] = None;
                self.fields[self.focus].input = Input::default();
                self.refresh_amount();
                return None;
            }
            return typed_char(key).and_then(|c| self.open_picker(c.to_string()));
        }
        let field = &mut self.fields[self.focus];
        if field.choices.is_some() {
            if is_enter(key) {
                self.next_field();
            } else {
                field.choose(key);
            }
            return None;
        }
        if is_enter(key) && !field.multiline {
            self.next_field();
            return None;
        }
        if std::mem::take(&mut self.selected) {
            // Typing over a selected value replaces it; moving keeps it.
            if is_erase(key) {
                self.fields[self.focus].input = Input::default();
                return None;
            }
            if typed_char(key).is_some() || is_enter(key) {
                self.fields[self.focus].input = Input::default();
            }
        }
        let field = &mut self.fields[self.focus];
        let request = if is_enter(key) {
            Some(tui_input::InputRequest::InsertChar('\n'))
        } else {
            input_request(key)
        };
        if let Some(req) = request {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CustomerKind, Opportunity};
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    fn form(r: impl Into<AnyRecord>) -> RecordForm {
        RecordForm::new(r.into(), &[], &Default::default(), today())
    }

    fn press(form: &mut RecordForm, code: KeyCode) {
        form.handle_key(&KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn typed(form: &mut RecordForm, s: &str) {
        for ch in s.chars() {
            press(form, KeyCode::Char(ch));
        }
    }

    fn focus(form: &mut RecordForm, label: &str) {
        form.focus = form.fields.iter().position(|f| f.label == label).unwrap();
        form.focused();
    }

    fn customer(form: &RecordForm) -> Customer {
        match form.to_record() {
            Ok(AnyRecord::Customer(c)) => c,
            other => panic!("not a customer: {other:?}"),
        }
    }

    #[test]
    fn the_customer_form_is_built_from_the_customer_field_specs() {
        let f = form(Customer::default());
        let specs = crate::domain::fields::CUSTOMER_FIELDS;
        let labels: Vec<&str> = f.fields.iter().map(|f| f.label.as_str()).collect();
        for spec in specs {
            assert!(
                labels.contains(&spec.label),
                "{} is in the form",
                spec.label
            );
        }
        assert_eq!(f.title(), "New customer");
    }

    #[test]
    fn builds_a_customer_and_reports_bad_fields() {
        let mut f = form(Customer::default());
        assert!(!f.is_dirty());
        typed(&mut f, "张伟");
        assert!(f.is_dirty());
        f.next_field();
        typed(&mut f, "e");
        focus(&mut f, "Employees");
        typed(&mut f, "12ab");
        let errs = f.to_record().unwrap_err();
        assert!(errs.for_field("size").unwrap().contains("not a number"));
        f.fields[f.focus].input = Input::new("1,200".into());
        let c = customer(&f);
        assert_eq!(c.name, "张伟");
        assert_eq!(c.kind, CustomerKind::Enterprise);
        assert_eq!(c.size, Some(1200));
    }

    #[test]
    fn notes_are_multi_line_and_enter_starts_a_new_line() {
        let mut base = Customer::named("Ann");
        base.notes = "line one\nline two".into();
        let mut f = form(base);
        assert_eq!(customer(&f).notes, "line one\nline two", "untouched");
        focus(&mut f, "Notes");
        assert!(f.focus_is_multiline());
        assert!(!f.selected, "a note is edited, never replaced at once");
        f.fields[f.focus]
            .input
            .handle(tui_input::InputRequest::GoToEnd);
        press(&mut f, KeyCode::Enter);
        typed(&mut f, "line three");
        assert_eq!(
            f.fields[f.focus].label, "Notes",
            "Enter stayed in the notes"
        );
        assert_eq!(customer(&f).notes, "line one\nline two\nline three");
        // Enter elsewhere still moves on.
        focus(&mut f, "City");
        press(&mut f, KeyCode::Enter);
        assert_eq!(f.fields[f.focus].label, "Address");
    }

    #[test]
    fn custom_fields_are_edited_added_and_removed() {
        let mut base = Customer::named("张伟");
        base.custom.insert("微信".into(), "zhangwei_88".into());
        base.custom.insert("税号".into(), "91310000".into());
        let mut f = form(base);
        focus(&mut f, "微信");
        typed(&mut f, "zw_99");
        focus(&mut f, "税号");
        press(&mut f, KeyCode::Backspace);
        focus(&mut f, "+ field");
        typed(&mut f, "QQ: 12345");
        let c = customer(&f);
        assert_eq!(c.custom.get("微信").map(String::as_str), Some("zw_99"));
        assert_eq!(c.custom.get("税号"), None, "an emptied field is removed");
        assert_eq!(c.custom.get("QQ").map(String::as_str), Some("12345"));
        f.fields[f.focus].input = Input::new("no separator".into());
        let errs = f.to_record().unwrap_err();
        assert!(errs.for_field("custom").unwrap().contains("name: value"));
    }

    #[test]
    fn the_identity_check_is_a_customer_hook() {
        let mut f = form(Customer::default());
        typed(&mut f, "张伟");
        assert_eq!(
            f.identity_check("name").map(|c| c.name),
            Some("张伟".into())
        );
        assert!(f.identity_check("title").is_none(), "not an identity field");
        let mut deal = form(Opportunity::default());
        assert!(
            deal.identity_check("title").is_none(),
            "deals have no banner"
        );
        assert!(deal.duplicate.is_none());
    }
}
