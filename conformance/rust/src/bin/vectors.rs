//! Checks the prost types generated from scheduler.proto against every conformance vector in
//! proto/testdata (see its README), as conformance/go/vectors and conformance/python/vectors.py do:
//!
//! - binary_base64 and proto3_json decode to equal messages;
//! - deterministic re-encoding of either gives binary_base64 byte for byte;
//! - binary_base64_map_reordered, where a vector has it (the same message with its map entries in
//!   reverse order), decodes to the same message and re-encodes to binary_base64;
//! - the client's own types (`k1s0_parity::pb`, maps in a HashMap) decode binary_base64 and the
//!   reordered form, and re-encode them to the same message;
//! - the proto3 JSON output equals proto3_json as a JSON value;
//! - for google.rpc.Status, the Any unpacks to the ErrorInfo of the domain form;
//! - every timestamp of a domain value (exact RFC 3339 text), also in a nested value (the job of an
//!   ApplyJobResponse or a DescribeJobResponse, the execution of a WatchExecutionsResponse, each of a
//!   job's running executions), read with `k1s0_parity::rfc3339`, equals the message's Timestamp to
//!   the nanosecond, and an event's snake_case_json completed_at is that value as
//!   `rfc3339::format` writes it.
//!
//! ```sh
//! conformance/rust/target/debug/vectors [proto/testdata]
//! ```
//!
//! Prints one line per vector and exits 1 on any mismatch (2 when there is no vector to read).
//!
//! How the Rust crates meet the contract, and the traps:
//!
//! - prost generates maps as `HashMap`s, whose encoding order changes from one run to the next, so
//!   its bytes cannot equal binary_base64 (map entries sorted by key) for a map of 2 or more
//!   entries. build.rs therefore also generates the messages with `BTreeMap`s (`sorted` below), whose
//!   encoding is sorted by key: the byte-for-byte checks use those; the client's HashMap types are
//!   checked by decoding their output again and comparing messages. (`google.protobuf.Struct` of
//!   prost-types is a BTreeMap already.)
//! - prost has no proto3 JSON. prost-reflect reads and writes it on a `DynamicMessage` built from
//!   the proto's FileDescriptorSet (written by build.rs) and tonic-types' google.rpc descriptors; the
//!   dynamic message is then encoded and decoded into the prost type.
//! - prost-reflect packs the ErrorInfo of a JSON `Any` with its HashMap, so `Any.value` holds the
//!   metadata entries in any order: the Any is packed again with a sorted ErrorInfo before its bytes
//!   are compared (the trap Python's json_format has too).
//! - JSON is compared as parsed values, numbers by value: prost-reflect prints a double 2 as `2.0`
//!   where the vector has `2`.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use k1s0_parity::testdata::{self, JsonError};
use k1s0_parity::{pb, rfc3339};
use prost::{Message, Name};
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, Value as Field};
use serde::Deserialize;
use serde_json::Value;
use tonic_types::pb::{ErrorInfo, Status};

/// The messages of scheduler.proto with every map a BTreeMap (see build.rs): their encoding writes
/// map entries sorted by key, as binary_base64 holds them.
mod sorted {
    include!(concat!(
        env!("OUT_DIR"),
        "/btree_map/k1s0.system.scheduler.v2.rs"
    ));
}

/// The encoded FileDescriptorSet of scheduler.proto and its imports (see build.rs).
const SCHEDULER_DESCRIPTORS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/scheduler.bin"));

/// The domain of the errors of the scheduler (ErrorInfo.domain).
const ERROR_DOMAIN: &str = "scheduler.k1s0.system";
/// The type URL of a packed google.rpc.ErrorInfo.
const ERROR_INFO_URL: &str = "type.googleapis.com/google.rpc.ErrorInfo";

/// The domain keys whose timestamps are carried exactly, with their proto field names.
const EXACT_KEYS: [(&str, &str); 7] = [
    ("completedAt", "completed_at"),
    ("createdAt", "created_at"),
    ("finishedAt", "finished_at"),
    ("lastRunAt", "last_run_at"),
    ("nextRunAt", "next_run_at"),
    ("startedAt", "started_at"),
    ("updatedAt", "updated_at"),
];
/// The nested domain values whose timestamps are checked too, with their proto field names.
const NESTED_KEYS: [(&str, &str); 2] = [("execution", "execution"), ("job", "job")];
/// The nested lists of domain values whose timestamps are checked too, item by item.
const REPEATED_KEYS: [(&str, &str); 1] = [("runningExecutions", "running_executions")];

