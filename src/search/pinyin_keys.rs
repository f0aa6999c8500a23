//! Pinyin keys for Chinese text: full pinyin (`zhangwei`) and initials
//! (`zw`), one pair per reading for polyphonic chars (单 shan/dan, 曾
//! zeng/ceng), so a surname read either way is found. Words whose chars read
//! otherwise than alone (重庆 chongqing, 银行 yinhang) take their reading
//! from the phrase list in `assets/pinyin_phrases.txt`.

use pinyin::{ToPinyin, ToPinyinMulti};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Longest word in the phrase list, in chars.
const MAX_PHRASE_CHARS: usize = 4;

/// Word → one reading per char, from the shipped phrase list.
fn phrases() -> &'static HashMap<&'static str, Vec<&'static str>> {
    static PHRASES: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    PHRASES.get_or_init(|| parse_phrases(include_str!("../../assets/pinyin_phrases.txt")))
}

/// Reads `word syllable syllable…` lines; a line whose syllable count does
/// not match its word, or that is not plain ASCII pinyin, is skipped.
fn parse_phrases(text: &str) -> HashMap<&str, Vec<&str>> {
    let mut out = HashMap::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        let syllables: Vec<&str> = parts.collect();
        let n = word.chars().count();
        let ok = n == syllables.len()
            && n <= MAX_PHRASE_CHARS
            && syllables
                .iter()
                .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase()));
        if ok {
            out.insert(word, syllables);
        }
    }
    out
}

/// The phrase reading of each char of `chars` (by char index), longest
/// listed word first, left to right.
fn phrase_readings(chars: &[char]) -> Vec<Option<&'static str>> {
    let table = phrases();
    let mut out = vec![None; chars.len()];
    let mut i = 0;
    let mut word = String::new();
    while i < chars.len() {
        let mut step = 1;
        for len in (2..=MAX_PHRASE_CHARS.min(chars.len() - i)).rev() {
            word.clear();
            word.extend(&chars[i..i + len]);
            if let Some(syllables) = table.get(word.as_str()) {
                for (k, s) in syllables.iter().enumerate() {
                    out[i + k] = Some(*s);
                }
                step = len;
                break;
            }
        }
        i += step;
    }
    out
}

/// At most this many reading combinations per text.
const MAX_VARIANTS: usize = 4;

/// Which chars of a text get their other readings too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readings {
    /// Default readings only (company names: one key each keeps the index small).
    Default,
    /// Other readings of the first char too (a surname: 单 shan/dan, 曾 zeng/ceng).
    Surname,
    /// Other readings of every char, up to a few combinations.
    All,
}

/// One reading of a text: the full pinyin and the initials, each with the
/// source char index every key char came from (for highlighting).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PinyinKey {
    pub full: String,
    pub full_map: Vec<u32>,
    pub initials: String,
    pub initials_map: Vec<u32>,
}

/// Whether `s` has any char with a pinyin reading.
pub fn has_han(s: &str) -> bool {
    s.chars().any(|c| !c.is_ascii() && c.to_pinyin().is_some())
}

