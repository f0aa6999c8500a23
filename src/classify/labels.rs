//! Labels of dimensions and values in each language, and reading tags
//! typed in ids or labels (`value=high`, `价值:高`, `生命周期:流失`).

use super::facts::Subject;
use super::rules::{Dimension, RuleSet};
use crate::i18n::Lang;
use std::borrow::Cow;

impl Dimension {
    /// The dimension's label in `lang` ("value", "客户价值").
    pub fn label(&self, lang: Lang) -> &str {
        &self.labels[lang as usize]
    }

    /// A value's label in `lang` ("高" for `high`); the English label, else
    /// the value itself with `_` as spaces, where the file gives none.
    pub fn value_label<'a>(&'a self, value: &'a str, lang: Lang) -> Cow<'a, str> {
        let labels = self.value_labels.get(value);
        match labels.and_then(|l| l[lang as usize].as_deref().or(l[0].as_deref())) {
            Some(l) => Cow::Borrowed(l),
            None if value.contains('_') => Cow::Owned(value.replace('_', " ")),
            None => Cow::Borrowed(value),
        }
    }

    /// Whether `typed` names this dimension: its id or its label in any
    /// language (ASCII case ignored).
    pub fn is_named(&self, typed: &str) -> bool {
        let t = typed.trim();
        self.name.eq_ignore_ascii_case(t) || self.labels.iter().any(|l| l.eq_ignore_ascii_case(t))
    }

    /// The value id `typed` names: a value's label in any language (`高`,
    /// `流失`), or the text itself (an id, or a value built from a field).
    pub fn value_id(&self, typed: &str) -> String {
        let t = typed.trim();
        let by_label = self.value_labels.iter().find(|(id, labels)| {
            id.eq_ignore_ascii_case(t) || labels.iter().flatten().any(|l| l.eq_ignore_ascii_case(t))
        });
        match by_label {
            Some((id, _)) => id.clone(),
            None if t.contains(' ') && self.allows(&t.replace(' ', "_")) => t.replace(' ', "_"),
            None => t.to_string(),
        }
    }
}

impl RuleSet {
    /// The dimension of `subject` that `typed` names, by id or by label
    /// in either language (`value`, `客户价值`, `价值`'s full label only).
    pub fn find_dimension(&self, subject: Subject, typed: &str) -> Option<&Dimension> {
        let dims = self.dimensions(subject);
        dims.iter()
            .find(|d| d.name.eq_ignore_ascii_case(typed.trim()))
            .or_else(|| dims.iter().find(|d| d.is_named(typed)))
            .or_else(|| {
                // A short Chinese form: 价值 for 客户价值, 阶段 for 商机阶段.
                let t = typed.trim();
                let mut found = dims
                    .iter()
                    .filter(|d| !t.is_ascii() && d.labels[1].ends_with(t));
                let first = found.next()?;
                found.next().is_none().then_some(first)
            })
    }

    /// A tag as a person reads it in `lang`: (dimension label, value label).
    /// A dimension the rules no longer have shows its ids.
    pub fn tag_label(
        &self,
        subject: Subject,
        dimension: &str,
        value: &str,
        lang: Lang,
    ) -> (String, String) {
        match self
            .dimensions(subject)
            .iter()
            .find(|d| d.name == dimension)
        {
            Some(d) => (
                d.label(lang).to_string(),
                d.value_label(value, lang).into_owned(),
            ),
            None => (dimension.to_string(), value.to_string()),
        }
    }

    /// Reads a tag filter typed as `DIM=VALUE` or `DIM:VALUE`, in ids or
    /// labels of either language (`value=high`, `价值:高`, `生命周期:流失`),
    /// into the (dimension, value) ids stored. `None` when the dimension
    /// is not one of `subject`'s.
    pub fn parse_tag_filter(&self, subject: Subject, typed: &str) -> Option<(String, String)> {
        let (dim, value) = typed
            .split_once(['=', ':', '：'])
            .map(|(d, v)| (d.trim(), v.trim()))
            .filter(|(d, v)| !d.is_empty() && !v.is_empty())?;
        let d = self.find_dimension(subject, dim)?;
        Some((d.name.clone(), d.value_id(value)))
    }
}

impl RuleSet {
    /// A search query with its tag filters typed in labels rewritten to
    /// ids, so the index (which stores ids) finds them: `价值:高 张` →
    /// `value:high 张`, `tag:流失` → `tag:churned`. Other words and filters
    /// are left as typed.
    pub fn query_in_ids(&self, query: &str) -> String {
        query
            .split(' ')
            .map(|word| self.filter_in_ids(word).unwrap_or_else(|| word.to_string()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn filter_in_ids(&self, word: &str) -> Option<String> {
        if word.contains('"') {
            return None;
        }
        let (dim, value) = word.split_once([':', '：'])?;
        if value.is_empty() {
            return None;
        }
        if dim.eq_ignore_ascii_case("tag") {
            let id = Subject::ALL
                .iter()
                .flat_map(|s| self.dimensions(*s))
                .map(|d| d.value_id(value))
                .find(|id| id != value.trim())?;
            return Some(format!("tag:{id}"));
        }
        Subject::ALL.iter().find_map(|s| {
            let d = self.find_dimension(*s, dim)?;
            Some(format!("{}:{}", d.name, d.value_id(value)))
        })
    }
}