/// One file of proto/testdata.
#[derive(Deserialize)]
struct Vector {
    message: String,
    domain: Value,
    proto3_json: Value,
    binary_base64: String,
    binary_base64_map_reordered: Option<String>,
    snake_case_json: Option<String>,
}

/// google.rpc.ErrorInfo with its metadata in a BTreeMap. tonic-types' ErrorInfo holds a HashMap,
/// which packs the entries in any order; this one packs an Any deterministically.
#[derive(Clone, PartialEq, Message)]
struct SortedErrorInfo {
    #[prost(string, tag = "1")]
    reason: String,
    #[prost(string, tag = "2")]
    domain: String,
    #[prost(btree_map = "string, string", tag = "3")]
    metadata: BTreeMap<String, String>,
}

/// The descriptors prost-reflect reads and writes proto3 JSON with: scheduler.proto (with the
/// google.protobuf types it imports) and google.rpc's, from tonic-types.
fn descriptor_pool() -> DescriptorPool {
    let mut pool = DescriptorPool::new();
    pool.decode_file_descriptor_set(SCHEDULER_DESCRIPTORS)
        .expect("build.rs writes a valid FileDescriptorSet");
    pool.decode_file_descriptor_set(tonic_types::pb::FILE_DESCRIPTOR_SET)
        .expect("tonic-types carries a valid FileDescriptorSet");
    pool
}

/// What each kind of message checks beyond the common checks.
type Extra<S> = fn(&S, &DynamicMessage, &Vector) -> Vec<String>;

/// Checks one vector of message type `S` (the sorted type) and `C` (the client's type of the same
/// message). `repack` makes the message parsed from JSON deterministic where prost-reflect is not.
fn check_as<C, S>(
    v: &Vector,
    desc: MessageDescriptor,
    repack: fn(&mut S) -> Result<(), String>,
    extra: Extra<S>,
) -> Vec<String>
where
    C: Message + Default,
    S: Message + Default + PartialEq + std::fmt::Debug,
{
    let wire = match BASE64.decode(&v.binary_base64) {
        Ok(wire) => wire,
        Err(e) => return vec![format!("binary_base64: {e}")],
    };
    let from_binary = match S::decode(wire.as_slice()) {
        Ok(m) => m,
        Err(e) => return vec![format!("decoding binary_base64: {e}")],
    };
    let dynamic_json = match DynamicMessage::deserialize(desc.clone(), &v.proto3_json) {
        Ok(m) => m,
        Err(e) => return vec![format!("parsing proto3_json: {e}")],
    };
    let mut from_json = match S::decode(dynamic_json.encode_to_vec().as_slice()) {
        Ok(m) => m,
        Err(e) => return vec![format!("decoding the parsed proto3_json with prost: {e}")],
    };
    let mut problems = Vec::new();
    if let Err(e) = repack(&mut from_json) {
        problems.push(format!("packing the parsed proto3_json's Any again: {e}"));
    }

    if from_binary != from_json {
        problems.push(format!("binary and proto3_json decode to different messages:\n    binary: {from_binary:?}\n    json:   {from_json:?}"));
    }
    for (name, m) in [
        ("decoded binary", &from_binary),
        ("parsed proto3_json", &from_json),
    ] {
        let encoded = m.encode_to_vec();
        if encoded != wire {
            problems.push(format!(
                "re-encoding the {name} gives other bytes:\n    want {}\n    got  {}",
                v.binary_base64,
                BASE64.encode(&encoded)
            ));
        }
    }
    // The client's types: the same message after a round trip, whatever order their maps write.
    let through_client = |bytes: &[u8]| -> Result<S, String> {
        let client = C::decode(bytes).map_err(|e| e.to_string())?;
        S::decode(client.encode_to_vec().as_slice()).map_err(|e| e.to_string())
    };
    match through_client(&wire) {
        Ok(m) if m == from_binary => {}
        Ok(m) => problems.push(format!("the client's types (k1s0_parity::pb) decode and re-encode binary_base64 to another message: {m:?}")),
        Err(e) => problems.push(format!("the client's types (k1s0_parity::pb) do not decode binary_base64: {e}")),
    }

    if let Some(reordered_base64) = &v.binary_base64_map_reordered {
        match BASE64.decode(reordered_base64) {
            Err(e) => problems.push(format!("binary_base64_map_reordered: {e}")),
            Ok(reordered) if reordered == wire => {
                problems.push("binary_base64_map_reordered is binary_base64 itself".to_owned())
            }
            Ok(reordered) => match S::decode(reordered.as_slice()) {
                Err(_) => problems.push("binary_base64_map_reordered does not decode".to_owned()),
                Ok(m) if m != from_binary => problems.push(format!(
                    "binary_base64_map_reordered decodes to another message: {m:?}"
                )),
                Ok(m) => {
                    if m.encode_to_vec() != wire {
                        problems.push("re-encoding binary_base64_map_reordered deterministically does not give binary_base64".to_owned());
                    }
                    if through_client(&reordered).ok().as_ref() != Some(&from_binary) {
                        problems.push("the client's types (k1s0_parity::pb) read binary_base64_map_reordered as another message".to_owned());
                    }
                }
            },
        }
    }

    let dynamic_binary = match DynamicMessage::decode(desc, wire.as_slice()) {
        Ok(m) => m,
        Err(e) => {
            problems.push(format!("decoding binary_base64 with prost-reflect: {e}"));
            return problems;
        }
    };
    match serde_json::to_value(&dynamic_binary) {
        Err(e) => problems.push(format!("printing proto3 JSON: {e}")),
        Ok(printed) if !same_json(&printed, &v.proto3_json) => problems.push(format!(
            "proto3 JSON output differs from proto3_json:\n    want {}\n    got  {}",
            v.proto3_json, printed
        )),
        Ok(_) => {}
    }

    problems.extend(extra(&from_binary, &dynamic_binary, v));
    problems
}

