//! Schema migrations, counted by SQLite's `user_version`.

use super::{Result, StoreError};
use rusqlite::Connection;

/// Each entry moves the schema from version i to i+1.
pub(crate) const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    deleted_at  TEXT,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'individual',
    company     TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    phones      TEXT NOT NULL DEFAULT '[]',
    emails      TEXT NOT NULL DEFAULT '[]',
    country     TEXT NOT NULL DEFAULT '',
    province    TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    industry    TEXT NOT NULL DEFAULT '',
    size        INTEGER,
    source      TEXT NOT NULL DEFAULT '',
    needs       TEXT NOT NULL DEFAULT '[]',
    notes       TEXT NOT NULL DEFAULT '',
    owner       TEXT NOT NULL DEFAULT '',
    custom      TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    deleted_at  TEXT,
    name        TEXT NOT NULL,
    sku         TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT '',
    price       INTEGER NOT NULL DEFAULT 0 CHECK (price >= 0),
    currency    TEXT NOT NULL DEFAULT 'CNY',
    brand       TEXT NOT NULL DEFAULT '',
    functions   TEXT NOT NULL DEFAULT '[]',
    audience    TEXT NOT NULL DEFAULT '[]',
    active      INTEGER NOT NULL DEFAULT 1,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE activities (
    id             INTEGER PRIMARY KEY,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    deleted_at     TEXT,
    kind           TEXT NOT NULL,
    customer_id    INTEGER REFERENCES customers(id) ON DELETE CASCADE,
    opportunity_id INTEGER REFERENCES opportunities(id) ON DELETE SET NULL,
    date           TEXT NOT NULL,
    summary        TEXT NOT NULL DEFAULT '',
    sentiment      TEXT,
    next_follow_up TEXT,
    channel        TEXT,
    end_date       TEXT,
    region         TEXT,
    goal           TEXT,
    participants   INTEGER,
    cost           INTEGER CHECK (cost IS NULL OR cost >= 0),
    leads          INTEGER
);

