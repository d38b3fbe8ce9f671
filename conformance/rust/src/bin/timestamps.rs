//! Checks the proto's "Timestamps" rule in Rust against the text-timestamp vectors
//! (proto/testdata/timestamps/rfc3339.json): every valid text is read as exactly its {seconds,
//! nanos} and written back as its utc text, and every invalid one is refused.
//!
//! ```sh
//! conformance/rust/target/debug/timestamps [proto/testdata/timestamps/rfc3339.json]
//! ```
//!
//! The reader and writer are `k1s0_parity::rfc3339` (see there for the adapter that chrono's
//! `DateTime::parse_from_rfc3339` needs). Prints one line per case, as the Python and Go checkers
//! do, and exits 1 on any mismatch (2 when the file cannot be read).
use std::process::ExitCode;

use k1s0_parity::rfc3339;
use k1s0_parity::testdata::{self, JsonError};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    valid: Vec<Valid>,
    invalid: Vec<Invalid>,
}

#[derive(Deserialize)]
struct Valid {
    text: String,
    seconds: i64,
    nanos: i32,
    utc: String,
}

#[derive(Deserialize)]
struct Invalid {
    text: String,
    why: String,
}

/// The problems of one valid case: it must read as exactly its value and be written as its utc text.
fn check_valid(c: &Valid) -> Option<String> {
    let (s, n) = match rfc3339::parse(&c.text) {
        Ok(value) => value,
        Err(e) => return Some(format!("refused: {e}")),
    };
    if (s, n) != (c.seconds, c.nanos) {
        return Some(format!(
            "read as {{{s} {n}}}, want {{{} {}}}",
            c.seconds, c.nanos
        ));
    }
    match rfc3339::format(s, n) {
        Ok(written) if written == c.utc => None,
        Ok(written) => Some(format!("written as {written}, want {}", c.utc)),
        Err(e) => Some(format!("not written: {e}")),
    }
}

fn main() -> ExitCode {
    let path = testdata::path(1, "proto/testdata/timestamps/rfc3339.json");
    let vectors: Vectors = match testdata::read_json(&path) {
        Ok(v) => v,
        Err(JsonError::Read(e)) => {
            eprintln!("timestamps: {path}: {e}");
            return ExitCode::from(2);
        }
        Err(JsonError::Parse(e)) => {
            eprintln!("timestamps: {path}: {e}");
            return ExitCode::from(2);
        }
    };

    let mut failed = 0;
    let mut report = |kind: &str, text: &str, problem: Option<String>| {
        // JSON quoting, as the other checkers print the text (non-ASCII kept as it is).
        let quoted = serde_json::to_string(text).expect("a string always serializes");
        match problem {
            None => println!("ok   {kind} {quoted}"),
            Some(why) => {
                failed += 1;
                println!("FAIL {kind} {quoted}: {why}");
            }
        }
    };
    for c in &vectors.valid {
        report("valid", &c.text, check_valid(c));
    }
    for c in &vectors.invalid {
        let problem = rfc3339::parse(&c.text)
            .ok()
            .map(|(s, n)| format!("read as {{{s} {n}}}, but it is invalid ({})", c.why));
        report("invalid", &c.text, problem);
    }
    println!(
        "{} case(s), {failed} failed",
        vectors.valid.len() + vectors.invalid.len()
    );
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