/// The readings of `s` (deduplicated, default reading first); empty when
/// `s` has no Chinese chars.
pub fn pinyin_keys(s: &str, which: Readings) -> Vec<PinyinKey> {
    if !has_han(s) {
        return Vec::new();
    }
    let chars: Vec<char> = s.chars().collect();
    let phrase = phrase_readings(&chars);
    let mut variants = vec![PinyinKey::default()];
    let mut in_word = false;
    for (ci, &c) in chars.iter().enumerate() {
        let in_phrase = phrase[ci];
        let ci = ci as u32;
        if c.is_ascii_alphanumeric() {
            let l = c.to_ascii_lowercase();
            for v in &mut variants {
                v.full.push(l);
                v.full_map.push(ci);
                if !in_word {
                    v.initials.push(l);
                    v.initials_map.push(ci);
                }
            }
            in_word = true;
            continue;
        }
        in_word = false;
        let mut readings = readings(c);
        if readings.is_empty() {
            continue;
        }
        // A word's reading comes first; the char's others stay alternatives.
        if let Some(p) = in_phrase {
            readings.retain(|r| *r != p);
            readings.insert(0, p);
        }
        let first_han = variants[0].full.is_empty();
        if which == Readings::Default || (which == Readings::Surname && !first_han) {
            readings.truncate(1);
        }
        let base = variants.len();
        // Alternatives branch off the existing variants while there is room.
        for alt in readings.iter().skip(1) {
            for i in 0..base {
                if variants.len() >= MAX_VARIANTS {
                    break;
                }
                let mut v = variants[i].clone();
                push_reading(&mut v, alt, ci);
                variants.push(v);
            }
        }
        for v in variants.iter_mut().take(base) {
            push_reading(v, readings[0], ci);
        }
    }
    let mut seen = std::collections::HashSet::new();
    variants.retain(|v| seen.insert(v.full.clone()));
    variants
}

fn push_reading(v: &mut PinyinKey, reading: &str, ci: u32) {
    for (i, b) in reading.bytes().enumerate() {
        v.full.push(b as char);
        v.full_map.push(ci);
        if i == 0 {
            v.initials.push(b as char);
            v.initials_map.push(ci);
        }
    }
}

/// The plain (toneless) readings of a char, default first, deduplicated.
fn readings(c: char) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    if let Some(p) = c.to_pinyin() {
        out.push(p.plain());
    }
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let plain = p.plain();
            // ü is written v when typed; plain() already gives ascii 'v'/'u'.
            if plain.is_ascii() && !out.contains(&plain) {
                out.push(plain);
            }
        }
    }
    out.retain(|r| r.is_ascii() && !r.is_empty());
    out
}

/// How a text sorts in a list: Chinese by its pinyin (read by words, so
/// 重庆 sorts as chongqing), among Latin text by letters, case ignored;
/// ties by the text itself. 陈 (chen) comes before 张 (zhang), not after it
/// as by code point.
pub fn sort_key(s: &str) -> String {
    let lower = s.to_lowercase();
    if !has_han(s) {
        return lower;
    }
    let mut key = pinyin_keys(s, Readings::Default)
        .into_iter()
        .next()
        .map(|k| k.full)
        .unwrap_or_default();
    // Below every letter and digit: 张 (zhang) sorts before 张伟 (zhangwei).
    key.push('\u{1}');
    key.push_str(&lower);
    key
}

/// Sorts `(id, text)` pairs by [`sort_key`] (then id), empty texts last
/// when `empty_last`; returns the ids.
pub fn sort_ids_by_text(mut rows: Vec<(i64, String)>, empty_last: bool) -> Vec<i64> {
    use rayon::prelude::*;
    let mut keyed: Vec<(bool, String, i64)> = rows
        .par_drain(..)
        .map(|(id, text)| (empty_last && text.trim().is_empty(), sort_key(&text), id))
        .collect();
    keyed.par_sort_unstable();
    keyed.into_iter().map(|(_, _, id)| id).collect()
}

