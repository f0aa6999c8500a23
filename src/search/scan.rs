//! Ranking: the search itself.
//!
//! Every word is checked against each field of a record, cheapest test
//! first: the char-mask prefilter, then exact / prefix / substring (memchr),
//! and only then a fuzzy subsequence, scored by the [`Matcher`]. Ranking is
//! tier first (exact > prefix > substring > fuzzy), then field weight, then
//! the tier's own score. Because tiers dominate, once `limit` substring-or-
//! better hits exist the fuzzy candidates are never scored, and a scan that
//! already holds `limit` hits of a tier skips the tests below it.
//!
//! A [`Narrowing`] remembers which records could still match the previous
//! query; when the next query only adds characters, just those are scanned.

use super::index::{Derive, Doc, Span, VALUE_BITS};
use super::matcher::{Matcher, SkimMatcher};
use super::pinyin_keys::{map_to_source, pinyin_keys};
use super::query::Query;
use super::text::{char_index, char_mask, is_subsequence, starts_word};
use super::{Field, Hit, SearchIndex};
use memchr::memmem::Finder;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicI64, Ordering};

/// How a word matched a field; higher is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Fuzzy = 1,
    /// Inside the field; starting one of its words ranks higher.
    Substring = 2,
    /// The field starts with the word.
    Prefix = 3,
    Exact = 4,
}

impl Tier {
    fn from_score(score: i64) -> Tier {
        match score / TIER_UNIT {
            4.. => Tier::Exact,
            3 => Tier::Prefix,
            2 => Tier::Substring,
            _ => Tier::Fuzzy,
        }
    }
}

const TIER_UNIT: i64 = 1_000_000_000;
const WEIGHT_UNIT: i64 = 10_000_000;
/// Within the substring tier, a word that starts a word of the field
/// (`wei` in `David Wei`) ranks above one inside a word.
const WORD_START: i64 = 5_000;
/// Records scanned per parallel task.
const CHUNK: usize = 4096;

/// The records that could still match a query, kept for the next keystroke.
#[derive(Debug, Default, Clone)]
pub struct Narrowing {
    epoch: u64,
    query: Option<Query>,
    candidates: Vec<u32>,
}

impl Narrowing {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many records the next narrowed scan would look at.
    pub fn candidates(&self) -> usize {
        self.candidates.len()
    }

    /// Whether `q` only adds characters to the remembered query, so its
    /// matches are a subset of the remembered candidates.
    fn covers(&self, index: &SearchIndex, q: &Query) -> bool {
        let Some(old) = &self.query else {
            return false;
        };
        self.epoch == index.epoch()
            && old.filters == q.filters
            && old.kinds == q.kinds
            && !old.words.is_empty()
            && old.words.len() <= q.words.len()
            && old
                .words
                .iter()
                .zip(&q.words)
                .all(|(o, n)| n.contains(o.as_str()))
    }
}

struct Needle {
    text: String,
    mask: u32,
    finder: Finder<'static>,
}

impl Needle {
    fn new(word: &str) -> Needle {
        Needle {
            text: word.to_string(),
            mask: char_mask(word),
            finder: Finder::new(word.as_bytes()).into_owned(),
        }
    }
}

/// What a scan of one record found.
enum Outcome {
    /// Proven not to match.
    No,
    /// Not decided (fields that could not make the list were skipped).
    Unknown,
    /// Matches only fuzzily: score it later if needed.
    Fuzzy,
    /// Matches with this score (substring or better).
    Hit(i64),
}

struct Scan<'a> {
    index: &'a SearchIndex,
    query: &'a Query,
    needles: Vec<Needle>,
    /// Allowed attribute codes, one sorted list per filter.
    filters: Vec<Vec<u32>>,
    matcher: &'a dyn Matcher,
    limit: usize,
    /// The highest limit-th-best score any task has seen.
    bar: AtomicI64,
}

/// One parallel task's findings.
struct Acc {
    hits: Vec<(i64, u32)>,
    /// Hits of substring tier or better seen (before trimming).
    strong: usize,
    fuzzy: Vec<u32>,
    candidates: Vec<u32>,
    /// The lowest score still in the list once it is full.
    threshold: i64,
}

