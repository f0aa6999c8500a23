//! Ranking record by record, and the scoring every path shares.
//!
//! Every word is checked against each field of a record, cheapest test
//! first: the char-mask prefilter, then exact / prefix / substring (memchr),
//! and only then a fuzzy subsequence, scored by the [`Matcher`]. Ranking is
//! tier first (exact > prefix > substring > fuzzy), then field weight, then
//! the tier's own score. Because tiers dominate, once `limit` substring-or-
//! better hits exist the fuzzy candidates are never scored, and a scan that
//! already holds `limit` hits of a tier skips the tests below it.
//!
//! A one-word query does not come here but reads records off the distinct
//! texts ([`super::keyscan`]); several words are checked here, on the
//! candidates the postings or the previous keystroke give
//! ([`super::narrowing::Narrowing`]).

use super::index::{Doc, Span};
use super::matcher::Matcher;
use super::query::Query;
use super::text::{char_mask, is_subsequence, starts_word, typo_find, typo_tolerant};
use super::SearchIndex;
use memchr::memmem::Finder;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicI64, Ordering};

/// How a word matched a field; higher is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// One char replaced or two swapped in a long word (`zhagnwei`).
    Typo = 0,
    Fuzzy = 1,
    /// Inside the field; starting one of its words ranks higher.
    Substring = 2,
    /// The field starts with the word.
    Prefix = 3,
    Exact = 4,
}

impl Tier {
    pub(super) fn from_score(score: i64) -> Tier {
        match score / TIER_UNIT {
            4.. => Tier::Exact,
            3 => Tier::Prefix,
            2 => Tier::Substring,
            1 => Tier::Fuzzy,
            _ => Tier::Typo,
        }
    }
}

pub(super) const TIER_UNIT: i64 = 1_000_000_000;
pub(super) const WEIGHT_UNIT: i64 = 10_000_000;
/// Within the substring tier, a word that starts a word of the field
/// (`wei` in `David Wei`) ranks above one inside a word.
pub(super) const WORD_START: i64 = 5_000;
/// Records scanned per parallel task.
pub(super) const CHUNK: usize = 4096;

/// Skim gives a matched char 16, plus bonuses for starting a word or
/// following the last matched char, minus penalties for gaps. A match that
/// does not earn some bonus per char is letters scattered through the text
/// (`ciif` in "electric forklift" 13 a char, in "caimingfang" 16.5), not
/// what was typed, and is cut; initials and abbreviations (`zhxw` for
/// zhangxinwei, `wgfg` for wangfang) earn 18 or more.
const MIN_FUZZY_PER_CHAR: i64 = 18;

pub(super) struct Needle {
    pub text: String,
    pub mask: u32,
    pub finder: Finder<'static>,
    /// Whether it may match as a subsequence: a number must match digits
    /// in a row (`0021` is not in `+44 20 7946 0291`).
    pub fuzzy: bool,
    /// Whether one typo is forgiven ([`typo_tolerant`]).
    pub typo: bool,
    chars: i64,
}

impl Needle {
    pub(super) fn new(word: &str) -> Needle {
        Needle {
            text: word.to_string(),
            mask: char_mask(word),
            finder: Finder::new(word.as_bytes()).into_owned(),
            fuzzy: !word.bytes().all(|b| b.is_ascii_digit()),
            typo: typo_tolerant(word),
            chars: word.chars().count() as i64,
        }
    }

    /// Whether a text with this char mask could match at all (with a typo,
    /// one char of the word may be missing from it).
    #[inline]
    pub(super) fn mask_allows(&self, mask: u32) -> bool {
        let missing = self.mask & !mask;
        missing == 0 || (self.typo && missing.count_ones() == 1)
    }

    /// The matcher's score of a fuzzy match good enough to show.
    #[inline]
    pub(super) fn fuzzy_score(&self, matcher: &dyn Matcher, hay: &str) -> Option<i64> {
        if !self.fuzzy {
            return None;
        }
        let raw = matcher.score(hay, &self.text)?;
        (raw >= MIN_FUZZY_PER_CHAR * self.chars).then_some(raw)
    }

    /// Whether a fuzzily matched field could hold this word: as a
    /// subsequence, or with one typo.
    #[inline]
    pub(super) fn loose_possible(&self, hay: &str, mask: u32) -> bool {
        (self.fuzzy && mask & self.mask == self.mask && is_subsequence(hay, &self.text))
            || (self.typo && self.mask_allows(mask) && typo_find(hay, &self.text).is_some())
    }
}

/// The score of a typo match in a span: below every fuzzy match, then by
/// field weight and shorter text.
#[inline]
pub(super) fn typo_score(s: &Span) -> i64 {
    Tier::Typo as i64 * TIER_UNIT + s.weight() * WEIGHT_UNIT + 1000 - (s.len as i64).min(999)
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

pub(super) struct Scan<'a> {
    pub index: &'a SearchIndex,
    pub query: &'a Query,
    pub needles: Vec<Needle>,
    /// Allowed attribute codes, one sorted list per filter.
    pub filters: Vec<Vec<u32>>,
    pub matcher: &'a dyn Matcher,
    pub limit: usize,
    /// The highest limit-th-best score any task has seen.
    pub bar: AtomicI64,
}

/// One parallel task's findings.
pub(super) struct Acc {
    pub hits: Vec<(i64, u32)>,
    /// Hits of substring tier or better seen (before trimming).
    pub strong: usize,
    pub fuzzy: Vec<u32>,
    pub candidates: Vec<u32>,
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
pub(super) fn trim(hits: &mut Vec<(i64, u32)>, limit: usize) {
    if hits.len() > limit && limit > 0 {
        hits.select_nth_unstable_by(limit - 1, better);
        hits.truncate(limit);
    }
}

/// Best first: higher score, then lower slot (stable across runs).
pub(super) fn better(a: &(i64, u32), b: &(i64, u32)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Few, long tasks: each keeps its own top list, and a long one fills it
/// with good hits early, which raises the bar for the rest of its records.
fn min_len(chunks: usize) -> usize {
    (chunks / (4 * rayon::current_num_threads())).max(1)
}

impl Scan<'_> {
    pub(super) fn run_all(&self) -> Acc {
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

    pub(super) fn run(&self, slots: &[u32]) -> Acc {
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

    pub(super) fn passes_filters(&self, doc: &Doc) -> bool {
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
            if !n.mask_allows(doc.mask) {
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
        spans
            .iter()
            .any(|s| s.field.fuzzy() && n.loose_possible(self.index.folded(s), s.mask))
    }

    /// The full score of a record that matched only fuzzily.
    pub(super) fn score_fuzzy(&self, slot: u32) -> Option<i64> {
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
            let (tier, best) = spans
                .iter()
                .filter(|s| s.field.fuzzy() && n.mask_allows(s.mask))
                .filter_map(|s| {
                    let hay = self.index.folded(s);
                    if s.mask & n.mask == n.mask {
                        if let Some(raw) = n.fuzzy_score(self.matcher, hay) {
                            let score = s.weight() * WEIGHT_UNIT + raw.clamp(0, WEIGHT_UNIT - 1);
                            return Some((Tier::Fuzzy, score));
                        }
                    }
                    (n.typo && typo_find(hay, &n.text).is_some())
                        .then(|| (Tier::Typo, typo_score(s) - Tier::Typo as i64 * TIER_UNIT))
                })
                .max()?;
            worst = worst.min(tier);
            total += best;
        }
        Some(worst as i64 * TIER_UNIT + total / self.needles.len() as i64)
    }
}
