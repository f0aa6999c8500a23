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

#[test]
fn adds_a_customer_in_the_terminal_ui() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
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
    cmd.env("DOSSIER_NOW", "2026-03-02");
    cmd.env_remove("NO_COLOR");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
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
    let mut keys = pty.master.take_writer().unwrap();
    let mut send = |s: &str| {
        keys.write_all(s.as_bytes()).unwrap();
        keys.flush().unwrap();
        std::thread::sleep(Duration::from_millis(100));
    };
    let screen = Screen { parser };

    screen.wait_for("Load the demo book");
    send("n");
    screen.wait_for("No customers yet");
    send("a");
    screen.wait_for("New customer");
    send("E2E 测试");
    send("\t"); // kind
    send("\x1b[C"); // → enterprise
    send("\t");
    send("端到端有限公司");
    send("\x13"); // Ctrl-S
    screen.wait_for("Added E2E 测试");
    send("q");

    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(15) {
            let _ = child.kill();
            panic!("dossier did not quit; screen:\n{}", screen.text());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");

    let json = show_json(&db);
    let text = json.to_string();
    assert!(text.contains("E2E 测试"), "{text}");
    assert!(text.contains("端到端有限公司"), "{text}");
    assert!(text.contains("enterprise"), "{text}");
}
