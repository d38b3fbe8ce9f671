//! Computes the size and depth of every payload of proto/testdata/limits/payloads.json by the rule
//! of scheduler.proto ("Payload size and depth") and checks them against the file.
//!
//! ```sh
//! conformance/rust/target/debug/payload_limits [proto/testdata/limits/payloads.json]
//! ```
//!
//! The size is the byte length of the UTF-8 text that ECMAScript's `JSON.stringify` writes.
//! serde_json's writer differs from it, so this program writes the text itself:
//!
//! - strings: serde_json writes them as the rule does (`\"`, `\\`, `\b` `\t` `\n` `\f` `\r`, other
//!   controls as lower-case `\u00xx`, the rest raw, U+2028 and U+2029 included). They are written
//!   here all the same, so that the whole rule is visible in one place.
//! - numbers: serde_json writes an f64 with a `.0` when it is whole (`1.0`, `42.0`, `-0.0`) and with
//!   an exponent from 1e16 up and below 1e-5 (`1e+16`, `1e+20`, `1e-6`), where `Number::toString`
//!   writes `1`, `42`, `0`, `10000000000000000`, `100000000000000000000` and `0.000001`; an integer
//!   it read as u64 or i64 it writes as it read it (`9007199254740993`, which as a double is
//!   9007199254740992). Numbers are written here from the shortest round-trip digits laid out by
//!   the rule of `Number::toString`. Rust's own `{:e}` and `{}` pick the wrong one of two equally
//!   near shortest digit strings (see `k1s0_parity::js_number`).
//! - reading: every number becomes an f64, as a `google.protobuf.Value` holds it. serde_json's
//!   default float parser is not correctly rounded (it reads about a third of 17-digit decimals
//!   one unit in the last place off); Cargo.toml turns on its `float_roundtrip` feature, which is.
//!   serde_json refuses a lone surrogate escape (`"\ud800"`), which `JSON.parse` reads; the vectors
//!   have none (a payload in protobuf binary cannot hold one).
//! - objects keep their members in the order written, a repeated key keeping the first place and
//!   the last value (as `JSON.parse` does), and are written with integer-like keys first, as
//!   `JSON.stringify` writes them; so the canonical text is compared for every case that has one.
//!
//! Prints one JSON line per case (`{"accepted", "bytes", "depth", "name"}`) as the Python and Go
//! checkers do, and exits 1 on any mismatch (with a `MISMATCH` line on stderr), 2 when the file
//! cannot be read.
use std::fmt;
use std::process::ExitCode;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use k1s0_parity::{js_number, testdata};

/// A JSON value as `JSON.parse` builds it: every number an f64, object members in order.
#[derive(Clone, Debug)]
enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct JsonVisitor;
        impl<'de> Visitor<'de> for JsonVisitor {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
                Ok(Json::Bool(b))
            }
            // serde_json hands integers over as u64 or i64; `as f64` rounds them to the nearest
            // double, as reading the decimal text as a double does (9007199254740993 -> 2^53).
            fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
                Ok(Json::Number(n as f64))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
                Ok(Json::Number(n as f64))
            }
            fn visit_f64<E>(self, x: f64) -> Result<Json, E> {
                Ok(Json::Number(x))
            }
            fn visit_str<E>(self, s: &str) -> Result<Json, E> {
                Ok(Json::String(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Json, E> {
                Ok(Json::String(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut members: Vec<(String, Json)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Json>()? {
                    match members.iter_mut().find(|(k, _)| *k == key) {
                        Some(member) => member.1 = value,
                        None => members.push((key, value)),
                    }
                }
                Ok(Json::Object(members))
            }
        }
        deserializer.deserialize_any(JsonVisitor)
    }
}

impl Json {
    /// The member `key` of an object.
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// `Some(value)` even when the value is `null` (a plain `Option<Json>` reads `null` as `None`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Json>, D::Error> {
    Json::deserialize(deserializer).map(Some)
}

#[derive(Deserialize)]
struct Limits {
    max_bytes: usize,
    max_depth: usize,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    #[serde(default, deserialize_with = "present")]
    payload: Option<Json>,
    #[serde(default, deserialize_with = "present")]
    build: Option<Json>,
    canonical: Option<String>,
    bytes: usize,
    depth: usize,
    accepted: bool,
}

#[derive(Deserialize)]
struct Document {
    limits: Limits,
    cases: Vec<Case>,
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if c < ' ' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// An array index as ECMAScript sees a property key: a canonical decimal below 2^32 - 1.
fn array_index(key: &str) -> Option<u32> {
    let n: u32 = key.parse().ok()?;
    (n != u32::MAX && n.to_string() == key).then_some(n)
}

/// Writes the canonical text of `value`.
fn write_canonical(out: &mut String, value: &Json) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(x) => out.push_str(&js_number::to_string(*x)),
        Json::String(s) => write_string(out, s),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(out, item);
            }
            out.push(']');
        }
        Json::Object(members) => {
            // JSON.stringify lists an object's own keys in property order: array indices first,
            // ascending, then the other keys in the order they were added.
            let mut ordered: Vec<&(String, Json)> = members.iter().collect();
            ordered.sort_by_key(|(key, _)| array_index(key).map_or((1, 0), |n| (0, n)));
            out.push('{');
            for (i, (key, item)) in ordered.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_canonical(out, item);
            }
            out.push('}');
        }
    }
}