/// Maps char indices in a pinyin key back to char indices in its source
/// text (deduplicated, in order).
pub fn map_to_source(key_indices: &[usize], map: &[u32]) -> Vec<usize> {
    let mut out: Vec<usize> = key_indices
        .iter()
        .filter_map(|&i| map.get(i).map(|&s| s as usize))
        .collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fulls(s: &str) -> Vec<String> {
        pinyin_keys(s, Readings::All)
            .into_iter()
            .map(|k| k.full)
            .collect()
    }

    #[test]
    fn name_full_and_initials() {
        let k = &pinyin_keys("张伟", Readings::Surname)[0];
        assert_eq!(k.full, "zhangwei");
        assert_eq!(k.initials, "zw");
        assert_eq!(map_to_source(&[0, 1, 5], &k.full_map), vec![0, 1]);
    }

    #[test]
    fn polyphonic_surnames_have_both_readings() {
        let shan = fulls("单雄");
        assert!(shan.iter().any(|f| f.starts_with("shan")), "{shan:?}");
        assert!(shan.iter().any(|f| f.starts_with("dan")), "{shan:?}");
        let zeng = fulls("曾国藩");
        assert!(zeng.iter().any(|f| f.starts_with("zeng")), "{zeng:?}");
    }

    #[test]
    fn surname_readings_only_for_the_first_char() {
        let keys = pinyin_keys("单单", Readings::Surname);
        assert_eq!(keys.len(), 3, "dan, chan, shan: {keys:?}");
        assert_eq!(pinyin_keys("单单", Readings::Default).len(), 1);
    }

    #[test]
    fn mixed_text_keeps_ascii_words() {
        let k = &pinyin_keys("上海Acme科技", Readings::Default)[0];
        assert_eq!(k.full, "shanghaiacmekeji");
        assert_eq!(k.initials, "shakj");
    }

    /// Words whose chars read otherwise alone, full pinyin and initials.
    #[test]
    fn words_read_by_the_phrase_list() {
        let cases = [
            ("重庆", "chongqing", "cq"),
            ("长沙", "changsha", "cs"),
            ("厦门", "xiamen", "xm"),
            ("银行", "yinhang", "yh"),
            ("成都", "chengdu", "cd"),
            (
                "重庆长城科技有限公司",
                "chongqingchangchengkejiyouxiangongsi",
                "cqcckjyxgs",
            ),
            (
                "厦门华信贸易有限公司",
                "xiamenhuaxinmaoyiyouxiangongsi",
                "xmhxmyyxgs",
            ),
            (
                "招商银行长沙分行",
                "zhaoshangyinhangchangshafenhang",
                "zsyhcsfh",
            ),
            ("董事长", "dongshizhang", "dsz"),
        ];
        for (text, full, initials) in cases {
            let k = &pinyin_keys(text, Readings::Default)[0];
            assert_eq!(
                (k.full.as_str(), k.initials.as_str()),
                (full, initials),
                "{text}"
            );
            assert_eq!(
                k.full_map.len(),
                k.full.len(),
                "{text}: one source per key char"
            );
        }
    }

    #[test]
    fn a_surname_keeps_its_readings_inside_a_word() {
        // 单 starts the name: shan and dan both stay findable.
        let keys = fulls("单位");
        assert_eq!(keys[0], "danwei");
        assert!(keys.iter().any(|f| f == "shanwei"), "{keys:?}");
        assert!(keys.len() <= MAX_VARIANTS);
    }

    #[test]
    fn phrase_lines_that_do_not_fit_their_word_are_skipped() {
        let t = parse_phrases("# comment\n重庆 chong qing\n长沙 chang\n厦门 Xia men\n\n");
        assert_eq!(t.len(), 1);
        assert_eq!(t["重庆"], vec!["chong", "qing"]);
    }

    #[test]
    fn chinese_sorts_by_pinyin_among_latin_names() {
        let names = [
            "张伟",
            "Bob Stone",
            "陈静",
            "重庆长城",
            "zhang",
            "阿里",
            "",
            "张",
        ];
        let rows = names
            .iter()
            .enumerate()
            .map(|(i, n)| (i as i64, n.to_string()))
            .collect();
        let sorted: Vec<&str> = sort_ids_by_text(rows, true)
            .into_iter()
            .map(|i| names[i as usize])
            .collect();
        assert_eq!(
            sorted,
            [
                "阿里",
                "Bob Stone",
                "陈静",
                "重庆长城",
                "zhang",
                "张",
                "张伟",
                ""
            ]
        );
    }

    #[test]
    fn no_han_no_keys() {
        assert!(pinyin_keys("David Wei", Readings::All).is_empty());
    }
}
