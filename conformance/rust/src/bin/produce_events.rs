//! An rdkafka producer of JobCompletedEvents, as a Rust sibling would publish them: the snake_case
//! JSON of the proto's JobCompletedEvent comment, content-type application/json, key = job_id. It
//! sends the edge cases a consumer must read (nanosecond fractions, offsets, Japanese and emoji ids,
//! error absent or null, attempt absent or 0, the result aliases, unknown fields, the proto3 JSON
//! form) and then --count plain events, so that a TypeScript test can check that the subscriber
//! reads every one.
//!
//!     produce_events --brokers 127.0.0.1:9092 --topic T [--compression none|gzip|snappy|lz4|zstd]
//!                    [--count 200] [--tag rust] [--partitioner NAME]
//!
//! With --compression none (the default) the producer runs with librdkafka's default settings
//! (only bootstrap.servers and client.id are set). With a codec it sets compression.type, and makes
//! every event share one record batch per partition (linger.ms and batch.num.messages, see
//! `producer`): librdkafka sends a batch uncompressed when compressing does not make it smaller,
//! which a batch of one short event may well be.
//!
//! --partitioner sets librdkafka's `partitioner`. Its default, consistent_random, picks a key's
//! partition by CRC32, not by the murmur2 hash of Kafka's Java client and of kafkajs (the reference
//! server's publisher): on a topic of several partitions one job's events from an rdkafka producer
//! and from those land on different partitions, unless the rdkafka one sets murmur2_random.
//!
//! Prints, one JSON line per event sent and in the order sent, the event a correct consumer decodes
//! from it: {"jobId", "executionId", "completedAt" (UTC RFC 3339 with the fewest of 3, 6 or 9
//! fraction digits that hold the exact instant), "result", "error" (null if none), "attempt" (null
//! if none)}, the shape of conformance/python/produce_events.py's lines. Where each landed goes to
//! stderr.
use std::process::ExitCode;
use std::time::Duration;

use rdkafka::config::ClientConfig;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use serde_json::{json, Value};

use k1s0_parity::kafka_event::CONTENT_TYPE_JSON;
use k1s0_parity::rfc3339;

const CODECS: [&str; 5] = ["none", "gzip", "snappy", "lz4", "zstd"];
/// How long the whole send may take (librdkafka's message.timeout.ms is 300 s by default).
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// 2026-11-22T10:00:00Z.
const BASE_SECONDS: i64 = 1_795_341_600;

struct Args {
    brokers: String,
    topic: String,
    compression: String,
    count: usize,
    tag: String,
    partitioner: Option<String>,
}

const USAGE: &str = "usage: produce_events --brokers HOST:PORT[,...] --topic TOPIC [--compression none|gzip|snappy|lz4|zstd] [--count N] [--tag TAG] [--partitioner NAME]";

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut brokers, mut topic, mut compression, mut count, mut tag, mut partitioner) = (
        None,
        None,
        "none".to_string(),
        200usize,
        "rust".to_string(),
        None,
    );
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--brokers" => brokers = Some(value()?),
            "--topic" => topic = Some(value()?),
            "--compression" => compression = value()?,
            "--count" => count = value()?.parse().map_err(|e| format!("--count: {e}"))?,
            "--tag" => tag = value()?,
            "--partitioner" => partitioner = Some(value()?),
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    if !CODECS.contains(&compression.as_str()) {
        return Err(format!(
            "--compression must be one of {}",
            CODECS.join(", ")
        ));
    }
    Ok(Args {
        brokers: brokers.ok_or("--brokers is required")?,
        topic: topic.ok_or("--topic is required")?,
        compression,
        count,
        tag,
        partitioner,
    })
}

/// One message: its Kafka value (a JSON object) and the event a consumer must decode from it.
struct Case {
    value: Value,
    expected: Value,
}

fn expected(
    job_id: &str,
    execution_id: &str,
    completed_at: &str,
    result: &str,
    error: Option<&str>,
    attempt: Option<i32>,
) -> Value {
    json!({"jobId": job_id, "executionId": execution_id, "completedAt": completed_at, "result": result, "error": error, "attempt": attempt})
}

