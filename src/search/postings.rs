//! The inverted side of the index: every distinct searchable text of a field
//! (a *key*: text, field, how it was derived) once, with the records that
//! hold it. A million customers have 17 million field texts but only 3.4
//! million distinct ones, and a query tests each distinct text once, then
//! reads records off the best keys until it has its top results.
//!
//! Built in one go after a bulk load; records changed since then are marked
//! stale here and searched one by one, until there are enough of them to
//! make a rebuild worth it.

use super::flat::Flat;
use super::index::{Doc, Span};
use rayon::slice::ParallelSliceMut;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// Build ids are unique across the process, so key ids remembered for
/// narrowing are never applied to another build.
static NEXT_BUILD: AtomicU64 = AtomicU64::new(1);

#[derive(Debug, Default, Clone)]
pub(crate) struct Postings {
    /// Which build this is (0: never built, no keys).
    pub build: u64,
    /// One span per distinct key; its text is in the index's arena.
    pub keys: Flat<Span>,
    /// Key `k`'s records are `slots[offsets[k]..offsets[k + 1]]`.
    pub(crate) offsets: Flat<u32>,
    pub(crate) slots: Flat<u32>,
    /// Every key, ordered by its text (bytes), so the keys starting with a
    /// word are one run of it, found by binary search
    /// ([`Postings::prefixed`]). Each entry packs what ranking a prefix
    /// match needs, so a run is scored without touching the keys
    /// ([`OrderEntry`]).
    pub(crate) order: Flat<u64>,
    /// Bit per slot: changed since the build, so its postings are stale.
    pub(crate) stale: Vec<u64>,
    /// The stale slots, each once: searched record by record.
    pub dirty: Vec<u32>,
}

/// A span's identity: the same arena text in the same field, derived the
/// same way, is the same key.
fn key_of(s: &Span) -> u64 {
    (s.start as u64) << 32 | (s.len as u64) << 16 | (s.field as u64) << 8 | s.derive as u64
}

impl Postings {
    /// The postings of every live record; `text` is the index's arena.
    pub fn build(docs: &Flat<Doc>, spans: &Flat<Span>, text: &Flat<u8>) -> Postings {
        let live = || {
            docs.iter()
                .enumerate()
                .filter(|(_, d)| d.live)
                .map(|(slot, d)| {
                    (
                        slot as u32,
                        spans.range(d.spans as usize..d.spans as usize + d.n_spans as usize),
                    )
                })
        };
        let mut ids: HashMap<u64, u32, BuildHasherDefault<KeyHasher>> = HashMap::default();
        let mut keys: Vec<Span> = Vec::new();
        let mut counts: Vec<u32> = Vec::new();
        for (_, doc_spans) in live() {
            for s in doc_spans {
                let id = *ids.entry(key_of(s)).or_insert_with(|| {
                    keys.push(*s);
                    counts.push(0);
                    (keys.len() - 1) as u32
                });
                counts[id as usize] += 1;
            }
        }
        let mut offsets = Vec::with_capacity(keys.len() + 1);
        let mut total = 0u32;
        offsets.push(0);
        for c in counts.iter_mut() {
            let n = *c;
            // From here on `counts` is each key's write cursor.
            *c = total;
            total += n;
            offsets.push(total);
        }
        let mut slots = vec![0u32; total as usize];
        for (slot, doc_spans) in live() {
            for s in doc_spans {
                let id = ids[&key_of(s)] as usize;
                slots[counts[id] as usize] = slot;
                counts[id] += 1;
            }
        }
        keys.shrink_to_fit();
        let mut order: Vec<u64> = (0..keys.len() as u32)
            .map(|k| OrderEntry::pack(k, &keys[k as usize]))
            .collect();
        let text_of = |e: u64| {
            let s = &keys[OrderEntry::key(e) as usize];
            text.range(s.start as usize..s.start as usize + s.len as usize)
        };
        order.par_sort_unstable_by(|&a, &b| text_of(a).cmp(text_of(b)).then(a.cmp(&b)));
        Postings {
            build: NEXT_BUILD.fetch_add(1, Ordering::Relaxed),
            keys: keys.into(),
            offsets: offsets.into(),
            slots: slots.into(),
            order: order.into(),
            stale: vec![0; docs.len().div_ceil(64)],
            dirty: Vec::new(),
        }
    }

