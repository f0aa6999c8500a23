//! The customer form: one field per line, text fields with a cursor
//! (tui-input), choice fields as pickers, messages at the field.

use crate::domain::text::split_list;
use crate::domain::{Customer, CustomerKind, ValidationErrors};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

/// Sources offered by the source picker (a stored value not in the list is
/// added to it, so nothing typed elsewhere is lost).
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

/// One line of the form.
#[derive(Debug, Clone)]
pub struct Field {
    /// The record field it edits; also the name validation messages use.
    pub key: &'static str,
    pub label: &'static str,
    pub input: Input,
    /// Some for a picker: the options, and `input` holds the chosen one.
    pub choices: Option<Vec<String>>,
}

impl Field {
    fn text(key: &'static str, label: &'static str, value: String) -> Field {
        Field {
            key,
            label,
            input: Input::new(value),
            choices: None,
        }
    }

    fn choice(key: &'static str, label: &'static str, value: &str, options: &[&str]) -> Field {
        let mut choices: Vec<String> = options.iter().map(|s| s.to_string()).collect();
        if !choices.iter().any(|c| c == value) {
            choices.push(value.to_string());
        }
        Field {
            key,
            label,
            input: Input::new(value.to_string()),
            choices: Some(choices),
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// Index of the chosen option of a picker.
    pub fn chosen(&self) -> usize {
        self.choices
            .as_ref()
            .and_then(|c| c.iter().position(|x| x == self.value()))
            .unwrap_or(0)
    }

    fn pick(&mut self, delta: isize) {
        if let Some(c) = &self.choices {
            let n = c.len() as isize;
            let i = (self.chosen() as isize + delta).rem_euclid(n) as usize;
            self.input = Input::new(c[i].clone());
        }
    }

    /// Picks the next option starting with `ch`.
    fn pick_letter(&mut self, ch: char) {
        let Some(c) = &self.choices else { return };
        let start = self.chosen();
        let n = c.len();
        let lower = ch.to_lowercase().to_string();
        for step in 1..=n {
            let i = (start + step) % n;
            if c[i].to_lowercase().starts_with(&lower) {
                self.input = Input::new(c[i].clone());
                return;
            }
        }
    }
}

/// Adding (`base.meta.id == 0`) or editing a customer.
#[derive(Debug, Clone)]
pub struct CustomerForm {
    /// The record as read: id and version for the update, custom fields.
    pub base: Customer,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub errors: ValidationErrors,
    /// A problem not tied to one field (a conflict, a store error).
    pub message: Option<String>,
    /// A new customer that looks like one already in the book.
    pub duplicate: Option<String>,
    initial: Vec<String>,
    /// The focused field's prefilled value is selected: the first
    /// character typed replaces it, a move keeps it.
    pub selected: bool,
}

impl CustomerForm {
    pub fn new(c: &Customer) -> CustomerForm {
        let fields = vec![
            Field::text("name", "Name", c.name.clone()),
            Field::choice(
                "kind",
                "Kind",
                c.kind.as_str(),
                &[
                    CustomerKind::Individual.as_str(),
                    CustomerKind::Enterprise.as_str(),
                ],
            ),
            Field::text("company", "Company", c.company.clone()),
            Field::text("title", "Title", c.title.clone()),
            Field::text("phones", "Phones", c.phones.join(", ")),
            Field::text("emails", "Emails", c.emails.join(", ")),
            Field::text("country", "Country", c.country.clone()),
            Field::text("province", "Province", c.province.clone()),
            Field::text("city", "City", c.city.clone()),
            Field::text("address", "Address", c.address.clone()),
            Field::text("industry", "Industry", c.industry.clone()),
            Field::text(
                "size",
                "Employees",
                c.size.map(|s| s.to_string()).unwrap_or_default(),
            ),
            Field::choice("source", "Source", &c.source, SOURCES),
            Field::text("needs", "Needs", c.needs.join(", ")),
            Field::text("owner", "Owner", c.owner.clone()),
            Field::text("notes", "Notes", c.notes.replace('\n', " ")),
        ];
        let initial = fields.iter().map(|f| f.value().to_string()).collect();
        let mut form = CustomerForm {
            base: c.clone(),
            fields,
            focus: 0,
            errors: ValidationErrors::new(),
            message: None,
            duplicate: None,
            initial,
            selected: false,
        };
        form.focused();
        form
    }

    /// What the duplicate check needs: name, company, phones and emails as
    /// typed so far (no validation — the form may be half filled).
    pub fn identity(&self) -> Customer {
        Customer {
            name: self.get("name").trim().to_string(),
            company: self.get("company").trim().to_string(),
            phones: split_list(self.get("phones")),
            emails: split_list(self.get("emails")),
            ..Default::default()
        }
    }

    pub fn is_new(&self) -> bool {
        self.base.meta.id == 0
    }

    pub fn title(&self) -> String {
        if self.is_new() {
            "New customer".into()
        } else {
            format!("Edit customer #{} · {}", self.base.meta.id, self.base.name)
        }
    }

    /// True when any field differs from what the form opened with.
    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.initial)
            .any(|(f, v)| f.value() != v)
    }

    fn get(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(Field::value)
            .unwrap_or("")
    }

