//! Crash safety: a writer process is killed with SIGKILL at random moments;
//! every write it reported committed must survive, the file must pass
//! `PRAGMA integrity_check`, and no edit may be half applied.

use chrono::NaiveDate;
use dossier::cli::crash_writer::version_mark;
use dossier::domain::Clock;
use dossier::store::{Page, Store, Visibility};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use std::time::Instant;

/// A seeded generator so a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// The highest version reported committed, per record.
type Reported = BTreeMap<(String, i64), i64>;

/// When to kill a writer: after it reported `after_commits` commits (0:
/// during start-up), plus `extra` — so kills land at every stage however
/// fast or loaded the machine is.
#[derive(Debug, Clone, Copy)]
struct KillAt {
    after_commits: usize,
    extra: Duration,
}

fn parse(line: &str) -> (String, i64, i64) {
    let parts: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(parts.len(), 4, "odd line {line:?}");
    assert_eq!(parts[0], "committed");
    (
        parts[1].to_string(),
        parts[2].parse().unwrap(),
        parts[3].parse().unwrap(),
    )
}

/// Runs the writer once and kills it with SIGKILL at `at`; returns the
/// complete "committed" lines it printed.
fn run_and_kill(db: &Path, seed: u64, at: KillAt) -> Vec<(String, i64, i64)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(["__crash-writer", "--seed", &seed.to_string()])
        .env("DOSSIER_NOW", "2026-11-23")
        .env("DOSSIER_LOG_DIR", db.with_extension("logs"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the writer");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = mpsc::channel::<String>();
    // Lines as they come; a line cut by the kill has no newline and was
    // not fully reported, so it is dropped.
    let reader = std::thread::spawn(move || {
        let mut line = String::new();
        while matches!(stdout.read_line(&mut line), Ok(n) if n > 0) {
            if line.ends_with('\n') && tx.send(line.trim_end().to_string()).is_err() {
                break;
            }
            line.clear();
        }
    });
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while lines.len() < at.after_commits {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => lines.push(l),
            Err(_) => break,
        }
    }
    std::thread::sleep(at.extra);
    // SIGKILL on unix: no destructor, no rollback, no flush runs.
    child.kill().expect("kill the writer");
    child.wait().unwrap();
    reader.join().unwrap();
    lines.extend(rx.try_iter());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        err.trim().is_empty(),
        "the writer failed before it was killed (seed {seed}): {err}"
    );
    lines.iter().map(|l| parse(l)).collect()
}

fn integrity_ok(store: &Store) {
    let check: String = store
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let fk: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0, "foreign key violations");
}

/// Every reported commit is there, at that version or later, and every
/// record's parts agree with its version.
fn verify(db: &Path, reported: &Reported) {
    let mut store =
        Store::open_with_clock(db, clock()).expect("the database opens after the kills");
    integrity_ok(&store);
    for ((kind, id), version) in reported {
        let (found, mark) = match kind.as_str() {
            "customer" => {
                let c = store.customer(*id).expect("reported customer is there");
                (c.meta.version, c.notes)
            }
            "opportunity" => {
                let o = store.opportunity(*id).expect("reported deal is there");
                (o.meta.version, o.next_step)
            }
            "activity" => {
                let a = store.activity(*id).expect("reported touch is there");
                (a.meta.version, a.summary)
            }
            other => panic!("unexpected kind {other}"),
        };
        assert!(
            found >= *version,
            "{kind} {id}: reported version {version} committed, found {found}"
        );
        assert_eq!(mark, version_mark(found), "{kind} {id} is half applied");
    }
    // Every record, reported or not, agrees with itself.
    let all = Page {
        after: 0,
        limit: 1 << 30,
        visibility: Visibility::All,
    };
    for c in store.customers(all).unwrap() {
        assert_eq!(c.notes, version_mark(c.meta.version), "customer {:?}", c);
    }
    for o in store.opportunities(all).unwrap() {
        assert_eq!(
            o.next_step,
            version_mark(o.meta.version),
            "deal {}",
            o.meta.id
        );
        assert!(!o.items.is_empty(), "deal {} lost its lines", o.meta.id);
        assert_eq!(o.amount, o.items_total(), "deal {} amount/lines", o.meta.id);
    }
    for a in store.activities(all).unwrap() {
        assert_eq!(
            a.summary,
            version_mark(a.meta.version),
            "touch {}",
            a.meta.id
        );
    }
    // Tags are written in the write's transaction: every live record's tags
    // are what the rules give it, and agree with their history.
    let report = store.doctor().unwrap();
    assert!(report.is_healthy(), "doctor: {report:?}");
    assert!(
        report
            .checks
            .iter()
            .any(|c| c.name == "tags agree with the rules"),
        "tags were compared with the rules: {report:?}"
    );
    let tagged: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM tag_sets WHERE tags != char(10)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(tagged > 0, "the writes were tagged");
}

/// The day the writer (DOSSIER_NOW) and the checks agree on.
fn clock() -> Clock {
    Clock::at_date(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
}

fn kill_loop(iterations: u64, seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    // Today's sweep, so doctor compares every record's tags with the rules.
    Store::open_with_clock(&db, clock())
        .unwrap()
        .sweep(false)
        .unwrap();
    let mut rng = Rng(seed);
    let mut reported = Reported::new();
    let mut commits = 0;
    let mut planned = 0;
    for i in 0..iterations {
        // Short lives, so kills land during start-up and the first writes
        // as well as in the middle of a run and of a commit.
        let at = KillAt {
            after_commits: rng.below(5) as usize,
            extra: Duration::from_millis(rng.below(25)),
        };
        planned += at.after_commits;
        for (kind, id, version) in run_and_kill(&db, seed.wrapping_add(i), at) {
            commits += 1;
            let v = reported.entry((kind, id)).or_insert(0);
            *v = (*v).max(version);
        }
        if i % 25 == 24 {
            verify(&db, &reported);
        }
    }
    verify(&db, &reported);
    eprintln!(
        "{iterations} kills, {commits} reported commits on {} records",
        reported.len()
    );
    assert!(
        commits >= planned,
        "only {commits} commits reported, {planned} waited for: the writer stalled"
    );
}

#[test]
fn reported_commits_survive_sigkill_100_times() {
    kill_loop(100, 0x5eed_0001);
}

/// The long run: `cargo test --test crash -- --ignored`.
#[test]
#[ignore]
fn reported_commits_survive_sigkill_1000_times() {
    kill_loop(1000, 0x5eed_0002);
}
