//! Keys that say two customer files are probably the same person or firm:
//! normalised email, phone digits, a pinyin name key and a company key.
//! Shared by import matching and duplicate detection.

use pinyin::ToPinyin;

/// An email as compared: trimmed and lower-cased; `None` when blank.
pub fn email_key(email: &str) -> Option<String> {
    let e = email.trim().to_lowercase();
    (!e.is_empty()).then_some(e)
}

/// The region whose national numbers phones without a country code are
/// read in (ISO 3166 two letters), e.g. `CN` or `GB`. Set once from the
/// settings when the classifier loads (`phone_region`, else the first
/// two-letter `home_country`); China until then.
static PHONE_REGION: std::sync::RwLock<Option<phonenumber::country::Id>> =
    std::sync::RwLock::new(None);

/// Sets the default phone region from a two-letter code; false (and no
/// change) when the code names no region.
pub fn set_phone_region(code: &str) -> bool {
    let Ok(id) = code
        .trim()
        .to_ascii_uppercase()
        .parse::<phonenumber::country::Id>()
    else {
        return false;
    };
    if let Ok(mut r) = PHONE_REGION.write() {
        *r = Some(id);
    }
    true
}

/// Like [`set_phone_region`], but only when no region was set yet: the
/// settings give the default when a book opens, and a region chosen
/// explicitly (by a test, or an earlier book of this process) stays.
pub fn set_default_phone_region(code: &str) -> bool {
    if PHONE_REGION.read().map(|r| r.is_some()).unwrap_or(true) {
        return false;
    }
    set_phone_region(code)
}

fn phone_region() -> phonenumber::country::Id {
    PHONE_REGION
        .read()
        .ok()
        .and_then(|r| *r)
        .unwrap_or(phonenumber::country::Id::CN)
}

/// A phone as compared: the number in E.164 form (country code and
/// national number, trunk prefix and formatting gone: `+44 20 7946 0958`,
/// `020 7946 0958` in region GB and `0044 (0)20 7946 0958` are one key),
/// read by the `phonenumber` crate (Google's libphonenumber metadata) in
/// the default region. An extension is not part of the key. Numbers it
/// cannot read compare by their digits, without a leading `00`. `None` for
/// fewer than 5 digits (short codes are not identities).
pub fn phone_key(phone: &str) -> Option<String> {
    let cleaned = super::text::strip_invisible(phone);
    // The parser misreads some spaced writings ("0033 1 23 …"): hand it
    // the number alone, `+` and digits, without extension or dial string.
    let number = dialled_number(&cleaned);
    let mut d = super::text::phone_digits(&number);
    if d.len() < 5 {
        return None;
    }
    if let Some(key) = plain_key(&number, &d) {
        return Some(key);
    }
    if let Ok(n) = phonenumber::parse(region_for(&number), &number) {
        let key = n.format().mode(phonenumber::Mode::E164).to_string();
        let key = key.trim_start_matches('+');
        if key.len() >= 5 {
            return Some(key.to_string());
        }
    }
    if let Some(rest) = d.strip_prefix("00") {
        d = rest.to_string();
    }
    (d.len() >= 5).then_some(d)
}

/// The number of a phone as typed: a `tel:` scheme, an extension (`x102`,
/// `ext. 102`, `;ext=102`) and what is dialled after a pause or wait
/// (`,` `;` `p` `w`) dropped, then only a leading `+` and the digits kept.
/// `+44 (0)20 …` loses its `(0)`: the trunk prefix written in parentheses
/// is not dialled from abroad.
pub fn dialled_number(phone: &str) -> String {
    let t = phone.trim();
    let t = t
        .strip_prefix("tel:")
        .or_else(|| t.strip_prefix("TEL:"))
        .unwrap_or(t);
    let t = t.replace("(0)", "");
    let end = t
        .find(|c: char| {
            matches!(
                c,
                'x' | 'X' | 'e' | 'E' | ',' | ';' | 'p' | 'P' | 'w' | 'W' | '#' | '*'
            )
        })
        .unwrap_or(t.len());
    let head = &t[..end];
    let mut out = String::with_capacity(head.len());
    if head.trim_start().starts_with('+') {
        out.push('+');
    }
    out.extend(head.chars().filter(|c| c.is_ascii_digit()));
    // `00` is the international prefix nearly everywhere (the parser reads
    // `0033 1 …` in region CN as a carrier code).
    if let Some(rest) = out.strip_prefix("00") {
        out = format!("+{rest}");
    }
    out
}

/// The region to read a number in: none for one with its country code
/// (given region CN, the parser strips CN carrier-select prefixes such
/// as `12345` from `+33 1 23 45 67 89`).
fn region_for(number: &str) -> Option<phonenumber::country::Id> {
    (!number.starts_with('+')).then(phone_region)
}

/// The E.164 key of the two shapes that need no metadata to read — a
/// million-row import reads one per row, and the full parser costs tens of
/// microseconds: `+` and digits with no zero where a trunk prefix could
/// follow the country code, and an 11-digit Chinese mobile number in
/// region CN. `number` is a [`dialled_number`]. Anything else goes to the
/// parser.
fn plain_key(number: &str, digits: &str) -> Option<String> {
    if number.starts_with('+') {
        let head = digits.as_bytes().get(1..4)?;
        if !head.contains(&b'0') && (8..=15).contains(&digits.len()) {
            return Some(digits.to_string());
        }
        return None;
    }
    let cn_mobile = digits.len() == 11
        && digits.starts_with('1')
        && phone_region() == phonenumber::country::Id::CN;
    cn_mobile.then(|| format!("86{digits}"))
}

