//! SIGTERM, SIGHUP and SIGINT for the terminal UI: instead of dying with the
//! terminal in raw mode and the alternate screen, the UI is asked to quit,
//! which restores the terminal on its ordinary exit path.
//!
//! Only the UI installs this: a command-line run keeps the default
//! disposition, so `kill` ends it at once (its writes are transactions).

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_signal(_: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Routes SIGTERM, SIGHUP and SIGINT to [`quit_requested`]. Call once when
/// the terminal UI starts; its loop checks the flag at least every 100 ms.
pub fn install() {
    #[cfg(unix)]
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::signal(libc::SIGTERM, handler);
        libc::signal(libc::SIGHUP, handler);
        libc::signal(libc::SIGINT, handler);
    }
}

/// True once one of the signals arrived.
pub fn quit_requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
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
    }
}
