//! `dossier gen`: a deterministic synthetic book for benchmarks.
//!
//! Writes straight to SQLite with prepared statements in one transaction —
//! 1,000,000 customers with their deals and touches load in seconds. The
//! same seed always gives the same book.

use crate::domain::{Money, Stage};
use crate::store::Store;
use anyhow::{bail, Result};
use chrono::{Duration, NaiveDate};
use rusqlite::params;
use serde::Serialize;

/// What `generate` wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GenSummary {
    pub customers: u64,
    pub opportunities: u64,
    pub activities: u64,
    pub products: u64,
}

/// SplitMix64: tiny, fast and deterministic across platforms.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "单",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏", "辉", "建", "国", "文",
    "斌", "宇", "浩", "凯", "晨", "欣", "怡", "婷", "雪", "琳", "佳", "博", "子", "轩", "涵", "睿",
    "思", "瑶",
];
const FIRST: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Nancy",
    "Matthew",
    "Lisa",
    "Anthony",
    "Betty",
    "Mark",
    "Sandra",
    "Paul",
    "Ashley",
    "Steven",
    "Emily",
    "Andrew",
    "Donna",
    "Kenji",
    "Yuki",
    "Hans",
    "Anna",
    "Pierre",
    "Sophie",
    "Raj",
    "Priya",
    "Lars",
    "Ingrid",
    "Omar",
    "Fatima",
];
const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Tanaka",
    "Sato",
    "Müller",
    "Schmidt",
    "Dubois",
    "Sharma",
    "Patel",
    "Larsen",
    "Hansen",
    "Haddad",
];
const CN_WORDS: &[&str] = &[
    "华信", "恒通", "中科", "东方", "宏达", "新锐", "金桥", "瑞丰", "天成", "博远", "鼎盛", "远航",
    "汇智", "明德", "盛世", "星河", "蓝海", "创新", "长城", "凯旋",
];
const CN_SUFFIX: &[&str] = &[
    "科技有限公司",
    "贸易有限公司",
    "制造有限公司",
    "信息技术有限公司",
    "电子有限公司",
    "实业有限公司",
    "咨询有限公司",
    "物流有限公司",
];
const EN_WORDS: &[&str] = &[
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Vertex",
    "Nimbus",
    "Apex",
    "Summit",
    "Pioneer",
    "Blue River",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Orbit",
    "Keystone",
    "Silverline",
];
const EN_SUFFIX: &[&str] = &[
    "Inc",
    "Ltd",
    "GmbH",
    "Systems",
    "Trading Co",
    "Industries",
    "Labs",
    "Logistics",
    "Partners",
];
/// (country, province/state, city)
const PLACES: &[(&str, &str, &str)] = &[
    ("中国", "上海", "上海"),
    ("中国", "北京", "北京"),
    ("中国", "广东", "深圳"),
    ("中国", "广东", "广州"),
    ("中国", "浙江", "杭州"),
    ("中国", "江苏", "南京"),
    ("中国", "江苏", "苏州"),
    ("中国", "四川", "成都"),
    ("中国", "湖北", "武汉"),
    ("中国", "陕西", "西安"),
    ("中国", "重庆", "重庆"),
    ("中国", "天津", "天津"),
    ("中国", "山东", "青岛"),
    ("中国", "福建", "厦门"),
    ("United States", "California", "San Francisco"),
    ("United States", "New York", "New York"),
    ("United States", "Texas", "Austin"),
    ("Germany", "Bavaria", "Munich"),
    ("Germany", "Berlin", "Berlin"),
    ("Japan", "Tokyo", "Tokyo"),
    ("Japan", "Osaka", "Osaka"),
    ("Singapore", "", "Singapore"),
    ("United Kingdom", "England", "London"),
    ("France", "Île-de-France", "Paris"),
];
const INDUSTRIES: &[&str] = &[
    "manufacturing",
    "services",
    "finance",
    "retail",
    "tech",
    "healthcare",
    "education",
    "logistics",
    "energy",
    "construction",
];
const SOURCES: &[&str] = &[
    "website",
    "social media",
    "e-commerce",
    "search ads",
    "referral",
    "exhibition",
    "store",
    "event",
];
const NEEDS: &[&str] = &[
    "price-sensitive",
    "quality-first",
    "after-sales",
    "fast-delivery",
    "customisation",
    "training",
];
const NOTES: &[&str] = &[
    "Prefers WeChat over email.",
    "Budget review every quarter.",
    "Asked for a volume discount.",
    "Decision maker is the purchasing manager.",
    "Interested in the new product line.",
    "Had a service complaint last year, resolved.",
    "关注售后服务，决策周期较长。",
    "价格敏感，需要多家比价。",
    "Met at the Shanghai expo.",
    "",
    "",
    "",
];
const TOUCH_SUMMARIES: &[&str] = &[
    "Discussed pricing for next order",
    "Product demo went well",
    "Follow-up on quotation",
    "Complaint about delivery delay",
    "电话沟通采购需求",
    "拜访客户，介绍新产品",
    "Sent catalogue and price list",
    "Contract terms review",
];
const PRODUCT_CATEGORIES: &[&str] = &[
    "printer",
    "laptop",
    "monitor",
    "server",
    "software",
    "service plan",
    "furniture",
    "network",
];
const PRODUCT_ADJ: &[&str] = &[
    "Pro", "Lite", "Max", "Plus", "Eco", "Ultra", "Mini", "Smart",
];
const BRANDS: &[&str] = &["Dossier", "Huaxin", "Northwind", "Apex", "Orbit"];
const COMPETITORS: &[&str] = &[
    "Zoho",
    "Salesforce",
    "Odoo",
    "Kingdee",
    "Yonyou",
    "Pipedrive",
];
const TOUCH_KINDS: &[&str] = &["call", "visit", "meeting", "email", "note"];
const SENTIMENTS: &[&str] = &["positive", "positive", "neutral", "neutral", "negative"];

