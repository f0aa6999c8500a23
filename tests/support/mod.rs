//! The one app harness of the TUI tests: a real store, the app and its
//! runtime, and every key driven through the real main loop (`run_loop`)
//! on a ratatui `TestBackend`. `act` feeds an action straight to the app
//! for tests about app state. Each test file uses part of it.
#![allow(dead_code)]

pub mod pty;

use chrono::NaiveDate;
use dossier::domain::{Clock, Kind};
use dossier::sample::demo::load_demo;
use dossier::store::Store;
use dossier::tui::keymap::KeyMap;
use dossier::tui::theme::Theme;
use dossier::tui::{run_loop, views, Action, App, Runtime, ScriptedEvents};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use std::time::Duration;

/// The demo book's day.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// The demo book on [`today`].
pub fn demo() -> Store {
    let mut s = Store::open_in_memory_with_clock(Clock::at_date(today())).unwrap();
    load_demo(&mut s, false).unwrap();
    s
}

pub struct Harness {
    pub app: App,
    pub rt: Runtime,
    /// The main loop's terminal: what the person last saw.
    pub term: Terminal<TestBackend>,
}

impl Harness {
    /// The app on `store` at `w`×`h`, first screen loaded, status kept.
    pub fn open(store: Store, w: u16, h: u16) -> Harness {
        Harness::open_with(store, w, h, KeyMap::defaults())
    }

    /// The same with a key map of the test's own.
    pub fn open_with(store: Store, w: u16, h: u16, keymap: KeyMap) -> Harness {
        let today = store.clock().today();
        let mut app = App::new(keymap, Theme::plain(), today);
        let mut rt = Runtime::new(store, None);
        rt.dispatch(&mut app, Action::Resize(w, h));
        let start = app.start(false);
        rt.run_all(&mut app, start);
        let term = Terminal::new(TestBackend::new(w, h)).unwrap();
        Harness { app, rt, term }
    }

    /// Like [`Harness::open`], with the start-up status line cleared.
    pub fn new(store: Store, w: u16, h: u16) -> Harness {
        let mut h = Harness::open(store, w, h);
        h.app.status = None;
        h
    }

    pub fn act(&mut self, a: Action) -> &mut Self {
        self.rt.dispatch(&mut self.app, a);
        self
    }

    /// Events through the real main loop, which draws after them.
    pub fn events(&mut self, events: Vec<Event>) -> &mut Self {
        let mut script = ScriptedEvents(events.into());
        run_loop(&mut self.term, &mut self.app, &mut self.rt, &mut script).unwrap();
        self
    }

    pub fn key(&mut self, code: KeyCode) -> &mut Self {
        self.key_mod(code, KeyModifiers::NONE)
    }

    pub fn key_mod(&mut self, code: KeyCode, mods: KeyModifiers) -> &mut Self {
        self.events(vec![Event::Key(KeyEvent::new(code, mods))])
    }

    pub fn ctrl(&mut self, c: char) -> &mut Self {
        self.key_mod(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    pub fn typed(&mut self, s: &str) -> &mut Self {
        let keys = s
            .chars()
            .map(|c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        self.events(keys.collect())
    }

    pub fn paste(&mut self, text: &str) -> &mut Self {
        self.events(vec![Event::Paste(text.to_string())])
    }

    pub fn status(&self) -> String {
        self.app
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    /// The screen as the app is now (drawn afresh).
    pub fn screen(&self) -> String {
        let (w, h) = self.app.size;
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| views::draw(f, &self.app)).unwrap();
        t.backend().to_string()
    }

    /// The screen the main loop drew last.
    pub fn last_frame(&self) -> String {
        self.term.backend().to_string()
    }

    /// Customer names in list order (rows not loaded are empty).
    pub fn names(&self) -> Vec<String> {
        let c = &self.app.customers;
        (0..c.len())
            .map(|i| c.row(i).map(|r| r.name.clone()).unwrap_or_default())
            .collect()
    }

    /// Blocks until the index is built and the newest query answered.
    pub fn settle(&mut self) -> &mut Self {
        let wait = Duration::from_secs(20);
        assert!(
            self.rt.wait_search(&mut self.app, wait),
            "the search did not answer"
        );
        self
    }

    /// Ctrl-K search; the hits (kind, id, detail) once the worker answers.
    pub fn global_search(&mut self, text: &str) -> Vec<(Kind, i64, String)> {
        self.ctrl('k').typed(text).settle();
        let hits = self.app.search.hits.iter();
        let out = hits.map(|h| (h.kind, h.id, h.detail.clone())).collect();
        self.key(KeyCode::Esc);
        out
    }

    /// Focuses the form field named `key`.
    pub fn focus(&mut self, key: &str) -> &mut Self {
        let form = self.app.form().expect("a form is open");
        let i = form.fields.iter().position(|f| f.key == key).unwrap();
        self.app.form_mut().unwrap().focus = i;
        self
    }

    /// Tabs through the form (as a person would) to the field `key`.
    pub fn tab_to(&mut self, key: &str) -> &mut Self {
        for _ in 0..40 {
            let form = self.app.form().expect("a form is open");
            if form.fields[form.focus].key == key {
                return self;
            }
            self.act(Action::NextField);
        }
        panic!("no field {key}");
    }
}
