//! The fast search (distinct texts and their postings, narrowing from the
//! last keystroke) must rank exactly as testing every record one by one,
//! also after edits (changed records are searched one by one) and after the
//! postings are rebuilt.

use dossier::domain::Kind;
use dossier::search::{load_index, refresh_record, Narrowing, SearchIndex, SkimMatcher};
use dossier::store::Store;

const QUERIES: &[&str] = &[
    "z",
    "zw",
    "zhang",
    "zhangwei",
    "wang fang",
    "shkj",
    "138",
    "chen",
    "acme",
    "a",
    "li",
    "lw",
    "city:上海 zhang",
    "kind:customer wang",
    "kind:opportunity li",
    "张",
    "上海",
    "e w",
    "gmail",
    "xq",
    "zhagnwei",
    "wagnfang shkj",
    "0021",
    "ciif",
    "chongqing",
    // Phone numbers of one length tie by the thousand: lowest records win.
    "1",
    "13",
    "5",
    // A second word inside the first one's pinyin; a word that stops being
    // a prefix.
    "wang f",
    "zhang wei",
    "mart",
    "shk",
    // Several words, some inside a text (its pinyin, initials or Chinese):
    // the shortcuts for records holding every word as a prefix or as a
    // substring must rank exactly as the record-by-record search.
    "wang fang",
    "fang wang",
    "ang fa",
    "ng f",
    "artin",
    "martinez",
    "张 wei",
    "王 fang",
    "zw 上海",
    "shkj 上海",
    "wf wang",
    "li na",
    "ei an",
    "an 1",
    "138 an",
    "kind:customer ang f",
    "city:上海 ang wei",
    "hua ke ji",
    "科技 hx",
];

fn gen_book() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    dossier::sample::gen::generate(&mut s, 400, 7).unwrap();
    s
}

/// Every query, typed one key at a time with narrowing, and pasted whole,
/// gives what the record-by-record search gives.
fn assert_same(index: &SearchIndex, limit: usize) {
    for text in QUERIES {
        let mut narrowing = Narrowing::new();
        let ends = text.char_indices().map(|(i, _)| i).skip(1);
        for end in ends.chain([text.len()]) {
            // `city:` alone is an error the input shows while typing.
            let Ok(q) = index.parse_query(&text[..end]) else {
                continue;
            };
            let want = index.search_by_record(&q, limit);
            let typed = index.search_with(&q, limit, &SkimMatcher, Some(&mut narrowing));
            assert_eq!(typed, want, "typed {:?} (limit {limit})", &text[..end]);
        }
        let q = index.parse_query(text).unwrap();
        assert_eq!(
            index.search(&q, limit),
            index.search_by_record(&q, limit),
            "{text}"
        );
    }
}

#[test]
fn postings_rank_like_the_record_by_record_search() {
    let s = gen_book();
    let index = load_index(&s).unwrap();
    assert!(!index
        .search(&index.parse_query("a").unwrap(), 10)
        .is_empty());
    for limit in [1, 20, 200] {
        assert_same(&index, limit);
    }
}

#[test]
fn edited_records_are_found_before_and_after_a_rebuild() {
    let mut s = gen_book();
    let mut index = load_index(&s).unwrap();
    let ids: Vec<i64> = (1..=40).collect();
    for &id in &ids[..20] {
        let mut c = s.customer(id).unwrap();
        c.name = format!("Zhang Wei {id}");
        c.company = "Acme Chen Trading".into();
        s.update_customer(&c).unwrap();
        refresh_record(&mut index, &s, Kind::Customer, id).unwrap();
    }
    for &id in &ids[20..] {
        s.delete(Kind::Customer, id, None).unwrap();
        refresh_record(&mut index, &s, Kind::Customer, id).unwrap();
    }
    let q = index.parse_query("zhang wei 7").unwrap();
    assert!(index.search(&q, 5).iter().any(|h| h.id == 7));
    let gone = index.parse_query(&s.customer(30).unwrap().name).unwrap();
    assert!(index.search(&gone, 200).iter().all(|h| h.id != 30));
    assert_same(&index, 20);
    index.build_postings();
    assert_same(&index, 20);
}

#[test]
fn narrowing_survives_an_edit_between_keystrokes() {
    let mut s = gen_book();
    let mut index = load_index(&s).unwrap();
    let mut narrowing = Narrowing::new();
    let q = index.parse_query("qu").unwrap();
    index.search_with(&q, 20, &SkimMatcher, Some(&mut narrowing));
    let mut c = s.customer(3).unwrap();
    c.name = "Quentin Blake".into();
    s.update_customer(&c).unwrap();
    refresh_record(&mut index, &s, Kind::Customer, 3).unwrap();
    let q = index.parse_query("quentin").unwrap();
    let hits = index.search_with(&q, 20, &SkimMatcher, Some(&mut narrowing));
    assert_eq!(hits.first().map(|h| h.id), Some(3));
    assert_eq!(hits, index.search_by_record(&q, 20));
}
