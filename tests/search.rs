//! Search against a real (in-memory) store: ranking, pinyin, filters, and
//! the index staying current after writes.

use dossier::domain::{Customer, Kind, Opportunity, Product, Stage};
use dossier::search::{
    load_index, parse_query, refresh_record, Field, Hit, Narrowing, QueryError, SearchIndex,
    SkimMatcher, Tier,
};
use dossier::store::Store;
use rstest::rstest;

fn customer(store: &mut Store, name: &str, company: &str, city: &str, notes: &str) -> i64 {
    let c = Customer {
        name: name.into(),
        company: company.into(),
        city: city.into(),
        notes: notes.into(),
        ..Default::default()
    };
    store.add_customer(&c).unwrap().meta.id
}

fn tag(store: &Store, kind: Kind, id: i64, dim: &str, value: &str) {
    let mut values = store.tag_values(kind, id).unwrap();
    values.insert(dim.into(), value.into());
    let set: String = std::iter::once("\n".to_string())
        .chain(values.iter().map(|(d, v)| format!("{d}={v}\n")))
        .collect();
    store
        .conn()
        .execute(
            "INSERT OR REPLACE INTO tag_sets (record_kind, record_id, tags) VALUES (?1, ?2, ?3)",
            rusqlite::params![kind.as_str(), id, set],
        )
        .unwrap();
}

/// A small book: Chinese and English names, a few companies and cities.
fn book() -> (Store, Vec<i64>) {
    let mut s = Store::open_in_memory().unwrap();
    let ids = vec![
        customer(&mut s, "张伟", "上海明达信息科技有限公司", "上海", ""),
        customer(
            &mut s,
            "王芳",
            "北京华兴贸易有限公司",
            "北京",
            "met at the zhang expo",
        ),
        customer(&mut s, "Anna Zhang", "Acme Ltd", "Shenzhen", ""),
        customer(&mut s, "Zhangsan Li", "", "上海", ""),
        customer(&mut s, "单雄信", "", "广州", ""),
        customer(&mut s, "曾国藩", "", "长沙", "prefers calls"),
        customer(
            &mut s,
            "Bob Stone",
            "Acme Widgets",
            "London",
            "Asked about zhang",
        ),
    ];
    tag(&s, Kind::Customer, ids[0], "value", "high");
    tag(&s, Kind::Customer, ids[3], "value", "low");
    tag(&s, Kind::Customer, ids[1], "lifecycle", "churned");
    (s, ids)
}

fn search(index: &SearchIndex, q: &str) -> Vec<Hit> {
    index.search(&index.parse_query(q).unwrap(), 50)
}

fn ids(hits: &[Hit]) -> Vec<i64> {
    hits.iter().map(|h| h.id).collect()
}

#[test]
fn exact_beats_prefix_beats_fuzzy() {
    let mut s = Store::open_in_memory().unwrap();
    let fuzzy = customer(&mut s, "Zoe Hangar", "", "", "");
    let prefix = customer(&mut s, "Zhangsan", "", "", "");
    let exact = customer(&mut s, "Zhang", "", "", "");
    let index = load_index(&s).unwrap();
    let hits = search(&index, "zhang");
    assert_eq!(ids(&hits), vec![exact, prefix, fuzzy]);
    assert_eq!(hits[0].tier, Tier::Exact);
    assert_eq!(hits[1].tier, Tier::Prefix);
    assert_eq!(hits[2].tier, Tier::Fuzzy);
}

#[test]
fn name_hits_rank_above_notes_hits() {
    let (s, ids_) = book();
    let index = load_index(&s).unwrap();
    let hits = search(&index, "zhang");
    let pos = |id: i64| hits.iter().position(|h| h.id == id).unwrap();
    // Anna Zhang (name word) above Bob Stone (notes word).
    assert!(pos(ids_[2]) < pos(ids_[6]));
    assert_eq!(hits[pos(ids_[6])].field, Field::Notes);
    assert_eq!(hits[pos(ids_[2])].field, Field::Name);
}

#[rstest]
#[case::full_pinyin("zhangwei", 0)]
#[case::initials("zw", 0)]
#[case::company_initials("shkj", 0)]
#[case::company_pinyin("mingda", 0)]
#[case::chinese("张伟", 0)]
#[case::surname_shan("shanxiongxin", 4)]
#[case::surname_dan("danxiongxin", 4)]
#[case::surname_zeng("zengguofan", 5)]
#[case::initials_sxx("sxx", 4)]
fn pinyin_and_initials_find_chinese_names(#[case] q: &str, #[case] who: usize) {
    let (s, ids_) = book();
    let index = load_index(&s).unwrap();
    let hits = search(&index, q);
    assert_eq!(
        hits.first().map(|h| h.id),
        Some(ids_[who]),
        "{q}: {hits:#?}"
    );
}

