//! Evaluating a rule set over one record's facts, and saying why.

use super::cuts::CutPoints;
use super::facts::{FactValue, Facts};
use super::rules::{Condition, Dimension, Op, Piece, Rhs, RuleSet, SayPiece, ValueSpec};
use super::Tag;
use crate::i18n::Lang;
use crate::tr_in;
use std::borrow::Cow;
use std::fmt::Write;

/// The value one dimension takes, and which rule gave it (`None`: the
/// dimension's default).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome<'a> {
    pub dim: &'a Dimension,
    pub value: Cow<'a, str>,
    pub rule: Option<usize>,
}

impl<'a> Outcome<'a> {
    /// The `(dimension, value)` tags of this outcome: one, or for a
    /// list-valued dimension one per item (trimmed, each once, in order).
    pub fn values(&self) -> Vec<(&str, &str)> {
        let dim = self.dim.name.as_str();
        if !self.dim.multi {
            return vec![(dim, self.value.as_ref())];
        }
        let mut out: Vec<(&str, &str)> = Vec::new();
        for item in crate::domain::text::list_items(&self.value) {
            if !out.iter().any(|(_, v)| text_eq(v, item)) {
                out.push((dim, item));
            }
        }
        out
    }
}

/// Texts compare without regard to ASCII case ("china" = "China").
fn text_eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl Condition {
    /// The floor setting, when the book has too few values of the fact for
    /// its percentiles to mean anything.
    fn floor_in_force(&self, facts: &Facts, cuts: &CutPoints) -> Option<(f64, &str)> {
        let (value, name) = self.floor.as_ref()?;
        cuts.too_few(facts.subject(), self.fact)
            .then_some((*value, name.as_str()))
    }

    fn holds(&self, facts: &Facts, cuts: &CutPoints) -> bool {
        let fact = facts.get(self.fact);
        match (self.op, fact) {
            (Op::Present, f) => f.is_some(),
            (Op::Absent, f) => f.is_none(),
            (_, None) => false,
            (op, Some(FactValue::Num(v))) => {
                let rhs = match &self.rhs {
                    Rhs::Num { value, .. } => *value,
                    Rhs::Percentile(p) => match (
                        self.floor_in_force(facts, cuts),
                        cuts.get(facts.subject(), self.fact, *p),
                    ) {
                        (Some((floor, _)), _) => floor,
                        (None, Some(c)) => c,
                        (None, None) => return false,
                    },
                    _ => return false,
                };
                match op {
                    Op::Ge => *v >= rhs,
                    Op::Gt => *v > rhs,
                    Op::Le => *v <= rhs,
                    Op::Lt => *v < rhs,
                    Op::Eq => *v == rhs,
                    Op::Ne => *v != rhs,
                    _ => false,
                }
            }
            (op, Some(FactValue::Text(t))) => match (&self.rhs, op) {
                (Rhs::Text(r), Op::Eq) => text_eq(t, r),
                (Rhs::Text(r), Op::Ne) => !text_eq(t, r),
                (Rhs::List { values, .. }, Op::In) => values.iter().any(|r| text_eq(t, r)),
                (Rhs::List { values, .. }, Op::NotIn) => !values.iter().any(|r| text_eq(t, r)),
                _ => false,
            },
        }
    }

    /// `revenue_12m 182,000 ≥ 100,000 (amount_high)`
    fn explain(&self, facts: &Facts, cuts: &CutPoints, lang: Lang, out: &mut String) {
        let name = facts.subject().fact_names()[self.fact];
        let _ = match facts.get(self.fact) {
            None => write!(out, "{name} {}", tr_in!(lang, "reason-none")),
            Some(FactValue::Num(v)) => write!(out, "{name} {}", format_num(*v)),
            Some(FactValue::Text(t)) => write!(out, "{name} \"{t}\""),
        };
        if matches!(self.op, Op::Present | Op::Absent) {
            return;
        }
        let _ = write!(out, " {} ", self.op.symbol());
        let _ = match &self.rhs {
            Rhs::None => Ok(()),
            Rhs::Num { value, setting } => match setting {
                Some(s) => write!(out, "{} ({s})", format_num(*value)),
                None => write!(out, "{}", format_num(*value)),
            },
            Rhs::Percentile(_) => {
                self.limit(facts, cuts, lang, out);
                Ok(())
            }
            Rhs::Text(t) => write!(out, "\"{t}\""),
            Rhs::List { values, setting } => match setting {
                Some(s) => write!(out, "{s}"),
                None => write!(out, "[{}]", values.join(", ")),
            },
        };
    }
}

