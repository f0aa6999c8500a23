//! dossier — a keyboard-driven terminal customer-file manager.
//!
//! Layers: [`domain`] (pure records and validation) → [`store`] (SQLite,
//! one transaction per write) → [`search`] (in-memory index) → edges ([`cli`], [`tui`]).

pub mod classify;
pub mod cli;
pub mod domain;
pub mod i18n;
pub mod interchange;
pub mod sample;
pub mod search;
pub mod signals;
pub mod store;
pub mod tui;
