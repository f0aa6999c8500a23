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
    fn word_starts() {
        assert!(starts_word("david wei", 6));
        assert!(!starts_word("david wei", 7));
        assert!(starts_word("a.b", 2));
    }
}
