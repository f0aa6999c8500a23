//! The runtime's side of search in the terminal UI: the index (built in
//! the background), kept current after writes, and the query worker.

use super::effect::Outcome;
use super::search::{SearchOutcome, LIMIT};
use crate::domain::Kind;
use crate::search::{
    catch_up, load_index, log_head, refresh_record, spawn_build, BuildHandle, Filter, QueryWorker,
    SearchIndex, SharedIndex,
};
use crate::store::{Choice, PickKind, Store};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The runtime's side: the index, its build, and the query worker.
pub struct SearchEngine {
    shared: SharedIndex,
    worker: QueryWorker,
    build: Option<BuildHandle>,
    /// The index is ready but the app has not been told.
    announce: Option<Result<(), String>>,
    /// When the book's change log was last looked at (writes by other
    /// processes and by the background sweep reach the index from there).
    checked: Instant,
}

/// How often the change log is looked at.
const CATCH_UP_EVERY: Duration = Duration::from_millis(500);
/// More changes than this at once: the index is reopened instead.
const CATCH_UP_MAX: usize = 20_000;

impl SearchEngine {
    /// Starts building the index of `store` (in the background for a file
    /// database; an in-memory one is indexed at once).
    pub fn start(store: &Store) -> SearchEngine {
        let shared: SharedIndex = Arc::new(RwLock::new(SearchIndex::new()));
        let worker = QueryWorker::spawn(shared.clone());
        let mut engine = SearchEngine {
            shared,
            worker,
            build: None,
            announce: None,
            checked: Instant::now(),
        };
        match store.target() {
            Some(p) => engine.build = Some(spawn_build(p)),
            None => {
                let built = load_index(store);
                engine.announce = Some(engine.install(built));
            }
        }
        engine
    }