CREATE TABLE opportunities (
    id             INTEGER PRIMARY KEY,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    deleted_at     TEXT,
    customer_id    INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    amount         INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
    currency       TEXT NOT NULL DEFAULT 'CNY',
    stage          TEXT NOT NULL DEFAULT 'prospect',
    expected_close TEXT,
    source         TEXT NOT NULL DEFAULT '',
    campaign_id    INTEGER REFERENCES activities(id) ON DELETE SET NULL,
    competitors    TEXT NOT NULL DEFAULT '[]',
    probability    INTEGER,
    next_step      TEXT NOT NULL DEFAULT '',
    next_step_date TEXT,
    closed_on      TEXT,
    close_reason   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE line_items (
    opportunity_id INTEGER NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    product_id     INTEGER NOT NULL REFERENCES products(id) ON DELETE RESTRICT,
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    unit_price     INTEGER NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (opportunity_id, position)
) WITHOUT ROWID;

-- Tags written by the classifier: one value per record and dimension.
CREATE TABLE tags (
    record_kind TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    dimension   TEXT NOT NULL,
    value       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (record_kind, record_id, dimension)
) WITHOUT ROWID;

-- Every change of a tag: when, old, new, why.
CREATE TABLE tag_history (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    dimension   TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    reason      TEXT NOT NULL
);

CREATE INDEX opportunities_customer ON opportunities(customer_id);
-- Dashboard: the funnel, deals closing soon, recent sales, follow-ups.
CREATE INDEX opportunities_stage ON opportunities(stage, amount) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_closing ON opportunities(expected_close) WHERE stage NOT IN ('won', 'lost');
CREATE INDEX opportunities_won ON opportunities(closed_on) WHERE stage = 'won';
CREATE INDEX activities_follow_up ON activities(next_follow_up) WHERE next_follow_up IS NOT NULL;
CREATE INDEX activities_customer ON activities(customer_id, date);
CREATE INDEX line_items_product ON line_items(product_id);
CREATE INDEX tags_value ON tags(record_kind, dimension, value);
CREATE INDEX tag_history_record ON tag_history(record_kind, record_id, at);
"#,
    r#"
-- Classification state kept between runs (the book's cut points).
CREATE TABLE classify_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A digest of each record's tag values, so a sweep finds the records whose
-- tags change without reading every tag back.
CREATE TABLE tag_digests (
    record_kind TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    digest      INTEGER NOT NULL,
    PRIMARY KEY (record_kind, record_id)
) WITHOUT ROWID;

-- The cascade looks up a deal's touches and a campaign's deals.
CREATE INDEX activities_opportunity ON activities(opportunity_id) WHERE opportunity_id IS NOT NULL;
CREATE INDEX opportunities_campaign ON opportunities(campaign_id) WHERE campaign_id IS NOT NULL;
"#,
    // 3: merges of duplicate customers, kept so a merge can be undone.
    r#"
CREATE TABLE merges (
    id                 INTEGER PRIMARY KEY,
    at                 TEXT NOT NULL,
    kept_id            INTEGER NOT NULL,
    merged_id          INTEGER NOT NULL,
    kept_before        TEXT NOT NULL,
    merged_before      TEXT NOT NULL,
    kept_version_after INTEGER NOT NULL,
    opportunities      TEXT NOT NULL DEFAULT '[]',
    activities         TEXT NOT NULL DEFAULT '[]',
    undone_at          TEXT
);
CREATE INDEX merges_kept ON merges(kept_id);
"#,
    // 4: a record's tag values in one row (see store/tags.rs); reasons are
    // rendered when shown. The old rows are carried over.
    r#"
CREATE TABLE tag_sets (
    record_kind TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    tags        TEXT NOT NULL,
    PRIMARY KEY (record_kind, record_id)
) WITHOUT ROWID;
INSERT INTO tag_sets (record_kind, record_id, tags)
    SELECT record_kind, record_id,
           char(10) || group_concat(dimension || '=' || replace(replace(value, char(10), ' '), char(13), ' '),
                                    char(10) ORDER BY dimension) || char(10)
    FROM tags GROUP BY record_kind, record_id;
DROP TABLE tags;
DROP TABLE tag_digests;
"#,
    // 5: the few records in the trash, found without reading every row
    // (tag counts over a big book leave them out).
    r#"
CREATE INDEX customers_trashed ON customers(id) WHERE deleted_at IS NOT NULL;
CREATE INDEX opportunities_trashed ON opportunities(id) WHERE deleted_at IS NOT NULL;
CREATE INDEX products_trashed ON products(id) WHERE deleted_at IS NOT NULL;
CREATE INDEX activities_trashed ON activities(id) WHERE deleted_at IS NOT NULL;
"#,
    // A global identity (UUID v4) for every record: what backups merge by
    // and what a team server or sync will use; ids stay local to a book.
    // Existing rows get one now; a trigger gives every new row one (ALTER
    // TABLE cannot add a column with a random default).
    r#"
ALTER TABLE customers ADD COLUMN uuid TEXT;
UPDATE customers SET uuid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX customers_uuid ON customers(uuid);
CREATE TRIGGER customers_uuid AFTER INSERT ON customers FOR EACH ROW WHEN NEW.uuid IS NULL BEGIN
    UPDATE customers SET uuid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = NEW.id;
END;
ALTER TABLE products ADD COLUMN uuid TEXT;
UPDATE products SET uuid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX products_uuid ON products(uuid);
CREATE TRIGGER products_uuid AFTER INSERT ON products FOR EACH ROW WHEN NEW.uuid IS NULL BEGIN
    UPDATE products SET uuid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = NEW.id;
END;
ALTER TABLE opportunities ADD COLUMN uuid TEXT;
UPDATE opportunities SET uuid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX opportunities_uuid ON opportunities(uuid);
CREATE TRIGGER opportunities_uuid AFTER INSERT ON opportunities FOR EACH ROW WHEN NEW.uuid IS NULL BEGIN
    UPDATE opportunities SET uuid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = NEW.id;
END;
ALTER TABLE activities ADD COLUMN uuid TEXT;
UPDATE activities SET uuid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX activities_uuid ON activities(uuid);
CREATE TRIGGER activities_uuid AFTER INSERT ON activities FOR EACH ROW WHEN NEW.uuid IS NULL BEGIN
    UPDATE activities SET uuid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = NEW.id;
END;
"#,
    // Follow-ups are reminders: open until marked done or closed by a later
    // real contact (not a note). The closing contact is kept so the timeline
    // can say what closed it. Reminders that a later contact already answered
    // on an existing book are closed by that contact here.
    r#"
ALTER TABLE activities ADD COLUMN follow_up_done_on TEXT;
ALTER TABLE activities ADD COLUMN follow_up_closed_by INTEGER;
UPDATE activities SET follow_up_closed_by = (
    SELECT b.id FROM activities b
    WHERE b.customer_id = activities.customer_id AND b.deleted_at IS NULL
      AND b.kind IN ('call', 'visit', 'meeting', 'email')
      AND (b.date > activities.date OR (b.date = activities.date AND b.id > activities.id))
    ORDER BY b.date, b.id LIMIT 1)
WHERE next_follow_up IS NOT NULL AND kind != 'campaign' AND customer_id IS NOT NULL;
UPDATE activities SET follow_up_done_on = (SELECT b.date FROM activities b WHERE b.id = activities.follow_up_closed_by)
WHERE follow_up_closed_by IS NOT NULL;
CREATE INDEX activities_open_follow_ups ON activities(next_follow_up)
    WHERE next_follow_up IS NOT NULL AND follow_up_done_on IS NULL;
-- When a deal last moved (stage or expected close date changed): staleness
-- counts from it, not from any edit. NULL: not moved since it was entered
-- (written by other means); on upgrade, the last edit stands for it.
ALTER TABLE opportunities ADD COLUMN moved_at TEXT;
UPDATE opportunities SET moved_at = updated_at;
"#,
    // What address books carry beyond the first fields (name parts, labels
    // of phones and emails, further addresses, birthday and anniversary,
    // websites, IM handles, groups): one JSON object per customer, `{}`
    // when there is nothing (domain::Card).
    r#"
ALTER TABLE customers ADD COLUMN card TEXT NOT NULL DEFAULT '{}';
"#,
    // The search index file beside the book (`book.db.search`, see
    // src/search/changes.rs) catches up from this log: every write to a
    // record or its tags, by any process, adds a row in the same
    // transaction. `deps`: the record's deals and activities show its text
    // too. Rows the index file already holds are pruned (but the newest);
    // `pruned` says up to where, so an older index knows it cannot catch
    // up from here. `tok`: a random number an index file remembers for its
    // position, so a book replaced by a copy with another history (a
    // restored backup) is not taken for the one the index was built from.
    r#"
CREATE TABLE search_log (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id   INTEGER NOT NULL,
    deps INTEGER NOT NULL DEFAULT 0,
    tok  INTEGER NOT NULL DEFAULT (random())
);
-- The first row: every book's log has a position an index can name.
INSERT INTO search_log (kind, id) VALUES ('book', 0);
CREATE TABLE search_state (
    only   INTEGER PRIMARY KEY CHECK (only = 1),
    pruned INTEGER NOT NULL
);
INSERT INTO search_state (only, pruned) VALUES (1, 0);
CREATE TRIGGER search_log_customers_insert AFTER INSERT ON customers BEGIN
    INSERT INTO search_log (kind, id) VALUES ('customer', NEW.id);
END;
CREATE TRIGGER search_log_customers_update AFTER UPDATE ON customers WHEN NOT (OLD.uuid IS NULL AND NEW.uuid IS NOT NULL) BEGIN
    INSERT INTO search_log (kind, id, deps) VALUES ('customer', NEW.id, 1);
END;
CREATE TRIGGER search_log_customers_delete AFTER DELETE ON customers BEGIN
    INSERT INTO search_log (kind, id, deps) VALUES ('customer', OLD.id, 1);
END;
CREATE TRIGGER search_log_opportunities_insert AFTER INSERT ON opportunities BEGIN
    INSERT INTO search_log (kind, id) VALUES ('opportunity', NEW.id);
END;
CREATE TRIGGER search_log_opportunities_update AFTER UPDATE ON opportunities WHEN NOT (OLD.uuid IS NULL AND NEW.uuid IS NOT NULL) BEGIN
    INSERT INTO search_log (kind, id, deps) VALUES ('opportunity', NEW.id, 0);
END;
CREATE TRIGGER search_log_opportunities_delete AFTER DELETE ON opportunities BEGIN
    INSERT INTO search_log (kind, id, deps) VALUES ('opportunity', OLD.id, 0);
END;
CREATE TRIGGER search_log_products_insert AFTER INSERT ON products BEGIN
    INSERT INTO search_log (kind, id) VALUES ('product', NEW.id);
END;
CREATE TRIGGER search_log_products_update AFTER UPDATE ON products WHEN NOT (OLD.uuid IS NULL AND NEW.uuid IS NOT NULL) BEGIN
    INSERT INTO search_log (kind, id, deps) VALUES ('product', NEW.id, 0);
END;
CREATE TRIGGER search_log_products_delete AFTER DELETE ON products BEGIN
    INSERT INTO search_log (kind, id, deps) VALUES ('product', OLD.id, 0);
END;
CREATE TRIGGER search_log_activities_insert AFTER INSERT ON activities BEGIN
    INSERT INTO search_log (kind, id) VALUES ('activity', NEW.id);
END;
CREATE TRIGGER search_log_activities_update AFTER UPDATE ON activities WHEN NOT (OLD.uuid IS NULL AND NEW.uuid IS NOT NULL) BEGIN
    INSERT INTO search_log (kind, id, deps) VALUES ('activity', NEW.id, 0);
END;
CREATE TRIGGER search_log_activities_delete AFTER DELETE ON activities BEGIN
    INSERT INTO search_log (kind, id, deps) VALUES ('activity', OLD.id, 0);
END;
CREATE TRIGGER search_log_tag_sets_insert AFTER INSERT ON tag_sets BEGIN
    INSERT INTO search_log (kind, id) VALUES (NEW.record_kind, NEW.record_id);
END;
CREATE TRIGGER search_log_tag_sets_update AFTER UPDATE ON tag_sets BEGIN
    INSERT INTO search_log (kind, id) VALUES (NEW.record_kind, NEW.record_id);
END;
CREATE TRIGGER search_log_tag_sets_delete AFTER DELETE ON tag_sets BEGIN
    INSERT INTO search_log (kind, id) VALUES (OLD.record_kind, OLD.record_id);
END;
"#,
    // 10: the light daily sweep (store/sweep_light.rs). Per customer and
    // deal, the first day its tags can change with time alone (`due_on`,
    // `YYYY-MM-DD`), written by the sweep. Every write that can change a
    // record's facts or tags sets its `due_on` to '' (due at the next
    // sweep), here in triggers so that no write path can miss it: a deal
    // and a touch mark their customer and deal (before and after), a
    // customer its deals (they carry its industry). Only while the due days
    // are kept (`light_base` in classify_state): a bulk load into a fresh
    // book, or one that forgot them, pays nothing, and its next sweep is a
    // full one. Campaigns are found by their own index instead of reading
    // every touch.
    r#"
CREATE TABLE classify_due (
    record_kind TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    due_on      TEXT NOT NULL,
    PRIMARY KEY (record_kind, record_id)
) WITHOUT ROWID;
CREATE INDEX activities_campaigns ON activities(id) WHERE kind = 'campaign';
CREATE TRIGGER classify_due_customers_insert AFTER INSERT ON customers WHEN EXISTS (SELECT 1 FROM classify_state WHERE key = 'light_base') BEGIN
    INSERT INTO classify_due VALUES ('customer', NEW.id, '') ON CONFLICT DO UPDATE SET due_on = '';
END;
CREATE TRIGGER classify_due_customers_update AFTER UPDATE ON customers WHEN EXISTS (SELECT 1 FROM classify_state WHERE key = 'light_base') BEGIN
    INSERT INTO classify_due VALUES ('customer', NEW.id, '') ON CONFLICT DO UPDATE SET due_on = '';
    INSERT INTO classify_due SELECT 'opportunity', id, '' FROM opportunities
        WHERE customer_id = NEW.id AND (OLD.industry IS NOT NEW.industry OR OLD.deleted_at IS NOT NEW.deleted_at)
        ON CONFLICT DO UPDATE SET due_on = '';
END;
CREATE TRIGGER classify_due_customers_delete AFTER DELETE ON customers WHEN EXISTS (SELECT 1 FROM classify_state WHERE key = 'light_base') BEGIN
    INSERT INTO classify_due VALUES ('customer', OLD.id, '') ON CONFLICT DO UPDATE SET due_on = '';
END;
CREATE TRIGGER classify_due_opportunities_insert AFTER INSERT ON opportunities WHEN EXISTS (SELECT 1 FROM classify_state WHERE key = 'light_base') BEGIN
    INSERT INTO classify_due VALUES ('opportunity', NEW.id, '') ON CONFLICT DO UPDATE SET due_on = '';
    INSERT INTO classify_due VALUES ('customer', NEW.customer_id, '') ON CONFLICT DO UPDATE SET due_on = '';
END;
CREATE TRIGGER classify_due_opportunities_update AFTER UPDATE ON opportunities WHEN EXISTS (SELECT 1 FROM classify_state WHERE key = 'light_base') BEGIN
    INSERT INTO classify_due VALUES ('opportunity', NEW.id, '') ON CONFLICT DO UPDATE SET due_on = '';
    INSERT INTO classify_due VALUES ('customer', NEW.customer_id, '') ON CONFLICT DO UPDATE SET due_on = '';
    INSERT INTO classify_due VALUES ('customer', OLD.customer_id, '') ON CONFLICT DO UPDATE SET due_on = '';
END;
CREATE TRIGGER classify_due_opportunities_delete AFTER DELETE ON opportunities WHEN EXISTS (SELECT 1 FROM classify_state WHERE key = 'light_base') BEGIN
    INSERT INTO classify_due VALUES ('opportunity', OLD.id, '') ON CONFLICT DO UPDATE SET due_on = '';
    INSERT INTO classify_due VALUES ('customer', OLD.customer_id, '') ON CONFLICT DO UPDATE SET due_on = '';
END;
CREATE TRIGGER classify_due_activities_insert AFTER INSERT ON activities WHEN EXISTS (SELECT 1 FROM classify_state WHERE key = 'light_base') BEGIN
    INSERT INTO classify_due SELECT 'customer', NEW.customer_id, '' WHERE NEW.customer_id IS NOT NULL
        ON CONFLICT DO UPDATE SET due_on = '';
    INSERT INTO classify_due SELECT 'opportunity', NEW.opportunity_id, '' WHERE NEW.opportunity_id IS NOT NULL
        ON CONFLICT DO UPDATE SET due_on = '';
END;
CREATE TRIGGER classify_due_activities_update AFTER UPDATE ON activities WHEN EXISTS (SELECT 1 FROM classify_state WHERE key = 'light_base') BEGIN
    INSERT INTO classify_due SELECT 'customer', NEW.customer_id, '' WHERE NEW.customer_id IS NOT NULL
        ON CONFLICT DO UPDATE SET due_on = '';
    INSERT INTO classify_due SELECT 'opportunity', NEW.opportunity_id, '' WHERE NEW.opportunity_id IS NOT NULL
        ON CONFLICT DO UPDATE SET due_on = '';
    INSERT INTO classify_due SELECT 'customer', OLD.customer_id, '' WHERE OLD.customer_id IS NOT NULL
        ON CONFLICT DO UPDATE SET due_on = '';
    INSERT INTO classify_due SELECT 'opportunity', OLD.opportunity_id, '' WHERE OLD.opportunity_id IS NOT NULL
        ON CONFLICT DO UPDATE SET due_on = '';
END;
CREATE TRIGGER classify_due_activities_delete AFTER DELETE ON activities WHEN EXISTS (SELECT 1 FROM classify_state WHERE key = 'light_base') BEGIN
    INSERT INTO classify_due SELECT 'customer', OLD.customer_id, '' WHERE OLD.customer_id IS NOT NULL
        ON CONFLICT DO UPDATE SET due_on = '';
    INSERT INTO classify_due SELECT 'opportunity', OLD.opportunity_id, '' WHERE OLD.opportunity_id IS NOT NULL
        ON CONFLICT DO UPDATE SET due_on = '';
END;
CREATE TRIGGER classify_due_tag_sets_insert AFTER INSERT ON tag_sets
WHEN NEW.record_kind IN ('customer', 'opportunity') AND EXISTS (SELECT 1 FROM classify_state WHERE key = 'light_base') BEGIN
    INSERT INTO classify_due VALUES (NEW.record_kind, NEW.record_id, '') ON CONFLICT DO UPDATE SET due_on = '';
END;
CREATE TRIGGER classify_due_tag_sets_update AFTER UPDATE ON tag_sets
WHEN NEW.record_kind IN ('customer', 'opportunity') AND EXISTS (SELECT 1 FROM classify_state WHERE key = 'light_base') BEGIN
    INSERT INTO classify_due VALUES (NEW.record_kind, NEW.record_id, '') ON CONFLICT DO UPDATE SET due_on = '';
END;
CREATE TRIGGER classify_due_tag_sets_delete AFTER DELETE ON tag_sets
WHEN OLD.record_kind IN ('customer', 'opportunity') AND EXISTS (SELECT 1 FROM classify_state WHERE key = 'light_base') BEGIN
    INSERT INTO classify_due VALUES (OLD.record_kind, OLD.record_id, '') ON CONFLICT DO UPDATE SET due_on = '';
END;
"#,
    // 11: what the light daily sweep reads every day, in indexes narrow
    // enough that it never reads a whole table: the won deals' figures
    // (the customers' cut points are taken over them, and the products'
    // sales of the quarter), and the due days in day order (the records due
    // today are a range). "Never" (9999-12-31, most records) is left out
    // of the index: each day's new due days would land all over it. A full
    // sweep drops the index while it rewrites every due day and builds it
    // again after (`sweep::DUE_DAY_INDEX`).
    r#"
CREATE INDEX opportunities_purchases ON opportunities(closed_on, customer_id, amount, currency)
    WHERE stage = 'won' AND deleted_at IS NULL;
CREATE INDEX classify_due_day ON classify_due(record_kind, due_on) WHERE due_on < '9999';
"#,
];

/// Takes a backup of the database before it is migrated from the given version.
pub(crate) type BackupFn<'a> = &'a dyn Fn(&Connection, i64) -> Result<()>;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`SCHEMA_VERSION`]. Refuses a newer database.
/// Before migrating a database that already holds data, `backup` is called
/// so nothing is lost if a migration goes wrong.
pub(crate) fn migrate(
    conn: &mut Connection,
    path: &str,
    backup: Option<BackupFn<'_>>,
) -> Result<()> {
    migrate_steps(conn, path, backup, MIGRATIONS)
}

