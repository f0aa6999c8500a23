//! Small text helpers shared by records, the CLI and the terminal UI.

/// `CustomerKind` → `customer kind`, for error messages.
/// The name of one of the domain's choice types (`Stage`, `CustomerKind`)
/// in the language in force: "stage", "customer kind", 阶段, 客户类型.
pub fn type_name(ident: &str) -> String {
    let key = match ident {
        "ActivityKind" => "type-activity-kind",
        "CampaignChannel" => "type-campaign-channel",
        "Channel" => "type-channel",
        "CustomerKind" => "type-customer-kind",
        "Goal" => "type-goal",
        "Region" => "type-region",
        "Sentiment" => "type-sentiment",
        "Stage" => "type-stage",
        _ => return human_type_name(ident),
    };
    crate::i18n::message(crate::i18n::current(), key, &[])
}

pub fn human_type_name(ident: &str) -> String {
    let mut out = String::new();
    for (i, ch) in ident.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(ch.to_lowercase());
    }
    out
}

/// Removes control characters (and so every terminal escape sequence's
/// introducer) from text that came from a record, before it is printed to a
/// terminal. Tabs and newlines become spaces so a field stays on its line.
pub fn sanitize_for_terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            // Bidirectional overrides can make text read differently than stored.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Like [`sanitize_for_terminal`] but keeps newlines (for multi-line notes).
pub fn sanitize_multiline(s: &str) -> String {
    s.split('\n')
        .map(sanitize_for_terminal)
        .collect::<Vec<_>>()
        .join("\n")
}

/// How many characters of a value a message quotes.
pub const MESSAGE_VALUE_CHARS: usize = 80;

/// A value quoted in a message: cut to [`MESSAGE_VALUE_CHARS`] characters
/// with "…" (a 120 KB paste must not be echoed whole) and stripped of
/// control characters.
pub fn cut_for_message(s: &str) -> String {
    let clean = sanitize_for_terminal(s);
    match clean.char_indices().nth(MESSAGE_VALUE_CHARS) {
        Some((at, _)) => format!("{}…", &clean[..at]),
        None => clean,
    }
}

/// Removes invisible format characters (direction marks, zero-width
/// spaces and joiners, the BOM, soft hyphens — Unicode category Cf) that
/// address books and copy-paste leave inside phones and emails; they make
/// a valid value fail validation and look the same as a good one.
pub fn strip_invisible(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_invisible) {
        std::borrow::Cow::Owned(s.chars().filter(|&c| !is_invisible(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The format characters of Unicode category Cf that show as nothing.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Chinese two-character surnames (复姓): 欧阳娜娜 is 欧阳 + 娜娜, not 欧 + 阳娜娜.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "闾丘", "独孤", "南宫", "西门", "澹台", "公冶", "太史", "端木",
    "申屠", "赫连", "万俟", "呼延", "百里", "东郭", "拓跋", "司空", "第五", "濮阳", "淳于", "单于",
    "范姜", "左丘", "谷梁", "羊舌", "微生", "梁丘", "公良", "乐正", "漆雕", "壤驷", "公西", "巫马",
];

/// A full name split into (family, given) the way address books keep it:
/// Chinese names family first (with the compound-surname list), other names
/// family last (`Ann Marie Lee` → `Lee` / `Ann Marie`). A single word is
/// the given name.
pub fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    let cjk = name
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}'));
    if cjk && !name.contains(' ') {
        let chars: Vec<char> = name.chars().collect();
        if chars.len() == 1 {
            return (name.to_string(), String::new());
        }
        let two: String = chars.iter().take(2).collect();
        let n = if chars.len() > 2 && COMPOUND_SURNAMES.contains(&two.as_str()) {
            2
        } else {
            1
        };
        return (chars[..n].iter().collect(), chars[n..].iter().collect());
    }
    match name.rsplit_once(' ') {
        Some((given, family)) => (family.trim().to_string(), given.trim().to_string()),
        None => (String::new(), name.to_string()),
    }
}

/// Keeps only the digits of a phone number (for matching and dedupe).
pub fn phone_digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Splits a comma/semicolon separated list typed by a person into trimmed,
/// non-empty items (ASCII and full-width separators).
pub fn split_list(s: &str) -> Vec<String> {
    list_items(s).map(str::to_string).collect()
}

/// The items of a typed list, trimmed, empty ones left out, borrowed:
/// what [`split_list`] returns.
pub fn list_items(s: &str) -> impl Iterator<Item = &str> {
    s.split([',', ';', '，', '；', '、'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences() {
        assert_eq!(sanitize_for_terminal("A\x1b[31mB\x07"), "A[31mB");
        assert_eq!(sanitize_for_terminal("张\t伟\n"), "张 伟 ");
        assert_eq!(sanitize_for_terminal("a\u{202E}b"), "ab");
    }

    #[test]
    fn splits_lists_with_cjk_separators() {
        assert_eq!(split_list("a, b；c、 ,"), vec!["a", "b", "c"]);
    }

    #[test]
    fn names_split_into_family_and_given() {
        let split = |n| {
            let (f, g) = split_name(n);
            (f, g)
        };
        assert_eq!(split("欧阳娜娜"), ("欧阳".into(), "娜娜".into()));
        assert_eq!(split("张伟"), ("张".into(), "伟".into()));
        assert_eq!(split("司马光"), ("司马".into(), "光".into()));
        assert_eq!(split("欧阳"), ("欧".into(), "阳".into()));
        assert_eq!(split("Ann Marie Lee"), ("Lee".into(), "Ann Marie".into()));
        assert_eq!(split("Cher"), (String::new(), "Cher".into()));
    }

    #[test]
    fn names_types() {
        assert_eq!(human_type_name("CustomerKind"), "customer kind");
    }
}
