//! Turning a file's bytes into text. A byte-order mark decides when there
//! is one; UTF-16 without one is recognised by its zero bytes; valid UTF-8
//! is UTF-8, and so is a file that is UTF-8 except for a few bad bytes
//! (they become U+FFFD and their lines are reported — such a file is never
//! re-read whole in another encoding). Anything else is identified from
//! the whole file by `chardetng` (Firefox's detector: GBK/GB18030,
//! Shift-JIS, cp1252, …). `--encoding NAME` overrides all of it.

use encoding_rs::Encoding;
use std::borrow::Cow;

/// A decoded file.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// What the bytes were read as.
    pub encoding: &'static Encoding,
    /// Lines (1-based) holding bytes that were not valid in that encoding.
    pub bad_lines: Vec<u64>,
}

/// The encoding a `--encoding` name stands for (WHATWG labels: `gbk`,
/// `gb18030`, `shift_jis`, `windows-1252`, `latin1`, `utf-16le`, …).
pub fn encoding_named(name: &str) -> Result<&'static Encoding, String> {
    let label = match name.trim().to_ascii_lowercase().as_str() {
        "cp1252" => "windows-1252".to_string(),
        "cp936" | "gb2312" => "gbk".to_string(),
        "sjis" | "cp932" => "shift_jis".to_string(),
        "utf16" | "utf-16" => "utf-16le".to_string(),
        other => other.to_string(),
    };
    Encoding::for_label(label.as_bytes()).ok_or_else(|| {
        format!(
            "'{}' is not an encoding dossier knows — try utf-8, gbk, gb18030, big5, shift_jis, windows-1252, iso-8859-1 or utf-16le",
            crate::domain::text::sanitize_for_terminal(name)
        )
    })
}

/// Decodes a whole file, in `forced` if given. Valid UTF-8 is borrowed.
pub fn decode<'a>(bytes: &'a [u8], forced: Option<&'static Encoding>) -> Decoded<'a> {
    if let Some(enc) = forced {
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        return decoded(bytes, text, enc, had_errors);
    }
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[len..]);
        return decoded(&bytes[len..], text, enc, had_errors);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        return decoded(bytes, text, enc, had_errors);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(s),
            encoding: encoding_rs::UTF_8,
            bad_lines: Vec::new(),
        };
    }
    if mostly_utf8(bytes) {
        let (text, had_errors) = encoding_rs::UTF_8.decode_without_bom_handling(bytes);
        return decoded(bytes, text, encoding_rs::UTF_8, had_errors);
    }
    // ISO-2022-JP is 7-bit and would have passed as UTF-8 above.
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    decoded(bytes, text, enc, had_errors)
}

fn decoded<'a>(
    bytes: &[u8],
    text: Cow<'a, str>,
    encoding: &'static Encoding,
    had_errors: bool,
) -> Decoded<'a> {
    let bad_lines = match (had_errors, encoding == encoding_rs::UTF_8) {
        (false, _) => Vec::new(),
        (true, true) => utf8_bad_lines(bytes),
        // A legacy encoding has no U+FFFD of its own: each one is a byte
        // that did not decode.
        (true, false) => text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains('\u{FFFD}'))
            .map(|(i, _)| i as u64 + 1)
            .collect(),
    };
    Decoded {
        text,
        encoding,
        bad_lines,
    }
}

/// Lines (1-based) holding bytes that are not UTF-8.
fn utf8_bad_lines(bytes: &[u8]) -> Vec<u64> {
    let (mut out, mut line, mut at) = (Vec::new(), 1u64, 0usize);
    let mut counted = 0usize;
    for chunk in bytes.utf8_chunks() {
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            line += memchr::memchr_iter(b'\n', &bytes[counted..at]).count() as u64;
            counted = at;
            if out.last() != Some(&line) {
                out.push(line);
            }
        }
        at += chunk.invalid().len();
    }
    out
}

/// UTF-16 written without a byte-order mark (some Excel and Outlook
/// exports): text of mostly ASCII has a zero in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zeros_at = |odd: usize| {
        sample
            .iter()
            .skip(odd)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    // Latin text: nearly every high byte is zero; CJK text still has many
    // (line ends, separators, digits) and never zeros on both sides.
    if odd * 10 >= pairs * 3 && even * 20 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= pairs * 3 && odd * 20 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Whether bytes that are not valid UTF-8 are still UTF-8 with a few
