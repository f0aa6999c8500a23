//! The store on both engines: CRUD per kind, versions, trash, merge — each
//! test runs on SQLite and on PostgreSQL (rstest cases; the PostgreSQL case
//! on the throwaway server of `pg_support`, one database per test) — and
//! the SQLite file's schema and permissions.

mod pg_support;

use chrono::NaiveDate;
use dossier::domain::{
    Activity, ActivityKind, Campaign, Clock, Customer, Kind, LineItem, Money, Opportunity, Product,
    Sentiment, Stage,
};
use dossier::store::engine::EngineKind;
use dossier::store::{Page, Store, StoreError, Visibility, SCHEMA_VERSION};
use rstest::rstest;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[allow(dead_code)]
fn store() -> Store {
    Store::open_in_memory_with_clock(Clock::at_date(day("2026-11-23"))).unwrap()
}

/// A new empty book on `engine`; None when that is PostgreSQL and there is
/// no server (the test returns; `pg_store::postgres_suite_ran` reports it).
fn book(engine: EngineKind) -> Option<Store> {
    let clock = Clock::at_date(day("2026-11-23"));
    match engine {
        EngineKind::Sqlite => Some(Store::open_in_memory_with_clock(clock).unwrap()),
        EngineKind::Postgres => Some(pg_support::store_on_server(
            pg_support::server_or_skip()?,
            "store",
            clock,
        )),
    }
}

fn customer(s: &mut Store, name: &str) -> Customer {
    s.add_customer(&Customer::named(name)).unwrap().record
}

#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn customer_crud_round_trips_every_field(#[case] engine: EngineKind) {
    let Some(mut s) = book(engine) else { return };
    let mut c = Customer::named("张伟");
    c.company = "上海华信科技有限公司".into();
    c.phones = vec!["138 0013 8000".into()];
    c.emails = vec!["zhang.wei@huaxin.example.cn".into()];
    c.country = "中国".into();
    c.city = "上海".into();
    c.size = Some(120);
    c.needs = vec!["after-sales".into()];
    c.custom.insert("wechat".into(), "zw_sh".into());
    let saved = s.add_customer(&c).unwrap();
    assert_eq!(saved.meta.version, 1);
    assert!(saved.meta.id > 0);
    let mut back = s.customer(saved.meta.id).unwrap();
    assert_eq!(back.name, "张伟");
    assert_eq!(back.custom["wechat"], "zw_sh");
    assert_eq!(back.phones, c.phones);
    back.city = "北京".into();
    let updated = s.update_customer(&back).unwrap();
    assert_eq!(updated.meta.version, 2);
    assert_eq!(s.customer(saved.meta.id).unwrap().city, "北京");
}

#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn stale_version_is_a_conflict_not_an_overwrite(#[case] engine: EngineKind) {
    let Some(mut s) = book(engine) else { return };
    let c = customer(&mut s, "Ann Lee");
    let mut first = c.clone();
    let mut second = c.clone();
    first.city = "Paris".into();
    s.update_customer(&first).unwrap();
    second.city = "Rome".into();
    match s.update_customer(&second) {
        Err(StoreError::Conflict {
            expected, found, ..
        }) => assert_eq!((expected, found), (1, 2)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(s.customer(c.meta.id).unwrap().city, "Paris");
    let msg = s.update_customer(&second).unwrap_err().to_string();
    assert!(msg.contains("changed elsewhere"), "{msg}");
}

#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn invalid_records_are_refused_with_field_messages(#[case] engine: EngineKind) {
    let Some(mut s) = book(engine) else { return };
    let mut c = Customer::named("  ");
    c.emails = vec!["not-an-email".into()];
    let err = s.add_customer(&c).unwrap_err();
    let v = err.validation().expect("validation error");
    assert_eq!(v.for_field("name"), Some("is required"));
    assert!(v.for_field("emails").unwrap().contains("not an email"));
    assert_eq!(s.counts().unwrap().customers, 0);
}

