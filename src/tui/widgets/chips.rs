//! Tag chips: `value:high` in the tag's colour (`客户价值:高` in Chinese).

use crate::classify::Subject;
use crate::tui::labels;
use crate::tui::theme::Theme;
use ratatui::text::Span;
use unicode_width::UnicodeWidthStr;

/// The chip's text: the tag as the language in force shows it.
pub fn chip_text(subject: Subject, dimension: &str, value: &str, with_dimension: bool) -> String {
    let (d, v) = labels::tag(subject, dimension, value);
    let text = if with_dimension {
        format!("{d}:{v}")
    } else {
        v
    };
    crate::domain::text::sanitize_for_terminal(&text)
}

/// How many columns a chip takes on screen.
pub fn chip_width(subject: Subject, dimension: &str, value: &str, with_dimension: bool) -> usize {
    chip_text(subject, dimension, value, with_dimension).width()
}

/// One chip for a tag of a `subject`; `with_dimension` prefixes the
/// dimension's name.
pub fn chip<'a>(
    theme: &Theme,
    subject: Subject,
    dimension: &str,
    value: &str,
    with_dimension: bool,
) -> Span<'a> {
    Span::styled(
        chip_text(subject, dimension, value, with_dimension),
        theme.chip(dimension, value),
    )
}

/// Chips for several tags, separated by spaces.
pub fn chips<'a>(theme: &Theme, subject: Subject, tags: &[(String, String)]) -> Vec<Span<'a>> {
    let mut out = Vec::new();
    for (i, (d, v)) in tags.iter().enumerate() {
        if i > 0 {
            out.push(Span::raw(" "));
        }
        out.push(chip(theme, subject, d, v, true));
    }
    out
}
