//! Building the index from the store, and keeping it current after a write.
//! One SQL query per kind (only the searched columns) merged with the tags
//! table in id order, so a million records load without a tag map in memory.

use super::index::DocInput;
use super::{changes, disk};
use super::{Field, SearchIndex};
use crate::domain::Kind;
use crate::store::engine::conn::{Conn as Connection, Row};
use crate::store::{Result, Store, StoreError};
use std::sync::atomic::{AtomicBool, Ordering};

const CUSTOMERS: &str =
    "SELECT id, name, kind, company, title, phones, emails, country, province, \
    city, industry, source, needs, notes, owner FROM customers x";
const OPPORTUNITIES: &str = "SELECT x.id, x.title, x.stage, x.source, x.competitors, x.next_step, \
    x.close_reason, c.name, NULL, c.city, c.industry \
    FROM opportunities x LEFT JOIN customers c ON c.id = x.customer_id";
const PRODUCTS: &str = "SELECT id, name, sku, category, brand, functions, audience, description, \
    active FROM products x";
const ACTIVITIES: &str =
    "SELECT x.id, x.summary, x.kind, x.sentiment, x.channel, x.region, x.goal, \
    c.name, NULL, c.city FROM activities x LEFT JOIN customers c ON c.id = x.customer_id";

fn select(kind: Kind) -> &'static str {
    match kind {
        Kind::Customer => CUSTOMERS,
        Kind::Opportunity => OPPORTUNITIES,
        Kind::Product => PRODUCTS,
        Kind::Activity => ACTIVITIES,
    }
}

/// More changes than this since the index file was written: rebuilding is
/// about as quick as catching up one record at a time.
const CATCH_UP_MAX: usize = 150_000;
/// After catching up more changes than this, the file is written again, so
/// the next process does not repeat the work (`DOSSIER_SEARCH_RESAVE_AFTER`
/// overrides it, for tests).
fn resave_after() -> usize {
    std::env::var("DOSSIER_SEARCH_RESAVE_AFTER")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

/// The index of a book: its file beside the book (memory-mapped, caught up
/// with the writes since), or built and saved when the file is missing,
/// damaged or too far behind. A book in memory is indexed from scratch.
pub fn open_index(store: &Store) -> Result<SearchIndex> {
    open_index_until(store, &AtomicBool::new(false))
}

/// Like [`open_index`], giving up (with an error) soon after `stop` is set.
pub fn open_index_until(store: &Store, stop: &AtomicBool) -> Result<SearchIndex> {
    let Some(path) = index_file(store) else {
        return load_index_until(store, stop);
    };
    let head = changes::head(store.conn())?;
    if let Some((mut index, seq, token)) = disk::open(&path) {
        // The position must be in the log, and be the same change: a book
        // replaced by a copy with another history has other tokens.
        let same_history = changes::token_at(store.conn(), seq)? == Some(token);
        if (head.pruned..=head.seq).contains(&seq) && same_history {
            index.log_seq = seq;
            if let Some(n) = catch_up(&mut index, store, CATCH_UP_MAX)? {
                if n > resave_after() {
                    save_index(&index, store);
                }
                return Ok(index);
            }
        }
    }
    rebuild_index(store, stop)
}

/// Where a book's index file is: beside a book file; for a team book, in
/// the user's cache folder (private to the user), one file per server,
/// database and member — so a team book's search starts from the file and
/// catches up from the server's change log instead of reading every record
/// at each start. None for a book in memory.
fn index_file(store: &Store) -> Option<std::path::PathBuf> {
    if let Some(db) = store.path() {
        return Some(disk::index_path(db));
    }
    let server = store.conn().server()?;
    let dir = std::env::var_os("DOSSIER_TEAM_INDEX_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            directories::ProjectDirs::from("", "", "dossier")
                .map(|d| d.cache_dir().join("team-search"))
        })?;
    if let Err(e) = private_dir(&dir) {
        tracing::warn!("search index: no folder for a team book's index: {e}");
        return None;
    }
    // FNV-1a of the URL without its password and options (`?sslmode=…`
    // reaches the same book): stable across builds.
    let url = server.url();
    let who = crate::store::engine::redact(url.split_once('?').map_or(url, |(u, _)| u));
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in who.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    Some(dir.join(format!("{h:016x}.search")))
}