/// Nothing to pack again: the scheduler's messages hold no Any.
fn keep<S>(_: &mut S) -> Result<(), String> {
    Ok(())
}

/// Packs every ErrorInfo in a Status's details again with sorted metadata, as binary_base64 holds it.
fn repack_status(status: &mut Status) -> Result<(), String> {
    for any in status
        .details
        .iter_mut()
        .filter(|any| any.type_url == ERROR_INFO_URL)
    {
        let info = SortedErrorInfo::decode(any.value.as_slice())
            .map_err(|e| format!("{}: {e}", any.type_url))?;
        any.value = info.encode_to_vec();
    }
    Ok(())
}

/// The domain timestamps of a scheduler message, and an event's snake_case_json completed_at.
fn scheduler_timestamps<S>(_: &S, m: &DynamicMessage, v: &Vector) -> Vec<String> {
    let mut problems = match v.domain.as_object() {
        Some(_) => check_timestamps(m, &v.domain, "domain"),
        None => vec!["domain is not a JSON object".to_owned()],
    };
    if let Some(snake) = &v.snake_case_json {
        problems.extend(check_snake_timestamp(m, snake));
    }
    problems
}

/// The ErrorInfo of a google.rpc.Status, compared with the domain form.
fn status_error_info(status: &Status, _: &DynamicMessage, v: &Vector) -> Vec<String> {
    let want = |key: &str| v.domain.get(key).cloned().unwrap_or(Value::Null);
    let mut problems = Vec::new();
    if Some(i64::from(status.code)) != want("grpcCode").as_i64()
        || Some(status.message.as_str()) != want("message").as_str()
    {
        problems.push(format!(
            "status code/message {} {:?}, want {} {}",
            status.code,
            status.message,
            want("grpcCode"),
            want("message")
        ));
    }
    let [detail] = status.details.as_slice() else {
        problems.push(format!(
            "{} details, want exactly one ErrorInfo",
            status.details.len()
        ));
        return problems;
    };
    if detail.type_url != ERROR_INFO_URL {
        problems.push(format!(
            "details[0] is a {}, not an ErrorInfo",
            detail.type_url
        ));
        return problems;
    }
    let info = match ErrorInfo::decode(detail.value.as_slice()) {
        Ok(info) => info,
        Err(e) => {
            problems.push(format!("details[0] is not an ErrorInfo: {e}"));
            return problems;
        }
    };
    let text = |key: &str| want(key).as_str().unwrap_or_default().to_owned();
    let want_metadata = BTreeMap::from([
        ("job_id".to_owned(), text("jobId")),
        ("operation".to_owned(), text("operation")),
    ]);
    let metadata: BTreeMap<String, String> = info.metadata.clone().into_iter().collect();
    if info.reason != text("code") || info.domain != ERROR_DOMAIN || metadata != want_metadata {
        problems.push(format!(
            "ErrorInfo {info:?}, want reason {}, domain {ERROR_DOMAIN}, metadata {want_metadata:?}",
            text("code")
        ));
    }
    problems
}

