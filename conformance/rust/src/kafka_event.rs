//! The Kafka wire format of `JobCompletedEvent`, as the proto's comment on that message defines it,
//! for the rdkafka programs (`consume_events`, `produce_events`).
//!
//! A message's `content-type` header says how its value is encoded:
//!   - `application/json` (or no header): UTF-8 JSON with the snake_case names
//!     `{"job_id","execution_id","completed_at","result"}` plus `"error"` and `"attempt"`, or the
//!     proto3 JSON form of the message (lowerCamelCase names). Unknown fields are ignored.
//!   - `application/x-protobuf`: the binary protobuf of the message (prost's generated type).
//!
//! The rules a reader must keep, and the traps of doing so in Rust:
//!   - `completed_at` is read with any offset and 1 to 9 fraction digits, every digit kept, and
//!     nothing else (the "Timestamps" rule; see `rfc3339`): chrono alone accepts more.
//!   - `result` is read by the proto's alias table: "succeeded", "failed", "timed_out", "success",
//!     "failure", the enum names and the enum numbers as text, ASCII letters in any case, or the
//!     numbers 2, 3 and 4; anything else makes the event invalid. A Rust `enum` with serde's
//!     `rename_all` would accept one spelling only, and with Unicode case folding more than these.
//!   - The value is well-formed UTF-8, and no string or key in it (ignored ones included) holds a
//!     lone surrogate: `serde_json::from_slice` into a `Value` refuses both (it never substitutes
//!     U+FFFD), so this holds by construction.
//!   - `error` null or absent means none; `attempt` null, absent or 0 means unknown.
use serde_json::{Map, Value};

use crate::pb::{ExecutionResult, JobCompletedEvent};
use crate::rfc3339;

/// The content type of the JSON form, which every producer writes.
pub const CONTENT_TYPE_JSON: &str = "application/json";
/// The content type of the binary protobuf form.
pub const CONTENT_TYPE_PROTOBUF: &str = "application/x-protobuf";

/// A decoded event: the fields of the proto message, with `completed_at` as its exact instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub job_id: String,
    pub execution_id: String,
    /// Seconds since 1970-01-01T00:00:00Z.
    pub completed_at_seconds: i64,
    /// 0 to 999,999,999.
    pub completed_at_nanos: i32,
    /// SUCCEEDED, FAILED or TIMED_OUT.
    pub result: ExecutionResult,
    pub error: Option<String>,
    /// 0 means unknown (an older producer).
    pub attempt: i32,
    /// JSON members the event carried beyond the ones read (ignored, as the contract says).
    pub ignored_fields: Vec<String>,
}

/// How a value was encoded, by its `content-type` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Protobuf,
}

impl Format {
    /// The media type of a `content-type` header value (parameters dropped, case folded); JSON when
    /// the header is absent. An unknown type is an error: the value cannot be read.
    pub fn of_content_type(header: Option<&[u8]>) -> Result<Format, String> {
        let Some(raw) = header else {
            return Ok(Format::Json);
        };
        let text = std::str::from_utf8(raw)
            .map_err(|_| "the content-type header is not UTF-8".to_string())?;
        let media = text
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match media.as_str() {
            CONTENT_TYPE_JSON => Ok(Format::Json),
            CONTENT_TYPE_PROTOBUF | "application/protobuf" => Ok(Format::Protobuf),
            _ => Err(format!("unknown content-type {text:?}")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Protobuf => "protobuf",
        }
    }
}

/// Decodes a Kafka value in the given format, or says why it is not a valid event.
pub fn decode(format: Format, value: &[u8]) -> Result<Event, String> {
    if value.is_empty() {
        return Err("the message has no value".into());
    }
    match format {
        Format::Json => decode_json(value),
        Format::Protobuf => decode_protobuf(value),
    }
}

/// The result a JSON `result` value stands for, by the proto's alias table.
pub fn result_of(value: &Value) -> Option<ExecutionResult> {
    match value {
        // 2.0 is the number 2 in JSON; serde_json keeps it as a float.
        Value::Number(n) => match n.as_f64() {
            Some(2.0) => Some(ExecutionResult::Succeeded),
            Some(3.0) => Some(ExecutionResult::Failed),
            Some(4.0) => Some(ExecutionResult::TimedOut),
            _ => None,
        },
        // ASCII case folding only: "Success" matches, a Unicode look-alike does not.
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "succeeded" | "success" | "execution_result_succeeded" | "2" => {
                Some(ExecutionResult::Succeeded)
            }
            "failed" | "failure" | "execution_result_failed" | "3" => Some(ExecutionResult::Failed),
            "timed_out" | "execution_result_timed_out" | "4" => Some(ExecutionResult::TimedOut),
            _ => None,
        },
        _ => None,
    }
}

