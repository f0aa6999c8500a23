//! The tag-filter overlay (`f`): the tags present in a list with their
//! counts, narrowed as you type (fuzzy over `dimension:value`).

use crate::domain::Kind;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use tui_input::{Input, InputRequest};

/// Choosing the tag a list is filtered by.
#[derive(Debug, Clone)]
pub struct TagFilter {
    /// The kind of record whose list it filters.
    pub kind: Kind,
    /// `(dimension, value, count)`; the first entry (empty) clears.
    pub options: Vec<(String, String, usize)>,
    /// What was typed.
    pub query: Input,
    /// Indices into `options` that match the query, best first.
    pub shown: Vec<usize>,
    /// Index into `shown`.
    pub cursor: usize,
    /// The options are still being counted.
    pub loading: bool,
}

impl TagFilter {
    pub fn new(kind: Kind, tags: Vec<(String, String, usize)>) -> TagFilter {
        let mut f = TagFilter {
            kind,
            options: Vec::new(),
            query: Input::default(),
            shown: Vec::new(),
            cursor: 0,
            loading: false,
        };
        f.set_options(tags);
        f
    }

    /// The rules' subject of the filtered records.
    pub fn subject(&self) -> crate::classify::Subject {
        use crate::classify::Subject;
        match self.kind {
            Kind::Customer => Subject::Customer,
            Kind::Opportunity => Subject::Opportunity,
            Kind::Product => Subject::Product,
            Kind::Activity => Subject::Campaign,
        }
    }

    /// The tags arrived (or changed): keeps what was typed.
    pub fn set_options(&mut self, tags: Vec<(String, String, usize)>) {
        self.options = vec![(String::new(), String::new(), 0)];
        self.options.extend(tags);
        self.refilter();
    }

    fn refilter(&mut self) {
        let q: String = self.query.value().split_whitespace().collect();
        if q.is_empty() {
            self.shown = (0..self.options.len()).collect();
        } else {
            let m = SkimMatcherV2::default();
            let mut scored: Vec<(i64, usize)> = self
                .options
                .iter()
                .enumerate()
                .skip(1)
                .filter_map(|(i, (d, v, _))| {
                    // Ids or the labels shown (`value:high`, `客户价值:高`).
                    let (ld, lv) = crate::tui::labels::tag(self.subject(), d, v);
                    let by_id = m.fuzzy_match(&format!("{d}:{v}"), &q);
                    let by_label = m.fuzzy_match(&format!("{ld}:{lv}"), &q);
                    by_id.max(by_label).map(|s| (s, i))
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.shown = scored.into_iter().map(|(_, i)| i).collect();
        }
        self.cursor = 0;
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.shown.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, last) as usize;
    }

    /// Edits the query.
    pub fn edit(&mut self, req: InputRequest) {
        if self.query.handle(req).is_some_and(|c| c.value) {
            self.refilter();
        }
    }

    /// The option under the cursor: `Some(None)` clears the filter.
    pub fn chosen(&self) -> Option<Option<(String, String)>> {
        let (d, v, _) = self.options.get(*self.shown.get(self.cursor)?)?;
        Some((!d.is_empty()).then(|| (d.clone(), v.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Vec<(String, String, usize)> {
        [
            ("size", "big", 3),
            ("size", "small", 5),
            ("urgency", "urgent", 2),
        ]
        .iter()
        .map(|(d, v, n)| (d.to_string(), v.to_string(), *n))
        .collect()
    }

    #[test]
    fn typing_narrows_the_options() {
        let mut f = TagFilter::new(Kind::Opportunity, opts());
        assert_eq!(f.shown.len(), 4);
        assert_eq!(f.chosen(), Some(None));
        for c in "urg".chars() {
            f.edit(InputRequest::InsertChar(c));
        }
        assert_eq!(f.chosen(), Some(Some(("urgency".into(), "urgent".into()))));
        f.edit(InputRequest::DeleteLine);
        for c in "s:sm".chars() {
            f.edit(InputRequest::InsertChar(c));
        }
        assert_eq!(f.shown.len(), 1);
        assert_eq!(f.chosen(), Some(Some(("size".into(), "small".into()))));
        f.edit(InputRequest::InsertChar('z'));
        assert_eq!(f.chosen(), None);
    }
}
