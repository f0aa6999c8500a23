//! A throwaway PostgreSQL server for the tests.
//!
//! `DOSSIER_TEST_PG_URL=postgres://user@host:port/db` points the tests at a
//! server you run (the user must be allowed to create databases and roles).
//! Otherwise the first test that asks starts a cluster of its own from the
//! machine's server binaries (`initdb`, `pg_ctl`, on PATH or in
//! `/usr/lib/postgresql/*/bin`): a temporary folder, a free 127.0.0.1 port,
//! trust authentication for local connections only, run as the `postgres`
//! user when the tests run as root (the server refuses root). It is stopped
//! when the test process exits, also when tests panicked.
//!
//! Without a server and without the binaries, [`server`] returns `None` and
//! says so on stderr; the test `postgres_suite_ran` in `tests/pg_store.rs`
//! then fails unless `DOSSIER_SKIP_PG=1` says that skipping is intended, so
//! the PostgreSQL suite never passes silently.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

/// A running server: where to connect as its superuser.
pub struct PgServer {
    /// `postgres://admin@127.0.0.1:PORT/postgres`
    pub admin_url: String,
    /// The cluster this process started (None for DOSSIER_TEST_PG_URL).
    own: Option<OwnCluster>,
}

struct OwnCluster {
    pg_ctl: PathBuf,
    data: PathBuf,
    as_postgres: bool,
    _dir: tempfile::TempDir,
}

impl OwnCluster {
    fn stop(&self) {
        let mut c = pg_command(&self.pg_ctl, self.as_postgres);
        c.arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let _ = c.status();
    }
}

/// Stops the cluster when dropped (the process-wide one is stopped at exit).
impl Drop for OwnCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

static SERVER: OnceLock<Result<PgServer, String>> = OnceLock::new();
/// The cluster to stop at process exit (statics are never dropped).
static AT_EXIT: Mutex<Option<(PathBuf, PathBuf, bool)>> = Mutex::new(None);

extern "C" fn stop_at_exit() {
    if let Ok(mut g) = AT_EXIT.lock() {
        if let Some((pg_ctl, data, as_postgres)) = g.take() {
            let _ = pg_command(&pg_ctl, as_postgres)
                .arg("-D")
                .arg(&data)
                .args(["-m", "immediate", "-w", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            if let Some(dir) = data.parent() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

/// The test server, started on first use; None (with a note on stderr)
/// when there is none to be had.
pub fn server() -> Option<&'static PgServer> {
    SERVER
        .get_or_init(|| {
            start(false).inspect_err(|why| eprintln!("PostgreSQL tests NOT RUN: {why}"))
        })
        .as_ref()
        .ok()
}

/// Why there is no test server (None when there is one).
pub fn why_not() -> Option<String> {
    server();
    SERVER.get().and_then(|r| r.as_ref().err().cloned())
}

/// True when skipping the PostgreSQL suite was asked for.
pub fn skip_allowed() -> bool {
    std::env::var("DOSSIER_SKIP_PG").is_ok_and(|v| v == "1")
}

/// A new empty database on the test server, named uniquely in this run;
/// returns its URL (as the superuser).
pub fn fresh_database(server: &PgServer, label: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "t_{}_{}_{}",
        label,
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = postgres::Client::connect(&server.admin_url, postgres::NoTls)
        .expect("connect to the test server");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    with_database(&server.admin_url, &name)
}

/// `url` with its database replaced.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("a URL with a database");
    format!("{base}/{db}")
}

/// `url` with its user replaced (trust authentication on the test server).
pub fn as_user(url: &str, user: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = rest.split_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://{user}@{host}")
}

fn pg_command(program: &Path, as_postgres: bool) -> Command {
    if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn find_binary(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    });
    on_path.or_else(|| {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name)))
            .filter(|f| f.is_file())
            .collect();
        found.sort();
        found.pop()
    })
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A server of this process's own with TLS on (a self-signed certificate
/// for 127.0.0.1, returned as PEM); None when the binaries or `openssl` are
/// missing, or the tests use DOSSIER_TEST_PG_URL. Call at most once.
pub fn tls_server() -> Option<(&'static PgServer, Vec<u8>)> {
    if std::env::var("DOSSIER_TEST_PG_URL").is_ok_and(|u| !u.is_empty()) {
        return None;
    }
    let s = SERVER.get_or_init(|| start(true)).as_ref().ok()?;
    let own = s.own.as_ref()?;
    let cert = std::fs::read(own.data.join("server.crt")).ok()?;
    Some((s, cert))
}