/// A name as compared: lower-case letters and digits only, Chinese
/// characters replaced by their toneless pinyin, so 张伟, 章伟 and
/// "Zhang Wei" share a key. `None` when nothing is left.
pub fn name_key(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len() * 2);
    for ch in name.chars() {
        if let Some(p) = ch.to_pinyin() {
            out.push_str(p.plain());
        } else if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Words that say what kind of firm a company is, not which one.
const COMPANY_SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "公司",
    "corporation",
    "incorporated",
    "limited",
    "company",
    "gmbh",
    "corp",
    "inc",
    "ltd",
    "llc",
    "plc",
    "co",
];

/// A company as compared: lower-case letters and digits, legal-form
/// suffixes (有限公司, Inc, Ltd, GmbH …) removed. `None` when blank.
pub fn company_key(company: &str) -> Option<String> {
    let s: String = company
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let mut rest = s.as_str();
    'strip: loop {
        for suffix in COMPANY_SUFFIXES {
            if rest.len() > suffix.len() {
                if let Some(r) = rest.strip_suffix(suffix) {
                    rest = r;
                    continue 'strip;
                }
            }
        }
        break;
    }
    (!rest.is_empty()).then(|| rest.to_string())
}

/// Whether two company keys name the same firm: equal, or one contains the
/// other and the shorter has at least 4 bytes (two Chinese characters).
pub fn companies_similar(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.len() >= 4 && long.contains(short)
}

/// The key used to match "same name at the same company" on import: the
/// name exactly (case and spaces aside) — pinyin-equal names are only
/// suggested as duplicates, never merged silently — and the company key
/// (blank when there is none).
pub fn name_company_key(name: &str, company: &str) -> Option<String> {
    let name: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if name.is_empty() {
        return None;
    }
    // No company on either side still matches: a row with a name alone
    // must not be duplicated when the file is imported again.
    Some(format!(
        "{name}|{}",
        company_key(company).unwrap_or_default()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_agrees_with_the_parser() {
        for p in [
            "+1 415 555 0434",
            "+44 20 7946 0958",
            "+86 138 0013 8000",
            "+33123456789",
            "13800138000",
            "0033 1 23 45 67 89",
        ] {
            let number = dialled_number(p);
            let d = crate::domain::text::phone_digits(&number);
            let Some(fast) = plain_key(&number, &d) else {
                continue;
            };
            let parsed = phonenumber::parse(region_for(&number), &number).unwrap();
            let e164 = parsed.format().mode(phonenumber::Mode::E164).to_string();
            assert_eq!(format!("+{fast}"), e164, "{p}");
        }
    }

    #[test]
    fn dial_strings_keep_the_number() {
        assert_eq!(
            dialled_number("tel:+1-415-555-0434;ext=102"),
            "+14155550434"
        );
        assert_eq!(dialled_number("020 7946 0958 ext. 102"), "02079460958");
        assert_eq!(dialled_number("+44 (0)20 7946 0958 x7"), "+442079460958");
        assert_eq!(dialled_number("010-6552 9988,,123#"), "01065529988");
        assert_eq!(dialled_number("0044 20 7946 0958p1w2"), "+442079460958");
    }

    #[test]
    fn pinyin_equal_names_share_a_key() {
        assert_eq!(name_key("张伟"), name_key("章 伟"));
        assert_eq!(name_key("张伟"), name_key("Zhang Wei"));
        assert_ne!(name_key("张伟"), name_key("张强"));
        assert_eq!(name_key("  "), None);
    }

    #[test]
    fn phones_compare_by_number_whatever_the_writing() {
        // Region CN is the default (no test sets another: it is process-wide).
        let same = |a: &str, b: &str| {
            assert!(phone_key(a).is_some(), "{a}");
            assert_eq!(phone_key(a), phone_key(b), "{a} vs {b}");
        };
        same("+86 138-0013-8000", "13800138000");
        same("0086 13800138000", "+8613800138000");
        same("+86 10 6552 9988", "010-6552 9988");
        same("+44 20 7946 0958", "0044 20 7946 0958");
        same("+44 (0)20 7946 0958", "+44 20 7946 0958");
        same("tel:+44-20-7946-0958", "+44 20 7946 0958");
        same("+44 20 7946 0958 ext. 102", "+44 20 7946 0958");
        same("\u{200e}+44 20 7946 0958\u{200f}", "+44 20 7946 0958");
        assert_ne!(phone_key("+44 20 7946 0958"), phone_key("+44 20 7946 0959"));
        assert_ne!(phone_key("+1 415 555 0434"), phone_key("+86 415 555 0434"));
        assert_eq!(phone_key("123"), None);
        assert_eq!(phone_key("*123#"), None);
    }

    #[test]
    fn companies_drop_legal_forms() {
        assert_eq!(
            company_key("上海华信科技有限公司"),
            Some("上海华信科技".into())
        );
        assert_eq!(company_key("Acme, Inc."), company_key("ACME Ltd"));
        assert!(companies_similar(
            &company_key("华信科技").unwrap(),
            &company_key("上海华信科技有限公司").unwrap()
        ));
        assert!(!companies_similar("ab", "abc"));
        assert_eq!(company_key(""), None);
    }
}
