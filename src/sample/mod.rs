//! Sample books
