//! Small drawing pieces shared by the views.

pub mod chips;