impl Default for Acc {
    fn default() -> Self {
        Acc {
            hits: Vec::new(),
            strong: 0,
            fuzzy: Vec::new(),
            candidates: Vec::new(),
            threshold: i64::MIN,
        }
    }
}

impl Acc {
    fn merge(mut self, mut other: Acc, limit: usize) -> Acc {
        self.hits.append(&mut other.hits);
        self.strong += other.strong;
        self.fuzzy.append(&mut other.fuzzy);
        self.candidates.append(&mut other.candidates);
        self.threshold = self.threshold.max(other.threshold);
        trim(&mut self.hits, limit);
        self
    }
}

/// Keeps the best `limit` of `hits` (unordered).
fn trim(hits: &mut Vec<(i64, u32)>, limit: usize) {
    if hits.len() > limit && limit > 0 {
        hits.select_nth_unstable_by(limit - 1, better);
        hits.truncate(limit);
    }
}

/// Best first: higher score, then lower slot (stable across runs).
fn better(a: &(i64, u32), b: &(i64, u32)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
}

impl SearchIndex {
    /// The best `limit` records for `query`, best first, with the default
    /// fuzzy matcher.
    pub fn search(&self, query: &Query, limit: usize) -> Vec<Hit> {
        self.search_with(query, limit, &SkimMatcher, None)
    }

    /// Like [`SearchIndex::search`] with a chosen matcher, narrowing from
    /// (and updating) the previous query's candidates when given.
    pub fn search_with(
        &self,
        query: &Query,
        limit: usize,
        matcher: &dyn Matcher,
        narrowing: Option<&mut Narrowing>,
    ) -> Vec<Hit> {
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let Some(filters) = self.resolve_filters(query) else {
            return Vec::new();
        };
        let scan = Scan {
            index: self,
            query,
            needles: query.words.iter().map(|w| Needle::new(w)).collect(),
            filters,
            matcher,
            limit,
            bar: AtomicI64::new(i64::MIN),
        };
        let from = narrowing.as_ref().filter(|n| n.covers(self, query));
        let acc = match from {
            Some(n) => scan.run(&n.candidates),
            None => scan.run_all(),
        };
        let Acc {
            mut hits,
            strong,
            fuzzy,
            candidates,
            ..
        } = acc;
        if strong < limit && !fuzzy.is_empty() {
            let scored: Vec<(i64, u32)> = fuzzy
                .par_iter()
                .filter_map(|&slot| scan.score_fuzzy(slot).map(|s| (s, slot)))
                .collect();
            hits.extend(scored);
        }
        trim(&mut hits, limit);
        hits.sort_unstable_by(better);
        if let Some(n) = narrowing {
            if !query.words.is_empty() {
                *n = Narrowing {
                    epoch: self.epoch(),
                    query: Some(query.clone()),
                    candidates,
                };
            } else {
                *n = Narrowing::default();
            }
        }
        hits.into_iter()
            .map(|(score, slot)| scan.hit(score, slot))
            .collect()
    }

    /// Each filter as the sorted attribute codes it accepts; `None` when a
    /// filter can match nothing.
    fn resolve_filters(&self, query: &Query) -> Option<Vec<Vec<u32>>> {
        let mut out = Vec::new();
        for f in &query.filters {
            let key = self.keys.get(&f.field)?;
            let mut codes: Vec<u32> = self
                .values
                .names
                .iter()
                .enumerate()
                .filter(|(_, v)| f.values.iter().any(|want| v.starts_with(want.as_str())))
                .map(|(i, _)| key << VALUE_BITS | i as u32)
                .collect();
            if codes.is_empty() {
                return None;
            }
            codes.sort_unstable();
            out.push(codes);
        }
        Some(out)
    }
}

/// Few, long tasks: each keeps its own top list, and a long one fills it
/// with good hits early, which raises the bar for the rest of its records.
fn min_len(chunks: usize) -> usize {
    (chunks / (4 * rayon::current_num_threads())).max(1)
}

