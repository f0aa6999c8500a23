//! End to end: the real binary in a pseudo-terminal. Declines the demo,
//! adds a customer through the form, quits, and reads it back with
//! `dossier show --json`.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Waits until `needle` is on screen; panics with the screen after 15 s.
    fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {needle:?}; screen:\n{}", self.text());
    }
}

fn show_json(db: &Path) -> serde_json::Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--db"])
        .arg(db)
        .args(["show", "customer", "1", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The real binary on a 80×24 pseudo-terminal, its screen kept by a vt100
/// parser fed from a background thread.
struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    keys: Box<dyn Write + Send>,
    /// Kept open for the child's lifetime.
    _master: Box<dyn portable_pty::MasterPty + Send>,
    screen: Screen,
}

impl Session {
    fn start(db: &Path, config: &Path) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.arg("--db");
        cmd.arg(db);
        cmd.env("TERM", "xterm-256color");
        cmd.env("DOSSIER_CONFIG_DIR", config);
        cmd.env("DOSSIER_NOW", "2026-03-02");
        cmd.env_remove("NO_COLOR");
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let sink = parser.clone();
        // Drain the terminal output so the child never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut p) = sink.lock() {
                    p.process(&buf[..n]);
                }
            }
        });
        let keys = pty.master.take_writer().unwrap();
        Session {
            child,
            keys,
            _master: pty.master,
            screen: Screen { parser },
        }
    }

    fn send(&mut self, s: &str) {
        self.keys.write_all(s.as_bytes()).unwrap();
        self.keys.flush().unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }

    /// Waits for the process to end; panics with the screen after 15 s.
    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            if start.elapsed() > Duration::from_secs(15) {
                let _ = self.child.kill();
                panic!("dossier did not quit; screen:\n{}", self.screen.text());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn in_alternate_screen(&self) -> bool {
        self.screen
            .parser
            .lock()
            .map(|p| p.screen().alternate_screen())
            .unwrap_or(true)
    }
}

#[test]
fn adds_a_customer_in_the_terminal_ui() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let mut s = Session::start(&db, dir.path());
    s.screen.wait_for("Load the demo book");
    s.send("n");
    s.screen.wait_for("No customers yet");
    s.send("a");
    s.screen.wait_for("New customer");
    s.send("E2E 测试");
    s.send("\t"); // kind
    s.send("\x1b[C"); // → enterprise
    s.send("\t");
    s.send("端到端有限公司");
    s.send("\x13"); // Ctrl-S
    s.screen.wait_for("Added E2E 测试");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert!(!s.in_alternate_screen(), "the terminal was not restored");

    let json = show_json(&db);
    let text = json.to_string();
    assert!(text.contains("E2E 测试"), "{text}");
    assert!(text.contains("端到端有限公司"), "{text}");
    assert!(text.contains("enterprise"), "{text}");
}

#[test]
fn sigterm_mid_edit_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("term.db");
    let mut s = Session::start(&db, dir.path());
    s.screen.wait_for("Load the demo book");
    s.send("n");
    s.send("a");
    s.screen.wait_for("New customer");
    s.send("half typed");
    assert!(s.in_alternate_screen());
    let pid = s.child.process_id().unwrap() as i32;
    // SAFETY: sending SIGTERM to the child this test started.
    unsafe {
        libc::kill(pid, libc::SIGTERM);
    }
    s.wait_exit();
    std::thread::sleep(Duration::from_millis(200));
    assert!(!s.in_alternate_screen(), "the terminal was not restored");
}

#[test]
fn a_panic_restores_the_terminal_and_shows_the_message_and_log_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("panic.db");
    let logs = dir.path().join("logs");
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.arg("--db");
    cmd.arg(&db);
    cmd.env("TERM", "xterm-256color");
    cmd.env("DOSSIER_CONFIG_DIR", dir.path());
    cmd.env("DOSSIER_LOG_DIR", &logs);
    cmd.env("DOSSIER_TEST_PANIC", "1");
    cmd.env("RUST_BACKTRACE", "0");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let raw = Arc::new(Mutex::new(Vec::new()));
    let sink = raw.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut r) = sink.lock() {
                r.extend_from_slice(&buf[..n]);
            }
        }
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "dossier hung");
        std::thread::sleep(Duration::from_millis(50));
    };
    std::thread::sleep(Duration::from_millis(300));
    assert!(!status.success());
    let bytes = raw.lock().unwrap().clone();
    let mut parser = vt100::Parser::new(24, 80, 0);
    parser.process(&bytes);
    // The UI had entered the alternate screen, and left it before exiting.
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("\x1b[?1049h"),
        "never entered the UI: {text:?}"
    );
    assert!(!parser.screen().alternate_screen(), "terminal not restored");
    let screen = parser.screen().contents();
    assert!(screen.contains("stopped because of a bug"), "{screen}");
    assert!(screen.contains("DOSSIER_TEST_PANIC"), "{screen}");
    assert!(screen.contains("dossier.log"), "{screen}");
    let log = std::fs::read_to_string(logs.join("dossier.log")).unwrap();
    assert!(log.contains("panic: a test panic"), "{log}");
}

#[test]
fn sighup_ends_the_ui_and_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hup.db");
    let mut s = Session::start(&db, dir.path());
    s.screen.wait_for("Load the demo book");
    s.send("n");
    s.send("a");
    s.screen.wait_for("New customer");
    // Closing a terminal window sends SIGHUP.
    let pid = s.child.process_id().unwrap() as i32;
    // SAFETY: sending SIGHUP to the child this test started.
    unsafe {
        libc::kill(pid, libc::SIGHUP);
    }
    s.wait_exit();
    std::thread::sleep(Duration::from_millis(200));
    assert!(!s.in_alternate_screen(), "the terminal was not restored");
}