/// damaged characters (a truncated character, one pasted cp1252 byte):
/// valid multi-byte characters outnumber the bad sequences. Text in a
/// legacy encoding is nearly all bad sequences read as UTF-8 (a valid
/// multi-byte sequence turns up there only by chance), so even a short
/// file — two names and one damaged one — is told apart.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            bad += 1;
        }
    }
    good > bad
}

/// Picks the separator of a CSV file from its header line: whichever of
/// `,` `;` and tab occurs most outside quotes (comma on a tie).
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for ch in text.chars() {
        match ch {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    [b',', b';', b'\t'][best]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> (String, &'static str, Vec<u64>) {
        let d = decode(bytes, None);
        (d.text.into_owned(), d.encoding.name(), d.bad_lines)
    }

    const TEXT: &str = "Name,Company,City\r\nZoë Brontë,Café Müller,Köln\r\n";

    #[test]
    fn byte_order_marks_decide() {
        let mut utf8 = b"\xEF\xBB\xBF".to_vec();
        utf8.extend_from_slice("姓名,电话".as_bytes());
        assert_eq!(read(&utf8), ("姓名,电话".into(), "UTF-8", vec![]));
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in TEXT.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(read(&le).0, TEXT);
        assert_eq!(read(&be), (TEXT.into(), "UTF-16BE", vec![]));
    }

    #[test]
    fn utf16_without_a_bom_is_recognised() {
        let le: Vec<u8> = TEXT.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(read(&le), (TEXT.into(), "UTF-16LE", vec![]));
        let be: Vec<u8> = TEXT.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(read(&be), (TEXT.into(), "UTF-16BE", vec![]));
        let cjk = "姓名,公司,城市\r\n张伟,华信科技,上海\r\n欧阳娜娜,恒通贸易,北京\r\n";
        let le: Vec<u8> = cjk.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(read(&le).0, cjk);
    }

    #[test]
    fn legacy_encodings_are_detected_from_the_whole_file() {
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(TEXT);
        assert_eq!(read(&cp1252), (TEXT.into(), "windows-1252", vec![]));
        let zh = "姓名,公司,城市,备注\n张伟,上海华信科技有限公司,上海,老客户，需要报价\n李娜,北京恒通贸易有限公司,北京,展会认识\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(zh);
        let (text, name, bad) = read(&gbk);
        assert_eq!((text.as_str(), bad), (zh, vec![]));
        assert!(name == "GBK" || name == "gb18030", "{name}");
        let ja = "氏名,会社,住所\n山田太郎,株式会社サンプル,東京都千代田区\n佐藤花子,テスト商事株式会社,大阪府大阪市\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(ja);
        assert_eq!(read(&sjis), (ja.into(), "Shift_JIS", vec![]));
    }

    #[test]
    fn utf8_with_one_truncated_character_stays_utf8_and_names_its_line() {
        let mut bytes = "姓名,公司\n张伟,华信科技\n".as_bytes().to_vec();
        // Line 3 ends in the first two bytes of a three-byte character.
        bytes.extend_from_slice(b"\xE6\x9D,\xE4\xB8\x8A\xE6\xB5\xB7\n");
        bytes.extend_from_slice("王芳,恒通\n".as_bytes());
        let (text, name, bad) = read(&bytes);
        assert_eq!(name, "UTF-8");
        assert_eq!(bad, vec![3]);
        assert!(
            text.starts_with("姓名,公司\n张伟,华信科技\n\u{FFFD},上海\n王芳"),
            "{text}"
        );
    }

    /// The file of the issue: three lines, one name cut short. It was read
    /// as GBK whole (张伟 became 寮犱紵).
    #[test]
    fn a_short_utf8_file_with_a_cut_name_stays_utf8() {
        let bytes = b"name,company\n\xE5\xBC\xA0\xE4\xBC\x9F,ACME\n\xE6\x9D\x8E\xE5,Foo\n";
        let (text, name, bad) = read(bytes);
        assert_eq!(name, "UTF-8");
        assert_eq!(bad, vec![3]);
        assert!(text.contains("张伟,ACME"), "{text}");
    }

    #[test]
    fn a_named_encoding_overrides_detection() {
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode("Zoë");
        let d = decode(&latin, Some(encoding_named("latin1").unwrap()));
        assert_eq!(d.text, "Zoë");
        assert!(encoding_named("klingon")
            .unwrap_err()
            .contains("not an encoding"));
        assert_eq!(encoding_named("cp936").unwrap().name(), "GBK");
    }

    #[test]
    fn sniffs_separators() {
        assert_eq!(sniff_delimiter("a;b;\"c,d\"\n1,2,3,4"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("a,b"), b',');
        assert_eq!(sniff_delimiter("name"), b',');
    }
}
