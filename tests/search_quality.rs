//! Search as a Chinese salesperson types it (issue 15): words read by their
//! usual pinyin, one typo forgiven, numbers matched as numbers, scattered
//! letters cut, and who ranked above what was said. Table tests on one book.

use dossier::domain::{Activity, ActivityKind, Customer, Kind, Product};
use dossier::search::{load_index, Field, Hit, SearchIndex, Tier};
use dossier::store::Store;
use rstest::rstest;

fn customer(s: &mut Store, name: &str, company: &str, city: &str, phone: &str) -> i64 {
    let c = Customer {
        name: name.into(),
        company: company.into(),
        city: city.into(),
        phones: if phone.is_empty() {
            Vec::new()
        } else {
            vec![phone.into()]
        },
        ..Default::default()
    };
    s.add_customer(&c).unwrap().meta.id
}

/// Record names, so a failing case says who came back.
struct Book {
    index: SearchIndex,
    names: Vec<(Kind, i64, String)>,
}

impl Book {
    fn who(&self, h: &Hit) -> String {
        self.names
            .iter()
            .find(|(k, id, _)| *k == h.kind && *id == h.id)
            .map(|(_, _, n)| n.clone())
            .unwrap_or_default()
    }

    fn search(&self, q: &str) -> Vec<Hit> {
        self.index.search(&self.index.parse_query(q).unwrap(), 50)
    }

    fn found(&self, q: &str) -> Vec<String> {
        self.search(q).iter().map(|h| self.who(h)).collect()
    }
}

fn book() -> Book {
    let mut s = Store::open_in_memory().unwrap();
    let mut names = Vec::new();
    let people = [
        ("张伟", "重庆长城科技有限公司", "重庆", "+86 138 0013 8000"),
        ("李娜", "长沙华信贸易有限公司", "长沙", ""),
        ("王芳", "厦门恒通电子有限公司", "厦门", ""),
        ("陈静", "招商银行上海分行", "上海", ""),
        ("刘洋", "上海明达科技有限公司", "上海", "021 5888 0021"),
        ("赵敏", "", "成都", ""),
        ("Klaus Becker", "Vertex GmbH", "Munich", ""),
        ("Tom Backer", "Apex Ltd", "London", "+44 20 7946 0291"),
        ("Zhang Wei", "Acme Inc", "Austin", ""),
        // caimingfang: `ciif` is in it, scattered.
        ("蔡明芳", "", "", ""),
    ];
    for (name, company, city, phone) in people {
        let id = customer(&mut s, name, company, city, phone);
        names.push((Kind::Customer, id, name.to_string()));
    }
    let p = s.add_product(&Product::named("Electric forklift")).unwrap();
    names.push((Kind::Product, p.meta.id, "Electric forklift".into()));
    // Touches whose summaries loosely spell `shkj` (上海客户…介绍价格).
    let who = names[4].1;
    for summary in ["上海客户回访，介绍价格", "上海客户会议纪要", "送货款项结算"]
    {
        let a = Activity {
            kind: ActivityKind::Call,
            customer_id: Some(who),
            summary: summary.into(),
            ..Default::default()
        };
        let a = s.add_activity(&a).unwrap();
        names.push((Kind::Activity, a.meta.id, summary.into()));
    }
    Book {
        index: load_index(&s).unwrap(),
        names,
    }
}

/// Words whose chars have several readings, typed as people say them.
#[rstest]
#[case::chongqing("chongqing", "张伟")]
#[case::changsha("changsha", "李娜")]
#[case::xiamen("xiamen", "王芳")]
#[case::yinhang("yinhang", "陈静")]
#[case::chengdu_city("chengdu", "赵敏")]
#[case::initials_cqcc("cqcc", "张伟")]
#[case::initials_xmht("xmht", "王芳")]
#[case::initials_zsyh("zsyh", "陈静")]
#[case::initials_cskj("cqcckj", "张伟")]
fn usual_pinyin_of_words_finds_them(#[case] q: &str, #[case] who: &str) {
    let b = book();
    assert_eq!(b.found(q).first().map(String::as_str), Some(who), "{q}");
}

/// One swapped or replaced letter in a word of five or more still finds it,
/// below the exact matches; shorter words and two typos do not.
#[rstest]
#[case::swapped_pinyin("zhagnwei", &["张伟"])]
#[case::swapped_surname("klaus bekcer", &["Klaus Becker"])]
#[case::exact_then_replaced("becker", &["Klaus Becker", "Tom Backer"])]
#[case::exact_then_replaced_other_way("backer", &["Tom Backer", "Klaus Becker"])]
#[case::too_short("bekc", &[])]
#[case::two_typos("bekcre", &[])]
fn one_typo_is_forgiven(#[case] q: &str, #[case] want: &[&str]) {
    let b = book();
    let found = b.found(q);
    let mut sorted = found.clone();
    sorted.sort();
    let mut want_sorted: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want_sorted.sort();
    assert_eq!(sorted, want_sorted, "{q}: {found:?}");
    if q.starts_with("b") && !want.is_empty() {
        assert_eq!(found, want, "{q}: exact first");
        let hits = b.search(q);
        assert_eq!(hits.last().map(|h| h.tier), Some(Tier::Typo), "{q}");
    }
}

