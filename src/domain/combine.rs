//! Combining two customer files: an imported row onto a stored record, or
//! a duplicate into the file that is kept.

use super::Customer;

fn union(into: &mut Vec<String>, from: &[String], key: fn(&str) -> String) {
    for item in from {
        if !into.iter().any(|x| key(x) == key(item)) {
            into.push(item.clone());
        }
    }
}

fn lower(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Phones are one when they are one number (`+44 20 …` = `020 …`).
fn digits(s: &str) -> String {
    super::identity::phone_key(s).unwrap_or_else(|| super::text::phone_digits(s))
}

/// The text fields both rules treat alike, as (kept, incoming) pairs.
fn text_fields<'a>(a: &'a mut Customer, b: &'a Customer) -> [(&'a mut String, &'a String); 21] {
    [
        (&mut a.name, &b.name),
        (&mut a.company, &b.company),
        (&mut a.title, &b.title),
        (&mut a.country, &b.country),
        (&mut a.province, &b.province),
        (&mut a.city, &b.city),
        (&mut a.address, &b.address),
        (&mut a.industry, &b.industry),
        (&mut a.source, &b.source),
        (&mut a.owner, &b.owner),
        (&mut a.notes, &b.notes),
        (&mut a.card.given_name, &b.card.given_name),
        (&mut a.card.family_name, &b.card.family_name),
        (&mut a.card.prefix, &b.card.prefix),
        (&mut a.card.suffix, &b.card.suffix),
        (&mut a.card.nickname, &b.card.nickname),
        (&mut a.card.department, &b.card.department),
        (&mut a.card.postcode, &b.card.postcode),
        (&mut a.card.address_label, &b.card.address_label),
        (&mut a.card.birthday, &b.card.birthday),
        (&mut a.card.anniversary, &b.card.anniversary),
    ]
}

/// Joins the card's lists and labels; `overwrite`: the incoming labels win.
fn join_card(into: &mut Customer, from: &Customer, overwrite: bool) {
    union(&mut into.card.websites, &from.card.websites, lower);
    union(&mut into.card.ims, &from.card.ims, lower);
    union(&mut into.card.groups, &from.card.groups, lower);
    for a in &from.card.addresses {
        if !into.card.addresses.contains(a) {
            into.card.addresses.push(a.clone());
        }
    }
    for (into, from) in [
        (&mut into.card.phone_labels, &from.card.phone_labels),
        (&mut into.card.email_labels, &from.card.email_labels),
    ] {
        for (k, v) in from {
            if overwrite {
                into.insert(k.clone(), v.clone());
            } else {
                into.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
}

/// Applies an imported row to a stored customer: every field the row
/// fills overwrites, phones, emails and needs are added to, custom fields
/// the row names are set. Fields the row leaves blank keep their value, so
/// importing the same file twice changes nothing.
pub fn absorb(existing: &mut Customer, incoming: &Customer) {
    for (into, from) in text_fields(existing, incoming).into_iter() {
        if !from.trim().is_empty() {
            *into = from.clone();
        }
    }
    // An imported row cannot tell "individual" from "not given".
    if incoming.kind != Default::default() {
        existing.kind = incoming.kind;
    }
    if incoming.size.is_some() {
        existing.size = incoming.size;
    }
    union(&mut existing.phones, &incoming.phones, digits);
    union(&mut existing.emails, &incoming.emails, lower);
    union(&mut existing.needs, &incoming.needs, lower);
    join_card(existing, incoming, true);
    for (k, v) in &incoming.custom {
        existing.custom.insert(k.clone(), v.clone());
    }
}

/// Merges a duplicate into the kept customer: the kept file's values win,
/// the duplicate fills the gaps, lists are joined and differing notes are
/// kept one after the other.
pub fn combine_for_merge(kept: &Customer, duplicate: &Customer) -> Customer {
    let mut out = kept.clone();
    let notes_differ = !duplicate.notes.trim().is_empty()
        && !kept.notes.trim().is_empty()
        && kept.notes.trim() != duplicate.notes.trim();
    for (into, from) in text_fields(&mut out, duplicate).into_iter() {
        if into.trim().is_empty() {
            *into = from.clone();
        }
    }
    if notes_differ {
        out.notes = format!("{}\n\n{}", kept.notes.trim(), duplicate.notes.trim());
    }
    if out.size.is_none() {
        out.size = duplicate.size;
    }
    union(&mut out.phones, &duplicate.phones, digits);
    union(&mut out.emails, &duplicate.emails, lower);
    union(&mut out.needs, &duplicate.needs, lower);
    join_card(&mut out, duplicate, false);
    for (k, v) in &duplicate.custom {
        out.custom.entry(k.clone()).or_insert_with(|| v.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absorb_overwrites_filled_fields_and_joins_lists() {
        let mut a = Customer::named("Ann");
        a.city = "Paris".into();
        a.phones = vec!["+33 1 23 45 67 89".into()];
        let mut row = Customer::named("Ann B");
        // One number written two ways is one phone.
        row.phones = vec!["0033 1 23 45 67 89".into(), "555-0100".into()];
        absorb(&mut a, &row);
        assert_eq!(a.name, "Ann B");
        assert_eq!(a.city, "Paris");
        assert_eq!(a.phones.len(), 2);
        let before = a.clone();
        absorb(&mut a, &row);
        assert_eq!(a, before, "absorbing twice changes nothing");
    }

    #[test]
    fn merge_keeps_the_kept_values_and_fills_gaps() {
        let mut a = Customer::named("张伟");
        a.notes = "met at expo".into();
        let mut b = Customer::named("章伟");
        b.city = "上海".into();
        b.notes = "called twice".into();
        let m = combine_for_merge(&a, &b);
        assert_eq!(m.name, "张伟");
        assert_eq!(m.city, "上海");
        assert_eq!(m.notes, "met at expo\n\ncalled twice");
    }
}
