//! Signals for the terminal UI. SIGTERM, SIGHUP, SIGINT and SIGQUIT: instead
//! of dying with the terminal in raw mode and the alternate screen, the UI
//! is asked to quit, which restores the terminal on its ordinary exit path,
//! and dossier then exits with 128 + the signal's number, as a shell expects
//! of a process a signal ended. SIGTSTP (`kill -TSTP`; Ctrl-Z is a key in raw
//! mode) asks the UI to hand the terminal back and stop until `fg`.
//!
//! Only the UI installs this: a command-line run keeps the default
//! disposition, so `kill` ends it at once (its writes are transactions).

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// The number of the signal that asked the UI to quit; 0 for none.
static REQUESTED: AtomicI32 = AtomicI32::new(0);
static SUSPEND: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_signal(signal: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    REQUESTED.store(signal, Ordering::SeqCst);
}

#[cfg(unix)]
extern "C" fn on_suspend(_: libc::c_int) {
    SUSPEND.store(true, Ordering::SeqCst);
}

/// Routes SIGTERM, SIGHUP, SIGINT and SIGQUIT to [`quit_requested`] and
/// SIGTSTP to [`take_suspend`]. Call once when the terminal UI starts; its
/// loop checks the flags at least every 100 ms.
pub fn install() {
    #[cfg(unix)]
    // SAFETY: the handlers only store to atomics, which is async-signal-safe.
    unsafe {
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::signal(libc::SIGTERM, handler);
        libc::signal(libc::SIGHUP, handler);
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGQUIT, handler);
        let suspend = on_suspend as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::signal(libc::SIGTSTP, suspend);
    }
}

/// True once one of the quitting signals arrived.
pub fn quit_requested() -> bool {
    REQUESTED.load(Ordering::SeqCst) != 0
}

/// The signal that ended the UI, if one did.
pub fn received() -> Option<i32> {
    Some(REQUESTED.load(Ordering::SeqCst)).filter(|&s| s != 0)
}

/// True once after a SIGTSTP arrived.
pub fn take_suspend() -> bool {
    SUSPEND.swap(false, Ordering::SeqCst)
}

/// Stops this process until it is continued (`fg` sends SIGCONT). SIGSTOP,
/// unlike SIGTSTP, cannot be caught, so this really stops.
pub fn stop_until_continued() {
    #[cfg(unix)]
    // SAFETY: raising a signal has no memory effects.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn sigterm_sets_the_flag_instead_of_ending_the_process() {
        install();
        assert!(!quit_requested());
        // SAFETY: raising a signal whose handler is installed above.
        unsafe {
            libc::raise(libc::SIGTERM);
        }
        assert!(quit_requested());
        assert_eq!(received(), Some(libc::SIGTERM));
    }
}
