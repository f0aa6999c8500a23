//! Queries behind the Opportunities, Products and Activities tabs: tags of
//! many records at once, customer names for a list, one deal's file, and
//! the fuzzy pickers a form uses to link a customer, product or campaign.

use super::engine::conn::Row;
use super::{Result, Store, Tag};
use crate::domain::{Customer, Kind, Money, Opportunity};
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use rusqlite::params;
use std::collections::HashMap;

/// Tags by record id: `(dimension, value)` pairs sorted by dimension.
pub type TagMap = HashMap<i64, Vec<(String, String)>>;

/// Everything the detail pane shows about one deal.
#[derive(Debug, Clone, PartialEq)]
pub struct DealFile {
    pub deal: Opportunity,
    pub tags: Vec<Tag>,
    pub customer: Option<Customer>,
    pub customer_tags: Vec<Tag>,
    /// Names of the products on its line items.
    pub products: HashMap<i64, String>,
    /// The sourcing campaign's name.
    pub campaign: Option<String>,
}

/// What a link picker can look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickKind {
    Customer,
    Product,
    Campaign,
    Opportunity,
    /// The deals of one customer (0: none chosen yet), led by a "no deal"
    /// option with id 0.
    DealOf(i64),
}

/// One option of a link picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: i64,
    pub label: String,
    /// Second column: company, SKU and price, dates.
    pub detail: String,
    /// A product's list price (fills the line item's unit price).
    pub price: Option<Money>,
}

/// `%a%b%c%`: a LIKE pattern matching the characters in order.
fn subsequence_pattern(query: &str) -> String {
    let mut p = String::from("%");
    for ch in query.chars().filter(|c| !c.is_whitespace()) {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
        p.push('%');
    }
    p
}

/// `zw` and `zhangwei` for 张伟: what a Latin query matches Chinese text by.
fn pinyin_keys(text: &str) -> (String, String) {
    use pinyin::ToPinyin;
    let (mut initials, mut full) = (String::new(), String::new());
    for ch in text.chars() {
        match ch.to_pinyin() {
            Some(p) => {
                initials.push_str(p.first_letter());
                full.push_str(p.plain());
            }
            None if ch.is_ascii_alphanumeric() => {
                initials.push(ch.to_ascii_lowercase());
                full.push(ch.to_ascii_lowercase());
            }
            None => {}
        }
    }
    (initials, full)
}

fn choice_row(r: &Row<'_>) -> rusqlite::Result<Choice> {
    Ok(Choice {
        id: r.get(0)?,
        label: r.get(1)?,
        detail: match r.get::<_, rusqlite::types::Value>(2)? {
            rusqlite::types::Value::Text(s) => s,
            rusqlite::types::Value::Integer(n) => n.to_string(),
            _ => String::new(),
        },
        price: r.get::<_, Option<i64>>(3)?.map(Money),
    })
}

/// Rows scanned for pinyin matches at most (the picker stays instant on a
/// big book; the search index covers the rest).
const PINYIN_SCAN: i64 = 20_000;

impl Store {
    /// Every tag of the live records of `kind` (one query; for the tabs
    /// whose lists are held whole).
    pub fn tag_map(&self, kind: Kind) -> Result<TagMap> {
        self.tag_map_upto(kind, i64::MAX)
    }