/// A number as a salesperson reads it: `182,000`, `1.35`, `-2`.
pub fn format_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 && v.abs() < 1e15 {
        let n = v.round() as i64;
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        out
    } else {
        format!("{v:.2}")
    }
}

fn render<'a>(spec: &'a ValueSpec, facts: &'a Facts) -> Option<Cow<'a, str>> {
    match spec {
        ValueSpec::Fixed(v) => Some(Cow::Borrowed(v)),
        ValueSpec::Template(pieces) => {
            if let [Piece::Fact(i)] = pieces.as_slice() {
                return match facts.get(*i)? {
                    FactValue::Text(t) => Some(Cow::Borrowed(t)),
                    FactValue::Num(n) => Some(Cow::Owned(format_num(*n))),
                };
            }
            let mut out = String::new();
            for p in pieces {
                match p {
                    Piece::Lit(l) => out.push_str(l),
                    Piece::Fact(i) => match facts.get(*i) {
                        Some(FactValue::Text(t)) => out.push_str(t),
                        Some(FactValue::Num(n)) => out.push_str(&format_num(*n)),
                        None => {}
                    },
                }
            }
            let trimmed = out.trim();
            (!trimmed.is_empty()).then(|| Cow::Owned(trimmed.to_string()))
        }
    }
}

impl Dimension {
    /// The value this dimension takes for `facts`, if any.
    pub fn evaluate<'a>(&'a self, facts: &'a Facts, cuts: &CutPoints) -> Option<Outcome<'a>> {
        if !self.only_if.iter().all(|c| c.holds(facts, cuts)) {
            return None;
        }
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.when.iter().all(|c| c.holds(facts, cuts)) {
                if let Some(value) = render(&rule.value, facts) {
                    return Some(Outcome {
                        dim: self,
                        value,
                        rule: Some(i),
                    });
                }
            }
        }
        self.default.as_deref().map(|d| Outcome {
            dim: self,
            value: Cow::Borrowed(d),
            rule: None,
        })
    }
}

