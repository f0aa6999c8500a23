//! `dossier team …` and `dossier copy …` as a person runs them, against the
//! test server (see `pg_support`; `pg_store.rs` reports when it is missing).

mod pg_support;

use std::process::{Command, Output};

fn dossier(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .env_remove("DOSSIER_DB")
        .env(
            "XDG_DATA_HOME",
            std::env::temp_dir().join("dossier-pg-cli-unused"),
        )
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn set_up_a_team_add_members_copy_a_book_up_and_down() {
    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let url = pg_support::fresh_database(pg, "cli");
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("mine.db");
    let book = book.to_str().unwrap();
    let o = dossier(&["--db", book, "demo"]);
    assert!(o.status.success(), "{}", text(&o));

    let o = dossier(&["--db", &url, "doctor"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("not set up for a team"), "{}", text(&o));

    let o = dossier(&["--db", &url, "team", "init"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Team book ready"), "{}", text(&o));

    let name = format!("rep_{}", std::process::id());
    let o = dossier(&["--db", &url, "team", "add-user", &name, "--team", "north"]);
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    let pw = out.rsplit(": ").next().unwrap().trim().to_string();
    assert_eq!(pw.len(), 64, "{out}");

    let o = dossier(&["--db", &url, "doctor"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("the book's owner"), "{}", text(&o));
    assert!(!text(&o).contains("FAIL"), "{}", text(&o));

    // Up into the team book, owned by the new member.
    let o = dossier(&["copy", "--from", book, "--to", &url, "--owner", &name]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Copied"), "{}", text(&o));

    // The member sees them with their own login.
    let member = pg_support::as_user(&url, &format!("{name}:{pw}"));
    let mut c = dossier::store::engine::connect(&member).unwrap();
    let seen: i64 = c
        .query_one("SELECT count(*) FROM customers", &[])
        .unwrap()
        .get(0);
    assert!(seen > 0);

    let o = dossier(&["--db", &member, "doctor"]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("rep of team north"), "{t}");
    assert!(
        t.contains(&format!("records you can see: {seen} customers")),
        "{t}"
    );

    // And down again into a new file, which then works as a book.
    let down = dir.path().join("down.db");
    let down = down.to_str().unwrap();
    let o = dossier(&["copy", "--from", &url, "--to", down]);
    assert!(o.status.success(), "{}", text(&o));
    let a = dossier(&[
        "--db",
        book,
        "list",
        "customers",
        "--json",
        "--limit",
        "1000",
    ]);
    let b = dossier(&[
        "--db",
        down,
        "list",
        "customers",
        "--json",
        "--limit",
        "1000",
    ]);
    assert!(a.status.success() && b.status.success());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn a_team_book_says_what_works_and_a_dead_server_says_so_at_once() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = format!("postgres://ann:secret@127.0.0.1:{port}/sales");
    for args in [
        vec!["--db", &dead, "list", "customers"],
        vec!["--db", &dead, "team", "init"],
        vec!["copy", "--from", &dead, "--to", "/nonexistent/x.db"],
    ] {
        let o = dossier(&args);
        assert!(!o.status.success());
        let t = text(&o);
        assert!(t.contains("cannot open the team book"), "{args:?}: {t}");
        assert!(!t.contains("secret"), "{t}");
    }
    let o = dossier(&[
        "copy",
        "--from",
        "/nonexistent/book.db",
        "--to",
        "/tmp/x.db",
    ]);
    assert!(
        text(&o).contains("no book at /nonexistent/book.db"),
        "{}",
        text(&o)
    );
    let o = dossier(&["--db", "/tmp/not-a-server.db", "team", "init"]);
    assert!(text(&o).contains("postgres://"), "{}", text(&o));

    let Some(pg) = pg_support::server_or_skip() else {
        return;
    };
    let url = pg_support::fresh_database(pg, "cli_open");
    // The core commands work on a team book, through --db or DOSSIER_DB.
    let o = dossier(&["--db", &url, "add", "customer", "--name", "Team Ann"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["list", "customers"])
        .env("DOSSIER_DB", &url)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Team Ann"), "{}", text(&o));
    // What does not work there yet says so and names the command.
    let o = dossier(&["--db", &url, "gen", "--customers", "10"]);
    assert!(!o.status.success());
    let t = text(&o);
    assert!(
        t.contains("dossier gen does not work on a team book yet") && t.contains("dossier copy"),
        "{t}"
    );
}

/// `db = "…"` in the config file picks the book when neither --db nor
/// DOSSIER_DB does: a file, or a team book.
#[test]
fn the_config_file_can_name_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("dossier")).unwrap();
    let book = dir.path().join("configured.db");
    let run = |db: &str, args: &[&str]| {
        std::fs::write(config.join("dossier/config.toml"), format!("db = {db:?}\n")).unwrap();
        Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .env_remove("DOSSIER_DB")
            .env("XDG_CONFIG_HOME", &config)
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .output()
            .unwrap()
    };
    let o = run(
        book.to_str().unwrap(),
        &["add", "customer", "--name", "Configured"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(book.exists());
    assert!(!dir.path().join("data").exists());

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let o = run(
        &format!("postgres://ann@127.0.0.1:{port}/sales"),
        &["list", "customers"],
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("cannot open the team book"),
        "{}",
        text(&o)
    );
}
