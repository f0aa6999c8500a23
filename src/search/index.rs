//! The index itself: plain data in a few flat arrays, so a million customer
//! files cost little memory and scan fast. No SQL here — the loader feeds it
//! [`DocInput`]s.

use super::flat::{Flat, Plain};
use super::pinyin_keys::pinyin_keys;
use super::postings::Postings;
use super::slots::{Interner, Slots};
use super::text::{char_mask, fold};
use super::Field;
use crate::domain::text::phone_digits;
use crate::domain::Kind;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// Epochs are unique across every index in the process, so a narrowing
/// cache made on one index is never applied to another.
static NEXT_EPOCH: AtomicU64 = AtomicU64::new(1);

fn next_epoch() -> u64 {
    NEXT_EPOCH.fetch_add(1, Ordering::Relaxed)
}

/// Longest text kept per field (bytes); the rest of a long note is not searched.
const MAX_FIELD_BYTES: usize = 4096;
/// Most fields kept per record.
const MAX_SPANS: usize = 255;
/// Most attributes (filterable values) kept per record.
const MAX_ATTRS: usize = 255;

/// How a span's text was derived from the field the person typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Derive {
    /// The field itself, already lowercase.
    Plain,
    /// The field case-folded; the original text follows it in the arena.
    PlainOriginal,
    /// Full pinyin of the preceding plain span (default readings).
    PinyinFull,
    /// Pinyin initials of the preceding plain span (default readings).
    PinyinInitials,
    /// Full pinyin with another reading of the surname (单 dan → shan).
    PinyinFullAlt,
    /// Initials with another reading of the surname.
    PinyinInitialsAlt,
    /// Digits of the preceding plain span (phones).
    Digits,
}

impl Derive {
    pub fn is_plain(self) -> bool {
        matches!(self, Derive::Plain | Derive::PlainOriginal)
    }

    pub fn is_full_pinyin(self) -> bool {
        matches!(self, Derive::PinyinFull | Derive::PinyinFullAlt)
    }

    pub fn is_initials(self) -> bool {
        matches!(self, Derive::PinyinInitials | Derive::PinyinInitialsAlt)
    }

    /// Matches through a less common reading rank a little lower.
    pub fn weight_penalty(self) -> i64 {
        match self {
            Derive::PinyinFullAlt | Derive::PinyinInitialsAlt => 3,
            _ => 0,
        }
    }
}

/// One searchable text of a record, in the shared text arena (12 bytes).
#[derive(Debug, Clone, Copy)]
#[repr(C)]
pub(crate) struct Span {
    pub mask: u32,
    pub start: u32,
    pub len: u16,
    pub field: Field,
    pub derive: Derive,
}

impl Span {
    /// Bytes this span holds in the arena.
    pub(crate) fn arena_len(&self) -> usize {
        self.len as usize
            * if self.derive == Derive::PlainOriginal {
                2
            } else {
                1
            }
    }

    /// Ranking weight of a match in this span.
    #[inline]
    pub fn weight(&self) -> i64 {
        self.field.weight() - self.derive.weight_penalty()
    }
}

/// One record: where its spans and attributes are.
#[derive(Debug, Clone, Copy)]
#[repr(C)]
pub(crate) struct Doc {
    pub id: i64,
    /// Union of the span masks.
    pub mask: u32,
    pub spans: u32,
    pub attrs: u32,
    pub n_spans: u8,
    pub n_attrs: u8,
    pub kind: Kind,
    pub live: bool,
}

/// What the loader hands the index for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocInput {
    pub kind: Kind,
    pub id: i64,
    /// Searchable texts, in display order; the first `Name` is the label.
    pub fields: Vec<(Field, String)>,
    /// Filterable values: (`city`, `上海`), (`value`, `high`), (`tag`, `high`)…
    pub attrs: Vec<(String, String)>,
}

// SAFETY: `#[repr(C)]` plain data (the enums are `#[repr(u8)]`), read back
// only from files [`super::disk::save`] wrote in the same format version.
unsafe impl Plain for Doc {}
unsafe impl Plain for Span {}

/// Attribute codes pack the key id in the top 8 bits, the value in the rest.
pub(crate) const VALUE_BITS: u32 = 24;

/// The in-memory search index over every live record.
#[derive(Debug, Default, Clone)]
pub struct SearchIndex {
    pub(crate) docs: Flat<Doc>,
    pub(crate) spans: Flat<Span>,
    pub(crate) attrs: Flat<u32>,
    pub(crate) text: Flat<u8>,
    pub(crate) keys: Interner,
    pub(crate) values: Interner,
    pub(crate) slots: Slots,
    pub(crate) free: Vec<u32>,
    /// While bulk building: arena text already written, so repeated texts
    /// (names, companies, summaries, cities) are stored once.
    dedupe: Option<HashMap<u64, (u32, u32)>>,
    /// Arena bytes and spans no live record points at any more.
    pub(crate) garbage: usize,
    /// Bumped by every change, so cached narrowing results can be dropped.
    epoch: u64,
    /// Distinct texts and the records holding them (see [`Postings`]).
    pub(crate) postings: Postings,
    /// See [`SearchIndex::log_seq`].
    pub(crate) log_seq: i64,
}

