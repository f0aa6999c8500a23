//! Queries for browsing a large book in the terminal UI: the sorted list of
//! customer ids (built once per sort, cheap to hold even at a million rows),
//! the few rows on screen fetched by id, and one customer's whole file.
//!
//! Scrolling never touches SQL beyond the visible window: the UI keeps the
//! id list and asks for ~100 rows at a time by primary key.

use super::engine::conn::{params_from_iter, Conn};
use super::{Result, Store};
use crate::domain::{Activity, Customer, Opportunity};
use chrono::NaiveDate;
use std::collections::HashMap;

use super::Tag;

/// A column the customer list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum CustomerSort {
    /// Insertion order (id).
    #[default]
    Id,
    Name,
    Company,
    City,
    /// The `value` tag: high, medium, low, untagged.
    Value,
    /// The `lifecycle` tag: new, growing, stable, churned, untagged.
    Lifecycle,
    /// Most recent touch first; never-contacted last.
    LastContact,
}

impl CustomerSort {
    pub const ALL: [CustomerSort; 7] = [
        CustomerSort::Id,
        CustomerSort::Name,
        CustomerSort::Company,
        CustomerSort::City,
        CustomerSort::Value,
        CustomerSort::Lifecycle,
        CustomerSort::LastContact,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CustomerSort::Id => "id",
            CustomerSort::Name => "name",
            CustomerSort::Company => "company",
            CustomerSort::City => "city",
            CustomerSort::Value => "value",
            CustomerSort::Lifecycle => "lifecycle",
            CustomerSort::LastContact => "last contact",
        }
    }

    /// The next column in the cycle used by the sort key.
    pub fn next(self) -> CustomerSort {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    fn sql(self) -> &'static str {
        match self {
            CustomerSort::Id => {
                "SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY id"
            }
            CustomerSort::Name => {
                "SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id"
            }
            CustomerSort::Company => {
                "SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY company = '', company COLLATE NOCASE, id"
            }
            CustomerSort::City => {
                "SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY city = '', city COLLATE NOCASE, id"
            }
            CustomerSort::Value => {
                "SELECT c.id FROM customers c LEFT JOIN tag_sets t ON t.record_kind = 'customer' \
                 AND t.record_id = c.id WHERE c.deleted_at IS NULL \
                 ORDER BY CASE WHEN instr(t.tags, '\nvalue=high\n') > 0 THEN 0 \
                 WHEN instr(t.tags, '\nvalue=medium\n') > 0 THEN 1 \
                 WHEN instr(t.tags, '\nvalue=low\n') > 0 THEN 2 ELSE 3 END, c.id"
            }
            CustomerSort::Lifecycle => {
                "SELECT c.id FROM customers c LEFT JOIN tag_sets t ON t.record_kind = 'customer' \
                 AND t.record_id = c.id WHERE c.deleted_at IS NULL \
                 ORDER BY CASE WHEN instr(t.tags, '\nlifecycle=new\n') > 0 THEN 0 \
                 WHEN instr(t.tags, '\nlifecycle=growing\n') > 0 THEN 1 \
                 WHEN instr(t.tags, '\nlifecycle=stable\n') > 0 THEN 2 \
                 WHEN instr(t.tags, '\nlifecycle=churned\n') > 0 THEN 3 ELSE 4 END, c.id"
            }
            CustomerSort::LastContact => {
                "SELECT c.id FROM customers c LEFT JOIN (SELECT customer_id, max(date) AS d FROM activities \
                 WHERE deleted_at IS NULL AND kind != 'campaign' GROUP BY customer_id) a ON a.customer_id = c.id \
                 WHERE c.deleted_at IS NULL ORDER BY a.d IS NULL, a.d DESC, c.id"
            }
        }
    }
}

/// What one line of the customer table shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub city: String,
    /// Tags by dimension, sorted by dimension.
    pub tags: Vec<(String, String)>,
    pub last_contact: Option<NaiveDate>,
}

impl CustomerRow {
    /// The value of one tag dimension, if tagged.
    pub fn tag(&self, dimension: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(d, _)| d == dimension)
            .map(|(_, v)| v.as_str())
    }
}

/// Everything the detail pane shows about one customer.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerFile {
    pub customer: Customer,
    pub tags: Vec<Tag>,
    pub opportunities: Vec<Opportunity>,
    pub activities: Vec<Activity>,
}

/// Ids of live customers in `sort` order, on any connection (the UI runs
/// this on a second read-only connection in the background for big books).
pub fn sorted_customer_ids(conn: &Conn, sort: CustomerSort) -> Result<Vec<i64>> {
    sorted_customer_ids_of(conn, sort, None)
}

/// Like [`sorted_customer_ids`], keeping to the customers `owner` owns on a
/// team book (`WHERE owned_by = …` in the same query; see `browse_owner`).
pub fn sorted_customer_ids_of(
    conn: &Conn,
    sort: CustomerSort,
    owner: Option<&str>,
) -> Result<Vec<i64>> {
    use super::browse_owner::owner_clause;
    let params = || params_from_iter(owner);
    // Text columns sort as people read them: Chinese by pinyin.
    let text = match sort {
        CustomerSort::Name => Some(("name", false)),
        CustomerSort::Company => Some(("company", true)),
        CustomerSort::City => Some(("city", true)),
        _ => None,
    };
    if let Some((column, empty_last)) = text {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, coalesce({column}, '') FROM customers WHERE deleted_at IS NULL{}",
            owner_clause(owner, "")
        ))?;
        let rows = stmt.query_map(params(), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        return Ok(crate::search::sort_ids_by_text(rows, empty_last));
    }
    let sql = match owner {
        None => sort.sql().to_string(),
        Some(_) => sort
            .sql()
            .replacen(
                "WHERE deleted_at IS NULL",
                &format!("WHERE deleted_at IS NULL{}", owner_clause(owner, "")),
                1,
            )
            .replacen(
                "WHERE c.deleted_at IS NULL",
                &format!("WHERE c.deleted_at IS NULL{}", owner_clause(owner, "c.")),
                1,
            ),
    };
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params(), |r| r.get::<_, i64>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(",")
}

