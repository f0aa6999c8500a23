//! Searching through the postings: a word is tested once against each
//! distinct text (key), never against each record's copy of it. A one-word
//! query then reads records off its best keys, best first, and stops when it
//! has its top results; a query of several words takes its candidate records
//! from one word's keys and checks them record by record.
//!
//! Ranking is tier first, so both look one tier at a time and stop at the
//! first that fills the list: the keys a word starts (one run of the
//! text-ordered keys), then the keys holding it inside, and only then every
//! key tested fuzzily and for typos.
//!
//! Records changed since the postings were built are not read off keys:
//! they are searched record by record ([`Postings::dirty`]).

use super::index::Span;
use super::narrowing::{Known, Word};
use super::postings::{OrderEntry, Postings};
use super::scan::{
    trim, typo_score, Needle, Scan, Tier, CHUNK, TIER_UNIT, WEIGHT_UNIT, WORD_START,
};
use super::text::{is_subsequence, starts_word, typo_find};
use super::SearchIndex;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The keys one word matched.
#[derive(Debug, Default)]
pub(super) struct Matched {
    /// Substring or better: (score, key), in key order.
    pub strong: Vec<(i64, u32)>,
    /// Only as a subsequence, in a field matched fuzzily: keys, in order.
    pub fuzzy: Vec<u32>,
    /// Only with one typo, in a field matched fuzzily: keys, in order.
    pub typo: Vec<u32>,
}

impl Matched {
    fn merge(mut self, mut other: Matched) -> Matched {
        self.strong.append(&mut other.strong);
        self.fuzzy.append(&mut other.fuzzy);
        self.typo.append(&mut other.typo);
        self
    }

    /// Every matched key in order: a longer word can only match these.
    pub fn all(&self) -> Vec<u32> {
        let strong: Vec<u32> = self.strong.iter().map(|h| h.1).collect();
        let loose = merge_sorted(&self.fuzzy, &self.typo);
        merge_sorted(&strong, &loose)
    }

    /// How many records the matched keys point at.
    pub fn records(&self, p: &Postings) -> usize {
        let strong = self.strong.iter().map(|h| p.postings(h.1).len());
        let fuzzy = self.fuzzy.iter().map(|&k| p.postings(k).len());
        strong.chain(fuzzy).sum()
    }
}

/// Whether [`Scan::match_keys`] looks for keys matching only with a typo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Typos {
    Skip,
    Also,
    /// Only those (the strong and fuzzy keys are known already).
    Only,
}

/// Two ascending key lists as one (no key is in both).
pub(super) fn merge_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    if b.is_empty() {
        return a.to_vec();
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut a = a.iter().copied().peekable();
    for &k in b {
        while let Some(s) = a.next_if(|&s| s < k) {
            out.push(s);
        }
        out.push(k);
    }
    out.extend(a);
    out
}

/// The score of a word that is a substring (or more) of a field's text: the
/// same as [`Scan`] gives record by record.
#[inline]
pub(super) fn strong_score(index: &SearchIndex, s: &Span, n: &Needle) -> Option<i64> {
    let needle = n.text.as_bytes();
    let hay = index.folded(s).as_bytes();
    // Shorter fields rank first: the word is more of what they say.
    let base = s.weight() * WEIGHT_UNIT + 1000 - (hay.len() as i64).min(999);
    let tier = if hay == needle {
        Tier::Exact
    } else if hay.starts_with(needle) {
        Tier::Prefix
    } else {
        let pos = n.finder.find(hay)?;
        let word = if starts_word(index.folded(s), pos) {
            WORD_START
        } else {
            0
        };
        return Some(Tier::Substring as i64 * TIER_UNIT + base + word);
    };
    Some(tier as i64 * TIER_UNIT + base)
}

/// What a shortcut for several words found: the hits, and the records it
/// checked (every record matching each word as well as its tier).
pub(super) struct Full {
    pub hits: Vec<(i64, u32)>,
    pub checked: Vec<u32>,
}

/// A score and the key (or slot) it is for.
type Scored = (i64, u32);

/// Best first.
fn by_score(a: &(i64, u32), b: &(i64, u32)) -> std::cmp::Ordering {
    b.0.cmp(&a.0)
}

