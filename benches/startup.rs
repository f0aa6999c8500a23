//! Start-up on a large book: what the store does before the first frame.
//!
//! `cargo bench --bench startup -- --warm-up-time 1 --measurement-time 5`
//! Sizes come from `DOSSIER_BENCH_CUSTOMERS` (default `1000000`; e.g.
//! `100000,1000000`). Each book is generated and classified once into
//! `$DOSSIER_BENCH_BOOKS` (default `/tmp/dossier-bench-books/`, shared with
//! the search benchmark) and reused; delete the 1M book when done.
//!
//! The budget is 300 ms to the first frame; the page-by-page integrity
//! check, the sweep and the search index run after it, in the background.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use dossier::store::{Page, Store};
use dossier::tui;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Threads and resident memory of this process, printed after a size's
/// runs: both must stay flat (every runtime's threads were stopped).
fn threads_report(n: u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l[name.len()..].trim().to_string())
            .unwrap_or_default()
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "startup_{n}: after the runs {} threads, {} resident (load {})",
        field("Threads:"),
        field("VmRSS:"),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}

/// Opens the book and does the first frame's work (open, app, 120×40,
/// start), as the terminal UI does before it draws.
fn first_frame_work(path: &std::path::Path) -> (tui::App, tui::Runtime) {
    let store = Store::open(path).expect("open");
    let (mut app, _) = tui::new_app(&store);
    let mut runtime = tui::Runtime::new(store, None);
    runtime.dispatch(&mut app, tui::Action::Resize(120, 40));
    let start = app.start(false);
    runtime.run_all(&mut app, start);
    (app, runtime)
}

/// What the customer list holds once the first frame's work is done: rows
/// and bytes per row (a bare id each, 8 bytes, however big the book).
fn list_report(path: &std::path::Path, n: u64) {
    let (app, runtime) = first_frame_work(path);
    let entries = &app.customers.entries;
    let bytes = std::mem::size_of_val(entries.as_slice());
    println!(
        "startup_{n}: the customer list holds {} rows in {} bytes ({} bytes a row, {} allocated)",
        entries.len(),
        bytes,
        bytes.checked_div(entries.len()).unwrap_or(0),
        entries.capacity() * std::mem::size_of_val(entries.first().unwrap_or(&0)),
    );
    runtime.shutdown();
}

fn book(customers: u64) -> PathBuf {
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
        // The terminal UI's first frame on a 120×40 screen: the app, the
        // first effects (the day's sweep is already done, as after the first
        // start of the day; on a big book it would run in the background),
        // one draw.
        Store::open(&path)
            .expect("open")
            .sweep_if_stale()
            .expect("sweep");
        // Each iteration's background work (index build, integrity check,
        // sweep) is stopped and joined outside the timing: left running, it
        // piled up threads and memory and inflated every later frame.
        group.bench_with_input(BenchmarkId::new("first_frame", n), &path, |b, path| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let started = Instant::now();
                    let (app, runtime) = first_frame_work(path);
                    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
                    terminal
                        .draw(|frame| tui::views::draw(frame, &app))
                        .expect("draw");
                    black_box(terminal.backend().buffer().area);
                    spent += started.elapsed();
                    runtime.shutdown();
                }
                spent
            })
        });
        list_report(&path, n);
        threads_report(n);
    }
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
