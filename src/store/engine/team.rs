//! Who sees what in a team book, enforced by PostgreSQL.
//!
//! `dossier team init` (run by the book's administrator, the role that owns
//! the tables) adds an owner role and a team to every record, creates the
//! group roles `dossier_rep` and `dossier_manager` and turns on row-level
//! security:
//!
//! - a rep reads every record of their team and writes (adds, changes,
//!   deletes) only their own;
//! - a manager reads and writes every record of their team;
//! - nobody sees or touches another team's records, whatever SQL they send.
//!
//! A record's tags, tag history and a deal's line items follow the record
//! they belong to. Members are listed in `team_members` (role, team,
//! manager), which only the administrator can change; `dossier team
//! add-user` creates the login role and its row.

use super::{connect, pg_schema, server_error, Result, StoreError};

/// The record tables: owner and team columns, and the four policies.
const RECORD_TABLES: [&str; 4] = ["customers", "products", "opportunities", "activities"];

/// Roles, membership and the policy functions. Idempotent: running `team
/// init` again changes nothing and repairs what is missing.
const TEAM_SETUP: &str = r#"
DO $$ BEGIN
    CREATE ROLE dossier_rep NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$ BEGIN
    CREATE ROLE dossier_manager NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

CREATE TABLE IF NOT EXISTS team_members (
    role_name TEXT PRIMARY KEY,
    team      TEXT NOT NULL,
    manager   BOOLEAN NOT NULL DEFAULT false
);

-- Read team_members as its owner: members need not (and cannot) read or
-- change the list themselves. The caller passes current_user.
CREATE OR REPLACE FUNCTION dossier_team_of(who TEXT) RETURNS TEXT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $f$ SELECT team FROM public.team_members WHERE role_name = who $f$;
CREATE OR REPLACE FUNCTION dossier_is_manager(who TEXT) RETURNS BOOLEAN
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $f$ SELECT coalesce((SELECT manager FROM public.team_members WHERE role_name = who), false) $f$;
-- May the current role write a record of this team and owner?
CREATE OR REPLACE FUNCTION dossier_can_write(rec_team TEXT, rec_owner TEXT) RETURNS BOOLEAN
    LANGUAGE sql STABLE
    AS $f$ SELECT rec_team = dossier_team_of(current_user::text)
                  AND (rec_owner = current_user::text OR dossier_is_manager(current_user::text)) $f$;
