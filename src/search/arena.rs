//! Upkeep of the index's arenas: compaction once edits leave too much
//! garbage, and where the memory goes.

use super::flat::Flat;
use super::index::{Doc, SearchIndex, Span};
use std::collections::HashMap;

impl SearchIndex {
    /// Rewrites the arenas without garbage once it is over half of them
    /// (and the postings, whose keys point into them). Returns whether it did.
    pub(super) fn maybe_compact(&mut self) -> bool {
        if self.garbage < 1 << 20 || self.garbage * 2 < self.text.len() {
            return false;
        }
        let mut text = Flat::<u8>::default();
        text.reserve(self.text.len() - self.garbage.min(self.text.len()));
        let mut spans = Flat::<Span>::default();
        spans.reserve(self.spans.len());
        let mut attrs = Flat::<u32>::default();
        attrs.reserve(self.attrs.len());
        // Shared texts stay shared.
        let mut moved: HashMap<u32, u32> = HashMap::new();
        let (old_spans, old_attrs, old_text) = (&self.spans, &self.attrs, &self.text);
        self.docs.for_each_mut(|d| {
            let first_span = spans.len() as u32;
            for s in old_spans.range(d.spans as usize..d.spans as usize + d.n_spans as usize) {
                let start = *moved.entry(s.start).or_insert_with(|| {
                    let at = text.len() as u32;
                    text.extend_from_slice(
                        old_text.range(s.start as usize..s.start as usize + s.arena_len()),
                    );
                    at
                });
                spans.push(Span { start, ..*s });
            }
            let first_attr = attrs.len() as u32;
            attrs.extend_from_slice(
                old_attrs.range(d.attrs as usize..d.attrs as usize + d.n_attrs as usize),
            );
            d.spans = first_span;
            d.attrs = first_attr;
        });
        self.text = text;
        self.spans = spans;
        self.attrs = attrs;
        self.garbage = 0;
        self.build_postings();
        true
    }

    /// Approximate heap bytes held by the index (for the memory report).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.docs.heap_capacity() * size_of::<Doc>()
            + self.spans.heap_capacity() * size_of::<Span>()
            + self.attrs.heap_capacity() * 4
            + self.text.heap_capacity()
            + self.slots.bytes()
            + self.free.capacity() * 4
            + self.postings.bytes()
    }

    /// Where the memory goes, for the memory report.
    pub fn memory_report(&self) -> String {
        format!(
            "docs {} ({} MB), spans {} ({} MB), attrs {} ({} MB), text {} MB, slots {} MB, keys {}, values {}; {}",
            self.docs.len(),
            (self.docs.heap_capacity() * std::mem::size_of::<Doc>()) >> 20,
            self.spans.len(),
            (self.spans.heap_capacity() * std::mem::size_of::<Span>()) >> 20,
            self.attrs.len(),
            (self.attrs.heap_capacity() * 4) >> 20,
            self.text.heap_capacity() >> 20,
            self.slots.bytes() >> 20,
            self.keys.names.len(),
            self.values.names.len(),
            self.postings.report(),
        )
    }
}