    /// Tags of the live records of `kind` with ids up to `max_id` (a list
    /// holding the first page of a big book reads only that page's tags).
    pub fn tag_map_upto(&self, kind: Kind, max_id: i64) -> Result<TagMap> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT t.record_id, t.tags FROM tag_sets t JOIN {} r ON r.id = t.record_id \
             WHERE t.record_kind = ?1 AND t.record_id <= ?2 AND r.deleted_at IS NULL",
            kind.table()
        ))?;
        let mut out: TagMap = HashMap::new();
        let mut rows = stmt.query(rusqlite::params![kind.as_str(), max_id])?;
        while let Some(r) = rows.next()? {
            out.insert(r.get(0)?, super::tags::decode_tags(&r.get::<_, String>(1)?));
        }
        Ok(out)
    }

    /// Names of the customers with the given ids (trashed ones included).
    pub fn customer_names(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM customers WHERE id = ?1")?;
        let mut out = HashMap::new();
        for &id in ids {
            if out.contains_key(&id) {
                continue;
            }
            let mut rows = stmt.query([id])?;
            if let Some(r) = rows.next()? {
                out.insert(id, r.get(0)?);
            }
        }
        Ok(out)
    }

    /// One deal with its tags, its customer's summary and the names of the
    /// products and campaign it links.
    pub fn deal_file(&self, id: i64) -> Result<DealFile> {
        let deal = self.opportunity(id)?;
        let customer = self.customer(deal.customer_id).ok();
        let customer_tags = match &customer {
            Some(c) => self.tags(Kind::Customer, c.meta.id)?,
            None => Vec::new(),
        };
        let mut products = HashMap::new();
        for item in &deal.items {
            if let Ok(p) = self.product(item.product_id) {
                products.insert(p.meta.id, p.name);
            }
        }
        let campaign = deal
            .campaign_id
            .and_then(|c| self.activity(c).ok())
            .map(|a| a.summary);
        Ok(DealFile {
            tags: self.tags(Kind::Opportunity, id)?,
            deal,
            customer,
            customer_tags,
            products,
            campaign,
        })
    }

    /// Live records of `kind` matching `query` fuzzily, best first. An empty
    /// query lists the most recent ones.
    pub fn pick(&self, kind: PickKind, query: &str, limit: usize) -> Result<Vec<Choice>> {
        let sql = match kind {
            PickKind::Customer => {
                "SELECT id, name, company, NULL FROM customers WHERE deleted_at IS NULL \
                 AND (name LIKE ?1 ESCAPE '\\' OR company LIKE ?1 ESCAPE '\\') ORDER BY id DESC LIMIT ?2"
            }
            PickKind::Product => {
                "SELECT id, name, sku, price FROM products WHERE deleted_at IS NULL AND active = 1 \
                 AND (name LIKE ?1 ESCAPE '\\' OR sku LIKE ?1 ESCAPE '\\') ORDER BY id DESC LIMIT ?2"
            }
            PickKind::Campaign => {
                "SELECT id, summary, date, NULL FROM activities WHERE deleted_at IS NULL \
                 AND kind = 'campaign' AND summary LIKE ?1 ESCAPE '\\' ORDER BY date DESC LIMIT ?2"
            }
            PickKind::Opportunity => {
                "SELECT id, title, stage, NULL FROM opportunities WHERE deleted_at IS NULL \
                 AND title LIKE ?1 ESCAPE '\\' ORDER BY id DESC LIMIT ?2"
            }
            PickKind::DealOf(customer) => return self.pick_deal_of(customer, query, limit),
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params![subsequence_pattern(query), 500], choice_row)?;
        let mut found: Vec<Choice> = rows.collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        let q: String = query.chars().filter(|c| !c.is_whitespace()).collect();
        let m = SkimMatcherV2::default();
        let pinyin_score = |c: &Choice| -> Option<i64> {
            let (initials, full) = pinyin_keys(&c.label);
            m.fuzzy_match(&initials, &q).max(m.fuzzy_match(&full, &q))
        };
        if !q.is_empty() && q.is_ascii() && found.len() < limit {
            // Chinese labels matched by pinyin or initials (`zw` → 张伟).
            let scan = match kind {
                PickKind::Customer => {
                    "SELECT id, name, company, NULL FROM customers WHERE deleted_at IS NULL \
                     AND name GLOB '*[^ -~]*' ORDER BY id DESC LIMIT ?1"
                }
                PickKind::Product => {
                    "SELECT id, name, sku, price FROM products WHERE deleted_at IS NULL AND active = 1 \
                     AND name GLOB '*[^ -~]*' ORDER BY id DESC LIMIT ?1"
                }
                PickKind::Campaign => {
                    "SELECT id, summary, date, NULL FROM activities WHERE deleted_at IS NULL \
                     AND kind = 'campaign' AND summary GLOB '*[^ -~]*' ORDER BY date DESC LIMIT ?1"
                }
                PickKind::Opportunity | PickKind::DealOf(_) => {
                    "SELECT id, title, stage, NULL FROM opportunities WHERE deleted_at IS NULL \
                     AND title GLOB '*[^ -~]*' ORDER BY id DESC LIMIT ?1"
                }
            };
            let mut all = self.conn.prepare_cached(scan)?;
            let more = all.query_map(params![PINYIN_SCAN], choice_row)?;
            for c in more {
                let c = c?;
                if found.len() >= limit {
                    break;
                }
                if !found.iter().any(|f| f.id == c.id) && pinyin_score(&c).is_some() {
                    found.push(c);
                }
            }
        }
        if !q.is_empty() {
            let mut scored: Vec<(i64, Choice)> = found
                .into_iter()
                .map(|c| {
                    let s = m
                        .fuzzy_match(&c.label, &q)
                        .max(m.fuzzy_match(&c.detail, &q))
                        .max(pinyin_score(&c))
                        .unwrap_or(0);
                    (s, c)
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
            found = scored.into_iter().map(|(_, c)| c).collect();
        }
        found.truncate(limit);
        if kind == PickKind::Product {
            for c in &mut found {
                if let Some(p) = c.price {
                    c.detail = format!("{} · {}", c.detail, p.display_plain());
                }
            }
        }
        Ok(found)
    }

    /// The deals of `customer` matching `query`, after a "no deal" option.
    fn pick_deal_of(&self, customer: i64, query: &str, limit: usize) -> Result<Vec<Choice>> {
        let mut found = vec![Choice {
            id: 0,
            label: "— no deal".into(),
            detail: String::new(),
            price: None,
        }];
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, stage, NULL FROM opportunities WHERE deleted_at IS NULL \
             AND customer_id = ?1 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([customer], choice_row)?;
        let q: String = query.chars().filter(|c| !c.is_whitespace()).collect();
        let m = SkimMatcherV2::default();
        let mut scored: Vec<(i64, Choice)> = Vec::new();
        for c in rows {
            let c = c?;
            let (initials, full) = pinyin_keys(&c.label);
            let score = if q.is_empty() {
                Some(0)
            } else {
                m.fuzzy_match(&c.label, &q)
                    .max(m.fuzzy_match(&c.detail, &q))
                    .max(m.fuzzy_match(&initials, &q))
                    .max(m.fuzzy_match(&full, &q))
            };
            if let Some(s) = score {
                scored.push((s, c));
            }
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.id.cmp(&a.1.id)));
        found.extend(scored.into_iter().map(|(_, c)| c).take(limit));
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Clock, Product};

    #[test]
    fn picks_by_subsequence_and_ranks() {
        let clock = Clock::at_date(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        let mut s = Store::open_in_memory_with_clock(clock).unwrap();
        s.add_customer(&Customer::named("张伟")).unwrap();
        s.add_customer(&Customer::named("Zhang Wei")).unwrap();
        s.add_customer(&Customer::named("Alice")).unwrap();
        let found = s.pick(PickKind::Customer, "zw", 10).unwrap();
        let labels: Vec<&str> = found.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels.len(), 2, "{labels:?}");
        assert!(labels.contains(&"Zhang Wei") && labels.contains(&"张伟"));
        assert_eq!(s.pick(PickKind::Customer, "zhangw", 10).unwrap().len(), 2);
        assert_eq!(s.pick(PickKind::Customer, "张", 10).unwrap().len(), 1);
        assert_eq!(s.pick(PickKind::Customer, "", 10).unwrap().len(), 3);
        let mut p = Product::named("Kettle 50%");
        p.price = Money::from_units(120);
        s.add_product(&p).unwrap();
        let found = s.pick(PickKind::Product, "50%", 10).unwrap();
        assert_eq!(found[0].price, Some(Money::from_units(120)));
    }
}
