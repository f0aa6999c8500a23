//! dossier — a keyboard-driven terminal customer-file manager.
//!
//! Layers: [`domain`] (pure records and validation) → [`store`] (SQLite,
//! one transaction per write) → edges ([`cli`], [`tui`]).

pub mod classify;
pub mod cli;
pub mod domain;
pub mod interchange;
pub mod sample;
pub mod signals;
pub mod store;
pub mod tui;
