//! The key map: defaults embedded from `assets/keymap.toml`, the user's
//! `<config dir>/keymap.toml` merged over them. Every binding carries a
//! description, which is what the help overlay shows.

use super::action::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DEFAULTS: &str = include_str!("../../assets/keymap.toml");

/// Where key lookups happen: each overlay or screen has its own bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Context {
    /// Keys that work whatever is open (Ctrl-Z suspends).
    Global,
    /// A list tab or the detail pane.
    List,
    /// A record form.
    Form,
    /// A yes/no question.
    Confirm,
    /// The trash.
    Trash,
    /// The search input (`/` and Ctrl-K).
    Search,
    /// The link picker over a form field.
    Picker,
    /// The tag filter (`f`).
    Filter,
    /// A touch's kind, just after `t`.
    Touch,
    /// A one-line prompt: a touch's text, why a deal was won or lost.
    Prompt,
}

impl Context {
    pub const ALL: [Context; 10] = [
        Context::List,
        Context::Form,
        Context::Confirm,
        Context::Trash,
        Context::Search,
        Context::Picker,
        Context::Filter,
        Context::Touch,
        Context::Prompt,
        Context::Global,
    ];

    pub fn title(self) -> String {
        super::labels::t(match self {
            Context::Global => "keys-global",
            Context::List => "keys-lists",
            Context::Form => "keys-forms",
            Context::Confirm => "keys-questions",
            Context::Trash => "keys-trash",
            Context::Search => "keys-search",
            Context::Picker => "keys-picker",
            Context::Filter => "keys-filter",
            Context::Touch => "keys-touch",
            Context::Prompt => "keys-prompts",
        })
    }
}

/// A key as written in the TOML file, normalised (`ctrl-s`, `G`, `enter`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeySpec(String);

