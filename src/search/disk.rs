//! The index saved beside the book (`book.db.search`) and opened by memory
//! mapping: its arrays are used where they lie in the file, so opening a
//! million-customer index reads a header, not the records.
//!
//! Layout: a 4 KiB header (magic, format, the change-log position the
//! index holds, counts, and where each section starts), then each array in
//! its own page-aligned section, in native byte order. A file is written
//! whole to a temporary name and renamed over the old one, so a reader sees
//! the old file or the new one, never half of one; a file that does not
//! check out (wrong magic, format, size or header checksum) is rebuilt.

use super::flat::{Flat, Plain};
use super::index::{Doc, SearchIndex, Span};
use super::postings::Postings;
use super::slots::{Interner, Slots};
use crate::domain::Kind;
use memmap2::MmapOptions;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"DOSSIDX1";
/// Bumped whenever the layout of any section changes.
const FORMAT: u64 = 2;
const PAGE: u64 = 4096;
const HEADER: usize = 4096;

/// The sections, in file order.
const SECTIONS: usize = 16;
const DOCS: usize = 0;
const SPANS: usize = 1;
const ATTRS: usize = 2;
const TEXT: usize = 3;
const DENSE: usize = 4; // 4..8, one per kind
const KEYS: usize = 8;
const OFFSETS: usize = 9;
const SLOTS: usize = 10;
const FREE: usize = 11;
const DIRTY: usize = 12;
/// Interned attribute keys and values, and the sparse slot map: small,
/// read into memory at open.
const NAMES: usize = 13;
const SPARSE: usize = 14;
/// The key ids in text order ([`Postings::order`]).
const ORDER: usize = 15;

/// The index file of a book.
pub fn index_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".search");
    PathBuf::from(name)
}

/// A layout fingerprint: the format and the sizes of the mapped records.
fn layout() -> u64 {
    FORMAT << 32
        | (std::mem::size_of::<Doc>() as u64) << 16
        | (std::mem::size_of::<Span>() as u64) << 8
        | std::mem::size_of::<Kind>() as u64
}