/// A number matches digits in a row, never scattered.
#[rstest]
#[case::in_a_row("0021", &["刘洋"])]
#[case::across_separators("13800138", &["张伟"])]
#[case::not_scattered("0291", &["Tom Backer"])]
#[case::nowhere_in_a_row("4491", &[])]
fn digits_match_digits_in_a_row(#[case] q: &str, #[case] want: &[&str]) {
    let b = book();
    assert_eq!(b.found(q), want, "{q}");
}

/// Letters scattered through a text are not a match.
#[rstest]
#[case::scattered_in_english_and_pinyin("ciif", &[])]
#[case::initials_still_match("cmf", &["蔡明芳"])]
#[case::word_starts("elfork", &["Electric forklift"])]
#[case::initials("zw", &["张伟", "Zhang Wei"])]
fn weak_fuzzy_hits_are_cut(#[case] q: &str, #[case] want: &[&str]) {
    let b = book();
    let mut found = b.found(q);
    found.sort();
    let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(found, want, "{q}");
}

/// Global search: the company a salesperson means ranks above touches that
/// merely mention it.
#[rstest]
#[case::company_initials("shkj", "刘洋")]
#[case::company_pinyin("shanghai", "陈静")]
fn names_and_companies_rank_above_activities(#[case] q: &str, #[case] first: &str) {
    let b = book();
    let hits = b.search(q);
    let kinds: Vec<Kind> = hits.iter().map(|h| h.kind).collect();
    let first_activity = kinds.iter().position(|k| *k == Kind::Activity);
    let last_customer = kinds.iter().rposition(|k| *k == Kind::Customer);
    assert!(
        last_customer < first_activity || first_activity.is_none(),
        "{q}: {:?}",
        hits.iter().map(|h| b.who(h)).collect::<Vec<_>>()
    );
    assert!(
        hits.iter()
            .any(|h| h.kind == Kind::Customer && b.who(h) == first),
        "{q}: {hits:#?}"
    );
    let activity = hits.iter().find(|h| h.kind == Kind::Activity);
    if let Some(a) = activity {
        assert_eq!(a.field, Field::Summary, "{q}: the summary is its label");
        assert!(!a.label.is_empty());
    }
}

/// A search shows its best few; the count says how many match in all, and
/// the query worker sends it after the hits when the list is full.
#[test]
fn the_count_of_all_matches_follows_a_full_list() {
    use dossier::search::{QueryWorker, SharedIndex};
    use std::sync::{Arc, RwLock};
    use std::time::Duration;
    let b = book();
    let q = b.index.parse_query("shanghai").unwrap();
    let all = b.index.search(&q, 1000).len();
    assert!(all > 2, "{all}");
    assert_eq!(b.index.search(&q, 2).len(), 2);
    assert_eq!(b.index.count(&q), all);
    let typo = b.index.parse_query("becker").unwrap();
    assert_eq!(b.index.count(&typo), 2, "typos count too");

    let shared: SharedIndex = Arc::new(RwLock::new(b.index));
    let worker = QueryWorker::spawn(shared);
    let wait = Duration::from_secs(10);
    worker.submit("shanghai", None, 2);
    let first = worker.recv_timeout(wait).expect("the hits");
    assert_eq!((first.hits.unwrap().len(), first.total), (2, None));
    let second = worker.recv_timeout(wait).expect("the count");
    assert_eq!((second.hits.unwrap().len(), second.total), (2, Some(all)));
    // A list that is not full needs no count.
    worker.submit("becker", None, 50);
    let r = worker.recv_timeout(wait).expect("the hits");
    assert_eq!(r.total, None);
    assert!(worker.recv_timeout(Duration::from_millis(200)).is_none());
}

/// Lists sort Chinese by pinyin among Latin names, not by code point
/// (陈 U+9648 comes after 张 U+5F20 by code point; chen before zhang).
#[test]
fn lists_sort_chinese_by_pinyin() {
    use dossier::store::{sorted_customer_ids, CustomerSort, ListQuery, ListSort};
    let mut s = Store::open_in_memory().unwrap();
    let names = ["张伟", "Bob Stone", "陈静", "重庆客户", "阿里", "Zoe"];
    let ids: Vec<i64> = names
        .iter()
        .map(|n| customer(&mut s, n, "", "", ""))
        .collect();
    let name_of = |id: i64| names[ids.iter().position(|i| *i == id).unwrap()];
    let sorted: Vec<&str> = sorted_customer_ids(s.conn(), CustomerSort::Name)
        .unwrap()
        .into_iter()
        .map(name_of)
        .collect();
    assert_eq!(
        sorted,
        ["阿里", "Bob Stone", "陈静", "重庆客户", "张伟", "Zoe"]
    );

    for p in ["智能手表", "Acme kettle", "白板"] {
        s.add_product(&Product::named(p)).unwrap();
    }
    let q = ListQuery {
        kind: Kind::Product,
        sort: ListSort::Name,
        descending: false,
        filter: None,
        campaigns: None,
        owner: None,
    };
    let entries = s.list_entries(&q).unwrap();
    let products: Vec<String> = entries
        .iter()
        .map(|e| s.product(e.id).unwrap().name)
        .collect();
    assert_eq!(products, ["Acme kettle", "白板", "智能手表"]);
}
