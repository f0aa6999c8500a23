//! The demo book: a realistic sample book for one salesperson selling office
//! and industrial equipment and services, in Chinese and English.
//!
//! The book lives in `assets/demo.json` and is embedded in the binary. Its
//! dates are offsets from today (`"-200d"`, `"+14d"`, `"today"`, parsed by
//! [`parse_date`]) so the demo never goes stale, money is in minor units
//! (the serde form of [`Money`]), and records refer to each other by local
//! keys (`"c01"`, `"p03"`, `"o12"`, `"m02"`) which the loader resolves to ids.
//! Everything is inserted through the public [`Store`] API, so it is
//! validated (and classified) exactly like records a person types.

use crate::domain::dates::parse_date;
use crate::domain::{
    Activity, ActivityKind, Campaign, CampaignChannel, Customer, CustomerKind, Goal, LineItem,
    Money, Opportunity, Product, Region, Sentiment, Stage, ValidationErrors,
};
use crate::store::{Page, Store, Visibility};
use anyhow::{anyhow, bail, Context, Result};
use chrono::NaiveDate;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The demo book as shipped.
pub const DEMO_JSON: &str = include_str!("../../assets/demo.json");

/// What [`load_demo`] added, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    pub customers: usize,
    pub products: usize,
    /// Demo products whose SKU was already in the book (forced load): the
    /// existing product was used instead of adding a duplicate.
    pub products_reused: usize,
    pub opportunities: usize,
    /// Touches with customers (calls, visits, meetings, emails, notes).
    pub touches: usize,
    /// Marketing campaigns (activities of kind campaign).
    pub campaigns: usize,
}

impl DemoSummary {
    /// Activities of every kind: touches and campaigns.
    pub fn activities(&self) -> usize {
        self.touches + self.campaigns
    }
}

/// Loads the demo book into `store`, dated relative to the store's clock.
///
/// Refuses a book that already has records (live or in the trash) unless
/// `force` is set — the demo is meant for a first run, not to be mixed into
/// real work. The whole book is resolved and validated before the first
/// write, so a broken book writes nothing.
pub fn load_demo(store: &mut Store, force: bool) -> Result<DemoSummary> {
    if !force && !store.is_empty()? {
        let c = store.counts()?;
        bail!(
            "the book is not empty ({} customers, {} opportunities, {} products, {} activities, {} in the trash) — \
             the demo book is meant for an empty book; load it on purpose with --force, or open another file with --db PATH",
            c.customers,
            c.opportunities,
            c.products,
            c.activities,
            c.trash
        );
    }
    let today = store.clock().today();
    let plan = plan(DEMO_JSON, today)?;
    insert(store, plan)
}

// ---------------------------------------------------------------------------
// The file format