REVOKE ALL ON FUNCTION dossier_team_of(TEXT), dossier_is_manager(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dossier_team_of(TEXT), dossier_is_manager(TEXT), dossier_can_write(TEXT, TEXT)
    TO dossier_rep, dossier_manager;
"#;

/// Per record table: owner and team (defaulting to the one who adds it)
/// and the policies.
fn record_table_sql(t: &str) -> String {
    format!(
        r#"
ALTER TABLE {t} ADD COLUMN IF NOT EXISTS owned_by TEXT NOT NULL DEFAULT current_user;
ALTER TABLE {t} ADD COLUMN IF NOT EXISTS team TEXT;
UPDATE {t} SET team = '' WHERE team IS NULL;
ALTER TABLE {t} ALTER COLUMN team SET DEFAULT dossier_team_of(current_user::text);
ALTER TABLE {t} ALTER COLUMN team SET NOT NULL;
CREATE INDEX IF NOT EXISTS {t}_team ON {t}(team, owned_by);
-- "Mine" pages by id through one owner's records (`list --mine`, the TUI).
CREATE INDEX IF NOT EXISTS {t}_owner ON {t}(owned_by, id);
ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS dossier_read ON {t};
DROP POLICY IF EXISTS dossier_add ON {t};
DROP POLICY IF EXISTS dossier_change ON {t};
DROP POLICY IF EXISTS dossier_remove ON {t};
CREATE POLICY dossier_read ON {t} FOR SELECT USING (team = dossier_team_of(current_user::text));
CREATE POLICY dossier_add ON {t} FOR INSERT WITH CHECK (dossier_can_write(team, owned_by));
CREATE POLICY dossier_change ON {t} FOR UPDATE USING (dossier_can_write(team, owned_by))
    WITH CHECK (dossier_can_write(team, owned_by));
CREATE POLICY dossier_remove ON {t} FOR DELETE USING (dossier_can_write(team, owned_by));
"#
    )
}

/// Tables that belong to a record: visible with it; line items written
/// with their deal. Tags are derived: whoever sees a record may re-tag it
/// (a rep's change re-tags a teammate's customer).
const DEPENDENT_SETUP: &str = r#"
CREATE OR REPLACE FUNCTION dossier_record_visible(kind TEXT, rid BIGINT) RETURNS BOOLEAN
    LANGUAGE sql STABLE
    AS $f$ SELECT CASE kind
        WHEN 'customer' THEN EXISTS (SELECT 1 FROM customers WHERE id = rid)
        WHEN 'opportunity' THEN EXISTS (SELECT 1 FROM opportunities WHERE id = rid)
        WHEN 'product' THEN EXISTS (SELECT 1 FROM products WHERE id = rid)
        WHEN 'activity' THEN EXISTS (SELECT 1 FROM activities WHERE id = rid)
        ELSE false END $f$;
GRANT EXECUTE ON FUNCTION dossier_record_visible(TEXT, BIGINT) TO dossier_rep, dossier_manager;

ALTER TABLE tag_sets ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS dossier_with_record ON tag_sets;
CREATE POLICY dossier_with_record ON tag_sets USING (dossier_record_visible(record_kind, record_id))
    WITH CHECK (dossier_record_visible(record_kind, record_id));
ALTER TABLE tag_history ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS dossier_with_record ON tag_history;
CREATE POLICY dossier_with_record ON tag_history USING (dossier_record_visible(record_kind, record_id))
    WITH CHECK (dossier_record_visible(record_kind, record_id));

ALTER TABLE line_items ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS dossier_read ON line_items;
DROP POLICY IF EXISTS dossier_write ON line_items;
CREATE POLICY dossier_read ON line_items FOR SELECT
    USING (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id));
CREATE POLICY dossier_write ON line_items FOR ALL
    USING (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id AND dossier_can_write(o.team, o.owned_by)))
    WITH CHECK (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id AND dossier_can_write(o.team, o.owned_by)));

ALTER TABLE merges ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS dossier_with_record ON merges;
CREATE POLICY dossier_with_record ON merges USING (dossier_record_visible('customer', kept_id))
    WITH CHECK (dossier_record_visible('customer', kept_id));

GRANT USAGE ON SCHEMA public TO dossier_rep, dossier_manager;
GRANT SELECT, INSERT, UPDATE, DELETE ON customers, products, opportunities, activities, line_items,
    tag_sets, tag_history, merges, classify_state TO dossier_rep, dossier_manager;
GRANT SELECT ON dossier_schema TO dossier_rep, dossier_manager;
-- The search index's change log (kinds and ids, no record data), which
-- every member's writes add to through the book's triggers.
GRANT SELECT, INSERT ON search_log TO dossier_rep, dossier_manager;
GRANT SELECT ON search_state TO dossier_rep, dossier_manager;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO dossier_rep, dossier_manager;
REVOKE ALL ON team_members FROM PUBLIC;
"#;

/// Sets up the team book at `url` (schema, roles, policies). Run as the
/// role that owns (or will own) the tables.
pub fn init(url: &str) -> Result<()> {
    let mut client = connect(url)?;
    pg_schema::migrate(&mut client)?;
    let mut tx = client.transaction().map_err(server_error)?;
    tx.batch_execute("SELECT pg_advisory_xact_lock(7283960472)")
        .map_err(server_error)?;
    tx.batch_execute(TEAM_SETUP).map_err(server_error)?;
    for t in RECORD_TABLES {
        tx.batch_execute(&record_table_sql(t))
            .map_err(server_error)?;
    }
    tx.batch_execute(DEPENDENT_SETUP).map_err(server_error)?;
    tx.commit().map_err(server_error)
}

