//! Population cut points: percentiles of a fact over the whole book, so
//! tiers such as value high/medium/low follow the book instead of a fixed
//! amount. Computed once per sweep and kept for the cascade.

use super::facts::{CustomerFact, Facts, Subject};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The quintile cut points the RFM scores use.
pub const QUINTILES: [u8; 4] = [20, 40, 60, 80];

/// Facts the RFM scores are computed from.
pub(crate) const RFM_FACTS: [CustomerFact; 3] = [
    CustomerFact::DaysSinceLastPurchase,
    CustomerFact::OrdersTotal,
    CustomerFact::RevenueTotal,
];

/// Below this many non-zero values a percentile says little (with one
/// buyer, p80 is that buyer): a rule with a `floor` setting uses the floor.
pub const MIN_PERCENTILE_VALUES: usize = 10;

/// Percentiles of facts: `(subject, fact, percentile) → value`, and how
/// many values each fact's percentiles were taken over.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CutPoints {
    values: HashMap<(Subject, usize, u8), f64>,
    counts: HashMap<(Subject, usize), usize>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    subject: String,
    fact: String,
    percentile: u8,
    value: f64,
}

impl CutPoints {
    pub fn new() -> CutPoints {
        CutPoints::default()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn get(&self, subject: Subject, fact: usize, percentile: u8) -> Option<f64> {
        self.values.get(&(subject, fact, percentile)).copied()
    }

    pub fn set(&mut self, subject: Subject, fact: usize, percentile: u8, value: f64) {
        self.values.insert((subject, fact, percentile), value);
    }

    /// Whether the cut points (or their counts) of `subject` differ.
    pub fn differ_for(&self, other: &CutPoints, subject: Subject) -> bool {
        let values = |c: &CutPoints| {
            let mut v: Vec<(usize, u8, u64)> = c
                .values
                .iter()
                .filter(|(k, _)| k.0 == subject)
                .map(|(k, v)| (k.1, k.2, v.to_bits()))
                .collect();
            v.sort_unstable();
            v
        };
        let counts = |c: &CutPoints| {
            let mut v: Vec<(usize, usize)> = c
                .counts
                .iter()
                .filter(|(k, _)| k.0 == subject)
                .map(|(k, n)| (k.1, *n))
                .collect();
            v.sort_unstable();
            v
        };
        values(self) != values(other) || counts(self) != counts(other)
    }

    /// Records how many values a fact's percentiles were taken over.
    pub fn set_count(&mut self, subject: Subject, fact: usize, count: usize) {
        self.counts.insert((subject, fact), count);
    }

    /// How many non-zero values the fact's percentiles were taken over
    /// (`None`: not computed).
    pub fn count(&self, subject: Subject, fact: usize) -> Option<usize> {
        self.counts.get(&(subject, fact)).copied()
    }

    /// Too few values for the fact's percentiles to mean anything.
    pub fn too_few(&self, subject: Subject, fact: usize) -> bool {
        self.count(subject, fact)
            .is_none_or(|n| n < MIN_PERCENTILE_VALUES)
    }

    /// Computes the percentiles `needed` (fact, percentile) of `subject`
    /// over `population`. Only present, non-zero values count: a prospect's
    /// revenue of 0 says nothing about what a high-value customer is.
    /// Nearest-rank percentiles; a fact with no values gets no cut point.
    pub fn add_population(
        &mut self,
        subject: Subject,
        needed: &[(usize, u8)],
        population: &[Facts],
    ) {
        let mut facts: Vec<usize> = needed.iter().map(|n| n.0).collect();
        facts.sort_unstable();
        facts.dedup();
        for fact in facts {
            let mut values: Vec<f64> = population
                .iter()
                .filter_map(|f| f.num(fact))
                .filter(|v| *v != 0.0)
                .collect();
            self.add_values(subject, fact, needed, &mut values);
        }
    }

    /// Like [`CutPoints::add_population`] for one fact whose values are
    /// already collected (the sweep collects them without keeping facts).
    pub fn add_values(
        &mut self,
        subject: Subject,
        fact: usize,
        needed: &[(usize, u8)],
        values: &mut [f64],
    ) {
        for (_, p) in needed.iter().filter(|n| n.0 == fact) {
            self.values.remove(&(subject, fact, *p));
        }
        self.counts.insert((subject, fact), values.len());
        if values.is_empty() {
            return;
        }
        values.sort_unstable_by(f64::total_cmp);
        let n = values.len();
        for (_, p) in needed.iter().filter(|n| n.0 == fact) {
            let rank = ((*p as f64 / 100.0) * n as f64).ceil() as usize;
            let v = values[rank.clamp(1, n) - 1];
            self.values.insert((subject, fact, *p), v);
        }
    }

    /// Adds recency, frequency and monetary scores (1–5, 5 best) to a
    /// customer's facts from the quintiles of the book. No purchase or no
    /// cut points: no scores.
    pub fn add_rfm_scores(&self, facts: &mut Facts) {
        let score = |fact: CustomerFact, lower_is_better: bool| -> Option<f64> {
            let v = facts.num(fact)?;
            let mut above = 0;
            for p in QUINTILES {
                if v > self.get(Subject::Customer, fact.into(), p)? {
                    above += 1;
                }
            }
            Some(if lower_is_better {
                5 - above
            } else {
                1 + above
            } as f64)
        };
        if facts.num(CustomerFact::OrdersTotal).unwrap_or(0.0) < 1.0 {
            return;
        }
        let r = score(CustomerFact::DaysSinceLastPurchase, true);
        let f = score(CustomerFact::OrdersTotal, false);
        let m = score(CustomerFact::RevenueTotal, false);
        facts.set_opt_num(CustomerFact::RecencyScore, r);
        facts.set_opt_num(CustomerFact::FrequencyScore, f);
        facts.set_opt_num(CustomerFact::MonetaryScore, m);
    }

    /// JSON for keeping the cut points between runs.
    pub fn to_json(&self) -> String {
        let mut entries: Vec<Entry> = self
            .values
            .iter()
            .map(|((s, f, p), v)| Entry {
                subject: s.as_str().into(),
                fact: s.fact_names()[*f].into(),
                percentile: *p,
                value: *v,
            })
            .collect();
        // A count is kept as percentile 0 (no percentile is 0).
        entries.extend(self.counts.iter().map(|((s, f), n)| Entry {
            subject: s.as_str().into(),
            fact: s.fact_names()[*f].into(),
            percentile: 0,
            value: *n as f64,
        }));
        entries.sort_by(|a, b| {
            (&a.subject, &a.fact, a.percentile).cmp(&(&b.subject, &b.fact, b.percentile))
        });
        serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into())
    }

