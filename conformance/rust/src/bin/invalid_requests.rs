//! Checks that Rust's protobuf runtime (prost's `Message::decode` of the types generated from
//! scheduler.proto) refuses every malformed request of proto/testdata/invalid/requests.json (see the
//! README there), except the vectors whose `lenient` list names `rust`: those prost is known to
//! accept, and it must still accept them, so that the list stays true. The contract refuses every
//! vector whatever a runtime does; a Rust server must check the lenient ones itself.
//!
//! ```sh
//! conformance/rust/target/debug/invalid_requests [proto/testdata/invalid/requests.json]
//! ```
//!
//! Prints one line per vector, as the Python and Go checkers do, and exits 1 when a vector is not
//! handled as its file says (2 when the file cannot be read).
//!
//! What prost 0.14 does with the vectors (its decoder, not the contract):
//! - it refuses a known field sent with another wire type (Go and Python keep it as an unknown field),
//!   a varint above 64 bits, malformed UTF-8 in a string, a map key or a Struct key, a length past
//!   the end, a truncated varint or tag, field number 0 and wire types 6 and 7;
//! - it skips a group (wire types 3 and 4) in an unknown field, as Go and Python do;
//! - it nests messages at most 100 deep (its default recursion limit), the request at depth 0.
use std::process::ExitCode;

use k1s0_parity::pb;
use k1s0_parity::testdata::{self, JsonError};
use prost::Message;
use serde::Deserialize;

/// The runtime's name in the vectors' `lenient` lists.
const RUNTIME: &str = "rust";

#[derive(Deserialize)]
struct File {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    message: String,
    binary_hex: String,
    lenient: Vec<String>,
}

/// Decodes `bytes` as the request message named `message` with its generated decoder; `None` when
/// the name is not a request message of the service.
fn decode(message: &str, bytes: &[u8]) -> Option<Result<(), prost::DecodeError>> {
    // prost's generated types carry no runtime registry (as Go's and Python's do), so the request
    // messages of SchedulerService are listed here.
    macro_rules! by_name {
        ($($name:ident),* $(,)?) => {
            match message.strip_prefix("k1s0.system.scheduler.v2.")? {
                $(stringify!($name) => Some(pb::$name::decode(bytes).map(drop)),)*
                _ => None,
            }
        };
    }
    by_name!(
        CreateJobRequest,
        GetJobRequest,
        ListJobsRequest,
        PauseJobRequest,
        ResumeJobRequest,
        CancelJobRequest,
        ListExecutionsRequest,
        TriggerJobRequest,
        ApplyJobRequest,
        UpdateJobRequest,
        DeleteJobRequest,
        DescribeJobRequest,
        WatchExecutionsRequest,
    )
}

/// Reads hexadecimal text (two digits a byte, no separators).
fn from_hex(text: &str) -> Result<Vec<u8>, String> {
    if text.len() % 2 != 0 {
        return Err(format!("odd length {}", text.len()));
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| format!("not a hexadecimal byte at offset {i}"))
        })
        .collect()
}

fn main() -> ExitCode {
    let path = testdata::path(1, "proto/testdata/invalid/requests.json");
    let file: File = match testdata::read_json(&path).map_err(|e| match e {
        JsonError::Parse(e) => format!("not a vector file: {e}"),
        e => e.to_string(),
    }) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    if file.vectors.is_empty() {
        eprintln!("no vectors in {path}");
        return ExitCode::from(2);
    }
    let mut failed = 0;
    for v in &file.vectors {
        let bytes = match from_hex(&v.binary_hex) {
            Ok(bytes) => bytes,
            Err(e) => {
                println!("FAIL {}: binary_hex: {e}", v.name);
                failed += 1;
                continue;
            }
        };
        let Some(result) = decode(&v.message, &bytes) else {
            println!("FAIL {}: unknown message {:?}", v.name, v.message);
            failed += 1;
            continue;
        };
        let lenient = v.lenient.iter().any(|r| r == RUNTIME);
        match (result, lenient) {
            (Err(e), false) => println!("ok   {}: refused ({e})", v.name),
            (Ok(()), true) => println!("ok   {}: accepted, as its lenient list says", v.name),
            (Ok(()), false) => {
                println!(
                    "FAIL {}: accepted by Message::decode, but its lenient list does not name {RUNTIME}",
                    v.name
                );
                failed += 1;
            }
            (Err(e), true) => {
                println!(
                    "FAIL {}: refused ({e}), but its lenient list names {RUNTIME}",
                    v.name
                );
                failed += 1;
            }
        }
    }
    if failed > 0 {
        println!("{failed} of {} vectors not as expected", file.vectors.len());
        return ExitCode::FAILURE;
    }
    println!("all {} vectors as expected", file.vectors.len());
    ExitCode::SUCCESS
}