/// FNV-1a over the header's words.
fn checksum(words: &[u64]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words {
        for b in w.to_le_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn bytes_of<T: Plain>(v: &[T]) -> &[u8] {
    // SAFETY: `T: Plain` is plain data without padding.
    unsafe { std::slice::from_raw_parts(v.as_ptr() as *const u8, std::mem::size_of_val(v)) }
}

/// Header words after the magic: layout, seq, live, garbage, file length,
/// the change-log token at seq, then (offset, elements) per section, then
/// the checksum of all before.
const WORDS: usize = 6 + 2 * SECTIONS;

struct Out<W: Write> {
    w: W,
    at: u64,
    sections: [(u64, u64); SECTIONS],
}

impl<W: Write> Out<W> {
    fn pad(&mut self) -> io::Result<()> {
        let to = self.at.div_ceil(PAGE) * PAGE;
        let zeros = vec![0u8; (to - self.at) as usize];
        self.w.write_all(&zeros)?;
        self.at = to;
        Ok(())
    }

    fn section(&mut self, i: usize, parts: &[&[u8]], elements: usize) -> io::Result<()> {
        self.pad()?;
        self.sections[i] = (self.at, elements as u64);
        for p in parts {
            self.w.write_all(p)?;
            self.at += p.len() as u64;
        }
        Ok(())
    }

    fn flat<T: Plain>(&mut self, i: usize, f: &Flat<T>) -> io::Result<()> {
        self.section(i, &[bytes_of(f.base()), bytes_of(f.heap())], f.len())
    }
}

fn names_blob(lists: [&[String]; 2]) -> Vec<u8> {
    let mut out = Vec::new();
    for list in lists {
        out.extend_from_slice(&(list.len() as u64).to_le_bytes());
        for s in list {
            out.extend_from_slice(&(s.len() as u64).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }
    out
}

fn read_names(mut b: &[u8]) -> Option<[Vec<String>; 2]> {
    let word = |b: &mut &[u8]| -> Option<u64> {
        let (w, rest) = b.split_first_chunk::<8>()?;
        *b = rest;
        Some(u64::from_le_bytes(*w))
    };
    let mut lists = [Vec::new(), Vec::new()];
    for list in &mut lists {
        let n = word(&mut b)?;
        for _ in 0..n {
            let len = word(&mut b)? as usize;
            if len > b.len() {
                return None;
            }
            let (s, rest) = b.split_at(len);
            list.push(String::from_utf8(s.to_vec()).ok()?);
            b = rest;
        }
    }
    Some(lists)
}

/// Writes `index` (holding the change log up to `seq`) to `path`, whole or
/// not at all.
pub fn save(index: &SearchIndex, seq: i64, token: i64, path: &Path) -> io::Result<()> {
    let tmp = {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".tmp-{}", std::process::id()));
        PathBuf::from(name)
    };
    remove_orphans(path);
    let written = write_file(index, seq, token, &tmp);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Removes temporary files left by processes that died while saving.
fn remove_orphans(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!("{}.tmp-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(pid) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        let alive = pid
            .parse::<u32>()
            .map(|pid| pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists());
        if cfg!(target_os = "linux") && alive == Ok(false) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn write_file(index: &SearchIndex, seq: i64, token: i64, tmp: &Path) -> io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(tmp)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Like the book: the index holds its text.
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut out = Out {
        w: BufWriter::with_capacity(1 << 20, &mut file),
        at: 0,
        sections: [(0, 0); SECTIONS],
    };
    out.w.write_all(&[0u8; HEADER])?;
    out.at = HEADER as u64;
    out.flat(DOCS, &index.docs)?;
    out.flat(SPANS, &index.spans)?;
    out.flat(ATTRS, &index.attrs)?;
    out.flat(TEXT, &index.text)?;
    for (k, t) in index.slots.dense.iter().enumerate() {
        out.flat(DENSE + k, t)?;
    }
    let p = &index.postings;
    out.flat(KEYS, &p.keys)?;
    out.flat(OFFSETS, &p.offsets)?;
    out.flat(SLOTS, &p.slots)?;
    out.flat(ORDER, &p.order)?;
    out.section(FREE, &[bytes_of(&index.free)], index.free.len())?;
    out.section(DIRTY, &[bytes_of(&p.dirty)], p.dirty.len())?;
    let names = names_blob([&index.keys.names, &index.values.names]);
    out.section(NAMES, &[&names], names.len())?;
    let mut sparse = Vec::new();
    for (&(kind, id), &slot) in &index.slots.sparse {
        sparse.push(kind as u8);
        sparse.extend_from_slice(&id.to_le_bytes());
        sparse.extend_from_slice(&slot.to_le_bytes());
    }
    out.section(SPARSE, &[&sparse], index.slots.sparse.len())?;
    if std::env::var_os("DOSSIER_TEST_CRASH_INDEX_SAVE").is_some() {
        // Tests: a process killed in the middle of writing the index.
        out.w.flush()?;
        std::process::abort();
    }
    let total = out.at;
    let sections = out.sections;
    out.w.flush()?;
    drop(out);
    let mut words = vec![
        layout(),
        seq as u64,
        index.slots.live as u64,
        index.garbage as u64,
        total,
        token as u64,
    ];
    for (at, n) in sections {
        words.push(at);
        words.push(n);
    }
    words.push(checksum(&words));
    let mut head = Vec::with_capacity(HEADER);
    head.extend_from_slice(MAGIC);
    for w in &words {
        head.extend_from_slice(&w.to_le_bytes());
    }
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(0))?;
    file.write_all(&head)?;
    file.sync_all()
}

/// Opens the index file at `path`: the index, and the change-log position
/// it holds with that position's token. `None` if it is missing or does not
/// check out.
pub fn open(path: &Path) -> Option<(SearchIndex, i64, i64)> {
    let mut file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let mut head = vec![0u8; 8 + (WORDS + 1) * 8];
    file.read_exact(&mut head).ok()?;
    if &head[..8] != MAGIC {
        return None;
    }
    let words: Vec<u64> = head[8..]
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect();
    if checksum(&words[..WORDS]) != words[WORDS] || words[0] != layout() || words[4] != len {
        return None;
    }
    let (seq, live, garbage) = (words[1] as i64, words[2] as usize, words[3] as usize);
    let token = words[5] as i64;
    let section = |i: usize| (words[6 + 2 * i], words[7 + 2 * i] as usize);
    let map = |i: usize, size: usize| -> Option<Option<memmap2::MmapMut>> {
        let (at, n) = section(i);
        let bytes = n.checked_mul(size)? as u64;
        if at.checked_add(bytes)? > len || !at.is_multiple_of(PAGE) {
            return None;
        }
        if bytes == 0 {
            return Some(None);
        }
        // SAFETY: a private (copy-on-write) mapping: writes stay in this
        // process. The file is only ever replaced by rename, never changed
        // in place, so the mapped pages do not change under us.
        unsafe {
            MmapOptions::new()
                .offset(at)
                .len(bytes as usize)
                .map_copy(&file)
                .ok()
                .map(Some)
        }
    };
    fn flat<T: Plain>(m: Option<memmap2::MmapMut>, n: usize) -> Option<Flat<T>> {
        match m {
            None => Some(Flat::default()),
            Some(m) => Flat::mapped(m, n),
        }
    }
    let read = |i: usize, size: usize| -> Option<Vec<u8>> {
        let (at, n) = section(i);
        let bytes = n.checked_mul(size)?;
        if at.checked_add(bytes as u64)? > len {
            return None;
        }
        let mut buf = vec![0u8; bytes];
        use std::os::unix::fs::FileExt;
        file.read_exact_at(&mut buf, at).ok()?;
        Some(buf)
    };
    let u32s = |b: Vec<u8>| -> Vec<u32> {
        b.chunks_exact(4)
            .map(|c| u32::from_ne_bytes(c.try_into().expect("4 bytes")))
            .collect()
    };
    let docs: Flat<Doc> = flat(map(DOCS, size_of::<Doc>())?, section(DOCS).1)?;
    let spans: Flat<Span> = flat(map(SPANS, size_of::<Span>())?, section(SPANS).1)?;
    let attrs: Flat<u32> = flat(map(ATTRS, 4)?, section(ATTRS).1)?;
    let text: Flat<u8> = flat(map(TEXT, 1)?, section(TEXT).1)?;
    let mut dense: [Flat<u32>; 4] = Default::default();
    for (k, t) in dense.iter_mut().enumerate() {
        *t = flat(map(DENSE + k, 4)?, section(DENSE + k).1)?;
    }
    let keys: Flat<Span> = flat(map(KEYS, size_of::<Span>())?, section(KEYS).1)?;
    let offsets: Flat<u32> = flat(map(OFFSETS, 4)?, section(OFFSETS).1)?;
    let slots: Flat<u32> = flat(map(SLOTS, 4)?, section(SLOTS).1)?;
    let order: Flat<u64> = flat(map(ORDER, 8)?, section(ORDER).1)?;
    let free = u32s(read(FREE, 4)?);
    let dirty = u32s(read(DIRTY, 4)?);
    let [key_names, value_names] = read_names(&read(NAMES, 1)?)?;
    let mut sparse = HashMap::new();
    for rec in read(SPARSE, 13)?.chunks_exact(13) {
        let kind = match rec[0] {
            0 => Kind::Customer,
            1 => Kind::Opportunity,
            2 => Kind::Product,
            3 => Kind::Activity,
            _ => return None,
        };
        let id = i64::from_le_bytes(rec[1..9].try_into().ok()?);
        let slot = u32::from_le_bytes(rec[9..13].try_into().ok()?);
        sparse.insert((kind, id), slot);
    }
    if offsets.len() != keys.len() + usize::from(!keys.is_empty() || !offsets.is_empty())
        || order.len() != keys.len()
    {
        return None;
    }
    let postings = Postings::from_parts(keys, offsets, slots, order, docs.len(), dirty);
    let index = SearchIndex::from_parts(
        docs,
        spans,
        attrs,
        text,
        Interner::from_names(key_names),
        Interner::from_names(value_names),
        Slots {
            dense,
            sparse,
            live,
        },
        free,
        garbage,
        postings,
    );
    Some((index, seq, token))
}

use std::mem::size_of;
