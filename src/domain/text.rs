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
