//! Paging through the deal, product and activity lists of a big book, the
//! way the customer list does: the ids in display order (with a deal's
//! stage and amount, so the board can group and total them), then the few
//! records on screen by id. Tag filters and tag-column sorts go through
//! the tag functions of `tags.rs` and `reports.rs`.

use super::engine::conn::params_from_iter;
use super::{Result, Store, TagMap};
use crate::classify::Subject;
use crate::domain::{Activity, Kind, Opportunity, Product, Stage};
use std::collections::{HashMap, HashSet};

/// A column a record list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListSort {
    /// Deals and products by id; activities newest first.
    #[default]
    Default,
    Title,
    /// The linked customer's name.
    Customer,
    Amount,
    Stage,
    /// A deal's close date (the expected one while open).
    Close,
    Name,
    Sku,
    Category,
    Price,
    Brand,
    Audience,
    Date,
    ActivityKind,
    Summary,
    Sentiment,
    FollowUp,
    /// The value of a tag dimension, best first (see [`TAG_ORDER`]).
    Tag(&'static str),
}

/// The order tag values sort in (best first); other values after, by name,
/// then untagged records.
pub const TAG_ORDER: [&str; 16] = [
    "high", "big", "hot", "urgent", "medium", "mid", "normal", "low", "small", "slow", "online",
    "offline", "large", "long", "short", "none",
];

/// Which records of a list, in which order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// Opportunity, Product or Activity.
    pub kind: Kind,
    pub sort: ListSort,
    pub descending: bool,
    /// Only records tagged `dimension = value`.
    pub filter: Option<(String, String)>,
    /// Activities: `Some(true)` campaigns only, `Some(false)` touches only.
    pub campaigns: Option<bool>,
    /// On a team book: only the records this role owns ("mine").
    pub owner: Option<String>,
}

/// One record of a list: its id, and for a deal its stage (index into
/// [`Stage::ALL`]), amount in minor units and currency code (3 bytes, so
/// sums per currency need no string per entry on a big book).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListEntry {
    pub id: i64,
    pub stage: u8,
    pub amount: i64,
    pub currency: [u8; 3],
}

impl ListEntry {
    /// The deal's currency code (`CNY`); empty for other records.
    pub fn currency(&self) -> &str {
        std::str::from_utf8(&self.currency)
            .unwrap_or_default()
            .trim_end_matches('\0')
    }
}

/// A currency code as kept in a [`ListEntry`].
fn currency_code(text: &str) -> [u8; 3] {
    let mut out = [0u8; 3];
    for (o, b) in out.iter_mut().zip(text.trim().to_ascii_uppercase().bytes()) {
        *o = b;
    }
    out
}

/// The records on screen: rows, their tags, and their customers' names.
#[derive(Debug, Clone, PartialEq)]
pub enum ListRows {
    Deals(Vec<Opportunity>),
    Products(Vec<Product>),
    Activities(Vec<Activity>),
}

fn order_by(q: &ListQuery) -> &'static str {
    use ListSort::*;
    match (q.kind, q.sort) {
        (Kind::Opportunity, Title) => "r.title COLLATE NOCASE, r.id",
        (Kind::Opportunity, Customer) | (Kind::Activity, Customer) => "c.name COLLATE NOCASE, r.id",
        (Kind::Opportunity, Amount) => "r.amount, r.id",
        (Kind::Opportunity, Stage) => "2, r.id",
        (Kind::Opportunity, Close) => {
            "CASE WHEN r.stage IN ('won', 'lost') THEN coalesce(r.closed_on, r.expected_close) \
             ELSE r.expected_close END IS NULL, \
             CASE WHEN r.stage IN ('won', 'lost') THEN coalesce(r.closed_on, r.expected_close) \
             ELSE r.expected_close END, r.id"
        }
        (Kind::Product, Name) => "r.name COLLATE NOCASE, r.id",
        (Kind::Product, Sku) => "r.sku COLLATE NOCASE, r.id",
        (Kind::Product, Category) => "r.category COLLATE NOCASE, r.id",
        (Kind::Product, Price) => "r.price, r.id",
        (Kind::Product, Brand) => "r.brand COLLATE NOCASE, r.id",
        (Kind::Product, Audience) => "r.audience COLLATE NOCASE, r.id",
        (Kind::Activity, Date) => "r.date, r.id",
        (Kind::Activity, ActivityKind) => "r.kind, r.id",
        (Kind::Activity, Summary) => "r.summary COLLATE NOCASE, r.id",
        (Kind::Activity, Sentiment) => "coalesce(r.sentiment, ''), r.id",
        (Kind::Activity, FollowUp) => "r.next_follow_up IS NULL, r.next_follow_up, r.id",
        (Kind::Activity, _) => "r.date DESC, r.id DESC",
        _ => "r.id",
    }
}