/// Creates `dir` readable by its owner only (it holds records' text).
fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Builds the index from the book and saves it beside the book; the saved
/// file is then used in place of the built arrays (mapped, not on the heap).
pub fn rebuild_index(store: &Store, stop: &AtomicBool) -> Result<SearchIndex> {
    let mut index = load_index_until(store, stop)?;
    let Some(path) = index_file(store) else {
        return Ok(index);
    };
    if save_index(&index, store) {
        if let Some((mut mapped, seq, _)) = disk::open(&path) {
            if seq == index.log_seq {
                mapped.log_seq = seq;
                index = mapped;
                // Writes that landed while building.
                catch_up(&mut index, store, CATCH_UP_MAX)?;
            }
        }
    }
    Ok(index)
}

/// Writes the index file of the book and prunes the change log it holds.
/// A failure only costs speed (the next process rebuilds): it is logged.
fn save_index(index: &SearchIndex, store: &Store) -> bool {
    let Some(path) = index_file(store) else {
        return false;
    };
    let token = match changes::token_at(store.conn(), index.log_seq) {
        Ok(Some(t)) => t,
        // No row at the position (an empty log): the file could not be
        // checked against the book's history, so it is not written.
        _ => return false,
    };
    match disk::save(index, index.log_seq, token, &path) {
        // A team book's log is every member's: it is not pruned at one
        // member's position.
        Ok(()) if store.conn().server().is_some() => true,
        Ok(()) => {
            if let Err(e) = changes::prune(store.conn(), index.log_seq) {
                tracing::warn!("search index: the change log was not pruned: {e}");
            }
            true
        }
        Err(e) => {
            tracing::warn!("search index: not saved: {e}");
            false
        }
    }
}

/// The newest position of the book's change log: an index whose
/// [`SearchIndex::log_seq`] is older has writes to catch up ([`catch_up`]).
pub fn log_head(store: &Store) -> Result<i64> {
    Ok(changes::head(store.conn())?.seq)
}

/// Applies the writes the change log holds after the index's position.
/// Returns how many records changed, or `None` when the index cannot catch
/// up (the log was pruned past it, or holds more than `max` changes): then
/// it must be reopened or rebuilt.
pub fn catch_up(index: &mut SearchIndex, store: &Store, max: usize) -> Result<Option<usize>> {
    let conn = store.conn();
    let head = changes::head(conn)?;
    if head.seq == index.log_seq {
        return Ok(Some(0));
    }
    if index.log_seq < head.pruned || index.log_seq > head.seq {
        return Ok(None);
    }
    let Some(list) = changes::since(conn, index.log_seq, head.seq, max)? else {
        return Ok(None);
    };
    for c in &list {
        refresh_record(index, store, c.kind, c.id)?;
        if c.deps && c.kind == Kind::Customer {
            for (kind, id) in changes::dependants(conn, c.id)? {
                refresh_record(index, store, kind, id)?;
            }
        }
    }
    index.log_seq = head.seq;
    Ok(Some(list.len()))
}

/// Builds the index of every live record.
pub fn load_index(store: &Store) -> Result<SearchIndex> {
    load_index_until(store, &AtomicBool::new(false))
}

/// Like [`load_index`], giving up (with an error) soon after `stop` is set.
pub fn load_index_until(store: &Store, stop: &AtomicBool) -> Result<SearchIndex> {
    let conn = store.conn();
    let mut index = SearchIndex::new();
    // Writes from here on are caught up later (refreshing is idempotent).
    index.log_seq = changes::head(conn)?.seq;
    let total: i64 = Kind::ALL.iter().try_fold(0i64, |acc, k| {
        conn.query_row(
            &format!(
                "SELECT count(*) FROM {} WHERE deleted_at IS NULL",
                k.table()
            ),
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| acc + n)
    })?;
    index.reserve(total as usize);
    for kind in Kind::ALL {
        load_kind(conn, kind, &mut index, stop)?;
    }
    index.shrink_to_fit();
    index.build_postings();
    Ok(index)
}

