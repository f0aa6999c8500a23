//! One line of a form and the text-editing widget under it: the only code
//! that reads typed characters (`KeyCode::Char`) — everything else goes
//! through the key map.

use crate::domain::ValidationErrors;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

/// One field of a form.
#[derive(Debug, Clone)]
pub struct Field {
    /// The record field it edits; also the name validation messages use.
    pub key: &'static str,
    pub label: String,
    pub input: Input,
    /// Some for a choice: the options, and `input` holds the chosen one.
    pub choices: Option<Vec<String>>,
    /// Multi-line text: Enter starts a new line.
    pub multiline: bool,
}

impl Field {
    pub fn text(key: &'static str, label: impl Into<String>, value: String) -> Field {
        Field {
            key,
            label: label.into(),
            input: Input::new(value),
            choices: None,
            multiline: false,
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// Index of the chosen option of a choice.
    pub fn chosen(&self) -> usize {
        self.choices
            .as_ref()
            .and_then(|c| c.iter().position(|x| x == self.value()))
            .unwrap_or(0)
    }

    /// A key on a choice: ←/→/space step through the options, a letter
    /// picks the next option starting with it. True when it was a choice key.
    pub fn choose(&mut self, key: &KeyEvent) -> bool {
        let Some(options) = &self.choices else {
            return false;
        };
        let n = options.len();
        if n == 0 {
            return false;
        }
        let chosen = self.chosen();
        let next = match key.code {
            KeyCode::Left => Some((chosen + n - 1) % n),
            KeyCode::Right | KeyCode::Char(' ') => Some((chosen + 1) % n),
            KeyCode::Char(c) if key.modifiers.difference(KeyModifiers::SHIFT).is_empty() => {
                let lower = c.to_lowercase().to_string();
                (1..=n)
                    .map(|s| (chosen + s) % n)
                    .find(|&i| options[i].to_lowercase().starts_with(&lower))
            }
            _ => None,
        };
        if let Some(i) = next {
            self.input = Input::new(options[i].clone());
        }
        next.is_some()
    }

    /// Lines of a multi-line value and where the cursor is in them:
    /// (lines, cursor line, cursor column in display cells).
    pub fn cursor_lines(&self) -> (Vec<&str>, usize, usize) {
        use unicode_width::UnicodeWidthStr;
        let value = self.value();
        let lines: Vec<&str> = value.split('\n').collect();
        let before: String = value.chars().take(self.input.cursor()).collect();
        let row = before.matches('\n').count();
        let col = before.rsplit('\n').next().unwrap_or("").width();
        (lines, row, col)
    }
}

/// The text-editing request for a key (readline-style keys included).
pub fn input_request(key: &KeyEvent) -> Option<InputRequest> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    Some(match key.code {
        KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
        KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
        KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Char('u') if ctrl => InputRequest::DeleteLine,
        KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
        KeyCode::Char('b') if alt => InputRequest::GoToPrevWord,
        KeyCode::Char('f') if alt => InputRequest::GoToNextWord,
        KeyCode::Char(_) if ctrl || alt => return None,
        KeyCode::Char(c) => InputRequest::InsertChar(c),
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left if ctrl => InputRequest::GoToPrevWord,
        KeyCode::Right if ctrl => InputRequest::GoToNextWord,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return None,
    })
}

/// Whether `key` is Enter (a key the text widget reads itself: next field,
/// a new line in multi-line text, or the pick in a picker).
pub fn is_enter(key: &KeyEvent) -> bool {
    key.code == KeyCode::Enter
}

/// The first character `key` types, if it types one.
pub fn typed_char(key: &KeyEvent) -> Option<char> {
    match input_request(key) {
        Some(InputRequest::InsertChar(c)) => Some(c),
        _ => None,
    }
}

/// Whether `key` erases (Backspace or Delete).
pub fn is_erase(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Backspace | KeyCode::Delete)
}

/// Where a form shows `errors`, given its field keys in screen order: the
/// first field with a problem (to move the focus to), and one message for
/// the problems that belong to no field on screen.
pub(crate) fn place_errors(
    keys: &[&str],
    errors: &ValidationErrors,
) -> (Option<usize>, Option<String>) {
    let first = keys.iter().position(|k| errors.for_field(k).is_some());
    let unplaced: Vec<String> = errors
        .0
        .iter()
        .filter(|e| !keys.contains(&e.field.as_str()))
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    (first, (!unplaced.is_empty()).then(|| unplaced.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn a_choice_steps_and_jumps_by_letter() {
        let mut f = Field::text("kind", "Kind", "individual".into());
        f.choices = Some(vec!["individual".into(), "enterprise".into()]);
        assert!(f.choose(&key(KeyCode::Right)));
        assert_eq!(f.value(), "enterprise");
        assert!(f.choose(&key(KeyCode::Char('i'))));
        assert_eq!(f.value(), "individual");
        assert!(!f.choose(&key(KeyCode::Enter)));
    }

    #[test]
    fn the_cursor_of_multi_line_text_counts_display_cells() {
        let mut f = Field::text("notes", "Notes", "first\n张伟 ok".into());
        f.multiline = true;
        f.input.handle(InputRequest::GoToEnd);
        f.input.handle(InputRequest::GoToPrevChar);
        let (lines, row, col) = f.cursor_lines();
        assert_eq!(lines, ["first", "张伟 ok"]);
        assert_eq!((row, col), (1, 6), "two wide characters, a space and an o");
    }
}
