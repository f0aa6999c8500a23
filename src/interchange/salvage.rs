//! One odd value never costs a contact: values as address books write them
//! are read (Google's ` ::: ` multi-values, `tel:` URIs, `"Name" <addr>`
//! emails, invisible direction marks), and a value that still fails
//! validation is kept out of its field — in a custom field named after it
//! — with a warning, while the contact itself is imported.

use crate::domain::text::{sanitize_for_terminal, strip_invisible};
use crate::domain::{email_problem, phone_problem, MAX_SHORT};
use crate::domain::{Customer, CustomerKind};

/// The custom field that keeps a value its field could not take.
pub(crate) fn kept_key(field: &str) -> String {
    format!("unreadable {field}")
}

/// Adds `value` to the custom field that keeps unreadable values of
/// `field` (several are joined with `; `).
pub(crate) fn keep(c: &mut Customer, field: &str, value: &str) -> String {
    let key = kept_key(field);
    let slot = c.custom.entry(key.clone()).or_default();
    if !slot.split("; ").any(|v| v == value) {
        if !slot.is_empty() {
            slot.push_str("; ");
        }
        slot.push_str(value);
    }
    key
}

/// A value as a message shows it: control and invisible characters written
/// as `\u{…}` so the user sees what is really there.
pub(crate) fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if ch.is_control() || strip_invisible(ch.encode_utf8(&mut [0; 4])).is_empty() {
            out.push_str(&format!("\\u{{{:04x}}}", ch as u32));
        } else {
            out.push(ch);
        }
    }
    sanitize_for_terminal(&out)
}