#[test]
fn pinyin_hits_highlight_the_chinese_chars() {
    let (s, _) = book();
    let index = load_index(&s).unwrap();
    let hit = &search(&index, "zw")[0];
    assert!(hit.via_key);
    assert_eq!(hit.text, "张伟");
    assert_eq!(hit.indices, vec![0, 1]);
    let hit = &search(&index, "shkj")[0];
    assert_eq!(hit.field, Field::Company);
    let chars: Vec<char> = hit.text.chars().collect();
    let lit: String = hit.indices.iter().map(|&i| chars[i]).collect();
    assert_eq!(lit, "上海科技");
}

#[test]
fn plain_hits_highlight_matched_chars() {
    let (s, ids_) = book();
    let index = load_index(&s).unwrap();
    let hit = search(&index, "anna z")
        .into_iter()
        .find(|h| h.id == ids_[2])
        .unwrap();
    assert_eq!(hit.text, "Anna Zhang");
    assert_eq!(hit.indices, vec![0, 1, 2, 3, 5]);
}

#[test]
fn filters_combine_with_text() {
    let (s, ids_) = book();
    // Replace the classifier's value tiers with known ones.
    for (i, id) in ids_.iter().enumerate() {
        let value = match i {
            0 => "high",
            3 => "low",
            _ => "medium",
        };
        tag(&s, Kind::Customer, *id, "value", value);
    }
    let index = load_index(&s).unwrap();
    assert_eq!(
        ids(&search(&index, "value:high city:上海 zhang")),
        vec![ids_[0]]
    );
    assert_eq!(ids(&search(&index, "city:上海")), vec![ids_[0], ids_[3]]);
    assert!(ids(&search(&index, "tag:churned")).contains(&ids_[1]));
    assert_eq!(ids(&search(&index, "value:low zhang")), vec![ids_[3]]);
    assert_eq!(
        ids(&search(&index, "value:high value:low")),
        vec![ids_[0], ids_[3]]
    );
    assert!(search(&index, "value:nonesuch").is_empty());
}

#[test]
fn unknown_filter_is_a_clear_error() {
    let (s, _) = book();
    let index = load_index(&s).unwrap();
    let err = index.parse_query("colour:red zhang").unwrap_err();
    assert!(matches!(err, QueryError::UnknownFilter { .. }));
    assert!(err.to_string().contains("known filters: kind, tag, city"));
    // A dimension the classifier wrote is known to this index.
    tag(&s, Kind::Customer, 1, "mood", "sunny");
    let index = load_index(&s).unwrap();
    assert_eq!(ids(&search(&index, "mood:sunny")), vec![1]);
}

#[test]
fn phones_match_by_digits_too() {
    let mut s = Store::open_in_memory().unwrap();
    let c = Customer {
        name: "李娜".into(),
        phones: vec!["+86 138-0013-8000".into()],
        emails: vec!["lina@example.com".into()],
        ..Default::default()
    };
    let id = s.add_customer(&c).unwrap().meta.id;
    let index = load_index(&s).unwrap();
    let hit = &search(&index, "13800138")[0];
    assert_eq!((hit.id, hit.field), (id, Field::Phone));
    assert_eq!(hit.text, "+86 138-0013-8000");
    assert_eq!(hit.indices, vec![4, 5, 6, 8, 9, 10, 11, 13]);
    assert_eq!(search(&index, "lina@")[0].field, Field::Email);
}

#[test]
fn index_stays_current_after_add_edit_delete() {
    let (mut s, ids_) = book();
    let mut index = load_index(&s).unwrap();
    let id = customer(&mut s, "Quentin Blake", "", "", "");
    refresh_record(&mut index, &s, Kind::Customer, id).unwrap();
    assert_eq!(ids(&search(&index, "quentin")), vec![id]);

    let mut c = s.customer(id).unwrap();
    c.name = "Roald Dahl".into();
    s.update_customer(&c).unwrap();
    refresh_record(&mut index, &s, Kind::Customer, id).unwrap();
    assert!(search(&index, "quentin").is_empty());
    assert_eq!(ids(&search(&index, "roald")), vec![id]);

    s.delete(Kind::Customer, ids_[0], None).unwrap();
    refresh_record(&mut index, &s, Kind::Customer, ids_[0]).unwrap();
    assert!(search(&index, "zhangwei").is_empty());
    assert!(!index.contains(Kind::Customer, ids_[0]));

    s.restore(Kind::Customer, ids_[0]).unwrap();
    refresh_record(&mut index, &s, Kind::Customer, ids_[0]).unwrap();
    assert_eq!(ids(&search(&index, "zhangwei")), vec![ids_[0]]);
}