/// A member to add.
#[derive(Debug, Clone)]
pub struct NewMember<'a> {
    pub name: &'a str,
    pub team: &'a str,
    pub manager: bool,
}

/// Adds (or moves) a member: a login role in `dossier_rep` or
/// `dossier_manager`, and their team. Returns the password given to a new
/// role (None when the role existed: its password is left alone).
pub fn add_user(url: &str, m: &NewMember<'_>) -> Result<Option<String>> {
    if !valid_role_name(m.name) {
        return Err(StoreError::Refused(format!(
            "{:?} cannot be a member name — use lower-case letters, digits and _ (starting with a letter), at most 63",
            m.name
        )));
    }
    if m.team.trim().is_empty() {
        return Err(StoreError::Refused("the team name is empty".into()));
    }
    let mut client = connect(url)?;
    let mut tx = client.transaction().map_err(server_error)?;
    let ready: bool = tx
        .query_one("SELECT to_regclass('team_members') IS NOT NULL", &[])
        .map_err(server_error)?
        .get(0);
    if !ready {
        return Err(StoreError::Refused(
            "this book is not set up for a team yet — run dossier team init first".into(),
        ));
    }
    let exists: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
            &[&m.name],
        )
        .map_err(server_error)?
        .get(0);
    let (group, other) = if m.manager {
        ("dossier_manager", "dossier_rep")
    } else {
        ("dossier_rep", "dossier_manager")
    };
    let name = m.name;
    let password = if exists {
        None
    } else {
        let pw: String = tx
            .query_one(
                "SELECT replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '')",
                &[],
            )
            .map_err(server_error)?
            .get(0);
        // The name is checked above and the password is hexadecimal: both
        // are safe to spell into the statement (CREATE ROLE takes no
        // parameters).
        tx.batch_execute(&format!("CREATE ROLE {name} LOGIN PASSWORD '{pw}'"))
            .map_err(server_error)?;
        Some(pw)
    };
    tx.batch_execute(&format!(
        "GRANT {group} TO {name}; REVOKE {other} FROM {name}"
    ))
    .map_err(server_error)?;
    tx.execute(
        "INSERT INTO team_members (role_name, team, manager) VALUES ($1, $2, $3)
         ON CONFLICT (role_name) DO UPDATE SET team = excluded.team, manager = excluded.manager",
        &[&m.name, &m.team.trim(), &m.manager],
    )
    .map_err(server_error)?;
    tx.commit().map_err(server_error)?;
    Ok(password)
}

/// A role name dossier creates: a plain lower-case identifier, so it needs
/// no quoting and cannot smuggle SQL.
pub fn valid_role_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && name.len() <= 63
        && !name.starts_with("pg_")
        && !matches!(name, "dossier_rep" | "dossier_manager" | "public")
}

