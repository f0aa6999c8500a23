//! What one keystroke leaves for the next: when the query only grows, its
//! matches are a subset of the previous query's, so only those are tested.

use super::query::Query;
use super::text::typo_tolerant;
use super::SearchIndex;

/// Most remembered words (each with its matched keys).
const MAX_WORDS: usize = 4;

/// The records and distinct texts that could still match the previous
/// query, kept for the next keystroke (see [`SearchIndex::search_with`]).
#[derive(Debug, Default, Clone)]
pub struct Narrowing {
    /// Index epoch the record candidates belong to.
    epoch: u64,
    /// The query the record candidates belong to (`None`: no candidates).
    query: Option<Query>,
    candidates: Vec<u32>,
    /// Postings build the key lists belong to.
    build: u64,
    /// Words typed, each with the distinct texts (key ids) it matched and
    /// whether those include the texts it matched only with a typo. Key ids
    /// stay valid across edits (changed records are searched one by one),
    /// until the postings are rebuilt.
    words: Vec<(String, Vec<u32>, bool)>,
}

impl Narrowing {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many records the next narrowed scan would look at (0 when the
    /// next query is narrowed by distinct texts instead).
    pub fn candidates(&self) -> usize {
        self.candidates.len()
    }

    /// How many distinct texts are remembered for narrowing.
    pub fn keys(&self) -> usize {
        self.words.iter().map(|(_, k, _)| k.len()).sum()
    }

    /// The record candidates, if `q` only adds characters to the remembered
    /// query, so its matches are a subset of them.
    pub(crate) fn records_for(&self, index: &SearchIndex, q: &Query) -> Option<&[u32]> {
        let old = self.query.as_ref()?;
        let covers = self.epoch == index.epoch()
            && old.filters == q.filters
            && old.kinds == q.kinds
            && !old.words.is_empty()
            && old.words.len() <= q.words.len()
            && old
                .words
                .iter()
                .zip(&q.words)
                .all(|(o, n)| n.contains(o.as_str()) && typo_covered(o, n));
        covers.then_some(self.candidates.as_slice())
    }

    /// The fewest remembered keys that every key matching `word` is among;
    /// with `typos`, also every key it matches only with a typo.
    pub(crate) fn keys_for(&self, build: u64, word: &str, typos: bool) -> Option<&[u32]> {
        if self.build != build {
            return None;
        }
        self.words
            .iter()
            .filter(|(o, _, known)| {
                word.contains(o.as_str()) && (!typos || *known && typo_covered(o, word))
            })
            .min_by_key(|(_, k, _)| k.len())
            .map(|(_, k, _)| k.as_slice())
    }

    /// Remembers what this query matched: record candidates (or none) and
    /// the keys of the words that were matched key by key. Remembered words
    /// the new query still contains are kept.
    pub(crate) fn remember(
        &mut self,
        index: &SearchIndex,
        query: &Query,
        candidates: Option<Vec<u32>>,
        mut words: Vec<(String, Vec<u32>, bool)>,
    ) {
        let build = index.postings.build;
        if self.build == build {
            let still = |o: &str| query.words.iter().any(|w| w.contains(o));
            // A remembered word that knows its typo keys is kept beside a
            // longer one that does not.
            let superseded = |o: &str, known: bool, words: &[(String, Vec<u32>, bool)]| {
                words
                    .iter()
                    .any(|(w, _, k)| w.contains(o) && (*k || !known))
            };
            for (o, keys, known) in std::mem::take(&mut self.words) {
                if still(&o) && !superseded(&o, known, &words) {
                    words.push((o, keys, known));
                }
            }
        }
        words.sort_by_key(|(_, k, _)| k.len());
        words.truncate(MAX_WORDS);
        *self = Narrowing {
            epoch: index.epoch(),
            query: candidates.is_some().then(|| query.clone()),
            candidates: candidates.unwrap_or_default(),
            build,
            words,
        };
    }
}

/// A word that forgives a typo can match texts its shorter, strict prefix
/// did not (`bekce` finds Becker, `bekc` does not): only a remembered word
/// that forgave typos too covers it.
fn typo_covered(old: &str, new: &str) -> bool {
    typo_tolerant(old) || !typo_tolerant(new)
}