/// The text column of a text sort, which is sorted again in Rust so that
/// Chinese sorts by pinyin ([`crate::search::sort_key`]).
fn text_sort(q: &ListQuery) -> Option<&'static str> {
    use ListSort::*;
    match (q.kind, q.sort) {
        (Kind::Opportunity, Title) => Some("r.title"),
        (Kind::Opportunity, Customer) | (Kind::Activity, Customer) => Some("c.name"),
        (Kind::Product, Name) => Some("r.name"),
        (Kind::Product, Category) => Some("r.category"),
        (Kind::Product, Brand) => Some("r.brand"),
        (Kind::Activity, Summary) => Some("r.summary"),
        _ => None,
    }
}

/// `CASE r.stage WHEN 'prospect' THEN 0 … END`: a deal's stage index.
fn stage_index() -> String {
    let mut s = String::from("CASE r.stage");
    for (i, stage) in Stage::ALL.iter().enumerate() {
        s.push_str(&format!(" WHEN '{}' THEN {i}", stage.as_str()));
    }
    s.push_str(" ELSE 0 END");
    s
}

impl Store {
    /// The live records of a list in display order (the whole list, filter
    /// and sort applied; at 700k deals this is 17 MB).
    pub fn list_entries(&self, q: &ListQuery) -> Result<Vec<ListEntry>> {
        let deals = q.kind == Kind::Opportunity;
        let (stage, amount, currency) = if deals {
            (stage_index(), "r.amount", "r.currency")
        } else {
            ("0".to_string(), "0", "''")
        };
        let join = if matches!(q.sort, ListSort::Customer) {
            "LEFT JOIN customers c ON c.id = r.customer_id"
        } else {
            ""
        };
        let only = match (q.kind, q.campaigns) {
            (Kind::Activity, Some(true)) => "AND r.kind = 'campaign'",
            (Kind::Activity, Some(false)) => "AND r.kind != 'campaign'",
            _ => "",
        };
        let text = text_sort(q);
        let sql = format!(
            "SELECT r.id, {stage}, {amount}, {currency}, coalesce({}, '') FROM {} r {join} \
             WHERE r.deleted_at IS NULL {only}{} ORDER BY {}",
            text.unwrap_or("''"),
            q.kind.table(),
            super::browse_owner::owner_clause(q.owner.as_deref(), "r."),
            if text.is_some() { "r.id" } else { order_by(q) }
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(q.owner.iter()), |r| {
            Ok((
                ListEntry {
                    id: r.get(0)?,
                    stage: r.get::<_, i64>(1)? as u8,
                    amount: r.get(2)?,
                    currency: currency_code(&r.get::<_, String>(3)?),
                },
                r.get::<_, String>(4)?,
            ))
        })?;
        let rows: Vec<(ListEntry, String)> = rows.collect::<rusqlite::Result<_>>()?;
        let mut out: Vec<ListEntry> = if text.is_some() {
            use rayon::prelude::*;
            let mut keyed: Vec<(String, ListEntry)> = rows
                .into_par_iter()
                .map(|(e, t)| (crate::search::sort_key(&t), e))
                .collect();
            keyed.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
            keyed.into_iter().map(|(_, e)| e).collect()
        } else {
            rows.into_iter().map(|(e, _)| e).collect()
        };
        if let ListSort::Tag(dimension) = q.sort {
            let rank = self.tag_ranks(q.kind, dimension)?;
            // Stable: records of one value stay in id order.
            out.sort_by_key(|e| rank.get(&e.id).copied().unwrap_or(usize::MAX));
        }
        if let Some((d, v)) = &q.filter {
            let keep: HashSet<i64> = self.ids_with_tag(q.kind, d, v)?.into_iter().collect();
            out.retain(|e| keep.contains(&e.id));
        }
        if q.descending {
            out.reverse();
        }
        Ok(out)
    }