/// Reads `text` strictly and compares it with the Timestamp field `field` of `m`; the problem, if any.
fn compare_timestamp(m: &DynamicMessage, what: &str, text: &str, field: &str) -> Option<String> {
    let seconds_and_nanos = |ts: &DynamicMessage| {
        Some((
            ts.get_field_by_name("seconds")?.as_i64()?,
            ts.get_field_by_name("nanos")?.as_i32()?,
        ))
    };
    let timestamp = m
        .has_field_by_name(field)
        .then(|| m.get_field_by_name(field))
        .flatten()
        .and_then(|f| f.as_message().and_then(seconds_and_nanos));
    let Some((seconds, nanos)) = timestamp else {
        return Some(format!(
            "{what} is {text:?}, but the message has no {field}"
        ));
    };
    match rfc3339::parse(text) {
        Err(e) => Some(format!("{what}: {e}")),
        Ok((s, n)) if (s, n) != (seconds, nanos) => Some(format!(
            "{what} {text:?} reads as {{{s} {n}}}, the message has {{{seconds} {nanos}}}"
        )),
        Ok(_) => None,
    }
}

/// Compares every exact timestamp of a domain value, and of its nested values, with the message's.
fn check_timestamps(m: &DynamicMessage, domain: &Value, at: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, field) in EXACT_KEYS {
        if let Some(text) = domain.get(key).and_then(Value::as_str) {
            problems.extend(compare_timestamp(m, &format!("{at}.{key}"), text, field));
        }
    }
    for (key, field) in NESTED_KEYS {
        let Some(nested) = domain.get(key).filter(|n| n.is_object()) else {
            continue;
        };
        match m
            .has_field_by_name(field)
            .then(|| m.get_field_by_name(field))
            .flatten()
        {
            Some(f) if f.as_message().is_some() => {
                let message = f.as_message().expect("checked just above");
                problems.extend(check_timestamps(message, nested, &format!("{at}.{key}")));
            }
            _ => problems.push(format!("{at}.{key} is set, but the message has no {field}")),
        }
    }
    for (key, field) in REPEATED_KEYS {
        let Some(items) = domain.get(key).and_then(Value::as_array) else {
            continue;
        };
        let list = m.get_field_by_name(field);
        let Some(list) = list.as_deref().and_then(Field::as_list) else {
            problems.push(format!(
                "{at}.{key} is set, but the message has no list {field}"
            ));
            continue;
        };
        if list.len() != items.len() {
            problems.push(format!(
                "{at}.{key} has {} items, the message's {field} {}",
                items.len(),
                list.len()
            ));
            continue;
        }
        for (i, (item, got)) in items.iter().zip(list).enumerate() {
            match (item.is_object(), got.as_message()) {
                (true, Some(message)) => {
                    problems.extend(check_timestamps(message, item, &format!("{at}.{key}[{i}]")))
                }
                (true, None) => problems.push(format!(
                    "{at}.{key}[{i}] is set, but the message's {field}[{i}] is no message"
                )),
                (false, _) => {}
            }
        }
    }
    problems
}

