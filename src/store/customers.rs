use super::engine::conn::{Conn, Row};
use super::rows::{self, from_json_list, from_json_map, to_json_list, to_json_map};
use super::write::{Retag, StoredRecord, Written};
use super::{Page, Result, Store, StoreError};
use crate::domain::{Card, Customer, Kind, Meta, ValidationErrors};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{named_params, OptionalExtension};

pub(crate) const COLUMNS: &str = "id, uuid, created_at, updated_at, version, deleted_at, name, kind, company, title, \
    phones, emails, country, province, city, address, industry, size, source, needs, notes, owner, custom, card";

pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Customer> {
    let kind: String = row.get("kind")?;
    Ok(Customer {
        meta: rows::meta(row)?,
        name: row.get("name")?,
        kind: kind.parse().unwrap_or_default(),
        company: row.get("company")?,
        title: row.get("title")?,
        phones: from_json_list(&row.get::<_, String>("phones")?),
        emails: from_json_list(&row.get::<_, String>("emails")?),
        country: row.get("country")?,
        province: row.get("province")?,
        city: row.get("city")?,
        address: row.get("address")?,
        industry: row.get("industry")?,
        size: row.get("size")?,
        source: row.get("source")?,
        needs: from_json_list(&row.get::<_, String>("needs")?),
        notes: row.get("notes")?,
        owner: row.get("owner")?,
        custom: from_json_map(&row.get::<_, String>("custom")?),
        card: Box::new(Card::from_json(&row.get::<_, String>("card")?)),
    })
}

/// Trims without reallocating when there is nothing to trim.
fn trim_in_place(s: &mut String) {
    if s.trim().len() != s.len() {
        *s = s.trim().to_string();
    }
}

/// Normalises what a person typed: trimmed text, no empty list entries.
pub(crate) fn tidy(c: &mut Customer) {
    for s in [
        &mut c.name,
        &mut c.company,
        &mut c.title,
        &mut c.country,
        &mut c.province,
        &mut c.city,
        &mut c.industry,
        &mut c.source,
        &mut c.owner,
    ] {
        trim_in_place(s);
    }
    for list in [&mut c.phones, &mut c.emails, &mut c.needs] {
        list.iter_mut().for_each(trim_in_place);
        list.retain(|x| !x.is_empty());
    }
    c.settle_name_parts();
    c.card.tidy(&c.phones, &c.emails);
    c.settle_addresses();
}

pub(crate) fn write_fields(
    conn: &Conn,
    sql: &str,
    c: &Customer,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    rows::execute_named(
        conn,
        sql,
        named_params! {
            ":id": c.meta.id,
            ":now": now,
            ":name": c.name,
            ":kind": c.kind.as_str(),
            ":company": c.company,
            ":title": c.title,
            ":phones": to_json_list(&c.phones),
            ":emails": to_json_list(&c.emails),
            ":country": c.country,
            ":province": c.province,
            ":city": c.city,
            ":address": c.address,
            ":industry": c.industry,
            ":size": c.size,
            ":source": c.source,
            ":needs": to_json_list(&c.needs),
            ":notes": c.notes,
            ":owner": c.owner,
            ":custom": to_json_map(&c.custom),
            ":card": c.card.to_json(),
        },
    )?;
    Ok(())
}

pub(crate) const INSERT: &str = "INSERT INTO customers (id, created_at, updated_at, version, name, kind, company, title, \
    phones, emails, country, province, city, address, industry, size, source, needs, notes, owner, custom, card) \
    VALUES (NULLIF(:id, 0), :now, :now, 1, :name, :kind, :company, :title, :phones, :emails, :country, :province, :city, \
    :address, :industry, :size, :source, :needs, :notes, :owner, :custom, :card)";

pub(crate) const UPDATE: &str =
    "UPDATE customers SET name = :name, kind = :kind, company = :company, title = :title, \
    phones = :phones, emails = :emails, country = :country, province = :province, city = :city, \
    address = :address, industry = :industry, size = :size, source = :source, needs = :needs, \
    notes = :notes, owner = :owner, custom = :custom, card = :card, updated_at = :now WHERE id = :id";