/// Splits a cell holding several values at `sep` outside quotes and `<…>`.
fn split_outside_quotes(cell: &str, is_sep: impl Fn(&str) -> Option<usize>) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut angled) = (false, false);
    let mut i = 0;
    while i < cell.len() {
        let rest = &cell[i..];
        let Some(ch) = rest.chars().next() else { break };
        if !quoted && !angled {
            if let Some(n) = is_sep(rest) {
                out.push(std::mem::take(&mut cur));
                i += n;
                continue;
            }
        }
        match ch {
            '"' => quoted = !quoted,
            '<' if !quoted => angled = true,
            '>' if !quoted => angled = false,
            _ => {}
        }
        cur.push(ch);
        i += ch.len_utf8();
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Length of a separator between values that every list cell uses:
/// Google's ` ::: `, a line break, full-width `；` `、`.
fn multi_value_sep(rest: &str) -> Option<usize> {
    for sep in [" ::: ", ":::", "\r\n", "\n", "；", "、", "，"] {
        if rest.starts_with(sep) {
            return Some(sep.len());
        }
    }
    None
}

/// A cell with no separator of any kind holds one value (nearly every
/// cell of a big file: worth skipping the character-by-character split).
fn single_value(cell: &str) -> Option<Vec<String>> {
    let plain = !cell
        .bytes()
        .any(|b| matches!(b, b',' | b';' | b':' | b'/' | b'\n' | b'\r' | b'"') || b >= 0x80);
    plain.then(|| {
        let t = cell.trim();
        if t.is_empty() {
            Vec::new()
        } else {
            vec![t.to_string()]
        }
    })
}

/// Phones of one cell. `,` and `;` separate two numbers only when a space
/// follows: written tight they are pauses of a dial string (`…,,102`) or
/// part of a `tel:` URI (`;ext=102`).
pub(crate) fn split_phones(cell: &str) -> Vec<String> {
    if let Some(one) = single_value(cell) {
        return one;
    }
    split_outside_quotes(cell, |rest| {
        multi_value_sep(rest).or_else(|| {
            let mut it = rest.chars();
            match (it.next(), it.next()) {
                (Some(',' | ';' | '/'), Some(' ')) => Some(2),
                _ => None,
            }
        })
    })
}

/// Emails of one cell: `,` and `;` separate them, but not inside
/// `"Lee, Ann" <ann@example.com>`.
pub(crate) fn split_emails(cell: &str) -> Vec<String> {
    if let Some(one) = single_value(cell) {
        return one;
    }
    split_outside_quotes(cell, |rest| {
        multi_value_sep(rest).or_else(|| rest.starts_with([',', ';']).then_some(1))
    })
}

/// A phone as typed, without invisible marks and a `tel:` scheme.
pub(crate) fn clean_phone(p: &str) -> String {
    let p = strip_invisible(p);
    let p = p.trim();
    let lower = p.to_ascii_lowercase();
    let p = if lower.starts_with("tel:") {
        &p[4..]
    } else {
        p
    };
    p.trim().to_string()
}

/// The address of an email as address books write it: `"Ann Lee"
/// <ann@example.com>`, `mailto:ann@example.com`, invisible marks.
pub(crate) fn clean_email(e: &str) -> String {
    let e = strip_invisible(e);
    let mut e = e.trim();
    if let (Some(open), true) = (e.rfind('<'), e.ends_with('>')) {
        e = &e[open + 1..e.len() - 1];
    }
    let lower = e.to_ascii_lowercase();
    if lower.starts_with("mailto:") {
        e = &e[7..];
    }
    e.trim().to_string()
}

/// The short text fields of a customer: one line each, at most
/// [`MAX_SHORT`] characters.
fn short_fields(c: &mut Customer) -> [(&'static str, &mut String); 9] {
    [
        ("name", &mut c.name),
        ("company", &mut c.company),
        ("title", &mut c.title),
        ("country", &mut c.country),
        ("province", &mut c.province),
        ("city", &mut c.city),
        ("industry", &mut c.industry),
        ("source", &mut c.source),
        ("owner", &mut c.owner),
    ]
}

/// Makes a customer read from a file fit its fields without losing
/// anything, and says what was done (one message per value moved or
/// changed). The name falls back to the company (kind enterprise), else a
/// placeholder from the email or phone.
pub(crate) fn salvage(c: &mut Customer, warnings: &mut Vec<String>) {
    let phones = std::mem::take(&mut c.phones);
    let mut labels = std::mem::take(&mut c.card.phone_labels);
    for (raw, p) in phones
        .iter()
        .map(|p| (p, clean_phone(p)))
        .filter(|(_, p)| !p.is_empty())
    {
        match phone_problem(&p) {
            None => {
                if let Some(l) = labels.remove(raw) {
                    c.card.phone_labels.entry(p.clone()).or_insert(l);
                }
                if !c.phones.contains(&p) {
                    c.phones.push(p)
                }
            }
            Some(_) => {
                let key = keep(c, "phone", &p);
                warnings.push(crate::tr!(
                    "import-bad-phone-kept",
                    value = visible(&p),
                    key = key
                ));
            }
        }
    }
    let emails = std::mem::take(&mut c.emails);
    let mut labels = std::mem::take(&mut c.card.email_labels);
    for (raw, e) in emails
        .iter()
        .map(|e| (e, clean_email(e)))
        .filter(|(_, e)| !e.is_empty())
    {
        match email_problem(&e) {
            None => {
                if let Some(l) = labels.remove(raw) {
                    c.card.email_labels.entry(e.clone()).or_insert(l);
                }
                if !c.emails.contains(&e) {
                    c.emails.push(e)
                }
            }
            Some(_) => {
                let key = keep(c, "email", &e);
                warnings.push(crate::tr!(
                    "import-bad-email-kept",
                    value = visible(&e),
                    key = key
                ));
            }
        }
    }
    let mut kept = Vec::new();
    for (field, value) in short_fields(c) {
        if !value
            .chars()
            .any(|c| c.is_control() || ('\u{202A}'..='\u{2069}').contains(&c))
        {
            if value.chars().count() > MAX_SHORT {
                kept.push((field, std::mem::take(value)));
            }
            continue;
        }
        let one_line = one_line(value);
        if one_line != *value {
            if one_line.split_whitespace().ne(value.split_whitespace()) {
                warnings.push(crate::tr!(
                    "import-control-chars-removed",
                    field = field,
                    value = visible(value)
                ));
            }
            *value = one_line;
        }
        if value.chars().count() > MAX_SHORT {
            kept.push((field, std::mem::take(value)));
        }
    }
    for (field, value) in kept {
        let short: String = value.chars().take(MAX_SHORT).collect();
        let key = keep(c, field, &value);
        warnings.push(crate::tr!(
            "import-too-long-kept",
            field = field,
            length = value.chars().count(),
            most = MAX_SHORT,
            key = key
        ));
        match field {
            "name" => c.name = short,
            "company" => c.company = short,
            "title" => c.title = short,
            "country" => c.country = short,
            "province" => c.province = short,
            "city" => c.city = short,
            "industry" => c.industry = short,
            "source" => c.source = short,
            _ => c.owner = short,
        }
    }
    c.address = c
        .address
        .replace("\r\n", "\n")
        .chars()
        .filter(|&ch| ch == '\n' || !ch.is_control())
        .collect::<String>()
        .trim()
        .to_string();
    c.notes = c.notes.replace("\r\n", "\n");
    if c.name.trim().is_empty() {
        if !c.company.trim().is_empty() {
            // A company card: the firm is the customer.
            c.name = c.company.clone();
            c.kind = CustomerKind::Enterprise;
        } else if let Some(placeholder) = c.emails.first().or(c.phones.first()).cloned() {
            c.name = placeholder.clone();
            c.custom.insert(
                "placeholder name".into(),
                "yes — no name in the file".into(),
            );
            warnings.push(format!(
                "no name — named '{}' after its email or phone; give it a real name (custom field 'placeholder name' marks it)",
                visible(&placeholder)
            ));
        }
    }
}

/// A short field on one line: line breaks and tabs become spaces, other
/// control characters and direction overrides go.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\r' => {}
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_value_cells_split_the_way_each_program_writes_them() {
        assert_eq!(
            split_phones("+1 415 555 0434 ::: +1 415 555 0435"),
            ["+1 415 555 0434", "+1 415 555 0435"]
        );
        assert_eq!(
            split_phones("010-6552 9988,,102; 138 0013 8000"),
            ["010-6552 9988,,102", "138 0013 8000"]
        );
        assert_eq!(
            split_phones("tel:+1-415-555-0434;ext=102\n020 7946 0958"),
            ["tel:+1-415-555-0434;ext=102", "020 7946 0958"]
        );
        assert_eq!(
            split_emails("\"Lee, Ann\" <ann@x.example>, bob@y.example ::: c@z.example"),
            [
                "\"Lee, Ann\" <ann@x.example>",
                "bob@y.example",
                "c@z.example"
            ]
        );
    }

    #[test]
    fn values_are_read_as_address_books_write_them() {
        assert_eq!(clean_email("\"Lee, Ann\" <ann@x.example>"), "ann@x.example");
        assert_eq!(clean_email("MAILTO:ann@x.example"), "ann@x.example");
        assert_eq!(
            clean_email("\u{200e}ann@x.example\u{200f}"),
            "ann@x.example"
        );
        assert_eq!(
            clean_phone("\u{202a}+86 138 0013 8000\u{202c}"),
            "+86 138 0013 8000"
        );
        assert_eq!(clean_phone("TEL:+1-415-555-0434"), "+1-415-555-0434");
        for ok in [
            "+1 415 555 0434 x102",
            "+1 415 555 0434 ext. 102",
            "+1-415-555-0434;ext=102",
            "010-6552 9988,,102",
            "010 6552 9988p102w3",
            "*123#",
        ] {
            assert_eq!(phone_problem(&clean_phone(ok)), None, "{ok}");
        }
    }

    #[test]
    fn an_odd_value_is_kept_aside_and_the_contact_stays() {
        let mut c = Customer::named("Ann Lee");
        c.phones = vec!["call reception".into(), "+44 20 7946 0958".into()];
        c.emails = vec!["ann(at)x.example".into(), "<ann@x.example>".into()];
        c.title = "Head\u{1b}[31m of sales".into();
        let mut w = Vec::new();
        salvage(&mut c, &mut w);
        assert_eq!(c.phones, ["+44 20 7946 0958"]);
        assert_eq!(c.emails, ["ann@x.example"]);
        assert_eq!(c.custom["unreadable phone"], "call reception");
        assert_eq!(c.custom["unreadable email"], "ann(at)x.example");
        assert_eq!(c.title, "Head[31m of sales");
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[0].contains("'call reception'"), "{w:?}");
        assert!(w[2].contains("\\u{001b}"), "{w:?}");
        let mut bell = Customer::named("Bo");
        bell.phones = vec!["555\u{7}0100x".into()];
        let mut w = Vec::new();
        salvage(&mut bell, &mut w);
        assert!(w[0].contains("'555\\u{0007}0100x'"), "{w:?}");
        assert!(c.validate().is_ok(), "{:?}", c.validate());
    }

    #[test]
    fn a_company_or_an_email_alone_still_makes_a_contact() {
        let mut firm = Customer {
            company: "华信科技有限公司".into(),
            ..Default::default()
        };
        let mut w = Vec::new();
        salvage(&mut firm, &mut w);
        assert_eq!(
            (firm.name.as_str(), firm.kind),
            ("华信科技有限公司", CustomerKind::Enterprise)
        );
        assert!(w.is_empty());
        let mut mail = Customer {
            emails: vec!["ann@x.example".into()],
            ..Default::default()
        };
        salvage(&mut mail, &mut w);
        assert_eq!(mail.name, "ann@x.example");
        assert!(mail.custom.contains_key("placeholder name"));
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn street_addresses_keep_their_lines() {
        let mut c = Customer::named("Ann");
        c.address = "Flat 2\r\n10 Downing Street\r\n".into();
        salvage(&mut c, &mut Vec::new());
        assert_eq!(c.address, "Flat 2\n10 Downing Street");
        assert!(c.validate().is_ok());
    }
}
