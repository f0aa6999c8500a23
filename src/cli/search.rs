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
    store: &mut Store,
    words: &[String],
    kind: Option<Kind>,
    json: bool,
    limit: usize,
) -> Result<ExitCode> {
    // Filters typed in labels (价值:高, 生命周期:流失) become the ids the
    // index holds.
    let typed = store.rules()?.query_in_ids(&words.join(" "));
    let index = open_index(store).map_err(|e| anyhow!("{e}"))?;
    let mut query = index.parse_query(&typed)?;
    if let Some(kind) = kind {
        query = query.with_kind(kind);
    }
    if query.is_empty() {
        return Err(anyhow!("{}", crate::tr!("cli-search-empty")));
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
        eprintln!(
            "{}",
            crate::tr!("cli-search-no-matches", query = clean(&query.to_string()))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `customer     12  张伟  上海明达…  name: 张伟`, matched chars in bold on a
/// terminal.
fn hit_line(hit: &Hit, bold: bool) -> String {
    format!(
        "{} {:>7}  {}  {}  {}: {}",
        pad(&hit.kind.name(), 11),
        hit.id,
        pad(&hit.label, 24),
        pad(&hit.detail, 24),
        field_name(hit.field),
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

/// The field a hit matched in, for people.
pub(crate) fn field_name(field: crate::search::Field) -> String {
    use crate::search::Field;
    match field {
        Field::Name => crate::tr!("search-field-name"),
        Field::Company => crate::tr!("search-field-company"),
        Field::Customer => crate::tr!("search-field-customer"),
        Field::Title => crate::tr!("search-field-title"),
        Field::Phone => crate::tr!("search-field-phone"),
        Field::Email => crate::tr!("search-field-email"),
        Field::City => crate::tr!("search-field-city"),
        Field::Tags => crate::tr!("search-field-tags"),
        Field::Details => crate::tr!("search-field-details"),
        Field::Notes => crate::tr!("search-field-notes"),
        Field::Summary => crate::tr!("search-field-summary"),
    }
}
