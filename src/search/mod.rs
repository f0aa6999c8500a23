//! As-you-type search over every record: an index of flat arrays, fuzzy
//! matching with pinyin keys for Chinese text, and filters.
//!
//! - [`SearchIndex`] is plain data (no SQL); [`load_index`] builds it from a
//!   [`Store`](crate::store::Store) and [`refresh_record`] keeps it current
//!   after a write.
//! - [`open_index`] is what processes use: the index file beside the book
//!   (`book.db.search`, [`index_path`]), memory-mapped without reading it,
//!   caught up ([`catch_up`]) from the change log every write adds to in its
//!   own transaction; rebuilt and saved when missing, damaged or far behind.
//! - [`parse_query`] turns `value:high city:上海 zhang` into a [`Query`];
//!   [`SearchIndex::search`] ranks [`Hit`]s best first.
//! - [`Matcher`] is the scoring trait, so matchers can be benchmarked.
//! - [`spawn_build`] and [`QueryWorker`] run the build and the queries off
//!   the UI thread; a stale query's results are dropped.
//!
//! Wiring it into the TUI (the UI thread never searches itself):
//!
//! ```text
//! start:      let build = spawn_build(db_path);                  // first frame does not wait
//!             let shared: SharedIndex = Arc::new(RwLock::new(SearchIndex::new()));
//!             let worker = QueryWorker::spawn_with_notify(shared.clone(), wake_ui);
//! each tick:  if let Some(Ok(index)) = build.try_finish(&store) { *shared.write() = index; }
//! after save: refresh_record(&mut shared.write(), &store, kind, id)  // or build.note_change(kind, id)
//!             (also for records the classifier re-tagged in the same write)
//! keystroke:  worker.submit(&input, Some(Kind::Customer), 200);      // `/` on a tab
//!             worker.submit(&input, None, 200);                      // Ctrl-K: every kind
//! each tick:  if let Some(r) = worker.try_recv() { show r.hits (or r.hits's QueryError) }
//! draw:       Hit::text with Hit::indices (char indices) in bold; Hit::label/detail in lists
//! ```

mod arena;
mod changes;
mod disk;
mod flat;
mod hits;
mod index;
mod keyscan;
mod load;
mod matcher;
mod narrowing;
mod pinyin_keys;
mod postings;
mod query;
mod rank;
mod scan;
mod slots;
pub mod text;
mod worker;

pub use disk::index_path;
pub use index::{DocInput, SearchIndex};
pub use load::{
    catch_up, load_index, load_index_until, log_head, open_index, open_index_until, rebuild_index,
    refresh_record,
};
pub use matcher::{Matcher, SkimMatcher, SubstringMatcher};
pub use narrowing::Narrowing;
pub use pinyin_keys::{pinyin_keys, sort_ids_by_text, sort_key, PinyinKey, Readings};
pub use query::{parse_query, Filter, Query, QueryError, KNOWN_FILTERS};
pub use scan::Tier;
pub use worker::{spawn_build, BuildHandle, QueryWorker, SearchResults, SharedIndex};

use crate::domain::Kind;
use serde::Serialize;
use std::fmt;

/// Which field of a record a text came from. Ranking prefers the fields
/// higher in this list ([`Field::weight`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum Field {
    /// Customer or product name, deal title, activity summary.
    Name,
    Company,
    /// The customer a deal or activity belongs to.
    Customer,
    /// Job title.
    Title,
    Phone,
    Email,
    City,
    Tags,
    /// Short descriptive fields: industry, source, SKU, brand, category…
    Details,
    /// Long free text: notes, descriptions, next steps.
    Notes,
    /// An activity's summary: its label, but ranked below the names and
    /// companies of customers, so a global search finds who before what
    /// was said.
    Summary,
}

impl Field {
    /// Ranking weight: a name hit beats a notes hit of the same kind.
    pub fn weight(self) -> i64 {
        match self {
            Field::Name => 9,
            Field::Company => 7,
            Field::Customer | Field::Title | Field::Phone | Field::Email => 6,
            Field::City => 5,
            Field::Tags => 4,
            Field::Details => 3,
            Field::Summary => 2,
            Field::Notes => 1,
        }
    }

    /// Whether Chinese text in this field also gets pinyin keys.
    pub fn has_pinyin(self) -> bool {
        matches!(
            self,
            Field::Name | Field::Company | Field::Customer | Field::City | Field::Summary
        )
    }

    /// Which readings the pinyin keys of this field cover: people's names
    /// get every reading of the surname.
    pub fn pinyin_readings(self) -> Readings {
        match self {
            Field::Name => Readings::Surname,
            _ => Readings::Default,
        }
    }

    /// Long free text and the joined tag values are matched by substring
    /// only: fuzzy matching them finds almost anything.
    pub fn fuzzy(self) -> bool {
        !matches!(self, Field::Notes | Field::Tags)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Company => "company",
            Field::Customer => "customer",
            Field::Title => "title",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::City => "city",
            Field::Tags => "tags",
            Field::Details => "details",
            Field::Notes => "notes",
            Field::Summary => "summary",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub kind: Kind,
    pub id: i64,
    /// Higher is better; only comparable within one search.
    pub score: i64,
    /// How the best field matched.
    pub tier: Tier,
    /// The field that matched best.
    pub field: Field,
    /// Whether it matched through the field's pinyin (or phone digits).
    pub via_key: bool,
    /// The record's name (or title, or an activity's summary).
    pub label: String,
    /// Company (customers) or customer name (deals, activities), if any.
    pub detail: String,
    /// The matched field's text as stored.
    pub text: String,
    /// Char indices in `text` to highlight.
    pub indices: Vec<usize>,
}
