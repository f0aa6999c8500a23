//! Colours: defaults embedded from `assets/theme.toml`, the user's
//! `<config dir>/theme.toml` merged over them. `NO_COLOR` (any non-empty
//! value) turns every colour off; the UI then relies on bold, reverse and
//! underline only.

use ratatui::style::{Color, Modifier, Style};
use std::path::Path;
use std::str::FromStr;

const DEFAULTS: &str = include_str!("../../assets/theme.toml");

/// The colour of each role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub title: Color,
    pub tab: Color,
    pub header: Color,
    pub selected: Color,
    pub label: Color,
    pub error: Color,
    pub ok: Color,
    pub focus: Color,
    pub dim: Color,
    pub good: Color,
    pub info: Color,
    pub warn: Color,
    pub bad: Color,
    pub other: Color,
}

impl Default for Palette {
    fn default() -> Self {
        Palette {
            title: Color::Cyan,
            tab: Color::Cyan,
            header: Color::Yellow,
            selected: Color::DarkGray,
            label: Color::Blue,
            error: Color::Red,
            ok: Color::Green,
            focus: Color::Yellow,
            dim: Color::DarkGray,
            good: Color::Green,
            info: Color::Cyan,
            warn: Color::Yellow,
            bad: Color::Red,
            other: Color::Magenta,
        }
    }
}

impl Palette {
    /// Sets the roles named in TOML text.
    fn merge_str(&mut self, text: &str) -> Result<(), String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
        for (key, value) in table {
            match value {
                toml::Value::Table(chips) if key == "chips" => {
                    for (k, v) in chips {
                        self.set(&format!("chips.{k}"), &v)?;
                    }
                }
                v => self.set(&key, &v)?,
            }
        }
        Ok(())
    }

    fn set(&mut self, key: &str, value: &toml::Value) -> Result<(), String> {
        let text = value
            .as_str()
            .ok_or_else(|| format!("{key}: a colour is written in quotes, e.g. \"cyan\""))?;
        let c = Color::from_str(text).map_err(|_| {
            format!("{key}: '{text}' is not a colour — use a name, #rrggbb or 0–255")
        })?;
        let slot = match key {
            "title" => &mut self.title,
            "tab" => &mut self.tab,
            "header" => &mut self.header,
            "selected" => &mut self.selected,
            "label" => &mut self.label,
            "error" => &mut self.error,
            "ok" => &mut self.ok,
            "focus" => &mut self.focus,
            "dim" => &mut self.dim,
            "chips.good" => &mut self.good,
            "chips.info" => &mut self.info,
            "chips.warn" => &mut self.warn,
            "chips.bad" => &mut self.bad,
            "chips.other" => &mut self.other,
            other => return Err(crate::tr!("theme-unknown-role", role = other)),
        };
        *slot = c;
        Ok(())
    }
}

/// The styles the views use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub palette: Palette,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set, with the embedded colours.
    pub fn from_env() -> Theme {
        Theme::load(None).0
    }

    /// Embedded colours merged with `<config_dir>/theme.toml`; a broken file
    /// is reported and otherwise ignored.
    pub fn load(config_dir: Option<&Path>) -> (Theme, Option<String>) {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let mut palette = Palette::default();
        let _ = palette.merge_str(DEFAULTS);
        let mut warning = None;
        if let Some(path) = config_dir.map(|d| d.join("theme.toml")) {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let mut merged = palette;
                    match merged.merge_str(&text) {
                        Ok(()) => palette = merged,
                        Err(e) => {
                            warning = Some(format!(
                                "{}: {e} — using the default colours",
                                path.display()
                            ))
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    warning = Some(crate::tr!(
                        "config-cannot-read",
                        path = path.display().to_string(),
                        error = e.to_string()
                    ))
                }
            }
        }
        (
            Theme {
                color: !no_color,
                palette,
            },
            warning,
        )
    }

    pub fn plain() -> Theme {
        Theme {
            color: false,
            palette: Palette::default(),
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn title(&self) -> Style {
        self.fg(self.palette.title).add_modifier(Modifier::BOLD)
    }

    pub fn tab_active(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(self.palette.tab)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn header(&self) -> Style {
        self.fg(self.palette.header).add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        if self.color {
            Style::new()
                .bg(self.palette.selected)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// `line` as the selected row: its own dim or coloured text would be
    /// unreadable on the selection (grey on grey), so every span's
    /// foreground colour and dimming give way to the selection's style.
    pub fn select<'a>(&self, mut line: ratatui::text::Line<'a>) -> ratatui::text::Line<'a> {
        for span in &mut line.spans {
            span.style.fg = None;
            span.style.bg = None;
            span.style = span.style.remove_modifier(Modifier::DIM);
        }
        line.style(self.selected())
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(self.palette.dim)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn label(&self) -> Style {
        self.fg(self.palette.label).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(self.palette.error).add_modifier(Modifier::BOLD)
    }

    pub fn ok(&self) -> Style {
        self.fg(self.palette.ok)
    }

    pub fn focus(&self) -> Style {
        if self.color {
            Style::new()
                .fg(self.palette.focus)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    /// A tag chip: coloured by how good the value is for the salesperson.
    pub fn chip(&self, dimension: &str, value: &str) -> Style {
        if !self.color {
            return Style::new().add_modifier(Modifier::BOLD);
        }
        let p = &self.palette;
        let c = match (dimension, value) {
            (_, "high" | "loyal" | "champions" | "positive" | "close" | "hot" | "growing") => {
                p.good
            }
            (_, "new" | "stable" | "medium" | "normal" | "due_today" | "existing") => p.info,
            (_, "churned" | "lost" | "negative" | "overdue" | "at_risk" | "slow" | "urgent") => {
                p.bad
            }
            (_, "low" | "loose" | "swing" | "hibernating") => p.warn,
            _ => p.other,
        };
        Style::new().fg(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_colours_merge_and_bad_ones_are_reported() {
        let mut p = Palette::default();
        p.merge_str(DEFAULTS).unwrap();
        assert_eq!(p, Palette::default());
        p.merge_str("title = \"#ff8800\"\n[chips]\nbad = \"196\"\n")
            .unwrap();
        assert_eq!(p.title, Color::Rgb(0xff, 0x88, 0x00));
        assert_eq!(p.bad, Color::Indexed(196));
        assert!(p.merge_str("title = \"blurple\"").is_err());
        assert!(p.merge_str("nope = \"red\"").is_err());
    }
}