/// A scalar is 0; an array or object is 1 more than its deepest item (1 when empty).
fn depth(value: &Json) -> usize {
    let items: Box<dyn Iterator<Item = &Json>> = match value {
        Json::Array(items) => Box::new(items.iter()),
        Json::Object(members) => Box::new(members.iter().map(|(_, v)| v)),
        _ => return 0,
    };
    1 + items.map(depth).max().unwrap_or(0)
}

fn count_of(spec: &Json, what: &str) -> Result<usize, String> {
    match spec.get(what) {
        Some(Json::Number(n)) if *n >= 0.0 && n.fract() == 0.0 => Ok(*n as usize),
        _ => Err(format!("{what} is not a count")),
    }
}

fn string_of<'a>(spec: &'a Json, what: &str) -> Result<&'a str, String> {
    match spec.get(what) {
        Some(Json::String(s)) => Ok(s),
        _ => Err(format!("{what} is not a string")),
    }
}

/// Expands a "build" spec of payloads.json (see its README); anything else is itself.
fn build(spec: &Json) -> Result<Json, String> {
    if let Some(Json::String(text)) = spec.get("number") {
        // Rust's parser is correctly rounded and keeps -0.
        return match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Json::Number(x)),
            _ => Err(format!("number {text:?} is not a finite decimal")),
        };
    }
    if let Some(s) = spec.get("string") {
        let suffix = if s.get("suffix").is_some() {
            string_of(s, "suffix")?
        } else {
            ""
        };
        return Ok(Json::String(
            string_of(s, "repeat")?.repeat(count_of(s, "count")?) + suffix,
        ));
    }
    if let Some(a) = spec.get("nested_arrays") {
        let mut value = build(a.get("inner").ok_or("nested_arrays without inner")?)?;
        for _ in 0..count_of(a, "depth")? {
            value = Json::Array(vec![value]);
        }
        return Ok(value);
    }
    if let Some(o) = spec.get("nested_objects") {
        let key = string_of(o, "key")?;
        let mut value = build(o.get("inner").ok_or("nested_objects without inner")?)?;
        for _ in 0..count_of(o, "depth")? {
            value = Json::Object(vec![(key.to_owned(), value)]);
        }
        return Ok(value);
    }
    if let Some(o) = spec.get("object") {
        let value = build(o.get("value").ok_or("object without value")?)?;
        return Ok(Json::Object(vec![(string_of(o, "key")?.to_owned(), value)]));
    }
    if let Some(a) = spec.get("array") {
        let repeat = build(a.get("repeat").ok_or("array without repeat")?)?;
        let mut items = vec![repeat; count_of(a, "count")?];
        if let Some(Json::Array(suffix)) = a.get("suffix") {
            for item in suffix {
                items.push(build(item)?);
            }
        }
        return Ok(Json::Array(items));
    }
    Ok(spec.clone())
}

fn main() -> ExitCode {
    let path = testdata::path(1, "proto/testdata/limits/payloads.json");
    let doc: Document = match testdata::read_json(&path) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failures = 0;
    for c in &doc.cases {
        let value = match (&c.build, &c.payload) {
            (Some(spec), _) => build(spec),
            (None, Some(payload)) => Ok(payload.clone()),
            (None, None) => Err("neither payload nor build".to_owned()),
        };
        let value = match value {
            Ok(value) => value,
            Err(e) => {
                eprintln!("{path}: case {:?}: {e}", c.name);
                return ExitCode::from(2);
            }
        };
        let mut text = String::new();
        write_canonical(&mut text, &value);
        let size = text.len(); // UTF-8 bytes
        let d = depth(&value);
        let accepted = size <= doc.limits.max_bytes && d <= doc.limits.max_depth;
        // serde_json's Map is sorted by key: the line's members come out as Go's do.
        let line =
            serde_json::json!({ "name": c.name, "bytes": size, "depth": d, "accepted": accepted });
        println!("{line}");
        let text_differs = c
            .canonical
            .as_ref()
            .is_some_and(|canonical| *canonical != text);
        if size != c.bytes || d != c.depth || accepted != c.accepted || text_differs {
            failures += 1;
            let start: String = text.chars().take(80).collect();
            eprintln!(
                "MISMATCH {}: got {size} bytes, depth {d}, accepted {accepted}, text {start:?}; expected {}, {}, {}",
                c.name, c.bytes, c.depth, c.accepted
            );
        }
    }
    if failures > 0 {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
