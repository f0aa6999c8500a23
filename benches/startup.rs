//! Start-up on a large book: what the store does before the first frame.
//!
//! `cargo bench --bench startup -- --warm-up-time 1 --measurement-time 5`
//! Sizes come from `DOSSIER_BENCH_CUSTOMERS` (default `1000000`; e.g.
//! `100000,1000000`). Each book is generated once into
//! `target/bench-books/` (shared with the search benchmark) and reused.
//!
//! The budget is 300 ms to the first frame; the page-by-page integrity
//! check, the sweep and the search index run after it, in the background.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use dossier::store::{Page, Store};
use std::hint::black_box;
use std::path::PathBuf;

fn book(customers: u64) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-books");
    std::fs::create_dir_all(&dir).expect("create target/bench-books");
    let path = dir.join(format!("gen-{customers}.db"));
    if !path.exists() {
        let tmp = dir.join(format!("gen-{customers}.db.part"));
        let _ = std::fs::remove_file(&tmp);
        let mut store = Store::open(&tmp).expect("open bench book");
        dossier::sample::gen::generate(&mut store, customers, 42).expect("generate");
        drop(store);
        std::fs::rename(&tmp, &path).expect("keep bench book");
    }
    path
}

fn sizes() -> Vec<u64> {
    std::env::var("DOSSIER_BENCH_CUSTOMERS")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<u64>| !v.is_empty())
        .unwrap_or_else(|| vec![1_000_000])
}

fn startup(c: &mut Criterion) {
    let mut group = c.benchmark_group("startup");
    group.sample_size(20);
    for n in sizes() {
        let path = book(n);
        // Opening: pragmas, WAL, schema check, migrations (none), and the
        // integrity check that small books get.
        group.bench_with_input(BenchmarkId::new("open", n), &path, |b, path| {
            b.iter(|| black_box(Store::open(path).expect("open")))
        });
        // What a first frame reads: the first screen of customers and
        // whether the book is empty (offer the demo).
        group.bench_with_input(
            BenchmarkId::new("open_and_first_page", n),
            &path,
            |b, path| {
                b.iter(|| {
                    let store = Store::open(path).expect("open");
                    let page = store
                        .customers(Page {
                            limit: 60,
                            ..Page::default()
                        })
                        .expect("first page");
                    black_box((page.len(), store.is_empty().expect("counts")))
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
