//! Opens the search index of a database as the terminal UI does (the index
//! file beside the book, memory-mapped; built and saved if missing) and
//! reports the time until search is ready, memory (anonymous and
//! file-backed resident pages, from /proc/self/status) and a few query
//! times. `cargo run --release --example search_memory -- book.db [QUERY]`
//! (the book is classified for today first, as the terminal UI would).
//! `--heap` builds the index in memory instead (the old way).

use dossier::search::{load_index, open_index, Narrowing, SkimMatcher};
use dossier::store::Store;
use std::time::Instant;

/// A field of /proc/self/status in kB (`RssAnon`, `RssFile`, `VmHWM`).
fn status_kb(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn memory_line(what: &str) {
    println!(
        "{what}: anonymous {} MB, file-backed {} MB (the mapped index), peak {} MB",
        status_kb("RssAnon") >> 10,
        status_kb("RssFile") >> 10,
        status_kb("VmHWM") >> 10
    );
}

fn rss_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// CPU time of this process so far (user + system, all threads), in ms.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // Fields 14 and 15 (utime, stime) in clock ticks of 10 ms.
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) * 10.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let heap = std::env::args().any(|a| a == "--heap");
    let args: Vec<String> = std::env::args().filter(|a| a != "--heap").collect();
    let path = args
        .get(1)
        .cloned()
        .ok_or("usage: search_memory BOOK.db [QUERY] [--heap]")?;
    let mut store = Store::open(std::path::Path::new(&path))?;
    // Measure the book as users have it: classified today (the TUI does
    // this at start; tags make the index bigger).
    if let Some(r) = store.sweep_if_stale()? {
        println!("classified first: {} records changed", r.changed);
    }
    let before = rss_bytes();
    let started = Instant::now();
    let cpu0 = cpu_ms();
    let index = if heap {
        load_index(&store)?
    } else {
        open_index(&store)?
    };
    let built = started.elapsed();
    let cpu = cpu_ms() - cpu0;
    drop(store);
    let after = rss_bytes();
    memory_line("after opening");
    println!(
        "records {}  ready after {:.3} s ({cpu:.0} ms CPU)  rss growth {} MB  heap estimate {} MB",
        index.len(),
        built.as_secs_f64(),
        after.saturating_sub(before) >> 20,
        index.heap_bytes() >> 20
    );
    println!("{}", index.memory_report());
    if let Some(text) = args.get(2) {
        // Profiling aid: one fresh query, many times.
        let q = index.parse_query(text)?;
        let cpu0 = cpu_ms();
        let mut times: Vec<f64> = (0..50)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(index.search(&q, 200));
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{text}: median {:.2} ms wall, {:.1} ms CPU (all threads) per query",
            times[times.len() / 2],
            (cpu_ms() - cpu0) / 50.0
        );
        memory_line("after the queries");
        return Ok(());
    }
    for typed in ["zhangwei", "wang fang", "shkj", "138", "chen", "acme"] {
        let mut narrowing = Narrowing::new();
        let mut line = format!("{typed:>10}:");
        for end in 1..=typed.len() {
            let q = index.parse_query(&typed[..end])?;
            let t = Instant::now();
            let hits = index.search_with(&q, 200, &SkimMatcher, Some(&mut narrowing));
            line += &format!(" {:.1}ms/{}", t.elapsed().as_secs_f64() * 1e3, hits.len());
        }
        println!("{line}");
    }
    memory_line("after the queries");
    Ok(())
}
