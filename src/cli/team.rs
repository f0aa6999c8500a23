//! `dossier team …` and `dossier copy …`: team books on PostgreSQL.

use super::args::{Cli, Command, TeamCommand};
use crate::store::engine::{self, copy, team};
use anyhow::{anyhow, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Runs the team-book commands, and stops every other command from treating
/// a `postgres://` URL as a file name. None: not ours, go on.
pub fn run(cli: &Cli, db: &Path) -> Result<Option<ExitCode>> {
    let db = db.to_string_lossy();
    match &cli.command {
        Some(Command::Team(cmd)) => {
            if !engine::is_server_url(&db) {
                return Err(anyhow!(
                    "dossier team works on a team book: give it with --db postgres://user@host/dbname (or DOSSIER_DB)"
                ));
            }
            team_command(&db, cmd)?;
            Ok(Some(ExitCode::SUCCESS))
        }
        Some(Command::Copy { from, to, owner }) => {
            copy_command(from, to, owner.as_deref())?;
            Ok(Some(ExitCode::SUCCESS))
        }
        Some(Command::Doctor { json }) if engine::is_server_url(&db) => {
            let report = team::doctor(&db)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                for check in &report.checks {
                    let mark = if check.problems.is_empty() {
                        "ok  "
                    } else {
                        "FAIL"
                    };
                    println!("{mark}  {}", check.name);
                    for p in &check.problems {
                        println!("        {p}");
                    }
                }
                for note in &report.notes {
                    println!("note  {note}");
                }
            }
            Ok(Some(if report.is_healthy() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }))
        }
        Some(Command::Gen { .. } | Command::CrashWriter { .. }) if engine::is_server_url(&db) => {
            // Check the server first: a wrong URL or a server that is down
            // is the message to see.
            drop(engine::connect(&db)?);
            Err(anyhow!(crate::tr!(
                "team-not-yet",
                url = engine::redact(&db),
                command = cli.command.as_ref().map_or("tui", |c| c.name()),
            )))
        }
        _ => Ok(None),
    }
}

fn team_command(url: &str, cmd: &TeamCommand) -> Result<()> {
    match cmd {
        TeamCommand::Init => {
            team::init(url)?;
            println!(
                "Team book ready at {}: roles dossier_rep and dossier_manager, row-level security on. Add members with: dossier team add-user NAME --team TEAM [--manager]",
                engine::redact(url)
            );
        }
        TeamCommand::AddUser {
            name,
            team: t,
            manager,
        } => {
            let password = team::add_user(
                url,
                &team::NewMember {
                    name,
                    team: t,
                    manager: *manager,
                },
            )?;
            let role = if *manager { "manager" } else { "rep" };
            match password {
                Some(pw) => println!(
                    "Added {name} as {role} of team {t}. Their password (shown once; change it with ALTER ROLE {name} PASSWORD '…'): {pw}"
                ),
                None => println!(
                    "{name} existed: now {role} of team {t} (their password is unchanged)"
                ),
            }
        }
    }
    Ok(())
}

fn copy_command(from: &str, to: &str, owner: Option<&str>) -> Result<()> {
    let mut err = std::io::stderr();
    // Each batch is committed with the copy's progress: Ctrl-C (or a lost
    // connection) loses at most the batch in flight, and running the same
    // command again goes on from there.
    let report = copy::copy(from, to, owner, &mut |table, rows| {
        let _ = write!(err, "\r{table}: {rows} rows ");
        true
    })?;
    let _ = writeln!(err);
    let total: u64 = report.tables.iter().map(|(_, n)| n).sum();
    if report.complete {
        println!(
            "Copied {total} rows{} from {} to {}.",
            if report.resumed { " (resumed)" } else { "" },
            engine::redact(from),
            engine::redact(to)
        );
        Ok(())
    } else {
        Err(anyhow!(
            "copy interrupted after {total} rows; run the same command again to go on"
        ))
    }
}

/// Whose records `list --mine` / `--owner NAME` keeps to: None for all.
/// Both need a team book, which says so plainly on a local one.
pub fn list_owner(
    store: &crate::store::Store,
    mine: bool,
    owner: Option<String>,
) -> Result<Option<String>> {
    if !mine && owner.is_none() {
        return Ok(None);
    }
    let Some(me) = store.team_role()? else {
        return Err(anyhow!("{}", crate::tr!("cli-owner-needs-team")));
    };
    Ok(Some(if mine { me } else { owner.unwrap_or(me) }))
}

/// A `list` line with the record's owner after its id (team books).
pub fn owned_line(line: &str, owner: Option<&str>) -> String {
    let id_end = line
        .find(|c: char| c != ' ')
        .and_then(|start| line[start..].find(' ').map(|n| start + n))
        .unwrap_or(line.len());
    let (id, rest) = line.split_at(id_end);
    format!(
        "{id}  {}{rest}",
        super::output::pad(owner.unwrap_or("-"), 12)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_owner_goes_after_the_id() {
        assert_eq!(
            super::owned_line("     12  张伟  上海", Some("ann")),
            "     12  ann           张伟  上海"
        );
    }
}
