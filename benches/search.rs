//! Search speed on `dossier gen` books.
//!
//! `cargo bench --bench search -- --warm-up-time 1 --measurement-time 5`
//! Sizes come from `DOSSIER_BENCH_CUSTOMERS` (default `100000`; e.g.
//! `100000,1000000`). Each book is generated and classified once into
//! `$DOSSIER_BENCH_BOOKS` (default `/tmp/dossier-bench-books/`) and reused;
//! delete the 1M book when done.
//!
//! Before each size's criterion groups, every keystroke is typed 5 times as
//! the query worker runs it and the median / p95 per keystroke is printed,
//! wall clock and CPU time of all threads (the CPU figure is what other
//! builds on the machine cannot inflate); `DOSSIER_BENCH_DETAIL=1` prints
//! each keystroke's CPU median too.
//!
//! Figures, with the machine's load: `benches/README.md`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use dossier::search::{
    load_index, open_index, Matcher, Narrowing, Query, SearchIndex, SkimMatcher, SubstringMatcher,
};
use dossier::store::Store;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

/// Words typed one key at a time; every prefix is one keystroke.
const TYPED: &[&str] = &[
    "zhangwei",
    "wang fang",
    "shkj",
    "138",
    "chen",
    "acme",
    "zw",
    "martinez",
];

fn book(customers: u64) -> SearchIndex {
    // Books live outside the source tree (`DOSSIER_BENCH_BOOKS`, default
    // the temp dir): a 1M book is gigabytes.
    let dir = std::env::var_os("DOSSIER_BENCH_BOOKS")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("dossier-bench-books"));
    std::fs::create_dir_all(&dir).expect("create the bench book dir");
    // Classified, as users have them: tags make the index bigger and the
    // sweep at start a no-op.
    let path = dir.join(format!("gen-{customers}-classified.db"));
    if !path.exists() {
        let tmp = dir.join(format!("gen-{customers}-classified.db.part"));
        let _ = std::fs::remove_file(&tmp);
        let mut store = Store::open(&tmp).expect("open bench book");
        dossier::sample::gen::generate(&mut store, customers, 42).expect("generate");
        store.sweep(false).expect("classify");
        drop(store);
        std::fs::rename(&tmp, &path).expect("keep bench book");
    }
    let store = Store::open(&path).expect("open bench book");
    // As the terminal UI and `dossier search` have it: the index file beside
    // the book, memory-mapped (built and saved the first time).
    // `DOSSIER_BENCH_INDEX=heap` measures the index built in memory instead.
    if std::env::var("DOSSIER_BENCH_INDEX").as_deref() == Ok("heap") {
        load_index(&store).expect("build index")
    } else {
        open_index(&store).expect("open index")
    }
}

fn sizes() -> Vec<u64> {
    std::env::var("DOSSIER_BENCH_CUSTOMERS")
        .unwrap_or_else(|_| "100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// Every keystroke of every typed word: (query, starts a new word).
fn keystrokes(index: &SearchIndex) -> Vec<(Query, bool)> {
    let mut out = Vec::new();
    for word in TYPED {
        for (i, (end, _)) in word
            .char_indices()
            .skip(1)
            .chain([(word.len(), ' ')])
            .enumerate()
        {
            out.push((index.parse_query(&word[..end]).expect("query"), i == 0));
        }
    }
    out
}

/// CPU time of the whole process (every thread), in ms.
fn cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we pass and nothing else.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6
}

/// Every keystroke typed `ROUNDS` times as the query worker runs it: prints
/// the median and p90 per keystroke, wall and CPU (all threads).
fn keystroke_report(n: u64, index: &SearchIndex, strokes: &[(Query, bool)]) {
    const ROUNDS: usize = 5;
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    // Per keystroke, every round's CPU time (`DOSSIER_BENCH_DETAIL=1`).
    let mut each: Vec<Vec<f64>> = vec![Vec::new(); strokes.len()];
    for _ in 0..ROUNDS {
        let mut narrowing = Narrowing::new();
        for (i, (q, fresh)) in strokes.iter().enumerate() {
            if *fresh {
                narrowing = Narrowing::new();
            }
            let (t, c) = (Instant::now(), cpu_ms());
            black_box(index.search_with(q, 200, &SkimMatcher, Some(&mut narrowing)));
            let spent = cpu_ms() - c;
            cpu.push(spent);
            each[i].push(spent);
            wall.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    let pct = |v: &mut Vec<f64>, p: usize| {
        v.sort_by(f64::total_cmp);
        v[(v.len() * p / 100).min(v.len() - 1)]
    };
    if std::env::var_os("DOSSIER_BENCH_DETAIL").is_some() {
        for ((q, _), v) in strokes.iter().zip(&mut each) {
            println!(
                "  {:<14} CPU median {:.2} ms",
                format!("{:?}", q.words),
                pct(v, 50)
            );
        }
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "search_{n}: {} records, {} keystrokes x {ROUNDS}: median {:.2} ms, p95 {:.2} ms wall; \
         CPU median {:.2} ms, p95 {:.2} ms (load {})",
        index.len(),
        strokes.len(),
        pct(&mut wall, 50),
        pct(&mut wall, 95),
        pct(&mut cpu, 50),
        pct(&mut cpu, 95),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    );
}

fn bench(c: &mut Criterion) {
    for n in sizes() {
        let index = book(n);
        let strokes = keystrokes(&index);
        keystroke_report(n, &index, &strokes);
        let mut g = c.benchmark_group(format!("search_{n}"));
        g.sample_size(20);

        // A keystroke as the query worker runs it: narrowing from the last one.
        let mut narrowing = Narrowing::new();
        let mut at = 0;
        g.bench_function("keystroke", |b| {
            b.iter(|| {
                let (q, fresh) = &strokes[at % strokes.len()];
                at += 1;
                if *fresh {
                    narrowing = Narrowing::new();
                }
                black_box(index.search_with(q, 200, &SkimMatcher, Some(&mut narrowing)))
            })
        });

        // A whole query at once (pasted, or the first key of a search).
        for text in ["z", "zhang", "zw", "shkj", "138", "acme", "city:上海 zhang"] {
            let q = index.parse_query(text).expect("query");
            g.bench_with_input(BenchmarkId::new("fresh", text), &q, |b, q| {
                b.iter(|| black_box(index.search(q, 200)))
            });
        }

        // The matcher trait: fuzzy-matcher's skim against plain substring.
        let matchers: [&dyn Matcher; 2] = [&SkimMatcher, &SubstringMatcher];
        let q = index.parse_query("zhwe").expect("query");
        for m in matchers {
            g.bench_with_input(BenchmarkId::new("matcher", m.name()), &q, |b, q| {
                b.iter(|| black_box(index.search_with(q, 200, m, None)))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