/// A `say` sentence with the record's facts in it, first letter capital.
fn sentence(
    pieces: &[SayPiece],
    first: Option<&Condition>,
    facts: &Facts,
    cuts: &CutPoints,
    lang: Lang,
) -> String {
    let mut out = String::new();
    for p in pieces {
        match p {
            SayPiece::Lit(l) => out.push_str(l),
            SayPiece::Fact(i) => match facts.get(*i) {
                Some(FactValue::Num(n)) => out.push_str(&format_num(*n)),
                Some(FactValue::Text(t)) => out.push_str(t),
                None => out.push_str(&tr_in!(lang, "reason-none")),
            },
            SayPiece::Limit => {
                if let Some(c) = first {
                    c.limit(facts, cuts, lang, &mut out);
                }
            }
        }
    }
    let mut chars = out.trim().chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Condition {
    /// What the condition compares with, in words.
    fn limit(&self, facts: &Facts, cuts: &CutPoints, lang: Lang, out: &mut String) {
        match &self.rhs {
            Rhs::Num { value, .. } => out.push_str(&format_num(*value)),
            Rhs::Percentile(p) => out.push_str(&match (
                self.floor_in_force(facts, cuts),
                cuts.get(facts.subject(), self.fact, *p),
            ) {
                (Some((floor, _)), _) => {
                    tr_in!(lang, "reason-limit-floor", floor = format_num(floor))
                }
                (None, Some(c)) => tr_in!(
                    lang,
                    "reason-limit-top",
                    percent = 100 - *p as u32,
                    cut = format_num(c)
                ),
                (None, None) => tr_in!(lang, "reason-limit-not-computed", percentile = *p as u32),
            }),
            Rhs::Text(t) => out.push_str(t),
            Rhs::List { values, .. } => out.push_str(&values.join(", ")),
            Rhs::None => {}
        }
    }
}

/// How a subject is named inside a sentence ("the customer's", "客户的").
pub(crate) fn subject_name(subject: super::Subject, lang: Lang) -> String {
    use super::Subject;
    match subject {
        Subject::Customer => tr_in!(lang, "subject-customer"),
        Subject::Opportunity => tr_in!(lang, "subject-opportunity"),
        Subject::Product => tr_in!(lang, "subject-product"),
        Subject::Campaign => tr_in!(lang, "subject-campaign"),
    }
}

impl Outcome<'_> {
    /// The reason in the language in force: the rule's `say` sentence
    /// ("Won 254,000 in the last 12 months — the top 20 % of the book
    /// starts at 236,000"), else the comparisons the rule made.
    pub fn reason(&self, facts: &Facts, cuts: &CutPoints) -> String {
        self.reason_in(crate::i18n::current(), facts, cuts)
    }

    /// The name of the rule that gave the value (`value.high`), `None`
    /// for the dimension's default. For machines (`why --json`), never
    /// for a person to read.
    pub fn rule_name(&self) -> Option<&str> {
        self.rule.map(|i| self.dim.rules[i].name.as_str())
    }

    /// [`Outcome::reason`] in `lang`.
    pub fn reason_in(&self, lang: Lang, facts: &Facts, cuts: &CutPoints) -> String {
        let l = lang as usize;
        match self.rule.map(|i| &self.dim.rules[i]) {
            Some(rule) => {
                if let Some(say) = &rule.say[l] {
                    return sentence(say, rule.when.first(), facts, cuts, lang);
                }
            }
            None => {
                if let Some(say) = &self.dim.say_default[l] {
                    return sentence(say, None, facts, cuts, lang);
                }
            }
        }
        self.plain_reason(facts, cuts, lang)
    }

    /// The comparisons a rule made, for rules without a sentence (a
    /// user's own rules): `high: revenue_12m 182,000 ≥ 100,000`.
    fn plain_reason(&self, facts: &Facts, cuts: &CutPoints, lang: Lang) -> String {
        let value = self.dim.value_label(&self.value, lang);
        let Some(rule) = self.rule.map(|i| &self.dim.rules[i]) else {
            return tr_in!(lang, "reason-default", value = value);
        };
        if rule.when.is_empty() {
            if let ValueSpec::Template(_) = &rule.value {
                // A value taken from a field.
                return tr_in!(
                    lang,
                    "reason-from-field",
                    subject = subject_name(facts.subject(), lang),
                    field = self.dim.label(lang)
                );
            }
            return tr_in!(lang, "reason-always", value = value);
        }
        let mut conds = String::new();
        for (i, c) in rule.when.iter().enumerate() {
            if i > 0 {
                conds.push_str(&tr_in!(lang, "reason-and"));
            }
            c.explain(facts, cuts, lang, &mut conds);
        }
        tr_in!(lang, "reason-because", value = value, conditions = conds)
    }
}

impl RuleSet {
    /// Every dimension's outcome for one record's facts.
    pub fn evaluate<'a>(&'a self, facts: &'a Facts, cuts: &CutPoints) -> Vec<Outcome<'a>> {
        self.dimensions(facts.subject())
            .iter()
            .filter_map(|d| d.evaluate(facts, cuts))
            .collect()
    }

    /// Tags with reasons for one record's facts.
    /// A list-valued dimension gives one tag per item, each with the
    /// dimension's reason.
    pub fn tags(&self, facts: &Facts, cuts: &CutPoints) -> Vec<Tag> {
        let mut out = Vec::new();
        for o in self.evaluate(facts, cuts) {
            let reason = o.reason(facts, cuts);
            for (dimension, value) in o.values() {
                out.push(Tag {
                    dimension: dimension.to_string(),
                    value: value.to_string(),
                    reason: reason.clone(),
                });
            }
        }
        out
    }
}
