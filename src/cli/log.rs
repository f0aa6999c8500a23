//! The log file and the panic report.
//!
//! Logs go to `<state dir>/dossier/dossier.log` (the data dir where there is
//! no state dir; `DOSSIER_LOG_DIR` overrides), created 0600 in a 0700
//! directory, never to the screen. `DOSSIER_LOG` sets the level filter
//! (default `info`). Above debug level nothing names a customer: log ids and
//! counts, never names, emails or phones.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where the log file goes.
pub fn log_path() -> PathBuf {
    let dir = match std::env::var_os("DOSSIER_LOG_DIR").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => match directories::ProjectDirs::from("", "", "dossier") {
            Some(dirs) => dirs
                .state_dir()
                .unwrap_or_else(|| dirs.data_dir())
                .to_path_buf(),
            None => std::env::temp_dir().join("dossier"),
        },
    };
    dir.join("dossier.log")
}

fn open_private(path: &Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.exists()) {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir)?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A link planted at the log's name must not make dossier append to
        // whatever it points at; dossier then runs without a log.
        o.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    o.open(path)
}

/// A log past this size is moved to `dossier.log.1` (replacing the one
/// before) when dossier starts, so the log never grows without bound.
const ROTATE_AT: u64 = 8 << 20;

fn rotate(path: &Path) {
    if std::fs::metadata(path).is_ok_and(|m| m.len() > ROTATE_AT) {
        let _ = std::fs::rename(path, path.with_extension("log.1"));
    }
}

/// Starts logging to the log file. Returns its path, or `None` when it
/// cannot be written (dossier then runs without a log rather than failing).
pub fn init() -> Option<PathBuf> {
    let path = log_path();
    rotate(&path);
    let file = open_private(&path).ok()?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("DOSSIER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(path)
}

/// On a panic: log it (with a backtrace), and tell the person what happened
/// and where the log is — only that: Rust's own panic text and backtrace
/// mean nothing to a salesperson, so the default hook is not run. (A
/// terminal UI chains its own hook in front of this one to restore the
/// terminal first.)
pub fn install_panic_hook(log: Option<PathBuf>) {
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(%place, "panic: {message}");
        tracing::error!("backtrace:\n{}", std::backtrace::Backtrace::force_capture());
        let clean = crate::domain::text::sanitize_for_terminal(&message);
        match &log {
            Some(p) => eprintln!(
                "{}",
                crate::tr!(
                    "panic-with-log",
                    message = clean.as_str(),
                    place = place.as_str(),
                    log = p.display().to_string()
                )
            ),
            None => eprintln!(
                "{}",
                crate::tr!(
                    "panic-no-log",
                    message = clean.as_str(),
                    place = place.as_str()
                )
            ),
        }
    }));
}
