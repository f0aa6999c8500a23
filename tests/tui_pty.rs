//! End to end: the real binary in a pseudo-terminal. Declines the demo,
//! adds a customer through the form, quits, and reads it back with
//! `dossier show --json`.

use std::path::Path;
use std::time::{Duration, Instant};

mod support;
use support::pty::Session;

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

#[test]
fn a_panic_restores_the_terminal_and_shows_the_message_and_log_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("panic.db");
    let logs = dir.path().join("logs");
    let mut cmd = Session::command(&db);
    cmd.env("DOSSIER_CONFIG_DIR", dir.path());
    cmd.env("DOSSIER_LOG_DIR", &logs);
    cmd.env("DOSSIER_TEST_PANIC", "1");
    cmd.env("RUST_BACKTRACE", "0");
    let (status, bytes) = Session::spawn(cmd, 24, 80).finish();
    assert!(!status.success());
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

/// The process state letter from /proc (T: stopped).
#[cfg(target_os = "linux")]
fn proc_state(pid: i32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit(')')
        .next()
        .and_then(|rest| rest.trim().chars().next())
        .unwrap_or('?')
}

/// User + system CPU time of a process, in clock ticks.
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: i32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    // After the name: state is field 3, utime 14 and stime 15 (1-based).
    fields
        .get(11)
        .and_then(|u| u.parse::<u64>().ok())
        .unwrap_or(0)
        + fields
            .get(12)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0)
}

#[cfg(target_os = "linux")]
fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(15) {
        if cond() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting until {what}");
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_z_suspends_with_the_terminal_restored_and_fg_redraws() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tstp.db");
    let mut s = Session::start(&db, dir.path());
    s.screen.wait_for("Load the demo book");
    s.send("n");
    s.send("a");
    s.screen.wait_for("New customer");
    let pid = s.child.process_id().unwrap() as i32;
    s.send("\x1a"); // Ctrl-Z
    wait_until("the UI stopped", || proc_state(pid) == 'T');
    // What the UI wrote before it stopped reaches the screen through the
    // reader thread: wait for it rather than race it.
    wait_until("the suspended UI left the alternate screen", || {
        !s.in_alternate_screen()
    });
    // A stopped UI must not have left the form's text on the shell's screen.
    if let Ok(mut p) = s.screen.parser.lock() {
        p.process(b"\x1b[2J");
    }
    // SAFETY: continuing the child this test started, as `fg` does.
    unsafe {
        libc::kill(pid, libc::SIGCONT);
    }
    wait_until("the UI runs again", || proc_state(pid) != 'T');
    s.screen.wait_for("New customer");
    wait_until("the UI is back on the alternate screen", || {
        s.in_alternate_screen()
    });
    // kill -TSTP from outside suspends the same way.
    // SAFETY: signalling the child this test started.
    unsafe {
        libc::kill(pid, libc::SIGTSTP);
    }
    wait_until("the UI stopped on SIGTSTP", || proc_state(pid) == 'T');
    wait_until("the UI left the alternate screen on SIGTSTP", || {
        !s.in_alternate_screen()
    });
    // SAFETY: as above.
    unsafe {
        libc::kill(pid, libc::SIGCONT);
        libc::kill(pid, libc::SIGTERM);
    }
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 128 + libc::SIGTERM as u32, "{status:?}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(!s.in_alternate_screen(), "the terminal was not restored");
}

#[cfg(target_os = "linux")]
#[test]
fn sigquit_restores_the_terminal_and_signals_exit_with_128_plus_the_signal() {
    for signal in [libc::SIGQUIT, libc::SIGHUP] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("quit.db");
        let mut s = Session::start(&db, dir.path());
        s.screen.wait_for("Load the demo book");
        s.send("n");
        s.screen.wait_for("No customers yet");
        let pid = s.child.process_id().unwrap() as i32;
        // SAFETY: signalling the child this test started.
        unsafe {
            libc::kill(pid, signal);
        }
        let status = s.wait_exit();
        assert_eq!(
            status.exit_code(),
            128 + signal as u32,
            "{signal}: {status:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
        assert!(
            !s.in_alternate_screen(),
            "{signal}: the terminal was not restored"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_big_paste_lands_in_the_field_in_one_go_without_a_busy_loop() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("paste.db");
    let mut s = Session::start(&db, dir.path());
    s.screen.wait_for("Load the demo book");
    s.send("n");
    s.send("a");
    s.screen.wait_for("New customer");
    // A bracketed paste of 3,000 bytes (more than crossterm reads at once),
    // with a line break that must not act as a key.
    let mut paste = String::from("\x1b[200~Pasted");
    paste.push_str(&"名".repeat(990));
    paste.push_str("\r\x1b[201~");
    s.send(&paste);
    // The field shows the end of its text: the paste arrived whole (a
    // run of 名 wider than the 16-column label column leaves at 80).
    s.screen.wait_for(&"名".repeat(28));
    let pid = s.child.process_id().unwrap() as i32;
    // Idle after the paste: a busy loop would burn a whole core.
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_ticks(pid) - before;
    // SAFETY: sysconf has no memory effects.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    assert!(used < hz, "{used} ticks of CPU in 2 s idle (a busy loop)");
    // The form is still open (the line break did not save or close it).
    assert!(s.screen.text().contains("New customer"));
    s.send("\x1b");
    s.send("y");
    s.send("q");
    s.wait_exit();
}
