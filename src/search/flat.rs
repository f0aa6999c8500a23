//! A flat array of plain values whose first part may live in a memory-mapped
//! index file ([`super::disk`]) and whose rest is on the heap.
//!
//! Opening a saved index maps its arrays without reading them; records
//! written afterwards are appended to the heap part. A record's data is
//! always appended in one go, so every range the index asks for lies in one
//! part. Writing to an element of the mapped part (a record marked removed)
//! copies only that page (a private, copy-on-write mapping): the file is
//! never changed.

use memmap2::MmapMut;
use std::ops::{Index, IndexMut, Range, RangeFrom};

/// Values that may be read straight from the bytes of an index file: plain
/// data of fixed layout, whose every field was written by this build.
///
/// # Safety
/// Implementors must be `#[repr(C)]` (or primitive) without pointers, and
/// every bit pattern the index file can hold for them must be valid — the
/// file is written by [`super::disk::save`] of the same format version.
pub(crate) unsafe trait Plain: Copy + Send + Sync + 'static {}

unsafe impl Plain for u8 {}
unsafe impl Plain for u32 {}
unsafe impl Plain for u64 {}

/// The mapped part: a private mapping of one section of the index file.
struct Mapped {
    /// Owned only to keep the pages mapped (`Flat::ptr` points into them).
    _map: MmapMut,
    len: usize,
}

pub(crate) struct Flat<T: Plain> {
    base: Option<Mapped>,
    /// The mapped part's first element and length (kept apart from `base`
    /// so indexing, the hot path of every keystroke, is one compare).
    ptr: *mut T,
    blen: usize,
    tail: Vec<T>,
}

// SAFETY: `ptr` points into the private mapping `base` owns (mapped memory
// does not move with the struct); it is read through `&self` and written
// only through `&mut self`, like the `Vec`.
unsafe impl<T: Plain> Send for Flat<T> {}
unsafe impl<T: Plain> Sync for Flat<T> {}

impl<T: Plain> Default for Flat<T> {
    fn default() -> Self {
        Flat::from(Vec::new())
    }
}

impl<T: Plain> Clone for Flat<T> {
    /// A clone owns its data (a copy of the mapped part on the heap).
    fn clone(&self) -> Self {
        let mut tail = Vec::with_capacity(self.len());
        tail.extend_from_slice(self.base());
        tail.extend_from_slice(&self.tail);
        Flat::from(tail)
    }
}

impl<T: Plain + std::fmt::Debug> std::fmt::Debug for Flat<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Flat({} mapped + {} on the heap)",
            self.base_len(),
            self.tail.len()
        )
    }
}

impl<T: Plain> From<Vec<T>> for Flat<T> {
    fn from(tail: Vec<T>) -> Self {
        Flat {
            base: None,
            ptr: std::ptr::NonNull::dangling().as_ptr(),
            blen: 0,
            tail,
        }
    }
}

impl<T: Plain> Flat<T> {
    /// The first `len` values of `map` (a mapping of one section).
    pub(crate) fn mapped(mut map: MmapMut, len: usize) -> Option<Flat<T>> {
        let bytes = len.checked_mul(std::mem::size_of::<T>())?;
        if bytes > map.len() || !(map.as_ptr() as usize).is_multiple_of(std::mem::align_of::<T>()) {
            return None;
        }
        let ptr = map.as_mut_ptr() as *mut T;
        Some(Flat {
            base: Some(Mapped { _map: map, len }),
            ptr,
            blen: len,
            tail: Vec::new(),
        })
    }

    #[inline]
    fn base_len(&self) -> usize {
        self.blen
    }

    /// The mapped part.
    #[inline]
    pub(crate) fn base(&self) -> &[T] {
        debug_assert_eq!(self.blen, self.base.as_ref().map_or(0, |b| b.len));
        // SAFETY: `mapped` checked bounds and alignment; `T: Plain`; with no
        // mapping `ptr` is dangling (aligned, non-null) and `blen` is 0.
        unsafe { std::slice::from_raw_parts(self.ptr, self.blen) }
    }