/// A member by its snake_case name, else by its lowerCamelCase one. A member that is present with
/// JSON null counts as present (and is then refused where a string is needed).
fn pick<'a>(o: &'a Map<String, Value>, snake: &str, camel: &str) -> Option<&'a Value> {
    o.get(snake).or_else(|| o.get(camel))
}

fn non_empty(o: &Map<String, Value>, snake: &str, camel: &str) -> Result<String, String> {
    match pick(o, snake, camel) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(format!("{snake} must not be empty")),
        Some(other) => Err(format!("{snake} must be a string, got {other}")),
        None => Err(format!("{snake} is missing")),
    }
}

/// The members the reader looks at; any other member is ignored (and listed as such).
const READ: [&str; 9] = [
    "job_id",
    "jobId",
    "execution_id",
    "executionId",
    "completed_at",
    "completedAt",
    "result",
    "error",
    "attempt",
];

fn decode_json(value: &[u8]) -> Result<Event, String> {
    // from_slice refuses malformed UTF-8 and lone surrogates in any string or key.
    let json: Value =
        serde_json::from_slice(value).map_err(|e| format!("not a JSON value: {e}"))?;
    let Value::Object(o) = json else {
        return Err("not a JSON object".into());
    };
    let job_id = non_empty(&o, "job_id", "jobId")?;
    let execution_id = non_empty(&o, "execution_id", "executionId")?;
    let completed_at = match pick(&o, "completed_at", "completedAt") {
        Some(Value::String(s)) => s,
        Some(other) => return Err(format!("completed_at must be a string, got {other}")),
        None => return Err("completed_at is missing".into()),
    };
    let (seconds, nanos) =
        rfc3339::parse(completed_at).map_err(|e| format!("completed_at: {e}"))?;
    let result = match o.get("result") {
        Some(r) => result_of(r).ok_or_else(|| {
            format!("result must be succeeded, failed or timed_out (or an alias of the proto's table), got {r}")
        })?,
        None => return Err("result is missing".into()),
    };
    let error = match o.get("error") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => return Err(format!("error must be a string, got {other}")),
    };
    let attempt = match o.get("attempt") {
        None | Some(Value::Null) => 0,
        // proto3 JSON may write an int32 as a string of digits.
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s
            .parse::<i32>()
            .map_err(|_| format!("attempt {s:?} is out of range"))?,
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|a| i32::try_from(a).ok())
            .ok_or_else(|| format!("attempt must be an integer from 0 to 2147483647, got {n}"))?,
        Some(other) => return Err(format!("attempt must be an integer, got {other}")),
    };
    let ignored_fields = o
        .keys()
        .filter(|k| !READ.contains(&k.as_str()))
        .cloned()
        .collect();
    Ok(Event {
        job_id,
        execution_id,
        completed_at_seconds: seconds,
        completed_at_nanos: nanos,
        result,
        error,
        attempt,
        ignored_fields,
    })
}

