//! The terminal UI: a thin shell over the store.
//!
//! key event → key map → [`Action`] → [`App::update`] → [`Effect`]s →
//! [`Runtime`] (store) → [`Outcome`] → [`App::apply`]; then
//! `views::draw(&App)`. The main loop is generic over the ratatui
//! `Backend`, so tests drive the whole app on a `TestBackend`.

pub mod action;
pub mod activities;
pub mod app;
pub mod dashboard;
pub mod effect;
pub mod field;
pub mod keymap;
pub mod labels;
pub mod list;
mod list_update;
mod lists;
pub mod modal;
pub mod opportunities;
pub mod overlay;
pub mod products;
pub mod reader;
pub mod record_form;
pub mod record_picker;
pub mod runtime;
pub mod search;
mod search_engine;
pub mod status;
pub mod tabs;
pub mod tag_filter;
mod team_view;
pub mod theme;
pub mod trash;
mod update;
pub mod views;
pub mod widgets;

pub use action::Action;
pub use app::App;
pub use effect::{Effect, Model, Outcome};
pub use runtime::{DemoLoader, Runtime};

use crate::store::Store;
use anyhow::Context as _;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::Terminal;
use std::collections::VecDeque;
use std::time::Duration;

/// Where key presses come from: the real terminal, or a script in tests.
pub trait Events {
    /// The next event, or `None` when nothing came within `timeout`.
    fn next(&mut self, timeout: Duration) -> std::io::Result<Option<Event>>;
    /// True when no event will ever come again (a finished script).
    fn finished(&self) -> bool {
        false
    }
    /// True once after something asked the UI to suspend (SIGTSTP).
    fn suspend_requested(&mut self) -> bool {
        false
    }
    /// Hands the terminal back to the shell and stops the process until
    /// `fg`; true when it did, so the whole screen is drawn anew.
    fn suspend(&mut self) -> std::io::Result<bool> {
        Ok(false)
    }
}

/// Events read from the terminal.
pub struct TerminalEvents;

impl Events for TerminalEvents {
    fn next(&mut self, timeout: Duration) -> std::io::Result<Option<Event>> {
        // crossterm spins forever reading a terminal that was closed (its
        // reads return end-of-file), so a hang-up is looked for first.
        if terminal_hung_up(Duration::ZERO) {
            return Err(hung_up());
        }
        if event::poll(Duration::ZERO)? {
            return Ok(Some(event::read()?));
        }
        // The wait is ours, not crossterm's: a terminal that hangs up while
        // crossterm waits makes it read end-of-file forever (seen: a closed
        // tmux window left dossier at 100 % CPU). poll(2) reports the
        // hang-up. Input crossterm has read but not yet made an event of
        // (a paste cut mid-sequence) is no longer readable on the file, so
        // this wait blocks until more comes instead of returning at once.
        if terminal_hung_up(timeout) {
            return Err(hung_up());
        }
        if event::poll(Duration::ZERO)? {
            Ok(Some(event::read()?))
        } else {
            Ok(None)
        }
    }

    fn suspend_requested(&mut self) -> bool {
        crate::signals::take_suspend()
    }

    fn suspend(&mut self) -> std::io::Result<bool> {
        use ratatui::crossterm::{cursor, event as ev, execute, terminal};
        let mut out = std::io::stdout();
        let _ = execute!(out, ev::DisableBracketedPaste);
        ratatui::restore();
        let _ = execute!(out, cursor::Show);
        crate::signals::stop_until_continued();
        // Continued (fg): take the terminal back.
        terminal::enable_raw_mode()?;
        execute!(
            out,
            terminal::EnterAlternateScreen,
            ev::EnableBracketedPaste
        )?;
        Ok(true)
    }

    /// SIGTERM, SIGHUP or SIGINT ends the loop, so the terminal is restored
    /// on the ordinary exit path.
    fn finished(&self) -> bool {
        crate::signals::quit_requested()
    }
}

fn hung_up() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the terminal was closed")
}