/// Compares an event's snake_case_json completed_at with the message's, and with the text a
/// producer writes.
fn check_snake_timestamp(m: &DynamicMessage, snake: &str) -> Vec<String> {
    let parsed: Value = match serde_json::from_str(snake) {
        Ok(value) => value,
        Err(e) => return vec![format!("snake_case_json: {e}")],
    };
    let Some(text) = parsed.get("completed_at").and_then(Value::as_str) else {
        return vec!["snake_case_json has no completed_at text".to_owned()];
    };
    let mut problems: Vec<String> =
        compare_timestamp(m, "snake_case_json completed_at", text, "completed_at")
            .into_iter()
            .collect();
    if let Ok((s, n)) = rfc3339::parse(text) {
        match rfc3339::format(s, n) {
            Ok(written) if written == text => {}
            Ok(written) => problems.push(format!("snake_case_json completed_at {text:?} is not written as a producer writes it: {written:?}")),
            Err(e) => problems.push(format!("snake_case_json completed_at: {e}")),
        }
    }
    problems
}

/// Whether two JSON values are equal as parsed values: objects whatever their member order, and
/// numbers by value (`2` and `2.0` are the same number).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// Checks one vector with the type its `message` names.
fn check_vector(v: &Vector, pool: &DescriptorPool) -> Vec<String> {
    let Some(desc) = pool.get_message_by_name(&v.message) else {
        return vec![format!("unknown message {:?}", v.message)];
    };
    if v.message == "google.rpc.Status" {
        return check_as::<Status, Status>(v, desc, repack_status, status_error_info);
    }
    // Every message of scheduler.proto, by its full name: the client's type and the sorted one.
    macro_rules! by_name {
        ($($message:ident),* $(,)?) => {
            $(if v.message == sorted::$message::full_name() {
                return check_as::<pb::$message, sorted::$message>(v, desc, keep, scheduler_timestamps);
            })*
        };
    }
    by_name!(
        Schedule,
        CronSchedule,
        OneShotSchedule,
        IntervalSchedule,
        Job,
        SchedulePolicy,
        RetryBackoff,
        JobStats,
        JobSpec,
        JobExecution,
        JobCompletedEvent,
        CreateJobRequest,
        CreateJobResponse,
        GetJobRequest,
        GetJobResponse,
        ListJobsRequest,
        ListJobsResponse,
        PauseJobRequest,
        PauseJobResponse,
        ResumeJobRequest,
        ResumeJobResponse,
        CancelJobRequest,
        CancelJobResponse,
        ListExecutionsRequest,
        ListExecutionsResponse,
        TriggerJobRequest,
        TriggerJobResponse,
        ApplyJobRequest,
        ApplyJobResponse,
        UpdateJobRequest,
        UpdateJobResponse,
        DeleteJobRequest,
        DeleteJobResponse,
        DescribeJobRequest,
        DescribeJobResponse,
        WatchExecutionsRequest,
        WatchExecutionsResponse,
    );
    vec![format!(
        "no Rust type for message {:?} (add it to by_name! in vectors.rs)",
        v.message
    )]
}

/// The problems of one file.
fn check_file(path: &Path, pool: &DescriptorPool) -> Vec<String> {
    match testdata::read_json::<Vector>(path) {
        Ok(v) => check_vector(&v, pool),
        Err(JsonError::Read(e)) => vec![e.to_string()],
        Err(JsonError::Parse(e)) => vec![format!("not a vector: {e}")],
    }
}

/// The `*.json` files of `dir`, sorted by name.
fn vector_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

fn main() -> ExitCode {
    let dir = PathBuf::from(testdata::path(1, "proto/testdata"));
    let paths = match vector_files(&dir) {
        Ok(paths) if !paths.is_empty() => paths,
        _ => {
            eprintln!("vectors: no *.json in {}", dir.display());
            return ExitCode::from(2);
        }
    };
    let pool = descriptor_pool();
    let mut failed = 0;
    for path in &paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let problems = check_file(path, &pool);
        if problems.is_empty() {
            println!("ok   {name}");
        } else {
            failed += 1;
            println!("FAIL {name}\n  - {}", problems.join("\n  - "));
        }
    }
    println!("{} vector(s), {failed} failed", paths.len());
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