    /// Reads what [`CutPoints::to_json`] wrote; unknown entries are dropped.
    pub fn from_json(json: &str) -> CutPoints {
        let entries: Vec<Entry> = serde_json::from_str(json).unwrap_or_default();
        let mut cuts = CutPoints::new();
        for e in entries {
            let Some(subject) = Subject::ALL.into_iter().find(|s| s.as_str() == e.subject) else {
                continue;
            };
            if let Some(fact) = subject.fact_index(&e.fact) {
                if e.percentile == 0 {
                    cuts.counts
                        .insert((subject, fact), e.value.max(0.0) as usize);
                } else {
                    cuts.set(subject, fact, e.percentile, e.value);
                }
            }
        }
        cuts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_ignores_zero() {
        let mut pop = Vec::new();
        for v in [0.0, 10.0, 20.0, 30.0, 40.0, 50.0] {
            let mut f = Facts::new(Subject::Customer);
            f.set_num(CustomerFact::Revenue12m, v);
            pop.push(f);
        }
        let fact = CustomerFact::Revenue12m.into();
        let mut c = CutPoints::new();
        c.add_population(Subject::Customer, &[(fact, 80), (fact, 50)], &pop);
        assert_eq!(c.get(Subject::Customer, fact, 80), Some(40.0));
        assert_eq!(c.get(Subject::Customer, fact, 50), Some(30.0));
        let back = CutPoints::from_json(&c.to_json());
        assert_eq!(back, c);
    }
}
