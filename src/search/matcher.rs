//! The scoring trait, so matchers can be swapped and compared by benchmark
//! (`benches/search.rs`). Both texts reach a matcher already case-folded.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

/// Scores a needle against one field's text.
pub trait Matcher: Send + Sync {
    /// A short name for benchmark reports.
    fn name(&self) -> &'static str;
    /// The score of `needle` in `hay`, or `None` if it does not match.
    fn score(&self, hay: &str, needle: &str) -> Option<i64>;
    /// The score and the matched char indices in `hay`.
    fn indices(&self, hay: &str, needle: &str) -> Option<(i64, Vec<usize>)>;
}

thread_local! {
    // One per thread: a shared SkimMatcherV2 contends on its cache, and two
    // threads sharing one are slower than one thread.
    static SKIM: SkimMatcherV2 = SkimMatcherV2::default().respect_case();
}

/// fuzzy-matcher's skim algorithm (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SkimMatcher;

impl Matcher for SkimMatcher {
    fn name(&self) -> &'static str {
        "skim"
    }

    fn score(&self, hay: &str, needle: &str) -> Option<i64> {
        SKIM.with(|m| m.fuzzy_match(hay, needle))
    }

    fn indices(&self, hay: &str, needle: &str) -> Option<(i64, Vec<usize>)> {
        SKIM.with(|m| m.fuzzy_indices(hay, needle))
    }
}

/// Contiguous matches only, scored by how early they start: the cheap
/// baseline that the fuzzy matcher is compared against.
#[derive(Debug, Clone, Copy, Default)]
pub struct SubstringMatcher;

impl Matcher for SubstringMatcher {
    fn name(&self) -> &'static str {
        "substring"
    }

    fn score(&self, hay: &str, needle: &str) -> Option<i64> {
        hay.find(needle).map(|pos| 1000 - pos.min(999) as i64)
    }

    fn indices(&self, hay: &str, needle: &str) -> Option<(i64, Vec<usize>)> {
        let pos = hay.find(needle)?;
        let first = hay[..pos].chars().count();
        let n = needle.chars().count();
        Some((1000 - pos.min(999) as i64, (first..first + n).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skim_scores_and_indices() {
        let m = SkimMatcher;
        assert!(m.score("zhangwei", "zw").is_some());
        assert!(m.score("zhangwei", "wz").is_none());
        let (_, idx) = m.indices("zhangwei", "zw").unwrap();
        assert_eq!(idx, vec![0, 5]);
    }

    #[test]
    fn substring_only_contiguous() {
        let m = SubstringMatcher;
        assert_eq!(m.indices("上海明达", "明达").unwrap().1, vec![2, 3]);
        assert!(m.score("zhangwei", "zw").is_none());
    }
}