const PRODUCTS: u64 = 200;

/// Fills an empty book with `customers` synthetic customers, about half as
/// many deals and as many touches, and 200 products. Refuses a book that
/// already has records.
pub fn generate(store: &mut Store, customers: u64, seed: u64) -> Result<GenSummary> {
    if !store.is_empty()? {
        bail!("the book already has records — gen writes only into an empty database (use --db with a new file)");
    }
    let today = store.clock().today();
    let now = store
        .clock()
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut rng = Rng(seed);
    let mut sum = GenSummary::default();
    let conn = store.conn_mut();
    // Bulk load: the book is new, so a crash mid-way loses nothing of value.
    conn.pragma_update(None, "synchronous", "OFF")?;
    // A large page cache keeps the one big transaction from spilling early.
    conn.pragma_update(None, "cache_size", -524_288)?;
    let tx = conn.transaction()?;
    // Indexes are dropped for the load and built again at the end: one sort
    // per index is much faster than a million incremental updates.
    let indexes: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    {
        let mut product = tx.prepare(
            "INSERT INTO products (id, created_at, updated_at, name, sku, category, price, brand, functions, audience)
             VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, '[]', ?8)",
        )?;
        let mut prices = Vec::with_capacity(PRODUCTS as usize);
        for id in 1..=PRODUCTS {
            let cat = rng.pick(PRODUCT_CATEGORIES);
            let price = Money::from_units(50 + rng.below(20_000) as i64);
            prices.push(price);
            product.execute(params![
                id as i64,
                now,
                format!("{} {} {}", rng.pick(BRANDS), cat, rng.pick(PRODUCT_ADJ)),
                format!("SKU-{id:05}"),
                cat,
                price.0,
                rng.pick(BRANDS),
                if rng.chance(50) {
                    r#"["businesses"]"#
                } else {
                    r#"["adults"]"#
                },
            ])?;
            sum.products += 1;
        }

        let mut customer = tx.prepare(
            "INSERT INTO customers (id, created_at, updated_at, name, kind, company, title, phones, emails,
                country, province, city, industry, size, source, needs, notes)
             VALUES (?1, ?2, ?2, ?3, ?4, ?5, '', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        let mut deal = tx.prepare(
            "INSERT INTO opportunities (id, created_at, updated_at, customer_id, title, amount, stage,
                expected_close, source, competitors, closed_on, close_reason)
             VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        let mut line = tx.prepare(
            "INSERT INTO line_items (opportunity_id, position, product_id, quantity, unit_price) VALUES (?1, 0, ?2, ?3, ?4)",
        )?;
        // A deal with lines is worth what they add up to (`dossier doctor`
        // checks it); the unit price is rounded down, so the amount follows.
        let mut line_total = tx.prepare("UPDATE opportunities SET amount = ?2 WHERE id = ?1")?;
        let mut touch = tx.prepare(
            "INSERT INTO activities (created_at, updated_at, kind, customer_id, date, summary, sentiment, next_follow_up)
             VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let day = |offset: i64| -> NaiveDate { today - Duration::days(offset) };
        let mut deal_id: i64 = 0;
        for id in 1..=customers as i64 {
            let chinese = rng.chance(55);
            let enterprise = rng.chance(60);
            let (name, company, email) = if chinese {
                let name = format!(
                    "{}{}{}",
                    rng.pick(SURNAMES),
                    rng.pick(GIVEN),
                    if rng.chance(60) { rng.pick(GIVEN) } else { "" }
                );
                let (_, _, city) = PLACES[rng.below(14) as usize];
                let company = format!("{city}{}{}", rng.pick(CN_WORDS), rng.pick(CN_SUFFIX));
                (name, company, format!("c{id}@mail.example.cn"))
            } else {
                let (first, last) = (rng.pick(FIRST), rng.pick(LAST));
                let word = rng.pick(EN_WORDS);
                let company = format!("{word} {}", rng.pick(EN_SUFFIX));
                let domain = word.to_lowercase().replace(' ', "");
                (
                    format!("{first} {last}"),
                    company,
                    format!(
                        "{}.{}{id}@{domain}.example.com",
                        first.to_lowercase(),
                        last.to_lowercase()
                    ),
                )
            };
            let place = if chinese {
                PLACES[rng.below(14) as usize]
            } else {
                *rng.pick(PLACES)
            };
            let phone = if place.0 == "中国" {
                format!("1{}{:09}", 3 + rng.below(7), rng.below(1_000_000_000))
            } else {
                format!("+1 415 555 {:04}", rng.below(10_000))
            };
            customer.execute(params![
                id,
                now,
                name,
                if enterprise {
                    "enterprise"
                } else {
                    "individual"
                },
                if enterprise { company.as_str() } else { "" },
                format!("[\"{phone}\"]"),
                format!("[\"{email}\"]"),
                place.0,
                place.1,
                place.2,
                rng.pick(INDUSTRIES),
                enterprise.then(|| 5 + rng.below(5000) as i64),
                rng.pick(SOURCES),
                format!("[\"{}\"]", rng.pick(NEEDS)),
                rng.pick(NOTES),
            ])?;
            sum.customers += 1;

            // Deals: about half the customers have one to three.
            if rng.chance(45) {
                for _ in 0..1 + rng.below(2) {
                    deal_id += 1;
                    let stage = match rng.below(10) {
                        0..=3 => Stage::Won,
                        4 => Stage::Lost,
                        5 => Stage::Prospect,
                        6 => Stage::Qualified,
                        7 => Stage::Negotiation,
                        _ => Stage::Closing,
                    };
                    let amount =
                        Money::from_units(1_000 + (rng.below(300) * rng.below(300)) as i64 * 5);
                    let closed = stage.is_closed().then(|| day(rng.below(1_000) as i64));
                    let expected = if stage.is_closed() {
                        closed
                    } else {
                        Some(today + Duration::days(rng.below(120) as i64 - 20))
                    };
                    deal.execute(params![
                        deal_id,
                        now,
                        id,
                        format!("{} order {deal_id}", rng.pick(PRODUCT_CATEGORIES)),
                        amount.0,
                        stage.as_str(),
                        expected,
                        rng.pick(SOURCES),
                        if rng.chance(50) {
                            format!("[\"{}\"]", rng.pick(COMPETITORS))
                        } else {
                            "[]".to_string()
                        },
                        closed,
                        if stage == Stage::Lost {
                            "price too high"
                        } else {
                            ""
                        },
                    ])?;
                    if stage == Stage::Won {
                        let pid = 1 + rng.below(PRODUCTS) as i64;
                        let qty = 1 + rng.below(20) as i64;
                        let unit = Money(amount.0 / qty);
                        line.execute(params![deal_id, pid, qty, unit.0])?;
                        if unit.0 * qty != amount.0 {
                            line_total.execute(params![deal_id, unit.0 * qty])?;
                        }
                    }
                    sum.opportunities += 1;
                }
            }

            // Touches: most customers have been called or visited.
            for _ in 0..rng.below(3) {
                let date = day(rng.below(700) as i64);
                let follow = rng
                    .chance(30)
                    .then(|| date + Duration::days(rng.below(30) as i64));
                touch.execute(params![
                    now,
                    rng.pick(TOUCH_KINDS),
                    id,
                    date,
                    rng.pick(TOUCH_SUMMARIES),
                    rng.pick(SENTIMENTS),
                    follow,
                ])?;
                sum.activities += 1;
            }
        }
    }
    for (_, sql) in &indexes {
        tx.execute_batch(sql)?;
    }
    tx.execute_batch("ANALYZE")?;
    tx.commit()?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", -2_000)?;
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Clock;
    use crate::store::Page;

    fn book(seed: u64) -> Store {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut s = Store::open_in_memory_with_clock(Clock::at_date(day)).unwrap();
        generate(&mut s, 300, seed).unwrap();
        s
    }

    #[test]
    fn same_seed_same_book() {
        let (a, b) = (book(7), book(7));
        let page = Page {
            limit: 300,
            ..Page::default()
        };
        let names = |s: &Store| -> Vec<String> {
            s.customers(page)
                .unwrap()
                .into_iter()
                .map(|c| c.name)
                .collect()
        };
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a), names(&book(8)));
        assert_eq!(a.counts().unwrap(), b.counts().unwrap());
    }

    #[test]
    fn generated_records_are_valid() {
        let s = book(1);
        let page = Page {
            limit: 1000,
            ..Page::default()
        };
        for c in s.customers(page).unwrap() {
            c.validate().unwrap();
        }
        for o in s.opportunities(page).unwrap() {
            o.validate().unwrap();
        }
        for a in s.activities(page).unwrap() {
            a.validate().unwrap();
        }
        let c = s.counts().unwrap();
        assert_eq!(c.customers, 300);
        assert!(c.opportunities > 50 && c.activities > 100, "{c:?}");
    }

    #[test]
    fn refuses_a_book_with_records() {
        let mut s = book(1);
        assert!(generate(&mut s, 10, 1).is_err());
    }
}