#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn opportunity_with_line_items_and_links(#[case] engine: EngineKind) {
    let Some(mut s) = book(engine) else { return };
    let c = customer(&mut s, "Bob");
    let p = s
        .add_product(&Product {
            price: Money::from_units(500),
            sku: "P-1".into(),
            ..Product::named("Printer")
        })
        .unwrap();
    let mut o = Opportunity {
        customer_id: c.meta.id,
        title: "Printers for HQ".into(),
        stage: Stage::Negotiation,
        items: vec![LineItem {
            product_id: p.meta.id,
            quantity: 4,
            unit_price: p.price,
        }],
        ..Default::default()
    };
    let saved = s.add_opportunity(&o).unwrap();
    assert_eq!(
        saved.amount,
        Money::from_units(2000),
        "amount follows the lines"
    );
    assert_eq!(saved.items.len(), 1);
    assert_eq!(s.opportunities_of_customer(c.meta.id).unwrap().len(), 1);

    // A link to a record that does not exist is refused at the field.
    o.customer_id = 999;
    let err = s.add_opportunity(&o).unwrap_err();
    assert!(err
        .validation()
        .unwrap()
        .for_field("customer")
        .unwrap()
        .contains("does not exist"));

    // Winning stamps the close date; a won deal cannot flip straight to lost.
    let mut won = saved.clone();
    won.stage = Stage::Won;
    let won = s.update_opportunity(&won).unwrap();
    assert_eq!(won.closed_on, Some(day("2026-11-23")));
    let mut lost = won.clone();
    lost.stage = Stage::Lost;
    lost.close_reason = "changed mind".into();
    let err = s.update_opportunity(&lost).unwrap_err();
    assert!(err.to_string().contains("reopen"), "{err}");
    // Reopening clears it.
    let mut reopened = won.clone();
    reopened.stage = Stage::Closing;
    assert_eq!(s.update_opportunity(&reopened).unwrap().closed_on, None);
}

#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn product_sku_is_unique_among_live_products(#[case] engine: EngineKind) {
    let Some(mut s) = book(engine) else { return };
    let p = Product {
        sku: "A-1".into(),
        ..Product::named("A")
    };
    s.add_product(&p).unwrap();
    let err = s.add_product(&p).unwrap_err();
    assert!(err.validation().unwrap().for_field("sku").is_some());
}

#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn activities_touches_and_campaigns(#[case] engine: EngineKind) {
    let Some(mut s) = book(engine) else { return };
    let c = customer(&mut s, "Cui");
    let touch = Activity {
        kind: ActivityKind::Call,
        customer_id: Some(c.meta.id),
        date: day("2026-11-20"),
        summary: "asked for a quote".into(),
        sentiment: Some(Sentiment::Positive),
        next_follow_up: Some(day("2026-11-25")),
        ..Default::default()
    };
    let t = s.add_activity(&touch).unwrap();
    assert_eq!(
        s.activity(t.meta.id).unwrap().sentiment,
        Some(Sentiment::Positive)
    );
    let campaign = Activity {
        kind: ActivityKind::Campaign,
        date: day("2026-10-01"),
        summary: "Shanghai expo".into(),
        campaign: Some(Campaign {
            participants: 800,
            cost: Money::from_units(50_000),
            end_date: Some(day("2026-10-03")),
            ..Default::default()
        }),
        ..Default::default()
    };
    let m = s.add_activity(&campaign).unwrap();
    assert_eq!(m.campaign.as_ref().unwrap().participants, 800);
    // A deal may name the campaign; a touch may not pose as one.
    let o = Opportunity {
        customer_id: c.meta.id,
        title: "From the expo".into(),
        campaign_id: Some(m.meta.id),
        ..Default::default()
    };
    s.add_opportunity(&o).unwrap();
    let bad = Opportunity {
        campaign_id: Some(t.meta.id),
        ..o
    };
    assert!(s
        .add_opportunity(&bad)
        .unwrap_err()
        .to_string()
        .contains("not a campaign"));
    // A touch needs its customer.
    let orphan = Activity {
        customer_id: None,
        ..touch
    };
    assert!(s.add_activity(&orphan).is_err());
    assert_eq!(s.activities_of_customer(c.meta.id).unwrap().len(), 1);
}

