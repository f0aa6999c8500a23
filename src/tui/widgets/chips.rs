//! Tag chips: `value:high` in the tag's colour.

use crate::tui::theme::Theme;
use ratatui::text::Span;

/// One chip for a tag; `with_dimension` prefixes the dimension name.
pub fn chip<'a>(theme: &Theme, dimension: &str, value: &str, with_dimension: bool) -> Span<'a> {
    let text = if with_dimension {
        format!("{dimension}:{value}")
    } else {
        value.to_string()
    };
    Span::styled(
        crate::domain::text::sanitize_for_terminal(&text),
        theme.chip(dimension, value),
    )
}

/// Chips for several tags, separated by spaces.
pub fn chips<'a>(theme: &Theme, tags: &[(String, String)]) -> Vec<Span<'a>> {
    let mut out = Vec::new();
    for (i, (d, v)) in tags.iter().enumerate() {
        if i > 0 {
            out.push(Span::raw(" "));
        }
        out.push(chip(theme, d, v, true));
    }
    out
}
