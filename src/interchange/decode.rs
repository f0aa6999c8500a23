//! Turning a file's bytes into text: UTF-8 with or without a BOM (also
//! UTF-16 with a BOM, as Excel's "Unicode text" writes), else GB18030 —
//! what Chinese spreadsheets save as "CSV" (GBK is a subset).

use std::borrow::Cow;

/// Which encoding the bytes were read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Gb18030,
}

/// Decodes a whole file. Valid UTF-8 is borrowed, not copied.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest), Encoding::Utf8);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        return (Cow::Owned(text.into_owned()), Encoding::Utf16);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), Encoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            (Cow::Owned(text.into_owned()), Encoding::Gb18030)
        }
    }
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

    #[test]
    fn reads_bom_utf8_and_gbk() {
        let (t, e) = decode("\u{feff}姓名,电话".as_bytes());
        assert_eq!((t.as_ref(), e), ("姓名,电话", Encoding::Utf8));
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,公司\n张伟,华信");
        let (t, e) = decode(&gbk);
        assert_eq!((t.as_ref(), e), ("姓名,公司\n张伟,华信", Encoding::Gb18030));
    }

    #[test]
    fn sniffs_separators() {
        assert_eq!(sniff_delimiter("a;b;\"c,d\"\n1,2,3,4"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("a,b"), b',');
        assert_eq!(sniff_delimiter("name"), b',');
    }
}