fn load_kind(
    conn: &Connection,
    kind: Kind,
    index: &mut SearchIndex,
    stop: &AtomicBool,
) -> Result<()> {
    if let Some(server) = conn.server() {
        return load_kind_by_copy(server, kind, index, stop);
    }
    let mut stmt = conn.prepare(&format!(
        "{} WHERE x.deleted_at IS NULL ORDER BY x.id",
        select(kind)
    ))?;
    let mut tag_stmt = conn.prepare(
        "SELECT record_id, tags FROM tag_sets WHERE record_kind = ?1 ORDER BY record_id",
    )?;
    let mut tags = tag_stmt
        .query_map([kind.as_str()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .peekable();
    let mut rows = stmt.query([])?;
    let mut n = 0u32;
    while let Some(row) = rows.next()?.as_ref() {
        n = n.wrapping_add(1);
        if n.is_multiple_of(4096) && stop.load(Ordering::Relaxed) {
            return Err(StoreError::Refused(
                "the search index build was stopped".into(),
            ));
        }
        let mut doc = doc_from_row(kind, row)?;
        let mut mine = Vec::new();
        // Both sides are in id order: skip tags of records not loaded.
        while let Some(Ok((rid, _))) = tags.peek() {
            if *rid > doc.id {
                break;
            }
            if let Some(Ok((rid, set))) = tags.next() {
                if rid == doc.id {
                    mine = crate::store::decode_tags(&set);
                }
            }
        }
        if let Some(Err(_)) = tags.peek() {
            if let Some(Err(e)) = tags.next() {
                return Err(e.into());
            }
        }
        add_tags(&mut doc, mine);
        index.upsert(doc);
    }
    Ok(())
}

/// A team book's rows of one kind, each with its tag set, in one
/// `COPY (SELECT …) TO STDOUT`: the whole kind crosses in one stream, the
/// tags joined on the server.
fn load_kind_by_copy(
    server: &crate::store::engine::conn::ServerConn,
    kind: Kind,
    index: &mut SearchIndex,
    stop: &AtomicBool,
) -> Result<()> {
    let select = select(kind).replacen(" FROM ", ", tg.tags FROM ", 1);
    let sql = format!(
        "{select} LEFT JOIN tag_sets tg ON tg.record_kind = '{}' AND tg.record_id = x.id \
         WHERE x.deleted_at IS NULL ORDER BY x.id",
        kind.as_str()
    );
    let mut n = 0u32;
    let mut stopped = false;
    server.copy_rows(&sql, |row| {
        n = n.wrapping_add(1);
        if stopped || (n.is_multiple_of(4096) && stop.load(Ordering::Relaxed)) {
            // The stream is read to its end (the connection stays usable);
            // nothing more is indexed.
            stopped = true;
            return Ok(());
        }
        let mut doc = doc_from_row(kind, row)?;
        let last = row.column_count() - 1;
        let tags = row
            .get::<_, Option<String>>(last)?
            .map(|set| crate::store::decode_tags(&set))
            .unwrap_or_default();
        add_tags(&mut doc, tags);
        index.upsert(doc);
        Ok(())
    })?;
    if stopped {
        return Err(StoreError::Refused(
            "the search index build was stopped".into(),
        ));
    }
    Ok(())
}

/// Re-reads one record after a write and updates the index: added or
/// changed records are (re)indexed, deleted or purged ones removed.
pub fn refresh_record(index: &mut SearchIndex, store: &Store, kind: Kind, id: i64) -> Result<()> {
    let conn = store.conn();
    let mut stmt = conn.prepare_cached(&format!(
        "{} WHERE x.deleted_at IS NULL AND x.id = ?1",
        select(kind)
    ))?;
    let mut rows = stmt.query([id])?;
    let Some(row) = rows.next()? else {
        index.remove(kind, id);
        return Ok(());
    };
    let mut doc = doc_from_row(kind, &row)?;
    let tags = store.tag_values(kind, id)?.into_iter().collect::<Vec<_>>();
    add_tags(&mut doc, tags);
    index.upsert(doc);
    Ok(())
}

/// Tag values are searched as one text and filtered by dimension (and by
/// `tag:` for any dimension).
fn add_tags(doc: &mut DocInput, tags: Vec<(String, String)>) {
    if tags.is_empty() {
        return;
    }
    let text: Vec<&str> = tags.iter().map(|(_, v)| v.as_str()).collect();
    doc.fields.push((Field::Tags, text.join(" ")));
    for (dim, value) in tags {
        doc.attrs.push(("tag".into(), value.clone()));
        doc.attrs.push((dim, value));
    }
}

fn list(row: &Row<'_>, i: usize) -> rusqlite::Result<Vec<String>> {
    let raw: Option<String> = row.get(i)?;
    Ok(raw
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

fn text(row: &Row<'_>, i: usize) -> rusqlite::Result<String> {
    Ok(row.get::<_, Option<String>>(i)?.unwrap_or_default())
}

/// Short descriptive values share one `Details` text (one span, not many).
fn joined(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn doc_from_row(kind: Kind, row: &Row<'_>) -> rusqlite::Result<DocInput> {
    let mut d = DocInput {
        kind,
        id: row.get(0)?,
        fields: Vec::new(),
        attrs: Vec::new(),
    };
    let field = |d: &mut DocInput, f: Field, t: String| d.fields.push((f, t));
    let attr = |d: &mut DocInput, key: &str, value: &str| {
        if !value.is_empty() {
            d.attrs.push((key.to_string(), value.to_string()));
        }
    };
    match kind {
        Kind::Customer => {
            let (country, province, city) = (text(row, 7)?, text(row, 8)?, text(row, 9)?);
            let (industry, source) = (text(row, 10)?, text(row, 11)?);
            field(&mut d, Field::Name, text(row, 1)?);
            field(&mut d, Field::Company, text(row, 3)?);
            field(&mut d, Field::Title, text(row, 4)?);
            for p in list(row, 5)? {
                field(&mut d, Field::Phone, p);
            }
            for e in list(row, 6)? {
                field(&mut d, Field::Email, e);
            }
            field(&mut d, Field::City, joined(&[&province, &city]));
            field(&mut d, Field::Details, joined(&[&industry, &source]));
            field(&mut d, Field::Tags, list(row, 12)?.join(" "));
            field(&mut d, Field::Notes, text(row, 13)?);
            attr(&mut d, "type", &text(row, 2)?);
            attr(&mut d, "owner", &text(row, 14)?);
            attr(&mut d, "country", &country);
            attr(&mut d, "province", &province);
            attr(&mut d, "city", &city);
            attr(&mut d, "industry", &industry);
            attr(&mut d, "source", &source);
        }
        Kind::Opportunity => {
            let (stage, source) = (text(row, 2)?, text(row, 3)?);
            let competitors = list(row, 4)?.join(" ");
            field(&mut d, Field::Name, text(row, 1)?);
            field(&mut d, Field::Customer, text(row, 7)?);
            field(
                &mut d,
                Field::Details,
                joined(&[&stage, &source, &competitors]),
            );
            field(
                &mut d,
                Field::Notes,
                joined(&[&text(row, 5)?, &text(row, 6)?]),
            );
            attr(&mut d, "stage", &stage);
            attr(&mut d, "source", &source);
            attr(&mut d, "city", &text(row, 9)?);
            attr(&mut d, "industry", &text(row, 10)?);
        }
        Kind::Product => {
            let (category, brand) = (text(row, 3)?, text(row, 4)?);
            let audience = list(row, 6)?;
            field(&mut d, Field::Name, text(row, 1)?);
            field(
                &mut d,
                Field::Details,
                joined(&[&text(row, 2)?, &category, &brand]),
            );
            let tags: Vec<String> = list(row, 5)?.into_iter().chain(audience.clone()).collect();
            field(&mut d, Field::Tags, tags.join(" "));
            field(&mut d, Field::Notes, text(row, 7)?);
            attr(&mut d, "category", &category);
            attr(&mut d, "brand", &brand);
            for a in &audience {
                attr(&mut d, "audience", a);
            }
            let active: bool = row.get(8)?;
            attr(&mut d, "active", if active { "yes" } else { "no" });
        }
        Kind::Activity => {
            let kind = text(row, 2)?;
            field(&mut d, Field::Summary, text(row, 1)?);
            field(&mut d, Field::Customer, text(row, 7)?);
            field(&mut d, Field::Details, kind.clone());
            attr(&mut d, "type", &kind);
            attr(&mut d, "sentiment", &text(row, 3)?);
            attr(&mut d, "channel", &text(row, 4)?);
            attr(&mut d, "region", &text(row, 5)?);
            attr(&mut d, "goal", &text(row, 6)?);
            attr(&mut d, "city", &text(row, 9)?);
        }
    }
    Ok(d)
}