fn start(tls: bool) -> Result<PgServer, String> {
    if let Some(url) = std::env::var("DOSSIER_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        postgres::Client::connect(&url, postgres::NoTls)
            .map_err(|e| format!("DOSSIER_TEST_PG_URL={url} cannot be reached: {e}"))?;
        return Ok(PgServer {
            admin_url: url,
            own: None,
        });
    }
    stop_abandoned_clusters();
    let initdb = find_binary("initdb").ok_or("initdb is not installed (no PostgreSQL server binaries on PATH or in /usr/lib/postgresql/*/bin); install the postgresql package or set DOSSIER_TEST_PG_URL")?;
    let pg_ctl = find_binary("pg_ctl").ok_or("pg_ctl is not installed")?;
    let as_postgres = is_root();
    let dir = tempfile::Builder::new()
        .prefix("dossier-pg-")
        .tempdir()
        .map_err(|e| format!("temporary folder: {e}"))?;
    let data = dir.path().join("data");
    // Who started it: a later run stops it if this process dies without
    // running its exit handler (SIGKILL, Ctrl-C).
    std::fs::write(dir.path().join("owner.pid"), std::process::id().to_string())
        .map_err(|e| format!("temporary folder: {e}"))?;
    if as_postgres {
        use std::os::unix::fs::PermissionsExt;
        // The server runs as `postgres`: it must own the folder.
        let uid = user_id("postgres")
            .ok_or("the tests run as root and there is no `postgres` user to run the server as")?;
        std::os::unix::fs::chown(dir.path(), Some(uid.0), Some(uid.1))
            .map_err(|e| format!("chown the test cluster folder: {e}"))?;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))
            .map_err(|e| e.to_string())?;
    }
    let out = pg_command(&initdb, as_postgres)
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "dossier_admin",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        ])
        .output()
        .map_err(|e| format!("cannot run initdb: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut ssl = String::new();
    if tls {
        let out = pg_command(Path::new("openssl"), as_postgres)
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            ])
            .args([
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ])
            .arg("-keyout")
            .arg(data.join("server.key"))
            .arg("-out")
            .arg(data.join("server.crt"))
            .output()
            .map_err(|e| format!("cannot run openssl: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "openssl failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        ssl = " -c ssl=on".into();
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100 -c shared_buffers=32MB{ssl}",
        dir.path().display()
    );
    let log = dir.path().join("server.log");
    let out = pg_command(&pg_ctl, as_postgres)
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(&log)
        .args(["-o", &opts, "-w", "-t", "60", "start"])
        .output()
        .map_err(|e| format!("cannot run pg_ctl: {e}"))?;
    let cluster = OwnCluster {
        pg_ctl: pg_ctl.clone(),
        data: data.clone(),
        as_postgres,
        _dir: dir,
    };
    if !out.status.success() {
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        return Err(format!(
            "the test server did not start: {}{log}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    *AT_EXIT.lock().unwrap() = Some((pg_ctl, data, as_postgres));
    // SAFETY: registers a plain extern "C" function without arguments.
    unsafe { libc::atexit(stop_at_exit) };
    Ok(PgServer {
        admin_url: format!("postgres://dossier_admin@127.0.0.1:{port}/postgres"),
        own: Some(cluster),
    })
}

/// Stops and removes the clusters of earlier test processes that died
/// before their exit handler ran.
fn stop_abandoned_clusters() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let dir = e.path();
        if !e.file_name().to_string_lossy().starts_with("dossier-pg-") {
            continue;
        }
        let Ok(pid) = std::fs::read_to_string(dir.join("owner.pid")) else {
            continue;
        };
        if Path::new("/proc").join(pid.trim()).exists() {
            continue;
        }
        if let Some(pg_ctl) = find_binary("pg_ctl") {
            let _ = pg_command(&pg_ctl, is_root())
                .arg("-D")
                .arg(dir.join("data"))
                .args(["-m", "immediate", "-w", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// (uid, gid) of a user, from /etc/passwd.
fn user_id(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.first() == Some(&name) && f.len() > 3)
            .then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))
            .flatten()
    })
}

/// The server, or the reason the calling test returns early. Use as
/// `let Some(pg) = pg_support::server_or_skip() else { return };`.
pub fn server_or_skip() -> Option<&'static PgServer> {
    let s = server();
    if s.is_none() {
        eprintln!("(skipped: no PostgreSQL server — see postgres_suite_ran)");
    }
    s
}

/// A store on a new empty database of the test server, with `clock`.
pub fn store_on_server(
    server: &PgServer,
    label: &str,
    clock: dossier::domain::Clock,
) -> dossier::store::Store {
    let url = fresh_database(server, label);
    dossier::store::Store::open_with_clock(std::path::Path::new(&url), clock)
        .expect("open a team book on the test server")
}
