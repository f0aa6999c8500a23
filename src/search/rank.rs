//! The search entry points: a query's words matched through the postings
//! where that helps ([`super::keyscan`]), record by record otherwise
//! ([`Scan`]), then ranked and turned into [`Hit`]s.

use super::index::VALUE_BITS;
use super::keyscan::{merge_sorted, Typos};
use super::matcher::{Matcher, SkimMatcher};
use super::narrowing::{Known, Narrowing, Word};
use super::query::Query;
use super::scan::{better, trim, Acc, Needle, Scan, Tier, TIER_UNIT};
use super::{Hit, SearchIndex};
use rayon::prelude::*;
use std::sync::atomic::AtomicI64;

impl SearchIndex {
    /// The best `limit` records for `query`, best first, with the default
    /// fuzzy matcher.
    pub fn search(&self, query: &Query, limit: usize) -> Vec<Hit> {
        self.search_with(query, limit, &SkimMatcher, None)
    }

    /// Like [`SearchIndex::search`] with a chosen matcher, narrowing from
    /// (and updating) the previous query's matches when given.
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
        let Some(scan) = self.scan(query, limit, matcher) else {
            return Vec::new();
        };
        let mut hits = match narrowing {
            Some(n) => scan.by_keys(n),
            None => scan.by_keys(&mut Narrowing::new()),
        };
        trim(&mut hits, limit);
        hits.sort_unstable_by(better);
        hits.into_iter()
            .map(|(score, slot)| scan.hit(score, slot))
            .collect()
    }

    /// How many records match `query` in all (a search returns only its
    /// best few): every matching key and record is read, so this costs more
    /// than a search — call it once the hits are shown.
    pub fn count(&self, query: &Query) -> usize {
        if query.is_empty() {
            return 0;
        }
        // A limit of every record: nothing is cut for ranking's sake.
        let limit = self.docs.len().max(1);
        let Some(scan) = self.scan(query, limit, &SkimMatcher) else {
            return 0;
        };
        scan.by_keys(&mut Narrowing::new()).len()
    }

    /// Like [`SearchIndex::search`], testing every record one by one and
    /// never the postings: the slow path, kept to check the fast one.
    #[doc(hidden)]
    pub fn search_by_record(&self, query: &Query, limit: usize) -> Vec<Hit> {
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let Some(scan) = self.scan(query, limit, &SkimMatcher) else {
            return Vec::new();
        };
        let (mut hits, _) = scan.finish(scan.run_all());
        trim(&mut hits, limit);
        hits.sort_unstable_by(better);
        hits.into_iter()
            .map(|(score, slot)| scan.hit(score, slot))
            .collect()
    }

    fn scan<'a>(
        &'a self,
        query: &'a Query,
        limit: usize,
        matcher: &'a dyn Matcher,
    ) -> Option<Scan<'a>> {
        Some(Scan {
            index: self,
            query,
            needles: query.words.iter().map(|w| Needle::new(w)).collect(),
            filters: self.resolve_filters(query)?,
            matcher,
            limit,
            bar: AtomicI64::new(i64::MIN),
        })
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

