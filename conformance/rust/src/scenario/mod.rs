//! The shared parts of the parity scenario (`src/bin/scenario.rs`; the steps are listed under "The
//! scenario" in conformance/README.md): the transcript format, the outcome of a failed call read
//! from its status details, and a pass-through codec for requests sent as raw bytes.
pub mod format;
pub mod outcome;
pub mod raw;
