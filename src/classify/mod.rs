//! The classification engine: facts, rules and the evaluator. Pure — no
//! database, no terminal. The classifier takes a record's facts, the book's
//! cut points and returns tags, each with the reason it was given.
//!
//! - [`facts`]: the catalogue of facts per subject and the [`Facts`] of one record.
//! - [`compute`]: from a record and its related rows to its facts.
//! - [`cuts`]: percentiles of facts over the whole book.
//! - [`rules`]: rule files (built-in `assets/rules.toml`, a user's file over it).
//! - [`eval`]: evaluating rules and rendering reasons.

pub mod compute;
pub mod cuts;
pub mod due;
pub mod eval;
pub mod facts;
pub mod labels;
pub mod rules;

#[cfg(test)]
mod tests;

pub use cuts::CutPoints;
pub use eval::{format_num, Outcome};
pub use facts::{FactValue, Facts, Subject};
pub use rules::{config_dir, RuleError, RuleSet, Setting};

use serde::Serialize;

/// A tag on a record: one value per dimension, with the reason it was applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    pub dimension: String,
    pub value: String,
    pub reason: String,
}