/// Waits up to `timeout` for input on stdin; true if the terminal hung up.
#[cfg(unix)]
fn terminal_hung_up(timeout: Duration) -> bool {
    let mut fds = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = timeout.as_millis().min(i32::MAX as u128) as libc::c_int;
    // SAFETY: one valid pollfd for the duration of the call.
    let n = unsafe { libc::poll(&mut fds, 1, ms) };
    n > 0 && fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

#[cfg(not(unix))]
fn terminal_hung_up(timeout: Duration) -> bool {
    std::thread::sleep(timeout.min(Duration::from_millis(10)));
    false
}

/// A fixed list of events (tests).
#[derive(Debug, Default)]
pub struct ScriptedEvents(pub VecDeque<Event>);

impl Events for ScriptedEvents {
    fn next(&mut self, _timeout: Duration) -> std::io::Result<Option<Event>> {
        Ok(self.0.pop_front())
    }
    fn finished(&self) -> bool {
        self.0.is_empty()
    }
}

/// Builds the app for `store` with the user's key map and colours, and
/// `NO_COLOR`; returns a warning about a broken config file, if any.
pub fn new_app(store: &Store) -> (App, Option<String>) {
    let dir = keymap::config_dir();
    let (keymap, key_warning) = keymap::KeyMap::load(dir.as_deref());
    let (theme, theme_warning) = theme::Theme::load(dir.as_deref());
    let mut app = App::new(keymap, theme, store.clock().today());
    if let Ok(currency) = store.book_currency() {
        app.book_currency = currency;
    }
    (app, key_warning.or(theme_warning))
}

/// Opens the TUI on `store` until the person quits. The terminal is
/// restored on return, on error and on panic (ratatui's hook, chained to
/// the previous one).
pub fn run(mut store: Store, demo: Option<DemoLoader>) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the terminal UI needs a terminal — run dossier in one, or use a command (dossier --help)"
        );
    }
    let (mut app, warning) = new_app(&store);
    // Tags show with the labels of the book's rules (a user's file may add some).
    if let Ok(rules) = store.rules() {
        labels::set_rules(rules.clone());
    }
    let offer_demo = demo.is_some() && store.has_no_records().unwrap_or(false);
    let mut runtime = Runtime::new(store, demo);
    let mut terminal = ratatui::try_init().context("cannot start the terminal UI")?;
    // A paste arrives as one event instead of a key per character.
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::EnableBracketedPaste
    );
    crate::signals::install();
    let result = (|| {
        let size = terminal.size().context("cannot read the terminal size")?;
        runtime.dispatch(&mut app, Action::Resize(size.width, size.height));
        let start = app.start(offer_demo);
        runtime.run_all(&mut app, start);
        // Test hook: the pseudo-terminal test of the panic path sets this.
        if std::env::var_os("DOSSIER_TEST_PANIC").is_some() {
            panic!("a test panic asked for with DOSSIER_TEST_PANIC");
        }
        if let Some(w) = warning {
            app.error(w);
        }
        run_loop(&mut terminal, &mut app, &mut runtime, &mut TerminalEvents)
    })();
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::DisableBracketedPaste
    );
    ratatui::restore();
    result
}

/// The suspend key (Ctrl-Z by default): in raw mode the terminal sends it
/// as a key, not as SIGTSTP, so the key map says which key it is.
fn is_suspend_key(app: &App, key: &ratatui::crossterm::event::KeyEvent) -> bool {
    app.keymap.action(keymap::Context::Global, key) == Some(Action::Suspend)
}

/// Draw, wait for a key, update — until the app quits or the events end.
/// How long the loop waits for input before it looks for results again.
const FRAME: Duration = Duration::from_millis(16);

pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    runtime: &mut Runtime,
    events: &mut dyn Events,
) -> anyhow::Result<()> {
    let mut dirty = true;
    loop {
        // Results first, so whatever arrived is on this frame; the wait
        // below is one frame long, so an answer that comes while it waits
        // (search hits, a sorted list) is drawn at most a frame later.
        dirty |= runtime.poll(app);
        if dirty {
            terminal
                .draw(|frame| views::draw(frame, app))
                .map_err(|e| {
                    anyhow::anyhow!(crate::tr!("tui-cannot-draw", error = e.to_string()))
                })?;
            dirty = false;
        }
        if app.quit || events.finished() {
            return Ok(());
        }
        let event = events.next(FRAME)?;
        dirty |= event.is_some();
        let suspend_key = matches!(&event, Some(Event::Key(k)) if is_suspend_key(app, k) && k.kind == KeyEventKind::Press);
        if (suspend_key || events.suspend_requested()) && events.suspend()? {
            // Back from `fg`: the shell drew over the screen. A resize to
            // the same size clears it and forgets what was drawn (clear()
            // would ask the terminal for the cursor, which some never answer).
            let size = terminal.size().map_err(|e| {
                anyhow::anyhow!(crate::tr!("tui-cannot-draw", error = e.to_string()))
            })?;
            terminal
                .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
                .map_err(|e| {
                    anyhow::anyhow!(crate::tr!("tui-cannot-draw", error = e.to_string()))
                })?;
            terminal.hide_cursor().map_err(|e| {
                anyhow::anyhow!(crate::tr!("tui-cannot-draw", error = e.to_string()))
            })?;
            dirty = true;
            continue;
        }
        match event {
            Some(Event::Paste(text)) => {
                for action in app.paste_actions(&text) {
                    runtime.dispatch(app, action);
                }
            }
            Some(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                // A status message stays until the next key.
                if app.status.is_some() && app.form().is_none() {
                    app.status = None;
                }
                if let Some(action) = app.key_action(&key) {
                    runtime.dispatch(app, action);
                }
            }
            Some(Event::Resize(w, h)) => {
                runtime.dispatch(app, Action::Resize(w, h));
                terminal.autoresize().map_err(|e| {
                    anyhow::anyhow!(crate::tr!("tui-cannot-draw", error = e.to_string()))
                })?;
            }
            _ => {}
        }
    }
}