    fn base_mut(&mut self) -> &mut [T] {
        // SAFETY: as in `base`; the private mapping is ours alone.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.blen) }
    }

    /// The heap part.
    pub(crate) fn heap(&self) -> &[T] {
        &self.tail
    }

    pub fn len(&self) -> usize {
        self.base_len() + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn push(&mut self, v: T) {
        self.tail.push(v);
    }

    pub fn extend_from_slice(&mut self, v: &[T]) {
        self.tail.extend_from_slice(v);
    }

    pub fn reserve(&mut self, n: usize) {
        self.tail.reserve(n);
    }

    pub fn shrink_to_fit(&mut self) {
        self.tail.shrink_to_fit();
    }

    /// Heap bytes held (the mapped part is counted by the file's pages).
    pub fn heap_capacity(&self) -> usize {
        self.tail.capacity()
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.base().iter().chain(self.tail.iter())
    }

    /// Every element, mutable (copies the touched pages of the mapped part).
    pub fn for_each_mut(&mut self, mut f: impl FnMut(&mut T)) {
        self.base_mut().iter_mut().for_each(&mut f);
        self.tail.iter_mut().for_each(f);
    }

    /// Elements `r`, which must lie in one part.
    #[inline]
    pub fn range(&self, r: Range<usize>) -> &[T] {
        let b = self.base_len();
        if r.end <= b {
            &self.base()[r]
        } else {
            assert!(
                r.start >= b || r.start == r.end,
                "a range across both parts"
            );
            let start = r.start.max(b);
            &self.tail[start - b..r.end - b]
        }
    }
}

impl<T: Plain> Index<usize> for Flat<T> {
    type Output = T;
    #[inline]
    fn index(&self, i: usize) -> &T {
        let b = self.base_len();
        if i < b {
            &self.base()[i]
        } else {
            &self.tail[i - b]
        }
    }
}

impl<T: Plain> IndexMut<usize> for Flat<T> {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut T {
        let b = self.base_len();
        if i < b {
            &mut self.base_mut()[i]
        } else {
            &mut self.tail[i - b]
        }
    }
}

impl<T: Plain> Index<Range<usize>> for Flat<T> {
    type Output = [T];
    #[inline]
    fn index(&self, r: Range<usize>) -> &[T] {
        self.range(r)
    }
}

impl<T: Plain> Index<RangeFrom<usize>> for Flat<T> {
    type Output = [T];
    #[inline]
    fn index(&self, r: RangeFrom<usize>) -> &[T] {
        self.range(r.start..self.len())
    }
}

impl Flat<u8> {
    /// Text bytes `r` (one part) as the text they were written from.
    #[inline]
    pub fn str(&self, r: Range<usize>) -> &str {
        let bytes = self.range(r);
        // SAFETY: the arena only ever holds whole `str`s appended by
        // `push_str`, and spans point at their char boundaries.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    pub fn push_str(&mut self, s: &str) {
        self.tail.extend_from_slice(s.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_writes_across_the_two_parts() {
        let mut file = tempfile::tempfile().unwrap();
        use std::io::Write;
        let words: Vec<u32> = vec![1, 2, 3, 4];
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_ne_bytes()).collect();
        file.write_all(&bytes).unwrap();
        let map = unsafe { memmap2::MmapOptions::new().map_copy(&file).unwrap() };
        let mut f: Flat<u32> = Flat::mapped(map, 4).unwrap();
        f.push(5);
        f.push(6);
        assert_eq!(f.len(), 6);
        assert_eq!(&f[1..3], &[2, 3]);
        assert_eq!(&f[4..6], &[5, 6]);
        assert_eq!(&f[4..], &[5, 6]);
        f[0] = 10;
        f[5] = 60;
        assert_eq!(
            f.iter().copied().collect::<Vec<_>>(),
            vec![10, 2, 3, 4, 5, 60]
        );
        let c = f.clone();
        assert_eq!(&c[0..6], &[10, 2, 3, 4, 5, 60]);
    }
}