fn default_true() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoBook {
    /// A note for people reading the file.
    #[serde(default, rename = "about")]
    _about: IgnoredAny,
    /// The salesperson who owns every customer unless a customer names another.
    #[serde(default)]
    owner: String,
    /// Currency of products and deals unless a record names another.
    currency: String,
    products: Vec<DemoProduct>,
    campaigns: Vec<DemoCampaign>,
    customers: Vec<DemoCustomer>,
    opportunities: Vec<DemoOpportunity>,
    touches: Vec<DemoTouch>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoProduct {
    key: String,
    name: String,
    #[serde(default)]
    sku: String,
    #[serde(default)]
    category: String,
    /// Minor units.
    price: Money,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    brand: String,
    #[serde(default)]
    functions: Vec<String>,
    #[serde(default)]
    audience: Vec<String>,
    #[serde(default = "default_true")]
    active: bool,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCampaign {
    key: String,
    name: String,
    channel: CampaignChannel,
    /// Start date, relative (`"-30d"`).
    start: String,
    #[serde(default)]
    end: Option<String>,
    region: Region,
    goal: Goal,
    #[serde(default)]
    participants: u32,
    /// Minor units.
    #[serde(default)]
    cost: Money,
    #[serde(default)]
    leads: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCustomer {
    key: String,
    name: String,
    kind: CustomerKind,
    #[serde(default)]
    company: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    phones: Vec<String>,
    #[serde(default)]
    emails: Vec<String>,
    #[serde(default)]
    country: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    size: Option<u32>,
    #[serde(default)]
    source: String,
    #[serde(default)]
    needs: Vec<String>,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    custom: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoItem {
    /// Product key.
    product: String,
    quantity: i64,
    /// Minor units; the product's list price when absent.
    #[serde(default)]
    unit_price: Option<Money>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOpportunity {
    key: String,
    /// Customer key.
    customer: String,
    title: String,
    stage: Stage,
    #[serde(default)]
    items: Vec<DemoItem>,
    /// Minor units; required without line items (with them, the lines' total wins).
    #[serde(default)]
    amount: Option<Money>,
    #[serde(default)]
    currency: Option<String>,
    /// Close date of a won or lost deal, relative.
    #[serde(default)]
    closed: Option<String>,
    #[serde(default)]
    expected_close: Option<String>,
    #[serde(default)]
    source: String,
    /// Campaign key.
    #[serde(default)]
    campaign: Option<String>,
    #[serde(default)]
    competitors: Vec<String>,
    #[serde(default)]
    probability: Option<u8>,
    #[serde(default)]
    next_step: String,
    #[serde(default)]
    next_step_date: Option<String>,
    #[serde(default)]
    close_reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoTouch {
    /// Customer key.
    customer: String,
    /// Opportunity key; the deal must be with the same customer.
    #[serde(default)]
    opportunity: Option<String>,
    kind: ActivityKind,
    date: String,
    summary: String,
    #[serde(default)]
    sentiment: Option<Sentiment>,
    #[serde(default)]
    follow_up: Option<String>,
}

// ---------------------------------------------------------------------------
// Planning: parse, resolve keys and validate everything before writing.

/// Stands in for ids not known until insertion, so records can be validated.
const PLACEHOLDER_ID: i64 = 1;

struct Plan {
    products: Vec<(String, Product)>,
    campaigns: Vec<(String, Activity)>,
    customers: Vec<(String, Customer)>,
    opportunities: Vec<PlannedOpportunity>,
    touches: Vec<PlannedTouch>,
}

struct PlannedOpportunity {
    key: String,
    customer: String,
    campaign: Option<String>,
    /// Product key of each line item, in order.
    products: Vec<String>,
    record: Opportunity,
}

struct PlannedTouch {
    customer: String,
    opportunity: Option<String>,
    record: Activity,
}

fn date(what: &str, field: &str, s: &str, today: NaiveDate) -> Result<NaiveDate> {
    parse_date(s, today).map_err(|e| anyhow!("demo book: {what}: {field}: {e}"))
}

fn opt_date(
    what: &str,
    field: &str,
    s: &Option<String>,
    today: NaiveDate,
) -> Result<Option<NaiveDate>> {
    s.as_deref()
        .map(|s| date(what, field, s, today))
        .transpose()
}

fn valid(what: &str, r: Result<(), ValidationErrors>) -> Result<()> {
    r.map_err(|e| anyhow!("demo book: {what} is not valid: {e}"))
}

/// Registers a key, refusing duplicates and blanks.
fn new_key(seen: &mut HashSet<String>, kind: &str, key: &str) -> Result<()> {
    if key.trim().is_empty() {
        bail!("demo book: a {kind} has no key");
    }
    if !seen.insert(key.to_string()) {
        bail!("demo book: {kind} key '{key}' is used twice");
    }
    Ok(())
}

fn plan(json: &str, today: NaiveDate) -> Result<Plan> {
    let book: DemoBook = serde_json::from_str(json).context("demo book: the JSON is malformed")?;
    let currency = |c: &Option<String>| c.clone().unwrap_or_else(|| book.currency.clone());

    let mut product_keys = HashSet::new();
    let mut prices = HashMap::new();
    let mut products = Vec::new();
    for p in &book.products {
        new_key(&mut product_keys, "product", &p.key)?;
        prices.insert(p.key.clone(), p.price);
        let record = Product {
            name: p.name.clone(),
            sku: p.sku.clone(),
            category: p.category.clone(),
            price: p.price,
            currency: currency(&p.currency),
            brand: p.brand.clone(),
            functions: p.functions.clone(),
            audience: p.audience.clone(),
            active: p.active,
            description: p.description.clone(),
            ..Product::default()
        };
        valid(&format!("product {}", p.key), record.validate())?;
        products.push((p.key.clone(), record));
    }

    let mut campaign_keys = HashSet::new();
    let mut campaigns = Vec::new();
    for m in &book.campaigns {
        new_key(&mut campaign_keys, "campaign", &m.key)?;
        let what = format!("campaign {}", m.key);
        let record = Activity {
            kind: ActivityKind::Campaign,
            date: date(&what, "start", &m.start, today)?,
            summary: m.name.clone(),
            campaign: Some(Campaign {
                channel: m.channel,
                end_date: opt_date(&what, "end", &m.end, today)?,
                region: m.region,
                goal: m.goal,
                participants: m.participants,
                cost: m.cost,
                leads: m.leads,
            }),
            ..Activity::default()
        };
        valid(&what, record.validate())?;
        campaigns.push((m.key.clone(), record));
    }

    let mut customer_keys = HashSet::new();
    let mut customers = Vec::new();
    for c in &book.customers {
        new_key(&mut customer_keys, "customer", &c.key)?;
        let record = Customer {
            name: c.name.clone(),
            kind: c.kind,
            company: c.company.clone(),
            title: c.title.clone(),
            phones: c.phones.clone(),
            emails: c.emails.clone(),
            country: c.country.clone(),
            province: c.province.clone(),
            city: c.city.clone(),
            address: c.address.clone(),
            industry: c.industry.clone(),
            size: c.size,
            source: c.source.clone(),
            needs: c.needs.clone(),
            notes: c.notes.clone(),
            owner: c.owner.clone().unwrap_or_else(|| book.owner.clone()),
            custom: c.custom.clone(),
            ..Customer::default()
        };
        valid(&format!("customer {}", c.key), record.validate())?;
        customers.push((c.key.clone(), record));
    }

    let mut opportunity_keys = HashSet::new();
    let mut deal_customer = HashMap::new();
    let mut opportunities = Vec::new();
    for o in &book.opportunities {
        new_key(&mut opportunity_keys, "opportunity", &o.key)?;
        let what = format!("opportunity {}", o.key);
        if !customer_keys.contains(&o.customer) {
            bail!("demo book: {what}: no customer with key '{}'", o.customer);
        }
        if let Some(m) = &o.campaign {
            if !campaign_keys.contains(m) {
                bail!("demo book: {what}: no campaign with key '{m}'");
            }
        }
        let mut items = Vec::new();
        for item in &o.items {
            let price = prices.get(&item.product).ok_or_else(|| {
                anyhow!("demo book: {what}: no product with key '{}'", item.product)
            })?;
            items.push(LineItem {
                product_id: PLACEHOLDER_ID,
                quantity: item.quantity,
                unit_price: item.unit_price.unwrap_or(*price),
            });
        }
        let amount = match (o.amount, items.is_empty()) {
            (_, false) => items.iter().map(LineItem::total).sum(),
            (Some(a), true) => a,
            (None, true) => bail!("demo book: {what}: give an amount or line items"),
        };
        let closed_on = opt_date(&what, "closed", &o.closed, today)?;
        match (o.stage.is_closed(), closed_on) {
            (true, None) => bail!("demo book: {what}: a {} deal needs a closed date", o.stage),
            (false, Some(_)) => bail!(
                "demo book: {what}: an open ({}) deal has a closed date",
                o.stage
            ),
            (true, Some(d)) if d > today => {
                bail!("demo book: {what}: closed date {d} is in the future")
            }
            _ => {}
        }
        let record = Opportunity {
            customer_id: PLACEHOLDER_ID,
            title: o.title.clone(),
            amount,
            currency: currency(&o.currency),
            stage: o.stage,
            expected_close: opt_date(&what, "expected_close", &o.expected_close, today)?,
            source: o.source.clone(),
            campaign_id: o.campaign.as_ref().map(|_| PLACEHOLDER_ID),
            competitors: o.competitors.clone(),
            probability: o.probability,
            next_step: o.next_step.clone(),
            next_step_date: opt_date(&what, "next_step_date", &o.next_step_date, today)?,
            closed_on,
            close_reason: o.close_reason.clone(),
            items,
            ..Opportunity::default()
        };
        valid(&what, record.validate())?;
        deal_customer.insert(o.key.clone(), o.customer.clone());
        opportunities.push(PlannedOpportunity {
            key: o.key.clone(),
            customer: o.customer.clone(),
            campaign: o.campaign.clone(),
            products: o.items.iter().map(|i| i.product.clone()).collect(),
            record,
        });
    }

    let mut touches = Vec::new();
    for (i, t) in book.touches.iter().enumerate() {
        let what = format!("touch {} (with {})", i + 1, t.customer);
        if !customer_keys.contains(&t.customer) {
            bail!("demo book: {what}: no customer with key '{}'", t.customer);
        }
        if t.kind == ActivityKind::Campaign {
            bail!("demo book: {what}: campaigns belong in \"campaigns\"");
        }
        if let Some(o) = &t.opportunity {
            match deal_customer.get(o) {
                None => bail!("demo book: {what}: no opportunity with key '{o}'"),
                Some(c) if *c != t.customer => {
                    bail!(
                        "demo book: {what}: opportunity {o} is with {c}, not {}",
                        t.customer
                    )
                }
                Some(_) => {}
            }
        }
        let day = date(&what, "date", &t.date, today)?;
        if day > today {
            bail!("demo book: {what}: a logged touch cannot be dated in the future ({day})");
        }
        let record = Activity {
            kind: t.kind,
            customer_id: Some(PLACEHOLDER_ID),
            date: day,
            summary: t.summary.clone(),
            sentiment: t.sentiment,
            next_follow_up: opt_date(&what, "follow_up", &t.follow_up, today)?,
            ..Activity::default()
        };
        valid(&what, record.validate())?;
        touches.push(PlannedTouch {
            customer: t.customer.clone(),
            opportunity: t.opportunity.clone(),
            record,
        });
    }

    Ok(Plan {
        products,
        campaigns,
        customers,
        opportunities,
        touches,
    })
}

// ---------------------------------------------------------------------------
// Insertion

/// Live products by SKU, so a forced second load reuses them (SKUs are unique).
fn live_skus(store: &Store) -> Result<HashMap<String, i64>> {
    let mut out = HashMap::new();
    let mut after = 0;
    loop {
        let page = store.products(Page {
            after,
            limit: 500,
            visibility: Visibility::Live,
        })?;
        let Some(last) = page.last() else { break };
        after = last.meta.id;
        for p in &page {
            if !p.sku.is_empty() {
                out.insert(p.sku.clone(), p.meta.id);
            }
        }
    }
    Ok(out)
}

fn id_of(ids: &HashMap<String, i64>, key: &str) -> Result<i64> {
    ids.get(key)
        .copied()
        .ok_or_else(|| anyhow!("demo book: key '{key}' was not inserted"))
}

fn insert(store: &mut Store, plan: Plan) -> Result<DemoSummary> {
    let mut summary = DemoSummary::default();
    let existing = live_skus(store)?;

    let mut products = HashMap::new();
    for (key, p) in &plan.products {
        let id = match existing.get(&p.sku) {
            Some(&id) => {
                summary.products_reused += 1;
                id
            }
            None => {
                summary.products += 1;
                store
                    .add_product(p)
                    .with_context(|| format!("demo book: adding product {key}"))?
                    .meta
                    .id
            }
        };
        products.insert(key.clone(), id);
    }

    let mut campaigns = HashMap::new();
    for (key, a) in &plan.campaigns {
        let saved = store
            .add_activity(a)
            .with_context(|| format!("demo book: adding campaign {key}"))?;
        campaigns.insert(key.clone(), saved.meta.id);
        summary.campaigns += 1;
    }

    let mut customers = HashMap::new();
    for (key, c) in &plan.customers {
        let saved = store
            .add_customer(c)
            .with_context(|| format!("demo book: adding customer {key}"))?;
        customers.insert(key.clone(), saved.meta.id);
        summary.customers += 1;
    }

    let mut opportunities = HashMap::new();
    for p in &plan.opportunities {
        let mut o = p.record.clone();
        o.customer_id = id_of(&customers, &p.customer)?;
        o.campaign_id = p
            .campaign
            .as_deref()
            .map(|k| id_of(&campaigns, k))
            .transpose()?;
        for (item, product) in o.items.iter_mut().zip(&p.products) {
            item.product_id = id_of(&products, product)?;
        }
        let saved = store
            .add_opportunity(&o)
            .with_context(|| format!("demo book: adding opportunity {}", p.key))?;
        opportunities.insert(p.key.clone(), saved.meta.id);
        summary.opportunities += 1;
    }

    for (i, t) in plan.touches.iter().enumerate() {
        let mut a = t.record.clone();
        a.customer_id = Some(id_of(&customers, &t.customer)?);
        a.opportunity_id = t
            .opportunity
            .as_deref()
            .map(|k| id_of(&opportunities, k))
            .transpose()?;
        store
            .add_activity(&a)
            .with_context(|| format!("demo book: adding touch {} (with {})", i + 1, t.customer))?;
        summary.touches += 1;
    }

    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Clock;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn loaded() -> (Store, DemoSummary) {
        let mut store = Store::open_in_memory_with_clock(Clock::at_date(today())).unwrap();
        let summary = load_demo(&mut store, false).unwrap();
        (store, summary)
    }

    fn all<T>(f: impl Fn(Page) -> crate::store::Result<Vec<T>>, id: impl Fn(&T) -> i64) -> Vec<T> {
        let mut out = Vec::new();
        let mut after = 0;
        loop {
            let page = f(Page {
                after,
                limit: 100,
                visibility: Visibility::Live,
            })
            .unwrap();
            match page.last() {
                None => return out,
                Some(last) => after = id(last),
            }
            out.extend(page);
        }
    }

    #[test]
    fn loads_a_full_book() {
        let (store, summary) = loaded();
        assert!(summary.customers >= 45, "{summary:?}");
        assert!(summary.products >= 10, "{summary:?}");
        assert!(summary.opportunities >= 40, "{summary:?}");
        assert!(summary.touches >= 60, "{summary:?}");
        assert!(summary.campaigns >= 4, "{summary:?}");
        assert_eq!(summary.products_reused, 0);

        let counts = store.counts().unwrap();
        assert_eq!(counts.customers as usize, summary.customers);
        assert_eq!(counts.products as usize, summary.products);
        assert_eq!(counts.opportunities as usize, summary.opportunities);
        assert_eq!(counts.activities as usize, summary.activities());
        assert_eq!(counts.trash, 0);
    }

    #[test]
    fn covers_every_stage_and_kind() {
        let (store, _) = loaded();
        let opps = all(|p| store.opportunities(p), |o: &Opportunity| o.meta.id);
        for stage in Stage::ALL {
            assert!(opps.iter().any(|o| o.stage == *stage), "no {stage} deal");
        }
        for o in opps.iter().filter(|o| o.stage.is_closed()) {
            let closed = o.closed_on.expect("closed deals have a close date");
            assert!(closed <= today(), "{} closes in the future", o.title);
        }
        assert!(opps.iter().any(|o| o.campaign_id.is_some()));
        // Won deals are spread over two years: some recent, some long ago.
        let won: Vec<NaiveDate> = opps
            .iter()
            .filter(|o| o.stage == Stage::Won)
            .filter_map(|o| o.closed_on)
            .collect();
        assert!(won.iter().any(|d| (today() - *d).num_days() <= 30));
        assert!(won.iter().any(|d| (today() - *d).num_days() >= 540));

        let acts = all(|p| store.activities(p), |a: &Activity| a.meta.id);
        for kind in ActivityKind::ALL {
            assert!(acts.iter().any(|a| a.kind == *kind), "no {kind} activity");
        }
        for s in Sentiment::ALL {
            assert!(acts.iter().any(|a| a.sentiment == Some(*s)), "no {s} touch");
        }
        let follow: Vec<NaiveDate> = acts.iter().filter_map(|a| a.next_follow_up).collect();
        assert!(follow.iter().any(|d| *d < today()), "no overdue follow-up");
        assert!(follow.contains(&today()), "no follow-up due today");
        assert!(follow.iter().any(|d| *d > today()), "no future follow-up");
    }

    #[test]
    fn has_chinese_and_international_customers() {
        let (store, _) = loaded();
        let customers = all(|p| store.customers(p), |c: &Customer| c.meta.id);
        let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        assert!(customers.iter().any(|c| c.name == "张伟"));
        let chinese = customers.iter().filter(|c| cjk(&c.name)).count();
        assert!(chinese >= 20, "{chinese} Chinese names");
        for country in [
            "China",
            "United States",
            "Germany",
            "Japan",
            "Singapore",
            "United Kingdom",
        ] {
            assert!(
                customers.iter().any(|c| c.country == country),
                "no customer in {country}"
            );
        }
        for kind in CustomerKind::ALL {
            assert!(
                customers.iter().any(|c| c.kind == *kind),
                "no {kind} customer"
            );
        }
    }

    #[test]
    fn every_record_validates() {
        let (store, _) = loaded();
        for c in all(|p| store.customers(p), |c: &Customer| c.meta.id) {
            c.validate()
                .unwrap_or_else(|e| panic!("customer {}: {e}", c.name));
        }
        for p in all(|p| store.products(p), |p: &Product| p.meta.id) {
            p.validate()
                .unwrap_or_else(|e| panic!("product {}: {e}", p.name));
        }
        for o in all(|p| store.opportunities(p), |o: &Opportunity| o.meta.id) {
            o.validate()
                .unwrap_or_else(|e| panic!("opportunity {}: {e}", o.title));
        }
        for a in all(|p| store.activities(p), |a: &Activity| a.meta.id) {
            a.validate()
                .unwrap_or_else(|e| panic!("activity {}: {e}", a.summary));
        }
    }

    #[test]
    fn refuses_a_book_that_is_not_empty() {
        let (mut store, first) = loaded();
        let err = load_demo(&mut store, false).unwrap_err().to_string();
        assert!(err.contains("the book is not empty"), "{err}");
        assert_eq!(store.counts().unwrap().customers as usize, first.customers);

        // On purpose: a second copy, reusing the products by SKU.
        let second = load_demo(&mut store, true).unwrap();
        assert_eq!(second.products, 0);
        assert_eq!(second.products_reused, first.products);
        assert_eq!(
            store.counts().unwrap().customers as usize,
            first.customers * 2
        );
    }

    #[test]
    fn dates_follow_the_clock() {
        let later = today() + chrono::Duration::days(100);
        let mut store = Store::open_in_memory_with_clock(Clock::at_date(later)).unwrap();
        load_demo(&mut store, false).unwrap();
        let opps = all(|p| store.opportunities(p), |o: &Opportunity| o.meta.id);
        let newest = opps.iter().filter_map(|o| o.closed_on).max().unwrap();
        assert!(newest > today() && newest <= later);
    }

    #[test]
    fn broken_references_are_reported() {
        let json = DEMO_JSON.replacen("\"customer\": \"c01\"", "\"customer\": \"c999\"", 1);
        let err = plan(&json, today()).err().expect("refused").to_string();
        assert!(err.contains("c999"), "{err}");
    }
}
