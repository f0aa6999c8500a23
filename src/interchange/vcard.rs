//! vCard: reading 2.1/3.0/4.0 (phone exports with quoted-printable and
//! charset-tagged Chinese names included, via `calcard`) and writing 3.0.

use super::report::{Action, ImportReport};
use super::vcard_raw;
use super::{progress_bar, ImportOptions, InterchangeError, Result};
use crate::domain::card::{parse_day, split_label, with_label};
use crate::domain::Address;
use crate::domain::{Customer, CustomerKind};
use crate::store::{Store, UpsertError, Upserted};
use calcard::vcard::{
    VCard, VCardEntry, VCardParameterName, VCardParameterValue, VCardProperty, VCardValue,
};

/// The TYPE values of a property in lower case (`cell`, `work`, `x-qq`),
/// whether it is the preferred one, and an IM service named by a parameter.
fn types_of(e: &VCardEntry) -> (Vec<String>, bool, Option<String>) {
    let mut types = Vec::new();
    let mut pref = false;
    let mut service = None;
    for p in &e.params {
        match (&p.name, &p.value) {
            (VCardParameterName::Pref, _) => pref = true,
            (VCardParameterName::ServiceType, VCardParameterValue::Text(t)) => {
                service = Some(t.to_lowercase())
            }
            (VCardParameterName::Other(n), VCardParameterValue::Text(t))
                if n.eq_ignore_ascii_case("X-SERVICE-TYPE") =>
            {
                service = Some(t.to_lowercase())
            }
            (_, VCardParameterValue::Type(t)) => types.push(format!("{t:?}").to_lowercase()),
            (VCardParameterName::Type, VCardParameterValue::Text(t)) => {
                for t in t.split(',') {
                    let t = t.trim().to_lowercase();
                    if t == "pref" {
                        pref = true;
                    } else if !t.is_empty() {
                        types.push(t);
                    }
                }
            }
            _ => {}
        }
    }
    (types, pref, service)
}

/// The label of a phone, email or address from its TYPE values.
fn label_of(types: &[String]) -> Option<String> {
    const ORDER: &[(&str, &str)] = &[
        ("fax", "fax"),
        ("cell", "mobile"),
        ("mobile", "mobile"),
        ("pager", "pager"),
        ("mainnumber", "main"),
        ("main-number", "main"),
        ("main", "main"),
        ("work", "work"),
        ("home", "home"),
    ];
    for (t, label) in ORDER {
        if types.iter().any(|x| x == t) {
            return Some(label.to_string());
        }
    }
    const GENERIC: &[&str] = &[
        "voice", "text", "internet", "x400", "pref", "msg", "video", "postal", "parcel", "dom",
        "intl",
    ];
    types
        .iter()
        .find(|t| !GENERIC.contains(&t.as_str()))
        .map(|t| t.trim_start_matches("x-").to_string())
}

/// The TYPE parameter written for a label.
fn type_of_label(label: Option<&String>, generic: &str) -> String {
    let t = match label.map(String::as_str) {
        Some("mobile") => "CELL".to_string(),
        Some("main") => "MAIN-NUMBER".to_string(),
        Some(l) if l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
            l.to_ascii_uppercase()
        }
        Some(l) => format!("\"{}\"", l.replace('"', "")),
        None => String::new(),
    };
    match (generic.is_empty(), t.is_empty()) {
        (true, _) => t,
        (false, true) => generic.to_string(),
        (false, false) => format!("{generic},{t}"),
    }
}

/// IM services written as their own property by Chinese phones.
const IM_PROPERTIES: &[(&str, &str)] = &[
    ("X-QQ", "qq"),
    ("X-WECHAT", "wechat"),
    ("X-SKYPE", "skype"),
    ("X-SKYPE-USERNAME", "skype"),
    ("X-AIM", "aim"),
    ("X-JABBER", "xmpp"),
    ("X-MSN", "msn"),
    ("X-ICQ", "icq"),
    ("X-YAHOO", "yahoo"),
    ("X-GOOGLE-TALK", "gtalk"),
    ("X-GADUGADU", "gadugadu"),
    ("X-TWITTER", "twitter"),
];