    pub fn error_for(&self, key: &str) -> Option<&str> {
        self.errors.for_field(key)
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
        self.focused();
    }

    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        self.focused();
    }

    /// The focus moved: a prefilled text field starts selected.
    fn focused(&mut self) {
        self.selected = self
            .fields
            .get(self.focus)
            .is_some_and(|f| f.choices.is_none() && !f.value().is_empty());
    }

    /// Shows `errors` at their fields and moves to the first one.
    pub fn set_errors(&mut self, errors: ValidationErrors) {
        let keys: Vec<&str> = self.fields.iter().map(|f| f.key).collect();
        let (first, message) = place_errors(&keys, &errors);
        if let Some(first) = first {
            self.focus = first;
            // Sent back to fix a value: it is edited, not replaced.
            self.selected = false;
        }
        self.message = message;
        self.errors = errors;
    }

    /// The record the form describes, or what is wrong with it.
    pub fn to_customer(&self) -> Result<Customer, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut c = self.base.clone();
        c.name = self.get("name").to_string();
        c.kind = self.get("kind").parse().unwrap_or_default();
        c.company = self.get("company").to_string();
        c.title = self.get("title").to_string();
        c.phones = split_list(self.get("phones"));
        c.emails = split_list(self.get("emails"));
        c.country = self.get("country").to_string();
        c.province = self.get("province").to_string();
        c.city = self.get("city").to_string();
        c.address = self.get("address").to_string();
        c.industry = self.get("industry").to_string();
        let size = self.get("size").trim().replace([',', '_'], "");
        c.size = if size.is_empty() {
            None
        } else {
            match size.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.add(
                        "size",
                        format!(
                            "'{}' is not a number of employees — digits only, or leave blank",
                            crate::domain::text::sanitize_for_terminal(&size)
                        ),
                    );
                    None
                }
            }
        };
        c.source = self.get("source").to_string();
        c.needs = split_list(self.get("needs"));
        c.owner = self.get("owner").to_string();
        // Notes are edited on one line; untouched notes keep their line breaks.
        let notes_index = self.fields.iter().position(|f| f.key == "notes");
        let notes_changed = notes_index.is_some_and(|i| self.fields[i].value() != self.initial[i]);
        if notes_changed {
            c.notes = self.get("notes").to_string();
        }
        if let Err(e) = c.validate() {
            errors.0.extend(e.0);
        }
        errors.into_result().map(|()| c)
    }

    /// A key that no form binding claimed: edits the focused field.
    pub fn handle_key(&mut self, key: &KeyEvent) {
        let field = &mut self.fields[self.focus];
        if field.choices.is_some() {
            match key.code {
                KeyCode::Left => field.pick(-1),
                KeyCode::Right | KeyCode::Char(' ') => field.pick(1),
                KeyCode::Enter => self.next_field(),
                KeyCode::Char(c) => field.pick_letter(c),
                _ => {}
            }
            return;
        }
        if key.code == KeyCode::Enter {
            self.next_field();
            return;
        }
        if std::mem::take(&mut self.selected) {
            // Typing over a selected value replaces it; moving keeps it.
            if matches!(key.code, KeyCode::Backspace | KeyCode::Delete) {
                field.input = Input::default();
                return;
            }
            if matches!(input_request(key), Some(InputRequest::InsertChar(_))) {
                field.input = Input::default();
            }
        }
        if let Some(req) = input_request(key) {
            let changed = field.input.handle(req).is_some_and(|c| c.value);
            if changed {
                // The message was about the old text.
                let k = field.key;
                self.errors.0.retain(|e| e.field != k);
            }
        }
    }
}

/// The text-editing request for a key (readline-style keys included).
pub fn input_request(key: &KeyEvent) -> Option<InputRequest> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    Some(match key.code {
        KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
        KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
        KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Char('u') if ctrl => InputRequest::DeleteLine,
        KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
        KeyCode::Char('b') if alt => InputRequest::GoToPrevWord,
        KeyCode::Char('f') if alt => InputRequest::GoToNextWord,
        KeyCode::Char(_) if ctrl || alt => return None,
        KeyCode::Char(c) => InputRequest::InsertChar(c),
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left if ctrl => InputRequest::GoToPrevWord,
        KeyCode::Right if ctrl => InputRequest::GoToNextWord,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return None,
    })
}

/// Where a form shows `errors`, given its field keys in screen order: the
/// first field with a problem (to move the focus to), and one message for
/// the problems that belong to no field on screen.
pub(crate) fn place_errors(
    keys: &[&str],
    errors: &ValidationErrors,
) -> (Option<usize>, Option<String>) {
    let first = keys.iter().position(|k| errors.for_field(k).is_some());
    let unplaced: Vec<String> = errors
        .0
        .iter()
        .filter(|e| !keys.contains(&e.field.as_str()))
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    (first, (!unplaced.is_empty()).then(|| unplaced.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(form: &mut CustomerForm, s: &str) {
        for ch in s.chars() {
            form.handle_key(&KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE));
        }
    }

    #[test]
    fn builds_a_customer_and_reports_bad_fields() {
        let mut f = CustomerForm::new(&Customer::default());
        assert!(!f.is_dirty());
        typed(&mut f, "张伟");
        assert!(f.is_dirty());
        f.next_field();
        typed(&mut f, "e");
        f.focus = f.fields.iter().position(|x| x.key == "size").unwrap();
        typed(&mut f, "12ab");
        let errs = f.to_customer().unwrap_err();
        assert!(errs.for_field("size").unwrap().contains("not a number"));
        f.fields[f.focus].input = Input::new("1,200".into());
        let c = f.to_customer().unwrap();
        assert_eq!(c.name, "张伟");
        assert_eq!(c.kind, CustomerKind::Enterprise);
        assert_eq!(c.size, Some(1200));
    }

    #[test]
    fn untouched_multiline_notes_keep_their_line_breaks() {
        let mut base = Customer::named("Ann");
        base.notes = "line one\nline two".into();
        let f = CustomerForm::new(&base);
        assert_eq!(f.to_customer().unwrap().notes, "line one\nline two");
    }
}
