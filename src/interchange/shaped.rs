//! CSV export in the column layouts of Google Contacts and Outlook, so a
//! book can go back to those programs (`--format csv --shape google`).
//! Column names follow each program's own export; values that have no
//! column of their own go to Notes so nothing is left behind.

use super::export::guard_cell;
use super::Result;
use crate::domain::text::split_name;
use crate::domain::{Customer, CustomerKind};
use std::io::Write;

/// Which program's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Google,
    Outlook,
}

const GOOGLE: &[&str] = &[
    "Name",
    "Given Name",
    "Family Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "Birthday",
    "Notes",
    "Group Membership",
    "E-mail 1 - Type",
    "E-mail 1 - Value",
    "Phone 1 - Type",
    "Phone 1 - Value",
    "Address 1 - Type",
    "Address 1 - Street",
    "Address 1 - City",
    "Address 1 - Region",
    "Address 1 - Postal Code",
    "Address 1 - Country",
    "Organization 1 - Name",
    "Organization 1 - Title",
    "Organization 1 - Department",
    "Website 1 - Type",
    "Website 1 - Value",
];

const OUTLOOK: &[&str] = &[
    "Title",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "Company",
    "Department",
    "Job Title",
    "Business Street",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
    "Business Fax",
    "Business Phone",
    "Mobile Phone",
    "Other Phone",
    "E-mail Address",
    "E-mail 2 Address",
    "E-mail 3 Address",
    "Notes",
    "Web Page",
    "Birthday",
    "Categories",
    "Nickname",
];

/// Custom fields with a column in Google's layout (a fax is a phone there,
/// which would come back as a phone: it goes to Notes instead).
const GOOGLE_PLACED: &[&str] = &[
    "prefix",
    "suffix",
    "nickname",
    "birthday",
    "categories",
    "postcode",
    "department",
    "website",
];

/// Custom fields with a column in Outlook's layout.
const OUTLOOK_PLACED: &[&str] = &[
    "prefix",
    "suffix",
    "nickname",
    "birthday",
    "categories",
    "postcode",
    "department",
    "website",
    "fax",
];

/// Notes plus every value the layout has no column for, one per line
/// (`industry: tech`), so going back to the program loses nothing.
fn notes_with_rest(
    c: &Customer,
    placed: &[&str],
    extra_phones: &[String],
    extra_emails: &[String],
) -> String {
    let mut lines: Vec<String> = Vec::new();
    if !c.notes.is_empty() {
        lines.push(c.notes.clone());
    }
    for (label, v) in [
        ("industry", &c.industry),
        ("source", &c.source),
        ("owner", &c.owner),
    ] {
        if !v.is_empty() {
            lines.push(format!("{label}: {v}"));
        }
    }
    if let Some(size) = c.size {
        lines.push(format!("employees: {size}"));
    }
    if !c.needs.is_empty() {
        lines.push(format!("needs: {}", c.needs.join(", ")));
    }
    if !extra_phones.is_empty() {
        lines.push(format!("phones: {}", extra_phones.join(", ")));
    }
    if !extra_emails.is_empty() {
        lines.push(format!("emails: {}", extra_emails.join(", ")));
    }
    for (k, v) in &c.custom {
        if !placed.contains(&k.as_str()) && !k.starts_with(super::vcard_raw::KEPT_PREFIX) {
            lines.push(format!("{k}: {v}"));
        }
    }
    lines.join("\n")
}

fn custom<'a>(c: &'a Customer, k: &str) -> &'a str {
    c.custom.get(k).map(String::as_str).unwrap_or("")
}

/// (given, family) for the name columns; an enterprise has none.
fn names(c: &Customer) -> (String, String) {
    if c.kind == CustomerKind::Enterprise {
        return (String::new(), String::new());
    }
    let (family, given) = split_name(&c.name);
    (given, family)
}

fn google_row(c: &Customer) -> Vec<String> {
    let (given, family) = names(c);
    let company = if c.company.is_empty() && c.kind == CustomerKind::Enterprise {
        c.name.clone()
    } else {
        c.company.clone()
    };
    let website = custom(c, "website");
    vec![
        c.name.clone(),
        given,
        family,
        custom(c, "prefix").into(),
        custom(c, "suffix").into(),
        custom(c, "nickname").into(),
        custom(c, "birthday").into(),
        notes_with_rest(c, GOOGLE_PLACED, &[], &[]),
        custom(c, "categories").into(),
        if c.emails.is_empty() { "" } else { "* Work" }.into(),
        // Google joins several values of one kind with " ::: ".
        c.emails.join(" ::: "),
        if c.phones.is_empty() { "" } else { "Work" }.into(),
        c.phones.join(" ::: "),
        if c.address.is_empty() && c.city.is_empty() {
            ""
        } else {
            "Work"
        }
        .into(),
        c.address.clone(),
        c.city.clone(),
        c.province.clone(),
        custom(c, "postcode").into(),
        c.country.clone(),
        company,
        c.title.clone(),
        custom(c, "department").into(),
        if website.is_empty() { "" } else { "Work" }.into(),
        website.into(),
    ]
}

fn outlook_row(c: &Customer) -> Vec<String> {
    let (given, family) = names(c);
    let company = if c.company.is_empty() && c.kind == CustomerKind::Enterprise {
        c.name.clone()
    } else {
        c.company.clone()
    };
    let phone = |i: usize| c.phones.get(i).cloned().unwrap_or_default();
    let email = |i: usize| c.emails.get(i).cloned().unwrap_or_default();
    let extra_phones = c.phones.get(3..).unwrap_or(&[]);
    let extra_emails = c.emails.get(3..).unwrap_or(&[]);
    vec![
        custom(c, "prefix").into(),
        given,
        String::new(),
        family,
        custom(c, "suffix").into(),
        company,
        custom(c, "department").into(),
        c.title.clone(),
        c.address.clone(),
        c.city.clone(),
        c.province.clone(),
        custom(c, "postcode").into(),
        c.country.clone(),
        custom(c, "fax").into(),
        phone(0),
        phone(1),
        phone(2),
        email(0),
        email(1),
        email(2),
        notes_with_rest(c, OUTLOOK_PLACED, extra_phones, extra_emails),
        custom(c, "website").into(),
        custom(c, "birthday").into(),
        custom(c, "categories").into(),
        custom(c, "nickname").into(),
    ]
}

/// Calls its argument on every customer to export; returns how many.
pub(super) type EachCustomer<'a> =
    dyn FnMut(&mut dyn FnMut(&Customer) -> Result<()>) -> Result<u64> + 'a;

/// Writes the customers in the program's layout (UTF-8 with a BOM, CRLF:
/// what both programs write and read).
pub(super) fn write(
    shape: Shape,
    customers: &mut EachCustomer<'_>,
    out: &mut dyn Write,
) -> Result<u64> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let header = match shape {
        Shape::Google => GOOGLE,
        Shape::Outlook => OUTLOOK,
    };
    w.write_record(header)?;
    let n = customers(&mut |c| {
        let row = match shape {
            Shape::Google => google_row(c),
            Shape::Outlook => outlook_row(c),
        };
        w.write_record(row.iter().map(|v| guard_cell(v).into_owned()))?;
        Ok(())
    })?;
    w.flush()?;
    Ok(n)
}
