//! Query text: free words plus `field:value` filters
//! (`value:high city:上海 zhang`, `stage:negotiation`, `tag:churned`).

use super::text::fold;
use super::SearchIndex;
use crate::domain::Kind;
use std::fmt;
use thiserror::Error;

/// Filters every book knows: record fields, `tag:` (any tag value), `kind:`
/// (record kind) and the default tag dimensions. Tag dimensions found in the
/// index are accepted too ([`SearchIndex::parse_query`]).
pub const KNOWN_FILTERS: &[&str] = &[
    "kind",
    "tag",
    "city",
    "province",
    "country",
    "industry",
    "stage",
    "source",
    "owner",
    "category",
    "brand",
    "type",
    "sentiment",
    "active",
    "audience",
    "value",
    "amount",
    "frequency",
    "lifecycle",
    "loyalty",
    "feedback",
    "relationship",
    "channel",
    "region",
    "size",
    "rfm",
    "follow_up",
    "urgency",
    "competition",
    "stale",
    "price",
    "sales",
    "scale",
    "goal",
    "duration",
    "cost",
    "roi",
];

/// One `field:value` filter; several values for one field mean any of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Case-folded field or tag dimension name.
    pub field: String,
    /// Case-folded values; a record passes if it has one of them (or a value
    /// starting with one of them).
    pub values: Vec<String>,
}

/// A parsed search.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// Case-folded words; each must match some field of a record.
    pub words: Vec<String>,
    /// All must hold.
    pub filters: Vec<Filter>,
    /// Record kinds to search; empty means all.
    pub kinds: Vec<Kind>,
}

impl Query {
    /// Restricts the query to one kind (the `/` search of a tab).
    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kinds = vec![kind];
        self
    }

    /// True when there is nothing to search for or filter by.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.filters.is_empty()
    }

    /// Whether records of `kind` can match.
    pub fn wants(&self, kind: Kind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        for k in &self.kinds {
            parts.push(format!("kind:{k}"));
        }
        for flt in &self.filters {
            for v in &flt.values {
                parts.push(format!("{}:{}", flt.field, quote(v)));
            }
        }
        parts.extend(self.words.iter().map(|w| quote(w)));
        f.write_str(&parts.join(" "))
    }
}

fn quote(s: &str) -> String {
    if s.contains([' ', ':']) {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

/// Why a query could not be read, worded for the person typing it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QueryError {
    #[error("unknown filter '{field}:' — known filters: {known} (put text with a colon in quotes to search for it)")]
    UnknownFilter { field: String, known: String },
    #[error("filter '{field}:' needs a value, e.g. {field}:high")]
    EmptyFilter { field: String },
    #[error("{0}")]
    UnknownKind(String),
    #[error("a quote is not closed — add a closing \"")]
    UnclosedQuote,
}

/// Parses a query against the built-in filter names.
pub fn parse_query(input: &str) -> Result<Query, QueryError> {
    parse_with(input, &|_| false)
}

impl SearchIndex {
    /// Parses a query, also accepting the tag dimensions found in this index.
    pub fn parse_query(&self, input: &str) -> Result<Query, QueryError> {
        parse_with(input, &|f| self.keys.get(f).is_some())
    }
}

fn parse_with(input: &str, extra: &dyn Fn(&str) -> bool) -> Result<Query, QueryError> {
    let mut q = Query::default();
    for (token, quoted) in tokens(input)? {
        let filter = if quoted { None } else { split_filter(&token) };
        let Some((field, value)) = filter else {
            let w = fold(&token);
            if !w.is_empty() {
                q.words.push(w);
            }
            continue;
        };
        let field = fold(field);
        if !KNOWN_FILTERS.contains(&field.as_str()) && !extra(&field) {
            return Err(QueryError::UnknownFilter {
                field,
                known: KNOWN_FILTERS.join(", "),
            });
        }
        if value.is_empty() {
            return Err(QueryError::EmptyFilter { field });
        }
        if field == "kind" {
            let kind: Kind = value.parse().map_err(QueryError::UnknownKind)?;
            if !q.kinds.contains(&kind) {
                q.kinds.push(kind);
            }
            continue;
        }
        let value = fold(value);
        match q.filters.iter_mut().find(|f| f.field == field) {
            Some(f) => f.values.push(value),
            None => q.filters.push(Filter {
                field,
                values: vec![value],
            }),
        }
    }
    Ok(q)
}

/// `word:value` where `word` is letters, digits or `_` (so `10:30` and
/// `http://…` are plain text only if quoted — they read as filters).
fn split_filter(token: &str) -> Option<(&str, &str)> {
    let (field, value) = token.split_once(':')?;
    let is_name = !field.is_empty()
        && field.starts_with(|c: char| c.is_ascii_alphabetic())
        && field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    is_name.then_some((field, value.trim_matches('"')))
}

/// Splits on whitespace; `"…"` keeps spaces and colons as text.
fn tokens(input: &str) -> Result<Vec<(String, bool)>, QueryError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quote = false;
    let mut quoted = false;
    for c in input.chars() {
        match c {
            '"' => {
                in_quote = !in_quote;
                quoted = true;
            }
            c if c.is_whitespace() && !in_quote => {
                if !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), quoted));
                }
                quoted = false;
            }
            c => cur.push(c),
        }
    }
    if in_quote {
        return Err(QueryError::UnclosedQuote);
    }
    if !cur.is_empty() {
        out.push((cur, quoted));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_filters() {
        let q = parse_query("value:high city:上海 Zhang").unwrap();
        assert_eq!(q.words, vec!["zhang"]);
        assert_eq!(q.filters.len(), 2);
        assert_eq!(q.filters[0].field, "value");
        assert_eq!(q.filters[0].values, vec!["high"]);
        assert_eq!(q.filters[1].values, vec!["上海"]);
    }

    #[test]
    fn same_field_twice_means_either() {
        let q = parse_query("stage:won stage:lost").unwrap();
        assert_eq!(q.filters[0].values, vec!["won", "lost"]);
    }

    #[test]
    fn kind_filter_sets_kinds() {
        let q = parse_query("kind:deal acme").unwrap();
        assert_eq!(q.kinds, vec![Kind::Opportunity]);
        assert!(matches!(
            parse_query("kind:planet"),
            Err(QueryError::UnknownKind(_))
        ));
    }

    #[test]
    fn unknown_field_names_the_known_ones() {
        let err = parse_query("colour:red").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("unknown filter 'colour:'"), "{msg}");
        assert!(msg.contains("city") && msg.contains("stage") && msg.contains("tag"));
    }

    #[test]
    fn empty_filter_value_is_an_error() {
        assert_eq!(
            parse_query("city:").unwrap_err(),
            QueryError::EmptyFilter {
                field: "city".into()
            }
        );
    }

    #[test]
    fn quotes_keep_colons_as_text() {
        let q = parse_query("\"10:30 call\"").unwrap();
        assert_eq!(q.words, vec!["10:30 call"]);
        assert!(parse_query("\"open").is_err());
    }

    #[test]
    fn display_round_trips() {
        let q = parse_query("tag:churned kind:customer zhang").unwrap();
        assert_eq!(parse_query(&q.to_string()).unwrap(), q);
    }
}