impl SearchIndex {
    pub fn new() -> Self {
        SearchIndex {
            epoch: next_epoch(),
            ..Self::default()
        }
    }

    /// An index read from its file ([`super::disk`]).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts(
        docs: Flat<Doc>,
        spans: Flat<Span>,
        attrs: Flat<u32>,
        text: Flat<u8>,
        keys: Interner,
        values: Interner,
        slots: Slots,
        free: Vec<u32>,
        garbage: usize,
        postings: Postings,
    ) -> SearchIndex {
        SearchIndex {
            docs,
            spans,
            attrs,
            text,
            keys,
            values,
            slots,
            free,
            dedupe: None,
            garbage,
            epoch: next_epoch(),
            postings,
            log_seq: 0,
        }
    }

    /// The position in the book's change log this index holds (0: unknown,
    /// an index built from a book in memory).
    pub fn log_seq(&self) -> i64 {
        self.log_seq
    }

    /// Number of live records.
    pub fn len(&self) -> usize {
        self.slots.live
    }

    pub fn is_empty(&self) -> bool {
        self.slots.live == 0
    }

    /// Changes every time the index changes.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Whether a record is in the index.
    pub fn contains(&self, kind: Kind, id: i64) -> bool {
        self.slots.get(kind, id).is_some()
    }

    /// Attribute keys present in the index (tag dimensions and fields).
    pub fn attribute_keys(&self) -> impl Iterator<Item = &str> {
        self.keys.names.iter().map(String::as_str)
    }

    /// Adds a record, or replaces it if it is already there.
    pub fn upsert(&mut self, input: DocInput) {
        let doc = self.append(&input);
        let slot = match self.slots.get(input.kind, input.id) {
            Some(slot) => {
                self.forget(slot);
                self.docs[slot as usize] = doc;
                slot
            }
            None => {
                let slot = match self.free.pop() {
                    Some(s) => {
                        self.docs[s as usize] = doc;
                        s
                    }
                    None => {
                        self.docs.push(doc);
                        (self.docs.len() - 1) as u32
                    }
                };
                self.slots.insert(input.kind, input.id, slot);
                slot
            }
        };
        self.changed(slot);
    }

    /// Takes a record out (deleted or purged). Returns whether it was there.
    pub fn remove(&mut self, kind: Kind, id: i64) -> bool {
        let Some(slot) = self.slots.remove(kind, id) else {
            return false;
        };
        self.forget(slot);
        self.docs[slot as usize].live = false;
        self.docs[slot as usize].n_spans = 0;
        self.docs[slot as usize].n_attrs = 0;
        self.free.push(slot);
        self.changed(slot);
        true
    }

    /// After a record changed: new epoch, its postings stale, and a rebuild
    /// of the postings (or of the arenas) once enough has changed.
    fn changed(&mut self, slot: u32) {
        self.epoch = next_epoch();
        self.postings.mark(slot);
        if self.maybe_compact() {
            return;
        }
        // While bulk loading, [`SearchIndex::build_postings`] runs at the end.
        let bulk = self.dedupe.is_some();
        if !bulk && self.postings.dirty.len() > 4096 + self.docs.len() / 16 {
            self.build_postings();
        }
    }

    /// Builds the distinct-text postings from scratch; every record changed
    /// since is searched one by one until this runs again.
    pub fn build_postings(&mut self) {
        self.postings = Postings::build(&self.docs, &self.spans, &self.text);
    }

    /// Counts the old data of a slot as garbage.
    fn forget(&mut self, slot: u32) {
        let d = self.docs[slot as usize];
        let text: usize = self.doc_spans(&d).iter().map(Span::arena_len).sum();
        self.garbage += text + (d.n_spans as usize + d.n_attrs as usize) * 16;
    }

    pub(crate) fn doc_spans(&self, d: &Doc) -> &[Span] {
        self.spans
            .range(d.spans as usize..d.spans as usize + d.n_spans as usize)
    }

    pub(crate) fn doc_attrs(&self, d: &Doc) -> &[u32] {
        self.attrs
            .range(d.attrs as usize..d.attrs as usize + d.n_attrs as usize)
    }

    /// The case-folded text of a span.
    #[inline]
    pub(crate) fn folded(&self, s: &Span) -> &str {
        self.text
            .str(s.start as usize..s.start as usize + s.len as usize)
    }

    /// The text of a span as typed.
    pub(crate) fn original(&self, s: &Span) -> &str {
        if s.derive == Derive::PlainOriginal {
            let at = s.start as usize + s.len as usize;
            self.text.str(at..at + s.len as usize)
        } else {
            self.folded(s)
        }
    }

    fn push_span(&mut self, field: Field, derive: Derive, text: &str) {
        let folded = fold(text);
        let derive = if derive == Derive::Plain && folded != text {
            Derive::PlainOriginal
        } else {
            derive
        };
        let original = (derive == Derive::PlainOriginal).then_some(text);
        let start = self.store_text(&folded, original, field);
        self.spans.push(Span {
            mask: char_mask(&folded),
            start,
            len: folded.len() as u16,
            field,
            derive,
        });
    }

    /// Puts text in the arena (once, while bulk building) and returns where.
    fn store_text(&mut self, folded: &str, original: Option<&str>, field: Field) -> u32 {
        // Phones and emails are unique: not worth a dedupe entry.
        let shareable = !matches!(field, Field::Phone | Field::Email);
        let key = match (&self.dedupe, shareable) {
            (Some(_), true) => {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                folded.hash(&mut h);
                original.hash(&mut h);
                Some(h.finish())
            }
            _ => None,
        };
        let len = folded.len() + original.map_or(0, str::len);
        if let (Some(key), Some(map)) = (key, &self.dedupe) {
            if let Some(&(start, n)) = map.get(&key) {
                let at = start as usize;
                let same = n as usize == len
                    && self.text.str(at..at + folded.len()) == folded
                    && original.is_none_or(|o| self.text.str(at + folded.len()..at + len) == o);
                if same {
                    return start;
                }
            }
        }
        let start = self.text.len() as u32;
        self.text.push_str(folded);
        if let Some(o) = original {
            self.text.push_str(o);
        }
        if let (Some(key), Some(map)) = (key, &mut self.dedupe) {
            map.insert(key, (start, len as u32));
        }
        start
    }

    /// Writes a record's spans and attributes at the end of the arenas.
    fn append(&mut self, input: &DocInput) -> Doc {
        let first_span = self.spans.len();
        for (field, raw) in &input.fields {
            let value = truncate(raw.trim(), MAX_FIELD_BYTES);
            if value.is_empty() || self.spans.len() - first_span >= MAX_SPANS - 2 {
                continue;
            }
            self.push_span(*field, Derive::Plain, value);
            if *field == Field::Phone {
                let digits = phone_digits(value);
                if digits != value && !digits.is_empty() {
                    self.push_span(*field, Derive::Digits, &digits);
                }
            } else if field.has_pinyin() {
                let keys = pinyin_keys(value, field.pinyin_readings());
                let mut initials: Vec<&str> = Vec::new();
                for (i, key) in keys.iter().enumerate() {
                    if self.spans.len() - first_span + 2 > MAX_SPANS {
                        break;
                    }
                    let alt = i > 0;
                    let (full, init) = if alt {
                        (Derive::PinyinFullAlt, Derive::PinyinInitialsAlt)
                    } else {
                        (Derive::PinyinFull, Derive::PinyinInitials)
                    };
                    self.push_span(*field, full, &key.full);
                    if !initials.contains(&key.initials.as_str()) {
                        self.push_span(*field, init, &key.initials);
                        initials.push(&key.initials);
                    }
                }
            }
        }
        let first_attr = self.attrs.len();
        for (k, v) in input.attrs.iter().take(MAX_ATTRS) {
            let (k, v) = (fold(k.trim()), fold(v.trim()));
            if v.is_empty() {
                continue;
            }
            let key = self.keys.intern(&k);
            let value = self.values.intern(&v);
            if key < 256 && value < (1 << VALUE_BITS) {
                self.attrs.push(key << VALUE_BITS | value);
            }
        }
        let spans = &self.spans[first_span..];
        Doc {
            id: input.id,
            mask: spans.iter().fold(0, |m, s| m | s.mask),
            spans: first_span as u32,
            attrs: first_attr as u32,
            n_spans: spans.len() as u8,
            n_attrs: (self.attrs.len() - first_attr) as u8,
            kind: input.kind,
            live: true,
        }
    }

    /// Sizes the arenas for `records` records up front (bulk build).
    pub fn reserve(&mut self, records: usize) {
        self.docs.reserve(records);
        self.dedupe.get_or_insert_with(HashMap::new);
    }

    /// Gives unused arena capacity back after a bulk build.
    pub fn shrink_to_fit(&mut self) {
        self.dedupe = None;
        self.docs.shrink_to_fit();
        self.spans.shrink_to_fit();
        self.attrs.shrink_to_fit();
        self.text.shrink_to_fit();
    }
}

/// The longest prefix of `s` of at most `max` bytes, cut at a char boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