#[test]
fn other_kinds_are_searched_and_kind_filters() {
    let (mut s, ids_) = book();
    let o = Opportunity {
        customer_id: ids_[0],
        title: "ERP rollout".into(),
        stage: Stage::Negotiation,
        ..Default::default()
    };
    let oid = s.add_opportunity(&o).unwrap().meta.id;
    let pid = s.add_product(&Product::named("智能手表")).unwrap().meta.id;
    let index = load_index(&s).unwrap();
    assert_eq!(ids(&search(&index, "stage:negotiation")), vec![oid]);
    let hit = &search(&index, "erp")[0];
    assert_eq!(
        (hit.kind, hit.id, hit.detail.as_str()),
        (Kind::Opportunity, oid, "张伟")
    );
    // A deal is found by its customer's name, after the customer itself.
    let hits = search(&index, "zhangwei");
    assert_eq!(hits[0].kind, Kind::Customer);
    assert!(hits.iter().any(|h| h.kind == Kind::Opportunity));
    assert!(search(&index, "kind:customer erp").is_empty());
    assert_eq!(search(&index, "znsb")[0].id, pid);
}

#[test]
fn narrowing_gives_the_same_results_as_a_full_scan() {
    let (s, _) = book();
    let index = load_index(&s).unwrap();
    let mut n = Narrowing::new();
    for q in ["z", "zh", "zha", "zhan", "zhang", "zhang w", "zhang wei"] {
        let q = parse_query(q).unwrap();
        let narrowed = index.search_with(&q, 50, &SkimMatcher, Some(&mut n));
        assert_eq!(narrowed, index.search(&q, 50), "{q}");
    }
}

#[test]
fn limit_keeps_the_best() {
    let mut s = Store::open_in_memory().unwrap();
    for i in 0..300 {
        customer(&mut s, &format!("Client {i:03}"), "", "", "");
    }
    let exact = customer(&mut s, "client", "", "", "");
    let index = load_index(&s).unwrap();
    let hits = search(&index, "client");
    assert_eq!(hits.len(), 50);
    assert_eq!(hits[0].id, exact);
    assert_eq!(hits[1].label, "Client 000");
}

fn dossier(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("DOSSIER_NOW", "2026-11-23")
        .env_remove("DOSSIER_DB")
        .env("NO_COLOR", "1")
        .output()
        .expect("run dossier")
}

#[test]
fn cli_search_plain_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    for (name, company) in [
        ("张伟", "上海明达信息科技有限公司"),
        ("Anna Zhang", "Acme Ltd"),
    ] {
        let out = dossier(
            &db,
            &["add", "customer", "--name", name, "--company", company],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = dossier(&db, &["search", "zw"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("customer") && first.contains("张伟"),
        "{text}"
    );
    assert!(first.contains("name: 张伟"), "{first}");

    let out = dossier(&db, &["search", "zhang", "--json", "--limit", "1"]);
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["kind"], "customer");
    assert!(lines[0]["indices"].is_array());

    let out = dossier(&db, &["search", "colour:red"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unknown filter 'colour:'"), "{err}");

    let out = dossier(&db, &["search", "--kind", "product", "zw"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
}

#[test]
fn query_worker_answers_the_newest_query_only() {
    use dossier::search::{QueryWorker, SharedIndex};
    use std::sync::{Arc, RwLock};
    use std::time::Duration;
    let (s, ids_) = book();
    let shared: SharedIndex = Arc::new(RwLock::new(load_index(&s).unwrap()));
    let worker = QueryWorker::spawn(shared.clone());
    worker.submit("z", None, 50);
    worker.submit("zh", None, 50);
    let last = worker.submit("zw", Some(Kind::Customer), 50);
    let r = worker
        .recv_timeout(Duration::from_secs(10))
        .expect("an answer");
    assert_eq!(r.generation, last);
    assert_eq!(r.input, "zw");
    assert_eq!(r.hits.unwrap()[0].id, ids_[0]);
    // Nothing older arrives afterwards.
    assert!(worker.recv_timeout(Duration::from_millis(200)).is_none());

    let bad = worker.submit("colour:red", None, 50);
    let r = worker
        .recv_timeout(Duration::from_secs(10))
        .expect("an answer");
    assert_eq!(r.generation, bad);
    assert!(r.hits.is_err());
}

#[test]
fn background_build_applies_changes_made_meanwhile() {
    use dossier::search::spawn_build;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    let mut s = Store::open(&path).unwrap();
    customer(&mut s, "张伟", "", "", "");
    let mut build = spawn_build(path.clone());
    let id = customer(&mut s, "Late Arrival", "", "", "");
    build.note_change(Kind::Customer, id);
    let index = build.wait(&s).unwrap();
    assert_eq!(ids(&search(&index, "late arrival")), vec![id]);
    assert_eq!(search(&index, "zw").len(), 1);
}