impl Scan<'_> {
    fn run_all(&self) -> Acc {
        let n = self.index.docs.len();
        let chunks = n.div_ceil(CHUNK);
        (0..chunks)
            .into_par_iter()
            .with_min_len(min_len(chunks))
            .fold(Acc::default, |mut acc, c| {
                let end = ((c + 1) * CHUNK).min(n);
                for slot in (c * CHUNK) as u32..end as u32 {
                    self.visit(&mut acc, slot);
                }
                acc
            })
            .reduce(Acc::default, |a, b| a.merge(b, self.limit))
    }

    fn run(&self, slots: &[u32]) -> Acc {
        slots
            .par_chunks(CHUNK)
            .with_min_len(min_len(slots.len().div_ceil(CHUNK)))
            .fold(Acc::default, |mut acc, chunk| {
                for &slot in chunk {
                    self.visit(&mut acc, slot);
                }
                acc
            })
            .reduce(Acc::default, |a, b| a.merge(b, self.limit))
    }

    #[inline]
    fn visit(&self, acc: &mut Acc, slot: u32) {
        let doc = &self.index.docs[slot as usize];
        if !doc.live || !self.query.wants(doc.kind) || !self.passes_filters(doc) {
            return;
        }
        // Any task's limit-th best is a bar for every task.
        acc.threshold = acc.threshold.max(self.bar.load(Ordering::Relaxed));
        match self.check(doc, acc.threshold) {
            Outcome::No => {}
            Outcome::Unknown => acc.candidates.push(slot),
            Outcome::Fuzzy => {
                acc.candidates.push(slot);
                if acc.threshold < Tier::Substring as i64 * TIER_UNIT {
                    acc.fuzzy.push(slot);
                }
            }
            Outcome::Hit(score) => {
                acc.candidates.push(slot);
                acc.strong += 1;
                if score < acc.threshold {
                    return;
                }
                acc.hits.push((score, slot));
                if acc.hits.len() >= 2 * self.limit.max(64) {
                    trim(&mut acc.hits, self.limit);
                    // Nothing scoring below the limit-th best can make the
                    // list any more.
                    acc.threshold = acc.hits.iter().map(|h| h.0).min().unwrap_or(i64::MIN);
                    self.bar.fetch_max(acc.threshold, Ordering::Relaxed);
                    if acc.threshold >= Tier::Substring as i64 * TIER_UNIT {
                        acc.fuzzy.clear();
                    }
                }
            }
        }
    }

    fn passes_filters(&self, doc: &Doc) -> bool {
        if self.filters.is_empty() {
            return true;
        }
        let attrs = self.index.doc_attrs(doc);
        self.filters
            .iter()
            .all(|codes| attrs.iter().any(|a| codes.binary_search(a).is_ok()))
    }

    /// The cheap tests for every word; fuzzy scoring is left for later.
    /// `threshold` is the score a record must reach to make the list.
    fn check(&self, doc: &Doc, threshold: i64) -> Outcome {
        if self.needles.is_empty() {
            return Outcome::Hit(TIER_UNIT * Tier::Exact as i64);
        }
        // With one word a field's best possible score is known from its
        // length alone, so fields that cannot reach the threshold are not
        // even read. (With several words the score is an average: no bound.)
        let threshold = if self.needles.len() == 1 {
            threshold
        } else {
            i64::MIN
        };
        let spans = self.index.doc_spans(doc);
        let mut worst = Tier::Exact;
        let mut total = 0i64;
        let mut fuzzy = false;
        for n in &self.needles {
            if doc.mask & n.mask != n.mask {
                return Outcome::No;
            }
            match self.best_cheap(spans, n, threshold) {
                (Some((tier, score)), _) => {
                    worst = worst.min(tier);
                    total += score - tier as i64 * TIER_UNIT;
                }
                // Skipped fields might match: keep it for narrowing.
                (None, true) => return Outcome::Unknown,
                // A fuzzy hit can no longer make the list: skip the test.
                (None, false) if threshold >= Tier::Substring as i64 * TIER_UNIT => {
                    return Outcome::Unknown
                }
                (None, false) => {
                    if !self.fuzzy_possible(spans, n) {
                        return Outcome::No;
                    }
                    fuzzy = true;
                }
            }
        }
        if fuzzy {
            return Outcome::Fuzzy;
        }
        Outcome::Hit(worst as i64 * TIER_UNIT + total / self.needles.len() as i64)
    }

    /// The best exact / prefix / substring match of `n` in any field, as a
    /// full score; and whether fields were skipped because even their best
    /// possible score is below `threshold`.
    #[inline]
    fn best_cheap(
        &self,
        spans: &[Span],
        n: &Needle,
        threshold: i64,
    ) -> (Option<(Tier, i64)>, bool) {
        let mut best: Option<(Tier, i64)> = None;
        let mut skipped = false;
        let needle = n.text.as_bytes();
        for s in spans {
            let len = s.len as usize;
            if s.mask & n.mask != n.mask || len < needle.len() {
                continue;
            }
            // Shorter fields rank first: the word is more of what they say.
            let base = s.weight() * WEIGHT_UNIT + 1000 - (len as i64).min(999);
            // First without reading the text: the best this field could do.
            let full = if len == needle.len() {
                Tier::Exact
            } else {
                Tier::Prefix
            };
            let optimistic = full as i64 * TIER_UNIT + base;
            if optimistic < threshold {
                skipped = true;
                continue;
            }
            if best.is_some_and(|b| b.1 >= optimistic) {
                continue;
            }
            let hay = self.index.folded(s).as_bytes();
            // Only a field starting with the word's first byte can be an
            // exact or prefix hit: the bound comes from one byte.
            let (top, bound) = if hay[0] != needle[0] {
                let t = Tier::Substring;
                (t, t as i64 * TIER_UNIT + base + WORD_START)
            } else {
                (full, optimistic)
            };
            if bound < threshold {
                skipped = true;
                continue;
            }
            if best.is_some_and(|b| b.1 >= bound) {
                continue;
            }
            let score = match top {
                Tier::Exact if hay == needle => Tier::Exact as i64 * TIER_UNIT + base,
                Tier::Prefix if hay.starts_with(needle) => Tier::Prefix as i64 * TIER_UNIT + base,
                _ => match n.finder.find(hay) {
                    Some(pos) => {
                        let word = if starts_word(self.index.folded(s), pos) {
                            WORD_START
                        } else {
                            0
                        };
                        Tier::Substring as i64 * TIER_UNIT + base + word
                    }
                    None => continue,
                },
            };
            if best.is_none_or(|b| score > b.1) {
                best = Some((Tier::from_score(score), score));
            }
        }
        (best, skipped && best.is_none())
    }

    fn fuzzy_possible(&self, spans: &[Span], n: &Needle) -> bool {
        spans.iter().any(|s| {
            s.field.fuzzy()
                && s.mask & n.mask == n.mask
                && is_subsequence(self.index.folded(s), &n.text)
        })
    }

    /// The full score of a record that matched only fuzzily.
    fn score_fuzzy(&self, slot: u32) -> Option<i64> {
        let doc = &self.index.docs[slot as usize];
        let spans = self.index.doc_spans(doc);
        let mut worst = Tier::Exact;
        let mut total = 0i64;
        for n in &self.needles {
            if let (Some((tier, score)), _) = self.best_cheap(spans, n, i64::MIN) {
                worst = worst.min(tier);
                total += score - tier as i64 * TIER_UNIT;
                continue;
            }
            let best = spans
                .iter()
                .filter(|s| s.field.fuzzy() && s.mask & n.mask == n.mask)
                .filter_map(|s| {
                    let hay = self.index.folded(s);
                    let raw = self.matcher.score(hay, &n.text)?;
                    Some(s.weight() * WEIGHT_UNIT + raw.clamp(0, WEIGHT_UNIT - 1))
                })
                .max()?;
            worst = Tier::Fuzzy;
            total += best;
        }
        Some(worst as i64 * TIER_UNIT + total / self.needles.len() as i64)
    }

    /// Builds the result for a ranked record: label, best field, highlights.
    fn hit(&self, score: i64, slot: u32) -> Hit {
        let index = self.index;
        let doc = &index.docs[slot as usize];
        let spans = index.doc_spans(doc);
        let text_of = |f: &[Field]| {
            spans
                .iter()
                .find(|s| s.derive.is_plain() && f.contains(&s.field))
                .map(|s| index.original(s).to_string())
                .unwrap_or_default()
        };
        let label = text_of(&[Field::Name]);
        let detail = text_of(&[Field::Company, Field::Customer]);
        let tier = Tier::from_score(score);
        // The field that matched the first word best is the one shown.
        let best = self.needles.first().and_then(|n| {
            spans
                .iter()
                .enumerate()
                .filter(|(_, s)| s.mask & n.mask == n.mask)
                .filter_map(|(i, s)| {
                    let hay = index.folded(s);
                    let (raw, _) = self.locate(hay, &n.text, s.field)?;
                    Some((raw.0, s.weight(), raw.1, i))
                })
                .max_by_key(|&(t, w, r, i)| (t, w, r, std::cmp::Reverse(i)))
                .map(|(.., i)| i)
        });
        let Some(i) = best else {
            return Hit {
                kind: doc.kind,
                id: doc.id,
                score,
                tier,
                field: Field::Name,
                via_key: false,
                text: label.clone(),
                label,
                detail,
                indices: Vec::new(),
            };
        };
        let span = &spans[i];
        // Derived keys (pinyin, digits) follow the field they came from.
        let source = spans[..=i]
            .iter()
            .rev()
            .find(|s| s.derive.is_plain())
            .unwrap_or(span);
        let text = index.original(source).to_string();
        let folded = index.folded(span);
        let mut key_indices: Vec<usize> = self
            .needles
            .iter()
            .filter_map(|n| self.locate(folded, &n.text, span.field).map(|(_, idx)| idx))
            .flatten()
            .collect();
        key_indices.sort_unstable();
        key_indices.dedup();
        let indices = match span.derive {
            Derive::Plain | Derive::PlainOriginal => key_indices,
            Derive::Digits => {
                let digits: Vec<usize> = text
                    .chars()
                    .enumerate()
                    .filter(|(_, c)| c.is_ascii_digit())
                    .map(|(i, _)| i)
                    .collect();
                key_indices
                    .iter()
                    .filter_map(|&k| digits.get(k).copied())
                    .collect()
            }
            _ => pinyin_keys(&text, span.field.pinyin_readings())
                .into_iter()
                .find_map(|k| {
                    if span.derive.is_full_pinyin() && k.full == folded {
                        Some(map_to_source(&key_indices, &k.full_map))
                    } else if span.derive.is_initials() && k.initials == folded {
                        Some(map_to_source(&key_indices, &k.initials_map))
                    } else {
                        None
                    }
                })
                .unwrap_or_default(),
        };
        Hit {
            kind: doc.kind,
            id: doc.id,
            score,
            tier,
            field: span.field,
            via_key: !span.derive.is_plain(),
            label,
            detail,
            text,
            indices,
        }
    }

    /// Where `needle` matches `hay`: ((tier, tier score), char indices).
    fn locate(&self, hay: &str, needle: &str, field: Field) -> Option<((Tier, i64), Vec<usize>)> {
        if let Some(pos) = hay.find(needle) {
            let tier = if hay.len() == needle.len() {
                Tier::Exact
            } else if pos == 0 {
                Tier::Prefix
            } else {
                Tier::Substring
            };
            let first = char_index(hay, pos);
            let n = needle.chars().count();
            return Some(((tier, -(pos as i64)), (first..first + n).collect()));
        }
        if !field.fuzzy() {
            return None;
        }
        let (score, idx) = self.matcher.indices(hay, needle)?;
        Some(((Tier::Fuzzy, score), idx))
    }
}
