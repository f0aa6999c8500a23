//! The real binary in a pseudo-terminal: one spawn helper for every
//! end-to-end test. The output is drained on a background thread (the
//! child never blocks on a full terminal), kept raw and fed to a vt100
//! parser for what the screen shows.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the terminal shows, and every byte the child wrote.
pub struct Screen {
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
}

impl Screen {
    pub fn text(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Waits until `needle` is on screen; panics with the screen after 20 s.
    pub fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            let text = self.text();
            if text.contains(needle) {
                return text;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {needle:?}; screen:\n{}", self.text());
    }
}

/// The status line of a screen's text: the rows under the lists' bottom
/// frame (a message wider than the screen wraps onto up to three), joined
/// by the spaces they were broken at.
pub fn status_of(text: &str) -> String {
    let rows: Vec<&str> = text.lines().collect();
    let first = rows
        .iter()
        .rposition(|l| l.trim_start().starts_with('└'))
        .map_or(rows.len().saturating_sub(1), |i| i + 1);
    rows[first.min(rows.len())..]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub struct Session {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    keys: Option<Box<dyn Write + Send>>,
    /// Kept open for the child's lifetime.
    master: Option<Box<dyn portable_pty::MasterPty + Send>>,
    drain: Option<JoinHandle<()>>,
    pub screen: Screen,
}

impl Session {
    /// `dossier --db DB` for a terminal (colours allowed).
    pub fn command(db: &Path) -> CommandBuilder {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.arg("--db");
        cmd.arg(db);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd
    }

    /// The UI on `db` at 80×24, with the user's files in `config` and the
    /// clock at 2026-03-02.
    pub fn start(db: &Path, config: &Path) -> Session {
        let mut cmd = Session::command(db);
        cmd.env("DOSSIER_CONFIG_DIR", config);
        cmd.env("DOSSIER_NOW", "2026-03-02");
        Session::spawn(cmd, 24, 80)
    }

    /// Runs `cmd` on a `rows`×`cols` pseudo-terminal.
    pub fn spawn(cmd: CommandBuilder, rows: u16, cols: u16) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let (sink, bytes) = (parser.clone(), raw.clone());
        let drain = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut p) = sink.lock() {
                    p.process(&buf[..n]);
                }
                if let Ok(mut r) = bytes.lock() {
                    r.extend_from_slice(&buf[..n]);
                }
            }
        });
        let keys = pty.master.take_writer().unwrap();
        Session {
            child,
            keys: Some(keys),
            master: Some(pty.master),
            drain: Some(drain),
            screen: Screen { parser, raw },
        }
    }

    /// Types `s` and gives the UI a moment to draw.
    pub fn send(&mut self, s: &str) {
        if let Some(keys) = self.keys.as_mut() {
            keys.write_all(s.as_bytes()).unwrap();
            keys.flush().unwrap();
        }
        std::thread::sleep(Duration::from_millis(120));
    }

    /// Waits for the process to end; panics with the screen after 20 s.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                let _ = self.child.kill();
                panic!("dossier did not end; screen:\n{}", self.screen.text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the end and for the last byte written: the exit status
    /// and the whole output.
    pub fn finish(mut self) -> (portable_pty::ExitStatus, Vec<u8>) {
        let status = self.wait_exit();
        self.keys = None;
        self.master = None;
        if let Some(d) = self.drain.take() {
            let _ = d.join();
        }
        let out = self
            .screen
            .raw
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default();
        (status, out)
    }

    pub fn in_alternate_screen(&self) -> bool {
        self.screen
            .parser
            .lock()
            .map(|p| p.screen().alternate_screen())
            .unwrap_or(true)
    }
}
