//! Detail queries for the Products and Activities tabs: a product's units
//! sold by month and who bought it; a touch's links; a campaign's sourced
//! deals, won revenue and return on its cost.

use super::{Result, Store, Tag};
use crate::domain::{Activity, Kind, Money, Opportunity, Product, Stage};
use chrono::{Datelike, NaiveDate};
use rusqlite::params;

/// A customer who bought a product (won deals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buyer {
    pub customer_id: i64,
    pub name: String,
    pub units: i64,
    pub last: Option<NaiveDate>,
}

/// Everything the detail pane shows about one product.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductFile {
    pub product: Product,
    pub tags: Vec<Tag>,
    /// Units sold per month, oldest first: the last 12 months ending with
    /// the current one (`YYYY-MM`).
    pub monthly: Vec<(String, i64)>,
    pub buyers: Vec<Buyer>,
}

/// Everything the detail pane shows about one activity.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFile {
    pub activity: Activity,
    pub tags: Vec<Tag>,
    pub customer: Option<(i64, String)>,
    pub deal: Option<(i64, String)>,
    /// A campaign's sourced deals (live), newest first.
    pub sourced: Vec<Opportunity>,
    /// Revenue of the sourced deals that were won.
    pub won_revenue: Money,
}

impl ActivityFile {
    /// Return on a campaign's cost: (won revenue − cost) / cost.
    pub fn roi(&self) -> Option<f64> {
        let cost = self.activity.campaign.as_ref()?.cost;
        (cost.0 > 0).then(|| (self.won_revenue.0 - cost.0) as f64 / cost.0 as f64)
    }
}

fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// A customer the tags flag as at risk of leaving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChurnRisk {
    pub customer_id: i64,
    pub name: String,
    /// `lifecycle:churned`, `rfm:at_risk`, …
    pub tag: String,
    pub reason: String,
}

impl Store {
    /// Customers tagged churned (lifecycle), at risk or can't-lose (RFM),
    /// or lost (loyalty); highest value first. The first `limit`, and how
    /// many there are in all.
    pub fn churn_risk(&self, limit: usize) -> Result<(Vec<ChurnRisk>, usize)> {
        use super::tags::{for_each_live_set, DimFinder};
        let (lifecycle, rfm, value) = (
            DimFinder::new("lifecycle"),
            DimFinder::new("rfm"),
            DimFinder::new("value"),
        );
        // (value rank, id, tag) of every customer at risk, in one scan.
        let mut found: Vec<(u8, i64, String)> = Vec::new();
        for_each_live_set(&self.conn, Kind::Customer, |id, set| {
            let tag = if lifecycle.value_in(set) == Some("churned") {
                "lifecycle:churned".to_string()
            } else {
                match rfm.value_in(set) {
                    Some(v @ ("at_risk" | "cant_lose")) => format!("rfm:{v}"),
                    _ => return,
                }
            };
            let rank = match value.value_in(set) {
                Some("high") => 0,
                Some("medium") => 1,
                _ => 2,
            };
            found.push((rank, id, tag));
        })?;
        found.sort_unstable();
        let total = found.len();
        found.truncate(limit);
        let ids: Vec<i64> = found.iter().map(|f| f.1).collect();
        let names = self.customer_names(&ids)?;
        // Reasons are rendered from today's facts, for these few only.
        let mut out = Vec::with_capacity(found.len());
        for (_, customer_id, tag) in found {
            let dim = tag.split(':').next().unwrap_or_default();
            let reason = self
                .tags(Kind::Customer, customer_id)?
                .into_iter()
                .find(|t| t.dimension == dim)
                .map(|t| t.reason)
                .unwrap_or_default();
            out.push(ChurnRisk {
                customer_id,
                name: names.get(&customer_id).cloned().unwrap_or_default(),
                tag,
                reason,
            });
        }
        Ok((out, total))
    }