super::write::plain_stored_record!(Customer, "customers");

/// The tag dimension of address-book groups: `list --tag group=VIP`. The
/// values are the customers' groups, not the classifier's.
pub const GROUP_DIMENSION: &str = "group";

/// Calls `f(id, groups)` for every live customer with groups, in id order.
pub(crate) fn each_with_groups(conn: &Conn, mut f: impl FnMut(i64, &[String])) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, card FROM customers WHERE deleted_at IS NULL AND card LIKE '%\"groups\"%' ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let card = Card::from_json(&r.get::<_, String>(1)?);
        f(r.get(0)?, &card.groups);
    }
    Ok(())
}

/// Ids of live customers in group `value` (any case), in id order.
pub(crate) fn ids_in_group(conn: &Conn, value: &str) -> Result<Vec<i64>> {
    let want = value.trim().to_lowercase();
    let mut out = Vec::new();
    each_with_groups(conn, |id, groups| {
        if groups.iter().any(|g| g.to_lowercase() == want) {
            out.push(id);
        }
    })?;
    Ok(out)
}

/// A customer's groups as tags.
pub(crate) fn group_tags(c: &Customer) -> impl Iterator<Item = crate::classify::Tag> + '_ {
    c.card.groups.iter().map(|g| crate::classify::Tag {
        dimension: GROUP_DIMENSION.into(),
        value: g.clone(),
        reason: "a group of the customer's address-book card".into(),
    })
}

/// A customer's birthday or anniversary falling on a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Occasion {
    pub customer_id: i64,
    pub customer_name: String,
    /// `birthday` or `anniversary`.
    pub what: &'static str,
    /// The next date it falls on (from the day asked).
    pub date: NaiveDate,
    /// The day as kept (`1990-03-15`, or `--03-15` without a year).
    pub day: String,
    /// How many years it will be on `date`, when the year is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub years: Option<i32>,
}

impl Store {
    /// Saves a new customer; returns it with its id and version 1.
    pub fn add_customer(&mut self, customer: &Customer) -> Result<Written<Customer>> {
        self.save_new(customer)
    }

    /// Saves changes to a customer read at `customer.meta.version`.
    pub fn update_customer(&mut self, customer: &Customer) -> Result<Written<Customer>> {
        self.save_existing(customer)
    }

    /// A customer by id, live or in the trash.
    pub fn customer(&self, id: i64) -> Result<Customer> {
        read(&self.conn, id)
    }

    /// Birthdays and anniversaries of live customers falling between `from`
    /// and `to` (both included), soonest first.
    pub fn occasions(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Occasion>> {
        use chrono::Datelike;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, card FROM customers WHERE deleted_at IS NULL \
             AND (card LIKE '%\"birthday\"%' OR card LIKE '%\"anniversary\"%')",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let card = Card::from_json(&r.get::<_, String>(2)?);
            for (what, day) in [
                ("birthday", &card.birthday),
                ("anniversary", &card.anniversary),
            ] {
                let Some(date) = crate::domain::card::next_occurrence(day, from) else {
                    continue;
                };
                if date > to {
                    continue;
                }
                let years = crate::domain::card::day_parts(day)
                    .and_then(|(y, _, _)| y)
                    .map(|y| date.year() - y);
                out.push(Occasion {
                    customer_id: r.get(0)?,
                    customer_name: r.get(1)?,
                    what,
                    date,
                    day: day.clone(),
                    years,
                });
            }
        }
        out.sort_by_key(|o| (o.date, o.customer_id));
        Ok(out)
    }

    /// A page of customers in id order.
    pub fn customers(&self, page: Page) -> Result<Vec<Customer>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM customers WHERE id > ?1 AND {} ORDER BY id LIMIT ?2",
            page.visibility.sql()
        ))?;
        let rows = stmt.query_map(rusqlite::params![page.after, page.limit as i64], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