#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn soft_delete_restore_and_purge(#[case] engine: EngineKind) {
    let Some(mut s) = book(engine) else { return };
    let c = customer(&mut s, "Dana");
    s.delete(Kind::Customer, c.meta.id, Some(1)).unwrap();
    assert!(s.customers(Page::default()).unwrap().is_empty());
    let trash = s.trash().unwrap();
    assert_eq!(trash.len(), 1);
    assert_eq!(trash[0].label, "Dana");
    let in_trash = s.customer(c.meta.id).unwrap();
    assert!(in_trash.meta.deleted_at.is_some());
    // Editing a trashed record is refused.
    assert!(matches!(
        s.update_customer(&in_trash),
        Err(StoreError::InTrash { .. })
    ));
    s.restore(Kind::Customer, c.meta.id).unwrap();
    assert_eq!(s.customers(Page::default()).unwrap().len(), 1);
    // Delete with a stale version is a conflict.
    assert!(matches!(
        s.delete(Kind::Customer, c.meta.id, Some(1)),
        Err(StoreError::Conflict { .. })
    ));
    s.delete(Kind::Customer, c.meta.id, None).unwrap();
    let page = Page {
        visibility: Visibility::Trash,
        ..Page::default()
    };
    assert_eq!(s.customers(page).unwrap().len(), 1);
    assert_eq!(s.empty_trash().unwrap(), 1);
    assert!(matches!(
        s.customer(c.meta.id),
        Err(StoreError::NotFound { .. })
    ));
}

#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn purging_a_product_on_a_deal_is_refused(#[case] engine: EngineKind) {
    let Some(mut s) = book(engine) else { return };
    let c = customer(&mut s, "Eve");
    let p = s.add_product(&Product::named("Widget")).unwrap();
    s.add_opportunity(&Opportunity {
        customer_id: c.meta.id,
        title: "W".into(),
        items: vec![LineItem {
            product_id: p.meta.id,
            quantity: 1,
            unit_price: Money(100),
        }],
        ..Default::default()
    })
    .unwrap();
    s.delete(Kind::Product, p.meta.id, None).unwrap();
    let err = s.purge(Kind::Product, p.meta.id).unwrap_err();
    assert!(err.to_string().contains("deal line"), "{err}");
}

#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn keyset_paging_walks_every_row_once(#[case] engine: EngineKind) {
    let Some(mut s) = book(engine) else { return };
    for i in 0..25 {
        customer(&mut s, &format!("C{i}"));
    }
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = s
            .customers(Page {
                after,
                limit: 10,
                ..Page::default()
            })
            .unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().unwrap().meta.id;
        seen.extend(page.into_iter().map(|c| c.name));
    }
    assert_eq!(seen.len(), 25);
}

#[test]
fn file_database_is_private_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/book.db");
    {
        let mut s = Store::open(&path).unwrap();
        customer(&mut s, "Fay");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.counts().unwrap().customers, 1);
}

#[test]
fn newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let err = Store::open(&path).err().expect("newer schema refused");
    assert!(matches!(err, StoreError::NewerSchema { .. }));
    assert!(err.to_string().contains("newer dossier"), "{err}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION + 1);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let text = "this is my shopping list, not a database ".repeat(200);
    std::fs::write(&path, &text).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

/// Every write returns the tag changes it made, merges and unmerges too.
#[rstest]
#[case::sqlite(EngineKind::Sqlite)]
#[case::postgres(EngineKind::Postgres)]
fn merge_and_unmerge_return_their_own_tag_changes(#[case] engine: EngineKind) {
    let Some(mut s) = book(engine) else { return };
    let mut carl = Customer::named("Carl Berg");
    carl.emails = vec!["carl@berg.example".into()];
    let carl = s.add_customer(&carl).unwrap().meta.id;
    let mut twin = carl_twin();
    twin.city = "Lyon".into();
    let twin = s.add_customer(&twin).unwrap().meta.id;
    let merged = s.merge_customers(carl, twin).unwrap();
    let moved = |w: &[dossier::store::TagChange]| {
        w.iter()
            .filter(|c| c.id == carl && c.dimension == "location")
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(moved(&merged.changes), ["location: – → Lyon"]);
    let undone = s.unmerge(merged.id).unwrap();
    assert_eq!(moved(&undone.changes), ["location: Lyon → –"]);
    // A later write reports only its own.
    let again = s.update_customer(&s.customer(carl).unwrap()).unwrap();
    assert!(again.changes.is_empty(), "{:?}", again.changes);
}

fn carl_twin() -> Customer {
    let mut c = Customer::named("Carl Berg");
    c.emails = vec!["carl@berg.example".into()];
    c
}
