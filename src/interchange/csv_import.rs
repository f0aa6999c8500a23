//! CSV import: separator sniffing, header mapping, one row at a time with
//! its physical line number.

use super::columns::{auto_target, in_context, parse_map, Target};
use super::decode::sniff_delimiter;
use super::report::{Action, ImportReport};
use super::rows::{OtherKinds, RowValues};
use super::{progress_bar, ImportOptions, InterchangeError, Result};
use crate::domain::{Customer, Kind};
use crate::store::{PreparedCustomer, Store, UpsertError, Upserted};

/// Works out where each column goes; `--map` wins over the automatic guess.
fn mapping(
    opts: &ImportOptions,
    headers: &csv::StringRecord,
    report: &mut ImportReport,
) -> Result<Vec<Target>> {
    let mut overrides = Vec::new();
    for spec in &opts.maps {
        let (column, target) = parse_map(opts.kind, spec).map_err(InterchangeError::Format)?;
        if !headers
            .iter()
            .any(|h| h.trim().eq_ignore_ascii_case(&column))
        {
            let names: Vec<&str> = headers.iter().map(str::trim).collect();
            return Err(InterchangeError::Format(format!(
                "--map names column '{column}', which the file does not have — its columns: {}",
                names.join(", ")
            )));
        }
        overrides.push((column, target));
    }
    let mut out = Vec::with_capacity(headers.len());
    let mut automatic: Vec<Option<Target>> =
        headers.iter().map(|h| auto_target(opts.kind, h)).collect();
    {
        let names: Vec<&str> = headers.iter().collect();
        let mut found: Vec<Target> = automatic
            .iter()
            .map(|t| t.clone().unwrap_or(Target::Ignore))
            .collect();
        in_context(opts.kind, &names, &mut found);
        for (a, f) in automatic.iter_mut().zip(found) {
            if a.is_some() {
                *a = Some(f);
            }
        }
    }
    for (h, auto) in headers.iter().zip(automatic) {
        let chosen = overrides
            .iter()
            .find(|(c, _)| h.trim().eq_ignore_ascii_case(c))
            .map(|(_, t)| t.clone())
            .or(auto);
        match chosen {
            Some(t) => out.push(t),
            None => {
                if !h.trim().is_empty() {
                    report.ignored_columns.push(h.trim().to_string());
                }
                out.push(Target::Ignore);
            }
        }
    }
    if opts.kind == Kind::Customer
        && !out.iter().any(|t| {
            matches!(
                t,
                Target::Field("name" | "given_name" | "family_name")
                    | Target::GivenName
                    | Target::FamilyName
            )
        })
    {
        return Err(InterchangeError::Format(format!(
            "no column holds the customer's name — name one with --map 'COLUMN=name' (columns: {})",
            headers.iter().map(str::trim).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(out)
}

pub(super) fn import(
    store: &mut Store,
    text: &str,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<()> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .flexible(true)
        .has_headers(!opts.no_header)
        .from_reader(text.as_bytes());
    let mut headers = rdr
        .headers()
        .map_err(|e| {
            InterchangeError::Format(crate::tr!("import-no-header-read", error = e.to_string()))
        })?
        .clone();
    if opts.no_header {
        // Without a header line the reader hands the first row back as
        // data; its columns are named by position for `--map 1=name`.
        headers = (1..=headers.len()).map(|i| i.to_string()).collect();
    }
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(InterchangeError::Format(crate::tr!("import-empty-file")));
    }
    let mapping = mapping(opts, &headers, report)?;
    let bar = progress_bar(text.len() as u64, opts.progress);
    let today = store.clock().today();
    if opts.kind == Kind::Customer {
        let estimate = text.bytes().filter(|&b| b == b'\n').count();
        let classify_each = super::classify_each(opts, estimate);
        let mut imp = store.customer_import(opts.dry_run, classify_each)?;
        each_row(
            text,
            rdr,
            opts.kind,
            &mapping,
            report,
            &bar,
            |values| {
                let mut c = Customer::default();
                let mut warnings = Vec::new();
                values.apply_customer(&mut c, today, &mut warnings);
                super::salvage::salvage(&mut c, &mut warnings);
                (PreparedCustomer::new(c), warnings)
            },
            |line, (p, warnings), report| {
                let name = p.customer().name.clone();
                match imp.upsert_prepared(p) {
                    Ok(Upserted::Created(id)) => report.done(line, Action::Created, id, &name),
                    Ok(Upserted::Updated(id)) => report.done(line, Action::Updated, id, &name),
                    Ok(Upserted::Unchanged(id)) => report.done(line, Action::Unchanged, id, &name),
                    Err(UpsertError::Invalid(v)) => {
                        report.reject(line, v.to_string());
                        return Ok(());
                    }
                    Err(UpsertError::Store(e)) => return Err(stopped(Some(line), e)),
                }
                for w in warnings {
                    report.warn(line, w);
                }
                if let Some(n) = imp.take_notice() {
                    report.warn(line, n);
                }
                Ok(())
            },
        )?;
        imp.finish().map_err(|e| stopped(None, e))?;
        if !classify_each {
            super::sweep_after(store, opts, report).map_err(|e| match e {
                InterchangeError::Store(e) => InterchangeError::Format(format!(
                    "every row was imported, but tagging them failed: {e} — dossier classify tags them"
                )),
                other => other,
            })?;
        }
    } else {
        let mut other = OtherKinds::new(store, opts.kind)?;
        each_row(
            text,
            rdr,
            opts.kind,
            &mapping,
            report,
            &bar,
            |values| values,
            |line, values, report| other.row(store, &values, line, opts, report),
        )?;
    }
    bar.finish_and_clear();
    Ok(())
}

/// What the reading thread hands on for one record.
enum Item<T> {
    Row(u64, T),
    Unreadable(u64, String),
    Blank,
}

/// Reads every record, reporting unreadable and counting blank ones, and
/// hands the others to `row` with their physical line number.
///
/// Two threads: this one runs `row` (matching and writing), another reads
/// and parses the file and runs `make` on each row's cells (mapping and
/// validation), a batch ahead. Rows reach `row` in file order.
#[allow(clippy::too_many_arguments)]
fn each_row<T: Send>(
    text: &str,
    mut rdr: csv::Reader<&[u8]>,
    kind: Kind,
    mapping: &[Target],
    report: &mut ImportReport,
    bar: &indicatif::ProgressBar,
    make: impl Fn(RowValues) -> T + Send,
    mut row: impl FnMut(u64, T, &mut ImportReport) -> Result<()>,
) -> Result<()> {
    const BATCH: usize = 1024;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Item<T>>>(8);
    std::thread::scope(|sc| {
        let reader = sc.spawn(move || -> Result<()> {
            let mut record = csv::StringRecord::new();
            let specs = super::columns::specs(kind);
            let mut lines = LineCounter::new(text);
            let mut batch = Vec::with_capacity(BATCH);
            let mut n: u64 = 0;
            loop {
                let start = rdr.position().byte();
                match rdr.read_record(&mut record) {
                    Ok(false) => break,
                    Ok(true) => {
                        n += 1;
                        if n.is_multiple_of(4096) {
                            bar.set_position(rdr.position().byte());
                        }
                        let line =
                            lines.line_at(record.position().map(|p| p.byte()).unwrap_or(start));
                        let values = RowValues::collect(&specs, mapping, record.iter());
                        batch.push(if values.is_empty() {
                            Item::Blank
                        } else {
                            Item::Row(line, make(values))
                        });
                    }
                    Err(e) => {
                        let line = lines.line_at(e.position().map(|p| p.byte()).unwrap_or(start));
                        if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                            return Err(InterchangeError::Format(format!("line {line}: {e}")));
                        }
                        batch.push(Item::Unreadable(
                            line,
                            crate::tr!("import-unreadable-row", error = e.to_string()),
                        ));
                    }
                }
                if batch.len() == BATCH
                    && tx
                        .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                        .is_err()
                {
                    // The writer stopped (an error): nothing more to read.
                    return Ok(());
                }
            }
            let _ = tx.send(batch);
            Ok(())
        });
        let mut written = Ok(());
        'batches: for batch in rx.iter() {
            for item in batch {
                match item {
                    Item::Row(line, t) => {
                        if let Err(e) = row(line, t, report) {
                            written = Err(e);
                            break 'batches;
                        }
                    }
                    Item::Unreadable(line, why) => report.reject(line, why),
                    Item::Blank => report.blank += 1,
                }
            }
        }
        // Dropping the receiver stops a reader still going after an error.
        drop(rx);
        let read = reader
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        written.and(read)
    })
}

/// Physical line numbers of byte offsets, counted forward as the reader
/// goes (the csv crate counts records, not the newlines inside quotes).
struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    /// The 1-based line holding `byte`; offsets must not go backwards.
    fn line_at(&mut self, byte: u64) -> u64 {
        // With CRLF endings the reader reports a record as starting on the
        // `\n` that ends the previous one: step over line ends first.
        let mut to = (byte as usize).min(self.text.len());
        while to < self.text.len() && matches!(self.text[to], b'\r' | b'\n') {
            to += 1;
        }
        if to > self.byte {
            self.line += self.text[self.byte..to]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.byte = to;
        }
        self.line
    }
}

/// Why a customer import stopped, in one consistent message: whole batches
/// before it are saved (each is a transaction), the batch in progress is
/// not, and running the import again completes it without duplicates.
fn stopped(line: Option<u64>, e: crate::store::StoreError) -> InterchangeError {
    let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
    let cause = match e {
        crate::store::StoreError::DiskFull => "the disk is full".to_string(),
        other => other.to_string(),
    };
    InterchangeError::Format(format!(
        "import stopped{at}: {cause} — the batches committed before it are saved, the batch in \
         progress is not (no partial row); once that is fixed, running the same import again \
         completes it without duplicating"
    ))
}
