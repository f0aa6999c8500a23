use serde::Serialize;
use std::fmt;

/// One problem with one field, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name as used by forms, the CLI and JSON (`email`, `amount`).
    pub field: String,
    pub message: String,
}

/// Every problem found in a record; empty means the record is valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first message for `field`, if any (for showing at a form field).
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut e = Self::new();
        e.add(field, message);
        e
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Longest text accepted in a short field (names, titles, cities).
pub const MAX_SHORT: usize = 200;
/// Longest text accepted in notes and summaries.
pub const MAX_LONG: usize = 20_000;

/// Shared checks on free text: length and control characters.
pub(crate) fn check_text(errs: &mut ValidationErrors, field: &str, value: &str, max: usize) {
    check_text_lines(errs, field, value, max, max == MAX_LONG)
}

/// [`check_text`] for a field whose value may run over several lines
/// (a street address as address books keep it).
pub(crate) fn check_multiline_text(
    errs: &mut ValidationErrors,
    field: &str,
    value: &str,
    max: usize,
) {
    check_text_lines(errs, field, value, max, true)
}

fn check_text_lines(
    errs: &mut ValidationErrors,
    field: &str,
    value: &str,
    max: usize,
    multiline: bool,
) {
    let n = value.chars().count();
    if n > max {
        errs.add(field, crate::tr!("valid-too-long", length = n, max = max));
    }
    if value.chars().any(|c| {
        (c.is_control() && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
            || is_direction_override(c)
    }) {
        errs.add(field, crate::tr!("valid-control-chars"));
    }
}

/// Bidirectional overrides make text read differently from what is stored.
fn is_direction_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A currency is an ISO 4217 code: three letters; empty means the book's
/// currency (the store fills it in when the record is saved).
pub(crate) fn check_currency(errs: &mut ValidationErrors, value: &str) {
    if value.is_empty() {
        return;
    }
    if value.len() != 3 || !value.chars().all(|c| c.is_ascii_uppercase()) {
        errs.add(
            "currency",
            crate::tr!(
                "valid-currency",
                input = super::text::cut_for_message(value)
            ),
        );
    }
}

pub(crate) fn check_required(errs: &mut ValidationErrors, field: &str, value: &str) {
    if value.trim().is_empty() {
        errs.add(field, crate::tr!("valid-required"));
    }
}

/// A plain email check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn email_problem(email: &str) -> Option<String> {
    let e = email.trim();
    let shape_ok = match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if shape_ok {
        None
    } else {
        Some(crate::tr!(
            "valid-email",
            input = super::text::cut_for_message(e)
        ))
    }
}

fn not_a_phone(p: &str) -> String {
    crate::tr!("valid-phone", input = super::text::cut_for_message(p))
}

/// Phones as address books write them: digits, spaces, `+ - ( ) . /`, a
/// `tel:` scheme, an extension (`x102`, `ext. 102`, `;ext=102`), pause and
/// wait dial strings (`p` `w` `,` `;`) and service codes (`*123#`); at
/// least 3 digits (extension aside, at most 20).
pub fn phone_problem(phone: &str) -> Option<String> {
    let p = phone.trim();
    let digits = p.chars().filter(char::is_ascii_digit).count();
    if p.chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        // The common case, without the allocations below.
        return (!(3..=20).contains(&digits)).then(|| not_a_phone(p));
    }
    let lower = p.to_ascii_lowercase();
    let body = lower
        .strip_prefix("tel:")
        .unwrap_or(&lower)
        .replace("ext", "");
    let bad = body
        .chars()
        .any(|c| !(c.is_ascii_digit() || " +-().x#*/,;pw=".contains(c)));
    let number = super::text::phone_digits(&super::identity::dialled_number(p)).len();
    if bad || digits < 3 || number > 20 {
        Some(not_a_phone(p))
    } else {
        None
    }
}
