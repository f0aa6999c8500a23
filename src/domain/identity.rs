//! Keys that say two customer files are probably the same person or firm:
//! normalised email, phone digits, a pinyin name key and a company key.
//! Shared by import matching and duplicate detection.

use pinyin::ToPinyin;

/// An email as compared: trimmed and lower-cased; `None` when blank.
pub fn email_key(email: &str) -> Option<String> {
    let e = email.trim().to_lowercase();
    (!e.is_empty()).then_some(e)
}

/// A phone as compared: its digits, without a leading `00` or a Chinese
/// `86` country code on an 11-digit mobile; `None` for fewer than 5 digits
/// (extensions and short codes are not identities).
pub fn phone_key(phone: &str) -> Option<String> {
    let mut d = super::text::phone_digits(phone);
    if let Some(rest) = d.strip_prefix("00") {
        d = rest.to_string();
    }
    if d.len() == 13 && d.starts_with("86") {
        d.drain(..2);
    }
    (d.len() >= 5).then_some(d)
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
    fn pinyin_equal_names_share_a_key() {
        assert_eq!(name_key("张伟"), name_key("章 伟"));
        assert_eq!(name_key("张伟"), name_key("Zhang Wei"));
        assert_ne!(name_key("张伟"), name_key("张强"));
        assert_eq!(name_key("  "), None);
    }

    #[test]
    fn phones_compare_by_digits() {
        assert_eq!(phone_key("+86 138-0013-8000"), phone_key("13800138000"));
        assert_eq!(phone_key("0086 13800138000"), Some("13800138000".into()));
        assert_eq!(phone_key("123"), None);
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
