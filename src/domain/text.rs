//! Small text helpers shared by records, the CLI and the terminal UI.

/// `CustomerKind` → `customer kind`, for error messages.
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

/// Keeps only the digits of a phone number (for matching and dedupe).
pub fn phone_digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Splits a comma/semicolon separated list typed by a person into trimmed,
/// non-empty items (ASCII and full-width separators).
pub fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';', '，', '；', '、'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
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
    fn names_types() {
        assert_eq!(human_type_name("CustomerKind"), "customer kind");
    }
}
