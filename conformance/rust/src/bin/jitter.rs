//! Checks the proto's jitter and retry backoff ("Schedule policies") in Rust against the vectors of
//! proto/testdata/jitter: every delay, capped due time and retry wait is computed by
//! `k1s0_parity::policy` from the proto's formulas (sha2's SHA-256, u64 arithmetic, f64 products)
//! and compared; the instants are written by `k1s0_parity::rfc3339` (the proto's "Timestamps").
//!
//! ```sh
//! conformance/rust/target/debug/jitter [proto/testdata/jitter]
//! ```
//!
//! Prints `ok   <what>` or `FAIL <what>: <why>` per case, then `N case(s), M failed`, the same lines
//! as the Python and Go checkers (a list of waits is written `[1000, 2000]`, as Python writes it);
//! exits 1 on any mismatch, 2 when a file cannot be read.
use std::path::Path;
use std::process::ExitCode;

use k1s0_parity::{policy, rfc3339, testdata};
use serde::Deserialize;

#[derive(Deserialize)]
struct DelayCase {
    job_id: String,
    scheduled_at: String,
    scheduled_ms: i64,
    jitter_ms: i64,
    /// H as decimal text: a JSON number above 2^53 would not survive a double.
    hash_u64: String,
    delay_ms: i64,
    // Only in the capped cases.
    #[serde(default)]
    next_scheduled_at: String,
    next_scheduled_ms: Option<i64>,
    #[serde(default)]
    due_at: String,
    #[serde(default)]
    due_ms: i64,
}

#[derive(Deserialize)]
struct Delays {
    delays: Vec<DelayCase>,
    capped: Vec<DelayCase>,
}

#[derive(Deserialize)]
struct Backoff {
    initial_ms: i64,
    max_ms: i64,
    multiplier: f64,
    waits_ms: Vec<i64>,
}

#[derive(Deserialize)]
struct Backoffs {
    backoffs: Vec<Backoff>,
}

/// RFC 3339 UTC text with 3 fraction digits (the instant floored to its second, as Go and Python do).
fn text_of(ms: i64) -> String {
    let (seconds, millis) = (ms.div_euclid(1000), ms.rem_euclid(1000));
    let nanos = i32::try_from(millis * 1_000_000).expect("0..999 ms is below 10^9 ns");
    rfc3339::format(seconds, nanos).unwrap_or_else(|e| format!("(not written: {e})"))
}

/// The problems of the delay part of a case: H, the delay and the scheduled instant's text.
fn check_delay(c: &DelayCase) -> Vec<String> {
    let mut problems = Vec::new();
    let h = policy::jitter_hash(&c.job_id, c.scheduled_ms).to_string();
    if h != c.hash_u64 {
        problems.push(format!("H is {h}, want {}", c.hash_u64));
    }
    let d = policy::jitter_delay(&c.job_id, c.scheduled_ms, c.jitter_ms);
    if d != c.delay_ms {
        problems.push(format!("delay {d}, want {}", c.delay_ms));
    }
    let t = text_of(c.scheduled_ms);
    if t != c.scheduled_at {
        problems.push(format!("scheduled_at {t}, want {}", c.scheduled_at));
    }
    problems
}

/// The id as JSON text (serde_json escapes as Python's json.dumps(ensure_ascii=False) and Go's
/// json.Marshal do for these ids), the instant and the jitter.
fn name(c: &DelayCase) -> String {
    let quoted = serde_json::to_string(&c.job_id).expect("a string is written as JSON");
    format!("{quoted} {} jitter {}", c.scheduled_ms, c.jitter_ms)
}

fn read<T: for<'de> Deserialize<'de>>(dir: &Path, file: &str) -> Result<T, String> {
    testdata::read_json(dir.join(file)).map_err(|e| format!("{file}: {e}"))
}

fn main() -> ExitCode {
    let dir = testdata::path(1, "proto/testdata/jitter");
    let dir = Path::new(&dir);
    let (delays, backoffs) = match read::<Delays>(dir, "delays.json")
        .and_then(|d| read::<Backoffs>(dir, "backoff.json").map(|b| (d, b)))
    {
        Ok(files) => files,
        Err(e) => {
            eprintln!("jitter: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut total, mut failed) = (0, 0);
    let mut report = |what: String, problems: Vec<String>| {
        total += 1;
        if problems.is_empty() {
            println!("ok   {what}");
        } else {
            failed += 1;
            println!("FAIL {what}: {}", problems.join("; "));
        }
    };
    for c in &delays.delays {
        report(format!("delay {}", name(c)), check_delay(c));
    }
    for c in &delays.capped {
        let mut problems = check_delay(c);
        match c.next_scheduled_ms {
            None => problems.push("no next_scheduled_ms".to_owned()),
            Some(next) => {
                let due = policy::due_time(&c.job_id, c.scheduled_ms, c.jitter_ms, Some(next));
                if due != c.due_ms {
                    problems.push(format!("due {due}, want {}", c.due_ms));
                }
                let t = text_of(next);
                if t != c.next_scheduled_at {
                    problems.push(format!(
                        "next_scheduled_at {t}, want {}",
                        c.next_scheduled_at
                    ));
                }
            }
        }
        let t = text_of(c.due_ms);
        if t != c.due_at {
            problems.push(format!("due_at {t}, want {}", c.due_at));
        }
        let next = c.next_scheduled_ms.unwrap_or(0);
        report(format!("capped {} next {next}", name(c)), problems);
    }
    for b in &backoffs.backoffs {
        let got = policy::retry_waits(b.initial_ms, b.max_ms, b.multiplier, b.waits_ms.len());
        let problems = if got == b.waits_ms {
            Vec::new()
        } else {
            vec![format!("waits {got:?}, want {:?}", b.waits_ms)]
        };
        // f64's Display writes 2 and 1.15 as Go's 'f' -1 and Python's float/int do.
        report(
            format!("backoff {}/{}/{}", b.initial_ms, b.max_ms, b.multiplier),
            problems,
        );
    }
    println!("{total} case(s), {failed} failed");
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
