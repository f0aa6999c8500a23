//! `dossier __crash-writer`: a hidden helper for the crash-safety tests.
//!
//! It adds and edits customers and deals (with line items) in a loop through
//! the ordinary store calls and prints `committed <kind> <id> <version>`
//! after each commit, flushing stdout, so a test can kill it at any moment
//! and check that every reported commit survived. Every record it writes
//! names its own version in a text field (`notes` / `next_step`), so a
//! half-applied edit shows as a mismatch.

use crate::domain::{
    Activity, ActivityKind, Customer, LineItem, Money, Opportunity, Product, Sentiment,
};
use crate::store::{Page, Store, Visibility};
use anyhow::Result;
use std::io::Write;

/// The text a record written at `version` carries.
pub fn version_mark(version: i64) -> String {
    format!("version {version}")
}

/// A small deterministic generator (xorshift), enough to vary the writes.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn all_ids(store: &Store) -> Result<(Vec<i64>, Vec<i64>, Vec<i64>)> {
    let page = Page {
        after: 0,
        limit: usize::MAX >> 1,
        visibility: Visibility::Live,
    };
    let customers = store.customers(page)?.iter().map(|c| c.meta.id).collect();
    let deals = store
        .opportunities(page)?
        .iter()
        .map(|o| o.meta.id)
        .collect();
    let touches = store.activities(page)?.iter().map(|a| a.meta.id).collect();
    Ok((customers, deals, touches))
}

fn items(rng: &mut Rng, products: &[i64]) -> Vec<LineItem> {
    (0..1 + rng.below(3))
        .map(|_| LineItem {
            product_id: products[rng.below(products.len() as u64) as usize],
            quantity: 1 + rng.below(9) as i64,
            unit_price: Money(100 * (1 + rng.below(500) as i64)),
        })
        .collect()
}

/// Writes until killed, or `count` writes when given.
pub fn run(store: &mut Store, seed: u64, count: Option<u64>) -> Result<()> {
    let mut rng = Rng(seed.max(1));
    let mut products: Vec<i64> = store
        .products(Page::default())?
        .iter()
        .map(|p| p.meta.id)
        .collect();
    if products.is_empty() {
        let p = store.add_product(&Product {
            name: "crash-test widget".into(),
            price: Money(1000),
            ..Default::default()
        })?;
        products.push(p.meta.id);
    }
    let (mut customers, mut deals, mut touches) = all_ids(store)?;
    let sentiments = [Sentiment::Positive, Sentiment::Neutral, Sentiment::Negative];
    let out = std::io::stdout();
    let mut n = 0u64;
    while count.is_none_or(|c| n < c) {
        n += 1;
        let line = match rng.below(6) {
            3 if !customers.is_empty() => {
                // A touch re-tags its customer (feedback) in the same write.
                let a = Activity {
                    kind: ActivityKind::Call,
                    customer_id: Some(customers[rng.below(customers.len() as u64) as usize]),
                    date: store.clock().today(),
                    summary: version_mark(1),
                    sentiment: Some(sentiments[rng.below(3) as usize]),
                    ..Default::default()
                };
                let saved = store.add_activity(&a)?;
                touches.push(saved.meta.id);
                format!("committed activity {} 1", saved.meta.id)
            }
            4 if !touches.is_empty() => {
                let id = touches[rng.below(touches.len() as u64) as usize];
                let mut a = store.activity(id)?;
                a.summary = version_mark(a.meta.version + 1);
                a.sentiment = Some(sentiments[rng.below(3) as usize]);
                let saved = store.update_activity(&a)?;
                format!("committed activity {id} {}", saved.meta.version)
            }
            0 if !customers.is_empty() => {
                let id = customers[rng.below(customers.len() as u64) as usize];
                let mut c = store.customer(id)?;
                c.notes = version_mark(c.meta.version + 1);
                c.city = format!("city {}", rng.below(1000));
                let saved = store.update_customer(&c)?;
                format!("committed customer {id} {}", saved.meta.version)
            }
            1 if !deals.is_empty() => {
                let id = deals[rng.below(deals.len() as u64) as usize];
                let mut o = store.opportunity(id)?;
                o.next_step = version_mark(o.meta.version + 1);
                o.items = items(&mut rng, &products);
                let saved = store.update_opportunity(&o)?;
                format!("committed opportunity {id} {}", saved.meta.version)
            }
            2 if !customers.is_empty() => {
                let o = Opportunity {
                    customer_id: customers[rng.below(customers.len() as u64) as usize],
                    title: format!("crash deal {n}"),
                    next_step: version_mark(1),
                    items: items(&mut rng, &products),
                    ..Default::default()
                };
                let saved = store.add_opportunity(&o)?;
                deals.push(saved.meta.id);
                format!("committed opportunity {} 1", saved.meta.id)
            }
            _ => {
                let c = Customer {
                    notes: version_mark(1),
                    ..Customer::named(&format!("crash customer {n}"))
                };
                let saved = store.add_customer(&c)?;
                customers.push(saved.meta.id);
                format!("committed customer {} 1", saved.meta.id)
            }
        };
        let mut out = out.lock();
        writeln!(out, "{line}")?;
        out.flush()?;
    }
    Ok(())
}