impl KeySpec {
    /// Parses and normalises what a person wrote in the key map.
    pub fn parse(s: &str) -> Result<KeySpec, String> {
        let s = s.trim();
        // Terminals report Shift-Tab as its own key.
        if s.eq_ignore_ascii_case("shift-tab") {
            return Ok(KeySpec("backtab".into()));
        }
        let (mods, key) = match s.rsplit_once('-') {
            Some((m, k)) if !k.is_empty() && !m.is_empty() => (m.to_lowercase(), k),
            _ => (String::new(), s),
        };
        let key_norm = if key.chars().count() == 1 {
            key.to_string()
        } else {
            let k = key.to_lowercase();
            let known = [
                "enter",
                "esc",
                "tab",
                "backtab",
                "up",
                "down",
                "left",
                "right",
                "pageup",
                "pagedown",
                "home",
                "end",
                "space",
                "backspace",
                "delete",
                "insert",
            ];
            let is_f = k.strip_prefix('f').is_some_and(|n| n.parse::<u8>().is_ok());
            if !known.contains(&k.as_str()) && !is_f {
                return Err(crate::tr!("keymap-unknown-key", key = s));
            }
            k
        };
        let mut parts: Vec<&str> = mods.split('-').filter(|m| !m.is_empty()).collect();
        for m in &parts {
            if !["ctrl", "alt", "shift"].contains(m) {
                return Err(crate::tr!(
                    "keymap-unknown-modifier",
                    modifier = *m,
                    key = s
                ));
            }
        }
        parts.sort();
        parts.dedup();
        let key_norm = if key_norm.chars().count() == 1 && parts.iter().any(|m| *m != "shift") {
            key_norm.to_lowercase()
        } else {
            key_norm
        };
        let mut out = parts.join("-");
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&key_norm);
        Ok(KeySpec(out))
    }

    /// The spec of a key event, in the same normal form.
    pub fn from_event(ev: &KeyEvent) -> Option<KeySpec> {
        let mut mods = Vec::new();
        if ev.modifiers.contains(KeyModifiers::ALT) {
            mods.push("alt");
        }
        if ev.modifiers.contains(KeyModifiers::CONTROL) {
            mods.push("ctrl");
        }
        let key = match ev.code {
            // Shift is part of the character itself ("G", "?").
            KeyCode::Char(' ') => "space".to_string(),
            KeyCode::Char(c) => {
                if mods.contains(&"ctrl") || mods.contains(&"alt") {
                    c.to_lowercase().to_string()
                } else {
                    c.to_string()
                }
            }
            KeyCode::Enter => "enter".into(),
            KeyCode::Esc => "esc".into(),
            KeyCode::Tab => "tab".into(),
            KeyCode::BackTab => "backtab".into(),
            KeyCode::Up => "up".into(),
            KeyCode::Down => "down".into(),
            KeyCode::Left => "left".into(),
            KeyCode::Right => "right".into(),
            KeyCode::PageUp => "pageup".into(),
            KeyCode::PageDown => "pagedown".into(),
            KeyCode::Home => "home".into(),
            KeyCode::End => "end".into(),
            KeyCode::Backspace => "backspace".into(),
            KeyCode::Delete => "delete".into(),
            KeyCode::Insert => "insert".into(),
            KeyCode::F(n) => format!("f{n}"),
            _ => return None,
        };
        let mut out = mods.join("-");
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&key);
        Some(KeySpec(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One line of the key map file.
#[derive(Debug, Clone, Deserialize)]
struct Entry {
    on: Vec<String>,
    run: Action,
    #[serde(default)]
    desc: String,
    /// The description's message in the catalog (the defaults name one).
    #[serde(default)]
    msg: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct File {
    #[serde(default)]
    global: Vec<Entry>,
    #[serde(default)]
    list: Vec<Entry>,
    #[serde(default)]
    form: Vec<Entry>,
    #[serde(default)]
    confirm: Vec<Entry>,
    #[serde(default)]
    trash: Vec<Entry>,
    #[serde(default)]
    search: Vec<Entry>,
    #[serde(default)]
    picker: Vec<Entry>,
    #[serde(default)]
    filter: Vec<Entry>,
    #[serde(default)]
    touch: Vec<Entry>,
    #[serde(default)]
    prompt: Vec<Entry>,
}

/// A binding as the help screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<String>,
    pub action: Action,
    pub desc: String,
    /// The catalog message of the description, if the file names one.
    pub msg: Option<String>,
}

impl Binding {
    /// The description in the language in force: the catalog's words while
    /// the description is the default one, else what the person wrote.
    pub fn describe(&self) -> String {
        use crate::i18n::{self, Lang};
        match &self.msg {
            Some(key)
                if i18n::has(Lang::En, key) && i18n::message(Lang::En, key, &[]) == self.desc =>
            {
                i18n::message(i18n::current(), key, &[])
            }
            _ => self.desc.clone(),
        }
    }
}

/// Keys to actions, per context.
#[derive(Debug, Clone)]
pub struct KeyMap {
    keys: BTreeMap<(Context, KeySpec), Action>,
    help: BTreeMap<Context, Vec<Binding>>,
}

impl KeyMap {
    /// The embedded defaults only.
    pub fn defaults() -> KeyMap {
        let mut map = KeyMap {
            keys: BTreeMap::new(),
            help: BTreeMap::new(),
        };
        // The embedded file is part of the build and covered by tests.
        map.merge_str(DEFAULTS)
            .expect("embedded keymap.toml is valid");
        map
    }

    /// Defaults merged with the user's file in `config_dir`, if there is one.
    /// A broken user file is reported and otherwise ignored.
    pub fn load(config_dir: Option<&Path>) -> (KeyMap, Option<String>) {
        let mut map = KeyMap::defaults();
        let Some(path) = config_dir.map(|d| d.join("keymap.toml")) else {
            return (map, None);
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let mut merged = map.clone();
                match merged.merge_str(&text) {
                    Ok(()) => map = merged,
                    Err(e) => {
                        return (
                            map,
                            Some(format!("{}: {e} — using the default keys", path.display())),
                        )
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                let problem = crate::tr!(
                    "config-cannot-read",
                    path = path.display().to_string(),
                    error = e.to_string()
                );
                return (map, Some(problem));
            }
        }
        (map, None)
    }

    /// Merges bindings from TOML text: a key bound here replaces the same
    /// key in the same context.
    pub fn merge_str(&mut self, text: &str) -> Result<(), String> {
        let file: File = toml::from_str(text).map_err(|e| e.message().to_string())?;
        for (ctx, entries) in [
            (Context::Global, file.global),
            (Context::List, file.list),
            (Context::Form, file.form),
            (Context::Confirm, file.confirm),
            (Context::Trash, file.trash),
            (Context::Search, file.search),
            (Context::Picker, file.picker),
            (Context::Filter, file.filter),
            (Context::Touch, file.touch),
            (Context::Prompt, file.prompt),
        ] {
            for e in entries {
                let mut shown = Vec::new();
                for k in &e.on {
                    let spec = KeySpec::parse(k)?;
                    // Drop the key from whatever binding had it before.
                    for b in self.help.entry(ctx).or_default().iter_mut() {
                        b.keys.retain(|x| x != spec.as_str());
                    }
                    self.keys.insert((ctx, spec.clone()), e.run.clone());
                    shown.push(spec.as_str().to_string());
                }
                let list = self.help.entry(ctx).or_default();
                list.retain(|b| !b.keys.is_empty());
                list.push(Binding {
                    keys: shown,
                    action: e.run,
                    desc: e.desc,
                    msg: e.msg,
                });
            }
        }
        Ok(())
    }

    /// The action bound to `key` in `ctx`, if any.
    pub fn action(&self, ctx: Context, key: &KeyEvent) -> Option<Action> {
        let spec = KeySpec::from_event(key)?;
        self.keys.get(&(ctx, spec)).cloned()
    }

    /// Bindings of a context in file order, for the help overlay.
    pub fn bindings(&self, ctx: Context) -> &[Binding] {
        self.help.get(&ctx).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first key bound to `action` in `ctx` (for hints like "d delete").
    pub fn key_for(&self, ctx: Context, action: &Action) -> Option<&str> {
        self.bindings(ctx)
            .iter()
            .find(|b| &b.action == action)
            .and_then(|b| b.keys.first())
            .map(String::as_str)
    }
}

/// The config dir: `DOSSIER_CONFIG_DIR`, else the platform's dir for dossier.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DOSSIER_CONFIG_DIR").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "dossier").map(|d| d.config_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn defaults_resolve_keys() {
        let m = KeyMap::defaults();
        let none = KeyModifiers::NONE;
        assert_eq!(
            m.action(Context::List, &key(KeyCode::Char('q'), none)),
            Some(Action::Quit)
        );
        assert_eq!(
            m.action(Context::List, &key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            m.action(
                Context::Form,
                &key(KeyCode::Char('s'), KeyModifiers::CONTROL)
            ),
            Some(Action::Save)
        );
        assert_eq!(
            m.action(Context::Form, &key(KeyCode::Char('q'), none)),
            None
        );
        assert_eq!(m.key_for(Context::List, &Action::Delete), Some("d"));
    }

    #[test]
    fn user_file_overrides_a_key() {
        let mut m = KeyMap::defaults();
        m.merge_str("[[list]]\non = [\"x\", \"q\"]\nrun = \"delete\"\ndesc = \"Bin it\"\n")
            .unwrap();
        let none = KeyModifiers::NONE;
        assert_eq!(
            m.action(Context::List, &key(KeyCode::Char('q'), none)),
            Some(Action::Delete)
        );
        // `q` was Quit's only key: Quit leaves the help; Ctrl-C still asks.
        assert!(!m
            .bindings(Context::List)
            .iter()
            .any(|b| b.action == Action::Quit));
        let interrupt = m
            .bindings(Context::List)
            .iter()
            .find(|b| b.action == Action::Interrupt)
            .unwrap();
        assert_eq!(interrupt.keys, vec!["ctrl-c"]);
        assert!(m
            .merge_str("[[list]]\non=[\"hyper-x\"]\nrun=\"quit\"")
            .is_err());
        assert!(m.merge_str("[[list]]\non=[\"x\"]\nrun=\"fly\"").is_err());
    }

    #[test]
    fn parses_specs() {
        assert_eq!(KeySpec::parse("Ctrl-S").unwrap().as_str(), "ctrl-s");
        assert_eq!(KeySpec::parse("PageDown").unwrap().as_str(), "pagedown");
        assert_eq!(KeySpec::parse("-").unwrap().as_str(), "-");
        assert_eq!(KeySpec::parse("Shift-Tab").unwrap().as_str(), "backtab");
    }
}
