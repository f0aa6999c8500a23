//! The app-state harness of the tab tests: the demo book on a fixed
//! clock, actions and keys fed to the app, the screen drawn on a
//! `TestBackend`. Each test file uses part of it.
#![allow(dead_code)]

use chrono::NaiveDate;
use dossier::domain::Clock;
use dossier::sample::demo::load_demo;
use dossier::store::Store;
use dossier::tui::keymap::KeyMap;
use dossier::tui::theme::Theme;
use dossier::tui::{views, Action, App, Runtime};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

pub fn demo() -> Store {
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(today())).unwrap();
    load_demo(&mut s, false).unwrap();
    s
}

pub struct Harness {
    pub app: App,
    pub rt: Runtime,
}

impl Harness {
    pub fn new(store: Store, w: u16, h: u16) -> Harness {
        let mut app = App::new(KeyMap::defaults(), Theme::plain(), today());
        let mut rt = Runtime::new(store, None);
        rt.dispatch(&mut app, Action::Resize(w, h));
        let start = app.start(false);
        rt.run_all(&mut app, start);
        app.status = None;
        Harness { app, rt }
    }

    pub fn act(&mut self, a: Action) -> &mut Self {
        self.rt.dispatch(&mut self.app, a);
        self
    }

    pub fn key(&mut self, code: KeyCode) -> &mut Self {
        let ev = KeyEvent::new(code, KeyModifiers::NONE);
        if let Some(a) = self.app.key_action(&ev) {
            self.rt.dispatch(&mut self.app, a);
        }
        self
    }

    pub fn typed(&mut self, s: &str) -> &mut Self {
        for ch in s.chars() {
            self.key(KeyCode::Char(ch));
        }
        self
    }

    pub fn status(&self) -> String {
        self.app
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    pub fn screen(&self) -> String {
        let (w, h) = self.app.size;
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| views::draw(f, &self.app)).unwrap();
        t.backend().to_string()
    }

    /// Focuses the form field named `key`.
    pub fn focus(&mut self, key: &str) -> &mut Self {
        let form = self.app.form.as_ref().expect("a form is open");
        let i = form.fields.iter().position(|f| f.key == key).unwrap();
        self.app.form.as_mut().unwrap().focus = i;
        self
    }

    /// Tabs through the form (as a person would) to the field `key`.
    pub fn tab_to(&mut self, key: &str) -> &mut Self {
        for _ in 0..40 {
            let form = self.app.form.as_ref().expect("a form is open");
            if form.fields[form.focus].key == key {
                return self;
            }
            self.act(Action::NextField);
        }
        panic!("no field {key}");
    }
}
