//! CSV export in the column layouts of Google Contacts and Outlook, so a
//! book can go back to those programs (`--format csv --shape google`).
//! Column names follow each program's own export; values that have no
//! column of their own go to Notes so nothing is left behind.

use super::export::guard_cell;
use super::Result;
use crate::domain::card::split_label;
use crate::domain::{Address, Customer, CustomerKind};
use std::collections::BTreeMap;
use std::io::Write;

/// Which program's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Google,
    Outlook,
}

/// Numbered groups written in Google's layout (more go to Notes).
const G_PHONES: usize = 4;
const G_EMAILS: usize = 3;
const G_ADDRESSES: usize = 3;
const G_WEBSITES: usize = 2;
const G_IMS: usize = 2;

fn google_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "Name",
        "Given Name",
        "Family Name",
        "Name Prefix",
        "Name Suffix",
        "Nickname",
        "Birthday",
        "Notes",
        "Group Membership",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for i in 1..=G_EMAILS {
        h.push(format!("E-mail {i} - Type"));
        h.push(format!("E-mail {i} - Value"));
    }
    for i in 1..=G_PHONES {
        h.push(format!("Phone {i} - Type"));
        h.push(format!("Phone {i} - Value"));
    }
    for i in 1..=G_ADDRESSES {
        for part in ["Type", "Street", "City", "Region", "Postal Code", "Country"] {
            h.push(format!("Address {i} - {part}"));
        }
    }
    h.extend(
        [
            "Organization 1 - Name",
            "Organization 1 - Title",
            "Organization 1 - Department",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    for i in 1..=G_WEBSITES {
        h.push(format!("Website {i} - Type"));
        h.push(format!("Website {i} - Value"));
    }
    for i in 1..=G_IMS {
        h.push(format!("IM {i} - Service"));
        h.push(format!("IM {i} - Value"));
    }
    h.push("Event 1 - Type".into());
    h.push("Event 1 - Value".into());
    h
}

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
    "Home Street",
    "Home City",
    "Home State",
    "Home Postal Code",
    "Home Country/Region",
    "Other Street",
    "Other City",
    "Other State",
    "Other Postal Code",
    "Other Country/Region",
    "Business Fax",
    "Business Phone",
    "Business Phone 2",
    "Home Phone",
    "Home Phone 2",
    "Mobile Phone",
    "Pager",
    "Company Main Phone",
    "Other Phone",
    "E-mail Address",
    "E-mail 2 Address",
    "E-mail 3 Address",
    "Notes",
    "Web Page",
    "Birthday",
    "Anniversary",
    "Categories",
    "Nickname",
];

/// Notes plus every value the layout has no column for, one per line
/// (`industry: tech`), so going back to the program loses nothing.
fn notes_with_rest(c: &Customer, rest: &[String]) -> String {
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
    lines.extend(rest.iter().cloned());
    for (k, v) in &c.custom {
        if !k.starts_with(super::vcard_raw::KEPT_PREFIX) {
            lines.push(format!("{k}: {v}"));
        }
    }
    lines.join("\n")
}

/// (given, family) for the name columns; an enterprise has none.
fn names(c: &Customer) -> (String, String) {
    let (family, given) = c.name_parts();
    (given, family)
}