    /// Each tagged record's place in the order of `dimension`'s values
    /// (one scan: the values met are ranked once it is done).
    fn tag_ranks(&self, kind: Kind, dimension: &str) -> Result<HashMap<i64, usize>> {
        let finder = super::tags::DimFinder::new(dimension);
        let mut values: Vec<String> = Vec::new();
        let mut found: Vec<(i64, usize)> = Vec::new();
        super::tags::for_each_live_set(&self.conn, kind, |id, set| {
            if let Some(v) = finder.value_in(set) {
                let i = match values.iter().position(|x| x == v) {
                    Some(i) => i,
                    None => {
                        values.push(v.to_string());
                        values.len() - 1
                    }
                };
                found.push((id, i));
            }
        })?;
        let known = |v: &str| TAG_ORDER.iter().position(|o| *o == v);
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&values[a], &values[b]);
            match (known(a), known(b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.cmp(b),
            }
        });
        // place[i]: where value i stands in that order.
        let mut place = vec![0; values.len()];
        for (at, &i) in order.iter().enumerate() {
            place[i] = at;
        }
        Ok(found.into_iter().map(|(id, i)| (id, place[i])).collect())
    }

    /// The tags carried by the live records of `kind`, with how many carry
    /// each: the options of a list's tag filter.
    pub fn tag_counts(&mut self, kind: Kind) -> Result<Vec<(String, String, usize)>> {
        let subjects: &[Subject] = match kind {
            Kind::Customer => &[Subject::Customer],
            Kind::Opportunity => &[Subject::Opportunity],
            Kind::Product => &[Subject::Product],
            Kind::Activity => &[Subject::Campaign],
        };
        let mut dims: Vec<String> = Vec::new();
        let rules = self.rules()?;
        for s in subjects {
            dims.extend(rules.dimensions(*s).iter().map(|d| d.name.clone()));
        }
        if kind == Kind::Customer {
            // Address-book groups filter like tags.
            dims.push(super::customers::GROUP_DIMENSION.to_string());
        }
        dims.sort();
        dims.dedup();
        let mut all = self.tag_distributions(kind)?;
        let mut out = Vec::new();
        for d in dims {
            if let Some(values) = all.remove(&d) {
                out.extend(values.into_iter().map(|(v, n)| (d.clone(), v, n as usize)));
            }
        }
        Ok(out)
    }

    /// The records with these ids, in the order given (missing ones are
    /// skipped), their tags, and the names of the customers they link.
    pub fn list_rows(
        &self,
        kind: Kind,
        ids: &[i64],
    ) -> Result<(ListRows, TagMap, HashMap<i64, String>)> {
        let mut tags = TagMap::new();
        for &id in ids {
            tags.insert(id, self.tag_values(kind, id)?.into_iter().collect());
        }
        let (rows, customers) = match kind {
            Kind::Opportunity => {
                let mut v = Vec::new();
                for &id in ids {
                    v.extend(found(self.opportunity(id))?);
                }
                let c: Vec<i64> = v.iter().map(|o: &Opportunity| o.customer_id).collect();
                (ListRows::Deals(v), c)
            }
            Kind::Activity => {
                let mut v = Vec::new();
                for &id in ids {
                    v.extend(found(self.activity(id))?);
                }
                let c: Vec<i64> = v.iter().filter_map(|a: &Activity| a.customer_id).collect();
                (ListRows::Activities(v), c)
            }
            _ => {
                let mut v = Vec::new();
                for &id in ids {
                    v.extend(found(self.product(id))?);
                }
                (ListRows::Products(v), Vec::new())
            }
        };
        Ok((rows, tags, self.customer_names(&customers)?))
    }
}

/// A record read by id, or None when it went in the meantime.
fn found<T>(r: Result<T>) -> Result<Option<T>> {
    match r {
        Err(super::StoreError::NotFound { .. }) => Ok(None),
        other => other.map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Product;

    #[test]
    fn a_tag_sort_puts_known_values_first_then_others_by_name_then_untagged() {
        let mut s = Store::open_in_memory().unwrap();
        let mut ids = Vec::new();
        for n in 0..6 {
            ids.push(
                s.add_product(&Product::named(&format!("p{n}")))
                    .unwrap()
                    .meta
                    .id,
            );
        }
        // p5 has no "sales" tag at all.
        s.conn()
            .execute("DELETE FROM tag_sets WHERE record_id = ?1", [ids[5]])
            .unwrap();
        for (id, v) in ids.iter().zip(["slow", "zeta", "hot", "alpha", "slow"]) {
            let set = super::super::tags::encode([("sales", v)]);
            s.conn()
                .execute(
                    "INSERT INTO tag_sets (record_kind, record_id, tags) VALUES ('product', ?1, ?2) ON CONFLICT (record_kind, record_id) DO UPDATE SET tags = excluded.tags",
                    rusqlite::params![id, set],
                )
                .unwrap();
        }
        let q = ListQuery {
            kind: Kind::Product,
            sort: ListSort::Tag("sales"),
            descending: false,
            filter: None,
            campaigns: None,
            owner: None,
        };
        let got: Vec<i64> = s.list_entries(&q).unwrap().iter().map(|e| e.id).collect();
        // hot, slow (twice, in id order), alpha, zeta, untagged.
        assert_eq!(got, [ids[2], ids[0], ids[4], ids[3], ids[1], ids[5]]);
    }
}
