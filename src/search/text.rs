//! Text primitives for matching: case folding that keeps byte offsets,
//! character bitmasks for the prefilter, subsequence and word-start tests.

/// Lowercases `s` one char at a time, keeping a char whose lowercase form
/// has another UTF-8 length as it is — so the folded text has the same byte
/// and char offsets as the original, and highlight indices carry over.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        out.push(fold_char(c));
    }
    out
}

fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
        _ => c,
    }
}

/// A 32-bit set of the characters in `s`: one bit per ASCII letter, three
/// for digit groups, three for other chars (hashed). If a needle's mask is
/// not a subset of a haystack's, the needle cannot match it (fuzzy or not).
pub fn char_mask(s: &str) -> u32 {
    let mut mask = 0u32;
    for &b in s.as_bytes() {
        if b < 0x80 {
            mask |= ascii_bit(b);
        }
    }
    if !s.is_ascii() {
        for c in s.chars().filter(|c| !c.is_ascii()) {
            mask |= 1u32 << (29 + (c as u32 % 3));
        }
    }
    mask
}

#[inline]
fn ascii_bit(b: u8) -> u32 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'A'..=b'Z' => 1 << (b - b'A'),
        b'0'..=b'3' => 1 << 26,
        b'4'..=b'6' => 1 << 27,
        b'7'..=b'9' => 1 << 28,
        _ => 0,
    }
}

/// Whether every char of `needle` occurs in `hay` in order.
#[inline]
pub fn is_subsequence(hay: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        // An ASCII byte in UTF-8 is always a whole char, so bytes suffice.
        let mut n = needle.as_bytes().iter();
        let mut want = match n.next() {
            Some(b) => *b,
            None => return true,
        };
        for &b in hay.as_bytes() {
            if b == want {
                match n.next() {
                    Some(next) => want = *next,
                    None => return true,
                }
            }
        }
        false
    } else {
        let mut n = needle.chars().peekable();
        for c in hay.chars() {
            if n.peek() == Some(&c) {
                n.next();
            }
        }
        n.peek().is_none()
    }
}

/// Whether byte offset `pos` of `hay` starts a word (start of text, or after
/// a non-alphanumeric char, or a CJK char).
#[inline]
pub fn starts_word(hay: &str, pos: usize) -> bool {
    if pos == 0 {
        return true;
    }
    match hay[..pos].chars().next_back() {
        Some(prev) => !prev.is_alphanumeric() || !prev.is_ascii() || !hay[pos..].is_ascii(),
        None => true,
    }
}

/// Words this long (ASCII letters only) are still found with one typo.
pub const TYPO_MIN_CHARS: usize = 5;

/// Whether a typed word is long enough, and plain enough, to forgive a typo
/// in: short words and digits would match almost anything one edit away.
pub fn typo_tolerant(word: &str) -> bool {
    word.len() >= TYPO_MIN_CHARS && word.bytes().all(|b| b.is_ascii_lowercase())
}

/// The byte offset of a stretch of `hay` that is `needle` with one char
/// replaced (`bicker` for `becker`) or two neighbours swapped (`bekcer`).
/// Only all-ASCII stretches are tried, so the offset is a char boundary.
pub fn typo_find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&start| {
        let w = &h[start..start + n.len()];
        if !w.is_ascii() {
            return false;
        }
        let Some(i) = (0..n.len()).find(|&i| w[i] != n[i]) else {
            return true;
        };
        let replaced = w[i + 1..] == n[i + 1..];
        let swapped =
            i + 1 < n.len() && w[i] == n[i + 1] && w[i + 1] == n[i] && w[i + 2..] == n[i + 2..];
        replaced || swapped
    })
}

/// The char index of byte offset `pos` in `s`.
pub fn char_index(s: &str, pos: usize) -> usize {
    s[..pos].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_keeps_offsets() {
        assert_eq!(fold("Zhang WEI"), "zhang wei");
        assert_eq!(fold("张伟 ÄB"), "张伟 äb");
        let odd = "İx"; // lowercases to two chars: kept as is
        assert_eq!(fold(odd).len(), odd.len());
    }

    #[test]
    fn masks_are_subsets() {
        let hay = char_mask("zhangwei 138");
        assert_eq!(char_mask("zw1") & !hay, 0);
        assert_ne!(char_mask("q") & !hay, 0);
        assert_eq!(char_mask("张") & !char_mask("张伟"), 0);
    }

    #[test]
    fn subsequences() {
        assert!(is_subsequence("zhangwei", "zw"));
        assert!(!is_subsequence("zhangwei", "wz"));
        assert!(is_subsequence("上海明达科技", "上科"));
        assert!(!is_subsequence("上海", "海上"));
        assert!(is_subsequence("abc", ""));
    }

    #[test]
    fn one_typo_is_found_two_are_not() {
        let cases = [
            ("zhangwei", "zhagnwei", Some(0)),   // swapped
            ("klaus becker", "bekcer", Some(6)), // swapped
            ("klaus becker", "bicker", Some(6)), // replaced
            ("klaus becker", "bekcre", None),    // two swaps
            ("klaus becker", "bxckxr", None),    // two replaced
            ("becker", "beckerx", None),         // longer than the text
            ("上海 becker", "bekcer", Some(7)),  // offsets stay byte offsets
        ];
        for (hay, needle, want) in cases {
            assert_eq!(typo_find(hay, needle), want, "{needle} in {hay}");
        }
        assert!(typo_tolerant("becker"));
        assert!(!typo_tolerant("beck"));
        assert!(!typo_tolerant("13800"));
    }

    #[test]
    fn word_starts() {
        assert!(starts_word("david wei", 6));
        assert!(!starts_word("david wei", 7));
        assert!(starts_word("a.b", 2));
    }
}