    pub fn product_file(&self, id: i64, today: NaiveDate) -> Result<ProductFile> {
        let product = self.product(id)?;
        let mut monthly: Vec<(String, i64)> = Vec::new();
        let (mut y, mut m) = (today.year(), today.month());
        for _ in 0..12 {
            monthly.push((format!("{y:04}-{m:02}"), 0));
            if m == 1 {
                y -= 1;
                m = 12;
            } else {
                m -= 1;
            }
        }
        monthly.reverse();
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.closed_on, li.quantity, o.customer_id, c.name FROM line_items li
             JOIN opportunities o ON o.id = li.opportunity_id
             JOIN customers c ON c.id = o.customer_id
             WHERE li.product_id = ?1 AND o.stage = 'won' AND o.deleted_at IS NULL
             ORDER BY o.closed_on DESC",
        )?;
        let mut buyers: Vec<Buyer> = Vec::new();
        let mut rows = stmt.query(params![id])?;
        while let Some(r) = rows.next()? {
            let closed: Option<NaiveDate> = r.get(0)?;
            let units: i64 = r.get(1)?;
            let cid: i64 = r.get(2)?;
            if let Some(d) = closed {
                let key = month_key(d);
                if let Some(slot) = monthly.iter_mut().find(|(k, _)| *k == key) {
                    slot.1 += units;
                }
            }
            match buyers.iter_mut().find(|b| b.customer_id == cid) {
                Some(b) => b.units += units,
                None => buyers.push(Buyer {
                    customer_id: cid,
                    name: r.get(3)?,
                    units,
                    last: closed,
                }),
            }
        }
        Ok(ProductFile {
            tags: self.tags(Kind::Product, id)?,
            product,
            monthly,
            buyers,
        })
    }

    pub fn activity_file(&self, id: i64) -> Result<ActivityFile> {
        let activity = self.activity(id)?;
        let customer = activity
            .customer_id
            .and_then(|c| self.customer(c).ok())
            .map(|c| (c.meta.id, c.name));
        let deal = activity
            .opportunity_id
            .and_then(|o| self.opportunity(o).ok())
            .map(|o| (o.meta.id, o.title));
        let mut sourced = Vec::new();
        if !activity.kind.is_touch() {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id FROM opportunities WHERE campaign_id = ?1 AND deleted_at IS NULL ORDER BY id DESC",
            )?;
            let ids = stmt
                .query_map([id], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            for oid in ids {
                sourced.push(self.opportunity(oid)?);
            }
        }
        let won_revenue = sourced
            .iter()
            .filter(|o| o.stage == Stage::Won)
            .map(|o| o.amount)
            .sum();
        Ok(ActivityFile {
            tags: self.tags(Kind::Activity, id)?,
            activity,
            customer,
            deal,
            sourced,
            won_revenue,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ActivityKind, Campaign, Clock, Customer, LineItem};

    #[test]
    fn product_sales_by_month_and_campaign_roi() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let mut s = Store::open_in_memory_with_clock(Clock::at_date(today)).unwrap();
        let c = s.add_customer(&Customer::named("C")).unwrap().meta.id;
        let p = s.add_product(&Product::named("P")).unwrap().meta.id;
        let camp = s
            .add_activity(&Activity {
                kind: ActivityKind::Campaign,
                date: today,
                summary: "Expo".into(),
                campaign: Some(Campaign {
                    cost: Money::from_units(1000),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .unwrap()
            .meta
            .id;
        s.add_opportunity(&Opportunity {
            customer_id: c,
            title: "won".into(),
            stage: Stage::Won,
            campaign_id: Some(camp),
            items: vec![LineItem {
                product_id: p,
                quantity: 3,
                unit_price: Money::from_units(1000),
            }],
            ..Default::default()
        })
        .unwrap();
        let f = s.product_file(p, today).unwrap();
        assert_eq!(f.monthly.len(), 12);
        assert_eq!(f.monthly[11], ("2026-03".to_string(), 3));
        assert_eq!(f.buyers[0].units, 3);
        let a = s.activity_file(camp).unwrap();
        assert_eq!(a.won_revenue, Money::from_units(3000));
        assert_eq!(a.roi(), Some(2.0));
    }
}