impl Store {
    /// True when no table holds a row, live or trashed. Unlike counting,
    /// this costs one index probe per table on a book of any size.
    pub fn has_no_records(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM customers) AND NOT EXISTS (SELECT 1 FROM opportunities) \
             AND NOT EXISTS (SELECT 1 FROM products) AND NOT EXISTS (SELECT 1 FROM activities)",
            [],
            |r| r.get(0),
        )?)
    }

    /// The highest customer id: a cheap upper bound of the book's size.
    pub fn max_customer_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM customers", [], |r| {
                r.get(0)
            })?)
    }

    /// The first `limit` live customer ids in id order: the rowid index
    /// answers at once, so a big book's first screen need not wait for the
    /// whole list.
    pub fn first_customer_ids(&self, limit: usize) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| r.get::<_, i64>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Ids of live customers in `sort` order.
    pub fn customer_ids(&self, sort: CustomerSort) -> Result<Vec<i64>> {
        sorted_customer_ids(&self.conn, sort)
    }

    /// Ids of live customers in `sort` order, only `owner`'s when given
    /// (a team book's "mine").
    pub fn customer_ids_of(&self, sort: CustomerSort, owner: Option<&str>) -> Result<Vec<i64>> {
        sorted_customer_ids_of(&self.conn, sort, owner)
    }

    /// The table rows for `ids`, in the order given (missing ids are skipped).
    pub fn customer_rows(&self, ids: &[i64]) -> Result<Vec<CustomerRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ph = placeholders(ids.len());
        let mut by_id: HashMap<i64, CustomerRow> = HashMap::with_capacity(ids.len());
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, name, company, city FROM customers WHERE id IN ({ph})"
        ))?;
        let rows = stmt.query_map(params_from_iter(ids), |r| {
            Ok(CustomerRow {
                id: r.get(0)?,
                name: r.get(1)?,
                company: r.get(2)?,
                city: r.get(3)?,
                ..Default::default()
            })
        })?;
        for row in rows {
            let row = row?;
            by_id.insert(row.id, row);
        }
        let mut stmt = self.conn.prepare(&format!(
            "SELECT record_id, tags FROM tag_sets WHERE record_kind = 'customer' \
             AND record_id IN ({ph})"
        ))?;
        let mut rows = stmt.query(params_from_iter(ids))?;
        while let Some(r) = rows.next()? {
            if let Some(row) = by_id.get_mut(&r.get::<_, i64>(0)?) {
                row.tags = super::tags::decode_tags(&r.get::<_, String>(1)?);
            }
        }
        let mut stmt = self.conn.prepare(&format!(
            "SELECT customer_id, max(date) FROM activities WHERE customer_id IN ({ph}) \
             AND deleted_at IS NULL AND kind != 'campaign' GROUP BY customer_id"
        ))?;
        let mut rows = stmt.query(params_from_iter(ids))?;
        while let Some(r) = rows.next()? {
            if let Some(row) = by_id.get_mut(&r.get::<_, i64>(0)?) {
                row.last_contact = r.get(1)?;
            }
        }
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// One customer's whole file: fields, tags with reasons, deals, timeline.
    pub fn customer_file(&self, id: i64) -> Result<CustomerFile> {
        Ok(CustomerFile {
            customer: self.customer(id)?,
            tags: self.tags(crate::domain::Kind::Customer, id)?,
            opportunities: self.opportunities_of_customer(id)?,
            activities: self.activities_of_customer(id)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ActivityKind, Clock, Kind};

    #[test]
    fn sorts_and_fetches_windows() {
        let clock = Clock::at_date(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        let mut s = Store::open_in_memory_with_clock(clock).unwrap();
        let mut b = Customer::named("bob");
        b.city = "Shanghai".into();
        let b = s.add_customer(&b).unwrap();
        let a = s.add_customer(&Customer::named("Ann")).unwrap();
        let z = s.add_customer(&Customer::named("张伟")).unwrap();
        s.add_activity(&Activity {
            kind: ActivityKind::Call,
            customer_id: Some(a.meta.id),
            date: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            s.customer_ids(CustomerSort::Name).unwrap(),
            vec![a.meta.id, b.meta.id, z.meta.id]
        );
        assert_eq!(s.customer_ids(CustomerSort::City).unwrap()[0], b.meta.id);
        assert_eq!(
            s.customer_ids(CustomerSort::LastContact).unwrap()[0],
            a.meta.id
        );
        let rows = s.customer_rows(&[z.meta.id, a.meta.id]).unwrap();
        assert_eq!(rows[0].name, "张伟");
        assert_eq!(rows[1].last_contact, NaiveDate::from_ymd_opt(2026, 2, 1));
        s.delete(Kind::Customer, b.meta.id, None).unwrap();
        assert_eq!(s.customer_ids(CustomerSort::Id).unwrap().len(), 2);
        let file = s.customer_file(a.meta.id).unwrap();
        assert_eq!(file.activities.len(), 1);
    }
}
