//! Turning a ranked record into a [`Hit`]: its label, the field that
//! matched best, and the chars to highlight.

use super::index::Derive;
use super::pinyin_keys::{map_to_source, pinyin_keys};
use super::scan::{Needle, Scan, Tier};
use super::text::{char_index, typo_find};
use super::{Field, Hit};

impl Scan<'_> {
    /// Builds the result for a ranked record: label, best field, highlights.
    pub(super) fn hit(&self, score: i64, slot: u32) -> Hit {
        let index = self.index;
        let doc = &index.docs[slot as usize];
        let spans = index.doc_spans(doc);
        let text_of = |f: &[Field]| {
            spans
                .iter()
                .find(|s| s.derive.is_plain() && f.contains(&s.field))
                .map(|s| index.original(s).to_string())
                .unwrap_or_default()
        };
        let label = text_of(&[Field::Name, Field::Summary]);
        let detail = text_of(&[Field::Company, Field::Customer]);
        let tier = Tier::from_score(score);
        // The field that matched the first word best is the one shown.
        let best = self.needles.first().and_then(|n| {
            spans
                .iter()
                .enumerate()
                .filter(|(_, s)| n.mask_allows(s.mask))
                .filter_map(|(i, s)| {
                    let hay = index.folded(s);
                    let (raw, _) = self.locate(hay, n, s.field)?;
                    Some((raw.0, s.weight(), raw.1, i))
                })
                .max_by_key(|&(t, w, r, i)| (t, w, r, std::cmp::Reverse(i)))
                .map(|(.., i)| i)
        });
        let Some(i) = best else {
            return Hit {
                kind: doc.kind,
                id: doc.id,
                score,
                tier,
                field: Field::Name,
                via_key: false,
                text: label.clone(),
                label,
                detail,
                indices: Vec::new(),
            };
        };
        let span = &spans[i];
        // Derived keys (pinyin, digits) follow the field they came from.
        let source = spans[..=i]
            .iter()
            .rev()
            .find(|s| s.derive.is_plain())
            .unwrap_or(span);
        let text = index.original(source).to_string();
        let folded = index.folded(span);
        let mut key_indices: Vec<usize> = self
            .needles
            .iter()
            .filter_map(|n| self.locate(folded, n, span.field).map(|(_, idx)| idx))
            .flatten()
            .collect();
        key_indices.sort_unstable();
        key_indices.dedup();
        let indices = match span.derive {
            Derive::Plain | Derive::PlainOriginal => key_indices,
            Derive::Digits => {
                let digits: Vec<usize> = text
                    .chars()
                    .enumerate()
                    .filter(|(_, c)| c.is_ascii_digit())
                    .map(|(i, _)| i)
                    .collect();
                key_indices
                    .iter()
                    .filter_map(|&k| digits.get(k).copied())
                    .collect()
            }
            _ => pinyin_keys(&text, span.field.pinyin_readings())
                .into_iter()
                .find_map(|k| {
                    if span.derive.is_full_pinyin() && k.full == folded {
                        Some(map_to_source(&key_indices, &k.full_map))
                    } else if span.derive.is_initials() && k.initials == folded {
                        Some(map_to_source(&key_indices, &k.initials_map))
                    } else {
                        None
                    }
                })
                .unwrap_or_default(),
        };
        Hit {
            kind: doc.kind,
            id: doc.id,
            score,
            tier,
            field: span.field,
            via_key: !span.derive.is_plain(),
            label,
            detail,
            text,
            indices,
        }
    }

    /// Where `needle` matches `hay`: ((tier, tier score), char indices).
    fn locate(&self, hay: &str, n: &Needle, field: Field) -> Option<((Tier, i64), Vec<usize>)> {
        let needle = n.text.as_str();
        if let Some(pos) = hay.find(needle) {
            let tier = if hay.len() == needle.len() {
                Tier::Exact
            } else if pos == 0 {
                Tier::Prefix
            } else {
                Tier::Substring
            };
            let first = char_index(hay, pos);
            let n = needle.chars().count();
            return Some(((tier, -(pos as i64)), (first..first + n).collect()));
        }
        if !field.fuzzy() {
            return None;
        }
        if n.fuzzy_score(self.matcher, hay).is_some() {
            if let Some((score, idx)) = self.matcher.indices(hay, needle) {
                return Some(((Tier::Fuzzy, score), idx));
            }
        }
        let pos = n.typo.then(|| typo_find(hay, needle)).flatten()?;
        let first = char_index(hay, pos);
        Some((
            (Tier::Typo, -(pos as i64)),
            (first..first + needle.len()).collect(),
        ))
    }
}