fn decode_protobuf(value: &[u8]) -> Result<Event, String> {
    // prost refuses a truncated message and malformed UTF-8 in a string field.
    let m = <JobCompletedEvent as prost::Message>::decode(value)
        .map_err(|e| format!("not a protobuf JobCompletedEvent: {e}"))?;
    if m.job_id.is_empty() {
        return Err("job_id must not be empty".into());
    }
    if m.execution_id.is_empty() {
        return Err("execution_id must not be empty".into());
    }
    let at = m.completed_at.ok_or("completed_at is missing")?;
    // The instant must lie in the contract's range; format checks it.
    rfc3339::format(at.seconds, at.nanos).map_err(|e| format!("completed_at: {e}"))?;
    let result = match ExecutionResult::try_from(m.result) {
        Ok(
            r @ (ExecutionResult::Succeeded | ExecutionResult::Failed | ExecutionResult::TimedOut),
        ) => r,
        _ => {
            return Err(format!(
                "result {} is not SUCCEEDED, FAILED or TIMED_OUT",
                m.result
            ))
        }
    };
    if m.attempt < 0 {
        return Err(format!("attempt {} is negative", m.attempt));
    }
    Ok(Event {
        job_id: m.job_id,
        execution_id: m.execution_id,
        completed_at_seconds: at.seconds,
        completed_at_nanos: at.nanos,
        result,
        error: m.error,
        attempt: m.attempt,
        ignored_fields: Vec::new(),
    })
}

/// The event's `result` as the snake_case JSON writes it.
pub fn result_text(result: ExecutionResult) -> &'static str {
    match result {
        ExecutionResult::Succeeded => "succeeded",
        ExecutionResult::Failed => "failed",
        ExecutionResult::TimedOut => "timed_out",
        ExecutionResult::Running => "running",
        ExecutionResult::Unspecified => "unspecified",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Result<Event, String> {
        decode(Format::Json, text.as_bytes())
    }

    #[test]
    fn reads_every_form_the_contract_lists() {
        let e = json(r#"{"jobId":"j","executionId":"e","completedAt":"2026-11-22T19:00:00.5+09:00","result":"EXECUTION_RESULT_TIMED_OUT","error":"x","attempt":"4","extra":{"a":[1]}}"#)
            .expect("proto3 JSON form");
        assert_eq!(
            (e.completed_at_seconds, e.completed_at_nanos),
            (1_795_341_600, 500_000_000)
        );
        assert_eq!(
            (e.result, e.error.as_deref(), e.attempt),
            (ExecutionResult::TimedOut, Some("x"), 4)
        );
        assert_eq!(e.ignored_fields, vec!["extra".to_string()]);
        for (r, want) in [
            ("\"Success\"", ExecutionResult::Succeeded),
            ("\"FAILURE\"", ExecutionResult::Failed),
            ("3", ExecutionResult::Failed),
            ("\"4\"", ExecutionResult::TimedOut),
        ] {
            let e = json(&format!(r#"{{"job_id":"j","execution_id":"e","completed_at":"2026-11-22T10:00:00Z","result":{r},"error":null,"attempt":0}}"#)).expect(r);
            assert_eq!((e.result, e.error, e.attempt), (want, None, 0));
        }
    }

    #[test]
    fn refuses_what_the_contract_refuses() {
        let base = |field: &str| {
            format!(
                r#"{{"job_id":"j","execution_id":"e","completed_at":"2026-11-22T10:00:00Z","result":"succeeded"{field}}}"#
            )
        };
        for bad in [
            r#"{"job_id":"j","execution_id":"e","completed_at":"2026-11-22T10:00:00Z","result":"timeout"}"#.into(),
            r#"{"job_id":"j","execution_id":"e","completed_at":"2026-02-30T10:00:00Z","result":"succeeded"}"#.into(),
            r#"{"job_id":"j","execution_id":"e\ud800","completed_at":"2026-11-22T10:00:00Z","result":"succeeded"}"#.into(),
            base(r#","x\udc00":1"#),
            base(r#","attempt":-1"#),
            r#"{"job_id":"","execution_id":"e","completed_at":"2026-11-22T10:00:00Z","result":"succeeded"}"#.into(),
            r#"{"job_id":"j","execution_id":"e","completed_at":"2026-11-22T10:00:00Z","result":1}"#.into(),
            r#"{"job_id":"j","execution_id":"e","completed_at":"2026-11-22T10:00:00Z","result":"ſuccess"}"#.into(),
        ] {
            assert!(json(&bad).is_err(), "accepted {bad}");
        }
        let mut malformed = base("").into_bytes();
        malformed[10] = 0xc3;
        assert!(decode(Format::Json, &malformed).is_err());
    }
}