impl Scan<'_> {
    /// The best records (unordered, at least the top `limit`), through the
    /// postings where they help; updates `narrowing` for the next keystroke.
    pub(super) fn by_keys(&self, narrowing: &mut Narrowing) -> Vec<(i64, u32)> {
        let p = &self.index.postings;
        if self.needles.is_empty() {
            // Filters only: every record passing them is a hit.
            return self.finish(self.run_all()).0;
        }
        // A count reads every match: no shortcut can fill its list.
        let shortcuts = self.limit < self.index.docs.len();
        if let [n] = self.needles.as_slice() {
            // Most keystrokes: the texts starting with the word fill the list.
            if let Some(mut hits) = self.prefix_walk(n) {
                hits.extend(self.finish(self.run(&p.dirty)).0);
                narrowing.remember(self.index, self.query, None, Vec::new());
                return hits;
            }
            // Else the texts holding it anywhere (`mart` in Raj Martin) may.
            let mut strong = None;
            if shortcuts {
                let keys = self.strong_keys(n, narrowing.keys_for(p.build, &n.text, Known::Strong));
                if let Some(mut hits) = self.strong_walk(&keys) {
                    hits.extend(self.finish(self.run(&p.dirty)).0);
                    let keys = keys.iter().map(|h| h.1).collect();
                    let word = Word::new(&n.text, keys, Known::Strong);
                    narrowing.remember(self.index, self.query, None, vec![word]);
                    return hits;
                }
                strong = Some(keys);
            }
            // Typos rank last: they are looked for only if the strong and
            // fuzzy keys do not fill the list. (The strong keys are known
            // now: no key is searched for the substring again.)
            let strong = strong.as_deref();
            let matched = self.match_keys_knowing(
                n,
                narrowing.keys_for(p.build, &n.text, Known::Loose),
                Typos::Skip,
                strong,
            );
            let mut keys = matched.all();
            let typo_from = narrowing.keys_for(p.build, &n.text, Known::All);
            let (mut hits, typos) = self.walk(matched, || {
                if n.typo {
                    self.match_keys_knowing(n, typo_from, Typos::Only, strong)
                        .typo
                } else {
                    Vec::new()
                }
            });
            let known = if !n.typo || typos.is_some() {
                Known::All
            } else {
                Known::Loose
            };
            if let Some(t) = typos {
                keys = merge_sorted(&keys, &t);
            }
            hits.extend(self.finish(self.run(&p.dirty)).0);
            narrowing.remember(
                self.index,
                self.query,
                None,
                vec![Word::new(&n.text, keys, known)],
            );
            return hits;
        }
        // Several words: the records the previous keystroke left, if they
        // hold every record that can make the list. (When they hold every
        // record matching at least as well as some tier and too few match so
        // well, no shortcut for that tier can fill the list either.)
        let mut too_few = None;
        if let Some((candidates, bar)) = narrowing.records_for(self.index, self.query) {
            let candidates = candidates.to_vec();
            if bar == Tier::Typo {
                let (hits, candidates) = self.finish(self.run(&candidates));
                narrowing.remember(self.index, self.query, Some((candidates, bar)), Vec::new());
                return hits;
            }
            // Complete only for records matching every word at least as
            // well as `bar`: enough when that many match so well.
            let prefix = bar >= Tier::Prefix;
            let checked: Vec<u32> = candidates
                .par_iter()
                .copied()
                .filter(|&slot| self.holds_all(slot, None, prefix))
                .collect();
            let mut hits = self.run(&checked).hits;
            trim(&mut hits, self.limit);
            let floor = bar as i64 * TIER_UNIT;
            if hits.len() >= self.limit && hits.iter().all(|h| h.0 >= floor) {
                narrowing.remember(self.index, self.query, Some((checked, bar)), Vec::new());
                return hits;
            }
            too_few = Some(bar);
        }
        // Then the records holding every word as a prefix of a text, or
        // inside one, if they fill the list.
        // The longest word's keys holding it as a substring, once known.
        let mut longest_strong = None;
        let tried = |tier: Tier| too_few.is_some_and(|bar| bar <= tier);
        if shortcuts && !tried(Tier::Prefix) {
            if let Some(full) = self.prefix_multi() {
                let candidates = Some((full.checked, Tier::Prefix));
                narrowing.remember(self.index, self.query, candidates, Vec::new());
                return full.hits;
            }
        }
        if shortcuts && !tried(Tier::Substring) {
            let (word, n) = self
                .needles
                .iter()
                .enumerate()
                .max_by_key(|(_, n)| n.text.len())
                .expect("several words");
            let strong = self.strong_keys(n, narrowing.keys_for(p.build, &n.text, Known::Strong));
            if let Some((full, word)) = self.substring_multi(word, &strong) {
                let candidates = Some((full.checked, Tier::Substring));
                narrowing.remember(self.index, self.query, candidates, vec![word]);
                return full.hits;
            }
            longest_strong = Some(strong);
        }
        // Else every record matching at all: candidates from the keys of
        // the word matching the fewest records; then record by record.
        let mut words = Vec::new();
        let mut best: Option<(usize, Vec<u32>)> = None;
        for n in &self.needles {
            if let Some(from) = narrowing.keys_for(p.build, &n.text, Known::All) {
                let m = self.match_keys(n, Some(from), Typos::Also);
                let (records, keys) = (m.records(p), m.all());
                if best.as_ref().is_none_or(|b| records < b.0) {
                    best = Some((records, keys.clone()));
                }
                words.push(Word::new(&n.text, keys, Known::All));
            }
        }
        let keys = match best {
            Some((_, keys)) => keys,
            None => {
                // The longest word is usually the rarest.
                let n = self.needles.iter().max_by_key(|n| n.text.len());
                let keys = n.map(|n| {
                    let strong = longest_strong.as_deref();
                    (
                        n,
                        self.match_keys_knowing(n, None, Typos::Also, strong).all(),
                    )
                });
                let Some((n, keys)) = keys else {
                    return Vec::new();
                };
                words.push(Word::new(&n.text, keys.clone(), Known::All));
                keys
            }
        };
        let mut candidates = self.records_of(&keys);
        candidates.extend_from_slice(&p.dirty);
        let (hits, candidates) = self.finish(self.run(&candidates));
        narrowing.remember(
            self.index,
            self.query,
            Some((candidates, Tier::Typo)),
            words,
        );
        hits
    }

    /// A scan's hits with its fuzzy candidates scored if they are needed,
    /// and the records that could match a longer query.
    fn finish(&self, acc: Acc) -> (Vec<(i64, u32)>, Vec<u32>) {
        let Acc {
            mut hits,
            strong,
            fuzzy,
            candidates,
            ..
        } = acc;
        if strong < self.limit && !fuzzy.is_empty() {
            let scored: Vec<(i64, u32)> = fuzzy
                .par_iter()
                .filter_map(|&slot| self.score_fuzzy(slot).map(|s| (s, slot)))
                .collect();
            hits.extend(scored);
        }
        (hits, candidates)
    }
}