/// Google's name of a label.
fn google_label(label: &str) -> String {
    match label {
        "mobile" => "Mobile".into(),
        "fax" => "Work Fax".into(),
        "" => "Other".into(),
        l => {
            let mut c = l.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

/// Values grouped by label in order of first use (Google writes one
/// `Type`/`Value` pair per label, values joined by ` ::: `).
fn by_label(values: &[String], labels: &BTreeMap<String, String>) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for v in values {
        let l = labels.get(v).cloned().unwrap_or_default();
        match groups.iter_mut().find(|(g, _)| *g == l) {
            Some((_, list)) => list.push(v.clone()),
            None => groups.push((l, vec![v.clone()])),
        }
    }
    groups
}

/// All addresses, the main one first.
fn all_addresses(c: &Customer) -> Vec<Address> {
    let main = Address {
        label: c.card.address_label.clone(),
        street: c.address.clone(),
        city: c.city.clone(),
        region: c.province.clone(),
        postcode: c.card.postcode.clone(),
        country: c.country.clone(),
    };
    std::iter::once(main)
        .chain(c.card.addresses.iter().cloned())
        .filter(|a| !a.is_empty())
        .collect()
}

fn google_row(c: &Customer) -> Vec<String> {
    let (given, family) = names(c);
    let card = &c.card;
    let company = if c.company.is_empty() && c.kind == CustomerKind::Enterprise {
        c.name.clone()
    } else {
        c.company.clone()
    };
    let mut rest = Vec::new();
    let mut pairs = |groups: Vec<(String, Vec<String>)>, slots: usize, what: &str| {
        let mut cells = Vec::new();
        for (i, (label, values)) in groups.into_iter().enumerate() {
            if i < slots {
                // The first group holds the preferred value: Google's `* `.
                let star = if i == 0 { "* " } else { "" };
                cells.push(format!("{star}{}", google_label(&label)));
                cells.push(values.join(" ::: "));
            } else {
                rest.push(format!("{what}: {}", values.join(", ")));
            }
        }
        cells.resize(slots * 2, String::new());
        cells
    };
    let emails = pairs(by_label(&c.emails, &card.email_labels), G_EMAILS, "emails");
    let phones = pairs(by_label(&c.phones, &card.phone_labels), G_PHONES, "phones");
    let websites = pairs(
        card.websites
            .iter()
            .map(|w| (String::new(), vec![w.clone()]))
            .collect(),
        G_WEBSITES,
        "websites",
    );
    let ims = pairs(
        card.ims
            .iter()
            .map(|im| {
                let (service, handle) = split_label(im);
                (service.unwrap_or_default(), vec![handle.to_string()])
            })
            .collect(),
        G_IMS,
        "ims",
    );
    let mut addresses = Vec::new();
    for (i, a) in all_addresses(c).into_iter().enumerate() {
        if i < G_ADDRESSES {
            addresses.extend([
                google_label(&a.label),
                a.street,
                a.city,
                a.region,
                a.postcode,
                a.country,
            ]);
        } else {
            rest.push(format!(
                "address: {}",
                crate::domain::card::address_text(&a)
            ));
        }
    }
    addresses.resize(G_ADDRESSES * 6, String::new());
    let mut groups = card.groups.join(" ::: ");
    if !groups.is_empty() {
        groups = format!("{groups} ::: * myContacts");
    }
    let mut row = vec![
        c.name.clone(),
        given,
        family,
        card.prefix.clone(),
        card.suffix.clone(),
        card.nickname.clone(),
        card.birthday.clone(),
        String::new(),
        groups,
    ];
    row.extend(emails);
    row.extend(phones);
    row.extend(addresses);
    row.extend([company, c.title.clone(), card.department.clone()]);
    row.extend(websites);
    row.extend(ims);
    if card.anniversary.is_empty() {
        row.extend([String::new(), String::new()]);
    } else {
        row.extend(["Anniversary".to_string(), card.anniversary.clone()]);
    }
    row[7] = notes_with_rest(c, &rest);
    row
}

fn outlook_row(c: &Customer) -> Vec<String> {
    let (given, family) = names(c);
    let card = &c.card;
    let company = if c.company.is_empty() && c.kind == CustomerKind::Enterprise {
        c.name.clone()
    } else {
        c.company.clone()
    };
    let mut rest = Vec::new();
    // Addresses: Business, Home, Other by label, else the first free one.
    let mut addr: [Option<Address>; 3] = [None, None, None];
    for a in all_addresses(c) {
        let want = match a.label.as_str() {
            "home" => 1,
            "other" => 2,
            _ => 0,
        };
        let slot = [want, 0, 1, 2].into_iter().find(|&i| addr[i].is_none());
        match slot {
            Some(i) => addr[i] = Some(a),
            None => rest.push(format!(
                "address: {}",
                crate::domain::card::address_text(&a)
            )),
        }
    }
    // Phones: the columns of each label; the others in Other Phone, then
    // in any free column.
    const PHONE_COLS: usize = 9;
    const OTHER: usize = 8;
    let mut phones: [String; PHONE_COLS] = Default::default();
    let mut unplaced = Vec::new();
    for p in &c.phones {
        let wanted: &[usize] = match card.phone_labels.get(p).map(String::as_str) {
            Some("fax") => &[0],
            Some("work") => &[1, 2],
            Some("home") => &[3, 4],
            Some("mobile") => &[5],
            Some("pager") => &[6],
            Some("main") => &[7],
            _ => &[OTHER],
        };
        match wanted.iter().copied().find(|&i| phones[i].is_empty()) {
            Some(i) => phones[i] = p.clone(),
            None => unplaced.push(p),
        }
    }
    for p in unplaced {
        match [OTHER, 2, 4, 7, 1, 3, 5]
            .into_iter()
            .find(|&i| phones[i].is_empty())
        {
            Some(i) => phones[i] = p.clone(),
            None => rest.push(format!(
                "phones: {}",
                crate::domain::card::with_label(card.phone_labels.get(p).map(String::as_str), p)
            )),
        }
    }
    let email = |i: usize| c.emails.get(i).cloned().unwrap_or_default();
    if c.emails.len() > 3 {
        rest.push(format!("emails: {}", c.emails[3..].join(", ")));
    }
    if card.websites.len() > 1 {
        rest.push(format!("websites: {}", card.websites[1..].join(", ")));
    }
    for im in &card.ims {
        rest.push(format!("im: {im}"));
    }
    let mut row = vec![
        card.prefix.clone(),
        given,
        String::new(),
        family,
        card.suffix.clone(),
        company,
        card.department.clone(),
        c.title.clone(),
    ];
    for a in addr {
        let a = a.unwrap_or_default();
        row.extend([a.street, a.city, a.region, a.postcode, a.country]);
    }
    row.extend(phones.iter().cloned());
    row.extend([email(0), email(1), email(2)]);
    row.push(notes_with_rest(c, &rest));
    row.push(card.websites.first().cloned().unwrap_or_default());
    row.push(card.birthday.clone());
    row.push(card.anniversary.clone());
    row.push(card.groups.join(";"));
    row.push(card.nickname.clone());
    row
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
    let header: Vec<String> = match shape {
        Shape::Google => google_header(),
        Shape::Outlook => OUTLOOK.iter().map(|s| s.to_string()).collect(),
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