fn texts(e: &VCardEntry) -> Vec<String> {
    e.values
        .iter()
        .map(|v| match v {
            VCardValue::Component(parts) => parts.join(","),
            VCardValue::PartialDateTime(p) => match (p.year, p.month, p.day) {
                (Some(y), Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
                (None, Some(m), Some(d)) => format!("--{m:02}-{d:02}"),
                _ => String::new(),
            },
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

/// Apple's labels of grouped properties: `item2.X-ABLabel:switchboard`
/// labels `item2.TEL`; `_$!<Mobile>!$_` is a built-in label.
fn group_labels(card: &VCard) -> Vec<(String, String)> {
    card.entries
        .iter()
        .filter(
            |e| matches!(&e.name, VCardProperty::Other(n) if n.eq_ignore_ascii_case("X-ABLABEL")),
        )
        .filter_map(|e| {
            let group = e.group.clone()?;
            let raw = texts(e).join(",");
            let l = raw
                .trim()
                .trim_start_matches("_$!<")
                .trim_end_matches(">!$_");
            let l = crate::domain::card::normalise_label(l);
            (!l.is_empty()).then_some((group.to_lowercase(), l))
        })
        .collect()
}

/// The label of a property: Apple's group label, else its TYPE values.
fn entry_label(e: &VCardEntry, groups: &[(String, String)]) -> Option<String> {
    if let Some(g) = &e.group {
        let g = g.to_lowercase();
        if let Some((_, l)) = groups.iter().find(|(k, _)| *k == g) {
            return Some(l.clone());
        }
    }
    label_of(&types_of(e).0)
}

/// The URI scheme and the service name (`X-SERVICE-TYPE`) of an IM
/// service, for an `IMPP` line.
fn impp_scheme(service: &str) -> (&str, String) {
    match service {
        "skype" => ("skype", "Skype".to_string()),
        "xmpp" | "jabber" => ("xmpp", "Jabber".to_string()),
        "aim" => ("aim", "AIM".to_string()),
        "msn" => ("msnim", "MSN".to_string()),
        "icq" => ("aim", "ICQ".to_string()),
        "yahoo" => ("ymsgr", "Yahoo".to_string()),
        "gtalk" => ("xmpp", "GoogleTalk".to_string()),
        "sip" => ("sip", "SIP".to_string()),
        other => {
            let mut name = other.to_string();
            if let Some(f) = name.get_mut(..1) {
                f.make_ascii_uppercase();
            }
            ("x-apple", name)
        }
    }
}

/// Apple's own spelling of its built-in labels (`homepage` →
/// `_$!<HomePage>!$_`), so Contacts shows them in the reader's language.
fn apple_label(label: &str) -> String {
    let builtin = match label.to_ascii_lowercase().as_str() {
        "homepage" => "HomePage",
        "home" => "Home",
        "work" => "Work",
        "other" => "Other",
        _ => return label.to_string(),
    };
    format!("_$!<{builtin}>!$_")
}

/// The highest `itemN` group number among the kept properties.
fn kept_groups_max(custom: &std::collections::BTreeMap<String, String>) -> u32 {
    custom
        .iter()
        .filter(|(k, _)| k.starts_with(vcard_raw::KEPT_PREFIX))
        .flat_map(|(_, v)| v.lines())
        .filter_map(vcard_raw::group_of)
        .filter_map(|g| g.strip_prefix("item").and_then(|n| n.parse::<u32>().ok()))
        .max()
        .unwrap_or(0)
}

/// The customer a card describes.
pub(super) fn to_customer(card: &VCard) -> Customer {
    let groups = group_labels(card);
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
        let get = |i: usize| {
            parts
                .get(i)
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        c.card.family_name = get(0);
        c.card.given_name = get(1);
        c.card.prefix = get(3);
        c.card.suffix = get(4);
    }
    c.card.nickname = first_text(card, VCardProperty::Nickname);
    if let Some(org) = card.property(&VCardProperty::Org) {
        let parts = texts(org);
        c.company = parts.first().cloned().unwrap_or_default();
        // ORG: organisation; unit (the department).
        c.card.department = parts
            .get(1)
            .map(|u| u.trim().to_string())
            .unwrap_or_default();
    }
    c.title = first_text(card, VCardProperty::Title);
    if c.title.is_empty() {
        c.title = first_text(card, VCardProperty::Role);
    }
    // The preferred phone and email come first.
    let mut preferred = 0;
    for e in card.properties(&VCardProperty::Tel) {
        let t = texts(e).join("");
        let t = t.trim().trim_start_matches("tel:").to_string();
        if !t.is_empty() {
            let (_, pref, _) = types_of(e);
            if let Some(l) = entry_label(e, &groups) {
                c.card.phone_labels.insert(t.clone(), l);
            }
            if pref {
                c.phones.insert(preferred.min(c.phones.len()), t);
                preferred += 1;
            } else {
                c.phones.push(t);
            }
        }
    }
    preferred = 0;
    for e in card.properties(&VCardProperty::Email) {
        let t = texts(e).join("").trim().to_string();
        if !t.is_empty() {
            let (_, pref, _) = types_of(e);
            if let Some(l) = entry_label(e, &groups) {
                c.card.email_labels.insert(t.clone(), l);
            }
            if pref {
                c.emails.insert(preferred.min(c.emails.len()), t);
                preferred += 1;
            } else {
                c.emails.push(t);
            }
        }
    }
    for adr in card.properties(&VCardProperty::Adr) {
        // ADR: post box; extended; street; city; region; postcode; country.
        let p = texts(adr);
        let get = |i: usize| p.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
        // Street first, then the extended line (suite, floor), then a PO box.
        let a = Address {
            label: entry_label(adr, &groups).unwrap_or_default(),
            street: [get(2), get(1), get(0)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("\n"),
            city: get(3),
            region: get(4),
            postcode: get(5),
            country: get(6),
        };
        if a.is_empty() {
            continue;
        }
        let main_empty = [
            &c.address,
            &c.city,
            &c.province,
            &c.country,
            &c.card.postcode,
        ]
        .iter()
        .all(|s| s.is_empty());
        if main_empty {
            c.address = a.street;
            c.city = a.city;
            c.province = a.region;
            c.card.postcode = a.postcode;
            c.country = a.country;
            c.card.address_label = a.label;
        } else {
            c.card.addresses.push(a);
        }
    }
    for (prop, key) in [
        (VCardProperty::Bday, "birthday"),
        (VCardProperty::Anniversary, "anniversary"),
    ] {
        set_day(&mut c, key, &first_text(card, prop));
    }
    for e in card.properties(&VCardProperty::Url) {
        let t = texts(e).join(",").trim().to_string();
        if !t.is_empty() && !c.card.websites.contains(&t) {
            if let Some(l) = entry_label(e, &groups) {
                c.card.website_labels.insert(t.clone(), l);
            }
            c.card.websites.push(t);
        }
    }
    c.notes = card
        .properties(&VCardProperty::Note)
        .map(|e| texts(e).join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    for e in card.properties(&VCardProperty::Categories) {
        for t in texts(e) {
            for g in t.split(',').map(str::trim).filter(|g| !g.is_empty()) {
                if !c.card.groups.iter().any(|x| x == g) {
                    c.card.groups.push(g.to_string());
                }
            }
        }
    }
    for e in &card.entries {
        if e.name == VCardProperty::Impp {
            // `skype:bob` → `skype: bob`; a service parameter names it too.
            let t = texts(e).join(",").trim().to_string();
            let (_, _, service) = types_of(e);
            let im = match (t.split_once(':'), service) {
                (_, Some(s)) => with_label(Some(&s), t.split_once(':').map_or(t.as_str(), |p| p.1)),
                (Some((scheme, handle)), None) => with_label(Some(&scheme.to_lowercase()), handle),
                (None, None) => t.clone(),
            };
            if !t.is_empty() && !c.card.ims.contains(&im) {
                c.card.ims.push(im);
            }
            continue;
        }
        let VCardProperty::Other(name) = &e.name else {
            continue;
        };
        let value = texts(e).join(",");
        let upper = name.to_ascii_uppercase();
        if let Some((_, service)) = IM_PROPERTIES.iter().find(|(p, _)| *p == upper) {
            let im = with_label(Some(service), value.trim());
            if !value.trim().is_empty() && !c.card.ims.contains(&im) {
                c.card.ims.push(im);
            }
            continue;
        }
        match upper.as_str() {
            "X-ANNIVERSARY" | "X-MS-ANNIVERSARY" if c.card.anniversary.is_empty() => {
                set_day(&mut c, "anniversary", &value)
            }
            "X-DOSSIER-NEEDS" => c.needs.extend(crate::domain::text::split_list(&value)),
            "X-DOSSIER-IM" => c.card.ims.push(value),
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

/// Sets a birthday or anniversary; a day that cannot be read is kept in a
/// custom field of that name.
fn set_day(c: &mut Customer, key: &str, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    match parse_day(text) {
        Ok(day) if key == "birthday" => c.card.birthday = day,
        Ok(day) => c.card.anniversary = day,
        Err(_) => {
            c.custom.insert(key.to_string(), text.trim().to_string());
        }
    }
}

pub(super) fn import(
    store: &mut Store,
    text: &str,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<()> {
    let cards = vcard_raw::cards(text);
    if cards.is_empty() {
        return Err(InterchangeError::Format(crate::tr!("import-no-vcard")));
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

/// `ORG:company;department`.
fn org_line(company: &str, department: &str) -> String {
    if department.is_empty() {
        format!("ORG:{}", esc(company))
    } else {
        format!("ORG:{};{}", esc(company), esc(department))
    }
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
    let card = &c.card;
    // N: family; given; additional; prefix; suffix (RFC 6350 6.2.2); an
    // organisation has no person's name unless one was given.
    let (family, given) = c.name_parts();
    line(
        &mut out,
        &format!(
            "N:{};{};;{};{}",
            esc(&family),
            esc(&given),
            esc(&card.prefix),
            esc(&card.suffix)
        ),
    );
    if !c.company.is_empty() || !card.department.is_empty() {
        line(&mut out, &org_line(&c.company, &card.department));
    }
    if c.kind == CustomerKind::Enterprise {
        // Address books list it as a company (Apple needs X-ABShowAs).
        line(&mut out, "X-ABShowAs:COMPANY");
    }
    if !card.nickname.is_empty() {
        line(&mut out, &format!("NICKNAME:{}", esc(&card.nickname)));
    }
    if !c.title.is_empty() {
        line(&mut out, &format!("TITLE:{}", esc(&c.title)));
    }
    // The first phone and email are the preferred ones (TYPE=PREF in 3.0).
    for (i, p) in c.phones.iter().enumerate() {
        let mut t = type_of_label(card.phone_labels.get(p), "VOICE");
        if card
            .phone_labels
            .get(p)
            .is_some_and(|l| l == "fax" || l == "mobile" || l == "pager")
        {
            t = type_of_label(card.phone_labels.get(p), "");
        }
        if i == 0 && c.phones.len() > 1 {
            t.push_str(",PREF");
        }
        line(&mut out, &format!("TEL;TYPE={t}:{}", esc(p)));
    }
    for (i, e) in c.emails.iter().enumerate() {
        let mut t = type_of_label(card.email_labels.get(e), "INTERNET");
        if i == 0 && c.emails.len() > 1 {
            t.push_str(",PREF");
        }
        line(&mut out, &format!("EMAIL;TYPE={t}:{}", esc(e)));
    }
    let main = Address {
        label: card.address_label.clone(),
        street: c.address.clone(),
        city: c.city.clone(),
        region: c.province.clone(),
        postcode: card.postcode.clone(),
        country: c.country.clone(),
    };
    for a in std::iter::once(&main).chain(&card.addresses) {
        if a.is_empty() {
            continue;
        }
        // ADR slots (RFC 6350 6.3.1): PO box; extended; street; locality;
        // region; postal code; country.
        let label = (!a.label.is_empty()).then_some(&a.label);
        let t = type_of_label(label, "");
        let params = if t.is_empty() {
            String::new()
        } else {
            format!(";TYPE={t}")
        };
        line(
            &mut out,
            &format!(
                "ADR{params}:;;{};{};{};{};{}",
                esc(&a.street),
                esc(&a.city),
                esc(&a.region),
                esc(&a.postcode),
                esc(&a.country)
            ),
        );
    }
    if !card.birthday.is_empty() {
        // Without a year: RFC 6350's --MMDD.
        let bday = match card.birthday.strip_prefix("--") {
            Some(md) => format!("--{}", md.replace('-', "")),
            None => card.birthday.clone(),
        };
        line(&mut out, &format!("BDAY:{bday}"));
    }
    if !card.anniversary.is_empty() {
        // ANNIVERSARY is vCard 4; 3.0 readers know X-ANNIVERSARY.
        line(&mut out, &format!("X-ANNIVERSARY:{}", card.anniversary));
    }
    // A labelled website is written as Apple writes it, in a group of its
    // own with its `X-ABLabel`; groups are numbered after any a kept
    // property uses.
    let mut group = kept_groups_max(&c.custom);
    for w in &card.websites {
        match card.website_labels.get(w).filter(|l| !l.is_empty()) {
            Some(label) => {
                group += 1;
                line(&mut out, &format!("item{group}.URL:{}", esc(w)));
                line(
                    &mut out,
                    &format!("item{group}.X-ABLabel:{}", esc(&apple_label(label))),
                );
            }
            None => line(&mut out, &format!("URL:{}", esc(w))),
        }
    }
    for im in &card.ims {
        let (service, handle) = split_label(im);
        match service.as_deref() {
            // QQ and WeChat as Chinese phones write them.
            Some(s @ ("qq" | "wechat")) => {
                let prop = if s == "qq" { "X-QQ" } else { "X-WECHAT" };
                line(&mut out, &format!("{prop}:{}", esc(handle)))
            }
            // Others as RFC 4770 IMPP, with the service named as Apple
            // and Google name it.
            Some(s) if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
                let (scheme, name) = impp_scheme(s);
                line(
                    &mut out,
                    &format!("IMPP;X-SERVICE-TYPE={name}:{scheme}:{}", esc(handle)),
                )
            }
            _ => line(&mut out, &format!("X-DOSSIER-IM:{}", esc(im))),
        }
    }
    if !c.notes.is_empty() {
        line(&mut out, &format!("NOTE:{}", esc(&c.notes)));
    }
    if !card.groups.is_empty() {
        let groups: Vec<String> = card.groups.iter().map(|n| esc(n)).collect();
        line(&mut out, &format!("CATEGORIES:{}", groups.join(",")));
    }
    if !c.needs.is_empty() {
        let needs: Vec<String> = c.needs.iter().map(|n| esc(n)).collect();
        line(&mut out, &format!("X-DOSSIER-NEEDS:{}", needs.join(",")));
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
    fn an_apple_labelled_website_keeps_its_label_in_its_own_group() {
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:John Appleseed\r\nitem1.TEL;type=pref:+1 408 555 1212\r\nitem1.X-ABLabel:switchboard\r\nitem2.URL;type=pref:http://www.apple.com\r\nitem2.X-ABLabel:_$!<HomePage>!$_\r\nitem3.URL:https://blog.example.com\r\nitem3.X-ABLabel:blog\r\nitem4.X-ABRELATEDNAMES:Jane\r\nitem4.X-ABLabel:_$!<Spouse>!$_\r\nEND:VCARD\r\n";
        let mut c = parse(card);
        c.custom.extend(vcard_raw::kept_properties(card).0);
        assert_eq!(
            c.card
                .website_labels
                .get("https://blog.example.com")
                .map(String::as_str),
            Some("blog")
        );
        // The labels of read properties are not kept a second time, raw.
        let kept: Vec<&String> = c.custom.values().collect();
        assert!(
            kept.iter()
                .all(|v| !v.contains("switchboard") && !v.contains("HomePage")),
            "{kept:?}"
        );
        let text = write(&c);
        // Every X-ABLabel written pairs with a property of its group.
        for l in text.lines().filter(|l| l.contains("X-ABLabel")) {
            let group = l.split('.').next().unwrap();
            assert_eq!(
                text.lines()
                    .filter(|x| x.starts_with(&format!("{group}.")))
                    .count(),
                2,
                "{text}"
            );
        }
        assert!(
            text.contains("item6.URL:https://blog.example.com\r\nitem6.X-ABLabel:blog"),
            "{text}"
        );
        assert!(text.contains("X-ABLabel:_$!<HomePage>!$_"), "{text}");
        assert!(text.contains("item4.X-ABRELATEDNAMES:Jane"), "{text}");
        let back = parse(&text);
        assert_eq!(back.card.websites, c.card.websites);
        assert_eq!(back.card.website_labels, c.card.website_labels);
    }

    #[test]
    fn im_handles_are_written_as_impp_with_their_service_and_read_back() {
        let mut c = Customer::named("Bob");
        c.card.ims = vec![
            "skype: bob.b".into(),
            "qq: 10001".into(),
            "jabber: bob@jabber.org".into(),
        ];
        let text = write(&c);
        assert!(
            text.contains("IMPP;X-SERVICE-TYPE=Skype:skype:bob.b"),
            "{text}"
        );
        assert!(
            text.contains("IMPP;X-SERVICE-TYPE=Jabber:xmpp:bob@jabber.org"),
            "{text}"
        );
        assert!(text.contains("X-QQ:10001"), "{text}");
        assert!(!text.contains("X-SKYPE"), "{text}");
        assert_eq!(parse(&text).card.ims, c.card.ims);
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