/// `dossier doctor` on a team book: the schema, the team setup and its
/// policies, who you are in it, and an unfinished copy.
pub fn doctor(url: &str) -> Result<crate::store::DoctorReport> {
    use crate::store::{DoctorCheck, DoctorReport};
    let mut client = connect(url)?;
    pg_schema::migrate(&mut client)?;
    let mut report = DoctorReport::default();
    let q = |c: &mut postgres::Client, sql: &str, p: &[&(dyn postgres::types::ToSql + Sync)]| {
        c.query(sql, p).map_err(server_error)
    };
    let version: i64 = q(&mut client, "SELECT max(version) FROM dossier_schema", &[])?[0].get(0);
    report.checks.push(DoctorCheck {
        name: "schema version",
        problems: if version == crate::store::SCHEMA_VERSION {
            vec![]
        } else {
            vec![format!(
                "at version {version}, this dossier writes {}",
                crate::store::SCHEMA_VERSION
            )]
        },
    });
    let team_ready: bool = q(
        &mut client,
        "SELECT to_regclass('team_members') IS NOT NULL",
        &[],
    )?[0]
        .get(0);
    let mut setup = Vec::new();
    if !team_ready {
        setup.push("not set up for a team: run dossier team init as the book's owner".to_string());
    } else {
        let tables: Vec<&str> = RECORD_TABLES
            .iter()
            .copied()
            .chain(["line_items", "tag_sets", "tag_history", "merges"])
            .collect();
        for t in &tables {
            let rows = q(
                &mut client,
                "SELECT c.relrowsecurity, (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
                 FROM pg_class c WHERE c.oid = to_regclass($1)",
                &[t],
            )?;
            match rows.first() {
                Some(r) if r.get::<_, bool>(0) && r.get::<_, i64>(1) > 0 => {}
                _ => setup.push(format!(
                    "{t}: row-level security is off or has no policy — run dossier team init again"
                )),
            }
        }
        let roles: i64 = q(
            &mut client,
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('dossier_rep', 'dossier_manager')",
            &[],
        )?[0]
            .get(0);
        if roles != 2 {
            setup.push("the roles dossier_rep and dossier_manager are missing — run dossier team init again".into());
        }
    }
    report.checks.push(DoctorCheck {
        name: "team setup and row-level security",
        problems: setup,
    });
    let unfinished: bool = q(
        &mut client,
        "SELECT to_regclass('dossier_copy') IS NOT NULL",
        &[],
    )?[0]
        .get(0);
    report.checks.push(DoctorCheck {
        name: "no unfinished copy",
        problems: if unfinished {
            vec![
                "a dossier copy into this book did not finish — run it again to complete it".into(),
            ]
        } else {
            vec![]
        },
    });
    let me: String = q(&mut client, "SELECT current_user::text", &[])?[0].get(0);
    if team_ready {
        let row = &q(
            &mut client,
            "SELECT (SELECT rolname FROM pg_roles r JOIN pg_class c ON c.relowner = r.oid WHERE c.oid = to_regclass('customers'))::text,
                    dossier_team_of(current_user::text), dossier_is_manager(current_user::text)",
            &[],
        );
        match row {
            Ok(rows) => {
                let owner: Option<String> = rows[0].get(0);
                let team: Option<String> = rows[0].get(1);
                let manager: bool = rows[0].get(2);
                report.notes.push(match team {
                    Some(t) if manager => {
                        crate::tr!("team-you-manager", me = me.as_str(), team = t.as_str())
                    }
                    Some(t) => crate::tr!("team-you-rep", me = me.as_str(), team = t.as_str()),
                    None if owner.as_deref() == Some(me.as_str()) => {
                        crate::tr!("team-you-owner", me = me.as_str())
                    }
                    None => crate::tr!("team-you-nobody", me = me.as_str()),
                });
            }
            Err(_) => report.notes.push(crate::tr!("team-you", me = me.as_str())),
        }
    }
    let counts = q(
        &mut client,
        "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM opportunities),
                (SELECT count(*) FROM products), (SELECT count(*) FROM activities)",
        &[],
    )?;
    let c = &counts[0];
    report.notes.push(format!(
        "records you can see: {} customers, {} opportunities, {} products, {} activities",
        c.get::<_, i64>(0),
        c.get::<_, i64>(1),
        c.get::<_, i64>(2),
        c.get::<_, i64>(3)
    ));
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names_are_plain_identifiers() {
        assert!(valid_role_name("ann"));
        assert!(valid_role_name("wang_wei2"));
        for bad in [
            "",
            "Ann",
            "2ann",
            "ann; DROP TABLE customers",
            "ann'",
            "pg_monitor",
            "dossier_manager",
            &"a".repeat(64),
        ] {
            assert!(!valid_role_name(bad), "{bad}");
        }
    }
}