    fn install(&mut self, built: crate::store::Result<SearchIndex>) -> Result<(), String> {
        match built {
            Ok(index) => {
                *self.shared.write().unwrap_or_else(|p| p.into_inner()) = index;
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        }
    }

    pub fn submit(&mut self, input: &str, kind: Option<Kind>) {
        self.worker.submit(input, kind, LIMIT);
    }

    /// Keeps the index current after a write to (kind, id).
    pub fn changed(&mut self, store: &Store, kind: Kind, id: i64) {
        if let Some(b) = self.build.as_mut() {
            b.note_change(kind, id);
            return;
        }
        let mut index = self.shared.write().unwrap_or_else(|p| p.into_inner());
        let _ = refresh_record(&mut index, store, kind, id);
    }

    /// Applies writes made since the index was read — by another process
    /// (the CLI, an import) or by this one (a background sweep's re-tags).
    /// Cheap when there are none: one look at the change log.
    pub fn catch_up(&mut self, store: &Store) {
        self.checked = Instant::now();
        if self.build.is_some() {
            return;
        }
        let Ok(head) = log_head(store) else {
            return;
        };
        let seq = match self.shared.read() {
            Ok(i) => i.log_seq(),
            Err(p) => p.into_inner().log_seq(),
        };
        if head == seq {
            return;
        }
        let caught = {
            let mut index = self.shared.write().unwrap_or_else(|p| p.into_inner());
            catch_up(&mut index, store, CATCH_UP_MAX)
        };
        if matches!(caught, Ok(None)) {
            self.rebuild(store);
        }
    }

    /// What has arrived, without waiting.
    pub fn poll(&mut self, store: &Store) -> Vec<Outcome> {
        let mut out = Vec::new();
        if self.checked.elapsed() >= CATCH_UP_EVERY {
            self.catch_up(store);
        }
        if let Some(b) = self.build.as_mut() {
            if let Some(built) = b.try_finish(store) {
                self.build = None;
                self.announce = Some(self.install(built));
                // Writes (a sweep's re-tags) that landed while it was built.
                if matches!(self.announce, Some(Ok(()))) {
                    self.catch_up(store);
                }
            }
        }
        if let Some(a) = self.announce.take() {
            out.push(Outcome::Search(SearchOutcome::Ready(a)));
        }
        if let Some(r) = self.worker.try_recv() {
            out.push(Outcome::Search(SearchOutcome::Results(r)));
        }
        out
    }

    /// Waits up to `timeout` for the index and the newest query's answer
    /// (tests, and anything that must not race the worker).
    pub fn wait(&mut self, store: &Store, timeout: Duration, want_results: bool) -> Vec<Outcome> {
        let deadline = Instant::now() + timeout;
        let mut out = Vec::new();
        while let Some(b) = self.build.as_mut() {
            if let Some(built) = b.try_finish(store) {
                self.build = None;
                self.announce = Some(self.install(built));
                if matches!(self.announce, Some(Ok(()))) {
                    self.catch_up(store);
                }
            } else if Instant::now() >= deadline {
                return out;
            } else {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        if let Some(a) = self.announce.take() {
            out.push(Outcome::Search(SearchOutcome::Ready(a)));
        }
        if want_results {
            let left = deadline.saturating_duration_since(Instant::now());
            if let Some(r) = self.worker.recv_timeout(left) {
                out.push(Outcome::Search(SearchOutcome::Results(r)));
            }
        }
        out
    }
}

impl SearchEngine {
    /// Stops an index build still running and waits for its thread.
    pub fn cancel_build(&mut self) {
        if let Some(b) = self.build.take() {
            b.cancel();
        }
    }

    /// Builds the whole index again (after writes that touched unknown records).
    /// The old index answers queries until the new one lands.
    pub fn rebuild(&mut self, store: &Store) {
        match store.target() {
            Some(p) => self.build = Some(spawn_build(p)),
            None => {
                let built = load_index(store);
                self.announce = Some(self.install(built));
            }
        }
    }
}

impl SearchEngine {
    /// Customers for a form's link picker, ranked by the search matcher
    /// (name, company, pinyin and initials of both, phone digits), so `shkj`
    /// and `huaxin` find a customer by company as they do in search. `None`
    /// while there is no index yet (the store's own picker answers then).
    pub fn pick_customers(&self, query: &str, limit: usize) -> Option<Vec<Choice>> {
        let index = self.shared.read().ok()?;
        if index.is_empty() || query.trim().is_empty() {
            return None;
        }
        let q = index.parse_query(query).ok()?.with_kind(Kind::Customer);
        let hits = index.search(&q, limit);
        Some(
            hits.into_iter()
                .map(|h| Choice {
                    id: h.id,
                    label: h.label,
                    detail: h.detail,
                    price: None,
                })
                .collect(),
        )
    }

    /// Options for a form's link picker of `kind` ranked by the search
    /// matcher — customers ([`SearchEngine::pick_customers`]), active
    /// products and campaigns (name, SKU, summary, pinyin and initials) —
    /// with the details the store's picker gives (SKU and price, a
    /// campaign's date). `None` for the deal pickers, while there is no
    /// index yet, and for an empty query: the store's picker answers then.
    pub fn pick(
        &self,
        store: &Store,
        kind: PickKind,
        query: &str,
        limit: usize,
    ) -> Option<Vec<Choice>> {
        let (record, filter) = match kind {
            PickKind::Customer => return self.pick_customers(query, limit),
            PickKind::Product => (Kind::Product, ("active", "yes")),
            PickKind::Campaign => (Kind::Activity, ("type", "campaign")),
            PickKind::Opportunity | PickKind::DealOf(_) => return None,
        };
        let hits = {
            let index = self.shared.read().ok()?;
            if index.is_empty() || query.trim().is_empty() {
                return None;
            }
            let mut q = index.parse_query(query).ok()?.with_kind(record);
            q.filters.push(Filter {
                field: filter.0.into(),
                values: vec![filter.1.into()],
            });
            index.search(&q, limit)
        };
        let choices = hits.into_iter().filter_map(|h| match kind {
            PickKind::Product => {
                let p = store.product(h.id).ok()?;
                Some(Choice {
                    id: h.id,
                    label: p.name,
                    detail: format!("{} · {}", p.sku, p.price.display_plain()),
                    price: Some(p.price),
                })
            }
            _ => {
                let a = store.activity(h.id).ok()?;
                Some(Choice {
                    id: h.id,
                    label: a.summary,
                    detail: a.date.to_string(),
                    price: None,
                })
            }
        });
        Some(choices.collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Customer;

    #[test]
    fn the_customer_picker_matches_like_search() {
        let mut store = Store::open_in_memory().unwrap();
        let c = Customer {
            name: "刘洋".into(),
            company: "上海华信科技有限公司".into(),
            phones: vec!["+86 138 0013 8000".into()],
            ..Default::default()
        };
        let id = store.add_customer(&c).unwrap().meta.id;
        store.add_customer(&Customer::named("Alice")).unwrap();
        let engine = SearchEngine::start(&store);
        for q in ["shkj", "huaxin", "13800138", "liuyang", "ly"] {
            let found = engine.pick_customers(q, 10).unwrap();
            let ids: Vec<i64> = found.iter().map(|c| c.id).collect();
            assert_eq!(ids, vec![id], "{q}");
            assert_eq!(found[0].detail, "上海华信科技有限公司");
        }
        // The store's own picker (used before the index is ready) does not
        // know company pinyin: this is what the index adds.
        assert!(store
            .pick(PickKind::Customer, "huaxin", 10)
            .unwrap()
            .is_empty());
        assert!(engine.pick_customers("", 10).is_none());
    }

    #[test]
    fn product_and_campaign_pickers_match_like_search() {
        use crate::domain::{Activity, ActivityKind, Campaign, Money, Product};
        let mut store = Store::open_in_memory().unwrap();
        let product = |name: &str, sku: &str, active: bool| Product {
            name: name.into(),
            sku: sku.into(),
            price: Money::from_units(120),
            active,
            ..Default::default()
        };
        let forklift = store
            .add_product(&product("电动叉车", "FL-200", true))
            .unwrap()
            .meta
            .id;
        let pump = store
            .add_product(&product("Hydraulic Pump", "HP-9", true))
            .unwrap()
            .meta
            .id;
        store
            .add_product(&product("电动叉车旧款", "FL-100", false))
            .unwrap();
        let campaign = |summary: &str| Activity {
            kind: ActivityKind::Campaign,
            date: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            summary: summary.into(),
            campaign: Some(Campaign::default()),
            ..Default::default()
        };
        let expo = store
            .add_activity(&campaign("上海华信展会"))
            .unwrap()
            .meta
            .id;
        let spring = store
            .add_activity(&campaign("Spring Promotion"))
            .unwrap()
            .meta
            .id;
        let engine = SearchEngine::start(&store);
        // (picker, typed, the ids offered first)
        let table: &[(PickKind, &str, &[i64])] = &[
            // Pinyin, initials, SKU, a typo; the inactive model is not offered.
            (PickKind::Product, "diandong", &[forklift]),
            (PickKind::Product, "ddcc", &[forklift]),
            (PickKind::Product, "fl-", &[forklift]),
            (PickKind::Product, "hydralic", &[pump]),
            (PickKind::Product, "pump", &[pump]),
            (PickKind::Campaign, "huaxin", &[expo]),
            (PickKind::Campaign, "shhx", &[expo]),
            (PickKind::Campaign, "promotoin", &[spring]),
            // A product is not a campaign.
            (PickKind::Campaign, "pump", &[]),
        ];
        for (kind, typed, want) in table {
            let got = engine.pick(&store, *kind, typed, 10).unwrap();
            let ids: Vec<i64> = got.iter().map(|c| c.id).collect();
            assert_eq!(&ids, want, "{kind:?} {typed}");
        }
        let fl = engine.pick(&store, PickKind::Product, "ddcc", 10).unwrap();
        assert_eq!(fl[0].label, "电动叉车");
        assert_eq!(fl[0].price, Some(Money::from_units(120)));
        assert!(fl[0].detail.starts_with("FL-200 · "), "{}", fl[0].detail);
        let ex = engine.pick(&store, PickKind::Campaign, "shhx", 10).unwrap();
        assert_eq!(ex[0].detail, "2026-10-01");
        // Deals are picked by the store; an empty query lists the newest.
        assert!(engine
            .pick(&store, PickKind::Opportunity, "x", 10)
            .is_none());
        assert!(engine.pick(&store, PickKind::Product, " ", 10).is_none());
    }

    #[test]
    fn writes_by_another_connection_reach_the_open_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let store = Store::open(&path).unwrap();
        let mut engine = SearchEngine::start(&store);
        engine.wait(&store, Duration::from_secs(60), false);
        assert!(engine
            .pick_customers("xiamen", 10)
            .is_none_or(|c| c.is_empty()));
        // Another process (its own connection) adds a customer.
        let mut other = Store::open(&path).unwrap();
        let c = Customer {
            name: "王芳".into(),
            company: "厦门远航贸易".into(),
            ..Default::default()
        };
        let id = other.add_customer(&c).unwrap().meta.id;
        engine.catch_up(&store);
        let found = engine.pick_customers("xiamen", 10).unwrap();
        assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), vec![id]);
    }
}
