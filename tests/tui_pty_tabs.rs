//! End to end: the real binary in a pseudo-terminal on the demo book.
//! Creates a deal for a demo customer who never bought, marks it won, and
//! sees the customer's value and lifecycle tags change — on the status
//! line, and afterwards with `dossier why`.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-23";

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

    /// Waits until `needle` is on screen; panics with the screen after 20 s.
    fn wait_for(&self, needle: &str) -> String {
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

fn dossier(db: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("DOSSIER_NOW", NOW)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_won_deal_retags_its_customer_in_the_terminal_ui() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e-tabs.db");
    dossier(&db, &["demo"]);
    // 黄丽 (customer 8) has not bought yet in the demo book.
    let before = dossier(&db, &["why", "customer", "8"]);
    assert!(
        before
            .lines()
            .any(|l| l.split_whitespace().take(2).eq(["status", "prospect"])),
        "{before}"
    );

    let (rows, cols) = (40, 120);
    let pty = native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.arg("--db");
    cmd.arg(&db);
    cmd.env("TERM", "xterm-256color");
    cmd.env("DOSSIER_CONFIG_DIR", dir.path());
    cmd.env("DOSSIER_NOW", NOW);
    cmd.env_remove("NO_COLOR");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);

    let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
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
        std::thread::sleep(Duration::from_millis(150));
    };
    let screen = Screen { parser };

    screen.wait_for("Customers");
    send("3");
    screen.wait_for("Opportunities 1/70");
    send("a");
    screen.wait_for("New deal");
    send("黄丽 lab equipment");
    send("\t");
    send("黄丽"); // opens the customer picker
    screen.wait_for("#8 黄丽");
    send("\r"); // pick
    send("800k");
    send("\x13"); // Ctrl-S
    screen.wait_for("Added deal 黄丽 lab equipment");
    send("W");
    screen.wait_for("Why?");
    send("fastest delivery");
    send("\r");
    let text = screen.wait_for("Saved deal 黄丽 lab equipment");
    let status = text.lines().last().unwrap_or("").to_string();
    assert!(status.contains("黄丽 "), "{status}");
    assert!(status.contains("lifecycle: – → new"), "{status}");
    assert!(status.contains("value: "), "{status}");
    send("q");

    let start = Instant::now();
    let exit = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(15) {
            let _ = child.kill();
            panic!("dossier did not quit; screen:\n{}", screen.text());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status {exit:?}");

    let after = dossier(&db, &["why", "customer", "8"]);
    // `why` lists each tag as: dimension, value, the reason in words.
    let tagged = |dim: &str, value: &str| {
        after
            .lines()
            .any(|l| l.split_whitespace().take(2).eq([dim, value]))
    };
    assert!(tagged("lifecycle", "new"), "{after}");
    assert!(tagged("status", "existing"), "{after}");
    assert!(tagged("value", "high"), "{after}");
}
