//! What one keystroke leaves for the next: when the query only grows, its
//! matches are a subset of the previous query's, so only those are tested.

use super::query::Query;
use super::scan::Tier;
use super::text::typo_tolerant;
use super::SearchIndex;

/// Most remembered words (each with its matched keys).
const MAX_WORDS: usize = 4;

/// Which of a word's matching keys a remembered key list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Known {
    /// Only the keys holding the word as a substring or better: enough
    /// for a longer word whose own such keys fill the list.
    Strong,
    /// Also the keys matching it fuzzily, not those matching with a typo.
    Loose,
    /// Every key it matches, typos included.
    All,
}

/// A remembered word: the distinct texts (key ids) it matched.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub text: String,
    pub keys: Vec<u32>,
    pub known: Known,
}

impl Word {
    pub fn new(text: &str, keys: Vec<u32>, known: Known) -> Word {
        Word {
            text: text.to_string(),
            keys,
            known,
        }
    }
}

/// The records and distinct texts that could still match the previous
/// query, kept for the next keystroke (see [`SearchIndex::search_with`]).
#[derive(Debug, Default, Clone)]
pub struct Narrowing {
    /// Index epoch the record candidates belong to.
    epoch: u64,
    /// The query the record candidates belong to (`None`: no candidates).
    query: Option<Query>,
    candidates: Vec<u32>,
    /// The worst tier the candidates are complete for: they hold every
    /// record whose every word matches this well or better
    /// ([`Tier::Typo`]: every record that matches at all).
    bar: Option<Tier>,
    /// Postings build the key lists belong to.
    build: u64,
    /// Words typed, each with the distinct texts (key ids) it matched. Key
    /// ids stay valid across edits (changed records are searched one by
    /// one), until the postings are rebuilt.
    words: Vec<Word>,
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
        self.words.iter().map(|w| w.keys.len()).sum()
    }

    /// The record candidates, if `q` only adds characters to the remembered
    /// query, so its matches are a subset of them; with the worst tier they
    /// are complete for (below it, `q` may match records not among them).
    pub(crate) fn records_for(&self, index: &SearchIndex, q: &Query) -> Option<(&[u32], Tier)> {
        let old = self.query.as_ref()?;
        let bar = self.bar.unwrap_or(Tier::Typo);
        // A word that is a prefix of a text is a prefix of it only if the
        // remembered word starts the new one; inside a text, anywhere in it.
        let covered = |o: &str, n: &str| match bar {
            Tier::Exact | Tier::Prefix => n.starts_with(o),
            Tier::Substring => n.contains(o),
            Tier::Fuzzy | Tier::Typo => n.contains(o) && typo_covered(o, n),
        };
        let covers = self.epoch == index.epoch()
            && old.filters == q.filters
            && old.kinds == q.kinds
            && !old.words.is_empty()
            && old.words.len() <= q.words.len()
            && old.words.iter().zip(&q.words).all(|(o, n)| covered(o, n));
        covers.then_some((self.candidates.as_slice(), bar))
    }

    /// The fewest remembered keys that every key matching `word` as well as
    /// `need` says is among: [`Known::Strong`], the keys holding it as a
    /// substring or better; [`Known::Loose`], also fuzzily; [`Known::All`],
    /// also with a typo.
    pub(crate) fn keys_for(&self, build: u64, word: &str, need: Known) -> Option<&[u32]> {
        if self.build != build {
            return None;
        }
        self.words
            .iter()
            .filter(|w| {
                word.contains(w.text.as_str())
                    && w.known >= need
                    && (need != Known::All || typo_covered(&w.text, word))
            })
            .min_by_key(|w| w.keys.len())
            .map(|w| w.keys.as_slice())
    }

    /// Remembers what this query matched: record candidates (or none) and
    /// the worst tier they are complete for, and the keys of the words
    /// that were matched key by key. Remembered words the new query still
    /// contains are kept.
    pub(crate) fn remember(
        &mut self,
        index: &SearchIndex,
        query: &Query,
        candidates: Option<(Vec<u32>, Tier)>,
        mut words: Vec<Word>,
    ) {
        let build = index.postings.build;
        if self.build == build {
            let still = |o: &str| query.words.iter().any(|w| w.contains(o));
            // A remembered word that knows more of its keys is kept beside
            // a longer one that knows fewer.
            let superseded = |o: &Word, words: &[Word]| {
                words
                    .iter()
                    .any(|w| w.text.contains(o.text.as_str()) && w.known >= o.known)
            };
            for o in std::mem::take(&mut self.words) {
                if still(&o.text) && !superseded(&o, &words) {
                    words.push(o);
                }
            }
        }
        words.sort_by_key(|w| w.keys.len());
        words.truncate(MAX_WORDS);
        let (candidates, bar) = match candidates {
            Some((c, bar)) => (Some(c), Some(bar)),
            None => (None, None),
        };
        *self = Narrowing {
            epoch: index.epoch(),
            query: candidates.is_some().then(|| query.clone()),
            candidates: candidates.unwrap_or_default(),
            bar,
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