impl Scan<'_> {
    /// Tests a word against every key, or only against `from`; `typos`
    /// says whether keys matching only with a typo are looked for too.
    pub(super) fn match_keys(&self, n: &Needle, from: Option<&[u32]>, typos: Typos) -> Matched {
        self.match_keys_knowing(n, from, typos, None)
    }

    /// Like [`Scan::match_keys`]; `strong`, when given, is every key holding
    /// the word as a substring or better ([`Scan::strong_keys`]), so no key
    /// is searched for the substring again.
    pub(super) fn match_keys_knowing(
        &self,
        n: &Needle,
        from: Option<&[u32]>,
        typos: Typos,
        strong: Option<&[Scored]>,
    ) -> Matched {
        let keys = &self.index.postings.keys;
        let with_typos = n.typo && typos != Typos::Skip;
        let known = strong.map(|list| {
            let mut bits = vec![0u64; keys.len().div_ceil(64)];
            for &(_, k) in list {
                bits[k as usize / 64] |= 1 << (k % 64);
            }
            bits
        });
        let test = |acc: &mut Matched, k: u32| {
            if let Some(bits) = &known {
                if bits[k as usize / 64] & 1 << (k % 64) != 0 {
                    return;
                }
            }
            let s = &keys[k as usize];
            let strict = s.mask & n.mask == n.mask;
            if !(strict || with_typos && n.mask_allows(s.mask)) || (s.len as usize) < n.text.len() {
                return;
            }
            let hay = self.index.folded(s);
            if strict {
                let score = match known {
                    Some(_) => None,
                    None => strong_score(self.index, s, n),
                };
                if let Some(score) = score {
                    if typos != Typos::Only {
                        acc.strong.push((score, k));
                    }
                    return;
                }
                if n.fuzzy && s.field.fuzzy() && is_subsequence(hay, &n.text) {
                    if typos != Typos::Only {
                        acc.fuzzy.push(k);
                    }
                    return;
                }
            }
            if with_typos && s.field.fuzzy() && typo_find(hay, &n.text).is_some() {
                acc.typo.push(k);
            }
        };
        let mut matched = match from {
            Some(ids) => ids
                .par_chunks(CHUNK)
                .fold(Matched::default, |mut acc, chunk| {
                    chunk.iter().for_each(|&k| test(&mut acc, k));
                    acc
                })
                .reduce(Matched::default, Matched::merge),
            None => {
                let n = keys.len();
                (0..n.div_ceil(CHUNK))
                    .into_par_iter()
                    .fold(Matched::default, |mut acc, c| {
                        let end = ((c + 1) * CHUNK).min(n);
                        ((c * CHUNK) as u32..end as u32).for_each(|k| test(&mut acc, k));
                        acc
                    })
                    .reduce(Matched::default, Matched::merge)
            }
        };
        if let Some(list) = strong.filter(|_| typos != Typos::Only) {
            matched.strong = list.to_vec();
        }
        matched
    }

    /// The keys holding `n` as a substring or better, with their scores, in
    /// key order: every key is tested, or only those of `from`. Cheaper than
    /// [`Scan::match_keys`], which also tests the rest for a subsequence.
    pub(super) fn strong_keys(&self, n: &Needle, from: Option<&[u32]>) -> Vec<Scored> {
        let keys = &self.index.postings.keys;
        let test = |acc: &mut Vec<Scored>, k: u32| {
            let s = &keys[k as usize];
            if s.mask & n.mask != n.mask || (s.len as usize) < n.text.len() {
                return;
            }
            if let Some(score) = strong_score(self.index, s, n) {
                acc.push((score, k));
            }
        };
        let merge = |mut a: Vec<Scored>, mut b: Vec<Scored>| {
            a.append(&mut b);
            a
        };
        match from {
            Some(ids) => ids
                .par_chunks(CHUNK)
                .fold(Vec::new, |mut acc, chunk| {
                    chunk.iter().for_each(|&k| test(&mut acc, k));
                    acc
                })
                .reduce(Vec::new, merge),
            None => {
                let n = keys.len();
                (0..n.div_ceil(CHUNK))
                    .into_par_iter()
                    .fold(Vec::new, |mut acc, c| {
                        let end = ((c + 1) * CHUNK).min(n);
                        ((c * CHUNK) as u32..end as u32).for_each(|k| test(&mut acc, k));
                        acc
                    })
                    .reduce(Vec::new, merge)
            }
        }
    }

    /// The best `limit` records (unordered) for a one-word query whose keys
    /// holding it as a substring or better (`strong`, from
    /// [`Scan::strong_keys`]) point at that many: every other match (fuzzy,
    /// with a typo) ranks below them. `None` when they do not fill the list.
    pub(super) fn strong_walk(&self, strong: &[Scored]) -> Option<Vec<(i64, u32)>> {
        let p = &self.index.postings;
        let mut records = 0usize;
        for &(_, k) in strong {
            records += p.postings(k).len();
            if records >= self.limit {
                break;
            }
        }
        if records < self.limit {
            return None;
        }
        let mut walk = Walk {
            seen: vec![0; self.index.docs.len().div_ceil(64)],
            hits: Vec::new(),
        };
        self.take_best(&mut strong.to_vec(), &mut walk)
            .then_some(walk.hits)
    }

    /// The best `limit` records (unordered) for a one-word query, read off
    /// its keys best first; stale records are left out. Keys matching only
    /// with a typo rank last, so `more_typos` is asked for them only if the
    /// list is not full by then; they are returned when it was asked.
    pub(super) fn walk(
        &self,
        matched: Matched,
        more_typos: impl FnOnce() -> Vec<u32>,
    ) -> (Vec<(i64, u32)>, Option<Vec<u32>>) {
        let mut walk = Walk {
            seen: vec![0; self.index.docs.len().div_ceil(64)],
            hits: Vec::new(),
        };
        let Matched {
            mut strong,
            fuzzy,
            typo,
        } = matched;
        if self.take_best(&mut strong, &mut walk) {
            return (walk.hits, None);
        }
        // Fuzzy scores are ordered by field weight first (a name hit beats
        // any company hit), so only the best fields need the matcher.
        let keys = &self.index.postings.keys;
        let mut fuzzy = fuzzy;
        fuzzy.sort_by_key(|&k| Reverse(keys[k as usize].weight()));
        let n = &self.needles[0];
        let mut typos: Vec<(i64, u32)> = typo
            .iter()
            .map(|&k| (typo_score(&keys[k as usize]), k))
            .collect();
        for group in fuzzy.chunk_by(|&a, &b| keys[a as usize].weight() == keys[b as usize].weight())
        {
            let (mut scored, weak): (Vec<Scored>, Vec<Scored>) = group
                .par_iter()
                .filter_map(|&k| {
                    let s = &keys[k as usize];
                    let hay = self.index.folded(s);
                    match n.fuzzy_score(self.matcher, hay) {
                        Some(raw) => {
                            let score = s.weight() * WEIGHT_UNIT + raw.clamp(0, WEIGHT_UNIT - 1);
                            Some((Tier::Fuzzy as i64 * TIER_UNIT + score, k))
                        }
                        // Too scattered to be a fuzzy hit, but maybe a typo.
                        None => (n.typo && typo_find(hay, &n.text).is_some())
                            .then(|| (typo_score(s), k)),
                    }
                })
                .partition(|h| h.0 >= Tier::Fuzzy as i64 * TIER_UNIT);
            typos.extend(weak);
            if self.take_best(&mut scored, &mut walk) {
                return (walk.hits, None);
            }
        }
        // Typos last: below every fuzzy match.
        let more = more_typos();
        typos.extend(more.iter().map(|&k| (typo_score(&keys[k as usize]), k)));
        self.take_best(&mut typos, &mut walk);
        (walk.hits, Some(more))
    }

    /// The best `limit` records (unordered) for a one-word query when the
    /// keys the word is exactly or a prefix of hold that many: those keys
    /// are one run of the text-ordered keys, and every other match (inside
    /// a text, fuzzy, with a typo) ranks below them, so no other key needs
    /// testing. `None` when they hold fewer (the caller tests every key).
    pub(super) fn prefix_walk(&self, n: &Needle) -> Option<Vec<(i64, u32)>> {
        let p = &self.index.postings;
        let run = p.prefixed(&self.index.text, n.text.as_bytes());
        if run.is_empty() {
            return None;
        }
        // Records the run points at: fewer than the limit cannot fill it.
        let mut records = 0usize;
        for &e in run {
            records += p.postings(OrderEntry::key(e)).len();
            if records >= self.limit {
                break;
            }
        }
        if records < self.limit {
            return None;
        }
        let len = n.text.len();
        let mut scored: Vec<(i64, u32)> = run
            .iter()
            .map(|&e| {
                // The same score as [`strong_score`], without reading the
                // key or its text: every key of the run starts with the word.
                let key_len = OrderEntry::len(e);
                let tier = if key_len == len {
                    Tier::Exact
                } else {
                    Tier::Prefix
                };
                let base = OrderEntry::weight(e) * WEIGHT_UNIT + 1000 - (key_len as i64).min(999);
                (tier as i64 * TIER_UNIT + base, OrderEntry::key(e))
            })
            .collect();
        let mut walk = Walk {
            seen: vec![0; self.index.docs.len().div_ceil(64)],
            hits: Vec::new(),
        };
        self.take_best(&mut scored, &mut walk).then_some(walk.hits)
    }

    /// The best `limit` records (unordered) for a query of several words
    /// when that many records have every word exactly or as a prefix of one
    /// of their texts: a record's score is its worst word's tier first, so
    /// those rank above every other record, and they all hold a key of the
    /// prefix run of each word. The run pointing at the fewest records gives
    /// the candidates; those whose texts start with every other word too are
    /// ranked record by record. `None` when fewer than `limit` records match
    /// so well (the caller looks further); else the hits and the records so
    /// checked (every record matching at least as a prefix is among them).
    pub(super) fn prefix_multi(&self) -> Option<Full> {
        let p = &self.index.postings;
        let mut best: Option<(usize, usize, &[u64])> = None;
        for (i, n) in self.needles.iter().enumerate() {
            let run = p.prefixed(&self.index.text, n.text.as_bytes());
            let records: usize = run
                .iter()
                .map(|&e| p.postings(OrderEntry::key(e)).len())
                .sum();
            if best.is_none_or(|b| records < b.0) {
                best = Some((records, i, run));
            }
        }
        let (records, word, run) = best?;
        if records < self.limit {
            return None;
        }
        let keys: Vec<u32> = run.iter().map(|&e| OrderEntry::key(e)).collect();
        self.rank_if_full(keys, word, Tier::Prefix)
    }

    /// The best `limit` records (unordered) for a query of several words
    /// when that many records hold every word as a substring (or better) of
    /// one of their texts: those rank above every record matching a word
    /// only fuzzily or with a typo, and they all hold a key that holds the
    /// longest word (usually the rarest) so: `strong`, that word's keys from
    /// [`Scan::strong_keys`]. Their records holding every other word as a
    /// substring are ranked record by record. `None` when fewer than `limit`
    /// records match so well; else the hits, the records so checked and the
    /// word's keys.
    pub(super) fn substring_multi(&self, word: usize, strong: &[Scored]) -> Option<(Full, Word)> {
        let keys: Vec<u32> = strong.iter().map(|h| h.1).collect();
        let p = &self.index.postings;
        let records: usize = keys.iter().map(|&k| p.postings(k).len()).sum();
        if records + p.dirty.len() < self.limit {
            return None;
        }
        let full = self.rank_if_full(keys.clone(), word, Tier::Substring)?;
        Some((
            full,
            Word::new(&self.needles[word].text, keys, Known::Strong),
        ))
    }

    /// The records of `keys` (all holding word `word` at least as well as
    /// `bar`) and the changed records, those whose texts hold every other
    /// word at least as well too (a cheap test), ranked record by record:
    /// the hits if `limit` of them match that well, with the records
    /// checked.
    fn rank_if_full(&self, keys: Vec<u32>, word: usize, bar: Tier) -> Option<Full> {
        let p = &self.index.postings;
        let mut candidates = self.records_of(&keys);
        candidates.extend_from_slice(&p.dirty);
        let prefix = bar >= Tier::Prefix;
        let checked: Vec<u32> = candidates
            .par_iter()
            .copied()
            .filter(|&slot| self.holds_all(slot, Some(word), prefix))
            .collect();
        let acc = self.run(&checked);
        let mut hits = acc.hits;
        trim(&mut hits, self.limit);
        let bar = bar as i64 * TIER_UNIT;
        (hits.len() >= self.limit && hits.iter().all(|h| h.0 >= bar))
            .then_some(Full { hits, checked })
    }

    /// Whether a record's texts hold every word (but `skip`) as a prefix
    /// (or the whole text) when `prefix`, else anywhere: the cheap half of
    /// [`Scan::check`]'s test for such matches, without scoring.
    pub(super) fn holds_all(&self, slot: u32, skip: Option<usize>, prefix: bool) -> bool {
        let doc = &self.index.docs[slot as usize];
        let spans = self.index.doc_spans(doc);
        self.needles
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != skip)
            .all(|(_, n)| {
                doc.mask & n.mask == n.mask
                    && spans.iter().any(|s| {
                        if s.mask & n.mask != n.mask || (s.len as usize) < n.text.len() {
                            return false;
                        }
                        let hay = self.index.folded(s).as_bytes();
                        if prefix {
                            hay.starts_with(n.text.as_bytes())
                        } else {
                            n.finder.find(hay).is_some()
                        }
                    })
            })
    }

    /// Reads records off `keys` best first until `limit` are found (and every
    /// record scoring the same as the last of them). Returns whether the list
    /// is full. A record is taken at its first key: its best.
    fn take_best(&self, keys: &mut [(i64, u32)], walk: &mut Walk) -> bool {
        let p = &self.index.postings;
        let mut rest = keys;
        // Sorting every matched key costs more than the whole walk: sort the
        // best few, and more only if those were not enough.
        let mut batch = 256;
        let mut cut: Option<i64> = None;
        while !rest.is_empty() {
            let k = batch.min(rest.len());
            if k < rest.len() {
                rest.select_nth_unstable_by(k - 1, by_score);
            }
            let (head, tail) = rest.split_at_mut(k);
            head.sort_unstable_by(by_score);
            for &(score, key) in head.iter() {
                if cut.is_some_and(|c| score < c) {
                    return true;
                }
                for &slot in p.postings(key) {
                    if walk.see(slot) && !p.is_stale(slot) && self.accepts(slot) {
                        walk.hits.push((score, slot));
                    }
                }
                if cut.is_none() && walk.hits.len() >= self.limit {
                    cut = Some(score);
                }
            }
            rest = tail;
            batch *= 4;
            if let Some(c) = cut {
                self.take_ties(c, rest, walk);
                return true;
            }
        }
        cut.is_some()
    }

    /// Once the list is full at score `c`, only records tying with the last
    /// one can still make it, and the lowest slots win ties. Ties are common
    /// (names of one length, half a million phone numbers starting with
    /// `1`), so not every tied key is read: keys are numbered in the order
    /// of their first record and each key's records are in slot order, so,
    /// taken in key order, a key whose first record comes after the `limit`
    /// lowest tied slots found so far cannot add one, nor can any key after
    /// it.
    fn take_ties(&self, c: i64, rest: &[(i64, u32)], walk: &mut Walk) {
        let p = &self.index.postings;
        let mut tied: Vec<u32> = rest.iter().filter(|h| h.0 == c).map(|h| h.1).collect();
        // The `limit` lowest tied slots so far (a max-heap).
        let mut lowest: BinaryHeap<u32> =
            walk.hits.iter().filter(|h| h.0 == c).map(|h| h.1).collect();
        let limit = self.limit.max(1);
        while lowest.len() > limit {
            lowest.pop();
        }
        let beaten = |lowest: &BinaryHeap<u32>, slot: u32| {
            lowest.len() >= limit && lowest.peek().is_some_and(|&m| slot > m)
        };
        // In key order, but sorting half a million tied keys costs more
        // than reading the few before the break: the lowest keys first, a
        // batch at a time.
        let mut todo: &mut [u32] = &mut tied;
        let mut batch = 4 * limit.max(64);
        while !todo.is_empty() {
            let k = batch.min(todo.len());
            if k < todo.len() {
                todo.select_nth_unstable(k - 1);
            }
            let (head, tail) = todo.split_at_mut(k);
            head.sort_unstable();
            for &key in head.iter() {
                let slots = p.postings(key);
                if slots.first().is_some_and(|&s| beaten(&lowest, s)) {
                    return;
                }
                for &slot in slots {
                    if beaten(&lowest, slot) {
                        break;
                    }
                    if walk.see(slot) && !p.is_stale(slot) && self.accepts(slot) {
                        walk.hits.push((c, slot));
                        lowest.push(slot);
                        if lowest.len() > limit {
                            lowest.pop();
                        }
                    }
                }
            }
            todo = tail;
            batch *= 4;
        }
    }

    /// Whether a record is live, of a wanted kind and passes the filters.
    #[inline]
    fn accepts(&self, slot: u32) -> bool {
        let doc = &self.index.docs[slot as usize];
        doc.live && self.query.wants(doc.kind) && self.passes_filters(doc)
    }

    /// The records (not stale) that `keys` point at, each once.
    pub(super) fn records_of(&self, keys: &[u32]) -> Vec<u32> {
        let p = &self.index.postings;
        let mut walk = Walk {
            seen: vec![0; self.index.docs.len().div_ceil(64)],
            hits: Vec::new(),
        };
        let mut out = Vec::new();
        for &k in keys {
            for &slot in p.postings(k) {
                if walk.see(slot) && !p.is_stale(slot) && self.accepts(slot) {
                    out.push(slot);
                }
            }
        }
        out
    }
}

/// Records already taken by a walk, and its hits.
struct Walk {
    seen: Vec<u64>,
    hits: Vec<(i64, u32)>,
}

impl Walk {
    /// Marks a slot seen; true the first time.
    #[inline]
    fn see(&mut self, slot: u32) -> bool {
        let (word, bit) = (slot as usize / 64, 1u64 << (slot % 64));
        let first = self.seen[word] & bit == 0;
        self.seen[word] |= bit;
        first
    }
}