/// The edge cases, with the values written by hand as another producer could write them, and what
/// each means written by hand too (not computed by the reader under test).
fn edge_cases(tag: &str) -> Vec<Case> {
    let job = |n: u32| format!("{tag}-job-{n}");
    let exec = |n: u32| format!("{tag}-exec-{n}");
    let mut cases = vec![
        // The canonical form: what the reference producer writes.
        Case {
            value: json!({"job_id": job(1), "execution_id": exec(1), "completed_at": "2026-11-22T10:00:00.000Z", "result": "succeeded", "attempt": 1}),
            expected: expected(
                &job(1),
                &exec(1),
                "2026-11-22T10:00:00.000Z",
                "succeeded",
                None,
                Some(1),
            ),
        },
        Case {
            value: json!({"job_id": job(1), "execution_id": exec(2), "completed_at": "2026-11-22T10:00:01.500Z", "result": "failed", "error": "upstream returned 503", "attempt": 2}),
            expected: expected(
                &job(1),
                &exec(2),
                "2026-11-22T10:00:01.500Z",
                "failed",
                Some("upstream returned 503"),
                Some(2),
            ),
        },
        // chrono's SecondsFormat::Micros: 6 digits, every one kept.
        Case {
            value: json!({"job_id": job(2), "execution_id": exec(3), "completed_at": "2026-11-22T10:00:02.123999Z", "result": "succeeded", "attempt": 1}),
            expected: expected(
                &job(2),
                &exec(3),
                "2026-11-22T10:00:02.123999Z",
                "succeeded",
                None,
                Some(1),
            ),
        },
        // Nanoseconds, timed out with an error.
        Case {
            value: json!({"job_id": job(2), "execution_id": exec(4), "completed_at": "2026-11-22T10:00:03.987654321Z", "result": "timed_out", "error": "timed out after 60 s", "attempt": 3}),
            expected: expected(
                &job(2),
                &exec(4),
                "2026-11-22T10:00:03.987654321Z",
                "timed_out",
                Some("timed out after 60 s"),
                Some(3),
            ),
        },
        // 1 ns past the second: 9 digits, not rounded to 3.
        Case {
            value: json!({"job_id": job(2), "execution_id": exec(5), "completed_at": "2026-11-22T10:00:03.000000001Z", "result": "succeeded", "attempt": 4}),
            expected: expected(
                &job(2),
                &exec(5),
                "2026-11-22T10:00:03.000000001Z",
                "succeeded",
                None,
                Some(4),
            ),
        },
        // Offsets: the instant is what counts.
        Case {
            value: json!({"job_id": job(3), "execution_id": exec(6), "completed_at": "2026-11-22T19:00:04.25+09:00", "result": "succeeded", "attempt": 1}),
            expected: expected(
                &job(3),
                &exec(6),
                "2026-11-22T10:00:04.250Z",
                "succeeded",
                None,
                Some(1),
            ),
        },
        Case {
            value: json!({"job_id": job(3), "execution_id": exec(7), "completed_at": "2026-11-22T04:30:05-05:30", "result": "succeeded", "attempt": 2}),
            expected: expected(
                &job(3),
                &exec(7),
                "2026-11-22T10:00:05.000Z",
                "succeeded",
                None,
                Some(2),
            ),
        },
        // An offset that moves the instant into the previous day and year.
        Case {
            value: json!({"job_id": job(3), "execution_id": exec(8), "completed_at": "2027-01-01T08:59:59.999999+09:00", "result": "failed", "error": "年越し", "attempt": 1}),
            expected: expected(
                &job(3),
                &exec(8),
                "2026-12-31T23:59:59.999999Z",
                "failed",
                Some("年越し"),
                Some(1),
            ),
        },
        // Japanese and emoji ids and error text (serde_json writes them as UTF-8, not \u escapes).
        Case {
            value: json!({"job_id": format!("ジョブ-日次-🚀-{tag}"), "execution_id": format!("実行-✨-0001-{tag}"), "completed_at": "2026-11-22T10:00:06.001Z", "result": "failed", "error": "接続できません ☔", "attempt": 1}),
            expected: expected(
                &format!("ジョブ-日次-🚀-{tag}"),
                &format!("実行-✨-0001-{tag}"),
                "2026-11-22T10:00:06.001Z",
                "failed",
                Some("接続できません ☔"),
                Some(1),
            ),
        },
        // The Rust sibling's own event: the four fields only, result "success", chrono's micros.
        Case {
            value: json!({"job_id": job(4), "execution_id": exec(9), "completed_at": "2026-11-22T10:00:07.000001Z", "result": "success"}),
            expected: expected(
                &job(4),
                &exec(9),
                "2026-11-22T10:00:07.000001Z",
                "succeeded",
                None,
                None,
            ),
        },
        Case {
            value: json!({"job_id": job(4), "execution_id": exec(10), "completed_at": "2026-11-22T10:00:08.5+00:00", "result": "failure"}),
            expected: expected(
                &job(4),
                &exec(10),
                "2026-11-22T10:00:08.500Z",
                "failed",
                None,
                None,
            ),
        },
        // error null and attempt 0 mean none.
        Case {
            value: json!({"job_id": job(5), "execution_id": exec(11), "completed_at": "2026-11-22T10:00:09Z", "result": "FAILED", "error": null, "attempt": 0}),
            expected: expected(
                &job(5),
                &exec(11),
                "2026-11-22T10:00:09.000Z",
                "failed",
                None,
                None,
            ),
        },
        // The result as the enum number, and as the enum name in another case.
        Case {
            value: json!({"job_id": job(5), "execution_id": exec(12), "completed_at": "2026-11-22T10:00:10.000000500Z", "result": 4, "error": "timed out after 5 s", "attempt": 2}),
            expected: expected(
                &job(5),
                &exec(12),
                "2026-11-22T10:00:10.000000500Z",
                "timed_out",
                Some("timed out after 5 s"),
                Some(2),
            ),
        },
        // The proto3 JSON form: lowerCamelCase names, the enum name, attempt as a string.
        Case {
            value: json!({"jobId": job(6), "executionId": exec(13), "completedAt": "2026-11-22T10:00:11Z", "result": "EXECUTION_RESULT_TIMED_OUT", "error": "timed out after 30 s", "attempt": "4"}),
            expected: expected(
                &job(6),
                &exec(13),
                "2026-11-22T10:00:11.000Z",
                "timed_out",
                Some("timed out after 30 s"),
                Some(4),
            ),
        },
        // Unknown fields, nested, are ignored.
        Case {
            value: json!({"job_id": job(6), "execution_id": exec(14), "completed_at": "2026-11-22T10:00:12.120Z", "result": "succeeded", "attempt": 1, "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "schema_version": 2, "meta": {"nested": [1, {"x": null}], "ok": true}}),
            expected: expected(
                &job(6),
                &exec(14),
                "2026-11-22T10:00:12.120Z",
                "succeeded",
                None,
                Some(1),
            ),
        },
    ];
    // The last instant the contract allows, to the nanosecond.
    cases.push(Case {
        value: json!({"job_id": job(7), "execution_id": exec(15), "completed_at": "9999-12-31T23:59:59.999999999Z", "result": "succeeded", "attempt": 1}),
        expected: expected(&job(7), &exec(15), "9999-12-31T23:59:59.999999999Z", "succeeded", None, Some(1)),
    });
    cases
}

/// `count` plain events over 10 jobs, as the reference producer writes them, their instants apart
/// by 7 ms and 1,001 ns so that 3, 6 and 9 fraction digits all occur.
fn plain_events(tag: &str, count: usize) -> Vec<Case> {
    const RESULTS: [&str; 3] = ["succeeded", "failed", "timed_out"];
    (0..count)
        .map(|i| {
            let n = i64::try_from(i).expect("--count fits an i64");
            let total_nanos = n * 7_000_000 + if i % 4 == 1 { n * 1_000 } else if i % 4 == 2 { n * 1_001 } else { 0 };
            let seconds = BASE_SECONDS + total_nanos / 1_000_000_000;
            let nanos = i32::try_from(total_nanos % 1_000_000_000).expect("below 10^9");
            let at = rfc3339::format(seconds, nanos).expect("an instant of 2026");
            let result = RESULTS[i % RESULTS.len()];
            let error = (result != "succeeded").then(|| format!("attempt {i} did not succeed"));
            let attempt = i32::try_from(1 + i % 3).expect("1 to 3");
            let (job_id, execution_id) = (format!("{tag}-plain-job-{}", i % 10), format!("{tag}-plain-exec-{i}"));
            let mut value = json!({"job_id": job_id, "execution_id": execution_id, "completed_at": at, "result": result});
            if let Some(e) = &error {
                value["error"] = json!(e);
            }
            value["attempt"] = json!(attempt);
            Case { expected: expected(&job_id, &execution_id, &at, result, error.as_deref(), Some(attempt)), value }
        })
        .collect()
}

/// The key of a message: its job id, so that one job's events keep their order.
fn key_of(value: &Value) -> &str {
    value
        .get("job_id")
        .or_else(|| value.get("jobId"))
        .and_then(Value::as_str)
        .expect("every case has a job id")
}

fn producer(args: &Args, events: usize) -> Result<FutureProducer, String> {
    let mut config = ClientConfig::new();
    config
        .set("bootstrap.servers", &args.brokers)
        .set("client.id", "k1s0-parity-rust-producer");
    if let Some(partitioner) = &args.partitioner {
        config.set("partitioner", partitioner);
    }
    if args.compression != "none" {
        config.set("compression.type", &args.compression);
        // One batch per partition for every event: librdkafka sends a batch as soon as it holds
        // batch.num.messages messages, and otherwise not before linger.ms. (flush() alone would
        // not cut the linger short: rdkafka's flush calls rd_kafka_flush with a zero timeout in a
        // loop, and librdkafka ignores linger.ms only while that call lasts.) So on a topic of
        // one partition the batch goes out the moment the last event is queued.
        config
            .set("linger.ms", "30000")
            .set("batch.num.messages", events.to_string());
    }
    config
        .create()
        .map_err(|e| format!("cannot create the producer: {e}"))
}

async fn send(args: &Args, cases: &[Case]) -> Result<(), String> {
    let producer = producer(args, cases.len())?;
    let mut deliveries = Vec::with_capacity(cases.len());
    // Queue every event first (send_result does not wait), so that they can share batches.
    for case in cases {
        let value = case.value.to_string();
        let headers = OwnedHeaders::new().insert(Header {
            key: "content-type",
            value: Some(CONTENT_TYPE_JSON),
        });
        let record = FutureRecord::to(&args.topic)
            .key(key_of(&case.value))
            .payload(&value)
            .headers(headers);
        let delivery = producer
            .send_result(record)
            .map_err(|(e, _)| format!("cannot queue an event: {e}"))?;
        deliveries.push(delivery);
    }
    producer.flush(SEND_TIMEOUT).map_err(|e| {
        format!(
            "not every event was sent within {} s: {e}",
            SEND_TIMEOUT.as_secs()
        )
    })?;
    for (case, delivery) in cases.iter().zip(deliveries) {
        match delivery.await {
            Ok(Ok(d)) => eprintln!(
                "produce_events: {}: partition {} offset {}",
                case.value["execution_id"]
                    .as_str()
                    .or(case.value["executionId"].as_str())
                    .unwrap_or("?"),
                d.partition,
                d.offset
            ),
            Ok(Err((e, _))) => return Err(format!("an event was not delivered: {e}")),
            Err(_) => return Err("the producer dropped a delivery report".into()),
        }
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("produce_events: {e}\n{USAGE}");
            return ExitCode::from(64);
        }
    };
    let mut cases = edge_cases(&args.tag);
    cases.extend(plain_events(&args.tag, args.count));
    if let Err(e) = send(&args, &cases).await {
        eprintln!("produce_events: {e}");
        return ExitCode::FAILURE;
    }
    for case in &cases {
        println!("{}", case.expected);
    }
    ExitCode::SUCCESS
}
