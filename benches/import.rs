//! CSV import speed: 20,000 synthetic customers into a fresh in-memory
//! book (row-by-row classification), and a re-import of the same file
//! (every row matched, nothing changed). The 1,000,000-row figure is
//! measured with the binary: see benches/import.md.

use criterion::{criterion_group, criterion_main, Criterion};
use dossier::interchange::{import_bytes, Format, ImportOptions};
use dossier::store::Store;
use std::fmt::Write;

fn csv(rows: usize) -> String {
    let mut s = String::from("name,company,phones,emails,city,industry,source,notes\n");
    for i in 0..rows {
        let _ = writeln!(
            s,
            "客户{i},华信{}科技有限公司,+86 138{i:08},c{i}@example.cn,上海,tech,exhibition,\"note {i}\"",
            i % 500
        );
    }
    s
}

fn bench(c: &mut Criterion) {
    let data = csv(20_000);
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.bench_function("csv 20k customers, new book", |b| {
        b.iter(|| {
            let mut s = Store::open_in_memory().expect("store");
            import_bytes(
                &mut s,
                data.as_bytes(),
                Format::Csv,
                &ImportOptions::default(),
            )
            .expect("import")
        })
    });
    let mut s = Store::open_in_memory().expect("store");
    import_bytes(
        &mut s,
        data.as_bytes(),
        Format::Csv,
        &ImportOptions::default(),
    )
    .expect("import");
    g.bench_function("csv 20k customers, re-import unchanged", |b| {
        b.iter(|| {
            import_bytes(
                &mut s,
                data.as_bytes(),
                Format::Csv,
                &ImportOptions::default(),
            )
            .expect("import")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
