//! vCard: reading 2.1/3.0/4.0 (phone exports with quoted-printable and
//! charset-tagged Chinese names included, via `calcard`) and writing 3.0.

use super::report::{Action, ImportReport};
use super::vcard_raw;
use super::{progress_bar, ImportOptions, InterchangeError, Result};
use crate::domain::{Customer, CustomerKind};
use crate::store::{Store, UpsertError, Upserted};
use calcard::vcard::{VCard, VCardEntry, VCardProperty, VCardValue};

fn texts(e: &VCardEntry) -> Vec<String> {
    e.values
        .iter()
        .map(|v| match v {
            VCardValue::Component(parts) => parts.join(","),
            other => other.as_text().unwrap_or_default().to_string(),
        })
        .collect()
}

fn first_text(card: &VCard, prop: VCardProperty) -> String {
    card.property(&prop)
        .map(|e| texts(e).join(" ").trim().to_string())
        .unwrap_or_default()
}

fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// The customer a card describes.
pub(super) fn to_customer(card: &VCard) -> Customer {
    let mut c = Customer {
        name: first_text(card, VCardProperty::Fn),
        ..Default::default()
    };
    if c.name.is_empty() {
        if let Some(n) = card.property(&VCardProperty::N) {
            let parts = texts(n);
            let family = parts.first().cloned().unwrap_or_default();
            let given = parts.get(1).cloned().unwrap_or_default();
            c.name = if is_cjk(&family) || is_cjk(&given) {
                format!("{family}{given}")
            } else {
                format!("{given} {family}").trim().to_string()
            };
        }
    }
    if let Some(n) = card.property(&VCardProperty::N) {
        // N: family; given; additional; prefix; suffix.
        let parts = texts(n);
        for (i, key) in [(3, "prefix"), (4, "suffix")] {
            if let Some(v) = parts.get(i).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                c.custom.insert(key.into(), v.to_string());
            }
        }
    }
    if let Some(org) = card.property(&VCardProperty::Org) {
        let parts = texts(org);
        c.company = parts.first().cloned().unwrap_or_default();
        // ORG: organisation; unit (the department).
        if let Some(unit) = parts.get(1).filter(|u| !u.trim().is_empty()) {
            c.custom
                .insert("department".into(), unit.trim().to_string());
        }
    }
    c.title = first_text(card, VCardProperty::Title);
    if c.title.is_empty() {
        c.title = first_text(card, VCardProperty::Role);
    }
    for e in card.properties(&VCardProperty::Tel) {
        let t = texts(e).join("");
        let t = t.trim().trim_start_matches("tel:").to_string();
        if !t.is_empty() {
            c.phones.push(t);
        }
    }
    for e in card.properties(&VCardProperty::Email) {
        let t = texts(e).join("").trim().to_string();
        if !t.is_empty() {
            c.emails.push(t);
        }
    }
    if let Some(adr) = card.property(&VCardProperty::Adr) {
        // ADR: post box; extended; street; city; region; postcode; country.
        let p = texts(adr);
        let get = |i: usize| p.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
        // Street first, then the extended line (suite, floor), then a PO box.
        c.address = [get(2), get(1), get(0)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        c.city = get(3);
        c.province = get(4);
        c.country = get(6);
        if !get(5).is_empty() {
            c.custom.insert("postcode".into(), get(5));
        }
    }
    c.notes = card
        .properties(&VCardProperty::Note)
        .map(|e| texts(e).join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    for e in card.properties(&VCardProperty::Categories) {
        for t in texts(e) {
            c.needs.extend(crate::domain::text::split_list(&t));
        }
    }
    for e in &card.entries {
        let VCardProperty::Other(name) = &e.name else {
            continue;
        };
        let value = texts(e).join(",");
        match name.to_ascii_uppercase().as_str() {
            "X-DOSSIER-KIND" => c.kind = value.parse().unwrap_or_default(),
            "X-DOSSIER-INDUSTRY" => c.industry = value,
            "X-DOSSIER-SIZE" => c.size = value.trim().parse().ok(),
            "X-DOSSIER-SOURCE" => c.source = value,
            "X-DOSSIER-OWNER" => c.owner = value,
            "X-DOSSIER-CUSTOM" => {
                if let Some((k, v)) = value.split_once('=') {
                    c.custom.insert(k.to_string(), v.to_string());
                }
            }
            _ => {}
        }
    }
    if c.kind == CustomerKind::Individual && c.name.is_empty() && !c.company.is_empty() {
        // A card for a firm (Apple's "company" cards have no FN of a person).
        c.name = c.company.clone();
        c.kind = CustomerKind::Enterprise;
    }
    c
}

pub(super) fn import(
    store: &mut Store,
    text: &str,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<()> {
    let cards = vcard_raw::cards(text);
    if cards.is_empty() {
        return Err(InterchangeError::Format(
            "no BEGIN:VCARD found — is this a vCard file?".into(),
        ));
    }
    let bar = progress_bar(text.len() as u64, opts.progress && cards.len() > 2_000);
    bar.set_length(cards.len() as u64);
    let classify_each = super::classify_each(opts, cards.len());
    let mut imp = store.customer_import(opts.dry_run, classify_each)?;
    for (i, raw) in cards.iter().enumerate() {
        if i.is_multiple_of(1024) {
            bar.set_position(i as u64);
        }
        let line = &raw.line;
        if let Some(group) = vcard_raw::group_name(&raw.text) {
            report.warn(
                *line,
                format!(
                    "contact group '{}' skipped — a group card lists members, it is not a customer",
                    super::salvage::visible(&group)
                ),
            );
            continue;
        }
        let text = vcard_raw::with_charsets_decoded(&raw.text);
        let card = match VCard::parse(&text) {
            Ok(card) => card,
            Err(e) => {
                report.reject(*line, format!("not a readable vCard ({e:?})"));
                continue;
            }
        };
        let mut c = to_customer(&card);
        let mut warnings = Vec::new();
        if raw.nested > 0 {
            warnings.push(format!(
                "{} nested card(s) (vCard 2.1 AGENT) inside this one were not imported — add that person separately",
                raw.nested
            ));
        }
        if vcard_raw::is_org(&text) {
            c.kind = CustomerKind::Enterprise;
        }
        let (kept, too_large) = vcard_raw::kept_properties(&text);
        for (key, value) in kept {
            report
                .kept_properties
                .insert(key[vcard_raw::KEPT_PREFIX.len()..].to_string());
            c.custom.insert(key, value);
        }
        for (name, size) in too_large {
            warnings.push(format!(
                "{name} ({size} characters) is too large to keep and was not imported"
            ));
        }
        super::salvage::salvage(&mut c, &mut warnings);
        let name = c.name.clone();
        match imp.upsert(c) {
            Ok(Upserted::Created(id)) => report.done(*line, Action::Created, id, &name),
            Ok(Upserted::Updated(id)) => report.done(*line, Action::Updated, id, &name),
            Ok(Upserted::Unchanged(id)) => report.done(*line, Action::Unchanged, id, &name),
            Err(UpsertError::Invalid(v)) => {
                report.reject(*line, v.to_string());
                continue;
            }
            Err(UpsertError::Store(e)) => return Err(e.into()),
        }
        for w in warnings {
            report.warn(*line, w);
        }
        if let Some(n) = imp.take_notice() {
            report.warn(*line, n);
        }
    }
    imp.finish()?;
    bar.finish_and_clear();
    if !classify_each {
        super::sweep_after(store, opts, report)?;
    }
    Ok(())
}

/// Escapes a text value for vCard 3.0.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets without splitting a character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for ch in content.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
}

/// One customer as a vCard 3.0. Fields vCard has no property for travel as
/// `X-DOSSIER-*` so a round trip through dossier keeps them.
pub(super) fn write(c: &Customer) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCARD");
    line(&mut out, "VERSION:3.0");
    line(&mut out, &format!("FN:{}", esc(&c.name)));
    let custom = |k: &str| c.custom.get(k).map(String::as_str).unwrap_or("");
    if c.kind == CustomerKind::Enterprise {
        // An organisation card: no person's name; address books show the
        // ORG (Apple needs X-ABShowAs to list it as a company).
        line(&mut out, "N:;;;;");
        if !c.company.is_empty() {
            line(&mut out, &format!("ORG:{}", esc(&c.company)));
        }
        line(&mut out, "X-ABShowAs:COMPANY");
    } else {
        // N: family; given; additional; prefix; suffix (RFC 6350 6.2.2).
        // FN may carry the honorific ("Dr. Ann Lee"); N keeps it in its slot.
        let bare = c.name.trim();
        let bare = bare.strip_prefix(custom("prefix")).unwrap_or(bare);
        let bare = bare.strip_suffix(custom("suffix")).unwrap_or(bare);
        let (family, given) = crate::domain::text::split_name(bare.trim().trim_end_matches(','));
        line(
            &mut out,
            &format!(
                "N:{};{};;{};{}",
                esc(&family),
                esc(&given),
                esc(custom("prefix")),
                esc(custom("suffix"))
            ),
        );
        if !c.company.is_empty() {
            let dept = custom("department");
            if dept.is_empty() {
                line(&mut out, &format!("ORG:{}", esc(&c.company)));
            } else {
                line(&mut out, &format!("ORG:{};{}", esc(&c.company), esc(dept)));
            }
        }
    }
    if !c.title.is_empty() {
        line(&mut out, &format!("TITLE:{}", esc(&c.title)));
    }
    for p in &c.phones {
        line(&mut out, &format!("TEL;TYPE=VOICE:{}", esc(p)));
    }
    for e in &c.emails {
        line(&mut out, &format!("EMAIL;TYPE=INTERNET:{}", esc(e)));
    }
    let postcode = custom("postcode");
    if [&c.address, &c.city, &c.province, &c.country]
        .iter()
        .any(|s| !s.is_empty())
        || !postcode.is_empty()
    {
        // ADR slots (RFC 6350 6.3.1): PO box; extended; street; locality;
        // region; postal code; country.
        line(
            &mut out,
            &format!(
                "ADR;TYPE=WORK:;;{};{};{};{};{}",
                esc(&c.address),
                esc(&c.city),
                esc(&c.province),
                esc(postcode),
                esc(&c.country)
            ),
        );
    }
    if !c.notes.is_empty() {
        line(&mut out, &format!("NOTE:{}", esc(&c.notes)));
    }
    if !c.needs.is_empty() {
        let needs: Vec<String> = c.needs.iter().map(|n| esc(n)).collect();
        line(&mut out, &format!("CATEGORIES:{}", needs.join(",")));
    }
    line(&mut out, &format!("X-DOSSIER-KIND:{}", c.kind));
    for (prop, value) in [
        ("X-DOSSIER-INDUSTRY", &c.industry),
        ("X-DOSSIER-SOURCE", &c.source),
        ("X-DOSSIER-OWNER", &c.owner),
    ] {
        if !value.is_empty() {
            line(&mut out, &format!("{prop}:{}", esc(value)));
        }
    }
    if let Some(size) = c.size {
        line(&mut out, &format!("X-DOSSIER-SIZE:{size}"));
    }
    for (k, v) in &c.custom {
        if k.starts_with(vcard_raw::KEPT_PREFIX) {
            // A property read from a vCard, given back as it came.
            for raw in vcard_raw::lines_to_write(k, v) {
                line(&mut out, raw);
            }
        } else {
            line(&mut out, &format!("X-DOSSIER-CUSTOM:{}={}", esc(k), esc(v)));
        }
    }
    if c.meta.id > 0 {
        line(&mut out, &format!("UID:dossier-customer-{}", c.meta.id));
    }
    line(&mut out, "END:VCARD");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Customer {
        to_customer(&VCard::parse(s).unwrap())
    }

    #[test]
    fn reads_a_phone_export_with_quoted_printable_chinese() {
        // 张伟 in UTF-8, quoted-printable, as Android 2.1 exports write it.
        let card = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=BC=9F;;;\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0=E4=BC=9F\r\nTEL;CELL:138-0013-8000\r\nEND:VCARD\r\n";
        let c = parse(card);
        assert_eq!(c.name, "张伟");
        assert_eq!(c.phones, vec!["138-0013-8000"]);
    }

    #[test]
    fn reads_vcard_4() {
        let c = parse("BEGIN:VCARD\nVERSION:4.0\nFN:Ann Lee\nORG:Acme;Sales\nEMAIL:ann@acme.com\nTEL;VALUE=uri:tel:+1-555-0100\nADR:;;1 Main St;Springfield;IL;62701;USA\nEND:VCARD\n");
        assert_eq!(c.company, "Acme");
        assert_eq!(c.phones, vec!["+1-555-0100"]);
        assert_eq!(
            (c.city.as_str(), c.country.as_str()),
            ("Springfield", "USA")
        );
    }

    #[test]
    fn folds_long_lines_on_character_boundaries() {
        let mut c = Customer::named("李");
        c.notes = "很长的备注，".repeat(40);
        let text = write(&c);
        assert!(text.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(parse(&text).notes, c.notes);
    }
}