/// [`migrate`] with the list of steps given (tests migrate with extra steps).
pub(crate) fn migrate_steps(
    conn: &mut Connection,
    path: &str,
    backup: Option<BackupFn<'_>>,
    steps: &[&str],
) -> Result<()> {
    let target = steps.len() as i64;
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > target {
        return Err(StoreError::NewerSchema {
            path: path.to_string(),
            found,
            supported: target,
        });
    }
    if found == target {
        return Ok(());
    }
    if found > 0 {
        if let Some(backup) = backup {
            backup(conn, found)?;
        }
    } else {
        // Version 0 with tables of our own names means something else made
        // this file; do not write into it.
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            return Err(StoreError::Corrupt {
                path: path.to_string(),
                reason: "it holds tables but no dossier schema version".into(),
            });
        }
    }
    let tx = conn.transaction()?;
    // Another process may have migrated while this one waited for the lock.
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > target {
        return Err(StoreError::NewerSchema {
            path: path.to_string(),
            found,
            supported: target,
        });
    }
    if found == target {
        return Ok(());
    }
    for (i, sql) in steps.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_4_carries_tag_rows_over_into_one_set_per_record() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_steps(&mut conn, "(memory)", None, &MIGRATIONS[..3]).unwrap();
        conn.execute_batch(
            "INSERT INTO tags VALUES ('customer', 7, 'value', 'high', 'r', '2026-01-01T00:00:00Z');
             INSERT INTO tags VALUES ('customer', 7, 'lifecycle', 'new', 'r', '2026-01-01T00:00:00Z');
             INSERT INTO tags VALUES ('customer', 7, 'location', 'a' || char(10) || 'b', 'r', '2026-01-01T00:00:00Z');
             INSERT INTO tags VALUES ('opportunity', 7, 'stage', 'won', 'r', '2026-01-01T00:00:00Z');
             INSERT INTO tag_digests VALUES ('customer', 7, 1);",
        )
        .unwrap();
        migrate(&mut conn, "(memory)", None).unwrap();
        let sets: Vec<(String, i64, String)> = conn
            .prepare("SELECT record_kind, record_id, tags FROM tag_sets ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            sets,
            [
                (
                    "customer".to_string(),
                    7,
                    super::super::tags::encode([
                        ("value", "high"),
                        ("lifecycle", "new"),
                        ("location", "a b")
                    ])
                ),
                ("opportunity".to_string(), 7, "\nstage=won\n".to_string()),
            ]
        );
        let old: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('tags', 'tag_digests')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(old, 0);
    }

    #[test]
    fn the_uuid_step_gives_existing_and_new_records_distinct_uuids() {
        let step = MIGRATIONS
            .iter()
            .position(|m| m.contains("ADD COLUMN uuid"))
            .expect("the uuid migration");
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_steps(&mut conn, "(memory)", None, &MIGRATIONS[..step]).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, created_at, updated_at, name) VALUES (1, 'x', 'x', 'Ann'), (2, 'x', 'x', 'Bo');
             INSERT INTO products (id, created_at, updated_at, name) VALUES (1, 'x', 'x', 'Pen');
             INSERT INTO activities (id, created_at, updated_at, kind, date) VALUES (1, 'x', 'x', 'call', '2026-01-01');
             INSERT INTO opportunities (id, created_at, updated_at, customer_id, title) VALUES (1, 'x', 'x', 1, 'Deal');",
        )
        .unwrap();
        migrate(&mut conn, "(memory)", None).unwrap();
        conn.execute(
            "INSERT INTO customers (created_at, updated_at, name) VALUES ('x', 'x', 'Cy')",
            [],
        )
        .unwrap();
        let uuids: Vec<String> = conn
            .prepare(
                "SELECT uuid FROM customers UNION ALL SELECT uuid FROM products
                 UNION ALL SELECT uuid FROM activities UNION ALL SELECT uuid FROM opportunities",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(uuids.len(), 6);
        for u in &uuids {
            let groups: Vec<usize> = u.split('-').map(str::len).collect();
            assert_eq!(groups, [8, 4, 4, 4, 12], "{u}");
            assert!(u[14..15] == *"4" && "89ab".contains(&u[19..20]), "v4: {u}");
        }
        let distinct: std::collections::HashSet<_> = uuids.iter().collect();
        assert_eq!(distinct.len(), 6);
        // Unique: a copy of a uuid is refused.
        let dup = conn.execute(
            "UPDATE customers SET uuid = (SELECT uuid FROM customers WHERE id = 1) WHERE id = 2",
            [],
        );
        assert!(dup.is_err());
    }

    /// An existing book's follow-ups become reminders: those a later real
    /// contact already answered are closed by it, a note answers nothing.
    #[test]
    fn follow_ups_answered_before_the_upgrade_are_closed() {
        let mine = MIGRATIONS
            .iter()
            .position(|m| m.contains("ADD COLUMN follow_up_done_on"))
            .expect("the reminder migration");
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_steps(&mut conn, "(memory)", None, &MIGRATIONS[..mine]).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, created_at, updated_at, name) VALUES (1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'A');
             INSERT INTO activities (id, created_at, updated_at, kind, customer_id, date, summary, next_follow_up) VALUES
               (1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'call', 1, '2026-11-01', 'x', '2026-11-10'),
               (2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'email', 1, '2026-11-05', 'y', NULL),
               (3, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'call', 1, '2026-11-06', 'z', '2026-11-20'),
               (4, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'note', 1, '2026-11-07', 'n', NULL);",
        )
        .unwrap();
        migrate(&mut conn, "(memory)", None).unwrap();
        let rows: Vec<(i64, Option<String>, Option<i64>)> = conn
            .prepare("SELECT id, follow_up_done_on, follow_up_closed_by FROM activities WHERE next_follow_up IS NOT NULL ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [(1, Some("2026-11-05".into()), Some(2)), (3, None, None)]
        );
    }
}
