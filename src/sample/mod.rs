//! Sample books: the demo book and synthetic books for benchmarks.

pub mod demo;
pub mod gen;