    /// Postings read from an index file, with the records changed after
    /// they were built (`dirty`) marked stale.
    pub fn from_parts(
        keys: Flat<Span>,
        offsets: Flat<u32>,
        slots: Flat<u32>,
        order: Flat<u64>,
        docs: usize,
        dirty: Vec<u32>,
    ) -> Postings {
        let mut p = Postings {
            build: NEXT_BUILD.fetch_add(1, Ordering::Relaxed),
            keys,
            offsets,
            slots,
            order,
            stale: vec![0; docs.div_ceil(64)],
            dirty: Vec::with_capacity(dirty.len()),
        };
        for slot in dirty {
            p.mark(slot);
        }
        p
    }

    /// The records holding key `k` (some may be stale).
    #[inline]
    pub fn postings(&self, k: u32) -> &[u32] {
        self.slots
            .range(self.offsets[k as usize] as usize..self.offsets[k as usize + 1] as usize)
    }

    /// The keys whose text starts with `word`: a run of [`Postings::order`].
    pub fn prefixed(&self, text: &Flat<u8>, word: &[u8]) -> &[u64] {
        let text_of = |e: u64| {
            let s = &self.keys[OrderEntry::key(e) as usize];
            text.range(s.start as usize..s.start as usize + s.len as usize)
        };
        let order = self.order.range(0..self.order.len());
        let lo = order.partition_point(|&k| text_of(k) < word);
        let n = order[lo..].partition_point(|&k| text_of(k).starts_with(word));
        &order[lo..lo + n]
    }

    /// Marks a slot whose record changed (added, edited or removed).
    pub fn mark(&mut self, slot: u32) {
        let (word, bit) = (slot as usize / 64, 1u64 << (slot % 64));
        if word >= self.stale.len() {
            self.stale.resize(word + 1, 0);
        }
        if self.stale[word] & bit == 0 {
            self.stale[word] |= bit;
            self.dirty.push(slot);
        }
    }

    #[inline]
    pub fn is_stale(&self, slot: u32) -> bool {
        self.stale
            .get(slot as usize / 64)
            .is_some_and(|w| w & (1u64 << (slot % 64)) != 0)
    }

    /// Heap bytes held.
    pub fn bytes(&self) -> usize {
        self.keys.heap_capacity() * std::mem::size_of::<Span>()
            + (self.offsets.heap_capacity()
                + self.slots.heap_capacity()
                + 2 * self.order.heap_capacity()
                + self.dirty.capacity())
                * 4
            + self.stale.capacity() * 8
    }

    /// For the memory report.
    pub fn report(&self) -> String {
        format!(
            "keys {} ({} MB), postings {} MB, dirty {}",
            self.keys.len(),
            (self.keys.heap_capacity() * std::mem::size_of::<Span>()) >> 20,
            ((self.offsets.heap_capacity() + self.slots.heap_capacity()) * 4) >> 20,
            self.dirty.len()
        )
    }
}

/// An entry of [`Postings::order`]: the key id (high 32 bits), its text's
/// length in bytes (16 bits) and its ranking weight (low 16 bits, offset).
pub(crate) struct OrderEntry;

impl OrderEntry {
    const WEIGHT_OFFSET: i64 = 1 << 8;

    fn pack(key: u32, s: &Span) -> u64 {
        let weight = (s.weight() + Self::WEIGHT_OFFSET) as u64 & 0xffff;
        (key as u64) << 32 | (s.len as u64) << 16 | weight
    }

    #[inline]
    pub fn key(e: u64) -> u32 {
        (e >> 32) as u32
    }

    #[inline]
    pub fn len(e: u64) -> usize {
        (e >> 16 & 0xffff) as usize
    }

    /// The key's [`Span::weight`].
    #[inline]
    pub fn weight(e: u64) -> i64 {
        (e & 0xffff) as i64 - Self::WEIGHT_OFFSET
    }
}

/// A fast hash for the packed u64 keys (murmur3's 64-bit finaliser, which
/// mixes the high bits into the low ones); the default SipHash is several
/// times slower for 17 million lookups.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }

    fn write_u64(&mut self, i: u64) {
        let mut h = self.0 ^ i;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^= h >> 33;
        self.0 = h;
    }
}
