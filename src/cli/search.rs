//! `dossier search QUERY`: the same index and ranking the TUI uses.

use super::output::pad;
use crate::domain::text::sanitize_for_terminal as clean;
use crate::domain::Kind;
use crate::search::{open_index, Hit};
use crate::store::Store;
use anyhow::{anyhow, Result};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Runs a search and prints one line (or one JSON object) per hit.
pub fn search(
    store: &Store,
    words: &[String],
    kind: Option<Kind>,
    json: bool,
    limit: usize,
) -> Result<ExitCode> {
    let index = open_index(store).map_err(|e| anyhow!("{e}"))?;
    let mut query = index.parse_query(&words.join(" "))?;
    if let Some(kind) = kind {
        query = query.with_kind(kind);
    }
    if query.is_empty() {
        return Err(anyhow!(
            "nothing to search for — give words and/or filters, e.g. dossier search 'city:上海 zhang'"
        ));
    }
    let hits = index.search(&query, limit);
    let bold = !json && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = std::io::stdout().lock();
    for hit in &hits {
        if json {
            // Escaped like every --json line: record text must not drive a terminal.
            writeln!(out, "{}", super::output::to_json(hit)?)?;
        } else {
            writeln!(out, "{}", hit_line(hit, bold))?;
        }
    }
    if hits.is_empty() && !json {
        eprintln!("no matches for '{}'", clean(&query.to_string()));
    }
    Ok(ExitCode::SUCCESS)
}

/// `customer     12  张伟  上海明达…  name: 张伟`, matched chars in bold on a
/// terminal.
fn hit_line(hit: &Hit, bold: bool) -> String {
    format!(
        "{:<11} {:>7}  {}  {}  {}: {}",
        hit.kind.as_str(),
        hit.id,
        pad(&hit.label, 24),
        pad(&hit.detail, 24),
        hit.field,
        highlight(&hit.text, &hit.indices, bold)
    )
}

fn highlight(text: &str, indices: &[usize], bold: bool) -> String {
    let text = clean(text);
    if !bold || indices.is_empty() {
        return text;
    }
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if indices.binary_search(&i).is_ok() {
            out.push_str("\x1b[1m");
            out.push(c);
            out.push_str("\x1b[0m");
        } else {
            out.push(c);
        }
    }
    out
}
