//! Issue 13: records have a global identity (UUID); a JSON backup restores
//! exactly into an empty book and merges by UUID into one with records —
//! never by integer id, never setting a version back — and a bad backup is
//! refused whole before anything is written.

use dossier::domain::{Customer, Opportunity};
use dossier::interchange::{export, import_bytes, ExportOptions, Format, ImportOptions};
use dossier::store::Store;

fn store() -> Store {
    Store::open_in_memory().unwrap()
}

fn backup(s: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    let opts = ExportOptions {
        format: Format::Json,
        kind: None,
        tags: vec![],
    };
    export(s, &opts, &mut out).unwrap();
    out
}

fn restore(s: &mut Store, bytes: &[u8]) -> dossier::interchange::ImportReport {
    import_bytes(s, bytes, Format::Json, &ImportOptions::default()).unwrap()
}

fn restore_err(s: &mut Store, bytes: &[u8]) -> String {
    import_bytes(s, bytes, Format::Json, &ImportOptions::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_else(|| "accepted".into())
}

/// A book with two customers and a deal on the second.
fn book(first: &str, second: &str) -> (Store, i64, i64, i64) {
    let mut s = store();
    let a = s.add_customer(&Customer::named(first)).unwrap().meta.id;
    let b = s.add_customer(&Customer::named(second)).unwrap().meta.id;
    let deal = s
        .add_opportunity(&Opportunity {
            customer_id: b,
            title: format!("Deal of {second}"),
            ..Default::default()
        })
        .unwrap()
        .meta
        .id;
    (s, a, b, deal)
}

#[test]
fn every_record_has_a_distinct_uuid_and_the_backup_carries_it() {
    let (s, a, b, deal) = book("Ann", "Bo");
    let ua = s.customer(a).unwrap().meta.uuid;
    let ub = s.customer(b).unwrap().meta.uuid;
    let ud = s.opportunity(deal).unwrap().meta.uuid;
    for u in [&ua, &ub, &ud] {
        assert_eq!(u.len(), 36, "{u}");
        assert_eq!(u.as_bytes()[14], b'4', "version 4: {u}");
    }
    assert_ne!(ua, ub);
    let text = String::from_utf8(backup(&s)).unwrap();
    assert!(text.contains(&ua) && text.contains(&ud));
}

#[test]
fn another_books_backup_merges_by_uuid_never_by_id() {
    let (mut a, ann, bo, bo_deal) = book("Ann", "Bo");
    let (b, _, _, _) = book("Cy", "Di");
    let r = restore(&mut a, &backup(&b));
    assert_eq!((r.created, r.updated), (3, 0), "{}", r.summary());
    // This book's records are untouched, under their ids…
    assert_eq!(a.customer(ann).unwrap().name, "Ann");
    assert_eq!(a.customer(bo).unwrap().name, "Bo");
    let deal = a.opportunity(bo_deal).unwrap();
    assert_eq!((deal.customer_id, deal.title.as_str()), (bo, "Deal of Bo"));
    // …and the other book's deal sits on the other book's customer.
    assert_eq!(a.counts().unwrap().customers, 4);
    let di_deal = a
        .opportunities(dossier::store::Page {
            limit: 100,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .find(|o| o.title == "Deal of Di")
        .unwrap();
    assert_eq!(a.customer(di_deal.customer_id).unwrap().name, "Di");
    // Restoring the same backup again changes nothing.
    let again = restore(&mut a, &backup(&b));
    assert_eq!((again.created, again.updated), (0, 0));
    assert!(a.doctor().unwrap().is_healthy());
}

#[test]
fn an_older_backup_never_sets_a_version_back() {
    let (mut a, ann, _, _) = book("Ann", "Bo");
    let old = backup(&a);
    let mut c = a.customer(ann).unwrap();
    c.notes = "called on Monday".into();
    let c = a.update_customer(&c).unwrap();
    assert_eq!(c.meta.version, 2);
    let r = restore(&mut a, &old);
    assert_eq!((r.created, r.updated), (0, 0), "{}", r.summary());
    let now = a.customer(ann).unwrap();
    assert_eq!(
        (now.meta.version, now.notes.as_str()),
        (2, "called on Monday")
    );
    assert!(a.doctor().unwrap().is_healthy());
}

#[test]
fn a_newer_copy_updates_and_a_copy_changed_on_both_sides_is_a_clash() {
    let (mut a, ann, bo, _) = book("Ann", "Bo");
    let mut other = store();
    restore(&mut other, &backup(&a));
    // The other book moves Ann to version 2; this one does not touch her.
    let mut c = other.customer(ann).unwrap();
    c.city = "上海".into();
    other.update_customer(&c).unwrap();
    // Both books move Bo to version 2, differently.
    let mut c = other.customer(bo).unwrap();
    c.city = "北京".into();
    other.update_customer(&c).unwrap();
    let mut c = a.customer(bo).unwrap();
    c.city = "广州".into();
    a.update_customer(&c).unwrap();

    let r = restore(&mut a, &backup(&other));
    assert_eq!(r.updated, 1, "{}", r.summary());
    let ann_now = a.customer(ann).unwrap();
    assert_eq!((ann_now.meta.version, ann_now.city.as_str()), (2, "上海"));
    assert_eq!(
        a.customer(bo).unwrap().city,
        "广州",
        "a clash is not applied"
    );
    assert_eq!(r.rejected.len(), 1, "{:?}", r.rejected);
    assert!(
        r.rejected[0].reason.contains("changed both"),
        "{}",
        r.rejected[0].reason
    );
}

/// The backup as JSON, changed by `edit`.
fn edited(s: &Store, edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(&backup(s)).unwrap();
    edit(&mut v);
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn a_bad_backup_is_refused_whole_naming_the_problem() {
    let (src, _, _, _) = book("Cy", "Di");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "schema version 9999",
            edited(&src, |v| v["schema_version"] = 9999.into()),
        ),
        (
            "versions count from 1",
            edited(&src, |v| v["customers"][0]["version"] = (-3).into()),
        ),
        (
            "never give 'value' the value 'platinum'",
            edited(&src, |v| {
                v["tags"] = serde_json::json!([{"record_kind": "customer", "record_id": 1,
                    "dimension": "value", "value": "platinum"}])
            }),
        ),
        (
            "customers[0].favourite_colour",
            edited(&src, |v| {
                v["customers"][0]["favourite_colour"] = "red".into()
            }),
        ),
        (
            "links to customer 77, which is not in the backup",
            edited(&src, |v| v["opportunities"][0]["customer_id"] = 77.into()),
        ),
        (
            "is not a UUID",
            edited(&src, |v| v["customers"][1]["uuid"] = "not-a-uuid".into()),
        ),
    ];
    for (expected, bytes) in cases {
        for mut target in [store(), book("Ann", "Bo").0] {
            let before = backup(&target);
            let e = restore_err(&mut target, &bytes) + " [" + expected + "]";
            assert!(e.contains(expected), "wanted '{expected}' in: {e}");
            assert!(e.contains("nothing was restored"), "{e}");
            assert!(backup(&target) == before, "{expected}: the book changed");
        }
    }
}

#[test]
fn doctor_names_a_record_without_a_uuid() {
    let (mut s, a, _, _) = book("Ann", "Bo");
    assert!(s.doctor().unwrap().is_healthy());
    s.conn()
        .execute("UPDATE customers SET uuid = NULL WHERE id = ?1", [a])
        .unwrap();
    let report = s.doctor().unwrap();
    assert!(!report.is_healthy());
    let all: Vec<&String> = report.checks.iter().flat_map(|c| &c.problems).collect();
    assert!(
        all.iter()
            .any(|p| p.contains(&format!("customer {a} has no uuid"))),
        "{all:?}"
    );
}
